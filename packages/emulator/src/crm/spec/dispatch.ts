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
import { samplingFor, specStore, type SpecContext } from './context.js';
import { genericHandler } from './generic.js';
import { LEGACY_OPERATIONS } from './legacy.js';
import { matchRoute } from './route-table.js';
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

/** Areas whose hand-written replies already match their (permissive) schemas; left untouched on the hot path. */
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

export async function specRoute(state: CrmState, req: CrmRequest, legacy: (state: CrmState, req: CrmRequest) => Promise<EmuResponse>): Promise<EmuResponse> {
  const found = matchRoute(req.method, fullSegments(req), req.headers, req.query);
  // Paths the OAS does not describe but Zoho serves (POST /{module}/{id}/Notes, functions, the v2-style
  // routes) stay with the hand-written router, which answers INVALID_URL_PATTERN / INVALID_REQUEST_METHOD
  // for what it does not know either.
  if (found.kind !== 'match') return legacy(state, req);
  const { op, params } = found.match;
  const behaviour = BEHAVIOURS.get(op.key);
  const isLegacy = behaviour === undefined && LEGACY_OPERATIONS.has(op.key);
  // The hand-written routes check their own scopes (per module); the others check the operation's.
  if (!isLegacy && !scopesCover(req.scopes, op)) return error(401, 'OAUTH_SCOPE_MISMATCH', MSG.scopeMismatch);
  const refused = validateRequest(op, req, isLegacy);
  if (refused !== undefined) return refused;
  if (isLegacy) {
    const res = await legacy(state, req);
    return RAW_AREAS.has(op.area) ? res : fitted(state, op, res);
  }
  const ctx: SpecContext = { state, store: specStore(state), req, op, params, sampling: samplingFor(state) };
  return (behaviour ?? genericHandler)(ctx);
}
