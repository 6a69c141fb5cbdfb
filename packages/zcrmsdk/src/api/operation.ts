/**
 * What a generated method calls: one operation of the API description turned into one pipeline request.
 * Path parameters fill the template in order; `params` holds Zoho's query and header names and `body`. A
 * paged list becomes a PagePromise, a binary reply a streamed FileDownload, a multipart body an upload from
 * Buffer, Blob, stream or `{ path }`; everything else resolves the parsed JSON through an APIPromise.
 */
import type { ApiRequest, MultipartPart } from '../client.js';
import { InvalidInputError } from '../errors.js';
import { isObject } from '../internal/is-object.js';
import type { QueryValue } from '../internal/path.js';
import { APIPromise, responseMeta, sendJson, type WithResponse } from './api-promise.js';
import { toDownload, toFilePart, type FileDownload, type UploadSource } from './files.js';
import { listPages, PagePromise } from './pagination.js';
import { requestFields, type RequestOptions } from './request-options.js';
import type { RequestSender } from './resource.js';
import { writeResults, type WriteResult } from './write.js';

/** One operation as the generator describes it to the runtime. */
export interface OperationSpec {
  method: ApiRequest['method'];
  /** The path under the API root, with `{name}` for each path parameter in order, e.g. `org/currencies/{id}`. */
  path: string;
  /** The API root: `crm` (`/crm/{v}/`, the default), `bulk`, `email`, or `root` (the host itself). */
  api?: 'bulk' | 'email' | 'root';
  /** Zoho's header parameter names (taken from `params` and sent as headers). */
  headers?: readonly string[];
  /** The body is multipart/form-data: `params.body` maps field names to upload sources or text. */
  multipart?: true;
  /** The reply is a file: the call resolves a streamed FileDownload. */
  download?: true;
}

/** Parameters every operation accepts: Zoho's query names, header names and `body`. */
type OperationParams = object | undefined;

const PARAM = /^\{[^}]+\}$/;

/** Builds the pipeline request of one call; a bad argument throws an InvalidInputError. */
async function buildRequest(spec: OperationSpec, pathValues: readonly unknown[], params: OperationParams, options: RequestOptions | undefined): Promise<ApiRequest> {
  if (params !== undefined && !isObject(params)) {
    throw new InvalidInputError(`The parameters of ${spec.method} /${spec.path} must be an object of Zoho's query names and 'body', not ${JSON.stringify(params)}.`);
  }
  const path: string[] = [];
  let next = 0;
  for (const segment of spec.path === '' ? [] : spec.path.split('/')) {
    if (!PARAM.test(segment)) {
      path.push(segment);
      continue;
    }
    const value = pathValues[next++];
    if (typeof value === 'number' && Number.isSafeInteger(value)) path.push(String(value));
    else if (typeof value !== 'string' || value === '') throw new InvalidInputError(`${segment.slice(1, -1)} of ${spec.method} /${spec.path} must be a non-empty string, not ${JSON.stringify(value)}.`);
    // A download_url is a path of the API host: its own slashes separate segments.
    else if (spec.api === 'root') path.push(...value.replace(/^\/+/, '').split('/'));
    else path.push(value);
  }
  const req: ApiRequest = { method: spec.method, path, ...requestFields(options) };
  if (spec.api !== undefined) req.api = spec.api;
  const query: Record<string, QueryValue> = {};
  const headers: Record<string, string> = {};
  const headerNames = new Set(spec.headers ?? []);
  for (const [key, value] of Object.entries(params ?? {})) {
    if (key === 'body' || value === undefined) continue;
    if (headerNames.has(key)) headers[key] = value instanceof Date ? value.toISOString() : String(value);
    else query[key] = queryValue(value);
  }
  if (Object.keys(query).length > 0) req.query = query;
  if (Object.keys(headers).length > 0) req.headers = { ...headers, ...req.headers };
  const body = (params as { body?: unknown } | undefined)?.body;
  if (body !== undefined) {
    if (spec.multipart) req.multipart = await multipartOf(body);
    else req.json = body;
  }
  return req;
}

/** A query value as Zoho takes it: arrays comma-joined, objects (filters, criteria) as JSON. */
function queryValue(value: unknown): QueryValue {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number')) return value as (string | number)[];
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return value as QueryValue;
}

async function multipartOf(body: unknown): Promise<MultipartPart[]> {
  if (!isObject(body)) throw new InvalidInputError('A multipart body must be an object of form fields, e.g. { file: Buffer.from(...) } or { file: { path } }.');
  const parts: MultipartPart[] = [];
  for (const [field, value] of Object.entries(body)) {
    if (value === undefined) continue;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') parts.push({ field, value: String(value) });
    else parts.push({ ...(await toFilePart(value as UploadSource, {}, field)), field });
  }
  return parts;
}

/** Sends one JSON operation; `await` gives the parsed reply (undefined for 204), `withResponse()` adds the metadata. */
export function callOperation<T>(client: RequestSender, spec: OperationSpec, pathValues: readonly unknown[], params: OperationParams, options?: RequestOptions): APIPromise<T> {
  return new APIPromise<T>(async (): Promise<WithResponse<T>> => {
    const { body, response } = await sendJson<T>(client, await buildRequest(spec, pathValues, params, options));
    return { data: body as T, response };
  });
}

/** Sends one download operation; resolves the file as a stream (never buffered whole). */
export function downloadOperation(client: RequestSender, spec: OperationSpec, pathValues: readonly unknown[], params: OperationParams, options?: RequestOptions): APIPromise<FileDownload> {
  return new APIPromise<FileDownload>(async () => {
    const res = await client.requestStream(await buildRequest(spec, pathValues, params, options));
    return { data: toDownload(res, `the file of ${spec.method} /${spec.path}`), response: responseMeta(res.status, res.headers) };
  });
}

/** Sends a paged list operation: `await` for the first page, `for await` for every row of every page. */
export function pagedOperation<T>(client: RequestSender, spec: OperationSpec, dataKey: string, pathValues: readonly unknown[], params: OperationParams, options?: RequestOptions): PagePromise<T> {
  return PagePromise.defer(async () => {
    const req = await buildRequest(spec, pathValues, params, options);
    const query = typeof req.query === 'object' ? req.query : {};
    return listPages<T>(client, { ...req, method: spec.method === 'POST' ? 'POST' : 'GET', query, dataKey });
  });
}

/**
 * Sends a multi-record write (`{ <key>: [items] }`, or a delete by `ids`): one result per item in input order,
 * a refused item being a result, not a throw; a request-level failure still throws.
 */
export function writeOperation(client: RequestSender, spec: OperationSpec, dataKey: string, pathValues: readonly unknown[], params: OperationParams, options?: RequestOptions): APIPromise<WriteResult[]> {
  return new APIPromise<WriteResult[]>(async () => {
    const req = await buildRequest(spec, pathValues, params, options);
    const res = await client.request({ ...req, throwOnError: false });
    const items = isObject(req.json) ? req.json[dataKey] : undefined;
    const ids = (params as { ids?: unknown } | undefined)?.ids;
    const expected = Array.isArray(items) ? items.length : Array.isArray(ids) ? ids.length : typeof ids === 'string' ? ids.split(',').length : 1;
    return { data: writeResults(res, expected, dataKey), response: responseMeta(res.status, res.headers) };
  });
}
