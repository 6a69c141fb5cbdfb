/**
 * The token-store contract: every store (memory, file, SQL, Redis, a legacy zcrmsdk module) implements it.
 * Stores only persist; expiry checks and refresh live in the TokenManager.
 */

/** One user's OAuth tokens as the SDK keeps them. */
export interface StoredToken {
  /** The user key the tokens belong to (zcrmsdk's `user_identifier`). */
  userId: string;
  accessToken: string;
  /** Absent when Zoho never issued one (e.g. an online-access grant). */
  refreshToken?: string | undefined;
  /** Absolute expiry of the access token, epoch milliseconds. */
  expiresAt: number;
  /**
   * The API domain Zoho gave with the tokens (`api_domain`, e.g. `https://www.zohoapis.eu`). Stores with room
   * for it persist it; others drop it and the TokenManager's cache carries it.
   */
  apiDomain?: string | undefined;
}

/** Options of {@link TokenStore.withLock}. */
export interface LockOptions {
  /** Gives up waiting for (or holding) the lock when it fires; the TokenManager passes the refresh deadline. */
  signal?: AbortSignal | undefined;
}

/** What a store must do. All methods are async and must never log token values. */
export interface TokenStore {
  /** The stored tokens of `userId`, or `null` when there are none. */
  get(userId: string): Promise<StoredToken | null>;
  /** Stores tokens issued by a grant (replaces whatever the user had). */
  save(token: StoredToken): Promise<void>;
  /**
   * Stores tokens produced by an automatic refresh. Defaults to `save` when absent; the legacy-module
   * adapter maps it to `updateOAuthTokens`.
   */
  update?(token: StoredToken): Promise<void>;
  /** Forgets the user's tokens. */
  delete(userId: string): Promise<void>;
  /**
   * Runs `fn` while holding a lock on `key` shared by every process using the same backing store, so that
   * only one of them refreshes a user's token. Stores that cannot lock across processes omit it. A holder
   * that dies must not block the others longer than the store's lease.
   */
  withLock?<T>(key: string, fn: () => Promise<T>, options?: LockOptions): Promise<T>;
  /**
   * Throws a TokenStoreError saying why when saving `userId`'s tokens would fail (a missing or read-only folder,
   * a directory where the file should be), without storing anything: checked before a single-use grant code
   * is spent. Stores that cannot tell beforehand omit it.
   */
  checkWritable?(userId: string): Promise<void>;
  /** Releases connections or file handles. */
  close?(): Promise<void>;
}
