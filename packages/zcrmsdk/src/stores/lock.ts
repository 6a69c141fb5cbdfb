/** What the cross-process locks of the stores share: their defaults and the wait loop of the polling ones. */
import { createHash } from 'node:crypto';
import { TokenStoreError } from '../errors.js';
import { pause } from './deadline.js';
import type { HeldLock } from './token-store.js';

/** How long a lock lives without its holder renewing it: a holder that died blocks others at most this long. */
export const DEFAULT_LOCK_LEASE_MS = 10_000;
/** How long `withLock` waits for another process to release a lock. */
export const DEFAULT_LOCK_TIMEOUT_MS = 20_000;

const FIRST_POLL_MS = 5;
const MAX_POLL_MS = 50;

/**
 * Calls `tryAcquire` until it returns true, with a short growing, jittered pause between tries, giving up
 * after `timeoutMs` (a TokenStoreError naming `what` and `option`) or when `signal` fires.
 */
export async function acquireByPolling(
  tryAcquire: () => Promise<boolean>,
  options: { timeoutMs: number; signal?: AbortSignal | undefined; what: string; option: string },
): Promise<void> {
  const giveUpAt = Date.now() + options.timeoutMs;
  let wait = FIRST_POLL_MS;
  for (;;) {
    if (options.signal?.aborted) throw new TokenStoreError(`Gave up waiting for ${options.what}: the refresh deadline passed.`);
    if (await tryAcquire()) return;
    if (Date.now() >= giveUpAt) {
      throw new TokenStoreError(
        `Timed out after ${options.timeoutMs} ms waiting for ${options.what}: another process holds it (probably refreshing the same token). Retry, or raise the ${options.option} option.`,
      );
    }
    await pause(Math.min(wait, Math.max(1, giveUpAt - Date.now())) * (0.5 + Math.random()), options.signal, () =>
      new TokenStoreError(`Gave up waiting for ${options.what}: the refresh deadline passed.`),
    );
    wait = Math.min(wait * 2, MAX_POLL_MS);
  }
}

/** A short stable hex digest of a lock key, for names that must be short or file-safe. */
export function keyDigest(key: string, hexChars = 32): string {
  return createHash('sha256').update(key).digest('hex').slice(0, hexChars);
}

/**
 * Runs `fn` while renewing a lease every third of `leaseMs` (a live holder keeps its lock; a dead one stops
 * renewing and the lock expires within the lease), then releases. Renewal and release failures are ignored:
 * the lease bounds them.
 */
export async function holdLease<T>(fn: () => Promise<T>, leaseMs: number, renew: () => Promise<unknown>, release: () => Promise<unknown>): Promise<T> {
  const timer = setInterval(() => void renew().catch(() => undefined), Math.max(50, Math.floor(leaseMs / 3)));
  timer.unref();
  try {
    return await fn();
  } finally {
    clearInterval(timer);
    await release().catch(() => undefined);
  }
}

/** The {@link HeldLock} of a lock held by a connection that cannot drop while its process lives (SQLite's file lock). */
export const HELD_BY_CONNECTION: HeldLock = Object.freeze({ held: async () => true });

/** The events a database connection emits when it fails or closes (a `pg` Client, a `mysql2` connection). */
export interface SessionEvents {
  on(event: 'error' | 'end', listener: (error?: unknown) => void): unknown;
  removeListener(event: 'error' | 'end', listener: (error?: unknown) => void): unknown;
}

/** A checked-out database session, watched: see {@link watchSession}. */
export interface WatchedSession {
  /** Held until the session fails or ends (the server then frees a session-level lock). */
  readonly lock: HeldLock;
  /** Why the session failed or ended, once it did (a driver error, kept as a cause; never shown as is). */
  lost(): unknown;
  /** Stops watching: call it when the session goes back to its pool healthy. */
  stop(): void;
}

/**
 * Watches a checked-out database session (MySQL GET_LOCK and PostgreSQL advisory locks live as long as it does).
 * Its 'error' listener also keeps a connection that drops while checked out and idle (a lock holder waiting on
 * Zoho) from crashing the process with an unhandled 'error' event: the failure turns `lock.held()` false and the
 * store's next call on it fails with the store's typed error.
 */
export function watchSession(session: Partial<SessionEvents>): WatchedSession {
  let reason: unknown;
  let ended = false;
  const onLost = (error?: unknown) => {
    if (ended) return;
    ended = true;
    reason = error ?? new Error('the connection closed');
  };
  session.on?.('error', onLost);
  session.on?.('end', onLost);
  return {
    lock: { held: async () => !ended },
    lost: () => reason,
    stop: () => {
      session.removeListener?.('error', onLost);
      session.removeListener?.('end', onLost);
    },
  };
}
