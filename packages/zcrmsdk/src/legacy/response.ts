import type { ApiResponse } from '../client.js';

/** The string zcrmsdk 0.0.x resolved for HTTP 204. */
export const NO_CONTENT_RESULT = '{"message":"no data","status_code":"204"}';

/** The parts of the `request` library's response the old package resolved with (and users read). */
export interface LegacyResponse {
  statusCode: number;
  statusMessage: string;
  headers: Record<string, string>;
  /** The body as text (`latin1` "binary" text for downloads, so `Buffer.from(body, 'binary')` gives the bytes). */
  body: string;
  /** Downloads only: the file name from Content-Disposition. */
  filename?: string | undefined;
  /** Downloads only: the bytes. */
  rawBody?: Buffer | undefined;
  request: { uri: LegacyUri; method: string; headers: Record<string, string> };
  toJSON(): { statusCode: number; body: string; headers: Record<string, string>; request: { uri: LegacyUri; method: string; headers: Record<string, string> } };
}

/** The `url.parse`-like object the `request` library exposed as `response.request.uri`. */
export interface LegacyUri {
  protocol: string;
  slashes: boolean;
  auth: null;
  host: string;
  port: string;
  hostname: string;
  hash: null;
  search: string | null;
  query: string | null;
  pathname: string;
  path: string;
  href: string;
}

/** Shapes a core reply as zcrmsdk 0.0.x resolved it: the 204 string, or a response object. */
export function toLegacyResult(res: ApiResponse, download: boolean): LegacyResponse | string {
  if (res.status === 204) return NO_CONTENT_RESULT;
  const url = new URL(res.url);
  const uri: LegacyUri = {
    protocol: url.protocol,
    slashes: true,
    auth: null,
    host: url.host,
    port: url.port || (url.protocol === 'https:' ? '443' : '80'),
    hostname: url.hostname,
    hash: null,
    search: url.search || null,
    query: url.search ? url.search.slice(1) : null,
    pathname: url.pathname,
    path: url.pathname + url.search,
    href: url.href,
  };
  const request = { uri, method: res.method, headers: res.requestHeaders };
  const result: LegacyResponse = {
    statusCode: res.status,
    statusMessage: res.statusText,
    headers: res.headers,
    body: res.body.toString(download ? 'latin1' : 'utf8'),
    request,
    toJSON() {
      return { statusCode: this.statusCode, body: this.body, headers: this.headers, request: this.request };
    },
  };
  Object.defineProperty(result, 'toJSON', { enumerable: false });
  if (download) {
    result.filename = filenameFrom(res.headers['content-disposition']);
    Object.defineProperty(result, 'rawBody', { value: res.body, enumerable: false });
  }
  return result;
}

/** The file name as zcrmsdk 0.0.x parsed it from Content-Disposition (`attachment;filename*=UTF-8''a.png` → `a.png`). */
export function filenameFrom(disposition: string | undefined): string | undefined {
  if (!disposition || !disposition.includes('attachment')) return undefined;
  const match = /filename[^;=\n]*=((['"]).*?\2|[^;\n]*)/.exec(disposition);
  if (!match?.[1]) return undefined;
  const name = match[1].replace(/['"]/g, '').replace('UTF-8', '');
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}
