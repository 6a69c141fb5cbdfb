/**
 * The emulator's version table: one place that says, per endpoint and API version, which parameters are
 * mandatory, which keys a reply carries and which wire behaviours changed, so v2 and v8 differ where Zoho's
 * do and nowhere else. Every entry names the first version it applies to (`since`); a request on `/crm/vN`
 * gets every rule with `since <= N`. Where a choice was made, the comment cites the Zoho page (or the
 * `@zohocrm/typescript-sdk-8.0` 3.0.0 model, `dist/config/json_details.json`) it follows. Versions between
 * two documented points keep the older shape unless a source says otherwise.
 */
import type { CrmRequest } from '../http-types.js';

/** The API version as a number (`v2` → 2, `v2.1` → 2.1, `v8` → 8). */
export function versionNumber(version: string): number {
  const n = Number.parseFloat(version.replace(/^v/i, ''));
  return Number.isFinite(n) ? n : 2;
}

/** Wire behaviours that changed between versions, with the first version that has them. */
export const SINCE = {
  /**
   * `page_token` / `next_page_token` / `previous_page_token` / `page_token_expiry`, and the 2,000-record cap
   * on `page` (DISCRETE_PAGINATION_LIMIT_EXCEEDED): v3+ Get Records
   * (https://www.zoho.com/crm/developer/docs/api/v3/get-records.html; wire spec §11).
   */
  pageToken: 3,
  /** `info.sort_by` / `info.sort_order` on list replies (v3+ Get Records sample responses). */
  listSortInfo: 3,
  /** Unknown names in `fields=` are INVALID_DATA on v3+ (v8 Get Records error table). */
  validateFieldsParam: 3,
  /** Per-item error details carry `json_path` (v3+ insert/update error samples; wire spec §11). */
  jsonPath: 3,
  /** A multi-record write with some failures answers 207 (v8 OAS; wire spec §13); v2 is configurable. */
  mixed207: 3,
  /** Photo and related-record messages were reworded (wire spec §11, v8 examples). */
  newMessages: 3,
  /** COQL returns up to 2,000 rows per call (https://www.zoho.com/crm/developer/docs/api/v4/COQL-Overview.html). */
  coql2000: 4,
  /** Convert Lead answers in the code/details/message/status envelope (v8 Convert Lead sample). */
  wrappedConvert: 8,
  /**
   * Tag results on records name each tag as `{name, id}` (v8 OAS, tags.json: the record action reply's
   * `details.tags`); v2 lists names (wire spec §9.3). Versions between are unverified and keep names.
   */
  tagObjects: 8,
} as const;

export type Feature = keyof typeof SINCE;

/** True when the request's version has the feature. */
export function has(feature: Feature, version: string): boolean {
  return versionNumber(version) >= SINCE[feature];
}

/** Endpoints whose parameters or reply keys depend on the version. */
export type Endpoint =
  | 'records.list'
  | 'attachments.list'
  | 'notes.list'
  | 'related.list'
  | 'users'
  | 'org'
  | 'settings.fields'
  | 'settings.related_lists';

interface MandatoryParam {
  param: string;
  since: number;
}

/**
 * Parameters that become mandatory. Missing → 400 REQUIRED_PARAM_MISSING `{"param_name": …}`.
 * - records.list `fields`: v3+ Get Records marks it mandatory
 *   (https://www.zoho.com/crm/developer/docs/api/v8/get-records.html).
 * - attachments.list `fields`: v3+ Get Attachments marks it mandatory
 *   (https://www.zoho.com/crm/developer/docs/api/v8/get-attachments.html); the v8 SDK's
 *   GetAttachmentsParam.FIELDS expects the same error when it is left out.
 * - notes.list (`/{module}/{id}/Notes`; `/Notes` is a records list) `fields`: "fields string, mandatory" from
 *   v3 Get Notes on (https://www.zoho.com/crm/developer/docs/api/v3/get-notes.html, same on v8).
 * - related.list `fields`: "fields string, mandatory" in v5..v8 Get Related Records
 *   (https://www.zoho.com/crm/developer/docs/api/v5/get-related-records.html); v3/v4 unverified, kept optional.
 */
export const MANDATORY_PARAMS: Readonly<Partial<Record<Endpoint, readonly MandatoryParam[]>>> = {
  'records.list': [{ param: 'fields', since: 3 }],
  'attachments.list': [{ param: 'fields', since: 3 }],
  'notes.list': [{ param: 'fields', since: 3 }],
  'related.list': [{ param: 'fields', since: 5 }],
};

/** The first mandatory parameter the request lacks (answer it with `paramMissing`), if any. */
export function missingParam(endpoint: Endpoint, req: CrmRequest): string | undefined {
  const n = versionNumber(req.version);
  for (const rule of MANDATORY_PARAMS[endpoint] ?? []) {
    if (n < rule.since) continue;
    const value = req.query[rule.param];
    if (value === undefined || value.trim() === '') return rule.param;
  }
  return undefined;
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** How a reply object changes from `since` on: keys dropped, keys added (computed from the v2 object). */
interface KeyRule {
  since: number;
  drop?: readonly string[];
  add?: (v2: Obj, context: ShapeContext) => Obj;
}

/** What a rule may need besides the object itself. */
export interface ShapeContext {
  /** The module's first layout (fields' `layout_associations`). */
  layout?: { id: string; name: string } | undefined;
  /** Epoch ms of the emulated org's creation, formatted by the caller. */
  createdTime?: string | undefined;
  /** The id of a module by API name (related lists' `module` object), or null when it has none. */
  moduleId?: ((apiName: unknown) => string | null) | undefined;
}

/** `ui_type` codes as Zoho's v8 Fields Meta Data samples show them; other types get 1 (single line). */
const UI_TYPES: Readonly<Record<string, number>> = { ownerlookup: 8, text: 1, textarea: 110, profileimage: 66 };
const NOT_SORTABLE = new Set(['textarea', 'profileimage', 'subform', 'multiselectpicklist', 'multiselectlookup', 'fileupload', 'imageupload']);

/**
 * Reply keys by version.
 * - users, v7+: `name_format__s`, `sort_order_preference__s`, `status_reason__s`, `number_separator`,
 *   `category`, `sandboxDeveloper` and the shift keys; no `name_format` and no `territories`
 *   (v7 Get Users / territory users samples, https://www.zoho.com/crm/developer/docs/api/v7/get-users.html;
 *   the v8 SDK's `users/users` model has exactly these keys).
 * - org, v4+: `deletable_org_account` (https://www.zoho.com/crm/developer/docs/api/v4/get-org-data.html);
 *   v5+: `hipaa_compliance_enabled`, `lite_users_enabled`, `hierarchy_preferences`
 *   (v5 Get Organization sample, https://www.zoho.com/crm/developer/docs/api/v5/get-org-data.html);
 *   v6+: `type` (production|sandbox|bigin|developer) and `created_time`
 *   (https://www.zoho.com/crm/developer/docs/api/v6/get-org-data.html); v8: `max_per_page` (the v8 SDK's
 *   `org/org` model, `Org.getMaxPerPage`).
 * - settings.fields, v8: `display_type`, `ui_type`, `sortable`, `filterable`, `searchable`, `created_time`,
 *   `modified_time`, `type`, `operation_type`, `layout_associations` and the other v8-only keys,
 *   `lookup.module` as `{api_name, id}` and a subform's module as `associated_module` (the v8 SDK's `fields/lookup`
 *   and `modules/minified_module` models, which its record calls read); no
 *   `section_id`, `transition_sequence`, `personality_name` or layout-specific `mandatory` (v8 Fields Meta
 *   Data, https://www.zoho.com/crm/developer/docs/api/v8/field-meta.html: "The response does not contain
 *   layout-specific fields like mandatory fields"; its sample and the v8 SDK's `fields/fields` model). v3..v7
 *   keep the v2 shape: no source at hand shows when each key appeared.
 * - settings.related_lists, v8: `module` is `{api_name, id}` instead of the module's name, plus
 *   `customize_display_label`, `customize_fields`, `customize_sort` (v8 Related Lists Meta Data sample; the v8
 *   SDK's `related_lists/related_list` model reads `module` as a `module_map` and fails on a string).
 */
export const REPLY_KEYS: Readonly<Partial<Record<Endpoint, readonly KeyRule[]>>> = {
  users: [
    {
      since: 7,
      drop: ['name_format', 'territories'],
      add: (u) => ({
        name_format__s: u['name_format'] ?? 'Salutation,First Name,Last Name',
        sort_order_preference__s: 'First Name,Last Name',
        status_reason__s: null,
        number_separator: 'Comma',
        sandboxDeveloper: false,
        category: 'regular_user',
        $shift_effective_from: null,
        $current_shift: null,
        $next_shift: null,
      }),
    },
  ],
  org: [
    { since: 4, add: () => ({ deletable_org_account: false }) },
    {
      since: 5,
      add: () => ({ hipaa_compliance_enabled: false, lite_users_enabled: false, hierarchy_preferences: { type: 'Role_Hierarchy' } }),
    },
    { since: 6, add: (_org, c) => ({ type: 'production', created_time: c.createdTime ?? null }) },
    { since: 8, add: () => ({ max_per_page: 200 }) },
  ],
  'settings.related_lists': [{ since: 8, add: (rl, c) => relatedListModule(rl, c) }],
  'settings.fields': [
    {
      since: 8,
      drop: ['section_id', 'transition_sequence', 'personality_name', 'mandatory'],
      add: (f, c) => {
        const type = String(f['data_type']);
        const writable = f['read_only'] !== true;
        const lookup = f['lookup'];
        const target = isObj(lookup) ? lookup['module'] : undefined;
        const subform = f['subform'];
        const subModule = isObj(subform) ? subform['module'] : undefined;
        return {
          // v8 names modules as objects: lookup.module {api_name, id}; a subform's module in associated_module.
          ...(typeof target === 'string' && isObj(lookup) ? { lookup: { ...lookup, module: { api_name: target, id: c.moduleId?.(target) ?? null } } } : {}),
          associated_module: typeof subModule === 'string' ? { module: subModule, id: c.moduleId?.(subModule) ?? null } : null,
          display_type: -1,
          ui_type: UI_TYPES[type] ?? 1,
          sortable: !NOT_SORTABLE.has(type),
          filterable: type !== 'profileimage',
          searchable: type !== 'profileimage' && type !== 'subform',
          created_time: null,
          modified_time: null,
          type: f['visible'] === false ? 'unused' : 'used',
          operation_type: { web_update: writable, api_create: writable, web_create: writable, api_update: writable },
          layout_associations: c.layout === undefined ? [] : [{ api_name: `${c.layout.name}__s`, name: c.layout.name, id: c.layout.id }],
          colour_code_enabled_by_system: false,
          enable_colour_code: false,
          customizable_properties: f['system_mandatory'] === true ? null : [],
          virtual_field: false,
          separator: false,
          external: null,
          display_field: false,
          pick_list_values_sorted_lexically: false,
          global_picklist: null,
          rollup_summary: {},
          hipaa_compliance: null,
          hipaa_compliance_enabled: false,
        };
      },
    },
  ],
};

/** The v8 related-list `module` object (and the customize flags) from the v2 name. */
const relatedListModule = (rl: Obj, c: ShapeContext): Obj => {
  const name = rl['module'];
  if (typeof name !== 'string') return {};
  return { module: { api_name: name, id: c.moduleId?.(name) ?? null }, customize_display_label: false, customize_fields: false, customize_sort: false };
};

/** The object as `endpoint` on `version` carries it: a copy with the version's keys (the input is untouched). */
export function shapeReply(endpoint: Endpoint, version: string, object: Obj, context: ShapeContext = {}): Obj {
  const n = versionNumber(version);
  let out: Obj = object;
  for (const rule of REPLY_KEYS[endpoint] ?? []) {
    if (n < rule.since) continue;
    if (out === object) out = { ...object };
    if (rule.add !== undefined) Object.assign(out, rule.add(object, context));
    for (const key of rule.drop ?? []) delete out[key];
  }
  return out;
}
