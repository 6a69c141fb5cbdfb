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
import { ConfigError } from './errors.js';
import { RequestPipeline } from './http/pipeline.js';
import type { ApiRequest, ApiResponse } from './http/request.js';
import { type FetchLike, HttpTransport } from './http/transport.js';
import { registerSecret } from './internal/redact.js';
import { type Logger, safeLogger, silentLogger } from './logger.js';
import { MemoryTokenStore } from './stores/memory-store.js';
import type { StoredToken, TokenStore } from './stores/token-store.js';
import type { ApiStreamResponse } from './api/resource.js';
import { MetadataCache, SettingsResource } from './api/settings.js';
import { coqlPages, type CoqlOptions } from './api/coql.js';
import type { PagePromise } from './api/pagination.js';
import { RecordsResource, type ZohoRecord } from './api/records.js';
import { NotesResource, RelatedRecordsResource } from './api/related.js';
import {
  convertLead,
  massUpdate,
  TagsResource,
  type ConvertLeadOptions,
  type ConvertLeadResult,
  type MassUpdateJob,
  type MassUpdateOptions,
} from './api/record-actions.js';
import type { RequestOptions } from './api/request-options.js';
import { getOrg, getUser, listUsers, type UsersParams, type ZohoOrg, type ZohoUser } from './api/users.js';
import { FunctionResource } from './api/functions.js';
import { AttachmentsResource, PhotosResource } from './api/files.js';
import { BulkResource } from './api/bulk.js';

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
  /** How long `crm.settings` reuses metadata replies, in ms; 0 turns the cache off. @default DEFAULT_METADATA_CACHE_TTL_MS (5 minutes) */
  metadataCacheTtlMs?: number | undefined;
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
export class ZohoCRM {
  readonly config: ResolvedConfig;
  readonly tokens: TokenManager;
  readonly #transport: HttpTransport;
  readonly #oauth: OAuthClient;
  readonly #pipeline: RequestPipeline;
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
    this.#pipeline = new RequestPipeline({
      transport: this.#transport,
      tokens: this.tokens,
      apiUrl: this.config.apiUrl,
      apiVersion: this.config.apiVersion,
      userId: this.config.userId,
      maxRetries: options.maxRetries ?? 2,
      userAgent: this.#userAgent,
      logger: this.#logger,
    });
    this.#metadataCache = new MetadataCache({ ttlMs: options.metadataCacheTtlMs });
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
    return this.#pipeline.send(req);
  }

  /** `request` + JSON parsing; 204/304 give `undefined`. */
  requestJson<T = unknown>(req: ApiRequest): Promise<T | undefined> {
    return this.#pipeline.sendJson<T>(req);
  }

  /**
   * `request` with the reply body as a stream, for downloads that must not be buffered whole. Error statuses
   * still throw (their body is read to build the error).
   */
  requestStream(req: ApiRequest): Promise<ApiStreamResponse> {
    return this.#pipeline.stream(req);
  }

  /** Closes pooled connections and the token store. */
  async close(): Promise<void> {
    await this.#transport.close();
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

  /** Records of `module` (API name, e.g. `Leads`): list, get, create, update, upsert, delete, search, deleted. */
  records<T extends object = ZohoRecord>(module: string): RecordsResource<T> {
    return new RecordsResource<T>(this, module);
  }

  /** Runs a COQL select: `await` for the first page, `for await` for every row (LIMIT/OFFSET paging inside). */
  coql<T = ZohoRecord>(query: string, options?: CoqlOptions): PagePromise<T> {
    return coqlPages<T>(this, query, options);
  }

  /** The records of one related list of one record, e.g. `crm.related('Accounts', id, 'Contacts')`. */
  related<T extends object = ZohoRecord>(module: string, recordId: string, relatedList: string): RelatedRecordsResource<T> {
    return new RelatedRecordsResource<T>(this, module, recordId, relatedList);
  }

  /** Notes: all of them (`crm.notes()`) or one record's (`crm.notes('Leads', id)`). */
  notes(module?: string, recordId?: string): NotesResource {
    return new NotesResource(this, module, recordId);
  }

  /** Tags on a module's records: `crm.tags('Leads').add(ids, ['VIP'])`, `.remove(ids, ['VIP'])`. */
  tags(module: string): TagsResource {
    return new TagsResource(this, module);
  }

  /** Converts a lead into a contact (and account, and optionally a deal); resolves the new ids. */
  convertLead(leadId: string, options?: ConvertLeadOptions): Promise<ConvertLeadResult> {
    return convertLead(this, leadId, options);
  }

  /** Schedules a mass update of records by ids or custom view; `job.status()` reads its progress. */
  massUpdate<T extends object = ZohoRecord>(module: string, options: MassUpdateOptions<T>): Promise<MassUpdateJob> {
    return massUpdate<T>(this, module, options);
  }

  /** CRM users: awaitable first page, `for await` over all (`type` filters, e.g. `ActiveUsers`). */
  users(params?: UsersParams): PagePromise<ZohoUser> {
    return listUsers(this, params);
  }

  /** One CRM user by id. */
  user(userId: string, options?: RequestOptions): Promise<ZohoUser> {
    return getUser(this, userId, options);
  }

  /** The CRM org. */
  org(options?: RequestOptions): Promise<ZohoOrg> {
    return getOrg(this, options);
  }

  /** A REST-enabled Deluge function by API name: `.get(args)` or `.post(body, args)`. */
  functions(name: string): FunctionResource {
    return new FunctionResource(this, name);
  }

  /** The attachments of one record: list, upload (Buffer, Blob, stream or { path }), uploadLink, download as a stream, delete. */
  attachments(module: string, recordId: string): AttachmentsResource {
    return new AttachmentsResource(this, module, recordId);
  }

  /** The photo of one record (Leads, Contacts, Accounts, Products, Vendors): upload, download as a stream, delete. */
  photos(module: string, recordId: string): PhotosResource {
    return new PhotosResource(this, module, recordId);
  }

  #bulk: BulkResource | undefined;

  /** Bulk read (export as CSV) and bulk write (import a CSV) jobs: create, wait with backoff, stream the result. */
  get bulk(): BulkResource {
    return (this.#bulk ??= new BulkResource(this));
  }
}
