/**
 * The emulator's CRM state: modules with their records (a Map by id per module, plus unique-field and
 * global id indexes so writes and lookups stay O(1)), the recycle bin, attachments, photos, tags,
 * many-to-many links and bulk jobs. Routes translate HTTP to the methods here; everything is plain data
 * so `snapshot()` is JSON-serialisable.
 */
import type { CrmRecord, FieldMeta, ModuleDefinition } from '../seed/types.js';
import { IdGenerator } from '../ids.js';
import { formatZohoDateTime } from '../time.js';
import { coerceScalar, isWritable, lookupId, LOOKUP_TYPES, SYSTEM_KEYS } from './fields.js';
import { errorBody, MSG, type ItemResult } from './responses.js';
import type { BulkWriteJob } from './bulk-write.js';
import { loadSeed, generateValues } from './seed-adapter.js';
import type {
  AttachmentEntry,
  BulkReadJob,
  DeletedEntry,
  LinkEntry,
  ModuleStore,
  PhotoEntry,
  SeedData,
  TagEntry,
  UserRef,
} from './store-types.js';

/** Called for `functions/{name}/actions/execute`; the return value becomes `details.output`. */
export type FunctionHandler = (input: {
  method: string;
  query: Record<string, string>;
  body: unknown;
  arguments: Record<string, unknown>;
  userId: string;
}) => unknown | Promise<unknown>;

export interface CrmStateOptions {
  /** Seed for ids and generated data (same seed → same state). */
  seed: number;
  /** Clock in epoch ms. */
  now: () => number;
  /** Offset of the org time zone for datetimes on the wire; default 0 (`+00:00`). */
  timezoneOffsetMinutes?: number;
  /** Start with no records (metadata, users and org only); default false. */
  emptyModules?: boolean;
  /** Status of a v2 write with mixed results: 207 (observed, default) or 202 (documented). */
  mixedStatus?: 207 | 202;
}

/** Why an item failed, plus the key its json_path names (v3+). */
export interface ItemFailure {
  error: ItemResult;
  key?: string;
  /** Extra error details only v3+ sends (DUPLICATE_DATA's `duplicate_record`). */
  laterDetails?: Record<string, unknown>;
}

type WriteOutcome = { ok: true; record: CrmRecord } | ({ ok: false } & ItemFailure);

const SNAPSHOT_FORMAT = 1;

// Shared, frozen system values: records only ever replace these keys, never mutate them in place.
const EMPTY_TAGS = Object.freeze([]) as unknown as unknown[];
const APPROVAL = Object.freeze({ delegate: false, approve: false, reject: false, resubmit: false });
const REVIEW_PROCESS = Object.freeze({ approve: false, reject: false, resubmit: false });
const EMPTY_DETAIL = Object.freeze({});

interface WriteContext {
  nowMs: number;
  now: string;
  by: UserRef;
}

export class CrmState {
  readonly options: Required<Omit<CrmStateOptions, 'timezoneOffsetMinutes'>> & { timezoneOffsetMinutes: number };
  #ids!: IdGenerator;
  #seed!: SeedData;
  #stores = new Map<string, ModuleStore>();
  /** Every live record id → its module store (ids are unique across modules). */
  #idIndex = new Map<string, ModuleStore>();
  attachments = new Map<string, AttachmentEntry>();
  photos = new Map<string, PhotoEntry>();
  /** Module api name → lower-cased tag name → tag. */
  tags = new Map<string, Map<string, TagEntry>>();
  links: LinkEntry[] = [];
  bulkJobs = new Map<string, BulkReadJob>();
  /** Bulk-write uploads by file id. */
  uploads = new Map<string, { name: string; data: Buffer; created_time: string }>();
  writeJobs = new Map<string, BulkWriteJob>();
  /** Mass-update job results by job id. */
  massJobs = new Map<string, Record<string, unknown>>();
  readonly #functions = new Map<string, FunctionHandler>();
  #currentUserId = '';

  constructor(options: CrmStateOptions) {
    this.options = {
      seed: options.seed,
      now: options.now,
      timezoneOffsetMinutes: options.timezoneOffsetMinutes ?? 0,
      emptyModules: options.emptyModules ?? false,
      mixedStatus: options.mixedStatus ?? 207,
    };
    this.#init(!this.options.emptyModules);
  }

  #init(withData: boolean): void {
    this.#ids = new IdGenerator(this.options.seed);
    this.#seed = loadSeed(this.#ids, this.options.seed, this.options.now());
    this.#stores = new Map();
    this.#idIndex = new Map();
    this.attachments = new Map();
    this.photos = new Map();
    this.tags = new Map();
    this.links = [];
    this.bulkJobs = new Map();
    this.uploads = new Map();
    this.writeJobs = new Map();
    this.massJobs = new Map();
    for (const def of this.#seed.modules) this.#stores.set(def.meta.api_name.toLowerCase(), makeStore(def));
    const first = this.#seed.users[0];
    this.#currentUserId = typeof first?.['id'] === 'string' ? first['id'] : '';
    if (withData) this.#loadDataset();
  }

  #loadDataset(): void {
    const inserted = new Map<string, string[]>();
    const refOf = (value: unknown): { module?: unknown; index?: unknown } | undefined =>
      isObject(value) && isObject(value['$ref']) ? (value['$ref'] as { module?: unknown; index?: unknown }) : undefined;
    const resolve = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(resolve);
      if (!isObject(value)) return value;
      const ref = refOf(value);
      if (ref === undefined) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
      const id = inserted.get(String(ref.module).toLowerCase())?.[Number(ref.index)];
      return id === undefined ? null : this.recordRef(id) ?? null;
    };
    const entries = orderByRefs(this.#seed.dataset, refOf);
    for (const [module, rows] of entries) {
      const store = this.store(module);
      if (store === undefined) continue;
      const ids: string[] = [];
      for (const row of rows) {
        const input = resolve(row) as Record<string, unknown>;
        const out = this.#write(store, input, 'insert', this.#currentUserId);
        // Seed rows the validator refuses are stored as given rather than silently lost.
        ids.push(out.ok ? out.record.id : this.#insertTrusted(store, input, this.#currentUserId).id);
      }
      inserted.set(store.name.toLowerCase(), ids);
    }
  }

  // ---------------------------------------------------------------- accessors

  get currentUserId(): string {
    return this.#currentUserId;
  }

  get offset(): number {
    return this.options.timezoneOffsetMinutes;
  }

  get seedData(): SeedData {
    return this.#seed;
  }

  nextId(): string {
    return this.#ids.next();
  }

  nowString(): string {
    return formatZohoDateTime(this.options.now(), this.offset);
  }

  /** The store of an API module, by case-insensitive api name. */
  store(module: string): ModuleStore | undefined {
    return this.#stores.get(module.toLowerCase());
  }

  stores(): ModuleStore[] {
    return [...this.#stores.values()];
  }

  /** The module store holding a live record id. */
  storeOf(id: string): ModuleStore | undefined {
    return this.#idIndex.get(id);
  }

  users(): Record<string, unknown>[] {
    return this.#seed.users.map((u) => ({ ...u }));
  }

  user(id: string): Record<string, unknown> | undefined {
    return this.#seed.users.find((u) => u['id'] === id);
  }

  userRef(id: string, withEmail = true): UserRef {
    const u = this.user(id) ?? this.user(this.#currentUserId);
    const name = String(u?.['full_name'] ?? u?.['name'] ?? '');
    const ref: UserRef = { name, id: String(u?.['id'] ?? id) };
    if (withEmail && typeof u?.['email'] === 'string') ref.email = u['email'];
    return ref;
  }

  registerFunction(apiName: string, handler: FunctionHandler): void {
    this.#functions.set(apiName.toLowerCase(), handler);
  }

  functionHandler(apiName: string): FunctionHandler | undefined {
    return this.#functions.get(apiName.toLowerCase());
  }

  // ---------------------------------------------------------------- public test API

  /** Inserts records as the given user (default current) and returns them as stored; throws on invalid input. */
  insert(module: string, records: Record<string, unknown>[], userId?: string): Record<string, unknown>[] {
    const store = this.#requireStore(module);
    return records.map((input, i) => {
      const out = this.#write(store, input, 'insert', userId ?? this.#currentUserId);
      if (!out.ok) {
        throw new Error(
          `Cannot insert ${store.name} record #${i}: ${out.error.code} ${JSON.stringify(out.error.details)}. Fix the input or check the module's mandatory fields.`,
        );
      }
      return structuredClone(out.record);
    });
  }

  /** Adds `count` generated records quickly (no validation beyond what the generator guarantees). */
  generate(module: string, count: number): void {
    const store = this.#requireStore(module);
    const start = store.records.size;
    // One shared time and user reference keeps 100,000 inserts to a couple of allocations each.
    const ctx = this.#context(this.#currentUserId);
    for (let i = 0; i < count; i += 1) {
      const values = generateValues(store.def, start + i, this.options.seed);
      if (values['Owner'] === undefined) values['Owner'] = ctx.by;
      this.#insertTrusted(store, values, this.#currentUserId, ctx);
    }
  }

  /** Copies of a module's live records, in id order. */
  records(module: string): Record<string, unknown>[] {
    const store = this.#requireStore(module);
    return [...store.records.values()].map((r) => structuredClone(r));
  }

  #requireStore(module: string): ModuleStore {
    const store = this.store(module);
    if (store === undefined) throw new Error(`Unknown module '${module}'. Use a module api name such as 'Leads'.`);
    return store;
  }

  reset(): void {
    this.#init(!this.options.emptyModules);
  }

  // ---------------------------------------------------------------- record writes

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

  insertItem(store: ModuleStore, input: unknown, userId: string): WriteOutcome {
    if (!isObject(input)) return { ok: false, error: errorBody('INVALID_DATA', MSG.invalidData, {}) };
    return this.#write(store, input, 'insert', userId);
  }

  updateItem(store: ModuleStore, id: string, input: unknown, userId: string): WriteOutcome {
    if (!isObject(input)) return { ok: false, error: errorBody('INVALID_DATA', MSG.invalidData, {}) };
    const existing = store.records.get(id);
    if (existing === undefined) {
      return { ok: false, error: errorBody('INVALID_DATA', MSG.invalidId, { id }), key: 'id' };
    }
    return this.#write(store, input, 'update', userId, existing);
  }

  /** Write-envelope success details for a record. */
  writeDetails(record: CrmRecord): Record<string, unknown> {
    const by = (v: unknown): unknown => (isObject(v) ? { name: v['name'], id: v['id'] } : v);
    return {
      Modified_Time: record['Modified_Time'],
      Modified_By: by(record['Modified_By']),
      Created_Time: record['Created_Time'],
      id: record.id,
      Created_By: by(record['Created_By']),
    };
  }

  #write(
    store: ModuleStore,
    input: Record<string, unknown>,
    mode: 'insert' | 'update',
    userId: string,
    existing?: CrmRecord,
  ): WriteOutcome {
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
      const c = coerceScalar(field, raw, this.offset);
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
      const target = this.store(seModule);
      values['$se_module'] = target?.name ?? seModule;
    }
    if (store.fields.has('What_Id') && isObject(values['What_Id'])) {
      values['$se_module'] = this.#idIndex.get(String(values['What_Id']['id']))?.name ?? values['$se_module'];
    }
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
      if (values['Owner'] === undefined && store.fields.has('Owner')) values['Owner'] = this.userRef(userId);
      return { ok: true, record: this.#insertTrusted(store, values, userId) };
    }
    const record = existing as CrmRecord;
    this.#unindexUnique(store, record);
    Object.assign(record, values);
    this.#touch(store, record, userId);
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
      if (this.user(id) === undefined) return { error: errorBody('INVALID_DATA', MSG.invalidId, { api_name: field.api_name, id }) };
      return { value: this.userRef(id) };
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
  #insertTrusted(store: ModuleStore, values: Record<string, unknown>, userId: string, ctx?: WriteContext): CrmRecord {
    const id = this.#ids.next();
    const { nowMs, now, by } = ctx ?? this.#context(userId);
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
        $currency_symbol: String(this.#seed.org['currency_symbol'] ?? '$'),
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
    return record;
  }

  #context(userId: string): WriteContext {
    const nowMs = this.options.now();
    return { nowMs, now: formatZohoDateTime(nowMs, this.offset), by: this.userRef(userId) };
  }

  #touch(store: ModuleStore, record: CrmRecord, userId: string): void {
    const nowMs = this.options.now();
    const now = formatZohoDateTime(nowMs, this.offset);
    record['Modified_By'] = this.userRef(userId);
    record['Modified_Time'] = now;
    if ('Last_Activity_Time' in record) record['Last_Activity_Time'] = now;
    computeFullName(store, record);
    store.modifiedMs.set(record.id, nowMs);
  }

  /** Marks a record modified (after tag or photo changes). */
  touch(store: ModuleStore, record: CrmRecord, userId: string): void {
    this.#touch(store, record, userId);
  }

  #indexUnique(store: ModuleStore, record: CrmRecord): void {
    for (const f of store.uniqueFields) {
      const v = record[f.api_name];
      if (v === undefined || v === null || v === '') continue;
      const idx = store.unique.get(f.api_name);
      const key = uniqueKey(f, v);
      if (idx !== undefined && !idx.has(key)) idx.set(key, record.id);
    }
  }

  #unindexUnique(store: ModuleStore, record: CrmRecord): void {
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

  /** Moves a record to the recycle bin. */
  deleteRecord(store: ModuleStore, id: string, userId: string): boolean {
    const record = store.records.get(id);
    if (record === undefined) return false;
    this.#unindexUnique(store, record);
    store.records.delete(id);
    store.modifiedMs.delete(id);
    this.#idIndex.delete(id);
    const cb = record['Created_By'];
    store.deleted.push({
      deleted_by: this.userRef(userId, false),
      id,
      display_name: this.displayName(store, record),
      type: 'recycle',
      created_by: isObject(cb) ? { name: String(cb['name']), id: String(cb['id']) } : null,
      deleted_time: this.nowString(),
    });
    this.links = this.links.filter((l) => l.aId !== id && l.bId !== id);
    return true;
  }

  // ---------------------------------------------------------------- convert

  /** Converts a lead (wire spec §5.9); returns the new/used ids or a failure. */
  convertLead(
    lead: CrmRecord,
    options: Record<string, unknown>,
    userId: string,
  ): { ok: true; Contacts: string; Accounts: string | null; Deals: string | null } | ({ ok: false } & ItemFailure) {
    const leads = this.#requireStore('Leads');
    const contacts = this.#requireStore('Contacts');
    const accounts = this.#requireStore('Accounts');
    const deals = this.#requireStore('Deals');
    const owner = lookupId(options['assign_to']) ?? (isObject(lead['Owner']) ? String(lead['Owner']['id']) : userId);
    if (this.user(owner) === undefined) {
      return { ok: false, error: errorBody('INVALID_DATA', MSG.invalidId, { api_name: 'assign_to', id: owner }), key: 'assign_to' };
    }
    const ownerRef = this.userRef(owner);
    // Account: given id, else an existing account with the lead's Company name, else a new one.
    let accountId: string | null = null;
    const givenAccount = lookupId(options['Accounts']);
    if (givenAccount !== undefined) {
      if (!accounts.records.has(givenAccount)) {
        return { ok: false, error: errorBody('INVALID_DATA', MSG.invalidId, { api_name: 'Accounts', id: givenAccount }), key: 'Accounts' };
      }
      accountId = givenAccount;
    } else if (typeof lead['Company'] === 'string' && lead['Company'] !== '') {
      const found = this.findBy(accounts, 'Account_Name', lead['Company']);
      accountId = found?.id ?? this.#insertTrusted(accounts, { Account_Name: lead['Company'], Owner: ownerRef, ...carry(lead, accounts, ['Phone', 'Website', 'Fax', 'Industry', 'Annual_Revenue']) }, userId).id;
    }
    // Contact: given id (optionally overwritten), else a new one from the lead's matching fields.
    let contactId: string;
    const givenContact = lookupId(options['Contacts']);
    const contactValues = carry(lead, contacts, [...contacts.fields.keys()]);
    delete contactValues['Owner'];
    if (accountId !== null && contacts.fields.has('Account_Name')) contactValues['Account_Name'] = this.recordRef(accountId);
    if (givenContact !== undefined) {
      const existing = contacts.records.get(givenContact);
      if (existing === undefined) {
        return { ok: false, error: errorBody('INVALID_DATA', MSG.invalidId, { api_name: 'Contacts', id: givenContact }), key: 'Contacts' };
      }
      if (options['overwrite'] === true) {
        Object.assign(existing, contactValues);
        this.#touch(contacts, existing, userId);
      }
      contactId = givenContact;
    } else {
      contactId = this.#insertTrusted(contacts, { ...contactValues, Owner: ownerRef }, userId).id;
    }
    // Deal, only when asked for.
    let dealId: string | null = null;
    if (isObject(options['Deals'])) {
      const dealInput: Record<string, unknown> = { ...options['Deals'], Owner: { id: owner } };
      if (accountId !== null && deals.fields.has('Account_Name')) dealInput['Account_Name'] = { id: accountId };
      if (deals.fields.has('Contact_Name')) dealInput['Contact_Name'] = { id: contactId };
      const out = this.#write(deals, dealInput, 'insert', userId);
      if (!out.ok) return { ok: false, error: out.error, ...(out.key === undefined ? {} : { key: `Deals.${out.key}` }) };
      dealId = out.record.id;
    }
    lead['$converted'] = true;
    lead['$converted_detail'] = {
      contact: contactId,
      account: accountId,
      deal: dealId,
      converted_by: this.userRef(userId, false),
      convert_date: formatZohoDateTime(this.options.now(), this.offset).slice(0, 10),
    };
    this.#touch(leads, lead, userId);
    // Notes and attachments follow the lead to the contact.
    const notes = this.store('Notes');
    const contactRef = this.recordRef(contactId);
    for (const n of notes?.records.values() ?? []) {
      if (isObject(n['Parent_Id']) && n['Parent_Id']['id'] === lead.id) {
        n['Parent_Id'] = contactRef;
        n['$se_module'] = 'Contacts';
      }
    }
    for (const a of this.attachments.values()) {
      if (a.parentId === lead.id) {
        a.parentId = contactId;
        a.parentModule = 'Contacts';
        a.meta['Parent_Id'] = contactRef;
        a.meta['$se_module'] = 'Contacts';
      }
    }
    return { ok: true, Contacts: contactId, Accounts: accountId, Deals: dealId };
  }

  // ---------------------------------------------------------------- tags

  tagStore(module: string): Map<string, TagEntry> {
    let m = this.tags.get(module);
    if (m === undefined) {
      m = new Map();
      this.tags.set(module, m);
    }
    return m;
  }

  createTag(module: string, name: string, userId: string): TagEntry {
    const now = this.nowString();
    const by = this.userRef(userId, false);
    const tag: TagEntry = { id: this.#ids.next(), name, created_by: by, modified_by: by, created_time: now, modified_time: now };
    this.tagStore(module).set(name.toLowerCase(), tag);
    return tag;
  }

  // ---------------------------------------------------------------- snapshot

  snapshot(): unknown {
    const modules: Record<string, unknown> = {};
    for (const s of this.#stores.values()) {
      modules[s.name] = {
        records: [...s.records.values()],
        modifiedMs: [...s.modifiedMs.entries()],
        deleted: s.deleted,
        customViews: s.def.customViews,
      };
    }
    return {
      format: SNAPSHOT_FORMAT,
      seed: this.options.seed,
      counter: this.#ids.counter,
      modules,
      attachments: [...this.attachments.values()].map((a) => ({ ...a, data: a.data === null ? null : a.data.toString('base64') })),
      photos: [...this.photos.entries()].map(([id, p]) => ({ id, ...p, data: p.data.toString('base64') })),
      tags: [...this.tags.entries()].map(([m, t]) => [m, [...t.values()]]),
      links: this.links,
      users: this.#seed.users,
      bulkJobs: [...this.bulkJobs.values()],
      uploads: [...this.uploads.entries()].map(([id, u]) => ({ id, ...u, data: u.data.toString('base64') })),
      writeJobs: [...this.writeJobs.values()],
    };
  }

  static restore(snapshot: unknown, options: CrmStateOptions): CrmState {
    const snap = snapshot as Partial<SnapshotShape> | null | undefined;
    if (snap?.format !== SNAPSHOT_FORMAT || typeof snap.seed !== 'number') {
      throw new Error('Cannot restore the CRM state: the snapshot has an unknown format. Start from a fresh state instead.');
    }
    const state = new CrmState({ ...options, seed: snap.seed, emptyModules: true });
    state.options.emptyModules = options.emptyModules ?? false;
    state.#ids.counter = snap.counter ?? state.#ids.counter;
    for (const [name, m] of Object.entries(snap.modules ?? {})) {
      const store = state.store(name);
      if (store === undefined) continue;
      for (const r of m.records) {
        store.records.set(r.id, r);
        state.#idIndex.set(r.id, store);
        state.#indexUnique(store, r);
      }
      store.modifiedMs = new Map(m.modifiedMs);
      store.deleted = m.deleted;
      store.def.customViews = m.customViews;
    }
    for (const a of snap.attachments ?? []) {
      state.attachments.set(String(a.meta.id), { ...a, data: a.data === null ? null : Buffer.from(a.data, 'base64') });
    }
    for (const p of snap.photos ?? []) {
      state.photos.set(p.id, { data: Buffer.from(p.data, 'base64'), contentType: p.contentType, fileName: p.fileName });
    }
    for (const [m, list] of snap.tags ?? []) state.tags.set(m, new Map(list.map((t) => [t.name.toLowerCase(), t])));
    state.links = snap.links ?? [];
    if (Array.isArray(snap.users)) state.#seed.users = snap.users;
    for (const j of snap.bulkJobs ?? []) state.bulkJobs.set(j.id, j);
    for (const u of snap.uploads ?? []) state.uploads.set(u.id, { name: u.name, created_time: u.created_time, data: Buffer.from(u.data, 'base64') });
    for (const j of snap.writeJobs ?? []) state.writeJobs.set(j.id, j);
    return state;
  }
}

interface SnapshotShape {
  format: number;
  seed: number;
  counter: number;
  modules: Record<string, { records: CrmRecord[]; modifiedMs: [string, number][]; deleted: DeletedEntry[]; customViews: Record<string, unknown>[] }>;
  attachments: (Omit<AttachmentEntry, 'data'> & { data: string | null })[];
  photos: (Omit<PhotoEntry, 'data'> & { id: string; data: string })[];
  tags: [string, TagEntry[]][];
  links: LinkEntry[];
  users: Record<string, unknown>[];
  bulkJobs: BulkReadJob[];
  uploads: { id: string; name: string; created_time: string; data: string }[];
  writeJobs: BulkWriteJob[];
}

/** Dataset modules ordered so that a module's `$ref` targets are inserted before it (cycles keep input order). */
function orderByRefs(
  dataset: Record<string, Record<string, unknown>[]>,
  refOf: (v: unknown) => { module?: unknown } | undefined,
): [string, Record<string, unknown>[]][] {
  const deps = new Map<string, Set<string>>();
  const scan = (v: unknown, into: Set<string>): void => {
    if (Array.isArray(v)) v.forEach((x) => scan(x, into));
    else if (isObject(v)) {
      const ref = refOf(v);
      if (ref !== undefined) into.add(String(ref.module).toLowerCase());
      else Object.values(v).forEach((x) => scan(x, into));
    }
  };
  for (const [m, rows] of Object.entries(dataset)) {
    const set = new Set<string>();
    scan(rows, set);
    set.delete(m.toLowerCase());
    deps.set(m, set);
  }
  const done = new Set<string>();
  const out: [string, Record<string, unknown>[]][] = [];
  const visit = (m: string, path: Set<string>): void => {
    if (done.has(m.toLowerCase()) || path.has(m)) return;
    path.add(m);
    for (const d of deps.get(m) ?? []) {
      const target = Object.keys(dataset).find((k) => k.toLowerCase() === d);
      if (target !== undefined) visit(target, path);
    }
    done.add(m.toLowerCase());
    out.push([m, dataset[m] ?? []]);
  };
  for (const m of Object.keys(dataset)) visit(m, new Set());
  return out;
}

function makeStore(def: ModuleDefinition): ModuleStore {
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

/** Copies the named fields that exist in the target module and are writable there. */
function carry(source: Record<string, unknown>, target: ModuleStore, names: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const n of names) {
    const f = target.fields.get(n);
    const v = source[n];
    if (f === undefined || !isWritable(f) || v === undefined || v === null) continue;
    if (LOOKUP_TYPES.has(f.data_type) && f.data_type === 'lookup') continue;
    out[n] = v;
  }
  return out;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

