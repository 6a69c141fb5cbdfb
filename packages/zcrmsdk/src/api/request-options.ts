import type { ApiRequest } from '../client.js';

/** Per-call options every resource method takes (all optional). */
export interface RequestOptions {
  /** Abort the call (and, for iterations, every later page). */
  signal?: AbortSignal | undefined;
  /** Per-request timeout, ms. Default: the client's `timeoutMs`. */
  timeoutMs?: number | undefined;
  /** Retries for this call. Default: the client's `maxRetries`. */
  maxRetries?: number | undefined;
  /** Extra request headers. */
  headers?: Record<string, string> | undefined;
}

/** The pipeline fields of `options` (undefined ones left out, for exactOptionalPropertyTypes). */
export function requestFields(options: RequestOptions | undefined): Pick<ApiRequest, 'signal' | 'timeoutMs' | 'maxRetries' | 'headers'> {
  const out: Pick<ApiRequest, 'signal' | 'timeoutMs' | 'maxRetries' | 'headers'> = {};
  if (options?.signal !== undefined) out.signal = options.signal;
  if (options?.timeoutMs !== undefined) out.timeoutMs = options.timeoutMs;
  if (options?.maxRetries !== undefined) out.maxRetries = options.maxRetries;
  if (options?.headers !== undefined) out.headers = options.headers;
  return out;
}
