import { Readable } from 'node:stream';
import type { ApiStreamResponse } from '../api/resource.js';
import type { TokenManager } from '../auth/token-manager.js';
import { AbortedError, ApiError, ZohoError, apiErrorFromResponse } from '../errors.js';
import { buildPath, encodeQuery } from '../internal/path.js';
import { type Logger, silentLogger } from '../logger.js';
import { encodeMultipart } from './multipart.js';
import type { ApiRequest, ApiResponse } from './request.js';
import { retryDelayMs, shouldRetry } from './retry.js';
import type { HttpBody, HttpRequest, HttpResponse, HttpStreamResponse, HttpTransport } from './transport.js';

/** What the pipeline needs to know; the client builds it once. */
export interface PipelineOptions {
  transport: HttpTransport;
  tokens: TokenManager;
  /** Base URL of the CRM API, without a trailing slash. */
  apiUrl: string;
  apiVersion: string;
  /** The user a request names none. */
  userId: string;
  maxRetries: number;
  userAgent: string;
  logger?: Logger | undefined;
}

/**
 * The request pipeline, read top to bottom: resolve the user's token, build the request, send it through the
 * transport, on 401 INVALID_TOKEN refresh once and replay (not a retry), on a retryable failure ask the pure
 * retry policy for a delay and loop, and on an error status call the one error factory.
 */
export class RequestPipeline {
  readonly #options: PipelineOptions;
  readonly #logger: Logger;
  // URL pieces computed once: the transport gets origin + path and never parses a URL per call.
  readonly #origin: string;
  readonly #crmPath: string;
  readonly #bulkPath: string;

  constructor(options: PipelineOptions) {
    this.#options = options;
    this.#logger = options.logger ?? silentLogger;
    const api = new URL(options.apiUrl);
    this.#origin = api.origin;
    const prefix = api.pathname.replace(/\/+$/, '');
    this.#crmPath = `${prefix}/crm/${options.apiVersion}/`;
    this.#bulkPath = `${prefix}/crm/bulk/${options.apiVersion}/`;
  }

  /** Sends `req` and resolves the whole reply; error statuses throw unless `throwOnError: false`. */
  async send(req: ApiRequest): Promise<ApiResponse> {
    const { res, sent } = await this.#run(req, false);
    return { status: res.status, statusText: res.statusText, headers: res.headers, body: res.body as Buffer, url: sent.url, method: sent.method, requestHeaders: redactAuth(sent.headers) };
  }

  /** `send` + JSON parsing; 204/304 and empty bodies give `undefined`. */
  async sendJson<T>(req: ApiRequest): Promise<T | undefined> {
    const res = await this.send(req);
    if (res.status === 204 || res.status === 304 || res.body.length === 0) return undefined;
    try {
      return JSON.parse(res.body.toString('utf8')) as T;
    } catch (cause) {
      throw new ApiError({ status: res.status, code: 'INVALID_RESPONSE', message: `Zoho answered ${req.method} ${res.url} with a body that is not JSON.` }, { cause });
    }
  }

  /** Sends `req` and resolves once the headers are in, the body streaming; error statuses are read and thrown. */
  async stream(req: ApiRequest): Promise<ApiStreamResponse> {
    const { res, sent } = await this.#run(req, true);
    const body = Buffer.isBuffer(res.body) ? streamOf(res.body) : res.body;
    return { status: res.status, statusText: res.statusText, headers: res.headers, body, url: sent.url, method: sent.method };
  }

  async #run(req: ApiRequest, streaming: boolean): Promise<{ res: HttpResponse | HttpStreamResponse; sent: HttpRequest }> {
    // 1. Build what does not change between attempts (the URL and the caller's headers), validating first.
    const userId = req.userId || this.#options.userId;
    const path = this.#path(req);
    const url = `${this.#origin}${path}`;
    const baseHeaders: Record<string, string> = { 'user-agent': this.#options.userAgent, ...lowerKeys(req.headers) };
    const maxRetries = req.maxRetries ?? this.#options.maxRetries;

    // 2. Resolve the user's token (cached; refreshed early, one refresh in flight per user).
    let token = await this.#options.tokens.getAccessToken(userId, { signal: req.signal });
    let authReplayed = false;
    let sendIndex = 0;

    for (let retry = 0; ; ) {
      // 3. Build this attempt's body (a file is re-opened for a replay) and send it through the transport.
      const body = buildBody(req, sendIndex++);
      const sent: HttpRequest = {
        method: req.method,
        url,
        origin: this.#origin,
        path,
        headers: { ...baseHeaders, ...body.headers, authorization: `Zoho-oauthtoken ${token}` },
        body: body.body,
        signal: req.signal,
        timeoutMs: req.timeoutMs,
      };
      let res: HttpResponse | HttpStreamResponse;
      try {
        res = streaming ? await this.#options.transport.stream(sent) : await this.#options.transport.send(sent);
        // Error replies are small and needed whole (Zoho's code, the error factory): read them even when streaming.
        if (res.status >= 400 && !Buffer.isBuffer(res.body)) res = { ...res, body: await readAll(res.body) };
      } catch (error) {
        // 5a. No reply: retry when the policy allows (never after the caller's abort, never a one-shot stream body).
        const errorCode = error instanceof ZohoError ? error.code : undefined;
        if (body.replayable && shouldRetry({ attempt: retry, maxRetries, method: req.method, errorCode, aborted: req.signal?.aborted })) {
          const delay = retryDelayMs(retry, undefined);
          this.#logger.debug(`${req.method} ${url} failed before Zoho answered (${errorCode ?? 'unknown'}); retrying in ${delay} ms.`);
          await sleep(delay, req.signal);
          retry++;
          continue;
        }
        throw error;
      }

      // 4. 401 INVALID_TOKEN: one forced refresh and one replay; that is auth, not a retry.
      if (res.status === 401 && !authReplayed && body.replayable && zohoCode(res.body as Buffer) === 'INVALID_TOKEN') {
        this.#logger.debug(`Zoho refused the access token of '${userId}'; refreshing once and replaying.`);
        token = await this.#options.tokens.getAccessToken(userId, { rejected: token, signal: req.signal });
        authReplayed = true;
        continue;
      }

      // 5b. A retryable status: wait as the policy says (Retry-After honoured up to a cap) and loop.
      if (body.replayable && shouldRetry({ attempt: retry, maxRetries, method: req.method, status: res.status })) {
        const delay = retryDelayMs(retry, res.headers['retry-after']);
        this.#logger.debug(`${req.method} ${url} answered ${res.status}; retrying in ${delay} ms.`);
        await sleep(delay, req.signal);
        retry++;
        continue;
      }

      // 6. An error status goes through the one error factory.
      if (res.status >= 400 && req.throwOnError !== false) {
        throw apiErrorFromResponse(res.status, (res.body as Buffer).toString('utf8'), res.headers);
      }
      return { res, sent };
    }
  }

  #path(req: ApiRequest): string {
    const base = req.api === 'bulk' ? this.#bulkPath : this.#crmPath;
    const query = typeof req.query === 'string' ? req.query : req.query ? encodeQuery(req.query) : '';
    return `${base}${buildPath(req.path)}${query ? `?${query}` : ''}`;
  }
}

interface BuiltBody {
  body: HttpBody | undefined;
  headers: Record<string, string>;
  /** False when the body is a stream that can be sent only once: no retry, no replay. */
  replayable: boolean;
}

function buildBody(req: ApiRequest, sendIndex: number): BuiltBody {
  if (req.multipart) {
    const form = encodeMultipart(req.multipart, sendIndex);
    const headers: Record<string, string> = { 'content-type': form.contentType };
    if (form.length !== undefined) headers['content-length'] = String(form.length);
    return { body: form.body, headers, replayable: form.replayable };
  }
  if (req.json !== undefined) return { body: JSON.stringify(req.json), headers: { 'content-type': 'application/json' }, replayable: true };
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
    if (v !== undefined && v !== null) out[k.toLowerCase()] = String(v);
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

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const aborted = () => new AbortedError('The request was aborted by the caller while waiting to retry.', { cause: signal?.reason });
    if (signal?.aborted) return reject(aborted());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(aborted());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
