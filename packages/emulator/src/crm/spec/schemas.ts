/**
 * Schemas of the description, parsed on first use, and two ajv instances over them: `responses` (Zoho's
 * schemas as given) and `requests` (their request form, see `requestForm`). Validators are compiled once per schema, lazily, so
 * start-up stays fast.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { SCHEMA_DOCUMENTS } from '../../generated/schemas.js';
import type { Schema } from './types.js';
import { applyWireTypes } from './wire-types.js';

interface AreaDocument {
  $id: string;
  schemas: Record<string, Schema>;
}

/** Keys Zoho sets on its own: a client never has to send them, whatever the OAS `required` says. */
export const SERVER_KEYS: ReadonlySet<string> = new Set([
  'id',
  'created_time',
  'modified_time',
  'created_by',
  'modified_by',
  'Created_Time',
  'Modified_Time',
  'Created_By',
  'Modified_By',
  'last_modified_time',
  'last_modified_by',
  // A share's origin and author (share_records' Share_Record, reused as the request body).
  'shared_through',
  'shared_by',
]);

/**
 * Keys of one schema that a request need not send although the OAS lists them as required: Zoho fills them
 * in (a backup's schedule and requester, an absence's third-party calendar ids), or the schema is really a choice (an audit-log criterion is either
 * a condition or a group of them). Keyed by `<area>#/schemas/<Name>`; `'*'` makes every key optional.
 */
export const REQUEST_OPTIONAL_KEYS: Readonly<Record<string, readonly string[]>> = {
  'backup#/schemas/backup': ['scheduled_date', 'status', 'requester'],
  'audit_log_export#/schemas/Criteria': ['field', 'comparator', 'value', 'group_operator', 'group'],
  'scoring_rules#/schemas/Criteria': ['field', 'comparator', 'value', 'group_operator', 'group'],
  // A shift's custom timing applies only when it is not the same every day; its user count, holidays and
  // breaks are Zoho's or optional; a shift's user is named by id (Zoho's docs send only the id).
  'shift_hours#/schemas/shift_hours': ['custom_timing', 'break_hours', 'holidays', 'users_count'],
  'shift_hours#/schemas/users': ['role', 'name', 'email', 'zuid', 'effective_from'],
  // A module in a request is a reference (api_name or id, e.g. a scoring rule's) or a new custom module
  // (labels, profiles): the OAS's list of about sixty keys is a reply's.
  'modules#/schemas/modules': ['*'],
  // A criteria-based rule shares the records its criteria match: shared_from (the owners) is for owner-based ones.
  'sharing_rules#/schemas/Sharing_Rules': ['shared_from'],
  // Zoho's docs: a scoring rule scores by field rules, signal rules or both.
  'scoring_rules#/schemas/Scoring_Rule': ['signal_rules'],
  // Zoho's docs: the rule criteria are optional; the api name is derived from the name.
  'territories#/schemas/territories': ['account_rule_criteria', 'deal_rule_criteria', 'api_name'],
  // Counted by Zoho from the group's sources.
  'user_groups#/schemas/groups': ['sources_count'],
  // Zoho's own create samples send name, api_name, variable_group, type, value and description only.
  'variables#/schemas/variable': ['source'],
  // An enrichment's status and enriched data are Zoho's answer to the request.
  'zia_org_enrichment#/schemas/zia_org_enrichment': ['status'],
  'zia_people_enrichment#/schemas/zia_people_enrichment': ['status', 'enriched_data'],
  // A third-party calendar's ids: set when Zoho syncs an absence from a connected calendar, never by the client.
  'users_unavailability#/schemas/Users_Unavailability': ['tp_calendar_id', 'tp_event_id'],
  // One wrapper serves tags on one record (named in the path) and on several (ids in the body, which the
  // record routes require there); Zoho's docs make over_write optional (false).
  'tags#/schemas/New_Tag_Request_Wrapper': ['over_write', 'ids'],
  'tags#/schemas/Existing_Tag_Request_Wrapper': ['ids'],
};

const parsed = new Map<string, AreaDocument>();

function documentOf(area: string): AreaDocument | undefined {
  let doc = parsed.get(area);
  if (doc === undefined) {
    const text = SCHEMA_DOCUMENTS[area];
    if (text === undefined) return undefined;
    doc = JSON.parse(text) as AreaDocument;
    applyWireTypes(area, doc.schemas);
    parsed.set(area, doc);
  }
  return doc;
}

/** The schema a `"<area>#/schemas/<Name>"` reference names, or undefined. */
export function resolveRef(ref: string): Schema | undefined {
  const m = /^([^#]+)#\/schemas\/(.+)$/.exec(ref);
  if (m === null) return undefined;
  return documentOf(m[1] ?? '')?.schemas[m[2] ?? ''];
}

/** Follows `$ref`s (a chain of them) to a concrete schema. */
export function deref(schema: Schema): Schema {
  let s = schema;
  for (let i = 0; i < 16 && s.$ref !== undefined; i += 1) s = resolveRef(s.$ref) ?? {};
  return s;
}

/**
 * The request form of a schema. Zoho's OAS reuses reply shapes as request bodies, with `required` lists and
 * `pattern`s taken from one sample org, so for requests: keys Zoho fills in (SERVER_KEYS and `$`-keys), booleans and
 * nullable keys are not required; patterns are not enforced; a bare `{type: object}` (Zoho's placeholder,
 * e.g. a notification's `channel_id`, really a number) accepts any value.
 */
function requestForm(value: unknown, optional: readonly string[] = []): unknown {
  if (Array.isArray(value)) return value.map((v) => requestForm(v));
  if (value === null || typeof value !== 'object') return value;
  const src = value as Record<string, unknown>;
  if (src['type'] === 'object' && src['properties'] === undefined && src['additionalProperties'] === undefined) return {};
  const props = (src['properties'] ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(src)) {
    if (k === 'pattern' && typeof v === 'string') continue;
    if (k === 'required' && Array.isArray(v)) {
      out[k] = v.filter((n) => {
        const p = props[String(n)];
        return !SERVER_KEYS.has(String(n)) && !optional.includes('*') && !optional.includes(String(n)) && !String(n).startsWith('$') && p?.['type'] !== 'boolean' && p?.['nullable'] !== true;
      });
      continue;
    }
    out[k] = k === 'enum' ? v : requestForm(v);
  }
  return out;
}

/** An area document in request form, each schema with its REQUEST_OPTIONAL_KEYS. */
function requestDocument(doc: AreaDocument): AreaDocument {
  const schemas = Object.fromEntries(Object.entries(doc.schemas).map(([name, schema]) => [name, requestForm(schema, REQUEST_OPTIONAL_KEYS[`${doc.$id}#/schemas/${name}`]) as Schema]));
  return { ...doc, schemas };
}

function makeAjv(forRequests: boolean): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: true, logger: false });
  addFormats(ajv, ['date', 'date-time']);
  for (const f of ['int32', 'int64', 'double', 'float']) ajv.addFormat(f, true);
  for (const area of Object.keys(SCHEMA_DOCUMENTS)) {
    const doc = documentOf(area);
    if (doc !== undefined) ajv.addSchema((forRequests ? requestDocument(doc) : doc) as object, area);
  }
  return ajv;
}

let responseAjv: Ajv | undefined;
let requestAjv: Ajv | undefined;
const responseCache = new WeakMap<Schema, ValidateFunction>();
const requestCache = new WeakMap<Schema, ValidateFunction>();

/** A validator for a reply schema, exactly as Zoho's OAS gives it. */
export function responseValidator(schema: Schema): ValidateFunction {
  let v = responseCache.get(schema);
  if (v === undefined) {
    responseAjv ??= makeAjv(false);
    v = responseAjv.compile(schema);
    responseCache.set(schema, v);
  }
  return v;
}

/** A validator for a request body schema (server-filled keys not required). */
export function requestValidator(schema: Schema): ValidateFunction {
  let v = requestCache.get(schema);
  if (v === undefined) {
    requestAjv ??= makeAjv(true);
    v = requestAjv.compile(requestForm(schema) as Schema);
    requestCache.set(schema, v);
  }
  return v;
}
