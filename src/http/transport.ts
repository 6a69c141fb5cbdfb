import type { Readable } from 'node:stream';
import { Agent, fetch as undiciFetch } from 'undici';
import { AbortedError, ConnectionError, TimeoutError } from '../errors.js';
import { DEFAULT_MAX_CONNECTIONS, DEFAULT_TIMEOUT_MS } from '../config.js';

/** A request body the transport can send. Streams are sent chunked. */
export type HttpBody = string | Uint8Array | Readable | AsyncIterable<Uint8Array | string>;

export interface HttpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: HttpBody | undefined;
  signal?: AbortSignal | undefined;
  /** Overrides the transport's timeout for this request. */
  timeoutMs?: number | undefined;
}

export interface HttpResponse {
  status: number;
  statusText: string;
  /** Lower-case header names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  body: Buffer;
  url: string;
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
    dispatcher?: unknown;
  },
) => Promise<{
  status: number;
  statusText: string;
  headers: { forEach(cb: (value: string, key: string) => void): void };
  arrayBuffer(): Promise<ArrayBuffer>;
}>;

export interface HttpTransportOptions {
  /** Per-request timeout in ms. Default `DEFAULT_TIMEOUT_MS` (60 s). */
  timeoutMs?: number | undefined;
  /** A fetch-compatible function. Default: undici's fetch over a keep-alive connection pool. */
  fetch?: FetchLike | undefined;
  /** Extra CA certificate(s), PEM, to trust (e.g. the emulator's self-signed one). Default: none. */
  ca?: string | Buffer | undefined;
  /** Keep-alive connections per origin. Default `DEFAULT_MAX_CONNECTIONS` (64). */
  maxConnections?: number | undefined;
}

/** The one HTTP path of the SDK: keep-alive pool, timeouts, caller AbortSignals, typed network errors. */
export class HttpTransport {
  readonly #fetch: FetchLike;
  readonly #timeoutMs: number;
  readonly #agent: Agent | undefined;

  constructor(options: HttpTransportOptions = {}) {
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (options.fetch) {
      this.#fetch = options.fetch;
    } else {
      this.#agent = new Agent({
        connections: options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
        keepAliveTimeout: 30_000,
        ...(options.ca ? { connect: { ca: options.ca } } : {}),
      });
      this.#fetch = undiciFetch as unknown as FetchLike;
    }
  }

  async send(request: HttpRequest): Promise<HttpResponse> {
    const timeoutMs = request.timeoutMs ?? this.#timeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
    const where = describe(request);
    if (request.signal?.aborted) throw new AbortedError(`${where} was aborted by the caller before it was sent.`);
    const body = toFetchBody(request.body);
    try {
      const res = await this.#fetch(request.url, {
        method: request.method,
        headers: request.headers,
        body,
        signal,
        redirect: 'manual',
        ...(body !== undefined && typeof body === 'object' && Symbol.asyncIterator in body ? { duplex: 'half' as const } : {}),
        ...(this.#agent ? { dispatcher: this.#agent } : {}),
      });
      const headers: Record<string, string> = {};
      res.headers.forEach((value, key) => {
        headers[key.toLowerCase()] = value;
      });
      const buf = Buffer.from(await res.arrayBuffer());
      return { status: res.status, statusText: res.statusText, headers, body: buf, url: request.url };
    } catch (cause) {
      if (request.signal?.aborted) throw new AbortedError(`${where} was aborted by the caller.`, { cause });
      if (timeout.aborted) {
        throw new TimeoutError(`${where} timed out after ${timeoutMs} ms. Raise timeoutMs or check the network.`, timeoutMs, { cause });
      }
      const code = networkCode(cause);
      const hint = code && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)
        ? "The server's TLS certificate is not trusted: pass its CA with the `ca` option (the emulator exposes it as emulator.ca)."
        : 'Check the host in your configuration and the network.';
      throw new ConnectionError(
        `${where} failed before Zoho answered (${code ?? describeCause(cause)}). ${hint}`,
        { cause, ...(code ? { code } : {}) },
      );
    }
  }

  /** Closes pooled connections. */
  async close(): Promise<void> {
    await this.#agent?.close();
  }
}

function describe(request: HttpRequest): string {
  const url = new URL(request.url);
  return `${request.method} ${url.origin}${url.pathname}`;
}

function toFetchBody(body: HttpBody | undefined): string | Uint8Array | AsyncIterable<Uint8Array> | undefined {
  if (body === undefined || typeof body === 'string' || body instanceof Uint8Array) return body;
  return toBytes(body);
}

// form-data streams mix strings and Buffers; fetch wants bytes only.
async function* toBytes(source: AsyncIterable<Uint8Array | string>): AsyncIterable<Uint8Array> {
  for await (const chunk of source) yield typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
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
