/** Many-to-many relations between records (Leads ↔ Products, Contacts ↔ Campaigns ...). */
import type { LinkEntry } from '../store-types.js';
import type { StateTable } from './registry.js';

export class Links implements StateTable {
  readonly name = 'links';
  #links: LinkEntry[] = [];

  /** Ids of the `targetModule` records linked to a record. */
  linkedTo(recordId: string, targetModule: string): Set<string> {
    const ids = new Set<string>();
    for (const l of this.#links) {
      if (l.aId === recordId && l.bModule === targetModule) ids.add(l.bId);
      else if (l.bId === recordId && l.aModule === targetModule) ids.add(l.aId);
    }
    return ids;
  }

  /** Links two records, or merges `fields` into their existing link. */
  link(aModule: string, aId: string, bModule: string, bId: string, fields: Record<string, unknown>): void {
    const existing = this.find(aId, bId);
    if (existing !== undefined) Object.assign(existing.fields, fields);
    else this.#links.push({ aModule, aId, bModule, bId, fields });
  }

  /** Removes the link between two records; false when there was none. */
  unlink(aId: string, bId: string): boolean {
    const before = this.#links.length;
    this.#links = this.#links.filter((l) => !((l.aId === aId && l.bId === bId) || (l.aId === bId && l.bId === aId)));
    return this.#links.length !== before;
  }

  /** The link between two records (either way round), if any. */
  find(aId: string, bId: string): LinkEntry | undefined {
    return this.#links.find((l) => (l.aId === aId && l.bId === bId) || (l.aId === bId && l.bId === aId));
  }

  /** Sets `key` to null on every link whose `key` is `value` (a deleted thing the links named). */
  clearField(key: string, value: string): void {
    for (const l of this.#links) if (l.fields[key] === value) l.fields[key] = null;
  }

  /** Removes every link of a deleted record. */
  removeRecord(id: string): void {
    this.#links = this.#links.filter((l) => l.aId !== id && l.bId !== id);
  }

  snapshot(): LinkEntry[] {
    return this.#links;
  }

  restore(data: unknown): void {
    this.#links = Array.isArray(data) ? (data as LinkEntry[]) : [];
  }

  reset(): void {
    this.#links = [];
  }
}
