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
