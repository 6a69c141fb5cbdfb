/**
 * Zoho's Composite API (`POST /__composite_requests`): up to five sub-requests in one call, optionally rolled
 * back together when one fails. Sub-requests are plain `{ method, path, params, body }` objects, or recorded
 * from any resource method: `crm.subrequest((c) => c.records('Leads').get(id))` runs the method against a
 * sender that records the request it would send instead of sending it (generated methods work the same way,
 * since they only ever call their RequestSender).
 */
import type { ApiRequest, ApiResponse, ResolvedConfig } from '../client.js';
import { ApiError, InvalidInputError } from '../errors.js';
import { isObject } from '../internal/is-object.js';
import { requestFields, type RequestOptions } from './request-options.js';
import type { ApiStreamResponse, RequestSender } from './resource.js';
import { RecordsResource } from './records.js';
import { ClientResources } from './generated/resources.js';
import type { CompositeApi } from './generated/composite-requests.js';

/** Sub-requests Zoho runs in one composite call. */
export const MAX_COMPOSITE_SUBREQUESTS = 5;

/** One sub-request. `Body` is the JSON Zoho answers it with (for typing the result). */
export interface SubRequest<Body = unknown> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path under `/crm/{version}/`, e.g. `'Leads'` or `['Leads', id]`. */
  path: string | readonly string[];
  /** Query parameters, by Zoho's names. */
  params?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  /** Your id for this sub-request (letters, digits, _). @default its position */
  sub_request_id?: string;
  /** Type-only: the reply body. */
  readonly __body?: Body;
}

/** One sub-request's outcome, in request order. */
export interface SubResponse<Body = unknown> {
  /** `SUCCESS`, the sub-request's error code, `ROLLBACK_PERFORMED` or `PROCESSING_STOPPED`. */
  code: string;
  status: 'success' | 'error';
  message: string;
  sub_request_id?: string;
  /** HTTP status of the sub-request (undefined when it did not run or was rolled back). */
  status_code: number | undefined;
  /** Its reply body, as the single call would have returned it. */
  body: Body | undefined;
  headers: Record<string, string>;
  /** Zoho's `details` (e.g. `rollbacked_by_sub_request_index`). */
  details: Record<string, unknown>;
}

/** The results of a tuple of sub-requests, position by position. */
export type CompositeResults<R extends readonly SubRequest[]> = { -readonly [K in keyof R]: R[K] extends SubRequest<infer B> ? SubResponse<B> : SubResponse };

/** Options of `crm.composite(...)`. */
export interface CompositeOptions extends RequestOptions {
  /** Undo every sub-request when one fails. @default false */
  rollback_on_fail?: boolean;
  /** Let Zoho run the sub-requests at the same time. @default false */
  concurrent_execution?: boolean;
  /** Split more than five sub-requests into several composite calls (never with rollback_on_fail). @default false */
  split?: boolean;
}

const SUB_ID = /^[a-zA-Z0-9][a-zA-Z0-9_]*$/;

function encodePath(path: string | readonly string[]): string {
  const segments = typeof path === 'string' ? path.split('/').filter((s) => s !== '') : [...path];
  if (segments.length === 0 || segments.some((s) => typeof s !== 'string' || s === '' || s === '.' || s === '..')) {
    throw new InvalidInputError(`A composite sub-request needs a path under /crm/{version}/ such as 'Leads' or ['Leads', id] (got ${JSON.stringify(path)}).`);
  }
  return segments.map((s) => encodeURIComponent(s)).join('/');
}

function wireItem(sub: SubRequest, index: number, version: string): Record<string, unknown> {
  if (!isObject(sub) || !['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(String(sub.method))) {
    throw new InvalidInputError(`Composite sub-request ${index} needs method GET, POST, PUT, PATCH or DELETE.`);
  }
  if (sub.sub_request_id !== undefined && !SUB_ID.test(sub.sub_request_id)) {
    throw new InvalidInputError(`Composite sub-request ${index}: sub_request_id must be letters, digits and _ (got ${JSON.stringify(sub.sub_request_id)}).`);
  }
  const params = Object.fromEntries(Object.entries(sub.params ?? {}).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]));
  return {
    sub_request_id: sub.sub_request_id ?? String(index + 1),
    method: sub.method,
    uri: `/crm/${version}/${encodePath(sub.path)}`,
    params,
    headers: sub.headers ?? {},
    body: sub.body ?? {},
  };
}

function readItem(item: unknown): SubResponse {
  const o = isObject(item) ? item : {};
  const details = isObject(o['details']) ? o['details'] : {};
  const response = isObject(details['response']) ? details['response'] : undefined;
  const { response: _r, ...rest } = details;
  const out: SubResponse = {
    code: typeof o['code'] === 'string' ? o['code'] : 'INVALID_RESPONSE',
    status: o['status'] === 'success' ? 'success' : 'error',
    message: typeof o['message'] === 'string' ? o['message'] : '',
    status_code: typeof response?.['status_code'] === 'number' ? response['status_code'] : undefined,
    body: response?.['body'] ?? undefined,
    headers: isObject(response?.['headers']) ? (response['headers'] as Record<string, string>) : {},
    details: rest,
  };
  if (typeof o['sub_request_id'] === 'string') out.sub_request_id = o['sub_request_id'];
  return out;
}

/** Sends sub-requests as one composite call (or several, when allowed); results in request order. */
export async function composite<const R extends readonly SubRequest[]>(client: RequestSender, requests: R, options: CompositeOptions = {}): Promise<CompositeResults<R>> {
  if (!Array.isArray(requests) || requests.length === 0) throw new InvalidInputError('crm.composite([...]) needs at least one sub-request.');
  if (requests.length > MAX_COMPOSITE_SUBREQUESTS) {
    if (options.rollback_on_fail === true) {
      throw new InvalidInputError(
        `crm.composite got ${requests.length} sub-requests with rollback_on_fail: Zoho takes at most ${MAX_COMPOSITE_SUBREQUESTS} per call and a rollback cannot span several calls. Send at most ${MAX_COMPOSITE_SUBREQUESTS}, or drop rollback_on_fail and pass split: true.`,
      );
    }
    if (options.split !== true) {
      throw new InvalidInputError(`crm.composite got ${requests.length} sub-requests; Zoho takes at most ${MAX_COMPOSITE_SUBREQUESTS} per call. Pass split: true to send them in several calls.`);
    }
  }
  const version = client.config.apiVersion;
  const items = requests.map((r, i) => wireItem(r, i, version));
  const results: SubResponse[] = [];
  for (let start = 0; start < items.length; start += MAX_COMPOSITE_SUBREQUESTS) {
    const chunk = items.slice(start, start + MAX_COMPOSITE_SUBREQUESTS);
    const reply = await client.requestJson<Record<string, unknown>>({
      method: 'POST',
      path: ['__composite_requests'],
      json: {
        rollback_on_fail: options.rollback_on_fail ?? false,
        concurrent_execution: options.concurrent_execution ?? false,
        __composite_requests: chunk,
      },
      ...requestFields(options),
    });
    const list = reply?.['__composite_requests'];
    if (!Array.isArray(list) || list.length !== chunk.length) {
      throw new ApiError({ status: 200, code: 'INVALID_RESPONSE', message: `Zoho answered ${chunk.length} composite sub-requests with ${Array.isArray(list) ? list.length : 'no'} results.` });
    }
    results.push(...list.map(readItem));
  }
  return results as CompositeResults<R>;
}

class Recorded extends Error {}

/**
 * A client that records the first request a method would send, instead of sending it: it has every generated
 * resource (`c.notifications.list()`, `c.blueprint.get(...)`) and `records(module)`, and any resource class
 * takes it as its sender.
 */
export class RecordingSender extends ClientResources {
  readonly config: ResolvedConfig;
  recorded: ApiRequest | undefined;

  constructor(config: ResolvedConfig) {
    super();
    this.config = config;
  }

  /** The records of a module, as `crm.records(module)` has them. */
  records(module: string): RecordsResource {
    return new RecordsResource(this, module);
  }

  #record(req: ApiRequest): Promise<never> {
    this.recorded ??= req;
    return Promise.reject(new Recorded('recorded'));
  }

  override request(req: ApiRequest): Promise<ApiResponse> {
    return this.#record(req);
  }

  override requestJson<T = unknown>(req: ApiRequest): Promise<T | undefined> {
    return this.#record(req);
  }

  override requestStream(req: ApiRequest): Promise<ApiStreamResponse> {
    return this.#record(req);
  }
}

/**
 * Records the request `call` makes through `sender` (a resource method, hand-written or generated) as a
 * sub-request. Only JSON requests under `/crm/{version}/` can be sub-requests.
 */
export async function recordSubRequest<Body = unknown>(config: ResolvedConfig, call: (sender: RecordingSender) => unknown): Promise<SubRequest<Body>> {
  const sender = new RecordingSender(config);
  try {
    await call(sender);
  } catch (error) {
    if (!(error instanceof Recorded) && sender.recorded === undefined) throw error;
  }
  const req = sender.recorded;
  if (req === undefined) throw new InvalidInputError('crm.subrequest(call): the call made no request to record.');
  if ((req.api ?? 'crm') !== 'crm' || req.multipart !== undefined || req.body !== undefined) {
    throw new InvalidInputError(`crm.subrequest(call): ${req.method} ${String(req.path)} is not a JSON request under /crm/{version}/, so it cannot be a composite sub-request.`);
  }
  const out: SubRequest<Body> = { method: req.method, path: req.path };
  if (typeof req.query === 'string') {
    out.params = Object.fromEntries(new URLSearchParams(req.query));
  } else if (req.query !== undefined) {
    out.params = Object.fromEntries(
      Object.entries(req.query)
        .filter(([, v]) => v !== undefined && v !== null)
        .map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v)]),
    );
  }
  if (req.json !== undefined) out.body = req.json;
  if (req.headers !== undefined) out.headers = req.headers;
  return out;
}

/** `crm.composite(requests, options)`: sends sub-requests in one composite call (see {@link composite}). */
export type CompositeCall = <const R extends readonly SubRequest[]>(requests: R, options?: CompositeOptions) => Promise<CompositeResults<R>>;

/**
 * `crm.composite`: callable for sub-requests, and still the generated resource (`crm.composite.create({ body })`
 * sends a raw composite body).
 */
export function compositeAccessor(generated: CompositeApi, client: RequestSender): CompositeApi & CompositeCall {
  const call: CompositeCall = (requests, options) => composite(client, requests, options);
  return Object.setPrototypeOf(call, generated) as CompositeApi & CompositeCall;
}
