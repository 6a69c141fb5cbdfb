import { DEFAULT_REFRESH_SKEW_MS } from '../config.js';
import { NoTokenError, TokenStoreError, ZohoError } from '../errors.js';
import { registerSecret } from '../internal/redact.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import type { StoredToken, TokenStore } from '../stores/token-store.js';
import type { IssuedTokens, OAuthClient } from './oauth-client.js';

export interface TokenManagerOptions {
  store: TokenStore;
  oauth: OAuthClient;
  /** Refresh this many ms before expiry. Default `DEFAULT_REFRESH_SKEW_MS` (60 s). */
  refreshSkewMs?: number | undefined;
  logger?: Logger | undefined;
  /** Clock, for tests. Default `Date.now`. */
  now?: (() => number) | undefined;
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
  readonly #logger: Logger;
  readonly #now: () => number;
  readonly #cache = new Map<string, StoredToken>();
  readonly #inflight = new Map<string, Promise<StoredToken>>();

  constructor(options: TokenManagerOptions) {
    this.#store = options.store;
    this.#oauth = options.oauth;
    this.#skewMs = options.refreshSkewMs ?? DEFAULT_REFRESH_SKEW_MS;
    this.#logger = options.logger ?? silentLogger;
    this.#now = options.now ?? Date.now;
  }

  get store(): TokenStore {
    return this.#store;
  }

  /** Exchanges a grant code and stores the tokens for `userId`. */
  async generateFromGrant(userId: string, grantCode: string, signal?: AbortSignal): Promise<StoredToken> {
    const issued = await this.#oauth.exchangeGrant(grantCode, signal);
    const token = toStored(userId, issued, undefined);
    await this.#storeCall('save', () => this.#store.save(token));
    this.#cache.set(userId, token);
    this.#logger.info(`Stored new tokens for user '${userId}'.`);
    return token;
  }

  /** Gets an access token from a refresh token the caller already has, and stores both for `userId`. */
  async generateFromRefreshToken(userId: string, refreshToken: string, signal?: AbortSignal): Promise<StoredToken> {
    const issued = await this.#oauth.refresh(refreshToken, signal);
    const token = toStored(userId, issued, refreshToken);
    await this.#storeCall('save', () => this.#store.save(token));
    this.#cache.set(userId, token);
    this.#logger.info(`Stored tokens for user '${userId}' from a refresh token.`);
    return token;
  }

  /**
   * A valid access token for `userId`. With `rejected`, the caller says that token was refused by Zoho
   * (401 INVALID_TOKEN): a different stored token is used if another process refreshed, else one refresh runs.
   */
  async getAccessToken(userId: string, options: { rejected?: string | undefined; signal?: AbortSignal | undefined } = {}): Promise<string> {
    const cached = this.#cache.get(userId);
    if (cached && this.#fresh(cached) && cached.accessToken !== options.rejected) return cached.accessToken;
    const stored = await this.#read(userId);
    if (this.#fresh(stored) && stored.accessToken !== options.rejected) {
      this.#cache.set(userId, stored);
      return stored.accessToken;
    }
    const refreshed = await this.#singleFlightRefresh(userId, options.rejected ?? stored.accessToken, options.signal);
    return refreshed.accessToken;
  }

  /** Forgets the cached token of a user (or all users), so the next call re-reads the store. */
  clearCache(userId?: string): void {
    if (userId === undefined) this.#cache.clear();
    else this.#cache.delete(userId);
  }

  #fresh(token: StoredToken): boolean {
    return token.expiresAt - this.#skewMs > this.#now();
  }

  async #read(userId: string): Promise<StoredToken> {
    const token = await this.#storeCall('get', () => this.#store.get(userId));
    if (!token || !token.accessToken) {
      throw new NoTokenError(
        `No tokens stored for user '${userId}'. Call generateAuthTokens(user, grantToken) first.`,
        userId,
      );
    }
    registerSecret(token.accessToken);
    registerSecret(token.refreshToken);
    return token;
  }

  #singleFlightRefresh(userId: string, stale: string, signal?: AbortSignal): Promise<StoredToken> {
    const running = this.#inflight.get(userId);
    if (running) return running;
    const work = (async () => {
      const refresh = () => this.#refreshUnlocked(userId, stale, signal);
      return this.#store.withLock ? this.#store.withLock(`refresh:${userId}`, refresh) : refresh();
    })().finally(() => this.#inflight.delete(userId));
    this.#inflight.set(userId, work);
    return work;
  }

  async #refreshUnlocked(userId: string, stale: string, signal?: AbortSignal): Promise<StoredToken> {
    // Another process may have refreshed while we waited for the lock.
    const current = await this.#read(userId);
    if (this.#fresh(current) && current.accessToken !== stale) {
      this.#cache.set(userId, current);
      return current;
    }
    if (!current.refreshToken) {
      throw new NoTokenError(
        `The access token of user '${userId}' expired and no refresh token is stored. Call generateAuthTokens(user, grantToken) with a new grant token.`,
        userId,
      );
    }
    const issued = await this.#oauth.refresh(current.refreshToken, signal);
    const token = toStored(userId, issued, current.refreshToken);
    const store = this.#store;
    await this.#storeCall('update', () => (store.update ? store.update(token) : store.save(token)));
    this.#cache.set(userId, token);
    this.#logger.debug(`Refreshed the access token of user '${userId}'.`);
    return token;
  }

  async #storeCall<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (cause) {
      if (cause instanceof ZohoError) throw cause;
      throw new TokenStoreError(`The token store failed to ${operation} tokens: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    }
  }
}

function toStored(userId: string, issued: IssuedTokens, previousRefresh: string | undefined): StoredToken {
  return {
    userId,
    accessToken: issued.accessToken,
    // A refresh reply has no refresh token: keep the one we had.
    refreshToken: issued.refreshToken ?? previousRefresh,
    expiresAt: issued.expiresAt,
  };
}
