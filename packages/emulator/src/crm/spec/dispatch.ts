/**
 * The v8 spec router: finds the operation in the route table, checks its OAuth scopes, validates the
 * request against the operation's parameters and schema, then hands it to a behaviour (./behaviours.ts),
 * to the hand-written routes that already serve it (records, search, COQL, attachments, bulk, settings
 * ...: `legacy`), or to the generic stateful collection.
 */
import type { CrmRequest, EmuResponse } from '../../http-types.js';
import { error, MSG } from '../responses.js';
import type { CrmState } from '../state.js';
import { BEHAVIOURS } from './behaviours.js';
import { isObj, samplingFor, type SpecContext } from './context.js';
import { genericHandler } from './generic.js';
import { LEGACY_OPERATIONS } from './legacy.js';
import { matchRoute } from './route-table.js';
import { lockedRefusal, resolveExternal } from './record-behaviours.js';
import { conform } from './sample.js';
import type { SpecOperation } from './types.js';
import { validateRequest } from './validate.js';

/** The full decoded path of a CRM request, as segments: ['crm', 'v8', 'Leads', ...]. */
export function fullSegments(req: CrmRequest): string[] {
  const space = req.bulk ? ['bulk'] : req.space === 'email' ? ['email'] : [];
  return ['crm', ...space, req.version, ...req.segments];
}

/**
 * Zoho's scope families are lenient here: a token's `ZohoCRM.<family>.ALL` covers every operation whose
 * scopes name that family, and any scope the operation lists covers it.
 */
function scopesCover(granted: readonly string[], op: SpecOperation): boolean {
  if (op.scopes.length === 0) return true;
  const have = new Set(granted.flatMap((s) => s.split(/[,\s]+/)).map((s) => s.trim().toLowerCase()));
  if (have.has('zohocrm.modules.all') && have.has('zohocrm.settings.all')) return true;
  return op.scopes.some((s) => {
    const want = s.toLowerCase();
    if (have.has(want)) return true;
    const family = want.split('.').slice(0, 2).join('.');
    return have.has(`${family}.all`);
  });
}

/** Record writes a lock refuses (./record-behaviours.ts). */
const RECORD_WRITES: ReadonlySet<string> = new Set([
  'record/Update Record',
  'record/Update Records',
  'record/Delete Record',
  'record/Delete Records',
  'record/Upsert Records',
  'record/Update Record Using External ID',
  'record/Delete Record Using External ID',
]);

/** Operations addressing a record by an external id (`X-EXTERNAL`): rewritten to the record's id, then served as the id variant. */
const EXTERNAL_OPERATIONS: ReadonlySet<string> = new Set([
  'record/Get Record Using External ID',
  'record/Update Record Using External ID',
  'record/Delete Record Using External ID',
  'related_records/Get Related Records Using External ID',
  'related_records/Update Related Records Using External ID',
  'related_records/Delete Related Records Using External ID',
  'related_records/Get Related Record Using External ID',
  'related_records/Update Related Record Using External ID',
  'related_records/Delete Related Record Using External ID',
]);

/**
 * Areas whose hand-written replies are left as they are: records on the hot path, attachments and related
 * records honour `fields` projections (the OAS requires keys a projection leaves out), bulk jobs carry ids
 * Zoho's SDKs parse.
 */
const RAW_AREAS: ReadonlySet<string> = new Set(['record', 'related_records', 'attachments', 'record_photo', 'bulk_read', 'bulk_write', 'coql', 'module_search', 'record_count']);

/**
 * A hand-written 2xx reply fitted to the operation's schema: keys the OAS requires but the seed data
 * lacks are filled with samples; the values it has are kept as they are (see ./sample.ts `conform`).
 */
function fitted(state: CrmState, op: SpecOperation, res: EmuResponse): EmuResponse {
  if (res.status < 200 || res.status >= 300 || res.json === undefined) return res;
  const schema = op.responses[String(res.status)]?.schema;
  if (schema === undefined || schema === null) return res;
  return { ...res, json: conform(res.json, schema, samplingFor(state), true) };
}

function moduleById(state: CrmState, req: CrmRequest): CrmRequest {
  const id = req.segments[2];
  const meta = [...state.stores().map((s) => s.def.meta), ...state.seedData.nonApiModules].find((m) => String(m.id) === id);
  return meta === undefined ? req : { ...req, segments: [...req.segments.slice(0, 2), meta.api_name, ...req.segments.slice(3)] };
}

/** v8 tag writes may name existing tags by id only (`{tags: [{id}]}`): the record routes take names. */
function withTagNames(state: CrmState, op: SpecOperation, req: CrmRequest): CrmRequest {
  if (op.area !== 'tags' || !isObj(req.json) || !Array.isArray(req.json['tags'])) return req;
  const tags = req.json['tags'].map((t) => {
    if (!isObj(t) || typeof t['name'] === 'string' || t['id'] === undefined || t['id'] === null) return t;
    const found = state.tags.find(String(t['id']));
    return found === undefined ? t : { ...t, name: found.tag.name };
  });
  return { ...req, json: { ...req.json, tags } };
}

export async function specRoute(state: CrmState, request: CrmRequest, legacy: (state: CrmState, req: CrmRequest) => Promise<EmuResponse>): Promise<EmuResponse> {
  let req = request;
  const found = matchRoute(req.method, fullSegments(req), req.headers, req.query);
  // Paths the OAS does not describe but Zoho serves (POST /{module}/{id}/Notes, functions, the v2-style
  // routes) stay with the hand-written router, which answers INVALID_URL_PATTERN / INVALID_REQUEST_METHOD
  // for what it does not know either.
  if (found.kind !== 'match') return legacy(state, req);
  const { op, params } = found.match;
  // modules/Get Module addresses a module by id; the settings route knows api names.
  if (op.key === 'modules/Get Module') req = moduleById(state, req);
  const behaviour = BEHAVIOURS.get(op.key);
  const isLegacy = behaviour === undefined && LEGACY_OPERATIONS.has(op.key);
  // The hand-written routes check their own scopes (per module); the others check the operation's.
  if (!isLegacy && !scopesCover(req.scopes, op)) return error(401, 'OAUTH_SCOPE_MISMATCH', MSG.scopeMismatch);
  const refused = state.options.validateRequests ? validateRequest(op, req, isLegacy) : undefined;
  if (refused !== undefined) return refused;
  // The context (and its clock reading) only for the paths that use it: the record reads stay lean.
  const context = (): SpecContext => ({ state, store: state.spec, req, op, params, sampling: samplingFor(state) });
  if (EXTERNAL_OPERATIONS.has(op.key)) {
    const ctx = context();
    const resolved = resolveExternal(state, req, params);
    if (!('segments' in resolved)) return resolved;
    const locked = RECORD_WRITES.has(op.key) ? lockedRefusal({ ...ctx, params: { ...params, id: resolved.segments[1] ?? '' } }) : undefined;
    return locked ?? legacy(state, resolved);
  }
  if (isLegacy) {
    req = withTagNames(state, op, req);
    const locked = RECORD_WRITES.has(op.key) ? lockedRefusal(context()) : undefined;
    if (locked !== undefined) return locked;
    const res = await legacy(state, req);
    return RAW_AREAS.has(op.area) ? res : fitted(state, op, res);
  }
  return (behaviour ?? genericHandler)(context());
}
