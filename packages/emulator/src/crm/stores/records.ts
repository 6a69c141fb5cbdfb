/**
 * The records of every API module (a Map by id per module, plus unique-field and global id indexes so writes
 * and lookups stay O(1)) and each module's recycle bin. Writes validate like Zoho: mandatory fields first, then
 * types, lookups and unique fields.
 */
import type { CrmRecord, FieldMeta, ModuleDefinition } from '../../seed/types.js';
import { formatZohoDateTime } from '../../time.js';
import { coerceScalar, isWritable, lookupId, LOOKUP_TYPES, SYSTEM_KEYS } from '../fields.js';
import { errorBody, MSG, type ItemResult } from '../responses.js';
import type { DeletedEntry, ModuleStore, UserRef } from '../store-types.js';
import type { Directory } from './directory.js';
import type { StateTable } from './registry.js';

/** Why an item failed, plus the key its json_path names (v3+). */
export interface ItemFailure {
  error: ItemResult;
  key?: string;
  /** Extra error details only v3+ sends (DUPLICATE_DATA's `duplicate_record`). */
  laterDetails?: Record<string, unknown>;
}

/** One record write, as notification channels see it. */
export interface RecordChange {
  module: string;
  operation: 'insert' | 'update' | 'delete';
  id: string;
  /** Field api names written (updates). */
  fields: string[];
  /** The values written (for `return_affected_field_values`). */
  values: Record<string, unknown>;
}

export type WriteOutcome = { ok: true; record: CrmRecord } | ({ ok: false } & ItemFailure);

/** What the record store needs from the rest of the state. */
export interface RecordContext {
  nextId(): string;
  now(): number;
  readonly offset: number;
  readonly directory: Directory;
  /** The module definitions of the loaded seed. */
  modules(): ModuleDefinition[];
  /** Told of every insert, update and delete (the one hook of the write path: API, mass update, bulk write, conversion). */
  onChange?(change: RecordChange): void;
  /** Refuses an update before it is applied (a blueprint's state field), as the item's error. */
  guardUpdate?(store: ModuleStore, record: CrmRecord, input: Record<string, unknown>): ItemResult | undefined;
  /** The multi-currency keys of a write (`Currency`, `Exchange_Rate`, `$currency_symbol`), or why it is refused. */
  currency?(store: ModuleStore, input: Record<string, unknown>, mode: 'insert' | 'update'): { values: Record<string, unknown> } | { error: ItemResult; key: string };
}

/** One module as this store keeps it: the readable `ModuleStore` with maps only this store writes. */
interface ModuleTable extends ModuleStore {
  records: Map<string, CrmRecord>;
  modifiedMs: Map<string, number>;
  deleted: DeletedEntry[];
  unique: Map<string, Map<string, string>>;
}

interface ModuleSnapshot {
  records: CrmRecord[];
  modifiedMs: [string, number][];
  deleted: DeletedEntry[];
  customViews: Record<string, unknown>[];
}

/** One write's time and author, shared by a batch. */
export interface WriteContext {
  nowMs: number;
  now: string;
  by: UserRef;
}

// Shared, frozen system values: records only ever replace these keys, never mutate them in place.
const EMPTY_TAGS = Object.freeze([]) as unknown as unknown[];
const APPROVAL = Object.freeze({ delegate: false, approve: false, reject: false, resubmit: false });
const REVIEW_PROCESS = Object.freeze({ approve: false, reject: false, resubmit: false });
const EMPTY_DETAIL = Object.freeze({});

export class RecordStore implements StateTable {
  readonly name = 'records';
  #modules = new Map<string, ModuleTable>();
  /** Every live record id → its module (ids are unique across modules). */
  #idIndex = new Map<string, ModuleTable>();

  constructor(private readonly ctx: RecordContext) {
    this.reset();
  }

  /** The store of an API module, by case-insensitive api name. */
  module(name: string): ModuleStore | undefined {
    return this.#modules.get(name.toLowerCase());
  }

  modules(): ModuleStore[] {
    return [...this.#modules.values()];
  }

  /** The module holding a live record id. */
  moduleOf(id: string): ModuleStore | undefined {
    return this.#idIndex.get(id);
  }

  #table(store: ModuleStore): ModuleTable {
    const table = this.#modules.get(store.name.toLowerCase());
    if (table === undefined) throw new Error(`Unknown module '${store.name}'. Use a module api name such as 'Leads'.`);
    return table;
  }

  /** Display value used as `name` in lookups to this record. */
  displayName(store: ModuleStore, record: Record<string, unknown>): string | null {
    const v = record[store.def.displayField];
    if (typeof v === 'string') return v;
    if (v === null || v === undefined) return null;
    return String(v);
  }

  /** A `{name,id}` reference to a live record. */
  recordRef(id: string): { name: string | null; id: string } | undefined {
    const store = this.#idIndex.get(id);
    const rec = store?.records.get(id);
    if (store === undefined || rec === undefined) return undefined;
    return { name: this.displayName(store, rec), id };
  }

  insert(store: ModuleStore, input: Record<string, unknown>, userId: string): WriteOutcome {
    return this.#write(this.#table(store), input, 'insert', userId);
  }

  update(store: ModuleStore, id: string, input: Record<string, unknown>, userId: string): WriteOutcome {
    const table = this.#table(store);
    const existing = table.records.get(id);
    if (existing === undefined) return { ok: false, error: errorBody('INVALID_DATA', MSG.invalidId, { id }), key: 'id' };
    const refused = this.ctx.guardUpdate?.(table, existing, input);
    if (refused !== undefined) return { ok: false, error: refused };
    return this.#write(table, input, 'update', userId, existing);
  }

  /** Sets values that are already valid (a converted contact's overwrite) and marks the record modified. */
  overwrite(store: ModuleStore, record: CrmRecord, values: Record<string, unknown>, userId: string): void {
    const table = this.#table(store);
    this.#unindexUnique(table, record);
    Object.assign(record, values);
    this.#touch(table, record, userId, values);
    this.#indexUnique(table, record);
  }

  #write(store: ModuleTable, input: Record<string, unknown>, mode: 'insert' | 'update', userId: string, existing?: CrmRecord): WriteOutcome {
    const values: Record<string, unknown> = {};
    const isNotes = store.name === 'Notes';
    // Mandatory fields first, as Zoho reports them before type errors.
    for (const f of store.def.fields) {
      if (!f.system_mandatory || !isWritable(f)) continue;
      if (isNotes && f.api_name === 'Parent_Id') continue;
      const given = Object.prototype.hasOwnProperty.call(input, f.api_name);
      const v = input[f.api_name];
      const empty = v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
      if ((mode === 'insert' && empty) || (mode === 'update' && given && empty)) {
        return { ok: false, error: errorBody('MANDATORY_NOT_FOUND', MSG.mandatory, { api_name: f.api_name }), key: f.api_name };
      }
    }
    for (const [key, raw] of Object.entries(input)) {
      if (key.startsWith('$') || SYSTEM_KEYS.has(key)) continue;
      const field = store.fields.get(key);
      if (field === undefined || !isWritable(field)) continue;
      if (isNotes && key === 'Parent_Id') continue;
      if (LOOKUP_TYPES.has(field.data_type)) {
        const res = this.#resolveLookup(field, raw);
        if ('error' in res) return { ok: false, error: res.error, key };
        values[key] = res.value;
        continue;
      }
      const c = coerceScalar(field, raw, this.ctx.offset);
      if (!c.ok) return { ok: false, error: c.error, key };
      values[key] = c.value;
    }
    // Activities and Notes name their parent's module in $se_module.
    const seModule = input['$se_module'] ?? input['se_module'];
    if (isNotes) {
      const parentRaw = input['Parent_Id'];
      if (parentRaw !== undefined || mode === 'insert') {
        const pid = lookupId(parentRaw);
        if (pid === undefined) {
          return { ok: false, error: errorBody('MANDATORY_NOT_FOUND', MSG.mandatory, { api_name: 'Parent_Id' }), key: 'Parent_Id' };
        }
        const ref = this.recordRef(pid);
        if (ref === undefined) {
          return { ok: false, error: errorBody('INVALID_DATA', MSG.invalidId, { api_name: 'Parent_Id', id: pid }), key: 'Parent_Id' };
        }
        values['Parent_Id'] = ref;
        values['$se_module'] = this.#idIndex.get(pid)?.name ?? seModule;
      }
    } else if (typeof seModule === 'string' && store.fields.has('What_Id')) {
      const target = this.module(seModule);
      values['$se_module'] = target?.name ?? seModule;
    }
    if (store.fields.has('What_Id') && isObject(values['What_Id'])) {
      values['$se_module'] = this.#idIndex.get(String(values['What_Id']['id']))?.name ?? values['$se_module'];
    }
    const money = this.ctx.currency?.(store, input, mode);
    if (money !== undefined && 'error' in money) return { ok: false, error: money.error, key: money.key };
    if (money !== undefined) Object.assign(values, money.values);
    // Unique fields.
    for (const f of store.uniqueFields) {
      const v = values[f.api_name];
      if (v === undefined || v === null || v === '') continue;
      const hit = store.unique.get(f.api_name)?.get(uniqueKey(f, v));
      if (hit !== undefined && hit !== existing?.id) {
        const dup = store.records.get(hit);
        const owner = dup?.['Owner'];
        return {
          ok: false,
          error: errorBody('DUPLICATE_DATA', MSG.duplicate, { api_name: f.api_name, id: hit }),
          key: f.api_name,
          laterDetails: {
            duplicate_record: { id: hit, module: { api_name: store.name, id: store.def.meta.id }, Owner: isObject(owner) ? { name: owner['name'], id: owner['id'] } : null },
          },
        };
      }
    }
    if (mode === 'insert') {
      if (values['Owner'] === undefined && store.fields.has('Owner')) values['Owner'] = this.ctx.directory.userRef(userId);
      return { ok: true, record: this.#insertTrusted(store, values, userId) };
    }
    const record = existing as CrmRecord;
    this.#unindexUnique(store, record);
    Object.assign(record, values);
    this.#touch(store, record, userId, values);
    this.#indexUnique(store, record);
    return { ok: true, record };
  }

  #resolveLookup(field: FieldMeta, raw: unknown): { value: unknown } | { error: ItemResult } {
    if (raw === null) return { value: null };
    const id = lookupId(raw);
    if (id === undefined) {
      return { error: errorBody('INVALID_DATA', MSG.invalidData, { expected_data_type: 'jsonobject', api_name: field.api_name }) };
    }
    if (field.data_type === 'ownerlookup' || field.data_type === 'userlookup') {
      if (this.ctx.directory.user(id) === undefined) return { error: errorBody('INVALID_DATA', MSG.invalidId, { api_name: field.api_name, id }) };
      return { value: this.ctx.directory.userRef(id) };
    }
    const target = this.#idIndex.get(id);
    const wanted = isObject(field.lookup) ? field.lookup['module'] : undefined;
    const wantedName = typeof wanted === 'string' ? wanted : isObject(wanted) ? String(wanted['api_name'] ?? '') : '';
    // `se_module` marks a multi-module lookup (What_Id, Parent_Id): any module will do.
    const anyModule = wantedName === '' || wantedName === 'se_module';
    if (target === undefined || (!anyModule && wantedName.toLowerCase() !== target.name.toLowerCase())) {
      return { error: errorBody('INVALID_DATA', MSG.invalidId, { api_name: field.api_name, id }) };
    }
    return { value: this.recordRef(id) };
  }

  /** Builds the system keys and stores a record whose values are already valid. */
  insertTrusted(store: ModuleStore, values: Record<string, unknown>, userId: string, ctx?: WriteContext): CrmRecord {
    return this.#insertTrusted(this.#table(store), values, userId, ctx);
  }

  #insertTrusted(store: ModuleTable, values: Record<string, unknown>, userId: string, ctx?: WriteContext): CrmRecord {
    const id = this.ctx.nextId();
    const { nowMs, now, by } = ctx ?? this.context(userId);
    const record: CrmRecord = { id, ...values };
    record['Owner'] = values['Owner'] ?? by;
    record['Created_By'] = by;
    record['Modified_By'] = by;
    record['Created_Time'] = now;
    record['Modified_Time'] = now;
    if (store.name === 'Notes') {
      Object.assign(record, {
        $attachments: null,
        $editable: true,
        $voice_note: false,
        $is_shared_to_client: false,
        $size: null,
        $state: 'save',
      });
    } else {
      Object.assign(record, {
        Last_Activity_Time: now,
        Tag: EMPTY_TAGS,
        $approved: true,
        $approval: APPROVAL,
        $approval_state: 'approved',
        $editable: true,
        $currency_symbol: String(values['$currency_symbol'] ?? this.ctx.directory.org['currency_symbol'] ?? '$'),
        $state: 'save',
        $process_flow: false,
        $review_process: REVIEW_PROCESS,
        $review: null,
        $orchestration: false,
        $in_merge: false,
        $field_states: null,
        $locked_for_me: false,
      });
      if (store.name === 'Leads') {
        record['$converted'] = false;
        record['$converted_detail'] = EMPTY_DETAIL;
      }
      if (store.def.photoSupported) record['Record_Image'] = null;
    }
    computeFullName(store, record);
    store.records.set(id, record);
    store.modifiedMs.set(id, nowMs);
    this.#idIndex.set(id, store);
    this.#indexUnique(store, record);
    this.#changed(store, 'insert', id, values);
    return record;
  }

  #changed(store: ModuleTable, operation: RecordChange['operation'], id: string, written: Record<string, unknown>): void {
    if (this.ctx.onChange === undefined) return;
    const fields = Object.keys(written).filter((k) => !k.startsWith('$') && !SYSTEM_KEYS.has(k));
    this.ctx.onChange({ module: store.name, operation, id, fields, values: Object.fromEntries(fields.map((k) => [k, written[k]])) });
  }

  /** The time and author of a write by `userId`, to share across a batch. */
  context(userId: string): WriteContext {
    const nowMs = this.ctx.now();
    return { nowMs, now: formatZohoDateTime(nowMs, this.ctx.offset), by: this.ctx.directory.userRef(userId) };
  }

  /** Marks a record modified (after tag, photo or conversion changes). */
  touch(store: ModuleStore, record: CrmRecord, userId: string): void {
    this.#touch(this.#table(store), record, userId);
  }

  #touch(store: ModuleTable, record: CrmRecord, userId: string, written: Record<string, unknown> = {}): void {
    const nowMs = this.ctx.now();
    const now = formatZohoDateTime(nowMs, this.ctx.offset);
    record['Modified_By'] = this.ctx.directory.userRef(userId);
    record['Modified_Time'] = now;
    if ('Last_Activity_Time' in record) record['Last_Activity_Time'] = now;
    computeFullName(store, record);
    store.modifiedMs.set(record.id, nowMs);
    this.#changed(store, 'update', record.id, written);
  }

  #indexUnique(store: ModuleTable, record: CrmRecord): void {
    for (const f of store.uniqueFields) {
      const v = record[f.api_name];
      if (v === undefined || v === null || v === '') continue;
      const idx = store.unique.get(f.api_name);
      const key = uniqueKey(f, v);
      if (idx !== undefined && !idx.has(key)) idx.set(key, record.id);
    }
  }

  #unindexUnique(store: ModuleTable, record: CrmRecord): void {
    for (const f of store.uniqueFields) {
      const v = record[f.api_name];
      if (v === undefined || v === null || v === '') continue;
      const idx = store.unique.get(f.api_name);
      const key = uniqueKey(f, v);
      if (idx?.get(key) === record.id) idx.delete(key);
    }
  }

  /** Finds a live record whose field equals the value (indexed for unique fields, scanned otherwise). */
  findBy(store: ModuleStore, fieldName: string, value: unknown): CrmRecord | undefined {
    if (value === undefined || value === null || value === '') return undefined;
    const f = store.fields.get(fieldName);
    const idx = store.unique.get(fieldName);
    if (f !== undefined && idx !== undefined) {
      const id = idx.get(uniqueKey(f, value));
      return id === undefined ? undefined : store.records.get(id);
    }
    const want = normalise(value);
    for (const r of store.records.values()) if (normalise(r[fieldName]) === want) return r;
    return undefined;
  }

  /** Moves a record to its module's recycle bin; false when it is not live. */
  delete(store: ModuleStore, id: string, userId: string, deletedTime: string): boolean {
    const table = this.#table(store);
    const record = table.records.get(id);
    if (record === undefined) return false;
    this.#unindexUnique(table, record);
    table.records.delete(id);
    table.modifiedMs.delete(id);
    this.#idIndex.delete(id);
    const cb = record['Created_By'];
    table.deleted.push({
      deleted_by: this.ctx.directory.userRef(userId, false),
      id,
      display_name: this.displayName(table, record),
      type: 'recycle',
      created_by: isObject(cb) ? { name: String(cb['name']), id: String(cb['id']) } : null,
      deleted_time: deletedTime,
    });
    this.#changed(table, 'delete', id, {});
    return true;
  }

  /** Sets system values of a record (`Tag`, `Record_Image`); `touch` also marks it modified by `userId`. */
  setSystem(store: ModuleStore, record: CrmRecord, values: Record<string, unknown>, touch?: { userId: string }): void {
    Object.assign(record, values);
    if (touch !== undefined) this.#touch(this.#table(store), record, touch.userId);
  }

  /** Points the notes of one record at another (a converted lead's notes go to its contact). */
  reparentNotes(fromId: string, toModule: string, toRef: { name: string | null; id: string } | undefined): void {
    for (const n of this.#modules.get('notes')?.records.values() ?? []) {
      if (isObject(n['Parent_Id']) && n['Parent_Id']['id'] === fromId) {
        n['Parent_Id'] = toRef;
        n['$se_module'] = toModule;
      }
    }
  }

  snapshot(): Record<string, ModuleSnapshot> {
    const modules: Record<string, ModuleSnapshot> = {};
    for (const s of this.#modules.values()) {
      modules[s.name] = { records: [...s.records.values()], modifiedMs: [...s.modifiedMs.entries()], deleted: s.deleted, customViews: s.def.customViews };
    }
    return modules;
  }

  restore(data: unknown): void {
    this.reset();
    for (const [name, m] of Object.entries((data ?? {}) as Record<string, ModuleSnapshot>)) {
      const store = this.#modules.get(name.toLowerCase());
      if (store === undefined) continue;
      for (const r of m.records) {
        store.records.set(r.id, r);
        this.#idIndex.set(r.id, store);
        this.#indexUnique(store, r);
      }
      store.modifiedMs = new Map(m.modifiedMs);
      store.deleted = m.deleted;
      store.def.customViews = m.customViews;
    }
  }

  /** Empty modules, as the seed defines them (the state loads the seed's records afterwards). */
  reset(): void {
    this.#modules = new Map();
    this.#idIndex = new Map();
    for (const def of this.ctx.modules()) this.#modules.set(def.meta.api_name.toLowerCase(), makeModule(def));
  }
}

function makeModule(def: ModuleDefinition): ModuleTable {
  const fields = new Map(def.fields.map((f) => [f.api_name, f]));
  const uniqueFields = def.fields.filter((f) => isObject(f.unique) && Object.keys(f.unique).length > 0);
  return {
    name: def.meta.api_name,
    def,
    fields,
    records: new Map(),
    modifiedMs: new Map(),
    deleted: [],
    unique: new Map(uniqueFields.map((f) => [f.api_name, new Map<string, string>()])),
    uniqueFields,
    lookupFields: def.fields.filter((f) => f.data_type === 'lookup'),
  };
}

function uniqueKey(field: FieldMeta, value: unknown): string {
  const s = asText(value);
  const cs: unknown = isObject(field.unique) ? field.unique['casesensitive'] : undefined;
  return cs === 'true' || cs === true ? s : s.toLowerCase();
}

function asText(value: unknown): string {
  if (isObject(value)) return String(value['id'] ?? '');
  return value === null || value === undefined ? '' : String(value);
}

function normalise(value: unknown): string {
  return asText(value).toLowerCase();
}

function computeFullName(store: ModuleStore, record: Record<string, unknown>): void {
  if (!store.fields.has('Full_Name')) return;
  const first = typeof record['First_Name'] === 'string' ? record['First_Name'] : '';
  const last = typeof record['Last_Name'] === 'string' ? record['Last_Name'] : '';
  record['Full_Name'] = `${first} ${last}`.trim();
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
