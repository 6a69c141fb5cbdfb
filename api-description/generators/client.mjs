// Writes packages/zcrmsdk/src/api/generated/ from the API description: per Zoho area one file with the
// area's types (named after Zoho's schemas) and one resource class (one small method per operation), the
// lazy accessors of ZohoCRM and crm.records(module), and the operations manifest. Facts only: JSDoc names
// the operation, method + path, scopes and error codes, never prose from the OAS.
import { loadDescription } from '../load.mjs';
import { schemaHomes } from './lib/schema-homes.mjs';

/** Output folder, relative to the repository root. */
export const owns = ['packages/zcrmsdk/src/api/generated'];
const OUT = owns[0];

// ---------------------------------------------------------------------------------------------------- naming

/** Path parameters that name the module: their operations hang off `crm.records(module)`. */
const MODULE_PARAMS = new Set(['module', 'module_api_name', 'module_name', 'moduleName']);

/** Record-level areas that read best as a sub-resource of `crm.records(module)`, bound to their leading ids. */
const SUB_RESOURCES = {
  attachments: 'attachments',
  blueprint: 'blueprint',
  email_drafts: 'emailDrafts',
  email_related_records: 'emails',
  record_locking: 'locks',
  related_records: 'related',
  share_records: 'sharing',
};

/** Client resources whose name is not the area's camelCase. */
const RESOURCE_NAMES = {
  apis: 'supportedApis',
  composite_requests: 'composite',
  features: 'features',
  org: 'org',
  portals_meta: 'portalsMeta',
  users_territories: 'userTerritories',
  user_type_users: 'portalUserTypeUsers',
};

/** Resource names taken by a hand-written method of ZohoCRM: the resource is callable as that method too. */
export const CALLABLE_RESOURCES = ['coql', 'org', 'tags', 'users'];

/**
 * Method names where the naming rule (list/get/create/update/delete, then the operation's own verb) needs
 * judgement: Zoho's operationId, or a path whose last segment is not the verb. Keyed `<area>/<operationId>`.
 */
const METHOD_NAMES = {
  'record/Get Records': 'list',
  'record/Get Record': 'get',
  'record/Create Records': 'create',
  'record/Update Records': 'update',
  'record/Update Record': 'update',
  'record/Delete Records': 'delete',
  'record/Delete Record': 'delete',
  'record/Upsert Records': 'upsert',
  'record/Search Records': 'search',
  'record/Get Deleted Records': 'deleted',
  'record/Get Record Using External ID': 'getByExternalId',
  'record/Update Record Using External ID': 'updateByExternalId',
  'record/Delete Record Using External ID': 'deleteByExternalId',
  'record/Get Photo': 'getPhoto',
  'record/Upload Photo': 'uploadPhoto',
  'record/Delete Photo': 'deletePhoto',
  'record/Record Count': 'count',
  'record_count/Create Count': 'countBy',
  'record/Get Full Data For Rich Text': 'getFullData',
  'record/Get Rich Text Records': 'listFullData',
  'record/Get Mass Update Status': 'getMassUpdateStatus',
  'mass_change_owner/Check Status': 'getMassChangeOwnerStatus',
  'mass_delete_cvid/Get Mass Delete Status': 'getMassDeleteStatus',
  'mass_convert/Get Job Status': 'getMassConvertStatus',
  'inventory_mass_convert/Get Scheduled Jobs Details': 'getMassConvertStatus',
  'inventory_mass_convert/Mass Inventory Convert': 'massConvert',
  'portal_invite/Get Bulk Invite Status': 'getPortalInviteStatus',
  'portal_invite/Bulk Invite Users': 'portalInviteMany',
  'portal_invite/Invite Users': 'portalInvite',
  'find_and_merge/Get Record Merge': 'getMergeStatus',
  'deal_contact_roles/Get Associated Contact Roles': 'listDealContactRoles',
  'deal_contact_roles/Get Associated Contact Role': 'getDealContactRole',
  'deal_contact_roles/Associate Contact Role To Deal': 'updateDealContactRole',
  'deal_contact_roles/Delete Associated Contact Roles': 'deleteDealContactRoles',
  'deal_contact_roles/Delete Contact Role Relation': 'deleteDealContactRole',
  'find_and_merge/Merge Records': 'merge',
  'conversion_option/Lead Conversion Options': 'getConversionOptions',
  'convert_lead/Convert Lead': 'convert',
  'cancel_meetings/Cancel Meetings': 'cancelMeeting',
  'download_attachments/Get Download Attachments Details': 'downloadEmailAttachments',
  'download_inline_images/Get Download Inline Images': 'downloadEmailInlineImages',
  'email_sharing_details/Get Email Sharing Details': 'getEmailSharingDetails',
  'field_attachments/Get Field Attachments': 'downloadFieldAttachment',
  'timelines/Get Timelines': 'listTimeline',
  'associate_email/associate': 'associateEmail',
  'associate_email/email_available': 'getEmailAvailability',
  'send_mail/Send Mail': 'sendMail',
  'record_photo/Get Photo': 'getPhoto',
  'record_photo/Upload Photo': 'uploadPhoto',
  'record_photo/Delete Photo': 'deletePhoto',
  'record_share_email/Share Emails': 'shareEmails',
  'record_share_email/UnShare Emails': 'unshareEmails',
  'record_share_email/Share Bulk Emails': 'shareEmailsMany',
  'record_share_email/UnShare Bulk Emails': 'unshareEmailsMany',
  'cadences_execution/Enroll Cadences': 'enrolInCadences',
  'cadences_execution/Unenroll Cadences': 'unenrolFromCadences',
  'scoring_rules/Scoring Rule execution using Rule IDs': 'runScoringRules',
  'contact_roles/Get Roles': 'listContactRoles',
  'contact_roles/Create Roles': 'createContactRoles',
  'contact_roles/Update Roles': 'updateContactRoles',
  'contact_roles/Delete Contact Roles': 'deleteContactRoles',
  'contact_roles/Get Role': 'getContactRole',
  'contact_roles/Update Contact Role': 'updateContactRole',
  'contact_roles/Delete Contact Role': 'deleteContactRole',
  'entity_scores/Get Entity Score': 'getEntityScore',
  'entity_scores/Get Entity Scores': 'listEntityScores',
  'tags/Add Tags': 'addTags',
  'tags/Remove Tags': 'removeTags',
  'tags/Add Tags To Multiple Records': 'addTagsMany',
  'tags/Remove Tags From Multiple Records': 'removeTagsMany',
  'tags/Get Record Count For Tag': 'getRecordCount',
  'tags/Merge Tags': 'merge',
  'tags/Update Tags': 'updateMany',
  'notifications/Enable Notifications': 'enable',
  'notifications/Update Notifications': 'update',
  'notifications/Disable Notification': 'disable',
  'notifications/Get Notifications': 'list',
  'notifications/Delete Notification': 'delete',
  'backup/Get DETAILS': 'get',
  'backup/SCHEDULE': 'schedule',
  'backup/HISTORY': 'listHistory',
  'backup/Get URLS': 'getUrls',
  'backup/Cancel': 'cancel',
  'backup/Download Backed Up Data': 'download',
  'audit_log_export/Download Export Audit Log Result': 'download',
  'bulk_write/Download Bulk Write Result': 'downloadResult',
  'bulk_write/Upload File': 'uploadFile',
  'bulk_read/Download Result': 'downloadResult',
  'files/Upload Files': 'upload',
  'files/Get File': 'download',
  'org/Get Org Photo': 'getPhoto',
  'org/Upload Organization Photo': 'uploadPhoto',
  'org/Delete Organization Photo': 'deletePhoto',
  'coql/Get Records': 'query',
  'composite_requests/composite': 'create',
  'common/dummy': 'get',
  'currencies/Enable Base Currency': 'enableBase',
  'currencies/Update Base Currency': 'updateBase',
  'layouts/Activate Custom Layout': 'activate',
  'layouts/Deactivate Custom Layout': 'deactivate',
  'scoring_rules/Activate Scoring Rule': 'activate',
  'scoring_rules/Deactivate Scoring Rule': 'deactivate',
  'sharing_rules/Activate Rule': 'activate',
  'sharing_rules/Deactivate Rule': 'deactivate',
  'sharing_rules/Search Rule': 'search',
  'sharing_rules/Get Rule Summary': 'getSummary',
  'sharing_rules/Search Rule Summary': 'searchSummary',
  'sharing_rules/Rerun Sharing Rules': 'rerun',
  'profiles/Clone Profiles': 'clone',
  'pipeline/delete pipeline': 'delete',
  'pipeline/Transfer Pipelines': 'transfer',
  'user_groups/GetAssignedGroups': 'listAssigned',
  'user_groups/GetUnassignedGroups': 'listUnassigned',
  'user_groups/Get Status': 'getDeletionJobStatus',
  'user_groups/Get Associate Groups of User': 'listOfUser',
  'users_transfer_delete/Get Status': 'getStatus',
  'users_transfer_delete/Users Transfer and Delete': 'transferAndDeleteMany',
  'users_transfer_delete/User Transfer and Delete': 'transferAndDelete',
  'territories/Transfer And Delete Territories': 'transferAndDeleteMany',
  'territories/Transfer And Delete Territory': 'transferAndDelete',
  'users/Users Count': 'count',
  'variables/Get Variable By APIName': 'getByApiName',
  'variables/Update Variable By APIName': 'updateByApiName',
  'variable_groups/Get Variable Group by API Name': 'getByApiName',
  'modules/Get Module By API Name': 'getByApiName',
  'modules/Update Module By API Name': 'updateByApiName',
  'features/Get Data Enrichment': 'getDataEnrichment',
  'features/Get User Licences Count': 'getUserLicensesCount',
  'user_type_users/Transfer Users of a User Type': 'transfer',
  'user_type_users/Change Users Status': 'changeStatus',
  'mass_delete_tags/Mass Delete Tags': 'massDelete',
  'mass_delete_tags/Get Status': 'getMassDeleteStatus',
  'global_picklists/replace picklist values': 'replaceValues',
  'global_picklists/Get Replace Values': 'listReplacedValues',
  'global_picklists/Get Pick list value Associations': 'listPickListValueAssociations',
  'territories/Get Child Territory': 'listChildren',
  'related_records/Get Related Records Using External ID': 'listByExternalId',
  'related_records/Update Related Records Using External ID': 'updateManyByExternalId',
  'related_records/Delete Related Records Using External ID': 'deleteManyByExternalId',
  'related_records/Get Related Record Using External ID': 'getByExternalId',
  'related_records/Update Related Record Using External ID': 'updateByExternalId',
  'related_records/Delete Related Record Using External ID': 'deleteByExternalId',
  'related_records/Delink Records': 'deleteMany',
  'related_records/Delink Record': 'delete',
  'record_locking/Lock Records': 'create',
  'record_locking/Unlock Record': 'delete',
  'mail_merge/Send Mail Merge': 'sendMailMerge',
  'mail_merge/Download Mail Merge': 'downloadMailMerge',
  'mail_merge/Sign Mail Merge': 'signMailMerge',
  'fields/Update Fields': 'updateMany',
  'business_hours/Get Business Hours': 'get',
  'apis/Get Supported API': 'list',
  'share_records/Get Shared Record Details': 'get',
  'email_compose/Get Email composer default settings': 'get',
  'user_type_users/Get Users of User Type': 'list',
  'change_owner/Mass Update': 'changeOwnerMany',
  'unblock_email/Unblock Emails': 'unblockEmailMany',
  'unblock_email/Unblock email': 'unblockEmail',
  'record/Assign Territories To Multiple Records': 'assignTerritoriesMany',
  'record/Assign Territory to Record': 'assignTerritories',
  'record/Remove Territories From Multiple Records': 'removeTerritoriesMany',
  'record/Remove Territories From Record': 'removeTerritories',
  'custom_views/Change Sort Order of Custom Views': 'changeSortMany',
  'custom_views/Change Sort Order of Custom View': 'changeSort',
  'inventory_convert/Convert Inventory': 'convertInventory',
  'bulk_write/Create Bulk Write Job': 'create',
  'bulk_write/Get Bulk Write Job Details': 'get',
  'related_records/Get Deleted Parent Records Related Record': 'listRelatedOfDeleted',
  'layouts/Update Custom Layouts': 'updateMany',
  'users_unavailability/Update Users Unavailability': 'updateMany',
};

/** `record` operations that the hand-written RecordsResource serves (per-record write results, page tokens, typed fields). */
export const HAND_WRITTEN = new Set(['Get Records', 'Get Record', 'Create Records', 'Update Records', 'Update Record', 'Delete Records', 'Delete Record', 'Upsert Records', 'Search Records', 'Get Deleted Records'].map((id) => `record/${id}`));

/** Module-data paths of other areas (`/Notes`, `/Services__s/{id}` ...) reuse the `record` area's methods. */
const RECORD_SHAPES = ['', '{id}', 'upsert', 'search', 'deleted', 'actions/count', 'actions/mass_update', '{id}/photo', 'actions/fetch_full_data', '{id}/actions/fetch_full_data'];

// ---------------------------------------------------------------------------------------------- utilities

const camel = (text) => {
  const words = String(text).replace(/[^A-Za-z0-9]+/g, ' ').trim().split(/\s+/).filter(Boolean);
  return words.map((w, i) => (i === 0 ? w[0].toLowerCase() + w.slice(1) : w[0].toUpperCase() + w.slice(1))).join('');
};
const pascal = (text) => {
  const c = camel(text);
  return c === '' ? '' : c[0].toUpperCase() + c.slice(1);
};
const isParam = (segment) => /^\{[^}]+\}$/.test(segment);
const paramName = (segment) => segment.slice(1, -1);
const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const key = (name) => (IDENT.test(name) ? name : JSON.stringify(name));
const RESERVED = new Set(['delete', 'default', 'function', 'class', 'new', 'in', 'for', 'if', 'do', 'var', 'let', 'const', 'this', 'void', 'with', 'return', 'switch', 'case', 'break', 'continue', 'typeof', 'instanceof', 'export', 'import', 'extends', 'super', 'yield', 'await', 'enum', 'null', 'true', 'false', 'try', 'catch', 'finally', 'throw', 'while', 'debugger']);
/** A path parameter as a TypeScript argument name. */
const argName = (name) => {
  const c = IDENT.test(name) ? name : camel(name);
  return RESERVED.has(c) ? `${c}Value` : c;
};

/** Where an operation's path starts: the API root and the segments under it. */
function splitPath(op) {
  const parts = op.path.split('/').filter(Boolean);
  if (parts[0] === 'crm' && parts[1] === 'bulk') return { api: 'bulk', segments: parts.slice(3) };
  if (parts[0] === 'crm' && parts[1] === 'email') return { api: 'email', segments: parts.slice(3) };
  if (parts[0] === 'crm') return { api: undefined, segments: parts.slice(2) };
  // `/upload` is under /crm/{v} of Zoho's file host (bulk.ts sends it there); `/{download_url}` and `/` are the host's own.
  if (op.server !== undefined) return { api: undefined, segments: parts };
  return { api: 'root', segments: parts };
}

// ------------------------------------------------------------------------------------------ types from schemas

/** TypeScript for one schema; `ref(area, name)` gives the name to use for a `$ref`. */
function tsType(schema, ref, indent = '') {
  if (schema === null || schema === undefined) return 'unknown';
  let out;
  if (schema.$ref) out = ref(schema.$ref);
  else if (schema.anyOf) out = unique(schema.anyOf.map((s) => wrap(tsType(s, ref, indent)))).join(' | ');
  else if (schema.allOf) out = unique(schema.allOf.map((s) => wrap(tsType(s, ref, indent)))).join(' & ');
  else if (schema.enum) {
    const values = unique(schema.enum.map((v) => JSON.stringify(v)));
    // A long union reads one member a line, as a formatter would write it.
    out = values.join(' | ').length <= 100 ? values.join(' | ') : `\n${values.map((v) => `${indent}  | ${v}`).join('\n')}`;
  }
  else if (schema.type === 'array') {
    const item = tsType(schema.items, ref, indent);
    out = /^[\w.]+$/.test(item) ? `${item}[]` : `Array<${item}>`;
  } else if (schema.type === 'object' || schema.properties) out = objectType(schema, ref, indent);
  else if (schema.type === 'string') out = 'string';
  else if (schema.type === 'integer' || schema.type === 'number') out = 'number';
  else if (schema.type === 'boolean') out = 'boolean';
  else if (schema.type === 'null') out = 'null';
  else out = 'unknown';
  if (schema.nullable && !schema.enum && out !== 'unknown' && !/\bnull$/.test(out)) out = `${wrap(out)} | null`;
  return out;
}

const unique = (list) => [...new Set(list)];
/** ` type`, or the type as is when it starts on its own line (a long union). */
const spaced = (type) => (type.startsWith('\n') ? type : ` ${type}`);
const wrap = (type) => (/[|&]/.test(type) && !/^\{[\s\S]*\}$/.test(type) ? `(${type})` : type);

function objectType(schema, ref, indent) {
  const props = Object.entries(schema.properties ?? {});
  const extra = schema.additionalProperties;
  if (props.length === 0) return extra && typeof extra === 'object' ? `Record<string, ${tsType(extra, ref, indent)}>` : 'Record<string, unknown>';
  const required = new Set(schema.required ?? []);
  const inner = `${indent}  `;
  const lines = props.map(([name, s]) => `${inner}${key(name)}${required.has(name) ? '' : '?'}:${spaced(tsType(s, ref, inner))};`);
  if (extra) lines.push(`${inner}[key: string]: unknown;`);
  return `{\n${lines.join('\n')}\n${indent}}`;
}

// --------------------------------------------------------------------------------------------- the plan

/** Resolves `$ref`s until a schema with content. */
function deref(description, schema) {
  let s = schema;
  for (let i = 0; s?.$ref && i < 20; i++) s = description.resolveRef(s.$ref);
  return s;
}

/** The rows key of a paged list reply (`data`, `users`, `territories` ...), when the operation pages. */
function pagedKey(description, op) {
  if (op.method !== 'GET') return undefined;
  if (!op.params.some((p) => p.in === 'query' && ['page', 'per_page', 'page_token'].includes(p.name))) return undefined;
  const ok = op.responses['200']?.schema;
  if (!ok) return undefined;
  for (const branch of deref(description, ok)?.anyOf ?? [ok]) {
    const s = deref(description, branch);
    const props = s?.properties ?? {};
    if (!props.info) continue;
    const arrays = Object.entries(props).filter(([, v]) => deref(description, v)?.type === 'array');
    if (arrays.length === 1) return { key: arrays[0][0], item: deref(description, arrays[0][1]).items };
  }
  return undefined;
}

/**
 * Areas whose writes answer as Zoho does, not per item: a notification channel is refused as a whole (the
 * notification helpers and their callers read Zoho's own `watch` reply and errors).
 */
const WHOLE_REPLY_AREAS = new Set(['notifications']);

/** The rows key of a multi-record write (`{ tags: [...] }` in and out, or a delete by `ids`): one result per item. */
function writeKey(description, op) {
  if (WHOLE_REPLY_AREAS.has(op.area)) return undefined;
  const branches = (schema) => {
    const s = deref(description, schema);
    return s?.anyOf ? s.anyOf.flatMap(branches) : s ? [s] : [];
  };
  const arrays = (schema, ofObjects) =>
    branches(schema).flatMap((b) =>
      Object.entries(b.properties ?? {})
        .filter(([, v]) => deref(description, v)?.type === 'array' && (!ofObjects || deref(description, deref(description, v).items)?.properties))
        .map(([k]) => k),
    );
  const replies = Object.entries(op.responses).filter(([status]) => status >= '200' && status < '300').flatMap(([, r]) => arrays(r.schema, false));
  let keys = [];
  if (['POST', 'PUT', 'PATCH'].includes(op.method) && op.body?.contentType === 'application/json') keys = arrays(op.body.schema, true).filter((k) => replies.includes(k));
  else if (op.method === 'DELETE' && op.params.some((p) => p.name === 'ids')) keys = replies;
  keys = [...new Set(keys)];
  return keys.length === 1 ? keys[0] : undefined;
}

/** The operations, each with its home (resource), method name and call expression. */
export function plan(description = loadDescription()) {
  const ops = [...description.operations].sort((a, b) => (a.area === 'record' ? -1 : 0) - (b.area === 'record' ? -1 : 0));
  const byArea = new Map();
  for (const op of ops) byArea.set(op.area, [...(byArea.get(op.area) ?? []), op]);
  const planned = [];
  for (const op of ops) {
    const { api, segments } = splitPath(op);
    const first = segments[0] ?? '';
    const moduleScoped = (isParam(first) && MODULE_PARAMS.has(paramName(first))) || (/^[A-Z]/.test(first) && api === undefined);
    const entry = { op, api, segments, fixedModule: moduleScoped && !isParam(first) ? first : undefined, paged: pagedKey(description, op) };
    if (!entry.paged) entry.write = writeKey(description, op);
    if (moduleScoped) {
      entry.template = ['{module}', ...segments.slice(1)];
      const rest = segments.slice(1);
      const sub = SUB_RESOURCES[op.area];
      if (sub && isParam(rest[0] ?? '')) {
        const siblings = byArea.get(op.area).map((o) => splitPath(o).segments.slice(1)).filter((r) => isParam(r[0]));
        const bound = boundCount(siblings);
        entry.home = { kind: 'sub', name: sub, area: op.area, bound: rest.slice(0, bound).map(paramName) };
        entry.rest = rest.slice(commonPrefix(siblings));
      } else {
        entry.home = { kind: 'records' };
        entry.rest = rest;
      }
    } else {
      entry.template = segments;
      const base = areaBase(byArea.get(op.area).map(splitPath).filter((p) => p.api !== 'root' && !MODULE_PARAMS.has(paramName(p.segments[0] ?? '')) && !/^[A-Z]/.test(p.segments[0] ?? '')).map((p) => p.segments), segments);
      entry.home = { kind: 'client', name: RESOURCE_NAMES[op.area] ?? camel(op.area), area: op.area };
      entry.rest = segments.slice(base);
    }
    planned.push(entry);
  }
  // Names: the table first, then the rule; a clash within a home gets the operation's own words.
  const homes = new Map();
  for (const e of planned) {
    const homeKey = e.home.kind === 'records' ? 'records' : `${e.home.kind}:${e.home.name}`;
    const siblings = planned.filter((o) => (o.home.kind === 'records' ? 'records' : `${o.home.kind}:${o.home.name}`) === homeKey && o.op.area === e.op.area);
    const restShape = e.rest.map((s) => (isParam(s) ? '{id}' : s)).join('/');
    if (e.home.kind === 'records' && e.op.area !== 'record' && RECORD_SHAPES.includes(restShape)) {
      const twin = planned.find((o) => o.op.area === 'record' && o.op.method === e.op.method && o.rest.map((s) => (isParam(s) ? '{id}' : s)).join('/') === restShape && !/External/.test(o.op.operationId));
      if (twin) {
        e.reuse = twin;
        continue;
      }
    }
    e.method = METHOD_NAMES[`${e.op.area}/${e.op.operationId}`] ?? ruleName(e, siblings);
    if (HAND_WRITTEN.has(`${e.op.area}/${e.op.operationId}`)) {
      e.handWritten = true;
      continue;
    }
    const taken = homes.get(homeKey) ?? new Map();
    const clash = taken.get(e.method);
    if (clash && !(clash.op.method === e.op.method && clash.template.join('/') === e.template.join('/'))) {
      e.method = camel(`${e.method} ${e.op.operationId}`);
    } else if (clash) e.reuse = clash;
    if (!e.reuse) taken.set(e.method, e);
    homes.set(homeKey, taken);
  }
  for (const e of planned) if (e.reuse) e.method = e.reuse.method;
  for (const e of planned) e.call = callOf(e);
  return planned.sort((a, b) => (a.op.area < b.op.area ? -1 : a.op.area > b.op.area ? 1 : 0));
}

/** Leading path segments (after the module) that every operation of a record-level area shares: the sub-resource's ids. */
function boundCount(rests) {
  let n = 0;
  while (rests.every((r) => r.length > n && isParam(r[n])) && rests.some((r) => r.length > n + 1)) n++;
  return n;
}

/** How many leading segments every list shares (equal literals, or parameters at the same place). */
function commonPrefix(lists) {
  let n = 0;
  const same = (a, b) => (isParam(a) && isParam(b)) || a === b;
  while (lists.length > 0 && lists.every((l) => l.length > n && same(l[n], lists[0][n]))) n++;
  return n;
}

/** The path an area's resource stands for: the prefix most of its operations share (`settings/territories`). */
function areaBase(lists, mine) {
  for (let n = mine.length; n > 0; n--) {
    if (isParam(mine[n - 1])) continue;
    const sharing = lists.filter((l) => l.length >= n && commonPrefix([l.slice(0, n), mine.slice(0, n)]) === n);
    if (sharing.length >= Math.ceil(lists.length * 0.6) && commonPrefix(sharing) >= n) return n;
  }
  return 0;
}

/** The naming rule: list/get/create/update/delete on the resource itself, then the operation's own verb. */
function ruleName(e, siblings) {
  const { op, rest } = e;
  const shape = (o) => o.rest.map((s) => (isParam(s) ? '{}' : s)).join('/');
  const mine = shape(e);
  const literals = rest.filter((s) => !isParam(s));
  const twinItem = (m) => siblings.some((o) => o !== e && m.includes(o.op.method) && shape(o) === `${mine === '' ? '' : `${mine}/`}{}`);
  if (literals.length === 0) {
    const trailing = rest.length > 0;
    switch (op.method) {
      case 'GET':
        if (trailing) return 'get';
        if (twinItem(['GET']) || e.paged) return 'list';
        // A collection read without an item read: a list when Zoho's operation names a plural (`Get Tags`).
        return /[^s]s$/.test(op.operationId.trim()) ? 'list' : 'get';
      case 'POST':
        return trailing ? camel(op.operationId) : 'create';
      case 'PUT':
      case 'PATCH':
        return !trailing && twinItem(['PUT', 'PATCH']) ? 'updateMany' : 'update';
      case 'DELETE':
        return !trailing && twinItem(['DELETE']) ? 'deleteMany' : 'delete';
    }
  }
  const last = literals[literals.length - 1].replace(/^_+/, '');
  const isAction = rest[rest.indexOf(literals[literals.length - 1]) - 1] === 'actions';
  const trailing = isParam(rest[rest.length - 1] ?? '');
  if (isAction) {
    const verb = camel(last);
    if (op.method === 'GET') return camel(`get ${last}`);
    if (op.method === 'DELETE') return camel(`delete ${last}`);
    return verb;
  }
  const noun = pascal(literals.filter((l) => l !== 'actions').map((l) => l.replace(/^_+/, '')).join(' '));
  switch (op.method) {
    case 'GET':
      return trailing ? `get${singular(noun)}` : `list${noun}`;
    case 'POST':
      return `create${noun}`;
    case 'PUT':
    case 'PATCH':
      return `update${trailing ? singular(noun) : noun}`;
    default:
      return `delete${trailing ? singular(noun) : noun}`;
  }
}

const singular = (noun) => noun.replace(/ies$/, 'y').replace(/([^s])s$/, '$1');

/** The JavaScript call on a client instance, with the OAS path-parameter names and `params`. */
function callOf(e) {
  const target = e.reuse ?? e;
  const pathArgs = e.segments.filter(isParam).map((s) => argName(paramName(s)));
  let head;
  let args;
  if (target.home.kind === 'client') {
    head = target.home.name;
    args = pathArgs;
  } else {
    const moduleArg = e.fixedModule !== undefined ? JSON.stringify(e.fixedModule) : pathArgs[0];
    const rest = e.fixedModule !== undefined ? pathArgs : pathArgs.slice(1);
    if (target.home.kind === 'records') {
      head = `records(${moduleArg})`;
      args = rest;
    } else {
      const n = target.home.bound.length;
      head = `records(${moduleArg}).${target.home.name}(${rest.slice(0, n).join(', ')})`;
      args = rest.slice(n);
    }
  }
  return `${head}.${target.method}(${[...args, 'params'].join(', ')})`;
}

// ------------------------------------------------------------------------------------------- file writers

/** Names a schema type must not take: TypeScript's globals and what generated files import. */
const TAKEN_NAMES = new Set(['Record', 'Array', 'Promise', 'Date', 'Object', 'String', 'Number', 'Boolean', 'Error', 'Map', 'Set', 'Function', 'Symbol', 'Partial', 'Required', 'Pick', 'Omit', 'Readonly', 'Input', 'APIPromise', 'PagePromise', 'FileDownload', 'UploadSource', 'RequestOptions', 'APIResource', 'RequestSender', 'ModuleResource', 'Response', 'Request', 'Blob', 'File', 'Buffer', 'Event']);

const HEADER = (commit) => `// Generated by api-description/generators/client.mjs from Zoho CRM v8 (crm-oas ${commit}). Do not edit.\n`;

/** Longest line the generator writes before it wraps an import or a call (as a formatter would). */
const WIDTH = 140;

/** `import type { a, b } from 'x';`, one name a line when it would be too long. */
function importLine(names, from, typeOnly = true) {
  return braced(typeOnly ? 'import type' : 'import', names, ` from '${from}';`);
}

/** `head { a, b }tail`, one name a line when it would be too long. */
function braced(head, names, tail) {
  const one = `${head} { ${names.join(', ')} }${tail}`;
  return one.length <= WIDTH ? one : `${head} {\n${names.map((n) => `  ${n},`).join('\n')}\n}${tail}`;
}

/** `fn(a, b, c)` at `indent`, one argument a line when it would be too long. */
function callLine(indent, head, args, tail = ';') {
  const one = `${indent}${head}(${args.join(', ')})${tail}`;
  return one.length <= WIDTH ? one : `${indent}${head}(\n${args.map((a) => `${indent}  ${a},`).join('\n')}\n${indent})${tail}`;
}

/** The file (area) a generated resource class lives in. */
const fileOf = (area) => area.replace(/_/g, '-');

export function generate() {
  const description = loadDescription();
  const commit = description.source.commit.slice(0, 12);
  const entries = plan(description);
  const files = {};
  const areas = [...new Set(entries.map((e) => e.op.area))].sort();
  const schemaNames = new Map(); // "<area>#/schemas/<Name>" -> TypeScript name within its area file
  for (const doc of description.documents) {
    const used = new Set();
    for (const name of Object.keys(doc.schemas)) {
      let ts = pascal(name) || 'Schema';
      if (/^\d/.test(ts)) ts = `T${ts}`;
      if (TAKEN_NAMES.has(ts)) ts = `${ts}Model`;
      while (used.has(ts)) ts = `${ts}_`;
      used.add(ts);
      schemaNames.set(`${doc.area}#/schemas/${name}`, ts);
    }
  }
  // Identical means identical as written here: the same declaration, property order aside, references compared by class.
  const homes = schemaHomes(description, schemaNames, (r, classOf) => declaration('T', withSortedProperties(description.schemas[r]), classOf), fileOf);
  for (const area of areas.concat(description.documents.map((d) => d.area).filter((a) => !areas.includes(a)))) {
    if (files[`${OUT}/${fileOf(area)}.ts`]) continue;
    files[`${OUT}/${fileOf(area)}.ts`] = areaFile(description, area, entries.filter((e) => e.op.area === area && !e.reuse && !e.handWritten), schemaNames, homes, commit);
  }
  const shared = new Map(); // shared file -> the homes it declares, in description order
  for (const home of new Set(homes.values())) if (home.file.startsWith('shared/')) shared.set(home.file, [...(shared.get(home.file) ?? []), home]);
  for (const [file, list] of shared) files[`${OUT}/${file}.ts`] = sharedFile(description, file, list, homes, schemaNames, commit);
  files[`${OUT}/records.ts`] = recordsFile(entries, commit);
  files[`${OUT}/resources.ts`] = resourcesFile(entries, commit);
  files[`${OUT}/operations.ts`] = manifestFile(entries, commit);
  files[`${OUT}/types.ts`] = typesFile(description.documents.map((d) => d.area).sort(), commit);
  return files;
}

/** `export interface Name {...}` or `export type Name = ...;`: one schema's declaration. */
function declaration(name, schema, ref) {
  const body = tsType(schema, ref);
  return body.startsWith('{\n') && !schema.nullable ? `export interface ${name} ${body}` : `export type ${name} =${spaced(body)};`;
}

/** The schema with object properties in name order at every depth (the order of properties does not change a type). */
function withSortedProperties(schema) {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return Array.isArray(schema) ? schema.map(withSortedProperties) : schema;
  const byName = ([a], [b]) => (a < b ? -1 : a > b ? 1 : 0);
  return Object.fromEntries(
    Object.entries(schema).map(([k, v]) => [k, k === 'properties' ? Object.fromEntries(Object.entries(v).sort(byName).map(([n, s]) => [n, withSortedProperties(s)])) : k === 'enum' || k === 'required' ? v : withSortedProperties(v)]),
  );
}

const areaOf = (r) => r.slice(0, r.indexOf('#'));

/**
 * The `ref` of a file's types: a `$ref` by the name its area gives it (`Fields_LayoutAssociation`), so that moving a
 * declaration to shared/ changes no reference; within shared/, a shared type by its shared name. What lives in
 * another file is imported (`imports`: file -> local name -> exported name).
 */
function refNames(file, homes, schemaNames, imports) {
  const need = (from, name, local) => {
    if (!imports.has(from)) imports.set(from, new Map());
    imports.get(from).set(local, name);
    return local;
  };
  return (r) => {
    const home = homes.get(r);
    if (home === undefined) return 'unknown';
    if (file.startsWith('shared/') && home.file.startsWith('shared/')) return home.file === file ? home.name : need(home.file, home.name, home.name);
    const name = schemaNames.get(r);
    if (fileOf(areaOf(r)) !== file) return need(fileOf(areaOf(r)), name, `${pascal(areaOf(r))}_${name}`);
    return home.file === file ? name : need(home.file, home.name, name);
  };
}

/** `import type` lines for `imports` (file -> local name -> exported name), as seen from `file`. */
function typeImports(file, imports) {
  const from = (other) => {
    const up = file.includes('/') ? '../' : './';
    return other.includes('/') && file.includes('/') ? `./${other.slice(other.indexOf('/') + 1)}.js` : `${up}${other}.js`;
  };
  const byName = ([la, a], [lb, b]) => (a < b ? -1 : a > b ? 1 : la < lb ? -1 : 1);
  return [...imports]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([other, names]) => importLine([...names].sort(byName).map(([local, n]) => (n === local ? n : `${n} as ${local}`)), from(other)));
}

/** A shared/ file: the types several areas describe identically, each declared once. */
function sharedFile(description, file, list, homes, schemaNames, commit) {
  const imports = new Map();
  const ref = refNames(file, homes, schemaNames, imports);
  const out = [];
  for (const home of list) {
    const name = home.ref.slice(home.ref.lastIndexOf('/') + 1);
    const areas = new Set(home.members.map(areaOf)).size;
    out.push(`/** Zoho's \`${name}\` (${areaOf(home.ref)}); ${home.members.length} schemas in ${areas} areas have this shape. */`);
    out.push(declaration(home.name, description.schemas[home.ref], ref), '');
  }
  return `${[HEADER(commit).trimEnd(), ...typeImports(file, imports)].join('\n')}\n\n${out.join('\n').trimEnd()}\n`;
}

/** One area: its schemas as types, its parameter and response types, and its resource class (client or sub-resource). */
function areaFile(description, area, entries, schemaNames, homes, commit) {
  const doc = description.documents.find((d) => d.area === area);
  const file = fileOf(area);
  for (const e of entries) {
    const base = `${pascal(e.home.kind === 'records' ? 'records' : e.home.name)}${pascal(e.method)}`;
    e.paramsType = `${base}Params`;
    e.responseType = e.op.responses && e.paged ? `${base}Item` : `${base}Response`;
    e.file = file;
  }
  const imports = new Map(); // file -> local name -> exported name
  const ref = refNames(file, homes, schemaNames, imports);
  const out = [];
  const reexports = []; // this area's names of its schemas declared in shared/
  for (const [name, schema] of Object.entries(doc?.schemas ?? {})) {
    const r = `${area}#/schemas/${name}`;
    const ts = schemaNames.get(r);
    const home = homes.get(r);
    if (home.file !== file) reexports.push(ref(r));
    else if (home.ref !== r) out.push(`/** Zoho's \`${name}\` (${area}), the same type as \`${home.name}\`. */`, `export type ${ts} = ${home.name};`, '');
    else out.push(`/** Zoho's \`${name}\` (${area}). */`, declaration(ts, schema, ref), '');
  }
  const classes = new Map();
  const methodLines = [];
  for (const e of entries) {
    out.push(...paramsType(description, e, ref), '');
    const classKey = e.home.kind === 'records' ? 'records' : e.home.name;
    if (!classes.has(classKey)) classes.set(classKey, []);
    classes.get(classKey).push(e);
  }
  // Classes: records-scoped operations become a mixin of crm.records(module); others a resource class.
  for (const [name, list] of classes) {
    if (name === 'records') {
      for (const e of list) methodLines.push({ home: 'records', e });
      continue;
    }
    const home = list[0].home;
    const cls = `${pascal(home.name)}Api`;
    list.forEach((e) => (e.className = cls));
    out.push(`/** ${home.kind === 'sub' ? `\`crm.records(module).${home.name}(${home.bound.join(', ')})\`` : `\`crm.${home.name}\``}: the \`${area}\` operations. */`);
    if (home.kind === 'sub') {
      out.push(`export class ${cls} extends APIResource {`);
      out.push(`  readonly #ids: readonly string[];`, '');
      out.push(`  constructor(client: RequestSender, ids: readonly string[]) {`, `    super(client);`, `    this.#ids = ids;`, `  }`);
    } else out.push(`export class ${cls} extends APIResource {`);
    for (const e of list) out.push('', ...methodText(e, home.kind === 'sub' ? 'sub' : 'client'));
    out.push('}', '');
  }
  const recordMethods = methodLines.map(({ e }) => e);
  for (const e of recordMethods) e.className = 'RecordOperations';
  const classEntries = entries.filter((e) => e.home.kind !== 'records');
  const usesClass = classEntries.length > 0;
  const runtime = new Set();
  for (const e of classEntries) runtime.add(runtimeOf(e));
  const head = [HEADER(commit).trimEnd()];
  if (usesClass) {
    head.push(importLine([...runtime].sort(), '../operation.js', false));
    head.push(`import { APIResource${classEntries.some((e) => e.home.kind === 'sub') ? ', type RequestSender' : ''} } from '../resource.js';`);
    head.push(`import type { RequestOptions } from '../request-options.js';`);
  }
  {
    const helpers = new Set();
    for (const e of entries) {
      if (!usesClass && e.home.kind === 'records') {
        if (isBinary(e.op)) helpers.add('FileDownload');
        if (e.op.body?.contentType === 'multipart/form-data') helpers.add('UploadSource');
        if (e.op.body && e.op.body.contentType !== 'multipart/form-data') helpers.add('Input');
        if (e.write) helpers.add('WriteResult');
        continue;
      }
      if (e.home.kind !== 'records') helpers.add(e.paged ? 'PagePromise' : 'APIPromise');
      if (e.write) helpers.add('WriteResult');
      if (isBinary(e.op)) helpers.add('FileDownload');
      if (e.op.body?.contentType === 'multipart/form-data') helpers.add('UploadSource');
      if (e.op.body && e.op.body.contentType !== 'multipart/form-data') helpers.add('Input');
    }
    const from = { PagePromise: '../pagination.js', APIPromise: '../api-promise.js', FileDownload: '../files.js', UploadSource: '../files.js', Input: '../input.js', WriteResult: '../write.js' };
    const grouped = new Map();
    for (const h of helpers) grouped.set(from[h], [...(grouped.get(from[h]) ?? []), h]);
    for (const [path, names] of [...grouped].sort()) head.push(importLine(names.sort(), path));
  }
  head.push(...typeImports(file, imports));
  if (reexports.length > 0) {
    head.push('', `// This area's schemas that other areas describe identically, declared once in ./shared/.`);
    head.push(braced('export type', reexports, ';'));
  }
  return `${head.join('\n')}\n\n${out.join('\n').trimEnd()}\n`;
}

/** Which runtime function sends an operation. */
const runtimeOf = (e) => (e.paged ? 'pagedOperation' : e.write ? 'writeOperation' : isBinary(e.op) ? 'downloadOperation' : 'callOperation');

const isBinary = (op) => Object.entries(op.responses).some(([s, r]) => s < '300' && r.contentType && !/json/.test(r.contentType));

/** The parameter interface (query and header names, `body`) and the response type of one operation. */
function paramsType(description, e, ref) {
  const { op } = e;
  const lines = [];
  const props = [];
  for (const p of op.params.filter((p) => p.in !== 'path')) {
    props.push(`  ${key(p.name)}${p.required ? '' : '?'}:${spaced(tsType(p.schema, ref, '  '))}${p.in === 'query' && (p.schema?.type === 'string' || p.schema?.type === 'array') && /ids|fields/.test(p.name) ? ' | readonly string[]' : ''};`);
  }
  if (op.body) {
    const type = op.body.contentType === 'multipart/form-data' ? multipartType(description, op, ref) : `Input<${tsType(op.body.schema, ref, '  ')}>`;
    props.push(`  body${op.body.required ? '' : '?'}: ${type};`);
  }
  lines.push(`/** Parameters of \`${e.call.replace(/^.*?\.(\w+)\(/, '$1(')}\` (${op.area}/${op.operationId}). */`);
  lines.push(props.length ? `export interface ${e.paramsType} {\n${props.join('\n')}\n}` : `export type ${e.paramsType} = Record<string, never>;`);
  const oks = Object.entries(op.responses).filter(([s]) => s >= '200' && s < '300');
  let response;
  if (e.paged) response = tsType(e.paged.item, ref);
  else if (e.write) response = 'WriteResult[]';
  else if (isBinary(op)) response = 'FileDownload';
  else {
    const types = unique(oks.map(([, r]) => (r.schema ? tsType(r.schema, ref) : r.contentType ? 'unknown' : 'undefined')));
    response = types.includes('unknown') ? 'unknown' : types.map(wrap).join(' | ') || 'unknown';
  }
  const what = e.paged ? 'A row' : e.write ? `One result per \`${e.write}\` item, in input order (a refused item is a result, not a throw),` : 'The reply';
  lines.push('', `/** ${what} of \`${op.operationId}\`. */`, `export type ${e.responseType} = ${response};`);
  return lines;
}

function multipartType(description, op, ref) {
  const s = deref(description, op.body.schema);
  const props = Object.entries(s?.properties ?? { file: {} });
  const required = new Set(s?.required ?? []);
  return `{\n${props.map(([n, p]) => `    ${key(n)}${required.has(n) || (props.length === 1 && n === 'file') ? '' : '?'}: ${deref(description, p)?.format === 'binary' || n === 'file' ? 'UploadSource' : 'string | UploadSource'};`).join('\n')}\n  }`;
}

/** One method: JSDoc of facts, then one call into the operation runtime. */
function methodText(e, kind) {
  const { op } = e;
  const all = e.segments.filter(isParam).map(paramName);
  let own;
  if (kind === 'records') own = e.fixedModule !== undefined ? all : all.slice(1);
  else if (kind === 'sub') own = all.slice(1 + e.home.bound.length);
  else own = all;
  const names = own.map(argName);
  const requiredParams = op.params.some((p) => p.in !== 'path' && p.required) || op.body?.required;
  const args = [...names.map((n) => `${n}: string`), `params${requiredParams ? '' : '?'}: ${e.paramsType}`, 'options?: RequestOptions'];
  const spec = [`method: '${op.method}'`, `path: '${e.template.join('/')}'`];
  if (e.api) spec.push(`api: '${e.api}'`);
  const headers = op.params.filter((p) => p.in === 'header').map((p) => `'${p.name}'`);
  if (headers.length) spec.push(`headers: [${headers.join(', ')}]`);
  if (op.body?.contentType === 'multipart/form-data') spec.push('multipart: true');
  const binary = isBinary(op);
  if (binary && !e.paged) spec.push('download: true');
  let values;
  if (kind === 'records') values = e.template[0] === '{module}' ? ['this.module', ...names] : names;
  else if (kind === 'sub') values = ['...this.#ids', ...names];
  else values = names;
  const fn = e.paged ? 'pagedOperation' : e.write ? 'writeOperation' : binary ? 'downloadOperation' : 'callOperation';
  const returns = e.paged ? `PagePromise<${e.responseType}>` : `APIPromise<${e.responseType}>`;
  const head = e.paged || !(e.write || binary) ? `${fn}<${e.responseType}>` : fn;
  const callArgs = ['this.client', `{ ${spec.join(', ')} }`, ...(e.paged ? [`'${e.paged.key}'`] : e.write ? [`'${e.write}'`] : []), `[${values.join(', ')}]`, 'params', 'options'];
  const note = e.paged ? ' (paged: `for await` walks every page)' : e.write ? ' (one result per item)' : '';
  const doc = [`  /**`, `   * \`${op.area}/${op.operationId}\`: ${op.method} ${op.path}${note}`];
  if (op.scopes.filter(Boolean).length) doc.push(`   * Scopes: ${op.scopes.filter(Boolean).join(', ')}`);
  for (let i = 0; i < (op.errorCodes?.length ?? 0); i += 6) doc.push(`   * ${i === 0 ? 'Errors: ' : '  '}${op.errorCodes.slice(i, i + 6).join(', ')}${i + 6 < op.errorCodes.length ? ',' : ''}`);
  doc.push('   */');
  return [...doc, callLine('  ', e.method, args, `: ${returns} {`), callLine('    ', `return ${head}`, callArgs), '  }'];
}

/** `crm.records(module)`'s generated operations: every module-scoped method and the record sub-resources. */
function recordsFile(entries, commit) {
  const own = entries.filter((e) => e.home.kind === 'records' && !e.reuse && !e.handWritten);
  const subs = [...new Map(entries.filter((e) => e.home.kind === 'sub' && !e.reuse).map((e) => [e.home.name, e])).values()];
  const types = new Map();
  for (const e of own) types.set(e.file, [...(types.get(e.file) ?? []), e.paramsType, e.responseType]);
  const helpers = new Set(['APIPromise']);
  const runtime = new Set();
  for (const e of own) {
    if (e.paged) helpers.add('PagePromise');
    if (isBinary(e.op)) helpers.add('FileDownload');
    runtime.add(runtimeOf(e));
    if (e.write) helpers.add('WriteResult');
  }
  const lines = [HEADER(commit).trimEnd()];
  lines.push(importLine([...runtime].sort(), '../operation.js', false));
  lines.push(`import { ModuleResource } from '../module-resource.js';`);
  lines.push(`import type { RequestOptions } from '../request-options.js';`);
  const from = { PagePromise: '../pagination.js', APIPromise: '../api-promise.js', FileDownload: '../files.js', WriteResult: '../write.js' };
  const grouped = new Map();
  for (const h of helpers) grouped.set(from[h], [...(grouped.get(from[h]) ?? []), h]);
  for (const [file, names] of [...grouped].sort()) lines.push(importLine(names.sort(), file));
  for (const e of subs) lines.push(importLine([e.className], `./${e.file}.js`));
  for (const [file, names] of [...types].sort()) lines.push(importLine([...new Set(names)].sort(), `./${file}.js`));
  lines.push('', '/** The generated operations of `crm.records(module)`; the hand-written RecordsResource extends it. */');
  lines.push('export class RecordOperations extends ModuleResource {');
  const body = [];
  for (const e of subs) {
    const args = e.home.bound.map((b) => `${argName(b)}: string`).join(', ');
    body.push(
      [
        `  /** \`${e.op.area}\`: ${e.call.replace(/^records\([^)]*\)\./, '').replace(/\)\..*$/, ')')}. */`,
        `  ${e.home.name}(${args}): ${e.className} {`,
        `    const { ${e.className}: Resource } = require('./${e.file}.js') as typeof import('./${e.file}.js');`,
        `    return new Resource(this.client, [this.module, ${e.home.bound.map(argName).join(', ')}]);`,
        '  }',
      ].join('\n'),
    );
  }
  for (const e of own) body.push(methodText(e, 'records').join('\n'));
  lines.push(body.join('\n\n'), '}', '');
  return lines.join('\n');
}

/** ZohoCRM's generated accessors: one getter per client resource, loading its file on first use. */
function resourcesFile(entries, commit) {
  const homes = [...new Map(entries.filter((e) => e.home.kind === 'client' && !e.reuse).map((e) => [e.home.name, e])).values()].sort((a, b) => (a.home.name < b.home.name ? -1 : 1));
  const lines = [HEADER(commit).trimEnd()];
  lines.push(`import type { ApiRequest, ApiResponse, ResolvedConfig } from '../../client.js';`);
  lines.push(`import type { ApiStreamResponse, RequestSender } from '../resource.js';`);
  for (const e of homes) lines.push(`import type { ${e.className} } from './${e.file}.js';`);
  lines.push('', '/** The resources of ZohoCRM, one per Zoho area, each loaded on first use. */');
  lines.push('export abstract class ClientResources implements RequestSender {');
  lines.push('  abstract readonly config: ResolvedConfig;', '  abstract request(req: ApiRequest): Promise<ApiResponse>;', '  abstract requestJson<T = unknown>(req: ApiRequest): Promise<T | undefined>;', '  abstract requestStream(req: ApiRequest): Promise<ApiStreamResponse>;');
  lines.push('  readonly #resources = new Map<string, unknown>();', '');
  lines.push('  /** The resource `name`, built once. */', '  protected resource<R>(name: string, build: () => R): R {', '    let resource = this.#resources.get(name) as R | undefined;', '    if (resource === undefined) {', '      resource = build();', '      this.#resources.set(name, resource);', '    }', '    return resource;', '  }');
  for (const e of homes) {
    if (CALLABLE_RESOURCES.includes(e.home.name)) continue;
    lines.push('', `  /** \`${e.home.area}\`: ${homes.length && entries.filter((o) => o.home.kind === 'client' && o.home.name === e.home.name && !o.reuse).map((o) => o.method).join(', ')}. */`);
    lines.push(`  get ${e.home.name}(): ${e.className} {`);
    lines.push(`    return this.resource('${e.home.name}', () => new (require('./${e.file}.js') as typeof import('./${e.file}.js')).${e.className}(this));`);
    lines.push('  }');
  }
  lines.push('}', '');
  return lines.join('\n');
}

/** The operations manifest (`zcrmsdk/operations`): every operation and the call that reaches it. */
function manifestFile(entries, commit) {
  const lines = [HEADER(commit).trimEnd()];
  lines.push('', '/** One Zoho CRM v8 operation and the client call that sends it. */', 'export interface OperationEntry {');
  lines.push("  /** Zoho's area (the OAS file name). */", '  area: string;', "  /** Zoho's operationId. */", '  operationId: string;', "  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';");
  lines.push('  /** The OAS path template. */', '  path: string;', '  /** The call on a client instance, with the OAS path-parameter names and `params`. */', '  call: string;', '}', '');
  lines.push(`/** Every operation of Zoho CRM v8 (${entries.length}), by area. */`, 'export const operations: readonly OperationEntry[] = [');
  for (const e of entries) lines.push(`  { area: '${e.op.area}', operationId: ${JSON.stringify(e.op.operationId).replace(/^"|"$/g, "'")}, method: '${e.op.method}', path: '${e.op.path}', call: ${JSON.stringify(e.call)} },`);
  lines.push('];', '');
  return lines.join('\n');
}

/** Every area's types as one namespace each, for `import type { ZohoApi } from 'zcrmsdk'`. */
function typesFile(areas, commit) {
  return [HEADER(commit).trimEnd(), ...areas.map((a) => `export type * as ${pascal(a)} from './${fileOf(a)}.js';`), ''].join('\n');
}
