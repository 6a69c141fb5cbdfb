import { DEFAULT_TOKEN_MAX_RETRIES } from '../config.js';
import { ConnectionError, OAuthError, OAuthThrottleError } from '../errors.js';
import { neverSent, retryDelayMs } from '../http/retry.js';
import { sleep } from '../internal/sleep.js';
import type { Logger } from '../logger.js';
import { registerSecret } from '../internal/redact.js';
import type { HttpTransport } from '../http/transport.js';

/** Tokens as the Zoho Accounts token endpoint issued them. */
export interface IssuedTokens {
  accessToken: string;
  /** Only grant exchanges return one; refresh replies don't. */
  refreshToken: string | undefined;
  /** Absolute expiry, epoch ms. */
  expiresAt: number;
  /** The API domain Zoho says this user lives on. */
  apiDomain: string | undefined;
  scope: string | undefined;
}

export interface OAuthClientOptions {
  /** Base URL of Zoho Accounts, e.g. `https://accounts.zoho.com`. */
  accountsUrl: string;
  clientId: string;
  clientSecret: string;
  /** Sent with grant exchanges when set (Zoho checks it against the registered one). */
  redirectUri?: string | undefined;
  transport: HttpTransport;
  /**
   * Where the parameters go: `query` (what zcrmsdk 0.0.x sent: a POST with an empty body) or `body`
   * (urlencoded form, which keeps secrets out of URLs and proxy logs). Default `body`.
   */
  paramsIn?: 'query' | 'body' | undefined;
  /** Clock, for tests. Default `Date.now`. */
  now?: (() => number) | undefined;
  /** User-Agent of token requests. Default: none (the transport's). */
  userAgent?: string | undefined;
  /** Retries of a refresh on network errors and 5xx (a grant exchange only when it was never sent). @default DEFAULT_TOKEN_MAX_RETRIES */
  maxRetries?: number | undefined;
  logger?: Logger | undefined;
}

/** Talks to `/oauth/v2/token`: grant exchange, refresh, revoke. Stateless: storage is the TokenManager's. */
export class OAuthClient {
  readonly #options: OAuthClientOptions;

  constructor(options: OAuthClientOptions) {
    this.#options = options;
    registerSecret(options.clientSecret);
  }

  /** Exchanges a grant code (from the developer console or the consent redirect) for tokens. */
  async exchangeGrant(code: string, signal?: AbortSignal): Promise<IssuedTokens> {
    registerSecret(code);
    const params: [string, string][] = [
      ['client_id', this.#options.clientId],
      ['client_secret', this.#options.clientSecret],
      ['code', code],
    ];
    if (this.#options.redirectUri) params.push(['redirect_uri', this.#options.redirectUri]);
    params.push(['grant_type', 'authorization_code']);
    return this.#tokenCall(params, 'grant', signal);
  }

  /** Gets a new access token with a refresh token. */
  async refresh(refreshToken: string, signal?: AbortSignal): Promise<IssuedTokens> {
    registerSecret(refreshToken);
    const params: [string, string][] = [
      ['client_id', this.#options.clientId],
      ['client_secret', this.#options.clientSecret],
      ['refresh_token', refreshToken],
      ['grant_type', 'refresh_token'],
    ];
    return this.#tokenCall(params, 'refresh', signal);
  }

  /** Revokes a refresh token (and with it its access tokens). */
  async revoke(refreshToken: string, signal?: AbortSignal): Promise<void> {
    registerSecret(refreshToken);
    const res = await this.#post('/oauth/v2/token/revoke', [['token', refreshToken]], signal);
    const body = parseJson(res.body.toString('utf8'));
    if (res.status !== 200 || (body && body.status !== undefined && body.status !== 'success')) {
      const code = typeof body?.error === 'string' ? body.error : `HTTP_${res.status}`;
      throw new OAuthError(`Zoho Accounts did not revoke the refresh token (${code}). It may already be revoked.`, code, {
        status: res.status,
      });
    }
  }

  async #tokenCall(params: [string, string][], kind: 'grant' | 'refresh', signal?: AbortSignal): Promise<IssuedTokens> {
    const res = await this.#postWithRetries(params, kind, signal);
    const text = res.body.toString('utf8');
    const body = parseJson(text);
    const access = body?.access_token;
    if (typeof access === 'string' && access.length > 0) {
      registerSecret(access);
      const refresh = typeof body?.refresh_token === 'string' ? body.refresh_token : undefined;
      registerSecret(refresh);
      return {
        accessToken: access,
        refreshToken: refresh,
        expiresAt: (this.#options.now ?? Date.now)() + expiresInMs(body),
        apiDomain: typeof body?.api_domain === 'string' ? body.api_domain : undefined,
        scope: typeof body?.scope === 'string' ? body.scope : undefined,
      };
    }
    throw oauthFailure(kind, res.status, body, text);
  }

  /**
   * A refresh is idempotent until Zoho answers, so network errors and 5xx are retried with backoff (a few tries,
   * well inside Zoho's 10-per-10-minutes budget); a grant code is single-use, so an exchange is retried only
   * when the request never left this machine.
   */
  async #postWithRetries(params: [string, string][], kind: 'grant' | 'refresh', signal?: AbortSignal) {
    const maxRetries = this.#options.maxRetries ?? DEFAULT_TOKEN_MAX_RETRIES;
    for (let attempt = 0; ; attempt++) {
      let reason: string;
      try {
        const res = await this.#post('/oauth/v2/token', params, signal);
        if (kind === 'grant' || res.status < 500 || attempt >= maxRetries) return res;
        reason = `HTTP ${res.status}`;
      } catch (error) {
        const code = error instanceof ConnectionError ? error.code : undefined;
        const retryable = code !== undefined && !signal?.aborted && (kind === 'refresh' || neverSent(code));
        if (!retryable || attempt >= maxRetries) throw error;
        reason = code;
      }
      const delay = retryDelayMs(attempt, undefined);
      this.#options.logger?.debug(`The token endpoint failed to ${kind === 'grant' ? 'exchange a grant' : 'refresh'} (${reason}); retrying in ${delay} ms.`);
      await sleep(delay, signal, 'The token request');
    }
  }

  async #post(path: string, params: [string, string][], signal?: AbortSignal) {
    const encoded = new URLSearchParams(params).toString();
    const inQuery = this.#options.paramsIn === 'query';
    return this.#options.transport.send({
      method: 'POST',
      url: `${this.#options.accountsUrl}${path}${inQuery ? `?${encoded}` : ''}`,
      headers: {
        ...(inQuery ? { 'content-length': '0' } : { 'content-type': 'application/x-www-form-urlencoded' }),
        ...(this.#options.userAgent ? { 'user-agent': this.#options.userAgent } : {}),
      },
      body: inQuery ? undefined : encoded,
      signal,
    });
  }
}

type Json = Record<string, unknown>;

function parseJson(text: string): Json | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
  } catch {
    return undefined;
  }
}

/** `expires_in` is seconds, unless the legacy `expires_in_sec` is present: then it is already milliseconds. */
export function expiresInMs(body: Json | undefined): number {
  const expiresIn = Number(body?.expires_in);
  const seconds = Number(body?.expires_in_sec);
  if (body?.expires_in_sec !== undefined && Number.isFinite(seconds)) {
    return Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : seconds * 1000;
  }
  return Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn * 1000 : 3_600_000;
}

const HINTS: Record<string, string> = {
  invalid_code:
    'the grant token is wrong, expired or already used, or the refresh token was revoked. Generate a new grant code in the Zoho API console and call crm.generateTokens(grantCode) again',
  invalid_client:
    'the client id is unknown to this Zoho data centre. Check clientId and that dataCentre (or accountsUrl) matches where the client was registered',
  invalid_client_secret: 'the client secret is wrong. Check clientSecret',
  invalid_redirect_uri: 'the redirect URL differs from the one registered for the client. Check redirectUri',
  unsupported_grant_type: 'the grant type was refused',
  invalid_request: 'a required parameter is missing',
};

function oauthFailure(kind: 'grant' | 'refresh', status: number, body: Json | undefined, text: string): OAuthError {
  const action = kind === 'grant' ? 'exchange the grant token' : 'refresh the access token';
  const error = typeof body?.error === 'string' ? body.error : undefined;
  const description = typeof body?.error_description === 'string' ? body.error_description : undefined;
  if (error === 'Access Denied' || /too many requests/i.test(description ?? '')) {
    return new OAuthThrottleError(
      `Zoho Accounts refused to ${action}: Access Denied (${description ?? 'too many requests'}). Zoho allows 10 access tokens per refresh token per 10 minutes; wait and retry, and share tokens across processes with a shared token store.`,
      'Access Denied',
      { status, description },
    );
  }
  if (error) {
    const hint = HINTS[error] ?? 'see Zoho Accounts documentation for this error';
    return new OAuthError(`Zoho Accounts refused to ${action}: ${error} (${hint}).`, error, { status, description });
  }
  const snippet = text.length > 200 ? `${text.slice(0, 200)}…` : text;
  return new OAuthError(
    `Zoho Accounts did not return tokens when asked to ${action} (HTTP ${status}${snippet ? `: ${snippet}` : ''}). Check that accountsUrl (or dataCentre) points at Zoho Accounts.`,
    `HTTP_${status}`,
    { status },
  );
}
