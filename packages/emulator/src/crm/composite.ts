/**
 * The Composite API (`POST /crm/{version}/__composite_requests`): up to five sub-requests, each run through
 * the CRM router as if sent alone, in order or at once (`concurrent_execution`, or `parallel_execution` as
 * Zoho's documentation names it), and with `rollback_on_fail` the state (every registered table) is restored
 * when one fails. Replies in Zoho's shape: `{"__composite_requests":[{code,message,status,details:{response:
 * {status_code,body,headers}}}]}`, 200 when every sub-request succeeded, else 207. A sub-request that cannot
 * be sent (a method or uri the CRM does not serve) fails alone, as an error item of a 207, not the whole call:
 * the OAS types `method` and `uri` as plain strings, so a body valid under it is always answered.
 */
import type { CrmRequest, EmuResponse } from '../http-types.js';
import { error, errorBody, invalidMethod, json, MSG, SUPPORTED_VERSIONS, type ItemResult } from './responses.js';
import type { CrmState } from './state.js';

/** Sub-requests one composite call may carry. */
export const MAX_COMPOSITE_SUBREQUESTS = 5;

const SUB_ID = /^[a-zA-Z0-9][a-zA-Z0-9_]*$/;
const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A sub-request failed when it answered an error status or a mixed write (some items failed). */
function failed(res: EmuResponse): boolean {
  return res.status >= 400 || res.status === 207;
}

type SubRequestOrError = { req: CrmRequest; id: string } | { error: ItemResult; id: string };

/** The sub-request's own id (the position, 1-based, when it names none or an unusable one). */
function subRequestId(raw: unknown, index: number): string {
  const id = isObject(raw) ? raw['sub_request_id'] : undefined;
  return typeof id === 'string' && SUB_ID.test(id) ? id : String(index + 1);
}

function toRequest(parent: CrmRequest, raw: unknown, index: number): SubRequestOrError {
  const path = (key: string): Record<string, unknown> => ({ json_path: `$.__composite_requests[${index}].${key}`, api_name: key });
  const id = subRequestId(raw, index);
  const fail = (e: ItemResult): SubRequestOrError => ({ error: e, id });
  if (!isObject(raw)) return fail(errorBody('INVALID_DATA', MSG.invalidData, { json_path: `$.__composite_requests[${index}]` }));
  const method = typeof raw['method'] === 'string' ? raw['method'].toUpperCase() : undefined;
  if (method === undefined) return fail(errorBody('MANDATORY_NOT_FOUND', MSG.mandatory, path('method')));
  if (!METHODS.has(method)) return fail(errorBody('INVALID_DATA', MSG.invalidData, path('method')));
  const uri = raw['uri'];
  if (typeof uri !== 'string' || uri === '') return fail(errorBody('MANDATORY_NOT_FOUND', MSG.mandatory, path('uri')));
  let url: URL;
  try {
    url = new URL(uri, 'http://composite.invalid');
  } catch {
    return fail(errorBody('INVALID_DATA', MSG.invalidData, path('uri')));
  }
  const parts = url.pathname.split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s));
  const version = parts[1] ?? '';
  if (parts[0] !== 'crm' || !SUPPORTED_VERSIONS.has(version) || parts.length < 3) return fail(errorBody('INVALID_DATA', MSG.invalidData, path('uri')));
  if (parts[2]?.toLowerCase() === '__composite_requests') return fail(errorBody('NOT_SUPPORTED', 'nested composite requests are not supported', path('uri')));
  const given = raw['sub_request_id'];
  if (given !== undefined && given !== null && (typeof given !== 'string' || !SUB_ID.test(given))) return fail(errorBody('INVALID_DATA', MSG.invalidData, path('sub_request_id')));
  const query: Record<string, string> = {};
  url.searchParams.forEach((v, k) => (query[k] = v));
  if (isObject(raw['params'])) for (const [k, v] of Object.entries(raw['params'])) if (v !== undefined && v !== null) query[k] = String(v);
  const headers = isObject(raw['headers']) ? Object.fromEntries(Object.entries(raw['headers']).map(([k, v]) => [k.toLowerCase(), String(v)])) : {};
  const body = raw['body'];
  const hasBody = body !== undefined && body !== null && !(isObject(body) && Object.keys(body).length === 0 && (method === 'GET' || method === 'DELETE'));
  const rawBody = hasBody ? JSON.stringify(body) : '';
  return {
    id,
    req: {
      method,
      version,
      segments: parts.slice(2),
      bulk: false,
      query,
      headers: { ...headers, 'content-type': 'application/json' },
      json: hasBody ? body : undefined,
      invalidBody: false,
      rawBody: Buffer.from(rawBody),
      files: [],
      fields: {},
      userId: parent.userId,
      scopes: parent.scopes,
    },
  };
}

function outcome(id: string, res: EmuResponse): Record<string, unknown> {
  const body = res.json === undefined ? null : res.json;
  // The error is the body itself, or the first item of a write envelope (`data[0]`).
  const first = isObject(body) && Array.isArray(body['data']) ? body['data'].find((d) => isObject(d) && d['status'] === 'error') : undefined;
  const head = isObject(body) && typeof body['code'] === 'string' ? body : isObject(first) ? first : undefined;
  const ok = !failed(res);
  return {
    code: ok ? 'SUCCESS' : String(head?.['code'] ?? 'INVALID_DATA'),
    details: { response: { headers: res.headers ?? {}, body, status_code: res.status } },
    message: ok ? 'success' : String(head?.['message'] ?? MSG.invalidData),
    status: ok ? 'success' : 'error',
    sub_request_id: id,
  };
}

/** Runs a composite request; `route` is the CRM router each sub-request goes through. */
export async function compositeRoute(state: CrmState, req: CrmRequest, route: (state: CrmState, req: CrmRequest) => Promise<EmuResponse>): Promise<EmuResponse> {
  if (req.method !== 'POST') return invalidMethod();
  const body = req.json;
  if (!isObject(body)) return error(400, 'INVALID_DATA', MSG.invalidData, { api_name: '__composite_requests' });
  const list = body['__composite_requests'];
  if (!Array.isArray(list) || list.length === 0) return error(400, 'MANDATORY_NOT_FOUND', MSG.mandatory, { api_name: '__composite_requests', json_path: '$.__composite_requests' });
  if (list.length > MAX_COMPOSITE_SUBREQUESTS) {
    return error(400, 'INVALID_DATA', MSG.invalidData, { api_name: '__composite_requests', json_path: '$.__composite_requests', maximum_length: MAX_COMPOSITE_SUBREQUESTS });
  }
  const rollback = body['rollback_on_fail'] === true;
  const concurrent = body['concurrent_execution'] === true || body['parallel_execution'] === true;
  if (rollback && concurrent) {
    return error(400, 'NOT_SUPPORTED', 'rollback_on_fail is not supported with concurrent execution', { api_name: 'rollback_on_fail', json_path: '$.rollback_on_fail' });
  }
  const subs = list.map((raw, i) => toRequest(req, raw, i));
  const run = async (s: SubRequestOrError): Promise<{ item: Record<string, unknown>; ok: boolean }> => {
    if ('error' in s) return { item: { ...s.error, sub_request_id: s.id }, ok: false };
    const res = await route(state, s.req);
    return { item: outcome(s.id, res), ok: !failed(res) };
  };

  if (concurrent) {
    const done = await Promise.all(subs.map(run));
    return json(done.every((d) => d.ok) ? 200 : 207, { __composite_requests: done.map((d) => d.item) });
  }

  // Every table as it was, copied: rollback puts it back whole.
  const saved = rollback ? structuredClone(state.tables.snapshot()) : undefined;
  if (rollback) state.notifications.hold();
  const items: Record<string, unknown>[] = [];
  let failedAt = -1;
  for (const [i, s] of subs.entries()) {
    if (failedAt !== -1) {
      items.push({ code: 'PROCESSING_STOPPED', details: {}, message: 'the processing of this sub request was stopped', status: 'error', sub_request_id: s.id });
      continue;
    }
    const done = await run(s);
    items.push(done.item);
    if (!done.ok && rollback) failedAt = i;
  }
  if (saved !== undefined) {
    if (failedAt !== -1) {
      state.tables.restore(saved);
      for (let i = 0; i < failedAt; i += 1) {
        items[i] = { code: 'ROLLBACK_PERFORMED', details: { rollbacked_by_sub_request_index: failedAt }, message: 'rollback performed', status: 'error', sub_request_id: subs[i]!.id };
      }
    }
    state.notifications.release(failedAt === -1);
  }
  const allOk = items.every((item) => item['status'] === 'success');
  return json(allOk ? 200 : 207, { __composite_requests: items });
}
