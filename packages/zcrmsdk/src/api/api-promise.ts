/**
 * The promise every generated method returns: `await` it for the data, or call `withResponse()` for the data
 * with the reply's status, headers and request id (openai-node's `APIPromise`). The request is sent when the
 * promise is first awaited or `withResponse()` is called, so an unused promise costs nothing and cannot reject
 * unobserved.
 */
import type { ApiRequest } from '../client.js';
import { ApiError, REQUEST_ID_HEADERS } from '../errors.js';
import type { RequestSender } from './resource.js';

/** What Zoho said about a reply besides its body. */
export interface ResponseMeta {
  /** The HTTP status (200, 201, 202, 204, 207 ...). */
  status: number;
  /** Reply headers, lower-case names. */
  headers: Record<string, string>;
  /** Zoho's request id, to quote to Zoho support (see `REQUEST_ID_HEADERS`); undefined when the reply had none. */
  requestId: string | undefined;
}

/** The data of a reply together with its metadata. */
export interface WithResponse<T> {
  data: T;
  response: ResponseMeta;
}

/** The metadata of a reply's status and headers. */
export function responseMeta(status: number, headers: Record<string, string>): ResponseMeta {
  const requestId = REQUEST_ID_HEADERS.map((name) => headers[name]).find((value) => value !== undefined && value !== '');
  return { status, headers, requestId };
}

/** Sends `req` and parses its JSON reply (undefined for 204, 304 and empty bodies), keeping the reply's metadata. */
export async function sendJson<T>(client: RequestSender, req: ApiRequest): Promise<{ body: T | undefined; response: ResponseMeta }> {
  const res = await client.request(req);
  const response = responseMeta(res.status, res.headers);
  if (res.status === 204 || res.status === 304 || res.body.length === 0) return { body: undefined, response };
  try {
    return { body: JSON.parse(res.body.toString('utf8')) as T, response };
  } catch (cause) {
    throw new ApiError({ status: res.status, code: 'INVALID_RESPONSE', message: `Zoho answered ${res.method} ${res.url} with a body that is not JSON.` }, { cause });
  }
}

/** A lazily sent call: awaitable for its data, `withResponse()` for data plus status, headers and request id. */
export class APIPromise<T> extends Promise<T> {
  // `then` must build plain promises, not APIPromises (which need a loader).
  static override get [Symbol.species](): PromiseConstructor {
    return Promise;
  }

  readonly #load: () => Promise<WithResponse<T>>;
  #sent: Promise<WithResponse<T>> | undefined;
  #linked = false;
  readonly #resolve: (value: T) => void;
  readonly #reject: (error: unknown) => void;

  constructor(load: () => Promise<WithResponse<T>>) {
    let resolve: ((value: T) => void) | undefined;
    let reject: ((error: unknown) => void) | undefined;
    super((res, rej) => {
      resolve = res;
      reject = rej;
    });
    this.#resolve = resolve as (value: T) => void;
    this.#reject = reject as (error: unknown) => void;
    this.#load = load;
  }

  /** The data with the reply's `{ status, headers, requestId }`. */
  withResponse(): Promise<WithResponse<T>> {
    this.#sent ??= Promise.resolve().then(this.#load);
    return this.#sent;
  }

  override then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    if (!this.#linked) {
      this.#linked = true;
      this.withResponse().then((r) => this.#resolve(r.data), this.#reject);
    }
    return super.then(onfulfilled, onrejected);
  }
}
