import { DEFAULT_REFRESH_SKEW_MS } from '../config.js';
import { AbortedError, InvalidInputError, NoTokenError, TokenStoreError, ZohoError } from '../errors.js';
import { registerSecret } from '../internal/redact.js';
import { SingleFlight } from '../internal/single-flight.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import { DEFAULT_STORE_TIMEOUT_MS, msOption, withDeadline } from '../stores/deadline.js';

export { DEFAULT_STORE_TIMEOUT_MS };
import type { HeldLock, StoredToken, TokenStore } from '../stores/token-store.js';
import type { IssuedTokens, OAuthClient } from './oauth-client.js';

/** How long one shared refresh (cross-process lock wait, token call, save) may take. */
export const DEFAULT_REFRESH_TIMEOUT_MS = 30_000;

/** Why a refresh ran: the access token expired (or was about to), or Zoho refused it (401 INVALID_TOKEN). */
export type TokenRefreshReason = 'expired' | 'rejected';

export interface TokenManagerOptions {
  store: TokenStore;
  oauth: OAuthClient;
  /** Refresh this many ms before expiry. @default DEFAULT_REFRESH_SKEW_MS (60 s) */
  refreshSkewMs?: number | undefined;
  /** Deadline of each token-store operation, ms; it ends in a TokenStoreError. @default DEFAULT_STORE_TIMEOUT_MS (10 s) */
  storeTimeoutMs?: number | undefined;
  /** Deadline of a shared refresh, ms, independent of any caller's signal. @default DEFAULT_REFRESH_TIMEOUT_MS (30 s) */
  refreshTimeoutMs?: number | undefined;
  /** Called when this process asks Zoho for a new access token (not when it reuses another's refresh). @default none */
  onRefresh?: ((userId: string, reason: TokenRefreshReason) => void) | undefined;
  logger?: Logger | undefined;
  /** Clock, for tests. @default Date.now */
  now?: (() => number) | undefined;
}

/** Options of {@link TokenManager.getToken}. */
export interface GetTokenOptions {
  /** An access token Zoho refused (401 INVALID_TOKEN): another one is returned, refreshed if need be. */
  rejected?: string | undefined;
  /** Stops this caller's wait only; a refresh shared with other callers goes on. */
  signal?: AbortSignal | undefined;
}

/**
 * Zoho issued tokens but the store could not save them (the grant code is spent). The tokens are on
 * `error.tokens`, which is kept out of the message, `util.inspect` and `JSON.stringify`; save them yourself or
 * retry `store.save(error.tokens)` once the store is back.
 */
export class TokensNotSavedError extends TokenStoreError {
  readonly #tokens: StoredToken;
  constructor(message: string, tokens: StoredToken, options: { cause?: unknown } = {}) {
    super(message, options);
    this.#tokens = tokens;
  }

  /** The tokens Zoho issued, to save once the store is back. */
  get tokens(): StoredToken {
    return { ...this.#tokens };
  }
}

/**
 * Hands out valid access tokens per user: caches them, refreshes early, and lets only one refresh per user
 * run at a time (in process; across processes too when the store can lock). Losers of a refresh race re-read
 * the store instead of refreshing again.
 */
export class TokenManager {
  readonly #store: TokenStore;
  readonly #oauth: OAuthClient;
  readonly #skewMs: number;
  readonly #storeTimeoutMs: number;
  readonly #refreshTimeoutMs: number;
  readonly #onRefresh: ((userId: string, reason: TokenRefreshReason) => void) | undefined;
  readonly #logger: Logger;
  readonly #now: () => number;
  readonly #cache = new Map<string, StoredToken>();
  /** Refreshes in flight per user. */
  readonly #refreshing = new SingleFlight<string, StoredToken>();
  /** Store reads in flight per user: concurrent calls that miss the cache share one read. */
  readonly #reading = new SingleFlight<string, StoredToken>();

  constructor(options: TokenManagerOptions) {
    this.#store = options.store;
    this.#oauth = options.oauth;
    this.#skewMs = options.refreshSkewMs ?? DEFAULT_REFRESH_SKEW_MS;
    this.#storeTimeoutMs = msOption(options.storeTimeoutMs, DEFAULT_STORE_TIMEOUT_MS, 'TokenManager', 'storeTimeoutMs');
    this.#refreshTimeoutMs = msOption(options.refreshTimeoutMs, DEFAULT_REFRESH_TIMEOUT_MS, 'TokenManager', 'refreshTimeoutMs');
    this.#onRefresh = options.onRefresh;
    this.#logger = options.logger ?? silentLogger;
    this.#now = options.now ?? Date.now;
  }

  get store(): TokenStore {
    return this.#store;
  }

  /**
   * Exchanges a grant code and stores the tokens for `userId`. The store is checked first, so a store that is
   * down does not cost the single-use code; the exchange and the save run under the user's store lock (the one
   * refreshes take), so no other process refreshes or redeems for the user in between, and a lock that cannot be
   * taken fails before the code is spent. If saving still fails, a {@link TokensNotSavedError} carries the tokens.
   */
  async generateFromGrant(userId: string, grantCode: string, signal?: AbortSignal): Promise<StoredToken> {
    const notUsed = 'the grant code was not used; call crm.generateTokens(grantCode, userId) again once the store is back';
    await this.#checkStore(userId, notUsed);
    // The code is single-use: spend it only once the store says a save would succeed, and holding its lock.
    await this.#checkWritable(userId, notUsed);
    const token = await this.#issueLocked(userId, notUsed, signal, 'from the grant code (which is now spent)', () => this.#oauth.exchangeGrant(grantCode, signal));
    this.#logger.info(`Stored new tokens for user '${userId}'.`);
    return token;
  }

  /** Gets an access token from a refresh token the caller already has, and stores both for `userId` (under the user's store lock). */
  async generateFromRefreshToken(userId: string, refreshToken: string, signal?: AbortSignal): Promise<StoredToken> {
    const notUsed = 'no token was requested; retry once the store is back';
    await this.#checkStore(userId, notUsed);
    const token = await this.#issueLocked(userId, notUsed, signal, 'from the refresh token', () => this.#oauth.refresh(refreshToken, signal), refreshToken);
    this.#logger.info(`Stored tokens for user '${userId}' from a refresh token.`);
    return token;
  }

  /** Asks Zoho for tokens with a credential the caller gave and saves them, holding the user's store lock. */
  #issueLocked(userId: string, notUsed: string, signal: AbortSignal | undefined, source: string, ask: () => Promise<IssuedTokens>, refreshToken?: string): Promise<StoredToken> {
    return this.#keptAtUnlock(source, (saved) =>
      this.#underUserLock(userId, notUsed, signal, async () => {
        const token = toStored(userId, await ask(), refreshToken);
        await this.#saveIssued(token, source, (s) => s.save(token), saved);
        return token;
      }),
    );
  }

  /**
   * Runs a locked step that saves issued tokens. A store that writes under its lock in a transaction (SQLite's
   * `BEGIN IMMEDIATE`) keeps the save only if its commit at unlock succeeds: when the step fails after the save,
   * the store did not keep the tokens, which is a failed save like any other (a {@link TokensNotSavedError}).
   */
  async #keptAtUnlock<T>(source: string, step: (saved: SavedUnderLock) => Promise<T>): Promise<T> {
    const saved: SavedUnderLock = {};
    try {
      return await step(saved);
    } catch (error) {
      const token = saved.token;
      if (!token || error instanceof TokensNotSavedError) throw error;
      if (this.#cache.get(token.userId) === token) this.#cache.delete(token.userId);
      throw notSavedError(token, source, error);
    }
  }

  /**
   * Valid tokens for `userId` (access token, expiry, and the API domain Zoho gave, when it gave one). With
   * `rejected`, the caller says that access token was refused by Zoho (401 INVALID_TOKEN): a different stored
   * token is used if another process refreshed, else one refresh runs.
   */
  async getToken(userId: string, options: GetTokenOptions = {}): Promise<StoredToken> {
    const { rejected, signal } = options;
    if (signal?.aborted) throw abortedWaiting(userId, signal);
    const cached = this.#cache.get(userId);
    if (cached && this.#fresh(cached) && cached.accessToken !== rejected) return { ...cached };
    const stored = await waitFor(this.#sharedRead(userId), userId, signal);
    if (this.#fresh(stored) && stored.accessToken !== rejected) {
      this.#cache.set(userId, withKnownDomain(stored, cached));
      return { ...this.#cache.get(userId)! };
    }
    const stale = rejected ?? stored.accessToken;
    const refreshed = await waitFor(this.#singleFlightRefresh(userId, stale, rejected === undefined ? 'expired' : 'rejected'), userId, signal);
    return { ...refreshed };
  }

  /** `getToken(...).accessToken`. */
  async getAccessToken(userId: string, options: GetTokenOptions = {}): Promise<string> {
    return (await this.getToken(userId, options)).accessToken;
  }

  /** Forgets the cached token of a user (or all users), so the next call re-reads the store. */
  clearCache(userId?: string): void {
    if (userId === undefined) this.#cache.clear();
    else this.#cache.delete(userId);
  }

  /**
   * One store read for every concurrent caller of a user: 100 calls that start with an expired token read the
   * store once, not 100 times (which queued behind each other on a busy database past the store deadline).
   */
  #sharedRead(userId: string): Promise<StoredToken> {
    return this.#reading.run(userId, () => this.#read(userId));
  }

  #fresh(token: StoredToken): boolean {
    return token.expiresAt - this.#skewMs > this.#now();
  }

  async #read(userId: string): Promise<StoredToken> {
    const token = await this.#storeCall('read', userId, () => this.#store.get(userId));
    if (!token || !token.accessToken) {
      throw new NoTokenError(`No tokens stored for user '${userId}'. Call crm.generateTokens(grantCode, userId) first.`, userId);
    }
    registerSecret(token.accessToken);
    registerSecret(token.refreshToken);
    return token;
  }

  /** A cheap read that proves the store answers before a single-use credential is spent. */
  async #checkStore(userId: string, consequence: string): Promise<void> {
    try {
      await this.#storeCall('read', userId, () => this.#store.get(userId));
    } catch (error) {
      if (error instanceof InvalidInputError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      // A store that answered with its own complaint (a directory in the way, a corrupt file) is not "down".
      const what = unusableStore(error) ? 'cannot be used' : 'is not answering';
      throw new TokenStoreError(`The token store ${what}, so ${consequence}. ${reason}`, { cause: error });
    }
  }

  /** The store's own check that a save would succeed (e.g. the file store's folder exists and is writable). */
  async #checkWritable(userId: string, consequence: string): Promise<void> {
    const store = this.#store;
    if (!store.checkWritable) return;
    try {
      await this.#storeCall('save', userId, () => store.checkWritable!(userId));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new TokenStoreError(`The token store cannot save tokens, so ${consequence}. ${reason}`, { cause: error });
    }
  }

  /**
   * Runs `spend` (which uses a credential and saves what Zoho issued) holding the user's store lock when the store
   * has one, so that no other process refreshes or redeems for the user in between. Not getting the lock, or
   * finding it lost (a lease that ran out, a database session that dropped), throws before `spend` starts.
   */
  async #underUserLock<T>(userId: string, consequence: string, signal: AbortSignal | undefined, spend: () => Promise<T>): Promise<T> {
    const store = this.#store;
    if (!store.withLock) return spend();
    let spending = false;
    try {
      return await store.withLock(
        userLockKey(userId),
        async (lock) => {
          if (lock && !(await this.#storeCall('read', userId, () => lock.held()))) {
            throw new TokenStoreError('The store lost the lock right after taking it (its lease ran out or its database connection dropped).');
          }
          signal?.throwIfAborted();
          spending = true;
          return spend();
        },
        { signal },
      );
    } catch (error) {
      if (spending) throw error;
      if (signal?.aborted) {
        throw new AbortedError(`The call was aborted by the caller while waiting for the token store's lock of user '${userId}', so ${consequence}.`, { cause: signal.reason });
      }
      const reason = error instanceof Error ? error.message : String(error);
      throw new TokenStoreError(`The token store could not lock user '${userId}' (a refresh or another grant for that user must not run at the same time), so ${consequence}. ${reason}`, {
        cause: error,
      });
    }
  }

  /**
   * Saves freshly issued tokens; a failure keeps them on the error rather than losing them. Resolves `false`
   * (and caches nothing) when the store fenced the write off because the refresh lock was lost.
   */
  async #saveIssued(token: StoredToken, source: string, write: (store: TokenStore) => Promise<boolean | void>, saved: SavedUnderLock): Promise<boolean> {
    let written: boolean | void;
    try {
      written = await this.#storeCall('save', token.userId, () => write(this.#store));
    } catch (error) {
      throw notSavedError(token, source, error);
    }
    if (written === false) return false;
    saved.token = token;
    this.#cache.set(token.userId, token);
    return true;
  }

  /** One refresh per user in this process; it runs under its own deadline, whoever waits on it. */
  #singleFlightRefresh(userId: string, stale: string, reason: TokenRefreshReason): Promise<StoredToken> {
    return this.#refreshing.run(userId, () => {
      const deadline = AbortSignal.timeout(this.#refreshTimeoutMs);
      return withDeadline(this.#refreshLocked(userId, stale, reason, deadline), deadline, () =>
        new TokenStoreError(
          `Refreshing the access token of user '${userId}' did not finish within ${this.#refreshTimeoutMs} ms (refreshTimeoutMs): the token store's lock or Zoho Accounts did not answer in time. Retry the call.`,
        ),
      );
    });
  }

  /** The refresh under the store's cross-process lock, if it has one; a holder that lost its lock waits for it again. */
  async #refreshLocked(userId: string, stale: string, reason: TokenRefreshReason, signal: AbortSignal): Promise<StoredToken> {
    const withLock = this.#store.withLock?.bind(this.#store);
    if (!withLock) return (await this.#refreshUnlocked(userId, stale, reason, signal, undefined, {}))!;
    for (;;) {
      signal.throwIfAborted();
      const token = await this.#keptAtUnlock(REFRESH_SOURCE, (saved) =>
        withLock(userLockKey(userId), (lock) => this.#refreshUnlocked(userId, stale, reason, signal, lock, saved), { signal }),
      );
      if (token) return token;
    }
  }

  /**
   * Refreshes unless another process already did. With `lock` (the store's refresh lock), resolves `undefined`
   * without refreshing when the lock was lost before the refresh could start.
   */
  async #refreshUnlocked(
    userId: string,
    stale: string,
    reason: TokenRefreshReason,
    signal: AbortSignal,
    lock: HeldLock | undefined,
    saved: SavedUnderLock,
  ): Promise<StoredToken | undefined> {
    // Another process may have refreshed while we waited for the lock.
    const current = await this.#read(userId);
    const adopted = this.#adoptFresh(userId, current, stale);
    if (adopted) return adopted;
    if (!current.refreshToken) {
      throw new NoTokenError(
        `The access token of user '${userId}' expired and no refresh token is stored. Call crm.generateTokens(grantCode, userId) with a new grant code.`,
        userId,
      );
    }
    // A lease-based lock runs out while its holder stalls (CPU-starved, paused) and a successor may be refreshing
    // by now: never ask Zoho without the lock, so wait for it again and re-read.
    if (lock && !(await this.#storeCall('read', userId, () => lock.held()))) return undefined;
    this.#notifyRefresh(userId, reason);
    const issued = await this.#oauth.refresh(current.refreshToken, signal);
    const token = toStored(userId, issued, current.refreshToken, current.apiDomain ?? this.#cache.get(userId)?.apiDomain);
    const written = await this.#saveIssued(token, REFRESH_SOURCE, (s) => (s.update ? s.update(token, { lock, replaces: current }) : s.save(token)), saved);
    this.#logger.debug(`Refreshed the access token of user '${userId}'${written ? '' : " (not saved: the refresh lock passed to another process, whose tokens win)"}.`);
    if (written) return token;
    // The lock ran out during the refresh: the store keeps the successor's tokens; ours serve only if it has none fresh.
    const theirs = this.#adoptFresh(userId, await this.#read(userId), stale);
    if (theirs) return theirs;
    this.#cache.set(userId, token);
    return token;
  }

  /** `stored` with the domain this process knows, cached, when it is fresh and not the `stale` token; else `undefined`. */
  #adoptFresh(userId: string, stored: StoredToken, stale: string): StoredToken | undefined {
    if (!this.#fresh(stored) || stored.accessToken === stale) return undefined;
    const known = withKnownDomain(stored, this.#cache.get(userId));
    this.#cache.set(userId, known);
    return known;
  }

  #notifyRefresh(userId: string, reason: TokenRefreshReason): void {
    if (!this.#onRefresh) return;
    try {
      this.#onRefresh(userId, reason);
    } catch (error) {
      this.#logger.warn(`The onRefresh callback threw (${error instanceof Error ? error.name : typeof error}); ignored.`);
    }
  }

  /** Runs one store operation under the store deadline; every failure becomes a TokenStoreError. */
  async #storeCall<T>(operation: 'read' | 'save', userId: string, fn: () => Promise<T>): Promise<T> {
    const ms = this.#storeTimeoutMs;
    try {
      return await withDeadline(Promise.resolve().then(fn), ms, () =>
        new TokenStoreError(
          `The token store did not ${operation} the tokens of user '${userId}' within ${ms} ms (storeTimeoutMs). Check that the store's server is up and reachable.`,
        ),
      );
    } catch (cause) {
      if (cause instanceof ZohoError) throw cause;
      throw new TokenStoreError(`The token store failed to ${operation} the tokens of user '${userId}': ${(cause as Error)?.message ?? String(cause)}`, { cause });
    }
  }
}

/** Where refreshed tokens came from, in a {@link TokensNotSavedError}'s message. */
const REFRESH_SOURCE = 'by a refresh';

/** The tokens a locked step saved (set once the store accepted them), for {@link TokenManager}'s check at unlock. */
interface SavedUnderLock {
  token?: StoredToken;
}

/** The error for issued tokens the store did not keep; they travel on `error.tokens`, never in the message. */
function notSavedError(token: StoredToken, source: string, cause: unknown): TokensNotSavedError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new TokensNotSavedError(
    `Zoho issued tokens for user '${token.userId}' ${source}, but the token store could not save them; they are on error.tokens: save them once the store is back. ${reason}`,
    token,
    { cause },
  );
}

/**
 * The store lock every write of newly issued tokens for `userId` takes: refreshes and grant redemptions share it,
 * so a refresh cannot interleave with a grant's exchange and save. It keeps the name refreshes always used, so
 * processes on older versions of the SDK still take turns with this one.
 */
function userLockKey(userId: string): string {
  return `refresh:${userId}`;
}

function toStored(userId: string, issued: IssuedTokens, previousRefresh: string | undefined, previousDomain?: string): StoredToken {
  const token: StoredToken = {
    userId,
    accessToken: issued.accessToken,
    // A refresh reply has no refresh token: keep the one we had.
    refreshToken: issued.refreshToken ?? previousRefresh,
    expiresAt: issued.expiresAt,
  };
  const apiDomain = issued.apiDomain ?? previousDomain;
  if (apiDomain !== undefined) token.apiDomain = apiDomain;
  return token;
}

/** Stores without an api_domain column lose it; the cache keeps what this process learnt. */
function withKnownDomain(token: StoredToken, cached: StoredToken | undefined): StoredToken {
  if (token.apiDomain !== undefined || cached?.apiDomain === undefined) return token;
  return { ...token, apiDomain: cached.apiDomain };
}

function abortedWaiting(userId: string, signal: AbortSignal): AbortedError {
  return new AbortedError(`The call was aborted by the caller while waiting for the access token of user '${userId}'.`, { cause: signal.reason });
}

/** Waits for `work` until `signal` fires; the work itself goes on for whoever else waits on it. */
function waitFor<T>(work: Promise<T>, userId: string, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(abortedWaiting(userId, signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortedWaiting(userId, signal));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Errors of a store that answered but cannot be used as configured (a directory in the way, a missing folder, no permission, not a database). */
const UNUSABLE_CODES = new Set(['EISDIR', 'ENOTDIR', 'ENOENT', 'EACCES', 'EPERM', 'EROFS', 'SQLITE_CANTOPEN', 'SQLITE_READONLY', 'SQLITE_PERM', 'SQLITE_NOTADB', 'SQLITE_CORRUPT']);

/** Whether `error` (or one of its causes) says the store is misconfigured rather than down. */
function unusableStore(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && UNUSABLE_CODES.has(code)) return true;
  }
  return false;
}
