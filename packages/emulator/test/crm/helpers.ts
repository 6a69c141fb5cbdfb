/** Builds CrmRequest objects and calls handleCrm directly, for fast unit-level tests of the CRM routes. */
import { CrmState, handleCrm, type CrmStateOptions } from '../../src/crm/index.js';
import type { CrmRequest, EmuResponse, UploadedFile } from '../../src/http-types.js';

export const FIXED_NOW = Date.UTC(2024, 0, 15, 10, 30, 0);

export function makeState(options: Partial<CrmStateOptions> = {}): CrmState {
  return new CrmState({ seed: 7, now: () => FIXED_NOW, ...options });
}

export interface CallOptions {
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  scopes?: string[];
  files?: UploadedFile[];
  fields?: Record<string, string>;
  userId?: string;
}

/** `path` is like `/crm/v2/Leads?fields=Last_Name` or `/crm/bulk/v2/read`. */
export function request(state: CrmState, method: string, path: string, opts: CallOptions = {}): CrmRequest {
  const [pathname = '', qs = ''] = path.split('?');
  const parts = pathname.split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s));
  const bulk = parts[1] === 'bulk';
  const version = bulk ? (parts[2] ?? '') : (parts[1] ?? '');
  const query: Record<string, string> = {};
  for (const pair of qs.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const k = eq === -1 ? pair : pair.slice(0, eq);
    const v = eq === -1 ? '' : pair.slice(eq + 1);
    if (v === 'undefined') continue;
    query[decodeURIComponent(k)] = decodeURIComponent(v);
  }
  const raw = opts.rawBody ?? (opts.body === undefined ? '' : JSON.stringify(opts.body));
  let json: unknown;
  let invalidBody = false;
  if (raw !== '' && opts.files === undefined) {
    try {
      json = JSON.parse(raw);
    } catch {
      invalidBody = true;
    }
  }
  return {
    method,
    version,
    segments: parts.slice(bulk ? 3 : 2),
    bulk,
    query,
    headers: Object.fromEntries(Object.entries(opts.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
    json,
    invalidBody,
    rawBody: Buffer.from(raw),
    files: opts.files ?? [],
    fields: opts.fields ?? {},
    userId: opts.userId ?? state.currentUserId,
    scopes: opts.scopes ?? ['ZohoCRM.modules.ALL', 'ZohoCRM.settings.ALL', 'ZohoCRM.users.ALL', 'ZohoCRM.org.ALL', 'ZohoCRM.bulk.ALL', 'ZohoCRM.coql.READ'],
  };
}

/** The response with `json` typed loosely for assertions. */
export interface Reply extends EmuResponse {
  body?: Buffer;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  data: any;
}

export async function call(state: CrmState, method: string, path: string, opts: CallOptions = {}): Promise<Reply> {
  const res = await handleCrm(state, request(state, method, path, opts));
  return { ...res, data: res.json };
}

export function file(name: string | undefined, content: string | Buffer, contentType = 'application/octet-stream', field = 'file'): UploadedFile {
  return { field, filename: name, contentType, data: Buffer.isBuffer(content) ? content : Buffer.from(content) };
}
