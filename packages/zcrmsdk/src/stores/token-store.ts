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

/**
 * What `withLock` hands its callback: the lock as the holder sees it. A lease-based lock (file, Redis) can run
 * out while its holder is paused or starved of CPU, and a successor then takes it.
 */
export interface HeldLock {
  /**
   * Whether this process still holds the lock; a lease-based store also renews the lease for a full term when
   * it does. Call it right before an irreversible step (asking Zoho for a refresh). Locks held by a connection
   * (MySQL GET_LOCK, PostgreSQL advisory locks, SQLite BEGIN IMMEDIATE) cannot be lost while it lives: always true.
   */
  held(): Promise<boolean>;
}

/** Options of {@link TokenStore.update}. */
export interface UpdateOptions {
  /**
   * The refresh lock the tokens were refreshed under. A store with lease-based locks writes only while this
   * lock is still ours, checked and written in one atomic step, so a holder whose lease ran out cannot write
   * over its successor's tokens. @default none (write unconditionally)
   */
  lock?: HeldLock | undefined;
  /**
   * The stored tokens this refresh replaces (as read under the lock). When `lock` was lost, the store still
   * writes if it holds exactly these tokens: nobody has written since, so nothing of a successor's is overwritten,
   * and a chain of holders whose leases ran out ends with the first save. @default none
   */
  replaces?: StoredToken | undefined;
}

/** What a store must do. All methods are async and must never log token values. */
export interface TokenStore {
  /** The stored tokens of `userId`, or `null` when there are none. */
  get(userId: string): Promise<StoredToken | null>;
  /** Stores tokens issued by a grant (replaces whatever the user had). */
  save(token: StoredToken): Promise<void>;
  /**
   * Stores tokens produced by an automatic refresh. Defaults to `save` when absent; the legacy-module
   * adapter maps it to `updateOAuthTokens`. Resolves `false` when it did not write because `options.lock` is
   * no longer held (fenced off); any other value means written.
   */
  update?(token: StoredToken, options?: UpdateOptions): Promise<boolean | void>;
  /** Forgets the user's tokens. */
  delete(userId: string): Promise<void>;
  /**
   * Runs `fn` while holding a lock on `key` shared by every process using the same backing store, so that
   * only one of them refreshes a user's token. Stores that cannot lock across processes omit it. A holder
   * that dies must not block the others longer than the store's lease. `fn` gets a {@link HeldLock}; stores
   * written before it existed call `fn()` without one, which the TokenManager treats as always held.
   */
  withLock?<T>(key: string, fn: (lock?: HeldLock) => Promise<T>, options?: LockOptions): Promise<T>;
  /**
   * Throws a TokenStoreError saying why when saving `userId`'s tokens would fail (a missing or read-only folder,
   * a directory where the file should be), without storing anything: checked before a single-use grant code
   * is spent. Stores that cannot tell beforehand omit it.
   */
  checkWritable?(userId: string): Promise<void>;
  /** Releases connections or file handles. */
  close?(): Promise<void>;
}
