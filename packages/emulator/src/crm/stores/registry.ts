/**
 * The one list of the CRM state's tables. Every store registers here, and `--persist` snapshots, restores and
 * `reset()` go through this list only, so a table cannot be left out of a snapshot by forgetting it somewhere.
 */

/** A piece of CRM state with one owner: it alone writes its data, and it knows how to save and load it. */
export interface StateTable {
  /** The table's key in snapshots; unique within a registry and stable across versions. */
  readonly name: string;
  /** The table's data as plain JSON-compatible values (no Buffers, Maps or class instances). */
  snapshot(): unknown;
  /** Replaces the table's data with what `snapshot()` returned (possibly in an earlier process). */
  restore(data: unknown): void;
  /** Back to what a freshly started emulator holds (called in registration order). */
  reset(): void;
}

export class TableRegistry {
  readonly #tables = new Map<string, StateTable>();
  /** Snapshot data of tables not registered (yet): given to a table that registers later, kept in snapshots. */
  readonly #unclaimed = new Map<string, unknown>();

  /** Adds a table; a table registered after a restore gets its saved data at once. */
  register<T extends StateTable>(table: T): T {
    if (this.#tables.has(table.name)) {
      throw new Error(`A state table named '${table.name}' is already registered. Give each table its own name.`);
    }
    this.#tables.set(table.name, table);
    if (this.#unclaimed.has(table.name)) {
      table.restore(this.#unclaimed.get(table.name));
      this.#unclaimed.delete(table.name);
    }
    return table;
  }

  /** The registered tables, in registration order. */
  list(): StateTable[] {
    return [...this.#tables.values()];
  }

  get(name: string): StateTable | undefined {
    return this.#tables.get(name);
  }

  /** Every table's snapshot by name. */
  snapshot(): Record<string, unknown> {
    const out: Record<string, unknown> = Object.fromEntries(this.#unclaimed);
    for (const table of this.#tables.values()) out[table.name] = table.snapshot();
    return out;
  }

  /** Restores the tables named in `tables`, in registration order; tables it does not name keep their data. */
  restore(tables: Record<string, unknown>): void {
    for (const table of this.#tables.values()) {
      if (Object.prototype.hasOwnProperty.call(tables, table.name)) table.restore(tables[table.name]);
    }
    for (const [name, data] of Object.entries(tables)) if (!this.#tables.has(name)) this.#unclaimed.set(name, data);
  }

  reset(): void {
    this.#unclaimed.clear();
    for (const table of this.#tables.values()) table.reset();
  }
}
