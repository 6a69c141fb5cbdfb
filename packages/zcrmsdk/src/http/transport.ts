import { PassThrough, Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { Agent, Dispatcher } from 'undici';
import { AbortedError, ConnectionError, TimeoutError } from '../errors.js';
import { DEFAULT_KEEP_ALIVE_TIMEOUT_MS, DEFAULT_MAX_CONNECTIONS, DEFAULT_TIMEOUT_MS } from '../config.js';

/** A request body the transport can send. Streams are sent chunked unless a content-length header is given. */
export type HttpBody = string | Uint8Array | Readable | AsyncIterable<Uint8Array>;

export interface HttpRequest {
  method: string;
  /** The full URL (messages, the fetch seam). */
  url: string;
  /** `url`'s origin and path+query, when the caller has them already (saves parsing the URL per call). */
  origin?: string | undefined;
  path?: string | undefined;
  headers: Record<string, string>;
  body?: HttpBody | undefined;
  signal?: AbortSignal | undefined;
  /** Overrides the transport's timeout for this request. */
  timeoutMs?: number | undefined;
}

/** A reply whose body is still a stream: consume or destroy it. */
export interface HttpStreamResponse {
  status: number;
  statusText: string;
  /** Lower-case header names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  body: Readable;
  url: string;
}

/** A reply read whole. */
export interface HttpResponse extends Omit<HttpStreamResponse, 'body'> {
  body: Buffer;
}

/** The subset of the WHATWG fetch signature the transport needs; inject your own to trace or stub. */
export type FetchLike = (
  url: string,
  init: {
    method: string;
    headers: Record<string, string>;
    body?: string | Uint8Array | AsyncIterable<Uint8Array> | undefined;
    signal: AbortSignal;
    redirect: 'manual';
    duplex?: 'half';
  },
) => Promise<{
  status: number;
  statusText: string;
  headers: { forEach(cb: (value: string, key: string) => void): void };
  arrayBuffer(): Promise<ArrayBuffer>;
  /** When present, downloads are streamed from it instead of read whole. */
  body?: WebReadableStream<Uint8Array> | ReadableStream<Uint8Array> | null | undefined;
}>;

export interface HttpTransportOptions {
  /** Per-request timeout in ms: for the reply headers, and for each wait between body chunks. @default DEFAULT_TIMEOUT_MS */
  timeoutMs?: number | undefined;
  /** A fetch-compatible function. Default: undici's dispatcher API over a keep-alive connection pool. */
  fetch?: FetchLike | undefined;
  /** Extra CA certificate(s), PEM, to trust (e.g. the emulator's self-signed one). Default: none. */
  ca?: string | Buffer | undefined;
  /** Keep-alive connections per origin. @default DEFAULT_MAX_CONNECTIONS */
  maxConnections?: number | undefined;
}

/** Timeouts shorter than this get a precise per-call timer instead of undici's coarse timeout ticks. */
const PRECISE_TIMEOUT_BELOW_MS = 10_000;

/**
 * The one HTTP path of the SDK: undici's `request` over a keep-alive Agent (timeouts are the dispatcher's own
 * headersTimeout/bodyTimeout, so a call without a caller signal creates no AbortSignal), or a user-supplied fetch.
 */
export class HttpTransport {
  readonly #fetch: FetchLike | undefined;
  readonly #timeoutMs: number;
  readonly #agentOptions: Agent.Options | undefined;
  #agent: Agent | undefined;

  constructor(options: HttpTransportOptions = {}) {
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (options.fetch) {
      this.#fetch = options.fetch;
    } else {
      this.#agentOptions = {
        connections: options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
        keepAliveTimeout: DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
        ...(options.ca ? { connect: { ca: options.ca } } : {}),
      };
    }
  }

  /**
   * The keep-alive Agent, made on the first request: undici is most of what `require('zcrmsdk')` would load,
   * so it loads when a request needs it, not at start-up.
   */
  #dispatcher(options: Agent.Options): Agent {
    if (!this.#agent) {
      const undici = require('undici') as typeof import('undici');
      this.#agent = new undici.Agent(options);
    }
    return this.#agent;
  }

  /** Sends a request and reads the whole reply. */
  async send(request: HttpRequest): Promise<HttpResponse> {
    const res = await this.#open(request);
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of res.body) chunks.push(chunk as Buffer);
      return { status: res.status, statusText: res.statusText, headers: res.headers, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), url: res.url };
    } catch (cause) {
      throw this.#failure(request, cause, res.timeout);
    } finally {
      res.done();
    }
  }

  /** Sends a request; resolves once the reply headers are in, with the body as a stream (errors typed). */
  async stream(request: HttpRequest): Promise<HttpStreamResponse> {
    const res = await this.#open(request);
    const source = res.body;
    const body = new PassThrough();
    let settled = false;
    const settle = (): void => {
      if (settled) return;
      settled = true;
      res.done();
    };
    // Wired by hand, not with stream.pipeline: pipeline destroys the consumer's stream with the raw error (a
    // DOMException on abort) before its callback could hand over the typed one.
    source.on('error', (error: unknown) => {
      settle();
      body.destroy(this.#failure(request, error, res.timeout));
    });
    source.on('end', settle);
    // A consumer that stops reading (destroy) ends the download and frees the connection.
    body.on('close', () => {
      if (!source.readableEnded) source.destroy();
      settle();
    });
    source.pipe(body);
    return { status: res.status, statusText: res.statusText, headers: res.headers, body, url: res.url };
  }

  #open(request: HttpRequest): Promise<OpenResponse> {
    if (request.signal?.aborted) {
      return Promise.reject(new AbortedError(`${describe(request)} was aborted by the caller before it was sent.`, { cause: request.signal.reason }));
    }
    return this.#agentOptions ? this.#undici(this.#dispatcher(this.#agentOptions), request) : this.#viaFetch(this.#fetch!, request);
  }

  /** Closes pooled connections. */
  async close(): Promise<void> {
    await this.#agent?.close();
  }

  async #undici(agent: Agent, request: HttpRequest): Promise<OpenResponse> {
    const timeoutMs = request.timeoutMs ?? this.#timeoutMs;
    let origin = request.origin;
    let path = request.path;
    if (origin === undefined || path === undefined) {
      const url = new URL(request.url);
      origin = url.origin;
      path = `${url.pathname}${url.search}`;
    }
    const options: Dispatcher.RequestOptions = {
      origin,
      path,
      method: request.method as Dispatcher.HttpMethod,
      headers: request.headers,
      // undici takes async iterables too (the streaming multipart encoder), though its types leave them out.
      body: (request.body ?? null) as NonNullable<Dispatcher.RequestOptions['body']>,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    };
    // undici's own timeouts tick coarsely (a 150 ms headersTimeout fired after ~900 ms): a short timeout gets
    // one precise timer per call; the default (60 s) stays on undici's timers, so the hot path creates none.
    let timer: NodeJS.Timeout | undefined;
    let timeout: AbortController | undefined;
    if (timeoutMs < PRECISE_TIMEOUT_BELOW_MS) {
      timeout = new AbortController();
      const controller = timeout;
      timer = setTimeout(() => controller.abort(new TimeoutError(`${describe(request)} timed out after ${timeoutMs} ms. Raise timeoutMs or check the network.`, timeoutMs)), timeoutMs);
      options.signal = request.signal ? AbortSignal.any([request.signal, controller.signal]) : controller.signal;
    } else if (request.signal) {
      options.signal = request.signal;
    }
    let res: Dispatcher.ResponseData;
    try {
      res = await agent.request(options);
    } catch (cause) {
      throw this.#failure(request, timeout?.signal.aborted && !request.signal?.aborted ? timeout.signal.reason : cause);
    } finally {
      // The precise timer guards the wait for the reply headers; body gaps keep undici's bodyTimeout.
      clearTimeout(timer);
    }
    const headers: Record<string, string> = {};
    for (const key in res.headers) {
      const value = res.headers[key];
      if (value !== undefined) headers[key] = Array.isArray(value) ? value.join(', ') : value;
    }
    return { status: res.statusCode, statusText: res.statusText, headers, body: res.body, url: request.url, timeout: undefined, done: noop };
  }

  async #viaFetch(fetchFn: FetchLike, request: HttpRequest): Promise<OpenResponse> {
    const timeoutMs = request.timeoutMs ?? this.#timeoutMs;
    // The fetch seam needs a signal for its timeout: one controller and one timer per call.
    const timer = new AbortController();
    const handle = setTimeout(() => timer.abort(new TimeoutError(`${describe(request)} timed out after ${timeoutMs} ms.`, timeoutMs)), timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, timer.signal]) : timer.signal;
    const body = request.body;
    try {
      const res = await fetchFn(request.url, {
        method: request.method,
        headers: request.headers,
        body,
        signal,
        redirect: 'manual',
        ...(body !== undefined && typeof body === 'object' && Symbol.asyncIterator in body ? { duplex: 'half' as const } : {}),
      });
      const headers: Record<string, string> = {};
      res.headers.forEach((value, key) => {
        headers[key.toLowerCase()] = value;
      });
      const stream = res.body ? Readable.fromWeb(res.body as WebReadableStream<Uint8Array>) : Readable.from([Buffer.from(await res.arrayBuffer())]);
      return { status: res.status, statusText: res.statusText, headers, body: stream, url: request.url, timeout: timer.signal, done: () => clearTimeout(handle) };
    } catch (cause) {
      clearTimeout(handle);
      throw this.#failure(request, cause, timer.signal);
    }
  }

  #failure(request: HttpRequest, cause: unknown, timeout?: AbortSignal): Error {
    if (cause instanceof AbortedError || cause instanceof ConnectionError) return cause;
    const where = describe(request);
    if (request.signal?.aborted) return new AbortedError(`${where} was aborted by the caller.`, { cause });
    const code = networkCode(cause);
    const timeoutMs = request.timeoutMs ?? this.#timeoutMs;
    if (timeout?.aborted || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
      return new TimeoutError(`${where} timed out after ${timeoutMs} ms. Raise timeoutMs or check the network.`, timeoutMs, { cause });
    }
    const hint = code && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)
      ? "The server's TLS certificate is not trusted: pass its CA with the `ca` option (the emulator exposes it as emulator.ca)."
      : 'Check the host in your configuration and the network.';
    return new ConnectionError(`${where} failed before Zoho answered (${code ?? describeCause(cause)}). ${hint}`, { cause, ...(code ? { code } : {}) });
  }
}

interface OpenResponse extends HttpStreamResponse {
  /** The fetch seam's timeout signal (to tell a timeout from a failure). */
  timeout: AbortSignal | undefined;
  /** Clears the per-call timer, once the body is read or abandoned. */
  done(): void;
}

const noop = (): void => {};

function describe(request: HttpRequest): string {
  if (request.origin !== undefined && request.path !== undefined) return `${request.method} ${request.origin}${request.path.split('?')[0]}`;
  try {
    const url = new URL(request.url);
    return `${request.method} ${url.origin}${url.pathname}`;
  } catch {
    return request.method;
  }
}

function networkCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'ERR_INVALID_ARG_TYPE') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function describeCause(error: unknown): string {
  const inner = (error as { cause?: unknown }).cause ?? error;
  return inner instanceof Error ? inner.message : String(inner);
}
