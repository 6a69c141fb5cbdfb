/**
 * Multi-record writes: one helper sends any number of items in Zoho's chunks of 100 and maps each reply item
 * back to its input by position, so the caller gets one result per input, in input order. A refused record is
 * a result, never a throw; a transport, auth or request-level failure throws.
 */
import type { ApiResponse } from '../client.js';
import { ApiError, ZohoError, apiErrorFromResponse } from '../errors.js';
import { isObject } from '../internal/is-object.js';
import { MAX_RECORDS_PER_WRITE } from './versions.js';

/** The outcome of one record of a write, as Zoho reported it. */
export interface WriteResult {
  status: 'success' | 'error';
  /** Zoho's code: `SUCCESS`, or `INVALID_DATA`, `MANDATORY_NOT_FOUND`, `DUPLICATE_DATA`, ... */
  code: string;
  message: string;
  /** Zoho's details: the new record's id and times on success, `api_name` / `json_path` ... on error. */
  details: Record<string, unknown>;
  /** The record's id, on success (an error's `details` may name other ids, e.g. the duplicate's). */
  id?: string;
  /** Upsert only: whether the record was inserted or updated. */
  action?: 'insert' | 'update';
  /** Upsert only: the field that matched an existing record (null on insert). */
  duplicate_field?: string | null;
}

/**
 * A multi-chunk write failed after some chunks were written. `results` holds one result per input that was
 * sent (in input order); the inputs after `results.length` were not sent. `cause` is the failure.
 */
export class PartialWriteError extends ZohoError {
  readonly results: WriteResult[];
  constructor(results: WriteResult[], total: number, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      `The write stopped after ${results.length} of ${total} records: ${reason} Records 0-${results.length - 1} were written (see error.results); send only records ${results.length}-${total - 1} again.`,
      'PARTIAL_WRITE',
      { cause },
    );
    this.results = results;
  }
}

/**
 * Sends `items` in chunks of `chunkSize` (default 100), one chunk after the other, and returns one
 * WriteResult per item. `send` sends one chunk with `throwOnError: false`; its reply's `data` (or `dataKey`)
 * array must hold one item per input.
 */
export async function writeInChunks<I>(
  items: readonly I[],
  send: (chunk: I[]) => Promise<ApiResponse>,
  options: { chunkSize?: number; dataKey?: string } = {},
): Promise<WriteResult[]> {
  const size = options.chunkSize ?? MAX_RECORDS_PER_WRITE;
  const results: WriteResult[] = [];
  for (let start = 0; start < items.length; start += size) {
    const chunk = items.slice(start, start + size);
    try {
      const res = await send(chunk);
      results.push(...writeResults(res, chunk.length, options.dataKey ?? 'data').map((result) => shiftJsonPath(result, start, chunk.length)));
    } catch (error) {
      if (results.length === 0) throw error;
      throw new PartialWriteError(results, items.length, error);
    }
  }
  return results;
}

/** Zoho's `json_path` (`$.data[20].Email`) indexes the chunk it was sent; this makes it index the caller's input. */
function shiftJsonPath(result: WriteResult, start: number, chunkLength: number): WriteResult {
  const path = result.details['json_path'];
  if (start === 0 || typeof path !== 'string') return result;
  const match = /^\$\.([A-Za-z_]+)\[(\d+)\]/.exec(path);
  const index = Number(match?.[2]);
  if (match === null || !(index < chunkLength)) return result;
  return { ...result, details: { ...result.details, json_path: `$.${match[1]}[${start + index}]${path.slice(match[0].length)}` } };
}

/** The per-record results of one write reply (any status), or the request-level error it carries. */
export function writeResults(res: ApiResponse, expected: number, dataKey = 'data'): WriteResult[] {
  const text = res.body.toString('utf8');
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const items = isObject(parsed) ? parsed[dataKey] : undefined;
  // A request-level failure (bad module, bad token, too many records) has no per-record array of the right size.
  if (!Array.isArray(items) || items.length !== expected || !items.every(isObject)) {
    if (res.status >= 400) throw apiErrorFromResponse(res.status, text, res.headers);
    throw new ApiError({
      status: res.status,
      code: 'INVALID_RESPONSE',
      message: `Zoho answered ${res.method} ${res.url} with ${Array.isArray(items) ? items.length : 'no'} results for ${expected} records; the write may or may not have happened, so read the records back before retrying.`,
    });
  }
  return items.map(toWriteResult);
}

/** One reply item as a WriteResult (also used for single-object replies such as photo or convert). */
export function toWriteResult(item: Record<string, unknown>): WriteResult {
  const details = isObject(item['details']) ? item['details'] : {};
  const status = item['status'] === 'success' || (item['status'] === undefined && String(item['code']).toUpperCase() === 'SUCCESS') ? 'success' : 'error';
  const result: WriteResult = {
    status,
    code: typeof item['code'] === 'string' ? item['code'] : status === 'success' ? 'SUCCESS' : 'UNKNOWN',
    message: typeof item['message'] === 'string' ? item['message'] : '',
    details,
  };
  const id = details['id'];
  if (status === 'success' && (typeof id === 'string' || typeof id === 'number')) result.id = String(id);
  if (item['action'] === 'insert' || item['action'] === 'update') result.action = item['action'];
  if (typeof item['duplicate_field'] === 'string' || item['duplicate_field'] === null) result.duplicate_field = item['duplicate_field'];
  return result;
}
