/**
 * Zoho Accounts (OAuth2) for the emulator, wire spec §2: registered clients, single-use grant codes,
 * refresh and access tokens with Zoho's limits, and the `/oauth/*` routes. Every token-endpoint error is
 * an HTTP 200 `{"error": ...}` body, as Zoho sends it; clients key off the body, not the status.
 */
import { randomBytes } from 'node:crypto';
import { channel } from 'node:diagnostics_channel';
import type { IncomingHttpHeaders } from 'node:http';
import { authenticateRequest } from './auth.js';
import { DEFAULT_DATA_CENTER, type EmulatorDataCenter } from './data-centers.js';
import type { EmuResponse } from './http-types.js';

/** An OAuth client registered with the emulator. */
export interface OAuthClientInfo {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** Data centres the client is enabled in (Zoho's multi-DC setting). Default: every one the emulator serves. */
  dataCenters?: EmulatorDataCenter[];
}

/** Zoho's grant-code limit: at most `max` grant codes per client within `windowSeconds`. */
export interface GrantCodeLimit {
  max: number;
  windowSeconds: number;
}

/** Thrown by `emulator.grantToken()` when the client is over its grant-code limit (Zoho's `access_denied`). */
export class GrantLimitError extends Error {
  readonly code = 'access_denied';
  constructor(clientId: string, limit: GrantCodeLimit) {
    super(
      `access_denied: client '${clientId}' already has ${limit.max} grant codes in the last ${limit.windowSeconds} s ` +
        `(Zoho's grant-code limit). Wait, advance the clock with emulator.advanceClock(), or start the emulator with grantCodeLimit: false.`,
    );
    this.name = 'GrantLimitError';
  }
}

/** The refresh throttle: at most `max` access tokens per refresh token within `windowSeconds`. */
export interface RefreshThrottle {
  max: number;
  windowSeconds: number;
}

/** Scopes granted when a grant request names none: everything the CRM routes may check. */
export const DEFAULT_SCOPES: readonly string[] = [
  'ZohoCRM.modules.ALL',
  'ZohoCRM.settings.ALL',
  'ZohoCRM.users.ALL',
  'ZohoCRM.org.ALL',
  'ZohoCRM.bulk.ALL',
  'ZohoCRM.coql.READ',
  'ZohoCRM.Files.CREATE',
  'ZohoCRM.Files.READ',
  'ZohoCRM.functions.execute.READ',
  'ZohoCRM.functions.execute.CREATE',
  'ZohoSearch.securesearch.READ',
  'AaaServer.profile.READ',
];

export interface AccountsOptions {
  now: () => number;
  accessTokenTtlSeconds: number;
  grantCodeTtlSeconds: number;
  refreshThrottle: RefreshThrottle | false;
  maxActiveAccessTokens: number;
  /** At most this many refresh tokens per client and user (the oldest is deleted), or false. */
  maxRefreshTokensPerUser: number | false;
  legacyExpiresIn: boolean;
  /** The user tokens act as when a grant names none. */
  defaultUserId: () => string;
  /** Data centres served; the first is the default for grants. Default `['us']`. */
  dataCenters?: readonly EmulatorDataCenter[];
  /** Grant codes per client per window, or false (no limit). Default false. */
  grantCodeLimit?: GrantCodeLimit | false;
}

/** Options of `emulator.grantToken(...)`. */
export interface GrantTokenOptions {
  /** Scopes, comma- or space-separated, or a list. Default: DEFAULT_SCOPES (every CRM scope). */
  scope?: string | readonly string[];
  /** The client the grant is for. Default: the pre-registered demo client. */
  clientId?: string;
  /** Lifetime of the grant code in seconds (fractions allowed). Default: the emulator's `grantCodeTtlSeconds`. */
  ttlSeconds?: number;
  /** The CRM user the tokens act as. Default: the CRM's current (admin) user. */
  userId?: string;
  /** `offline` (default) yields a refresh token on exchange; `online` does not. */
  accessType?: 'offline' | 'online';
  /** The data centre the grant (and the tokens it yields) belongs to. Default: the emulator's first. */
  dataCenter?: EmulatorDataCenter;
}

interface GrantRecord {
  code: string;
  clientId: string;
  userId: string;
  scopes: string[];
  expiresAt: number;
  /** Self-client grants accept any redirect_uri on exchange. */
  selfClient: boolean;
  offline: boolean;
  /** Where it was minted; undefined (older snapshots) means the first data centre. */
  dataCenter?: EmulatorDataCenter | undefined;
}

interface RefreshRecord {
  token: string;
  clientId: string;
  userId: string;
  scopes: string[];
  createdAt: number;
  /** Times of the refresh grants inside the throttle window. */
  refreshTimes: number[];
  /** Live access tokens minted from this refresh token, oldest first. */
  accessTokens: string[];
  dataCenter?: EmulatorDataCenter | undefined;
}

/** A live access token, as the CRM routes see it after authentication. */
export interface AccessTokenRecord {
  token: string;
  clientId: string;
  userId: string;
  scopes: string[];
  expiresAt: number;
  refreshToken: string | undefined;
  dataCenter?: EmulatorDataCenter | undefined;
}

/** The serialisable part of the accounts state. */
export interface AccountsSnapshot {
  clients: OAuthClientInfo[];
  grants: GrantRecord[];
  refreshTokens: RefreshRecord[];
  accessTokens: AccessTokenRecord[];
}

const JSON_TYPE = 'application/json;charset=UTF-8';

/** A Zoho-shaped token: `1000.<32 hex>.<32 hex>`. */
export function newToken(): string {
  return publishSecret(`1000.${randomBytes(16).toString('hex')}.${randomBytes(16).toString('hex')}`);
}

// Every secret the emulator issues (tokens, grant codes, client secrets) is published for the test suite's
// redaction guard (test/helpers/redaction-guard.ts); free when nobody subscribes.
const secretChannel = channel('zcrmsdk:emulator:secret');
function publishSecret(value: string): string {
  if (secretChannel.hasSubscribers) secretChannel.publish(value);
  return value;
}

/** Splits a scope parameter (comma- or space-separated). */
export function parseScopes(scope: string | readonly string[] | undefined): string[] {
  if (scope === undefined) return [...DEFAULT_SCOPES];
  const list = typeof scope === 'string' ? scope.split(/[\s,]+/) : [...scope];
  const out = list.map((s) => s.trim()).filter((s) => s !== '');
  return out.length === 0 ? [...DEFAULT_SCOPES] : out;
}

function json(body: unknown, status = 200): EmuResponse {
  return { status, headers: { 'Content-Type': JSON_TYPE }, json: body };
}

const tokenError = (error: string): EmuResponse => json({ error });

/** Zoho's refresh-throttle reply (wire spec §2.4), sent with HTTP 400. */
export const ACCESS_DENIED_BODY = {
  error_description: 'You have made too many requests continuously. Please try again after some time.',
  error: 'Access Denied',
  status: 'failure',
} as const;

/** OAuth clients, grant codes and tokens, in memory. */
export class AccountsState {
  readonly #options: AccountsOptions;
  #clients = new Map<string, OAuthClientInfo>();
  #grants = new Map<string, GrantRecord>();
  #refresh = new Map<string, RefreshRecord>();
  #access = new Map<string, AccessTokenRecord>();
  /** Times grant codes were issued, per client (only while a grant-code limit is set). */
  #grantTimes = new Map<string, number[]>();

  constructor(options: AccountsOptions) {
    this.#options = options;
  }

  /** The data centres served, the first being the default. */
  get dataCenters(): readonly EmulatorDataCenter[] {
    const list = this.#options.dataCenters;
    return list === undefined || list.length === 0 ? [DEFAULT_DATA_CENTER] : list;
  }

  #home(): EmulatorDataCenter {
    return this.dataCenters[0] ?? DEFAULT_DATA_CENTER;
  }

  /** True when a record minted in `minted` (undefined: the first data centre) is valid in `dc`. */
  #sameDc(minted: EmulatorDataCenter | undefined, dc: EmulatorDataCenter | undefined): boolean {
    return (minted ?? this.#home()) === (dc ?? this.#home());
  }

  /** True when the client is enabled in data centre `dc`. */
  clientEnabledIn(client: OAuthClientInfo, dc: EmulatorDataCenter | undefined): boolean {
    return client.dataCenters === undefined || client.dataCenters.includes(dc ?? this.#home());
  }

  /** Counts a grant code against the client's limit; false when the limit is reached. */
  #spendGrant(clientId: string): boolean {
    const limit = this.#options.grantCodeLimit ?? false;
    if (limit === false) return true;
    const now = this.#options.now();
    const recent = (this.#grantTimes.get(clientId) ?? []).filter((t) => now - t < limit.windowSeconds * 1000);
    if (recent.length >= limit.max) {
      this.#grantTimes.set(clientId, recent);
      return false;
    }
    recent.push(now);
    this.#grantTimes.set(clientId, recent);
    return true;
  }

  get options(): AccountsOptions {
    return this.#options;
  }

  registerClient(client: OAuthClientInfo): OAuthClientInfo {
    publishSecret(client.clientSecret);
    this.#clients.set(client.clientId, { ...client });
    return { ...client };
  }

  client(clientId: string): OAuthClientInfo | undefined {
    return this.#clients.get(clientId);
  }

  /**
   * Issues a grant code for `clientId` (which must be registered and enabled in the data centre). Throws
   * GrantLimitError when the client is over Zoho's grant-code limit (only with `grantCodeLimit` set).
   */
  issueGrant(clientId: string, options: GrantTokenOptions & { selfClient: boolean }): string {
    const client = this.#clients.get(clientId);
    if (client === undefined) {
      throw new Error(`Unknown OAuth client '${clientId}'. Register it first with emulator.registerClient().`);
    }
    const dc = options.dataCenter ?? this.#home();
    if (!this.dataCenters.includes(dc)) {
      throw new Error(`This emulator does not serve data centre '${dc}'. Start it with dataCenters: [${[...this.dataCenters, dc].map((d) => `'${d}'`).join(', ')}].`);
    }
    if (!this.clientEnabledIn(client, dc)) {
      throw new Error(`OAuth client '${clientId}' is not enabled in data centre '${dc}' (its dataCenters: ${client.dataCenters?.join(', ') ?? ''}).`);
    }
    const limit = this.#options.grantCodeLimit ?? false;
    if (limit !== false && !this.#spendGrant(clientId)) throw new GrantLimitError(clientId, limit);
    this.#pruneGrants();
    const code = newToken();
    const ttl = options.ttlSeconds ?? this.#options.grantCodeTtlSeconds;
    this.#grants.set(code, {
      code,
      clientId,
      userId: options.userId ?? this.#options.defaultUserId(),
      scopes: parseScopes(options.scope),
      expiresAt: this.#options.now() + ttl * 1000,
      selfClient: options.selfClient,
      offline: options.accessType !== 'online',
      dataCenter: dc,
    });
    return code;
  }

  #pruneGrants(): void {
    if (this.#grants.size < 1000) return;
    const now = this.#options.now();
    for (const [code, grant] of this.#grants) if (grant.expiresAt <= now) this.#grants.delete(code);
  }

  /** The live access token record, or undefined when unknown, expired, revoked or minted in another data centre. */
  authenticate(token: string, dataCenter?: EmulatorDataCenter): AccessTokenRecord | undefined {
    const record = this.#access.get(token);
    if (record === undefined || !this.#sameDc(record.dataCenter, dataCenter)) return undefined;
    if (this.#options.now() >= record.expiresAt) {
      this.#deleteAccess(record);
      return undefined;
    }
    return record;
  }

  /** Invalidates every access token issued so far (refresh tokens stay valid). */
  expireAccessTokens(): void {
    this.#access.clear();
    for (const r of this.#refresh.values()) r.accessTokens = [];
  }

  /** Revokes a refresh token and its access tokens. Returns false when it was not live. */
  revokeRefreshToken(token: string): boolean {
    const record = this.#refresh.get(token);
    if (record === undefined) return false;
    for (const access of record.accessTokens) this.#access.delete(access);
    this.#refresh.delete(token);
    return true;
  }

  #deleteAccess(record: AccessTokenRecord): void {
    this.#access.delete(record.token);
    if (record.refreshToken === undefined) return;
    const parent = this.#refresh.get(record.refreshToken);
    if (parent !== undefined) parent.accessTokens = parent.accessTokens.filter((t) => t !== record.token);
  }

  #mintAccess(
    clientId: string,
    userId: string,
    scopes: string[],
    parent: RefreshRecord | undefined,
    dataCenter: EmulatorDataCenter | undefined,
  ): string {
    const token = newToken();
    this.#access.set(token, {
      token,
      clientId,
      userId,
      scopes,
      expiresAt: this.#options.now() + this.#options.accessTokenTtlSeconds * 1000,
      refreshToken: parent?.token,
      dataCenter,
    });
    if (parent !== undefined) {
      parent.accessTokens.push(token);
      // Zoho keeps a bounded number of live access tokens per refresh token; the oldest goes first.
      while (parent.accessTokens.length > this.#options.maxActiveAccessTokens) {
        const oldest = parent.accessTokens.shift();
        if (oldest !== undefined) this.#access.delete(oldest);
      }
    }
    return token;
  }

  #mintRefresh(grant: GrantRecord): RefreshRecord {
    const record: RefreshRecord = {
      token: newToken(),
      clientId: grant.clientId,
      userId: grant.userId,
      scopes: grant.scopes,
      createdAt: this.#options.now(),
      refreshTimes: [],
      accessTokens: [],
      dataCenter: grant.dataCenter,
    };
    this.#refresh.set(record.token, record);
    const max = this.#options.maxRefreshTokensPerUser;
    if (max !== false) {
      const mine = [...this.#refresh.values()].filter((r) => r.clientId === grant.clientId && r.userId === grant.userId);
      for (const old of mine.slice(0, Math.max(0, mine.length - max))) this.revokeRefreshToken(old.token);
    }
    return record;
  }

  #tokenBody(accessToken: string, refreshToken: string | undefined, apiDomain: string): Record<string, unknown> {
    const ttl = this.#options.accessTokenTtlSeconds;
    const body: Record<string, unknown> = { access_token: accessToken };
    if (refreshToken !== undefined) body['refresh_token'] = refreshToken;
    if (this.#options.legacyExpiresIn) {
      body['expires_in_sec'] = ttl;
      body['api_domain'] = apiDomain;
      body['token_type'] = 'Bearer';
      body['expires_in'] = ttl * 1000;
    } else {
      body['api_domain'] = apiDomain;
      body['token_type'] = 'Bearer';
      body['expires_in'] = ttl;
    }
    return body;
  }

  /** `POST /oauth/v2/token` with the merged parameters (body wins over query), at data centre `dataCenter`. */
  token(params: Record<string, string>, apiDomain: string, dataCenter?: EmulatorDataCenter): EmuResponse {
    const grantType = params['grant_type'];
    if (grantType !== 'authorization_code' && grantType !== 'refresh_token') {
      return tokenError(grantType === undefined || grantType === '' ? 'invalid_request' : 'unsupported_grant_type');
    }
    const client = this.#clients.get(params['client_id'] ?? '');
    // A client not enabled in this data centre is unknown there (wire spec §2.4, "registered in another DC").
    if (client === undefined || !this.clientEnabledIn(client, dataCenter)) return tokenError('invalid_client');
    if (params['client_secret'] !== client.clientSecret) return tokenError('invalid_client_secret');
    return grantType === 'authorization_code'
      ? this.#exchangeCode(client, params, apiDomain, dataCenter)
      : this.#refreshGrant(client, params, apiDomain, dataCenter);
  }

  #exchangeCode(client: OAuthClientInfo, params: Record<string, string>, apiDomain: string, dc: EmulatorDataCenter | undefined): EmuResponse {
    const grant = this.#grants.get(params['code'] ?? '');
    // A code minted in another data centre is unknown here.
    if (grant === undefined || grant.clientId !== client.clientId || !this.#sameDc(grant.dataCenter, dc)) return tokenError('invalid_code');
    if (this.#options.now() >= grant.expiresAt) {
      this.#grants.delete(grant.code);
      return tokenError('invalid_code');
    }
    const redirectUri = params['redirect_uri'];
    if (!grant.selfClient && redirectUri !== undefined && redirectUri !== client.redirectUri) {
      return tokenError('invalid_redirect_uri');
    }
    this.#grants.delete(grant.code);
    const refresh = grant.offline ? this.#mintRefresh(grant) : undefined;
    const access = this.#mintAccess(grant.clientId, grant.userId, grant.scopes, refresh, grant.dataCenter);
    return json(this.#tokenBody(access, refresh?.token, apiDomain));
  }

  #refreshGrant(client: OAuthClientInfo, params: Record<string, string>, apiDomain: string, dc: EmulatorDataCenter | undefined): EmuResponse {
    const record = this.#refresh.get(params['refresh_token'] ?? '');
    // Zoho answers a wrong, revoked or other-data-centre refresh token with invalid_code (wire spec §2.4).
    if (record === undefined || record.clientId !== client.clientId || !this.#sameDc(record.dataCenter, dc)) return tokenError('invalid_code');
    const throttle = this.#options.refreshThrottle;
    if (throttle !== false) {
      const now = this.#options.now();
      record.refreshTimes = record.refreshTimes.filter((t) => now - t < throttle.windowSeconds * 1000);
      if (record.refreshTimes.length >= throttle.max) return json(ACCESS_DENIED_BODY, 400);
      record.refreshTimes.push(now);
    }
    const access = this.#mintAccess(record.clientId, record.userId, record.scopes, record, record.dataCenter);
    return json(this.#tokenBody(access, undefined, apiDomain));
  }

  /** `POST /oauth/v2/token/revoke`: revokes a refresh token (with its access tokens) or one access token. */
  revoke(token: string | undefined): EmuResponse {
    if (token !== undefined && this.revokeRefreshToken(token)) return json({ status: 'success' });
    const access = token === undefined ? undefined : this.#access.get(token);
    if (access !== undefined) {
      this.#deleteAccess(access);
      return json({ status: 'success' });
    }
    return json({ error: 'invalid_token', status: 'failure' }, 400);
  }

  /** Forgets every grant and token; registered clients stay. */
  clearTokens(): void {
    this.#grantTimes.clear();
    this.#grants.clear();
    this.#refresh.clear();
    this.#access.clear();
  }

  snapshot(): AccountsSnapshot {
    return {
      clients: [...this.#clients.values()].map((c) => ({ ...c })),
      grants: [...this.#grants.values()].map((g) => ({ ...g })),
      refreshTokens: [...this.#refresh.values()].map((r) => ({ ...r, accessTokens: [...r.accessTokens] })),
      accessTokens: [...this.#access.values()].map((a) => ({ ...a })),
    };
  }

  restore(snapshot: AccountsSnapshot): void {
    this.#clients = new Map(snapshot.clients.map((c) => [c.clientId, { ...c }]));
    this.#grants = new Map(snapshot.grants.map((g) => [g.code, { ...g }]));
    this.#refresh = new Map(snapshot.refreshTokens.map((r) => [r.token, { ...r, accessTokens: [...r.accessTokens] }]));
    this.#access = new Map(snapshot.accessTokens.map((a) => [a.token, { ...a }]));
  }
}

/** What the accounts routes need to know about a request. */
export interface AccountsRequest {
  method: string;
  /** Path segments after `/oauth/`. */
  segments: string[];
  query: Record<string, string>;
  /** Form fields from an urlencoded or multipart body, or string values of a JSON body. */
  fields: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** The base URL of the data centre addressed, used as `api_domain` and `accounts-server`. */
  origin: string;
  /** The data centre addressed. Default: the first served. */
  dataCenter?: EmulatorDataCenter;
  /** The base URL of each served data centre (for `/oauth/serverinfo`). Default: `origin` for all. */
  dataCenterUrl?: (dc: EmulatorDataCenter) => string;
}

/** Looks up the profile `/oauth/user/info` returns for a CRM user id. */
export type UserLookup = (userId: string) => Record<string, unknown> | undefined;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function html(status: number, body: string): EmuResponse {
  return { status, headers: { 'Content-Type': 'text/html;charset=UTF-8' }, body: Buffer.from(body, 'utf8') };
}

function redirectTo(target: string, params: Record<string, string>): EmuResponse {
  const query = new URLSearchParams(params).toString();
  const location = `${target}${target.includes('?') ? '&' : '?'}${query}`;
  return { status: 302, headers: { Location: location, 'Content-Type': 'text/html;charset=UTF-8' }, body: Buffer.alloc(0) };
}

function consentPage(params: Record<string, string>, client: OAuthClientInfo): string {
  const scopes = parseScopes(params['scope']);
  const hidden = Object.entries(params)
    .filter(([k]) => k !== 'auto' && k !== 'decision')
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('');
  return `<!doctype html><html><head><meta charset="utf-8"><title>Zoho Accounts (emulator)</title></head><body>
<h1>Authorize application</h1>
<p>Client <code>${escapeHtml(client.clientId)}</code> asks for access to:</p>
<ul>${scopes.map((s) => `<li>${escapeHtml(s)}</li>`).join('')}</ul>
<form method="post" action="/oauth/v2/auth">${hidden}
<button name="decision" value="accept" type="submit">Accept</button>
<button name="decision" value="reject" type="submit">Reject</button>
</form></body></html>`;
}

/** `/oauth/v2/auth`: GET shows a consent page (auto-approved with `?auto=1`); POST approves or rejects. */
function authorize(state: AccountsState, req: AccountsRequest): EmuResponse {
  const params = { ...req.query, ...req.fields };
  const client = state.client(params['client_id'] ?? '');
  if (client === undefined) return html(400, '<!doctype html><p>invalid_client: unknown client_id</p>');
  const redirectUri = params['redirect_uri'] ?? client.redirectUri;
  if (redirectUri !== client.redirectUri) {
    return html(400, '<!doctype html><p>invalid_redirect_uri: redirect_uri does not match the registered one</p>');
  }
  if (params['response_type'] !== undefined && params['response_type'] !== 'code') {
    return html(400, '<!doctype html><p>unsupported_response_type</p>');
  }
  const approve = req.method === 'POST' ? params['decision'] !== 'reject' : params['auto'] === '1' || params['auto'] === 'true';
  if (req.method !== 'POST' && !approve) return html(200, consentPage(params, client));
  const extra: Record<string, string> = params['state'] === undefined ? {} : { state: params['state'] };
  if (!approve) return redirectTo(redirectUri, { error: 'access_denied', ...extra });
  const dataCenter = req.dataCenter ?? state.dataCenters[0] ?? DEFAULT_DATA_CENTER;
  if (!state.clientEnabledIn(client, dataCenter)) return html(400, '<!doctype html><p>invalid_client: the client is not enabled in this data centre</p>');
  let code: string;
  try {
    code = state.issueGrant(client.clientId, {
      ...(params['scope'] === undefined ? {} : { scope: params['scope'] }),
      selfClient: false,
      accessType: params['access_type'] === 'online' ? 'online' : 'offline',
      dataCenter,
    });
  } catch (error) {
    // Over the grant-code limit, Zoho's consent step ends in access_denied.
    if (error instanceof GrantLimitError) return redirectTo(redirectUri, { error: 'access_denied', ...extra });
    throw error;
  }
  return redirectTo(redirectUri, { code, location: dataCenter, 'accounts-server': req.origin, ...extra });
}

function userInfo(state: AccountsState, req: AccountsRequest, lookup: UserLookup): EmuResponse {
  const auth = authenticateRequest(state, req.headers, req.dataCenter);
  if (!auth.ok) return auth.response;
  const record = auth.record;
  const user = lookup(record.userId) ?? {};
  const str = (key: string): string => (typeof user[key] === 'string' ? (user[key] as string) : '');
  const fullName = str('full_name');
  return json({
    First_Name: str('first_name') || fullName.split(' ')[0] || '',
    Email: str('email'),
    Last_Name: str('last_name') || fullName.split(' ').slice(1).join(' '),
    Display_Name: fullName,
    ZUID: record.userId,
  });
}

/** Routes a request under `/oauth/`; undefined when the path is not an accounts route. */
export function handleAccounts(state: AccountsState, req: AccountsRequest, lookup: UserLookup): EmuResponse | undefined {
  const path = req.segments.join('/');
  const params = { ...req.query, ...req.fields };
  switch (path) {
    case 'v2/token':
      if (req.method !== 'POST') return json({ error: 'invalid_request' });
      return state.token(params, req.origin, req.dataCenter);
    case 'v2/token/revoke':
    case 'v2/revoke/token':
      if (req.method !== 'POST') return json({ error: 'invalid_request' });
      return state.revoke(params['token']);
    case 'v2/auth':
      return authorize(state, req);
    case 'user/info':
      return userInfo(state, req, lookup);
    case 'serverinfo': {
      const urlOf = req.dataCenterUrl ?? ((): string => req.origin);
      return json({ result: 'success', locations: Object.fromEntries(state.dataCenters.map((dc) => [dc, urlOf(dc)])) });
    }
    default:
      return undefined;
  }
}
