import { ReadStream, createReadStream } from 'node:fs';
import { PassThrough, Readable } from 'node:stream';
import FormData from 'form-data';
import type { TokenManager } from '../auth/token-manager.js';
import { AbortedError, ApiError, ZohoError, apiErrorFromResponse } from '../errors.js';
import { buildPath, encodeQuery } from '../internal/path.js';
import { type Logger, silentLogger } from '../logger.js';
import type { ApiRequest, ApiResponse, MultipartPart } from './request.js';
import { retryDelayMs, shouldRetry } from './retry.js';
import type { HttpBody, HttpResponse, HttpTransport } from './transport.js';

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
  readonly #crmBase: string;
  readonly #bulkBase: string;

  constructor(options: PipelineOptions) {
    this.#options = options;
    this.#logger = options.logger ?? silentLogger;
    this.#crmBase = `${options.apiUrl}/crm/${options.apiVersion}/`;
    this.#bulkBase = `${options.apiUrl}/crm/bulk/${options.apiVersion}/`;
  }

  /** Sends `req` and resolves the whole reply; error statuses throw unless `throwOnError: false`. */
  async send(req: ApiRequest): Promise<ApiResponse> {
    // 1. Build what does not change between attempts (the URL and the caller's headers), validating first.
    const userId = req.userId || this.#options.userId;
    const url = this.#url(req);
    const baseHeaders: Record<string, string> = { 'user-agent': this.#options.userAgent, ...lowerKeys(req.headers) };
    const maxRetries = req.maxRetries ?? this.#options.maxRetries;

    // 2. Resolve the user's token (cached; refreshed early, one refresh in flight per user).
    let token = await this.#options.tokens.getAccessToken(userId, { signal: req.signal });
    let authReplayed = false;
    let sent = 0;

    for (let retry = 0; ; ) {
      // 3. Build this attempt's body (a file stream is re-opened for a replay) and send it.
      const body = buildBody(req, sent++);
      const headers = { ...baseHeaders, ...body.headers, authorization: `Zoho-oauthtoken ${token}` };
      let res: HttpResponse;
      try {
        res = await this.#options.transport.send({ method: req.method, url, headers, body: body.body, signal: req.signal, timeoutMs: req.timeoutMs });
      } catch (error) {
        // 5a. No reply: retry when the policy allows (never after the caller's abort, never a non-replayable body).
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
      if (res.status === 401 && !authReplayed && body.replayable && zohoCode(res.body) === 'INVALID_TOKEN') {
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
        throw apiErrorFromResponse(res.status, res.body.toString('utf8'), res.headers);
      }
      return {
        status: res.status,
        statusText: res.statusText,
        headers: res.headers,
        body: res.body,
        url,
        method: req.method,
        requestHeaders: { ...headers, authorization: 'Zoho-oauthtoken [REDACTED]' },
      };
    }
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

  #url(req: ApiRequest): string {
    const base = req.api === 'bulk' ? this.#bulkBase : this.#crmBase;
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
  if (req.multipart) return multipartBody(req.multipart, sendIndex);
  if (req.json !== undefined) return { body: JSON.stringify(req.json), headers: { 'content-type': 'application/json' }, replayable: true };
  if (req.body !== undefined) return { body: req.body, headers: {}, replayable: true };
  return { body: undefined, headers: {}, replayable: true };
}

function multipartBody(parts: MultipartPart[], sendIndex: number): BuiltBody {
  const form = new FormData();
  let streaming = false;
  let replayable = true;
  for (const part of parts) {
    let value = part.value;
    if (value instanceof Readable) {
      streaming = true;
      // A file stream can be re-opened for a replay; any other stream can be sent only once.
      if (sendIndex > 0 && value instanceof ReadStream) value = createReadStream(value.path);
      else if (!(value instanceof ReadStream)) replayable = false;
    }
    const opts: FormData.AppendOptions = {};
    if (part.filename !== undefined) opts.filename = part.filename;
    if (part.contentType !== undefined) opts.contentType = part.contentType;
    form.append(part.field, value, opts);
  }
  const headers = form.getHeaders() as Record<string, string>;
  if (!streaming) {
    const buf = form.getBuffer();
    return { body: buf, headers: { ...headers, 'content-length': String(buf.length) }, replayable };
  }
  // form-data is an old-style stream (not async-iterable): pipe it through a real Readable.
  const body = new PassThrough();
  form.on('error', (error: Error) => body.destroy(error));
  form.pipe(body);
  return { body, headers, replayable };
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
