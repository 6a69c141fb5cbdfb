/** A table of values by id, with a codec for values that are not plain JSON (Buffers). */
import type { StateTable } from './registry.js';

/** Turns a stored value into plain JSON and back. */
export interface Codec<T> {
  encode(value: T): unknown;
  decode(data: unknown): T;
}

const IDENTITY: Codec<never> = { encode: (v) => v, decode: (d) => d as never };

/** Base of the stores that keep one map by id; subclasses expose the writes their routes need. */
export class KeyedTable<T> implements StateTable {
  readonly #rows = new Map<string, T>();
  readonly #codec: Codec<T>;

  constructor(
    readonly name: string,
    codec?: Codec<T>,
  ) {
    this.#codec = codec ?? (IDENTITY as Codec<T>);
  }

  get(id: string): T | undefined {
    return this.#rows.get(id);
  }

  has(id: string): boolean {
    return this.#rows.has(id);
  }

  values(): IterableIterator<T> {
    return this.#rows.values();
  }

  get size(): number {
    return this.#rows.size;
  }

  protected put(id: string, value: T): T {
    this.#rows.set(id, value);
    return value;
  }

  protected remove(id: string): boolean {
    return this.#rows.delete(id);
  }

  /** `[id, value]` pairs in insertion order. */
  snapshot(): [string, unknown][] {
    return [...this.#rows].map(([id, v]) => [id, this.#codec.encode(v)]);
  }

  restore(data: unknown): void {
    this.#rows.clear();
    if (!Array.isArray(data)) return;
    for (const pair of data as unknown[]) {
      if (Array.isArray(pair) && typeof pair[0] === 'string') this.#rows.set(pair[0], this.#codec.decode(pair[1]));
    }
  }

  reset(): void {
    this.#rows.clear();
  }
}

/** Stores a Buffer field as base64 in snapshots. */
export function bufferField<T extends object, K extends keyof T>(key: K): Codec<T> {
  return {
    encode: (v) => {
      const data = v[key];
      return { ...v, [key]: Buffer.isBuffer(data) ? data.toString('base64') : data };
    },
    decode: (d) => {
      const o = d as Record<PropertyKey, unknown>;
      const data = o[key];
      return { ...o, [key]: typeof data === 'string' ? Buffer.from(data, 'base64') : data } as T;
    },
  };
}
