/**
 * The emulator's CRM state: small stores with one owner each (stores/), registered in one list of tables
 * (`tables`) that snapshots, restores and `reset()` go through. Routes read through the methods here and
 * write only through a store's own methods.
 */
import type { CrmRecord } from '../seed/types.js';
import { formatZohoDateTime } from '../time.js';
import { convertLead, type ConvertOutcome } from './convert.js';
import { errorBody, MSG } from './responses.js';
import { loadSeed, generateValues } from './seed-adapter.js';
import type { ModuleStore, SeedData, UserRef } from './store-types.js';
import { Attachments } from './stores/attachments.js';
import { BulkReadJobs } from './stores/bulk-read-jobs.js';
import { BulkUploads } from './stores/bulk-uploads.js';
import { BulkWriteJobs } from './stores/bulk-write-jobs.js';
import { Directory } from './stores/directory.js';
import { SpecStore } from './spec/store.js';
import { FunctionRegistry, type FunctionHandler } from './stores/functions.js';
import { IdCounter } from './stores/ids.js';
import { Links } from './stores/links.js';
import { DealContactRoles } from './stores/deal-contact-roles.js';
import { InventoryConvertJobs } from './stores/inventory-convert-jobs.js';
import { MassConvertJobs } from './stores/mass-convert-jobs.js';
import { MassDeleteTagsJobs } from './stores/mass-delete-tags-jobs.js';
import { MassUpdateJobs } from './stores/mass-update-jobs.js';
import { Photos } from './stores/photos.js';
import { isObject, RecordStore, type WriteOutcome } from './stores/records.js';
import { ContactRoles } from './stores/contact-roles.js';
import { Currencies } from './stores/currencies.js';
import { Shares } from './stores/shares.js';
import { TableRegistry } from './stores/registry.js';
import { Tags } from './stores/tags.js';
import { TerritoryUsers } from './stores/territory-users.js';
import { ZfsFiles } from './stores/zfs-files.js';
import { legacySnapshotTables } from './snapshot-format.js';
import { NotificationCenter } from './notifications.js';
import { ProcessTable } from './process.js';

export type { FunctionHandler } from './stores/functions.js';
export type { ItemFailure } from './stores/records.js';
export type { StateTable } from './stores/registry.js';
export { isObject } from './stores/records.js';

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
  /** Validate v8 requests against the operation's parameters and request schema. Default {@link DEFAULT_VALIDATE_REQUESTS}. */
  validateRequests?: boolean;
}

/**
 * v8 requests are validated against the operation's parameters and request schema.
 * @default true
 */
export const DEFAULT_VALIDATE_REQUESTS = true;

/** Version of `snapshot()`'s shape; `restore` also reads format 1 (one key per side store, before the table list). */
export const SNAPSHOT_FORMAT = 2;

interface SnapshotShape {
  format: number;
  seed: number;
  tables: Record<string, unknown>;
}

export class CrmState {
  readonly options: Required<Omit<CrmStateOptions, 'timezoneOffsetMinutes'>> & { timezoneOffsetMinutes: number };
  /** Every table of the state, in registration order: the one list snapshots, restores and resets use. */
  readonly tables = new TableRegistry();
  readonly ids: IdCounter;
  readonly directory: Directory;
  readonly recordStore: RecordStore;
  readonly attachments: Attachments;
  readonly photos: Photos;
  /** Files uploaded through `/crm/v8/files`, by encrypted id. */
  readonly files: ZfsFiles;
  readonly tags: Tags;
  readonly links: Links;
  /** The roles contacts play in deals (`/Deals/{id}/Contact_Roles`), kept on the Deals ↔ Contacts links. */
  readonly dealContactRoles: DealContactRoles;
  readonly bulkReadJobs: BulkReadJobs;
  /** Bulk-write uploads by file id. */
  readonly uploads: BulkUploads;
  readonly bulkWriteJobs: BulkWriteJobs;
  readonly massUpdateJobs: MassUpdateJobs;
  /** Lead mass-convert jobs (`/Leads/actions/mass_convert`), by job id. */
  readonly massConvertJobs: MassConvertJobs;
  /** Quote and sales-order mass-convert jobs (`/{Quotes|Sales_Orders}/actions/mass_convert`), by job id. */
  readonly inventoryConvertJobs: InventoryConvertJobs;
  /** Tag mass-delete jobs (`/settings/tags/actions/mass_delete`), by job id. */
  readonly massDeleteTagsJobs: MassDeleteTagsJobs;
  /** What the v8 spec router keeps: generic collections, singletons and behaviour tables (./spec/). */
  readonly spec: SpecStore;
  /** The org's home currency and the others multi-currency adds (`/org/currencies`). */
  readonly currencies: Currencies;
  /** Users each record is shared with (`/{module}/{id}/actions/share`). */
  readonly shares: Shares;
  /** The roles contacts play in deals (`/Contacts/roles`). */
  readonly contactRoles: ContactRoles;
  /** Which users are in which org territories: what `/users/{user}/territories` and `/settings/territories/{id}/users` both read. */
  readonly territoryUsers: TerritoryUsers;
  readonly functions = new FunctionRegistry();
  /** Notification channels (`/actions/watch`) and the deliveries made to them. */
  readonly notifications: NotificationCenter;
  /** Blueprints, email templates and the outbox of sent mail. */
  readonly process: ProcessTable;
  #seed: SeedData;

  constructor(options: CrmStateOptions) {
    this.options = {
      seed: options.seed,
      now: options.now,
      timezoneOffsetMinutes: options.timezoneOffsetMinutes ?? 0,
      emptyModules: options.emptyModules ?? false,
      mixedStatus: options.mixedStatus ?? 207,
      validateRequests: options.validateRequests ?? DEFAULT_VALIDATE_REQUESTS,
    };
    // The id counter comes first: the seed takes its ids from it, and a restore sets it before anything else.
    this.ids = this.tables.register(new IdCounter(this.options.seed));
    this.#seed = loadSeed(this.ids.generator, this.options.seed, this.options.now());
    this.directory = this.tables.register(new Directory(() => this.#seed));
    this.notifications = this.tables.register(new NotificationCenter(this));
    this.process = this.tables.register(new ProcessTable(this));
    this.recordStore = this.tables.register(
      new RecordStore({
        nextId: () => this.ids.next(),
        now: () => this.options.now(),
        offset: this.options.timezoneOffsetMinutes,
        directory: this.directory,
        modules: () => this.#seed.modules,
        onChange: (change) => this.notifications.recordChanged(change),
        guardUpdate: (store, record, input) => this.process.guardUpdate(store, record, input),
        currency: (store, input, mode) => this.currencies.forRecord(store, input, mode),
      }),
    );
    this.attachments = this.tables.register(new Attachments());
    this.photos = this.tables.register(new Photos());
    this.files = this.tables.register(new ZfsFiles());
    this.tags = this.tables.register(new Tags({ nextId: () => this.ids.next(), nowString: () => this.nowString(), userRef: (id, e) => this.userRef(id, e) }));
    this.links = this.tables.register(new Links());
    this.dealContactRoles = new DealContactRoles(this.links);
    this.bulkReadJobs = this.tables.register(new BulkReadJobs());
    this.uploads = this.tables.register(new BulkUploads());
    this.bulkWriteJobs = this.tables.register(new BulkWriteJobs());
    this.massUpdateJobs = this.tables.register(new MassUpdateJobs());
    this.massConvertJobs = this.tables.register(new MassConvertJobs());
    this.inventoryConvertJobs = this.tables.register(new InventoryConvertJobs());
    this.massDeleteTagsJobs = this.tables.register(new MassDeleteTagsJobs());
    this.spec = this.tables.register(new SpecStore());
    this.currencies = this.tables.register(
      new Currencies({ nextId: () => this.ids.next(), nowString: () => this.nowString(), firstUser: () => this.userRef(this.currentUserId, false), org: () => this.directory.org, enableMultiCurrency: () => this.directory.enableMultiCurrency() }),
    );
    this.shares = this.tables.register(new Shares());
    this.contactRoles = this.tables.register(new ContactRoles(() => this.ids.next()));
    this.territoryUsers = this.tables.register(new TerritoryUsers());
    if (!this.options.emptyModules) this.#loadDataset();
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
    for (const [module, rows] of orderByRefs(this.#seed.dataset, refOf)) {
      const store = this.store(module);
      if (store === undefined) continue;
      const ids: string[] = [];
      for (const row of rows) {
        const input = resolve(row) as Record<string, unknown>;
        const out = this.recordStore.insert(store, input, this.currentUserId);
        // Seed rows the validator refuses are stored as given rather than silently lost.
        ids.push(out.ok ? out.record.id : this.recordStore.insertTrusted(store, input, this.currentUserId).id);
      }
      inserted.set(store.name.toLowerCase(), ids);
    }
  }

  // ---------------------------------------------------------------- accessors

  get currentUserId(): string {
    return this.directory.currentUserId;
  }

  get offset(): number {
    return this.options.timezoneOffsetMinutes;
  }

  /** The seed's metadata, with the directory's current users, roles, profiles and org. */
  get seedData(): SeedData {
    const d = this.directory;
    return { ...this.#seed, users: d.users, roles: d.roles, profiles: d.profiles, org: d.org };
  }

  nextId(): string {
    return this.ids.next();
  }

  nowString(): string {
    return formatZohoDateTime(this.options.now(), this.offset);
  }

  /** The store of an API module, by case-insensitive api name. */
  store(module: string): ModuleStore | undefined {
    return this.recordStore.module(module);
  }

  stores(): ModuleStore[] {
    return this.recordStore.modules();
  }

  /** The module store holding a live record id. */
  storeOf(id: string): ModuleStore | undefined {
    return this.recordStore.moduleOf(id);
  }

  users(): Record<string, unknown>[] {
    return this.directory.users.map((u) => ({ ...u }));
  }

  user(id: string): Record<string, unknown> | undefined {
    return this.directory.user(id);
  }

  userRef(id: string, withEmail = true): UserRef {
    return this.directory.userRef(id, withEmail);
  }

  registerFunction(apiName: string, handler: FunctionHandler): void {
    this.functions.register(apiName, handler);
  }

  functionHandler(apiName: string): FunctionHandler | undefined {
    return this.functions.get(apiName);
  }

  // ---------------------------------------------------------------- public test API

  /** Inserts records as the given user (default current) and returns them as stored; throws on invalid input. */
  insert(module: string, records: Record<string, unknown>[], userId?: string): Record<string, unknown>[] {
    const store = this.requireStore(module);
    return records.map((input, i) => {
      const out = this.recordStore.insert(store, input, userId ?? this.currentUserId);
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
    const store = this.requireStore(module);
    const start = store.records.size;
    // One shared time and user reference keeps 100,000 inserts to a couple of allocations each.
    const ctx = this.recordStore.context(this.currentUserId);
    for (let i = 0; i < count; i += 1) {
      const values = generateValues(store.def, start + i, this.options.seed);
      if (values['Owner'] === undefined) values['Owner'] = ctx.by;
      this.recordStore.insertTrusted(store, values, this.currentUserId, ctx);
    }
  }

  /** Copies of a module's live records, in id order. */
  records(module: string): Record<string, unknown>[] {
    const store = this.requireStore(module);
    return [...store.records.values()].map((r) => structuredClone(r));
  }

  /** The store of a module that must exist (throws naming the module otherwise). */
  requireStore(module: string): ModuleStore {
    const store = this.store(module);
    if (store === undefined) throw new Error(`Unknown module '${module}'. Use a module api name such as 'Leads'.`);
    return store;
  }

  /** Back to the seed: the seed is loaded again from the first id, then every table resets. */
  reset(): void {
    this.ids.restart();
    this.#seed = loadSeed(this.ids.generator, this.options.seed, this.options.now());
    this.tables.reset();
    if (!this.options.emptyModules) this.#loadDataset();
  }

  // ---------------------------------------------------------------- record writes

  /** Display value used as `name` in lookups to this record. */
  displayName(store: ModuleStore, record: Record<string, unknown>): string | null {
    return this.recordStore.displayName(store, record);
  }

  /** A `{name,id}` reference to a live record. */
  recordRef(id: string): { name: string | null; id: string } | undefined {
    return this.recordStore.recordRef(id);
  }

  insertItem(store: ModuleStore, input: unknown, userId: string): WriteOutcome {
    if (!isObject(input)) return { ok: false, error: errorBody('INVALID_DATA', MSG.invalidData, {}) };
    return this.recordStore.insert(store, input, userId);
  }

  updateItem(store: ModuleStore, id: string, input: unknown, userId: string): WriteOutcome {
    if (!isObject(input)) return { ok: false, error: errorBody('INVALID_DATA', MSG.invalidData, {}) };
    return this.recordStore.update(store, id, input, userId);
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

  /** Marks a record modified (after tag or photo changes). */
  touch(store: ModuleStore, record: CrmRecord, userId: string): void {
    this.recordStore.touch(store, record, userId);
  }

  /** Finds a live record whose field equals the value (indexed for unique fields, scanned otherwise). */
  findBy(store: ModuleStore, fieldName: string, value: unknown): CrmRecord | undefined {
    return this.recordStore.findBy(store, fieldName, value);
  }

  /** Moves a record to the recycle bin and drops its many-to-many links. */
  deleteRecord(store: ModuleStore, id: string, userId: string): boolean {
    if (!this.recordStore.delete(store, id, userId, this.nowString())) return false;
    this.links.removeRecord(id);
    return true;
  }

  /** Converts a lead (wire spec §5.9); returns the new/used ids or a failure. */
  convertLead(lead: CrmRecord, options: Record<string, unknown>, userId: string): ConvertOutcome {
    return convertLead(this, lead, options, userId);
  }

  // ---------------------------------------------------------------- snapshot

  /** Every table's data, JSON-compatible: `{ format, seed, tables: { [table name]: data } }`. */
  snapshot(): SnapshotShape {
    return { format: SNAPSHOT_FORMAT, seed: this.options.seed, tables: this.tables.snapshot() };
  }

  static restore(snapshot: unknown, options: CrmStateOptions): CrmState {
    const snap = snapshot as Partial<SnapshotShape> | null | undefined;
    const format: unknown = snap?.format;
    if ((format !== SNAPSHOT_FORMAT && format !== 1) || typeof snap?.seed !== 'number') {
      throw new Error(
        `Cannot restore the CRM state: the snapshot has format ${JSON.stringify(format)}, and this emulator reads formats 1 and ${SNAPSHOT_FORMAT}. Start from a fresh state (a new --persist file) instead.`,
      );
    }
    const state = new CrmState({ ...options, seed: snap.seed, emptyModules: true });
    state.options.emptyModules = options.emptyModules ?? false;
    state.tables.restore(format === 1 ? legacySnapshotTables(snapshot as Record<string, unknown>) : snap.tables ?? {});
    return state;
  }
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
