/**
 * The emulator's HTTP(S) server: one origin serving Zoho Accounts (`/oauth/*`) and the CRM API (`/crm/*`).
 * It records every request, applies injected faults, latency and limits, authenticates CRM calls and hands
 * them to the CRM routes through the `CrmBackend` seam (so this file does not depend on the CRM code).
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import {
  AccountsState,
  handleAccounts,
  type GrantTokenOptions,
  type AccountsSnapshot,
  type OAuthClientInfo,
  type RefreshThrottle,
  type GrantCodeLimit,
} from './accounts.js';
import { authenticateRequest } from './auth.js';
import { dataCenterPrefix, parseDataCenters, routeDataCenter, type EmulatorDataCenter } from './data-centers.js';
import { FaultQueue, zohoError, type FaultAction, type FaultOptions } from './faults.js';
import type { CrmRequest, EmuResponse } from './http-types.js';
import { CreditMeter, creditCost, type CreditReport } from './credits.js';
import { ByteBudget, EDITION_CONCURRENCY, editionCredits, Limits, type ZohoEdition } from './limits.js';
import { StateFile } from './persist.js';
import {
  BodyAbortedError,
  BodyTooLargeError,
  BufferBudgetError,
  isBinaryContentType,
  isMultipart,
  parseBody,
  parseQuery,
  readBody,
  splitPath,
  splitTarget,
} from './request-parser.js';
import { redactHeaders, redactText, secretValues } from './redact.js';
import { generateCertificate } from './tls.js';
import { DEFAULT_VALIDATE_REQUESTS, type CrmStateOptions } from './crm/state.js';

/** Where the emulator logs one line per request (never a query string, body or header value). */
export interface EmulatorLogger {
  info(message: string): void;
  error(message: string): void;
}

/** Options of `startEmulator`. */
export interface EmulatorOptions {
  /** Interface to listen on. Default `127.0.0.1`. */
  host?: string;
  /** Port; 0 picks a free one. Default 0. */
  port?: number;
  /** Serve HTTPS with a self-signed certificate (exposed as `emulator.ca`). Default false. */
  https?: boolean;
  /** Seed of the generated CRM data. Default 1. */
  seed?: number;
  /** SQLite file to load the state from at start and to save it to (write-behind and at close). Needs
   * better-sqlite3. Default: in memory only. */
  persist?: string;
  /** How often changed state is written to the `persist` file, in ms. Default 1000. */
  persistIntervalMs?: number;
  /** Lifetime of access tokens, in seconds (fractions allowed for tests). Default 3600. */
  accessTokenTtlSeconds?: number;
  /** Lifetime of grant codes, in seconds (fractions allowed for tests). Default 180. */
  grantCodeTtlSeconds?: number;
  /** Zoho's refresh throttle (access tokens per refresh token per window), or false to disable.
   * Default `{ max: 10, windowSeconds: 600 }`. */
  refreshThrottle?: RefreshThrottle | false;
  /** Live access tokens per refresh token; minting one more invalidates the oldest. Default 15. */
  maxActiveAccessTokens?: number;
  /** Refresh tokens per client and user; one more deletes the oldest (Zoho: 20). Default false (no limit). */
  maxRefreshTokensPerUser?: number | false;
  /** Reply with the pre-2020 token shape: `expires_in_sec` (seconds) plus `expires_in` in ms. Default false. */
  legacyExpiresIn?: boolean;
  /** HTTP status of a multi-record write where some items failed: 207 (observed) or 202 (v2 docs). Default 207. */
  mixedStatus?: 207 | 202;
  /**
   * Check each v8 request against its operation's parameters and request schema, refusing it as Zoho does
   * (`REQUIRED_PARAM_MISSING`, `INVALID_DATA` with `details.api_name`/`json_path`). `false` makes a lenient
   * emulator that routes without checking (and is the benchmark's baseline). Default {@link DEFAULT_VALIDATE_REQUESTS}.
   */
  validateRequests?: boolean;
  /** Apply an edition's concurrency limit and 24-hour credits. Default: none (unlimited). */
  edition?: ZohoEdition;
  /** Max CRM calls in flight; more get 429 TOO_MANY_REQUESTS. Default: the edition's, else unlimited. */
  concurrency?: number;
  /** CRM call credits for a rolling 24 hours, each call charged as Zoho's credit table says (`emulator.credits`);
   * a call the budget does not cover gets 429 TOO_MANY_REQUESTS. Default: the edition's, else unlimited. */
  credits?: number;
  /** Send the legacy `X-RATELIMIT-*` headers on CRM replies (only when a credit budget is set). Default false. */
  rateLimitHeaders?: boolean;
  /** Delay added to every request, in ms. Default 0. */
  latencyMs?: number;
  /** UTC offset of the CRM org, in minutes, for datetimes on the wire. Default 0. */
  timezoneOffsetMinutes?: number;
  /** Start with empty modules instead of generated records. Default false. */
  emptyModules?: boolean;
  /** One line per request (method, path, status). Default: silent. */
  logger?: EmulatorLogger;
  /** How many requests `emulator.requests` keeps (oldest dropped first; secrets in it are redacted). Default 10,000. */
  maxRecordedRequests?: number;
  /** Largest accepted request body, in bytes; larger gets 413. Default 100 MiB. */
  maxBodyBytes?: number;
  /**
   * Request-body bytes buffered at once across all requests (bodies being read or handled); a request that
   * would pass it gets 429 TOO_MANY_REQUESTS with `Retry-After: 1`. `false` for no cap.
   * @default DEFAULT_MAX_BUFFERED_BYTES (256 MiB)
   */
  maxBufferedBytes?: number | false;
  /** The pre-registered OAuth client. Default: DEFAULT_CLIENT. */
  client?: Partial<OAuthClientInfo>;
  /** The clock, in epoch ms (tokens, grant codes, CRM timestamps). Default `Date.now`. */
  now?: () => number;
  /**
   * Zoho data centres served, each at `emulator.urlFor(dc)` (the first also at `url`); a token minted in one
   * is INVALID_TOKEN (CRM) / invalid_code (token endpoint) in another. Default `['us']`.
   */
  dataCenters?: EmulatorDataCenter | readonly EmulatorDataCenter[];
  /** Zoho's limit of grant codes per client (10 per 10 minutes), or false for none. Default false. */
  grantCodeLimit?: GrantCodeLimit | false;
}

/** The pre-registered demo client (a self client: grant codes work with any redirect_uri). */
export const DEFAULT_CLIENT: Readonly<OAuthClientInfo> = {
  clientId: '1000.EMULATORDEMOCLIENT0000000000',
  clientSecret: 'e0d1e2m3o4s5e6c7r8e9t0a1b2c3d4e5f6a7b8c9d0',
  redirectUri: 'http://localhost:8000/oauth/callback',
};

export const DEFAULT_ACCESS_TOKEN_TTL_SECONDS = 3600;
export const DEFAULT_GRANT_CODE_TTL_SECONDS = 180;
export const DEFAULT_REFRESH_THROTTLE: Readonly<RefreshThrottle> = { max: 10, windowSeconds: 600 };
export const DEFAULT_MAX_ACTIVE_ACCESS_TOKENS = 15;
export const DEFAULT_MAX_RECORDED_REQUESTS = 10_000;
export const DEFAULT_MAX_BODY_BYTES = 100 * 1024 * 1024;
/** Default total of request-body bytes all requests may buffer at once (`maxBufferedBytes`). */
export const DEFAULT_MAX_BUFFERED_BYTES = 256 * 1024 * 1024;
export const DEFAULT_PERSIST_INTERVAL_MS = 1000;
/** Zoho's grant-code limit, for `grantCodeLimit: DEFAULT_GRANT_CODE_LIMIT` (the option is off by default). */
export const DEFAULT_GRANT_CODE_LIMIT: Readonly<GrantCodeLimit> = { max: 10, windowSeconds: 600 };

/** What the CRM side must offer the server. `CrmState` from `./crm/index.js` satisfies it. */
export interface CrmBackend {
  readonly currentUserId: string;
  users(): Record<string, unknown>[];
  snapshot(): unknown;
  reset(): void;
}

/** Options the server passes when creating or restoring the CRM state (one definition, the CRM's). */
export type { CrmStateOptions };

/** How the server creates, restores and calls the CRM state. */
export interface CrmBinding<S extends CrmBackend> {
  create(options: CrmStateOptions): S;
  restore(snapshot: unknown, options: CrmStateOptions): S;
  handle(state: S, req: CrmRequest): Promise<EmuResponse>;
}

/** One request as the emulator received it. */
export interface RecordedRequest {
  method: string;
  /** The path as sent, without the query. */
  path: string;
  /** The query, leniently parsed (see CrmRequest.query). */
  query: Record<string, string>;
  rawQuery: string;
  /** Headers as received (lower-case names), `authorization` redacted to a fingerprint (`Zoho-oauthtoken 1000.[REDACTED 3f2a9c1e]`). */
  headers: IncomingMessage['headers'];
  /** Text bodies as a string, multipart and binary bodies as a Buffer; '' when empty. In `/oauth/*` requests
   * (query, raw query and body) `client_secret`, `refresh_token`, `code` and `token` values are fingerprints. */
  body: string | Buffer;
  /** Receive time, epoch ms (emulator clock). */
  time: number;
  /** The status answered (with `dropAfterHandling`: the one that would have been sent); unset while in flight
   * or when the connection was dropped before handling. */
  status?: number;
  /** True when the client got no reply (a `dropConnection` or `dropAfterHandling` fault). */
  dropped?: boolean;
}

interface PersistedState {
  format: 1;
  accounts: AccountsSnapshot;
  crm: unknown;
}

const JSON_TYPE = 'application/json;charset=UTF-8';
const CRM_VERSION = /^v(?:2|2\.1|[3-8])$/;

/** Ends a request whose handler was waiting on a delay when the emulator closed. */
class EmulatorClosedError extends Error {
  constructor() {
    super('The emulator closed while the request waited.');
  }
}

function jsonResponse(status: number, body: unknown): EmuResponse {
  return { status, headers: { 'Content-Type': JSON_TYPE }, json: body };
}

const notFound = (): EmuResponse => jsonResponse(404, zohoError('INVALID_URL_PATTERN'));

/** A bounded ring of recorded requests. */
class RequestLog {
  #items: (RecordedRequest | undefined)[];
  #next = 0;
  #size = 0;

  constructor(readonly capacity: number) {
    this.#items = new Array<RecordedRequest | undefined>(Math.max(0, capacity));
  }

  push(item: RecordedRequest): void {
    if (this.capacity <= 0) return;
    this.#items[this.#next] = item;
    this.#next = (this.#next + 1) % this.capacity;
    this.#size = Math.min(this.#size + 1, this.capacity);
  }

  list(): RecordedRequest[] {
    const out: RecordedRequest[] = [];
    const start = (this.#next - this.#size + this.capacity) % this.capacity;
    for (let i = 0; i < this.#size; i++) out.push(this.#items[(start + i) % this.capacity]!);
    return out;
  }

  clear(): void {
    this.#items = new Array<RecordedRequest | undefined>(Math.max(0, this.capacity));
    this.#next = 0;
    this.#size = 0;
  }
}

function originOf(protocol: 'http' | 'https', host: string, port: number): string {
  const shown = host === '0.0.0.0' || host === '' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `${protocol}://${shown.includes(':') ? `[${shown}]` : shown}:${port}`;
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  const lower = name.toLowerCase();
  return Object.keys(headers).some((k) => k.toLowerCase() === lower);
}

/** Stringifies the JSON body of a form-like request for the token endpoint (values that are not strings are dropped). */
function stringFields(json: unknown): Record<string, string> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(json)) if (typeof v === 'string') out[k] = v;
  return out;
}

/** Everything a server needs, prepared by `prepareEmulator` (state loaded, socket listening). */
export interface EmulatorInit<S extends CrmBackend> {
  binding: CrmBinding<S>;
  crm: S;
  accounts: AccountsState;
  server: Server;
  url: string;
  ca: string | undefined;
  options: EmulatorOptions;
  crmOptions: CrmStateOptions;
  limits: Limits;
  credits: CreditMeter;
  stateFile: StateFile | undefined;
  clock: { offsetMs: number };
}

/** Loads or creates the state and starts listening; wrap the result in an EmulatorServer (or subclass). */
export async function prepareEmulator<S extends CrmBackend>(
  binding: CrmBinding<S>,
  options: EmulatorOptions = {},
): Promise<EmulatorInit<S>> {
  const clock = { offsetMs: 0 };
  const baseNow = options.now ?? Date.now;
  const now = (): number => baseNow() + clock.offsetMs;
  const crmOptions: CrmStateOptions = { seed: options.seed ?? 1, now, mixedStatus: options.mixedStatus ?? 207, validateRequests: options.validateRequests ?? DEFAULT_VALIDATE_REQUESTS };
  if (options.timezoneOffsetMinutes !== undefined) crmOptions.timezoneOffsetMinutes = options.timezoneOffsetMinutes;
  if (options.emptyModules !== undefined) crmOptions.emptyModules = options.emptyModules;

  const dataCenters = parseDataCenters(options.dataCenters);
  const stateFile = options.persist === undefined ? undefined : await StateFile.open(options.persist);
  const saved = stateFile?.load() as PersistedState | undefined;
  const crm = saved !== undefined ? binding.restore(saved.crm, crmOptions) : binding.create(crmOptions);
  const accounts = new AccountsState({
    now,
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? DEFAULT_ACCESS_TOKEN_TTL_SECONDS,
    grantCodeTtlSeconds: options.grantCodeTtlSeconds ?? DEFAULT_GRANT_CODE_TTL_SECONDS,
    refreshThrottle: options.refreshThrottle ?? DEFAULT_REFRESH_THROTTLE,
    maxActiveAccessTokens: options.maxActiveAccessTokens ?? DEFAULT_MAX_ACTIVE_ACCESS_TOKENS,
    maxRefreshTokensPerUser: options.maxRefreshTokensPerUser ?? false,
    legacyExpiresIn: options.legacyExpiresIn ?? false,
    defaultUserId: () => crm.currentUserId,
    dataCenters,
    grantCodeLimit: options.grantCodeLimit ?? false,
  });
  if (saved !== undefined) accounts.restore(saved.accounts);
  accounts.registerClient({ ...DEFAULT_CLIENT, ...options.client });

  const edition = options.edition;
  const limits = new Limits(options.concurrency ?? (edition === undefined ? undefined : EDITION_CONCURRENCY[edition]));
  const credits = new CreditMeter(now, options.credits ?? (edition === undefined ? undefined : editionCredits(edition, crm.users().length)));

  const protocol = options.https === true ? 'https' : 'http';
  const tls = options.https === true ? await generateCertificate(options.host === undefined ? [] : [options.host]) : undefined;
  const server = tls === undefined ? createHttpServer({ keepAlive: true }) : createHttpsServer({ key: tls.key, cert: tls.cert, keepAlive: true });
  const host = options.host ?? '127.0.0.1';
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    stateFile?.close();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  return {
    binding,
    crm,
    accounts,
    server,
    url: originOf(protocol, host, port),
    ca: tls?.cert,
    options,
    crmOptions,
    limits,
    credits,
    stateFile,
    clock,
  };
}

/**
 * A running emulator. Create it with `startEmulator` (which binds the real CRM routes); `S` is the CRM state
 * type exposed as `emulator.crm`.
 */
export class EmulatorServer<S extends CrmBackend> {
  /** The origin serving `/oauth/*` and `/crm/*`, e.g. `http://127.0.0.1:53124`. */
  readonly url: string;
  /** The pre-registered OAuth client. */
  readonly client: OAuthClientInfo;
  /** PEM of the self-signed certificate in HTTPS mode (trust it as a CA); undefined over HTTP. */
  readonly ca: string | undefined;
  /** Same as `ca`: the certificate is its own issuer. */
  readonly cert: string | undefined;
  readonly accounts: AccountsState;

  #crm: S;
  readonly #binding: CrmBinding<S>;
  readonly #server: Server;
  readonly #options: EmulatorOptions;
  readonly #crmOptions: CrmStateOptions;
  readonly #faults = new FaultQueue();
  readonly #limits: Limits;
  readonly #credits: CreditMeter;
  readonly #log: RequestLog;
  /** The log entry of each request, to note its outcome. */
  readonly #recorded = new WeakMap<IncomingMessage, RecordedRequest>();
  readonly #bodyBudget: ByteBudget;
  /** Pending latency and fault delays, cancelled by close() so no timer outlives the emulator. */
  readonly #delays = new Set<{ timer: NodeJS.Timeout; cancel: () => void }>();
  readonly #stateFile: StateFile | undefined;
  readonly #persistTimer: NodeJS.Timeout | undefined;
  #latencyMs: number;
  readonly #clock: { offsetMs: number };
  #dirty = false;
  #closed: Promise<void> | undefined;
  /** Client connections open now: counted on 'connection', uncounted on the socket's 'close'. */
  #openConnections = 0;

  /** Internal: use `startEmulator` (or `EmulatorServer.start` with a custom CRM binding). */
  constructor(init: EmulatorInit<S>) {
    this.#binding = init.binding;
    this.#crm = init.crm;
    this.accounts = init.accounts;
    this.#server = init.server;
    this.url = init.url;
    this.ca = init.ca;
    this.cert = init.ca;
    this.#options = init.options;
    this.#crmOptions = init.crmOptions;
    this.#limits = init.limits;
    this.#credits = init.credits;
    this.#log = new RequestLog(init.options.maxRecordedRequests ?? DEFAULT_MAX_RECORDED_REQUESTS);
    this.#latencyMs = init.options.latencyMs ?? 0;
    const maxBuffered = init.options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
    this.#bodyBudget = new ByteBudget(maxBuffered === false ? undefined : maxBuffered);
    this.#stateFile = init.stateFile;
    this.client = { ...(this.accounts.client(this.#clientId()) ?? DEFAULT_CLIENT) };
    this.#clock = init.clock;
    init.server.on('connection', (socket: Socket) => {
      this.#openConnections++;
      socket.once('close', () => this.#openConnections--);
    });
    init.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      this.#handle(req, res).catch((error: unknown) => {
        if (error instanceof EmulatorClosedError) res.destroy();
        else this.#fail(res, error);
      });
    });
    if (this.#stateFile !== undefined) {
      this.#persistTimer = setInterval(() => this.#flush(false), init.options.persistIntervalMs ?? DEFAULT_PERSIST_INTERVAL_MS);
      this.#persistTimer.unref();
    }
  }

  #clientId(): string {
    return this.#options.client?.clientId ?? DEFAULT_CLIENT.clientId;
  }

  /** Starts a server with the given CRM binding; `startEmulator` binds the emulator's own CRM. */
  static async start<S extends CrmBackend>(binding: CrmBinding<S>, options: EmulatorOptions = {}): Promise<EmulatorServer<S>> {
    return new EmulatorServer(await prepareEmulator(binding, options));
  }

  /** The CRM state: seed or inspect records directly (`emulator.crm.insert('Leads', [...])`). */
  get crm(): S {
    return this.#crm;
  }

  /** Every request received (up to `maxRecordedRequests`, oldest first). */
  get requests(): RecordedRequest[] {
    return this.#log.list();
  }

  /** The requests to the token endpoint `/oauth/v2/token` of any data centre (count refreshes in tests). */
  get tokenRequests(): RecordedRequest[] {
    return this.#log.list().filter((r) => routeDataCenter(r.path, this.dataCenters)?.pathname === '/oauth/v2/token');
  }

  /** The data centres served; the first is also served at `url`. */
  get dataCenters(): readonly EmulatorDataCenter[] {
    return this.accounts.dataCenters;
  }

  /** The base URL of a served data centre (`{url}/dc/{dc}`): use it as both the API and the accounts URL. */
  urlFor(dataCenter: EmulatorDataCenter): string {
    if (!this.dataCenters.includes(dataCenter)) {
      throw new Error(`This emulator does not serve data centre '${dataCenter}'. Start it with dataCenters: [${[...this.dataCenters, dataCenter].map((d) => `'${d}'`).join(', ')}].`);
    }
    return `${this.url}${dataCenterPrefix(dataCenter)}`;
  }

  clearRequests(): void {
    this.#log.clear();
  }

  /** The emulator clock (epoch ms): the `now` option plus `advanceClock` offsets. */
  now(): number {
    return this.#crmOptions.now();
  }

  /** Moves the emulator clock forward (tokens and grant codes expire without waiting). */
  advanceClock(ms: number): void {
    this.#clock.offsetMs += ms;
  }

  /** Issues a self-client grant code, to exchange at `/oauth/v2/token` (any redirect_uri is accepted). */
  async grantToken(options: GrantTokenOptions = {}): Promise<string> {
    this.#dirty = true;
    return this.accounts.issueGrant(options.clientId ?? this.client.clientId, { ...options, selfClient: true });
  }

  /** Registers (or replaces) an OAuth client; missing id and secret are generated; `dataCenters` limits where it is enabled. */
  registerClient(client: { clientId?: string; clientSecret?: string; redirectUri: string; dataCenters?: EmulatorDataCenter[] }): OAuthClientInfo {
    this.#dirty = true;
    const random = (): string => Math.random().toString(36).slice(2, 12).toUpperCase();
    return this.accounts.registerClient({
      clientId: client.clientId ?? `1000.${random()}${random()}${random()}`.slice(0, 35),
      clientSecret: client.clientSecret ?? `${random()}${random()}${random()}${random()}`.toLowerCase(),
      redirectUri: client.redirectUri,
      ...(client.dataCenters === undefined ? {} : { dataCenters: [...client.dataCenters] }),
    });
  }

  /** Makes every access token issued so far invalid (INVALID_TOKEN); refresh tokens keep working. */
  expireAccessTokens(): void {
    this.#dirty = true;
    this.accounts.expireAccessTokens();
  }

  /** Revokes a refresh token and its access tokens. Returns false when the token was not live. */
  revokeRefreshToken(token: string): boolean {
    this.#dirty = true;
    return this.accounts.revokeRefreshToken(token);
  }

  /** Queues a fault for the next matching request(s); see FaultOptions. */
  failNext(fault: FaultOptions = {}): void {
    this.#faults.add(fault);
  }

  /** Fault occurrences not consumed yet. */
  get pendingFaults(): number {
    return this.#faults.pending;
  }

  clearFaults(): void {
    this.#faults.clear();
  }

  /** Delay added to every request, in ms (0 to turn off). */
  setLatency(ms: number): void {
    this.#latencyMs = Math.max(0, ms);
  }

  /** Max CRM calls in flight; undefined for unlimited. */
  setConcurrencyLimit(limit: number | undefined): void {
    this.#limits.concurrency = limit;
  }

  /** Request-body bytes buffered right now across all requests (counted against `maxBufferedBytes`). */
  get bufferedBytes(): number {
    return this.#bodyBudget.held;
  }

  /** CRM calls currently in flight (counted against the concurrency limit). */
  get inFlight(): number {
    return this.#limits.inFlight;
  }

  /**
   * Client connections (TCP) open right now, idle keep-alive ones included. It sees what the client's own process
   * may not list (an unref'd socket is not an active handle there): a client that leaks sockets keeps it above the
   * size of its connection pool.
   */
  get openConnections(): number {
    return this.#openConnections;
  }

  /** A fresh 24-hour credit budget (calls charged per Zoho's credit table); undefined for unlimited. */
  setCredits(credits: number | undefined): void {
    this.#credits.setBudget(credits);
  }

  /** API credits the CRM calls spent: `used`, `remaining`, `byOperation` (`POST /Leads` → calls, credits), `reset()`. */
  get credits(): CreditReport {
    return this.#credits;
  }

  /** Puts the CRM and accounts back to the seed: tokens, grant codes, faults, credit counts and the request log
   * are cleared; registered clients and the credit budget stay. */
  reset(): void {
    this.#dirty = true;
    this.#crm.reset();
    this.#credits.reset();
    this.accounts.clearTokens();
    this.#faults.clear();
    this.#log.clear();
    this.#clock.offsetMs = 0;
  }

  /** Stops listening, closes open connections and writes the state file (when `persist` is set). */
  close(): Promise<void> {
    this.#closed ??= new Promise<void>((resolve, reject) => {
      if (this.#persistTimer !== undefined) clearInterval(this.#persistTimer);
      for (const delay of this.#delays) {
        clearTimeout(delay.timer);
        delay.cancel();
      }
      this.#delays.clear();
      this.#server.close(() => {
        try {
          this.#flush(true);
          this.#stateFile?.close();
          resolve();
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
      this.#server.closeAllConnections();
    });
    return this.#closed;
  }

  #flush(force: boolean): void {
    if (this.#stateFile === undefined || (!force && !this.#dirty)) return;
    this.#dirty = false;
    const state: PersistedState = { format: 1, accounts: this.accounts.snapshot(), crm: this.#crm.snapshot() };
    try {
      this.#stateFile.save(state);
    } catch (error) {
      this.#dirty = true;
      this.#options.logger?.error(`emulator: could not save state to ${this.#options.persist ?? ''}: ${String(error)}`);
      if (force) throw error;
    }
  }

  #fail(res: ServerResponse, error: unknown): void {
    this.#options.logger?.error(`emulator: internal error: ${error instanceof Error ? error.message : String(error)}`);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    try {
      this.#send(res, jsonResponse(500, zohoError('INTERNAL_ERROR')));
    } catch {
      // Nothing left to tell this client; never let a failed reply become an unhandled rejection.
      res.destroy();
    }
  }

  #send(res: ServerResponse, response: EmuResponse, extraHeaders: Record<string, string> = {}): void {
    const headers: Record<string, string> = { Server: 'ZGS', ...extraHeaders, ...response.headers };
    let body: Buffer | undefined;
    if (response.status === 204 || response.status === 304) {
      body = undefined;
      for (const k of Object.keys(headers)) if (k.toLowerCase() === 'content-type') delete headers[k];
    } else if (response.json !== undefined) {
      body = Buffer.from(JSON.stringify(response.json), 'utf8');
      if (!hasHeader(headers, 'content-type')) headers['Content-Type'] = JSON_TYPE;
    } else {
      body = response.body ?? Buffer.alloc(0);
    }
    if (body !== undefined) headers['Content-Length'] = String(body.length);
    this.#noteOutcome(res.req, response.status, false);
    res.writeHead(response.status, headers);
    res.end(body);
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = this.now();
    const method = (req.method ?? 'GET').toUpperCase();
    const { pathname, rawQuery } = splitTarget(req.url ?? '/');
    const query = parseQuery(rawQuery);
    let raw: Buffer;
    try {
      raw = await readBody(req, this.#options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, this.#bodyBudget);
    } catch (error) {
      if (error instanceof BodyAbortedError) {
        this.#logLine(method, pathname, 'aborted by the client', started);
        res.destroy();
        return;
      }
      this.#record(method, pathname, query, rawQuery, req, Buffer.alloc(0), started, pathname.includes('/oauth/') ? secretValues(query) : []);
      if (error instanceof BodyTooLargeError) {
        this.#send(res, jsonResponse(413, zohoError('FILE_SIZE_MORE_THAN_ALLOWED_SIZE', 'the request body is larger than the allowed size')), { Connection: 'close' });
      } else if (error instanceof BufferBudgetError) {
        this.#send(res, jsonResponse(429, zohoError('TOO_MANY_REQUESTS', 'Too many request bytes in flight; retry later.')), { Connection: 'close', 'Retry-After': '1' });
      } else {
        throw error;
      }
      this.#logLine(method, pathname, String(res.statusCode), started);
      return;
    }
    try {
      await this.#route(method, pathname, query, rawQuery, req, res, raw, started);
    } finally {
      this.#bodyBudget.release(raw.length);
    }
  }

  async #route(
    method: string,
    sentPath: string,
    query: Record<string, string>,
    rawQuery: string,
    req: IncomingMessage,
    res: ServerResponse,
    raw: Buffer,
    started: number,
  ): Promise<void> {
    const contentType = req.headers['content-type'];
    // `/dc/{dc}/…` addresses one of the served data centres; a bare path the first one.
    const routed = routeDataCenter(sentPath, this.dataCenters);
    const pathname = routed?.pathname ?? sentPath;
    const segments = splitPath(pathname);
    // Token requests carry secrets; the log gets them redacted, so their fields are read before it is written.
    const oauthBody = segments[0] === 'oauth' ? await parseBody(contentType, raw) : undefined;
    const secrets = oauthBody === undefined ? [] : secretValues(query, stringFields(oauthBody.json), oauthBody.fields);
    this.#record(method, sentPath, query, rawQuery, req, raw, started, secrets);
    if (method !== 'GET' && method !== 'HEAD') this.#dirty = true;

    const fault = this.#faults.take(method, pathname);
    if (fault !== undefined && (await this.#applyFault(fault, req, res))) {
      this.#logLine(method, pathname, fault.kind === 'drop' ? 'dropped' : String(res.statusCode), started);
      return;
    }

    let response: EmuResponse;
    let extra: Record<string, string> = {};
    if (routed === undefined) {
      await this.#latency();
      response = notFound();
    } else if (oauthBody !== undefined) {
      await this.#latency();
      const body = oauthBody;
      // Zoho answers a token request it cannot read with its usual HTTP-200 error body (wire spec §2.4).
      const unreadable = body.invalidBody && isMultipart(contentType);
      const accountsRequest = {
        method,
        segments: segments.slice(1),
        query,
        fields: { ...stringFields(body.json), ...body.fields },
        headers: req.headers,
        origin: routed.prefixed ? this.urlFor(routed.dataCenter) : this.url,
        dataCenter: routed.dataCenter,
        // serverinfo names the first data centre by the bare URL, which serves it too.
        dataCenterUrl: (dc: EmulatorDataCenter) => (dc === this.dataCenters[0] ? this.url : this.urlFor(dc)),
      };
      response = unreadable
        ? jsonResponse(200, { error: 'invalid_request' })
        : (handleAccounts(this.accounts, accountsRequest, (userId) => this.#crm.users().find((u) => u['id'] === userId)) ?? notFound());
    } else if (segments[0] === 'crm') {
      [response, extra] = await this.#handleCrm(method, segments, query, req, contentType, raw, routed.dataCenter);
    } else {
      await this.#latency();
      response = notFound();
    }
    if (fault?.kind === 'drop-after') {
      this.#noteOutcome(req, response.status, true);
      req.socket.destroy();
      this.#logLine(method, pathname, `${response.status}, reply dropped`, started);
      return;
    }
    this.#send(res, response, extra);
    this.#logLine(method, pathname, String(response.status), started);
  }

  async #handleCrm(
    method: string,
    segments: string[],
    query: Record<string, string>,
    req: IncomingMessage,
    contentType: string | undefined,
    raw: Buffer,
    dataCenter: EmulatorDataCenter,
  ): Promise<[EmuResponse, Record<string, string>]> {
    const bulk = segments[1] === 'bulk';
    const email = segments[1] === 'email';
    const version = bulk || email ? segments[2] : segments[1];
    if (version === undefined || !CRM_VERSION.test(version)) {
      await this.#latency();
      return [notFound(), {}];
    }
    const auth = authenticateRequest(this.accounts, req.headers, dataCenter);
    if (!auth.ok) {
      await this.#latency();
      return [auth.response, {}];
    }
    if (!this.#limits.enter()) {
      await this.#latency();
      return [jsonResponse(429, zohoError('TOO_MANY_REQUESTS')), {}];
    }
    try {
      // Latency is spent inside the in-flight window, so a concurrency limit can be observed.
      await this.#latency();
      const body = await parseBody(contentType, raw);
      const crmRequest: CrmRequest = {
        method,
        version,
        segments: segments.slice(bulk || email ? 3 : 2),
        bulk,
        ...(email ? { space: 'email' as const } : {}),
        query,
        headers: req.headers,
        json: body.json,
        invalidBody: body.invalidBody,
        rawBody: raw,
        files: body.files,
        fields: body.fields,
        userId: auth.record.userId,
        scopes: auth.record.scopes,
      };
      // Every authenticated call is charged, as Zoho does, whatever it answers.
      const cost = creditCost(crmRequest);
      if (!this.#credits.charge(cost.operation, cost.credits)) {
        return [jsonResponse(429, zohoError('TOO_MANY_REQUESTS', 'You have exceeded the API credits allowed for 24 hours.')), this.#rateHeaders()];
      }
      if (body.invalidBody && isMultipart(contentType)) return [jsonResponse(400, zohoError('INVALID_DATA')), this.#rateHeaders()];
      return [await this.#binding.handle(this.#crm, crmRequest), this.#rateHeaders()];
    } finally {
      this.#limits.leave();
    }
  }

  #rateHeaders(): Record<string, string> {
    return this.#options.rateLimitHeaders === true ? this.#credits.headers() : {};
  }

  async #latency(): Promise<void> {
    if (this.#latencyMs > 0) await this.#sleep(this.#latencyMs);
  }

  /** Waits `ms`; rejects with EmulatorClosedError when the emulator closes first. */
  #sleep(ms: number): Promise<void> {
    if (this.#closed !== undefined) return Promise.reject(new EmulatorClosedError());
    return new Promise((resolve, reject) => {
      const delay = {
        timer: setTimeout(() => {
          this.#delays.delete(delay);
          resolve();
        }, ms),
        cancel: () => reject(new EmulatorClosedError()),
      };
      this.#delays.add(delay);
    });
  }

  /** Applies a fault; true when the request is finished (answered or dropped). */
  async #applyFault(fault: FaultAction, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    if (fault.delayMs > 0) await this.#sleep(fault.delayMs);
    switch (fault.kind) {
      case 'delay':
      case 'drop-after':
        return false;
      case 'drop':
        this.#noteOutcome(req, undefined, true);
        req.socket.destroy();
        return true;
      case 'reply':
        this.#send(res, { status: fault.status, headers: fault.headers, json: fault.json });
        return true;
    }
  }

  #record(
    method: string,
    path: string,
    query: Record<string, string>,
    rawQuery: string,
    req: IncomingMessage,
    raw: Buffer,
    time: number,
    secrets: readonly string[],
  ): void {
    let body: string | Buffer = raw.length === 0 ? '' : isBinaryContentType(req.headers['content-type']) ? raw : raw.toString('utf8');
    let shownQuery = query;
    let shownRawQuery = rawQuery;
    if (secrets.length > 0) {
      body = typeof body === 'string' ? redactText(body, secrets) : Buffer.from(redactText(body.toString('latin1'), secrets), 'latin1');
      shownQuery = Object.fromEntries(Object.entries(query).map(([k, v]) => [k, redactText(v, secrets)]));
      shownRawQuery = redactText(rawQuery, secrets);
    }
    const item: RecordedRequest = { method, path, query: shownQuery, rawQuery: shownRawQuery, headers: redactHeaders(req.headers), body, time };
    this.#recorded.set(req, item);
    this.#log.push(item);
  }

  #noteOutcome(req: IncomingMessage, status: number | undefined, dropped: boolean): void {
    const item = this.#recorded.get(req);
    if (item === undefined) return;
    if (status !== undefined) item.status = status;
    if (dropped) item.dropped = true;
  }

  #logLine(method: string, path: string, outcome: string, started: number): void {
    // Paths carry no secrets; query strings (old zcrmsdk sends client_secret there) are never logged.
    this.#options.logger?.info(`emulator: ${method} ${path} -> ${outcome} (${this.now() - started} ms)`);
  }
}
