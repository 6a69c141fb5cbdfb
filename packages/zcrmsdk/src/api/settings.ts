import { ConfigError } from '../errors.js';
import { assertModuleName } from '../internal/path.js';
import { APIResource, type RequestSender } from './resource.js';

/** How long module metadata stays cached: 5 minutes. */
export const DEFAULT_METADATA_CACHE_TTL_MS = 5 * 60_000;

/** Options of the metadata cache behind `crm.settings`. */
export interface MetadataCacheOptions {
  /** How long a metadata reply is reused, in ms; 0 turns the cache off, `Infinity` keeps replies until invalidated. @default DEFAULT_METADATA_CACHE_TTL_MS (5 minutes) */
  ttlMs?: number | undefined;
  /** The clock, epoch ms (tests). @default Date.now */
  now?: (() => number) | undefined;
}

/** Per-call options of the settings methods. */
export interface SettingsCallOptions {
  /** Skip the cache and ask Zoho again (the fresh reply is cached). @default false */
  fresh?: boolean | undefined;
  signal?: AbortSignal | undefined;
}

/** Tags an entry that describes every module (the modules list): any module's invalidation drops it. */
const ANY_MODULE = '*';

interface Entry {
  expires: number;
  value: Promise<unknown>;
  module: string | undefined;
}

/**
 * An in-memory, per-client cache of metadata replies. Keys carry the user (metadata depends on the user's
 * profile) and, for module-scoped metadata, the module; concurrent misses share one request.
 */
export class MetadataCache {
  readonly ttlMs: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, Entry>();

  constructor(options: MetadataCacheOptions = {}) {
    const ttl = options.ttlMs ?? DEFAULT_METADATA_CACHE_TTL_MS;
    if (typeof ttl !== 'number' || Number.isNaN(ttl) || ttl < 0) {
      throw new ConfigError(`metadataCacheTtlMs must be a number of milliseconds >= 0 (0 turns the cache off), not ${String(ttl)}.`, {
        option: 'metadataCacheTtlMs',
      });
    }
    this.ttlMs = ttl;
    this.#now = options.now ?? Date.now;
  }

  /** The cached value for `key`, or the result of `load` (cached unless it fails). Callers get their own copy. */
  async get<T>(key: string, module: string | undefined, load: () => Promise<T>, fresh = false): Promise<T> {
    const now = this.#now();
    let entry = this.#entries.get(key);
    if (entry === undefined || fresh || entry.expires <= now) {
      const value = load();
      entry = { expires: now + this.ttlMs, value, module: module?.toLowerCase() };
      if (this.ttlMs > 0) {
        this.#entries.set(key, entry);
        const mine = entry;
        // A failed load is not remembered: the next call asks again.
        value.catch(() => {
          if (this.#entries.get(key) === mine) this.#entries.delete(key);
        });
      }
    }
    return structuredClone((await entry.value) as T);
  }

  /** Forgets everything about `module` (case-insensitive, every user) and the modules list, or everything when no module is given. */
  invalidate(module?: string): void {
    if (module === undefined) {
      this.#entries.clear();
      return;
    }
    const m = module.toLowerCase();
    for (const [key, entry] of this.#entries) if (entry.module === m || entry.module === ANY_MODULE) this.#entries.delete(key);
  }

  /** How many replies are cached (for diagnostics). */
  get size(): number {
    return this.#entries.size;
  }
}

/** A module as `GET /settings/modules` describes it; Zoho's key names, extra keys kept. */
export interface ZohoModule {
  id: string;
  api_name: string;
  module_name?: string;
  singular_label?: string;
  plural_label?: string;
  api_supported?: boolean;
  generated_type?: string;
  creatable?: boolean;
  editable?: boolean;
  deletable?: boolean;
  viewable?: boolean;
  [key: string]: unknown;
}

/** One picklist option of a field. */
export interface ZohoPicklistValue {
  display_value: string;
  actual_value?: string;
  sequence_number?: number;
  [key: string]: unknown;
}

/** A field as `GET /settings/fields?module=X` describes it. */
export interface ZohoField {
  id: string;
  api_name: string;
  field_label?: string;
  display_label?: string;
  data_type: string;
  json_type?: string;
  length?: number;
  custom_field?: boolean;
  system_mandatory?: boolean;
  read_only?: boolean;
  visible?: boolean;
  pick_list_values?: ZohoPicklistValue[];
  lookup?: { module?: unknown; api_name?: string; id?: string; [key: string]: unknown } | null;
  [key: string]: unknown;
}

/** A layout of a module. */
export interface ZohoLayout {
  id: string;
  name?: string;
  sections?: Record<string, unknown>[];
  [key: string]: unknown;
}

/** A custom view (list view) of a module. */
export interface ZohoCustomView {
  id: string;
  name?: string;
  display_value?: string;
  default?: boolean;
  criteria?: unknown;
  [key: string]: unknown;
}

/** A related list of a module (`api_name` is what `crm.related(module, id, relatedList)` takes). */
export interface ZohoRelatedList {
  id: string;
  api_name: string;
  display_label?: string;
  module?: unknown;
  name?: string;
  type?: string;
  [key: string]: unknown;
}

/** A role of the org. */
export interface ZohoRole {
  id: string;
  name: string;
  display_label?: string;
  reporting_to?: { name: string; id: string } | null;
  admin_user?: boolean;
  [key: string]: unknown;
}

/** A profile of the org. */
export interface ZohoProfile {
  id: string;
  name: string;
  display_label?: string;
  default?: boolean;
  category?: boolean | string;
  [key: string]: unknown;
}

/** Options of `fields(module, ...)`. */
export interface FieldsOptions extends SettingsCallOptions {
  /** `all` (default) or `unused` fields. */
  type?: 'all' | 'unused' | undefined;
}

type Reply = Record<string, unknown> & { info?: { more_records?: boolean } };

/** Zoho's custom views page size. */
const CUSTOM_VIEWS_PER_PAGE = 200;

/**
 * `crm.settings`: the org's metadata (modules, fields, layouts, custom views, related lists, roles, profiles).
 * Replies are cached in memory per client and user for `metadataCacheTtlMs` (default 5 minutes); call
 * `invalidate(module?)` after changing metadata, or pass `{ fresh: true }`.
 */
export class SettingsResource extends APIResource {
  readonly cache: MetadataCache;

  constructor(client: RequestSender, cache: MetadataCache = new MetadataCache()) {
    super(client);
    this.cache = cache;
  }

  /** Every module of the org (`GET /settings/modules`). */
  async modules(opts: SettingsCallOptions = {}): Promise<ZohoModule[]> {
    return this.#list<ZohoModule>('modules', ['settings', 'modules'], undefined, ANY_MODULE, opts, '');
  }

  /** One module by API name (`GET /settings/modules/{api_name}`). */
  async module(apiName: string, opts: SettingsCallOptions = {}): Promise<ZohoModule | undefined> {
    const name = assertModuleName(apiName);
    const list = await this.#list<ZohoModule>('modules', ['settings', 'modules', name], undefined, name, opts, `module:${name.toLowerCase()}`);
    return list[0];
  }

  /** The fields of a module (`GET /settings/fields?module=X`). */
  async fields(module: string, opts: FieldsOptions = {}): Promise<ZohoField[]> {
    const name = assertModuleName(module);
    const query = opts.type === undefined ? { module: name } : { module: name, type: opts.type };
    return this.#list<ZohoField>('fields', ['settings', 'fields'], query, name, opts, `fields:${opts.type ?? ''}`);
  }

  /** The layouts of a module (`GET /settings/layouts?module=X`). */
  async layouts(module: string, opts: SettingsCallOptions = {}): Promise<ZohoLayout[]> {
    const name = assertModuleName(module);
    return this.#list<ZohoLayout>('layouts', ['settings', 'layouts'], { module: name }, name, opts, 'layouts');
  }

  /** Every custom view of a module, all pages (`GET /settings/custom_views?module=X`). */
  async customViews(module: string, opts: SettingsCallOptions = {}): Promise<ZohoCustomView[]> {
    const name = assertModuleName(module);
    return this.#cached('custom_views', name, opts, async () => {
      const all: ZohoCustomView[] = [];
      for (let page = 1; ; page++) {
        const reply = await this.#get(['settings', 'custom_views'], { module: name, page, per_page: CUSTOM_VIEWS_PER_PAGE }, opts);
        const items = listOf<ZohoCustomView>(reply, 'custom_views');
        all.push(...items);
        if (reply?.info?.more_records !== true || items.length === 0) return all;
      }
    });
  }

  /** The related lists of a module (`GET /settings/related_lists?module=X`). */
  async relatedLists(module: string, opts: SettingsCallOptions = {}): Promise<ZohoRelatedList[]> {
    const name = assertModuleName(module);
    return this.#list<ZohoRelatedList>('related_lists', ['settings', 'related_lists'], { module: name }, name, opts, 'related_lists');
  }

  /** The org's roles (`GET /settings/roles`). Org-wide: cached once for every user of this client. */
  async roles(opts: SettingsCallOptions = {}): Promise<ZohoRole[]> {
    return this.#list<ZohoRole>('roles', ['settings', 'roles'], undefined, undefined, opts, '', true);
  }

  /** The org's profiles (`GET /settings/profiles`). Org-wide: cached once for every user of this client. */
  async profiles(opts: SettingsCallOptions = {}): Promise<ZohoProfile[]> {
    return this.#list<ZohoProfile>('profiles', ['settings', 'profiles'], undefined, undefined, opts, '', true);
  }

  /**
   * Forgets cached metadata, for every user of this client: of one module (its fields, layouts, custom views,
   * related lists, its module entry and the modules list) or, with no argument, everything.
   */
  invalidate(module?: string): void {
    this.cache.invalidate(module === undefined ? undefined : assertModuleName(module));
  }

  #list<T>(
    key: string,
    path: string[],
    query: Record<string, string> | undefined,
    module: string | undefined,
    opts: SettingsCallOptions,
    variant: string,
    orgWide = false,
  ): Promise<T[]> {
    return this.#cached(`${key}:${variant}`, module, opts, async () => listOf<T>(await this.#get(path, query, opts), key), orgWide);
  }

  #cached<T>(key: string, module: string | undefined, opts: SettingsCallOptions, load: () => Promise<T>, orgWide = false): Promise<T> {
    const { config } = this.client;
    const who = orgWide ? '' : config.userId;
    const full = [config.apiUrl, config.apiVersion, who, module?.toLowerCase() ?? '', key].map((p) => encodeURIComponent(p)).join('|');
    return this.cache.get(full, module, load, opts.fresh === true);
  }

  async #get(path: string[], query: Record<string, string | number> | undefined, opts: SettingsCallOptions): Promise<Reply | undefined> {
    return this.client.requestJson<Reply>({
      method: 'GET',
      path,
      query,
      signal: opts.signal,
    });
  }
}

/** `reply[key]` as a list; a 204 (nothing) is an empty list. */
function listOf<T>(reply: Reply | undefined, key: string): T[] {
  const list = reply?.[key];
  return Array.isArray(list) ? (list as T[]) : [];
}
