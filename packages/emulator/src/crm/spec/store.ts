import type { StateTable } from '../stores/registry.js';

/**
 * State of the resources served by the spec router: generic collections (items by id, per concrete
 * collection path such as `settings/territories` or `settings/layouts/42/map_dependency`), singletons
 * (preferences and other one-object settings) and the behaviour tables of ./behaviours.ts. Plain data,
 * so it snapshots to JSON; one table of the state's list (`spec`), so `--persist` and `reset()` cover it.
 */

export type Item = Record<string, unknown> & { id: string };

export interface SpecSnapshot {
  collections: [string, Item[]][];
  seeded: string[];
  singletons: [string, Record<string, unknown>][];
  tables: Record<string, unknown>;
}

export class SpecStore implements StateTable {
  readonly name = 'spec';
  /** Collection path (lower case) → id → item, in insertion order. */
  readonly collections = new Map<string, Map<string, Item>>();
  /** Collections already given their sample items. */
  readonly seeded = new Set<string>();
  /** Concrete path (lower case) → the one object a singleton resource holds. */
  readonly singletons = new Map<string, Record<string, unknown>>();
  /** Behaviour state by table name (locks, shares, variables ...), each JSON-serialisable. */
  readonly tables = new Map<string, unknown>();

  collection(key: string): Map<string, Item> {
    let c = this.collections.get(key);
    if (c === undefined) {
      c = new Map();
      this.collections.set(key, c);
    }
    return c;
  }

  /** A behaviour table, created with `init` on first use. */
  table<T>(name: string, init: () => T): T {
    let t = this.tables.get(name) as T | undefined;
    if (t === undefined) {
      t = init();
      this.tables.set(name, t);
    }
    return t;
  }

  reset(): void {
    this.collections.clear();
    this.seeded.clear();
    this.singletons.clear();
    this.tables.clear();
  }

  snapshot(): SpecSnapshot {
    return {
      collections: [...this.collections.entries()].map(([k, m]) => [k, [...m.values()]]),
      seeded: [...this.seeded],
      singletons: [...this.singletons.entries()],
      tables: Object.fromEntries(this.tables),
    };
  }

  restore(data: unknown): void {
    const snap = data as Partial<SpecSnapshot> | undefined;
    this.reset();
    for (const [k, items] of snap?.collections ?? []) this.collections.set(k, new Map(items.map((i) => [i.id, i])));
    for (const k of snap?.seeded ?? []) this.seeded.add(k);
    for (const [k, v] of snap?.singletons ?? []) this.singletons.set(k, v);
    for (const [k, v] of Object.entries(snap?.tables ?? {})) this.tables.set(k, v);
  }
}
