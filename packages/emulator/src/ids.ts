/**
 * Deterministic 19-digit string ids, as Zoho's (`3652397000000190102`): an org prefix, zeros and a counter.
 * The same seed always yields the same sequence, so seeded data and tests are reproducible.
 */
export class IdGenerator {
  readonly #prefix: string;
  #counter: number;

  /** @param seed any integer; selects the org prefix. @param start the first counter value (default 100001). */
  constructor(seed = 1, start = 100_001) {
    const prefix = 3_000_000 + (Math.abs(Math.trunc(seed)) % 6_999_999);
    this.#prefix = String(prefix);
    this.#counter = start;
  }

  /** The next id: 7-digit org prefix + 12-digit counter = 19 digits. */
  next(): string {
    const n = this.#counter++;
    return this.#prefix + String(n).padStart(12, '0');
  }

  /** Current counter, for persistence. */
  get counter(): number {
    return this.#counter;
  }

  /** Restores the counter after loading persisted state. */
  set counter(value: number) {
    this.#counter = value;
  }
}

/** A small deterministic PRNG (mulberry32), so generated data depends only on the seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
