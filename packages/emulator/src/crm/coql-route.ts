/**
 * `POST /coql` (wire spec §9.2) on the shared COQL engine: `{"select_query": "..."}` →
 * `{data, info:{count, more_records}}`, 204 when empty, at most 200 rows per call on v2/v3 and 2,000 on v4+.
 */
import { CoqlError, executeCoql, parseCoql } from '../coql.js';
import type { CrmRequest, EmuResponse } from '../http-types.js';
import { error, invalidMethod, json, MSG, noContent, paramMissing } from './responses.js';
import { has } from './versions.js';
import { covers } from './scopes.js';
import { isObject, type CrmState } from './state.js';

export function coqlRoute(state: CrmState, req: CrmRequest): EmuResponse {
  if (req.method !== 'POST') return invalidMethod();
  if (!covers(req.scopes, { kind: 'coql' })) return error(401, 'OAUTH_SCOPE_MISMATCH', MSG.scopeMismatch);
  const query = isObject(req.json) ? req.json['select_query'] : undefined;
  if (typeof query !== 'string' || query.trim() === '') return paramMissing('select_query');
  const maxLimit = has('coql2000', req.version) ? 2000 : 200;
  try {
    const { rows, more } = executeCoql(
      parseCoql(query),
      { module: (name) => state.store(name)?.def, records: (name) => [...(state.store(name)?.records.values() ?? [])] },
      { maxLimit },
    );
    if (rows.length === 0) return noContent();
    return json(200, { data: rows, info: { count: rows.length, more_records: more } });
  } catch (e) {
    if (e instanceof CoqlError) return error(400, e.code, e.message, e.details);
    throw e;
  }
}
