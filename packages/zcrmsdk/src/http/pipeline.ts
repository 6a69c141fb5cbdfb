import { Readable } from 'node:stream';
import type { ApiStreamResponse } from '../api/resource.js';
import { ApiError, InvalidInputError, ZohoError, apiErrorFromResponse } from '../errors.js';
import { buildPath, encodeQuery } from '../internal/path.js';
import { type Logger, silentLogger } from '../logger.js';
import { sleep } from '../internal/sleep.js';
import type { ConcurrencyLimiter } from './limiter.js';
import { encodeMultipart } from './multipart.js';
import type { ApiRequest, ApiResponse } from './request.js';
import { retryDelayMs, shouldRetry } from './retry.js';
import { validateRequest } from './validate.js';
import type { HttpBody, HttpRequest, HttpResponse, HttpStreamResponse, HttpTransport } from './transport.js';

/** What a request hook sees: never a token or a body. */
export interface RequestEvent {
  method: string;
  /** The URL without credentials. */
  url: string;
  userId: string;
  /** 0 for the first send; replays and retries count up. */
  attempt: number;
}
/** What a response hook sees. */
export interface ResponseEvent extends RequestEvent {
  status: number;
  durationMs: number;
  /** Zoho's request id header, when it sent one. */
  requestId: string | undefined;
}
/** What a retry hook sees, before the wait. */
export interface RetryEvent extends RequestEvent {
  /** 1 for the first retry. */
  retry: number;
  delayMs: number;
  /** The status that caused it, or the network error code. */
  reason: string;
}
/** What a token-refresh hook sees. */
export interface TokenRefreshEvent {
  userId: string;
  /** Why: `expired` (before a call) or `rejected` (Zoho answered 401 INVALID_TOKEN). */
  reason: string;
}

/** Observability hooks; a hook that throws is logged and ignored. */
export interface ClientHooks {
  onRequest?: ((event: RequestEvent) => void) | undefined;
  onResponse?: ((event: ResponseEvent) => void) | undefined;
  onRetry?: ((event: RetryEvent) => void) | undefined;
  onTokenRefresh?: ((event: TokenRefreshEvent) => void) | undefined;
}

/** Where the pipeline gets access tokens: the TokenManager, or the caller's provider. */
export interface TokenSource {
  /** A token for `userId`; with `rejected`, Zoho refused that one: give a different one if you can. */
  get(userId: string, options: { rejected?: string | undefined; signal?: AbortSignal | undefined }): Promise<{ accessToken: string; apiDomain?: string | undefined }>;
}

/** What the pipeline needs to know; the client builds it once. */
export interface PipelineOptions {
  transport: HttpTransport;
  tokens: TokenSource;
  /** Base URL of the CRM API, without a trailing slash. */
  apiUrl: string;
  /** Use the `api_domain` a token reply names instead of `apiUrl` (when apiUrl was not set explicitly). */
  followApiDomain: boolean;
  /** Checks an api_domain before it is used; throws when it must not be. */
  checkApiDomain?: ((url: string) => string) | undefined;
  apiVersion: string;
  maxRetries: number;
  userAgent: string;
  logger?: Logger | undefined;
  limiter?: ConcurrencyLimiter | undefined;
  hooks?: ClientHooks | undefined;
}

interface Target {
  origin: string;
  crmPath: string;
  bulkPath: string;
  /** `/crm/email/{v}/` (email settings) and `/` (the API host itself, e.g. a `download_url`). */
  emailPath: string;
  rootPath: string;
}

/**
 * The request pipeline, read top to bottom: resolve the user's token, build the request, send it through the
 * transport, on 401 INVALID_TOKEN refresh once and replay (not a retry), on a retryable failure ask the pure
 * retry policy for a delay and loop, and on an error status call the one error factory.
 */
export class RequestPipeline {
  readonly #options: PipelineOptions;
  readonly #logger: Logger;
  readonly #hooks: ClientHooks;
  // URL pieces computed once per API host: the transport gets origin + path and never parses a URL per call.
  readonly #target: Target;
  readonly #domains = new Map<string, Target>();

  constructor(options: PipelineOptions) {
    this.#options = options;
    this.#logger = options.logger ?? silentLogger;
    this.#hooks = options.hooks ?? {};
    this.#target = this.#targetOf(options.apiUrl);
  }

  /** Sends `req` (as `userId` unless it names a user) and resolves the whole reply; error statuses throw unless `throwOnError: false`. */
  async send(req: ApiRequest, userId: string): Promise<ApiResponse> {
    const { res, sent } = await this.#run(req, userId, false);
    return { status: res.status, statusText: res.statusText, headers: res.headers, body: res.body as Buffer, url: sent.url, method: sent.method, requestHeaders: redactAuth(sent.headers) };
  }

  /** `send` + JSON parsing; 204/304 and empty bodies give `undefined`. */
  async sendJson<T>(req: ApiRequest, userId: string): Promise<T | undefined> {
    const res = await this.send(req, userId);
    if (res.status === 204 || res.status === 304 || res.body.length === 0) return undefined;
    try {
      return JSON.parse(res.body.toString('utf8')) as T;
    } catch (cause) {
      throw new ApiError({ status: res.status, code: 'INVALID_RESPONSE', message: `Zoho answered ${req.method} ${res.url} with a body that is not JSON.` }, { cause });
    }
  }

  /** Sends `req` and resolves once the headers are in, the body streaming; error statuses are read and thrown. */
  async stream(req: ApiRequest, userId: string): Promise<ApiStreamResponse> {
    const { res, sent } = await this.#run(req, userId, true);
    const body = Buffer.isBuffer(res.body) ? streamOf(res.body) : res.body;
    return { status: res.status, statusText: res.statusText, headers: res.headers, body, url: sent.url, method: sent.method };
  }

  async #run(req: ApiRequest, defaultUser: string, streaming: boolean): Promise<{ res: HttpResponse | HttpStreamResponse; sent: HttpRequest }> {
    // 1. Validate, then build what does not change between attempts: the caller's headers, a JSON body.
    validateRequest(req);
    const userId = req.userId || defaultUser;
    const relative = this.#relative(req);
    const baseHeaders: Record<string, string> = { 'user-agent': this.#options.userAgent, ...lowerKeys(req.headers) };
    const maxRetries = req.maxRetries ?? this.#options.maxRetries;
    const json = req.json === undefined ? undefined : serializeJson(req.json);
    const { limiter } = this.#options;

    // 2. Resolve the user's token (cached; refreshed early, one refresh in flight per user) and its API host.
    let token = await this.#options.tokens.get(userId, { signal: req.signal });
    let authReplayed = false;
    let sendIndex = 0;

    for (let retry = 0; ; ) {
      // 3. Build this attempt's request (a file is re-opened for a replay) and send it through the transport,
      //    inside a concurrency slot when a limiter is set.
      const target = this.#targetFor(token.apiDomain);
      const path = `${req.api === 'bulk' ? target.bulkPath : req.api === 'email' ? target.emailPath : req.api === 'root' ? target.rootPath : target.crmPath}${relative}`;
      const body = buildBody(req, json, sendIndex);
      const sent: HttpRequest = {
        method: req.method,
        url: `${target.origin}${path}`,
        origin: target.origin,
        path,
        headers: { ...baseHeaders, ...body.headers, authorization: `Zoho-oauthtoken ${token.accessToken}` },
        body: body.body,
        signal: req.signal,
        timeoutMs: req.timeoutMs,
      };
      const event: RequestEvent = { method: req.method, url: sent.url, userId, attempt: sendIndex++ };
      this.#emit('onRequest', event);
      const started = Date.now();
      const release = limiter ? await limiter.acquire(req.signal) : undefined;
      let res: HttpResponse | HttpStreamResponse;
      try {
        res = streaming ? await this.#options.transport.stream(sent) : await this.#options.transport.send(sent);
        // Error replies are small and needed whole (Zoho's code, the error factory): read them even when streaming.
        if (res.status >= 400 && !Buffer.isBuffer(res.body)) res = { ...res, body: await readAll(res.body) };
      } catch (error) {
        release?.();
        // 5a. No reply: retry when the policy allows (never after the caller's abort, never a one-shot stream body).
        const errorCode = error instanceof ZohoError ? error.code : undefined;
        if (body.replayable && shouldRetry({ attempt: retry, maxRetries, method: req.method, errorCode, aborted: req.signal?.aborted })) {
          await this.#wait(event, ++retry, retryDelayMs(retry - 1, undefined), errorCode ?? 'network error', req.signal);
          continue;
        }
        throw error;
      }
      // A streamed body keeps its slot until it is consumed or destroyed.
      if (release) {
        if (Buffer.isBuffer(res.body)) release();
        else res.body.once('close', release);
      }
      this.#emit('onResponse', { ...event, status: res.status, durationMs: Date.now() - started, requestId: res.headers['x-request-id'] ?? res.headers['x-zoho-request-id'] });

      // 4. 401 INVALID_TOKEN: one forced refresh and one replay; that is auth, not a retry.
      if (res.status === 401 && !authReplayed && body.replayable && zohoCode(res.body as Buffer) === 'INVALID_TOKEN') {
        this.#logger.debug(`Zoho refused the access token of '${userId}'; refreshing once and replaying.`);
        token = await this.#options.tokens.get(userId, { rejected: token.accessToken, signal: req.signal });
        authReplayed = true;
        continue;
      }

      // 5b. A retryable status: wait as the policy says (Retry-After honoured up to a cap) and loop.
      if (body.replayable && shouldRetry({ attempt: retry, maxRetries, method: req.method, status: res.status })) {
        await this.#wait(event, ++retry, retryDelayMs(retry - 1, res.headers['retry-after']), `HTTP ${res.status}`, req.signal);
        continue;
      }

      // 6. An error status goes through the one error factory.
      if (res.status >= 400 && req.throwOnError !== false) {
        throw apiErrorFromResponse(res.status, (res.body as Buffer).toString('utf8'), res.headers);
      }
      return { res, sent };
    }
  }

  async #wait(event: RequestEvent, retry: number, delayMs: number, reason: string, signal: AbortSignal | undefined): Promise<void> {
    this.#logger.debug(`${event.method} ${event.url} failed (${reason}); retry ${retry} in ${delayMs} ms.`);
    this.#emit('onRetry', { ...event, retry, delayMs, reason });
    await sleep(delayMs, signal);
  }

  #emit<K extends 'onRequest' | 'onResponse' | 'onRetry'>(name: K, event: Parameters<NonNullable<ClientHooks[K]>>[0]): void {
    const hook = this.#hooks[name] as ((e: typeof event) => void) | undefined;
    if (!hook) return;
    try {
      hook(event);
    } catch (error) {
      this.#logger.warn(`The ${name} hook threw (${error instanceof Error ? error.name : typeof error}); ignored.`);
    }
  }

  #targetFor(apiDomain: string | undefined): Target {
    if (!apiDomain || !this.#options.followApiDomain) return this.#target;
    let target = this.#domains.get(apiDomain);
    if (!target) {
      try {
        target = this.#targetOf(this.#options.checkApiDomain ? this.#options.checkApiDomain(apiDomain) : apiDomain);
      } catch (error) {
        this.#logger.warn(`Ignoring the api_domain '${apiDomain}' of a token reply (${(error as Error).message}); using ${this.#options.apiUrl}.`);
        target = this.#target;
      }
      this.#domains.set(apiDomain, target);
    }
    return target;
  }

  #targetOf(apiUrl: string): Target {
    const api = new URL(apiUrl);
    const prefix = api.pathname.replace(/\/+$/, '');
    const version = this.#options.apiVersion;
    return { origin: api.origin, crmPath: `${prefix}/crm/${version}/`, bulkPath: `${prefix}/crm/bulk/${version}/`, emailPath: `${prefix}/crm/email/${version}/`, rootPath: `${prefix}/` };
  }

  #relative(req: ApiRequest): string {
    const query = typeof req.query === 'string' ? req.query : req.query ? encodeQuery(req.query) : '';
    // The API host's root itself (`GET /`) is the one path with no segment.
    const path = req.api === 'root' && req.path.length === 0 ? '' : buildPath(req.path);
    return `${path}${query ? `?${query}` : ''}`;
  }
}

interface BuiltBody {
  body: HttpBody | undefined;
  headers: Record<string, string>;
  /** False when the body is a stream that can be sent only once: no retry, no replay. */
  replayable: boolean;
}

function serializeJson(value: unknown): string {
  try {
    const text = JSON.stringify(value);
    if (text === undefined) throw new TypeError(`${typeof value} has no JSON form`);
    return text;
  } catch (cause) {
    throw new InvalidInputError(`request.json cannot be sent as JSON (${(cause as Error).message}): remove circular references, BigInts and functions first.`, { cause });
  }
}

function buildBody(req: ApiRequest, json: string | undefined, sendIndex: number): BuiltBody {
  if (req.multipart) {
    const form = encodeMultipart(req.multipart, sendIndex);
    const headers: Record<string, string> = { 'content-type': form.contentType };
    if (form.length !== undefined) headers['content-length'] = String(form.length);
    return { body: form.body, headers, replayable: form.replayable };
  }
  if (json !== undefined) return { body: json, headers: { 'content-type': 'application/json' }, replayable: true };
  if (req.body !== undefined) return { body: req.body, headers: {}, replayable: true };
  return { body: undefined, headers: {}, replayable: true };
}

async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function streamOf(buf: Buffer): Readable {
  return Readable.from([buf]);
}

function redactAuth(headers: Record<string, string>): Record<string, string> {
  return { ...headers, authorization: 'Zoho-oauthtoken [REDACTED]' };
}

function lowerKeys(headers: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  for (const [k, v] of Object.entries(headers)) {
    const name = k.toLowerCase();
    // The transport computes Content-Length; a caller's value could only be wrong (and stall the socket).
    if (v !== undefined && v !== null && name !== 'content-length') out[name] = String(v);
  }
  return out;
}

function zohoCode(body: Buffer): string | undefined {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { code?: unknown };
    return typeof parsed.code === 'string' ? parsed.code : undefined;
  } catch {
    return undefined;
  }
}
