/** One promise in flight per key: callers that ask while it runs share it, and it is forgotten once it settles. */
export class SingleFlight<K, V> {
  readonly #running = new Map<K, Promise<V>>();

  /** The promise running for `key`, else the one `start()` returns, shared with every caller until it settles. */
  run(key: K, start: () => Promise<V>): Promise<V> {
    const running = this.#running.get(key);
    if (running) return running;
    const work = start().finally(() => this.#running.delete(key));
    this.#running.set(key, work);
    return work;
  }

  /** Whether a promise is in flight for `key`. */
  has(key: K): boolean {
    return this.#running.has(key);
  }
}
