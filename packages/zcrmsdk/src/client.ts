import type { CompositeCall, RecordingSender, SubRequest } from './api/composite.js';
import type { CompositeApi } from './api/generated/composite-requests.js';
import { OAuthClient } from './auth/oauth-client.js';
import { TokenManager } from './auth/token-manager.js';
import {
  DATA_CENTRES,
  DEFAULT_API_VERSION,
  DEFAULT_DATA_CENTRE,
  DEFAULT_ENVIRONMENT,
  DEFAULT_MAX_RETRIES,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_USER_ID,
  type DataCentre,
  type ZohoEnvironment,
  apiUrlFor,
  assertSecureUrl,
  parseDataCentre,
  parseEnvironment,
  toBaseUrl,
  validateApiVersion,
} from './config.js';
import { ConfigError, InvalidInputError } from './errors.js';
import { type ConcurrencyLimiter, EDITION_CONCURRENCY, InProcessLimiter, type ZohoEdition } from './http/limiter.js';
import { type ClientHooks, RequestPipeline, type TokenSource } from './http/pipeline.js';
import { validateTimeout } from './http/validate.js';
import type { ApiRequest, ApiResponse } from './http/request.js';
import { type FetchLike, HttpTransport } from './http/transport.js';
import { registerSecret } from './internal/redact.js';
import { type Logger, safeLogger, silentLogger } from './logger.js';
import { DEFAULT_STORE_TIMEOUT_MS } from './stores/deadline.js';
import { MemoryTokenStore } from './stores/memory-store.js';
import type { StoredToken, TokenStore } from './stores/token-store.js';
import type { ApiStreamResponse } from './api/resource.js';
import { MetadataCache, SettingsResource } from './api/settings.js';
import { coqlPages, type CoqlOptions } from './api/coql.js';
import type { PagePromise } from './api/pagination.js';
import type { RecordsResource, ZohoRecord } from './api/records.js';
import { ClientResources } from './api/generated/resources.js';
import type { CoqlApi } from './api/generated/coql.js';
import type { OrgApi } from './api/generated/org.js';
import type { TagsApi } from './api/generated/tags.js';
import type { UsersApi } from './api/generated/users.js';
import { callableResource } from './api/callable.js';
import type { NotesResource, RelatedRecordsResource } from './api/related.js';
import type {
  TagsResource,
  ConvertLeadOptions,
  ConvertLeadResult,
  MassUpdateJob,
  MassUpdateOptions,
} from './api/record-actions.js';
import type { RequestOptions } from './api/request-options.js';
import { getOrg, getUser, listUsers, type UsersParams, type ZohoOrg, type ZohoUser } from './api/users.js';
import type { FunctionResource } from './api/functions.js';
import type { AttachmentsResource, PhotosResource } from './api/files.js';
import type { BulkResource } from './api/bulk.js';

// The resources below load on first use, as records and the generated areas do: `require('zcrmsdk')` stays
// small for code that never touches them (literal requires, so bundlers still see them).
const composite = (): typeof import('./api/composite.js') => require('./api/composite.js') as typeof import('./api/composite.js');
const related = (): typeof import('./api/related.js') => require('./api/related.js') as typeof import('./api/related.js');
const recordActions = (): typeof import('./api/record-actions.js') => require('./api/record-actions.js') as typeof import('./api/record-actions.js');
const functions = (): typeof import('./api/functions.js') => require('./api/functions.js') as typeof import('./api/functions.js');
const files = (): typeof import('./api/files.js') => require('./api/files.js') as typeof import('./api/files.js');
const bulk = (): typeof import('./api/bulk.js') => require('./api/bulk.js') as typeof import('./api/bulk.js');

/** Package version, sent in the User-Agent. */
export const SDK_VERSION = '0.1.0';

/** A caller-supplied access token: called before each request (cache it yourself); called again once after a 401. */
export type AccessTokenProvider = (context: { userId: string; rejected?: string | undefined }) => string | Promise<string>;

/** Options of `new ZohoCRM(...)`. Unknown keys are refused with a ConfigError naming the nearest valid one. */
export interface ZohoCRMOptions {
  /** OAuth client id from the Zoho API console. Required unless `accessToken` is given. @default none */
  clientId?: string | undefined;
  /** OAuth client secret. Required unless `accessToken` is given. Never logged. @default none */
  clientSecret?: string | undefined;
  /** Redirect URI registered for the client; sent with grant exchanges when set. @default none */
  redirectUri?: string | undefined;
  /** Data centre that sets both hosts: us, eu, in, cn, au, jp, ca, sa. @default DEFAULT_DATA_CENTRE ('us') */
  dataCentre?: DataCentre | undefined;
  /** Which org of the data centre: `production`, `sandbox` (sandbox.zohoapis.*) or `developer`. @default DEFAULT_ENVIRONMENT ('production') */
  environment?: ZohoEnvironment | undefined;
  /** Zoho Accounts host or URL; overrides the data centre (e.g. the emulator's URL). @default the data centre's */
  accountsUrl?: string | undefined;
  /** CRM API host or URL; overrides the data centre and the token reply's api_domain. @default the token's api_domain, else the data centre's */
  apiUrl?: string | undefined;
  /** Allow http:// base URLs that are not loopback (tokens would travel in clear text). @default false */
  allowInsecureHttp?: boolean | undefined;
  /** API version path segment (v2, v2.1, v3 ... v8). @default DEFAULT_API_VERSION ('v8') */
  apiVersion?: string | undefined;
  /** The user whose tokens calls use when a call names none. @default DEFAULT_USER_ID ('zcrm_default_user') */
  userId?: string | undefined;
  /** Where tokens live. @default a MemoryTokenStore (this process only) */
  tokenStore?: TokenStore | undefined;
  /** Use your own access tokens instead of the OAuth flows (no token store, no refresh by the SDK). @default none */
  accessToken?: AccessTokenProvider | undefined;
  /** Per-request timeout in ms: for the reply headers and for each wait between body chunks. @default DEFAULT_TIMEOUT_MS (60 000) */
  timeoutMs?: number | undefined;
  /** Retries on network errors, 408, 429 and 5xx (a write that could duplicate is not retried); 0 turns them off. @default DEFAULT_MAX_RETRIES (2) */
  maxRetries?: number | undefined;
  /** Retries of a token refresh on network errors and 5xx. @default DEFAULT_TOKEN_MAX_RETRIES (2) */
  tokenMaxRetries?: number | undefined;
  /** Refresh access tokens this many ms before expiry. @default DEFAULT_REFRESH_SKEW_MS (60 000) */
  refreshSkewMs?: number | undefined;
  /** A fetch-compatible function to send requests with. @default undici's dispatcher over a keep-alive pool */
  fetch?: FetchLike | undefined;
  /** Extra CA certificate (PEM) to trust, e.g. the emulator's. @default none */
  ca?: string | Buffer | undefined;
  /** Keep-alive connections per origin. @default DEFAULT_MAX_CONNECTIONS (64) */
  maxConnections?: number | undefined;
  /** Your Zoho CRM edition: calls in flight are capped at its concurrency limit (free 5 ... ultimate 25). @default none (no cap) */
  edition?: ZohoEdition | undefined;
  /** Cap on calls in flight from this client (wins over `edition`). @default none (no cap) */
  maxConcurrency?: number | undefined;
  /** A concurrency limiter shared with other clients or processes (e.g. Redis-backed); wins over both caps. @default none */
  limiter?: ConcurrencyLimiter | undefined;
  /** Hooks for request, response, retry and token refresh events (never given a secret). @default none */
  hooks?: ClientHooks | undefined;
  /** Where the SDK logs (console, pino, ...: debug/info/warn/error); messages are redacted. @default silent */
  logger?: Logger | undefined;
  /** User-Agent header. @default `zcrmsdk/<version> node/<version>` */
  userAgent?: string | undefined;
  /** Token endpoint parameters in the `query` (as zcrmsdk 0.0.x) or a form `body`. @default 'body' */
  tokenParamsIn?: 'query' | 'body' | undefined;
  /** How long `crm.settings` reuses metadata replies, in ms; 0 turns the cache off. @default DEFAULT_METADATA_CACHE_TTL_MS (5 minutes) */
  metadataCacheTtlMs?: number | undefined;
}

/** Every option name, for the unknown-key check. */
const OPTION_NAMES: readonly (keyof ZohoCRMOptions)[] = [
  'clientId', 'clientSecret', 'redirectUri', 'dataCentre', 'environment', 'accountsUrl', 'apiUrl', 'allowInsecureHttp',
  'apiVersion', 'userId', 'tokenStore', 'accessToken', 'timeoutMs', 'maxRetries', 'tokenMaxRetries', 'refreshSkewMs',
  'fetch', 'ca', 'maxConnections', 'edition', 'maxConcurrency', 'limiter', 'hooks', 'logger', 'userAgent',
  'tokenParamsIn', 'metadataCacheTtlMs',
];

const VIEW_OF = Symbol('zcrmsdk.view');

/** Checks every option before anything is built: unknown names, wrong types and out-of-range numbers. */
function validateOptions(options: ZohoCRMOptions): ZohoCRMOptions {
  if (!options || typeof options !== 'object') {
    throw new ConfigError('new ZohoCRM(options) needs an options object with clientId and clientSecret (or accessToken).', { code: 'CONFIG_MISSING' });
  }
  for (const key of Object.keys(options)) {
    if (!(OPTION_NAMES as readonly string[]).includes(key)) {
      const near = nearest(key, OPTION_NAMES);
      throw new ConfigError(`Unknown ZohoCRM option '${key}'.${near ? ` Did you mean '${near}'?` : ''} Valid options: ${OPTION_NAMES.join(', ')}.`, { option: key });
    }
  }
  if (options.accessToken !== undefined && typeof options.accessToken !== 'function') {
    throw new ConfigError('ZohoCRM option accessToken must be a function returning the access token (or a promise of it).', { option: 'accessToken' });
  }
  if (options.accessToken === undefined) {
    for (const key of ['clientId', 'clientSecret'] as const) {
      if (typeof options[key] !== 'string' || options[key] === '') {
        throw new ConfigError(`ZohoCRM option '${key}' is required: copy it from the Zoho API console (or pass accessToken to supply tokens yourself).`, { option: key, code: 'CONFIG_MISSING' });
      }
    }
  }
  for (const key of ['clientId', 'clientSecret', 'redirectUri', 'userId', 'userAgent'] as const) {
    const value = options[key];
    if (value !== undefined && (typeof value !== 'string' || (key === 'userId' && value === ''))) {
      throw new ConfigError(`ZohoCRM option '${key}' must be a non-empty string.`, { option: key });
    }
  }
  if (options.userAgent !== undefined && !/^[\x20-\x7e]+$/.test(options.userAgent)) {
    throw new ConfigError('ZohoCRM option userAgent must be printable ASCII.', { option: 'userAgent' });
  }
  if (options.timeoutMs !== undefined) {
    try {
      validateTimeout(options.timeoutMs, 'timeoutMs');
    } catch (cause) {
      throw new ConfigError(`ZohoCRM option ${(cause as Error).message}`, { option: 'timeoutMs' });
    }
  }
  const counts: [keyof ZohoCRMOptions, number][] = [['maxRetries', 0], ['tokenMaxRetries', 0], ['refreshSkewMs', 0], ['maxConnections', 1], ['maxConcurrency', 1], ['metadataCacheTtlMs', 0]];
  for (const [key, min] of counts) {
    const value = options[key];
    if (value !== undefined && !(typeof value === 'number' && Number.isInteger(value) && value >= min)) {
      throw new ConfigError(`ZohoCRM option ${key} must be a whole number of ${min} or more, not ${JSON.stringify(value) ?? typeof value}.`, { option: key });
    }
  }
  if (options.edition !== undefined && !(options.edition in EDITION_CONCURRENCY)) {
    throw new ConfigError(`ZohoCRM option edition must be one of ${Object.keys(EDITION_CONCURRENCY).join(', ')}, not ${JSON.stringify(options.edition)}.`, { option: 'edition' });
  }
  if (options.limiter !== undefined && typeof (options.limiter as { acquire?: unknown })?.acquire !== 'function') {
    throw new ConfigError('ZohoCRM option limiter must implement ConcurrencyLimiter (acquire(signal) resolving a release function).', { option: 'limiter' });
  }
  if (options.tokenParamsIn !== undefined && options.tokenParamsIn !== 'query' && options.tokenParamsIn !== 'body') {
    throw new ConfigError("ZohoCRM option tokenParamsIn must be 'query' or 'body'.", { option: 'tokenParamsIn' });
  }
  return options;
}

/** The closest option name by edit distance (case-insensitive), when it is close enough to be a typo. */
function nearest(key: string, names: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const name of names) {
    const d = editDistance(key.toLowerCase(), name.toLowerCase());
    if (d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

/** A token source over the caller's access-token provider. */
function providerSource(provider: AccessTokenProvider): TokenSource {
  return {
    async get(userId, { rejected }) {
      const accessToken = await provider(rejected === undefined ? { userId } : { userId, rejected });
      if (typeof accessToken !== 'string' || accessToken === '') {
        throw new ConfigError('The accessToken provider returned no token: it must resolve a non-empty string.', { option: 'accessToken' });
      }
      registerSecret(accessToken);
      return { accessToken };
    },
  };
}

export type { ApiRequest, ApiResponse, MultipartPart } from './http/request.js';

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
export class ZohoCRM extends ClientResources {
  readonly config: ResolvedConfig;
  readonly tokens: TokenManager;
  readonly #transport: HttpTransport;
  readonly #oauth: OAuthClient;
  readonly #pipeline: RequestPipeline;
  readonly #userAgent: string;
  readonly #logger: Logger;
  readonly #limiter: ConcurrencyLimiter | undefined;
  /** A `withUser` view shares its parent's pool, tokens and limiter; closing it closes nothing. */
  readonly #isView: boolean;

  constructor(options: ZohoCRMOptions) {
    super();
    const view = (options as { [VIEW_OF]?: { parent: ZohoCRM; userId: string } } | null)?.[VIEW_OF];
    if (view) {
      const { parent } = view;
      this.config = { ...parent.config, userId: view.userId };
      this.tokens = parent.tokens;
      this.#transport = parent.#transport;
      this.#oauth = parent.#oauth;
      this.#pipeline = parent.#pipeline;
      this.#userAgent = parent.#userAgent;
      this.#logger = parent.#logger;
      this.#limiter = parent.#limiter;
      this.#isView = true;
      this.#metadataCache = new MetadataCache({ ttlMs: parent.#metadataTtlMs });
      this.#metadataTtlMs = parent.#metadataTtlMs;
      return;
    }
    const o = validateOptions(options);
    const dcName = parseDataCentre(o.dataCentre, 'dataCentre') ?? DEFAULT_DATA_CENTRE;
    const environment = parseEnvironment(o.environment, 'environment') ?? DEFAULT_ENVIRONMENT;
    const insecure = o.allowInsecureHttp === true;
    if (o.clientSecret) registerSecret(o.clientSecret);
    this.config = {
      accountsUrl: assertSecureUrl(toBaseUrl(o.accountsUrl ?? DATA_CENTRES[dcName].accounts, 'accountsUrl'), 'accountsUrl', insecure),
      apiUrl: assertSecureUrl(toBaseUrl(o.apiUrl ?? apiUrlFor(dcName, environment), 'apiUrl'), 'apiUrl', insecure),
      apiVersion: validateApiVersion(o.apiVersion ?? DEFAULT_API_VERSION, 'apiVersion'),
      userId: o.userId ?? DEFAULT_USER_ID,
      clientId: o.clientId ?? '',
      redirectUri: o.redirectUri,
    };
    this.#isView = false;
    this.#logger = o.logger ? safeLogger(o.logger) : silentLogger;
    this.#userAgent = o.userAgent ?? `zcrmsdk/${SDK_VERSION} node/${process.versions.node}`;
    this.#transport = new HttpTransport({ timeoutMs: o.timeoutMs, fetch: o.fetch, ca: o.ca, maxConnections: o.maxConnections });
    this.#oauth = new OAuthClient({
      accountsUrl: this.config.accountsUrl,
      clientId: o.clientId ?? '',
      clientSecret: o.clientSecret ?? '',
      redirectUri: o.redirectUri,
      transport: this.#transport,
      paramsIn: o.tokenParamsIn,
      userAgent: this.#userAgent,
      maxRetries: o.tokenMaxRetries,
      logger: this.#logger,
    });
    const hooks = o.hooks;
    this.tokens = new TokenManager({
      store: o.tokenStore ?? new MemoryTokenStore(),
      oauth: this.#oauth,
      refreshSkewMs: o.refreshSkewMs,
      // A store that stops answering must fail the call within the client's own timeout.
      storeTimeoutMs: Math.min(o.timeoutMs ?? DEFAULT_TIMEOUT_MS, DEFAULT_STORE_TIMEOUT_MS),
      logger: this.#logger,
      onRefresh: hooks?.onTokenRefresh ? (userId, reason) => hooks.onTokenRefresh?.({ userId, reason: String(reason) }) : undefined,
    });
    const cap = o.maxConcurrency ?? (o.edition ? EDITION_CONCURRENCY[o.edition] : undefined);
    this.#limiter = o.limiter ?? (cap !== undefined ? new InProcessLimiter(cap) : undefined);
    const provider = o.accessToken;
    const tokens = this.tokens;
    this.#pipeline = new RequestPipeline({
      transport: this.#transport,
      tokens: provider ? providerSource(provider) : { get: (userId, opts) => tokens.getToken(userId, opts) },
      apiUrl: this.config.apiUrl,
      // Zoho names the user's API host in the token reply; an explicit apiUrl or a sandbox/developer org wins.
      followApiDomain: o.apiUrl === undefined && environment === 'production',
      checkApiDomain: (url) => assertSecureUrl(toBaseUrl(url, 'api_domain'), 'api_domain', insecure),
      apiVersion: this.config.apiVersion,
      maxRetries: o.maxRetries ?? DEFAULT_MAX_RETRIES,
      userAgent: this.#userAgent,
      logger: this.#logger,
      limiter: this.#limiter,
      hooks,
    });
    this.#metadataTtlMs = o.metadataCacheTtlMs;
    this.#metadataCache = new MetadataCache({ ttlMs: o.metadataCacheTtlMs });
  }

  readonly #metadataTtlMs: number | undefined;

  /**
   * A cheap view of this client acting as another user of the same app: same pool, token store, limiter and
   * options; calls that name no user use `userId`'s tokens. Closing the view closes nothing.
   */
  withUser(userId: string): ZohoCRM {
    if (typeof userId !== 'string' || userId === '') throw new InvalidInputError('crm.withUser(userId) needs the user id as a non-empty string.');
    return new ZohoCRM({ [VIEW_OF]: { parent: this, userId } } as unknown as ZohoCRMOptions);
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
  request(req: ApiRequest): Promise<ApiResponse> {
    return this.#pipeline.send(req, this.config.userId);
  }

  /** `request` + JSON parsing; 204/304 give `undefined`. */
  requestJson<T = unknown>(req: ApiRequest): Promise<T | undefined> {
    return this.#pipeline.sendJson<T>(req, this.config.userId);
  }

  /**
   * `request` with the reply body as a stream, for downloads that must not be buffered whole. Error statuses
   * still throw (their body is read to build the error).
   */
  requestStream(req: ApiRequest): Promise<ApiStreamResponse> {
    return this.#pipeline.stream(req, this.config.userId);
  }

  /** Closes pooled connections and the token store. */
  async close(): Promise<void> {
    if (this.#isView) return;
    await this.#transport.close();
    await this.#limiter?.close?.();
    await this.tokens.store.close?.();
  }

  // ---- resource accessors (res-a and res-b) ----

  readonly #metadataCache: MetadataCache;
  #settings: SettingsResource | undefined;

  /** The org's metadata (modules, fields, layouts, custom views, related lists, roles, profiles), cached in memory. */
  get settings(): SettingsResource {
    return (this.#settings ??= new SettingsResource(this, this.#metadataCache));
  }

  // ---------------------------------------------------------------- resources (records, COQL, ...)

  /**
   * Records of `module` (API name, e.g. `Leads`): list, get, create, update, upsert, delete, search, deleted,
   * and every module-scoped operation (`changeOwner`, `convert`, `blueprint(id).get()` ...).
   */
  records<T extends object = ZohoRecord, C extends object = Partial<T>>(module: string): RecordsResource<T, C> {
    const { RecordsResource: Records } = require('./api/records.js') as typeof import('./api/records.js');
    return new Records<T, C>(this, module);
  }

  /**
   * COQL: `crm.coql(query)` runs a select (`await` for the first page, `for await` for every row, LIMIT/OFFSET
   * paging inside); `crm.coql.query(params)` is the generated `coql/Get Records` operation.
   */
  get coql(): CoqlApi & (<T = ZohoRecord>(query: string, options?: CoqlOptions) => PagePromise<T>) {
    return this.resource('coql', () => {
      const { CoqlApi: Api } = require('./api/generated/coql.js') as typeof import('./api/generated/coql.js');
      return callableResource(new Api(this), <T = ZohoRecord>(query: string, options?: CoqlOptions) => coqlPages<T>(this, query, options));
    });
  }

  /** The records of one related list of one record, e.g. `crm.related('Accounts', id, 'Contacts')`. */
  related<T extends object = ZohoRecord>(module: string, recordId: string, relatedList: string): RelatedRecordsResource<T> {
    return new (related().RelatedRecordsResource)<T>(this, module, recordId, relatedList);
  }

  /** Notes: all of them (`crm.notes()`) or one record's (`crm.notes('Leads', id)`). */
  notes(module?: string, recordId?: string): NotesResource {
    return new (related().NotesResource)(this, module, recordId);
  }

  /**
   * Tags: `crm.tags.list({ module })`, `.create(...)`, `.merge(id, ...)` (the org's tags); record tags are
   * `crm.records(module).addTags(id, ...)`. `crm.tags(module).add(ids, names)` still works (deprecated).
   */
  get tags(): TagsApi & ((module: string) => TagsResource) {
    return this.resource('tags', () => {
      const { TagsApi: Api } = require('./api/generated/tags.js') as typeof import('./api/generated/tags.js');
      return callableResource(new Api(this), (module: string) => new (recordActions().TagsResource)(this, module));
    });
  }

  /**
   * Converts a lead into a contact (and account, and optionally a deal); resolves the new ids.
   * @deprecated Use `crm.records('Leads').convert(leadId, { body: { data: [...] } })`.
   */
  convertLead(leadId: string, options?: ConvertLeadOptions): Promise<ConvertLeadResult> {
    return recordActions().convertLead(this, leadId, options);
  }

  /**
   * Schedules a mass update of records by ids or custom view; `job.status()` reads its progress.
   * @deprecated Use `crm.records(module).massUpdate({ body })` and `.getMassUpdateStatus({ job_id })`.
   */
  massUpdate<T extends object = ZohoRecord>(module: string, options: MassUpdateOptions<T>): Promise<MassUpdateJob> {
    return recordActions().massUpdate<T>(this, module, options);
  }

  /**
   * CRM users: `crm.users.list()`, `.get(id)`, `.create(...)` ... `crm.users(params)` (awaitable first page,
   * `for await` over all) still works (deprecated: use `crm.users.list(params)`).
   */
  get users(): UsersApi & ((params?: UsersParams) => PagePromise<ZohoUser>) {
    return this.resource('users', () => {
      const { UsersApi: Api } = require('./api/generated/users.js') as typeof import('./api/generated/users.js');
      return callableResource(new Api(this), (params?: UsersParams) => listUsers(this, params));
    });
  }

  /**
   * One CRM user by id.
   * @deprecated Use `crm.users.get(userId)`.
   */
  user(userId: string, options?: RequestOptions): Promise<ZohoUser> {
    return getUser(this, userId, options);
  }

  /** The CRM org: `crm.org.get()`, `.uploadPhoto(...)`; `crm.org()` still resolves the org (deprecated: use `crm.org.get()`). */
  get org(): OrgApi & ((options?: RequestOptions) => Promise<ZohoOrg>) {
    return this.resource('org', () => {
      const { OrgApi: Api } = require('./api/generated/org.js') as typeof import('./api/generated/org.js');
      return callableResource(new Api(this), (options?: RequestOptions) => getOrg(this, options));
    });
  }

  /** A REST-enabled Deluge function by API name: `.get(args)` or `.post(body, args)`. */
  functions(name: string): FunctionResource {
    return new (functions().FunctionResource)(this, name);
  }

  /** The attachments of one record: list, upload (Buffer, Blob, stream or { path }), uploadLink, download as a stream, delete. */
  attachments(module: string, recordId: string): AttachmentsResource {
    return new (files().AttachmentsResource)(this, module, recordId);
  }

  /** The photo of one record (Leads, Contacts, Accounts, Products, Vendors): upload, download as a stream, delete. */
  photos(module: string, recordId: string): PhotosResource {
    return new (files().PhotosResource)(this, module, recordId);
  }

  #bulk: BulkResource | undefined;

  /**
   * Composite requests: `crm.composite([{ method, path, params, body }, ...], { rollback_on_fail })` sends up to
   * five sub-requests in one call, results in order; `crm.composite.create({ body })` is the raw operation.
   */
  override get composite(): CompositeApi & CompositeCall {
    const raw = super.composite;
    return this.resource('compositeCall', () => composite().compositeAccessor(raw, this));
  }

  /** Records the request a resource method would send, as a composite sub-request: `crm.subrequest((c) => c.records('Leads').get(id))`. */
  subrequest<Body = unknown>(call: (client: RecordingSender) => unknown): Promise<SubRequest<Body>> {
    return composite().recordSubRequest<Body>(this.config, call);
  }

  /** Bulk read (export as CSV) and bulk write (import a CSV) jobs: create, wait with backoff, stream the result. */
  get bulk(): BulkResource {
    return (this.#bulk ??= new (bulk().BulkResource)(this));
  }
}
