import { ReadStream, createReadStream } from 'node:fs';
import { PassThrough, Readable } from 'node:stream';
import FormData from 'form-data';
import { OAuthClient } from './auth/oauth-client.js';
import { TokenManager } from './auth/token-manager.js';
import {
  DATA_CENTRES,
  DEFAULT_API_VERSION,
  DEFAULT_DATA_CENTRE,
  DEFAULT_USER_ID,
  type DataCentre,
  parseDataCentre,
  toBaseUrl,
  validateApiVersion,
} from './config.js';
import { AbortedError, ApiError, ConfigError, ZohoError, apiErrorFromResponse } from './errors.js';
import { retryDelayMs, shouldRetry } from './http/retry.js';
import { type FetchLike, type HttpBody, type HttpResponse, HttpTransport } from './http/transport.js';
import { type QueryValue, buildPath, encodeQuery } from './internal/path.js';
import { registerSecret } from './internal/redact.js';
import { type Logger, safeLogger, silentLogger } from './logger.js';
import { MemoryTokenStore } from './stores/memory-store.js';
import type { StoredToken, TokenStore } from './stores/token-store.js';
import type { ApiStreamResponse } from './api/resource.js';

/** Package version, sent in the User-Agent. */
export const SDK_VERSION = '0.1.0';

/** Options of `new ZohoCRM(...)`. */
export interface ZohoCRMOptions {
  /** OAuth client id from the Zoho API console. Required. */
  clientId: string;
  /** OAuth client secret. Required. Never logged. */
  clientSecret: string;
  /** Redirect URI registered for the client; sent with grant exchanges when set. Default: none. */
  redirectUri?: string | undefined;
  /** Data centre shorthand that sets both hosts (us, eu, in, cn, au, jp, ca, sa). Default `us`. */
  dataCentre?: DataCentre | undefined;
  /** Zoho Accounts host or URL; overrides the data centre (e.g. the emulator's URL). */
  accountsUrl?: string | undefined;
  /** CRM API host or URL; overrides the data centre. */
  apiUrl?: string | undefined;
  /** API version path segment. Default `v2`. */
  apiVersion?: string | undefined;
  /** The user whose tokens calls use when a call names none. Default `zcrm_default_user`. */
  userId?: string | undefined;
  /** Where tokens live. Default: a MemoryTokenStore (this process only). */
  tokenStore?: TokenStore | undefined;
  /** Per-request timeout, ms. Default 60,000. */
  timeoutMs?: number | undefined;
  /** Retries on network errors, 408, 429 and 5xx (POST only where it cannot duplicate). Default 2. */
  maxRetries?: number | undefined;
  /** Refresh access tokens this many ms before expiry. Default 60,000. */
  refreshSkewMs?: number | undefined;
  /** A fetch-compatible function to send requests with. Default: undici over a keep-alive pool. */
  fetch?: FetchLike | undefined;
  /** Extra CA certificate (PEM) to trust, e.g. the emulator's. Default: none. */
  ca?: string | Buffer | undefined;
  /** Keep-alive connections per origin. Default 64. */
  maxConnections?: number | undefined;
  /** Where the SDK logs; messages are redacted. Default: silent. */
  logger?: Logger | undefined;
  /** User-Agent header. Default `zcrmsdk/<version> node/<version>`. */
  userAgent?: string | undefined;
  /** Token endpoint parameters in the `query` (as zcrmsdk 0.0.x) or a form `body`. Default `body`. */
  tokenParamsIn?: 'query' | 'body' | undefined;
}

/** One part of a multipart upload. */
export interface MultipartPart {
  /** Form field name; Zoho uses `file`. */
  field: string;
  value: Buffer | string | Readable;
  filename?: string | undefined;
  contentType?: string | undefined;
}

/** A request to the CRM API. */
export interface ApiRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path under `/crm/{version}/`, e.g. `Leads/123` or `['Leads', id]`; every segment is validated. */
  path: string | readonly string[];
  /** Query parameters (encoded here), or a query string already encoded. */
  query?: Record<string, QueryValue> | string | undefined;
  headers?: Record<string, string> | undefined;
  /** A JSON body. */
  json?: unknown;
  /** A raw body (sent as is). */
  body?: string | Buffer | undefined;
  /** A multipart body. */
  multipart?: MultipartPart[] | undefined;
  /** The user whose token to use. Default: the client's `userId`. */
  userId?: string | undefined;
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
  /** Throw an ApiError on HTTP error statuses (default true); false resolves every reply. */
  throwOnError?: boolean | undefined;
  /** Override the client's `maxRetries` for this call. */
  maxRetries?: number | undefined;
  /** `crm` (default) for `/crm/{v}/...`, `bulk` for `/crm/bulk/{v}/...`. */
  api?: 'crm' | 'bulk' | undefined;
}

/** A CRM API reply. */
export interface ApiResponse {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  body: Buffer;
  /** The URL requested (no credentials in it). */
  url: string;
  method: string;
  /** Request headers as sent, with Authorization redacted. */
  requestHeaders: Record<string, string>;
}

/** Resolved, validated configuration. */
export interface ResolvedConfig {
  accountsUrl: string;
  apiUrl: string;
  apiVersion: string;
  userId: string;
  clientId: string;
  redirectUri: string | undefined;
}

/**
 * The Zoho CRM client: instance-scoped configuration, tokens per user with single-flight refresh, one
 * HTTP path. The legacy `ZCRMRestClient` facade is a thin layer over it.
 */
export class ZohoCRM {
  readonly config: ResolvedConfig;
  readonly tokens: TokenManager;
  readonly #transport: HttpTransport;
  readonly #oauth: OAuthClient;
  readonly #maxRetries: number;
  readonly #userAgent: string;
  readonly #logger: Logger;

  constructor(options: ZohoCRMOptions) {
    if (!options || typeof options !== 'object') throw new ConfigError('new ZohoCRM(options) needs an options object with clientId and clientSecret.');
    for (const key of ['clientId', 'clientSecret'] as const) {
      if (typeof options[key] !== 'string' || options[key] === '') {
        throw new ConfigError(`ZohoCRM option '${key}' is required: copy it from the Zoho API console.`, { option: key, code: 'CONFIG_MISSING' });
      }
    }
    registerSecret(options.clientSecret);
    const dc = DATA_CENTRES[parseDataCentre(options.dataCentre, 'dataCentre') ?? DEFAULT_DATA_CENTRE];
    this.config = {
      accountsUrl: toBaseUrl(options.accountsUrl ?? dc.accounts, 'accountsUrl'),
      apiUrl: toBaseUrl(options.apiUrl ?? dc.api, 'apiUrl'),
      apiVersion: validateApiVersion(options.apiVersion ?? DEFAULT_API_VERSION, 'apiVersion'),
      userId: options.userId || DEFAULT_USER_ID,
      clientId: options.clientId,
      redirectUri: options.redirectUri,
    };
    this.#logger = options.logger ? safeLogger(options.logger) : silentLogger;
    this.#maxRetries = options.maxRetries ?? 2;
    this.#userAgent = options.userAgent ?? `zcrmsdk/${SDK_VERSION} node/${process.versions.node}`;
    this.#transport = new HttpTransport({
      timeoutMs: options.timeoutMs,
      fetch: options.fetch,
      ca: options.ca,
      maxConnections: options.maxConnections,
    });
    this.#oauth = new OAuthClient({
      accountsUrl: this.config.accountsUrl,
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      redirectUri: options.redirectUri,
      transport: this.#transport,
      paramsIn: options.tokenParamsIn,
      userAgent: this.#userAgent,
    });
    this.tokens = new TokenManager({
      store: options.tokenStore ?? new MemoryTokenStore(),
      oauth: this.#oauth,
      refreshSkewMs: options.refreshSkewMs,
      logger: this.#logger,
    });
  }

  /** Exchanges a grant code for tokens and stores them for `userId` (default: the client's user). */
  generateTokens(grantCode: string, userId: string = this.config.userId): Promise<StoredToken> {
    return this.tokens.generateFromGrant(userId, grantCode);
  }

  /** Stores tokens obtained from a refresh token you already have. */
  generateTokensFromRefreshToken(refreshToken: string, userId: string = this.config.userId): Promise<StoredToken> {
    return this.tokens.generateFromRefreshToken(userId, refreshToken);
  }

  /** Revokes a refresh token at Zoho Accounts. */
  revokeRefreshToken(refreshToken: string): Promise<void> {
    return this.#oauth.revoke(refreshToken);
  }

  /**
   * Sends one CRM API request as `userId`: adds the token, retries per policy, refreshes once and replays on
   * 401 INVALID_TOKEN. Throws ApiError subclasses on error statuses unless `throwOnError: false`.
   */
  async request(req: ApiRequest): Promise<ApiResponse> {
    const userId = req.userId || this.config.userId;
    const url = this.#url(req);
    const maxRetries = req.maxRetries ?? this.#maxRetries;
    let token = await this.tokens.getAccessToken(userId, { signal: req.signal });
    let replayedAuth = false;
    for (let attempt = 0; ; attempt++) {
      const body = this.#body(req, attempt + (replayedAuth ? 1 : 0));
      const headers: Record<string, string> = {
        'user-agent': this.#userAgent,
        ...lowerKeys(req.headers),
        ...body.headers,
        authorization: `Zoho-oauthtoken ${token}`,
      };
      let res: HttpResponse;
      try {
        res = await this.#transport.send({ method: req.method, url, headers, body: body.body, signal: req.signal, timeoutMs: req.timeoutMs });
      } catch (error) {
        const code = error instanceof ZohoError ? error.code : undefined;
        if (body.replayable && shouldRetry({ attempt, maxRetries, method: req.method, errorCode: code, aborted: req.signal?.aborted })) {
          await sleep(retryDelayMs(attempt, undefined), req.signal);
          continue;
        }
        throw error;
      }
      if (res.status === 401 && !replayedAuth && body.replayable && zohoCode(res.body) === 'INVALID_TOKEN') {
        this.#logger.debug(`Zoho refused the access token of '${userId}'; refreshing once and replaying.`);
        token = await this.tokens.getAccessToken(userId, { rejected: token, signal: req.signal });
        replayedAuth = true;
        attempt--;
        continue;
      }
      if (body.replayable && shouldRetry({ attempt, maxRetries, method: req.method, status: res.status })) {
        const delay = retryDelayMs(attempt, res.headers['retry-after']);
        this.#logger.debug(`${req.method} ${url} answered ${res.status}; retrying in ${delay} ms.`);
        await sleep(delay, req.signal);
        continue;
      }
      const response: ApiResponse = {
        status: res.status,
        statusText: res.statusText,
        headers: res.headers,
        body: res.body,
        url,
        method: req.method,
        requestHeaders: { ...headers, authorization: 'Zoho-oauthtoken [REDACTED]' },
      };
      if (res.status >= 400 && req.throwOnError !== false) throw apiErrorFromResponse(res.status, res.body.toString('utf8'), res.headers);
      return response;
    }
  }

  /** `request` + JSON parsing; 204/304 give `undefined`. */
  async requestJson<T = unknown>(req: ApiRequest): Promise<T | undefined> {
    const res = await this.request(req);
    if (res.status === 204 || res.status === 304 || res.body.length === 0) return undefined;
    try {
      return JSON.parse(res.body.toString('utf8')) as T;
    } catch (cause) {
      throw new ApiError({ status: res.status, code: 'INVALID_RESPONSE', message: `Zoho answered ${req.method} ${res.url} with a body that is not JSON.` }, { cause });
    }
  }

  /**
   * `request` with the reply body as a stream, for downloads that must not be buffered whole. Error statuses
   * still throw (their body is read to build the error).
   */
  async requestStream(req: ApiRequest): Promise<ApiStreamResponse> {
    // The transport buffers today; the stream contract lets it stream without changing callers.
    const res = await this.request(req);
    return { status: res.status, statusText: res.statusText, headers: res.headers, body: Readable.from([res.body]), url: res.url, method: res.method };
  }

  /** Closes pooled connections and the token store. */
  async close(): Promise<void> {
    await this.#transport.close();
    await this.tokens.store.close?.();
  }

  #url(req: ApiRequest): string {
    const base = req.api === 'bulk' ? `${this.config.apiUrl}/crm/bulk/${this.config.apiVersion}` : `${this.config.apiUrl}/crm/${this.config.apiVersion}`;
    const query = typeof req.query === 'string' ? req.query : req.query ? encodeQuery(req.query) : '';
    return `${base}/${buildPath(req.path)}${query ? `?${query}` : ''}`;
  }

  #body(req: ApiRequest, attempt: number): { body: HttpBody | undefined; headers: Record<string, string>; replayable: boolean } {
    if (req.multipart) return multipartBody(req.multipart, attempt);
    if (req.json !== undefined) {
      return { body: JSON.stringify(req.json), headers: { 'content-type': 'application/json' }, replayable: true };
    }
    if (req.body !== undefined) return { body: req.body, headers: {}, replayable: true };
    return { body: undefined, headers: {}, replayable: true };
  }
}

function multipartBody(parts: MultipartPart[], attempt: number): { body: HttpBody; headers: Record<string, string>; replayable: boolean } {
  const form = new FormData();
  let streaming = false;
  let replayable = true;
  for (const part of parts) {
    let value = part.value;
    if (value instanceof Readable) {
      streaming = true;
      // A file stream can be re-opened for a replay; any other stream can be sent only once.
      if (attempt > 0 && value instanceof ReadStream) value = createReadStream(value.path);
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
