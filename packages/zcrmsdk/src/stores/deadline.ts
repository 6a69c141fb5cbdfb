/** Deadlines for store operations, so a stalled connection ends in a typed error instead of a hang. */
import { ConfigError } from '../errors.js';

/** How long one token-store operation may take before it fails with a TokenStoreError. */
export const DEFAULT_STORE_TIMEOUT_MS = 10_000;

/**
 * Settles like `work`, or rejects with `onTimeout()` once `deadline` (ms from now, or a signal) passes first;
 * `cleanup` then runs, e.g. to destroy a stalled connection so the next call gets a fresh one.
 */
export function withDeadline<T>(
  work: Promise<T>,
  deadline: number | AbortSignal,
  onTimeout: () => Error,
  cleanup?: () => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    let signal: AbortSignal | undefined;
    const expire = () => {
      done();
      work.catch(() => undefined);
      try {
        cleanup?.();
      } finally {
        reject(onTimeout());
      }
    };
    const done = () => {
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', expire);
    };
    if (typeof deadline === 'number') {
      timer = setTimeout(expire, deadline);
    } else if (deadline.aborted) {
      return expire();
    } else {
      signal = deadline;
      signal.addEventListener('abort', expire, { once: true });
    }
    work.then(
      (value) => {
        done();
        resolve(value);
      },
      (error: unknown) => {
        done();
        reject(error);
      },
    );
  });
}

/** Resolves after `ms`, or rejects with `onAbort()` when `signal` fires first. */
export function pause(ms: number, signal?: AbortSignal, onAbort?: () => Error): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(onAbort ? onAbort() : signal.reason);
    const abort = () => {
      clearTimeout(timer);
      reject(onAbort ? onAbort() : signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', abort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', abort, { once: true });
  });
}

/** A positive millisecond option of `owner` (a store or the TokenManager), or `fallback` when absent. */
export function msOption(value: number | undefined, fallback: number, owner: string, option: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ConfigError(`${owner} option '${option}' must be a positive number of milliseconds (got ${String(value)}).`, { option });
  }
  return value;
}
