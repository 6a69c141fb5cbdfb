import type { QueryValue } from '../internal/path.js';
import type { MultipartPart } from './multipart.js';

export type { MultipartPart, MultipartValue } from './multipart.js';

/** A request to the CRM API. */
export interface ApiRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path under `/crm/{version}/`, e.g. `Leads/123` or `['Leads', id]`; every segment is validated. */
  path: string | readonly string[];
  /** Query parameters (encoded here), or a query string already encoded. */
  query?: Record<string, QueryValue> | string | undefined;
  headers?: Record<string, string> | undefined;
  /** A JSON body. */
  json?: unknown;
  /** A raw body (sent as is). */
  body?: string | Buffer | undefined;
  /** A multipart body. */
  multipart?: MultipartPart[] | undefined;
  /** The user whose token to use. Default: the client's `userId`. */
  userId?: string | undefined;
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
  /** Throw an ApiError on HTTP error statuses (default true); false resolves every reply. */
  throwOnError?: boolean | undefined;
  /** Override the client's `maxRetries` for this call. */
  maxRetries?: number | undefined;
  /** `crm` (default) for `/crm/{v}/...`, `bulk` for `/crm/bulk/{v}/...`, `email` for `/crm/email/{v}/...`, `root` for the API host's own paths (`download_url`). */
  api?: 'crm' | 'bulk' | 'email' | 'root' | undefined;
}

/** A CRM API reply. */
export interface ApiResponse {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  body: Buffer;
  /** The URL requested (no credentials in it). */
  url: string;
  method: string;
  /** Request headers as sent, with Authorization redacted. */
  requestHeaders: Record<string, string>;
}
