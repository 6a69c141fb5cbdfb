import { AbortedError } from '../errors.js';

/**
 * The concurrency-limiter seam of the request pipeline. The pipeline takes a slot before each attempt and
 * releases it when the reply (or failure) is in, so a burst queues instead of collecting 429s. The in-process
 * limiter and the Redis-backed one shared by many processes (token stores issue) both implement it.
 */
export interface ConcurrencyLimiter {
  /**
   * Resolves with a release function once a slot is free. Rejects with an AbortedError if `signal` fires while
   * waiting. The caller must call the release function exactly once.
   */
  acquire(signal?: AbortSignal): Promise<() => void>;
  /** Frees resources (connections, timers). */
  close?(): Promise<void>;
}

/** A Zoho CRM edition, for its concurrency limit. */
export type ZohoEdition = 'free' | 'standard' | 'professional' | 'enterprise' | 'ultimate';

/** Simultaneous API calls Zoho allows per edition (wire spec §4, Kaizen #93); more answer 429. */
export const EDITION_CONCURRENCY: Readonly<Record<ZohoEdition, number>> = {
  free: 5,
  standard: 10,
  professional: 15,
  enterprise: 20,
  ultimate: 25,
};

/** An in-process limiter: at most `max` slots taken at once; waiters are served first come, first served. */
export class InProcessLimiter implements ConcurrencyLimiter {
  readonly max: number;
  #active = 0;
  readonly #waiting: { grant: () => void; reject: (error: Error) => void; signal: AbortSignal | undefined; onAbort: () => void }[] = [];

  constructor(max: number) {
    this.max = max;
  }

  /** Slots taken now. */
  get active(): number {
    return this.#active;
  }

  /** Callers waiting for a slot. */
  get queued(): number {
    return this.#waiting.length;
  }

  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(abortedWhileQueued(signal));
    if (this.#active < this.max) {
      this.#active++;
      return Promise.resolve(this.#releaser());
    }
    return new Promise((resolve, reject) => {
      const entry = {
        grant: () => resolve(this.#releaser()),
        reject,
        signal,
        onAbort: () => {
          const index = this.#waiting.indexOf(entry);
          if (index >= 0) this.#waiting.splice(index, 1);
          reject(abortedWhileQueued(signal!));
        },
      };
      signal?.addEventListener('abort', entry.onAbort, { once: true });
      this.#waiting.push(entry);
    });
  }

  #releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiting.shift();
      if (next) {
        // The slot passes straight to the next waiter.
        next.signal?.removeEventListener('abort', next.onAbort);
        next.grant();
      } else {
        this.#active--;
      }
    };
  }
}

function abortedWhileQueued(signal: AbortSignal): Error {
  return new AbortedError('The request was aborted by the caller while waiting for a concurrency slot.', { cause: signal.reason });
}
