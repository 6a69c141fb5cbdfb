/** Tags per module (by lower-cased name); tag ids are unique across modules. */
import type { TagEntry, UserRef } from '../store-types.js';
import type { StateTable } from './registry.js';

export interface TagContext {
  nextId(): string;
  nowString(): string;
  userRef(id: string, withEmail: boolean): UserRef;
}

export class Tags implements StateTable {
  readonly name = 'tags';
  /** Module api name → lower-cased tag name → tag. */
  readonly #byModule = new Map<string, Map<string, TagEntry>>();

  constructor(private readonly ctx: TagContext) {}

  /** A module's tags by lower-cased name. */
  ofModule(module: string): ReadonlyMap<string, TagEntry> {
    return this.#byModule.get(module) ?? new Map();
  }

  /** The tag with this id, and its module. */
  find(id: string): { module: string; tag: TagEntry } | undefined {
    for (const [module, tags] of this.#byModule) for (const tag of tags.values()) if (tag.id === id) return { module, tag };
    return undefined;
  }

  create(module: string, name: string, userId: string): TagEntry {
    const now = this.ctx.nowString();
    const by = this.ctx.userRef(userId, false);
    const tag: TagEntry = { id: this.ctx.nextId(), name, created_by: by, modified_by: by, created_time: now, modified_time: now };
    this.#module(module).set(name.toLowerCase(), tag);
    return tag;
  }

  rename(module: string, tag: TagEntry, name: string, userId: string): void {
    const tags = this.#module(module);
    tags.delete(tag.name.toLowerCase());
    tag.name = name;
    tag.modified_time = this.ctx.nowString();
    tag.modified_by = this.ctx.userRef(userId, false);
    tags.set(name.toLowerCase(), tag);
  }

  delete(module: string, tag: TagEntry): void {
    this.#byModule.get(module)?.delete(tag.name.toLowerCase());
  }

  #module(module: string): Map<string, TagEntry> {
    let m = this.#byModule.get(module);
    if (m === undefined) {
      m = new Map();
      this.#byModule.set(module, m);
    }
    return m;
  }

  snapshot(): [string, TagEntry[]][] {
    return [...this.#byModule].map(([m, tags]) => [m, [...tags.values()]]);
  }

  restore(data: unknown): void {
    this.#byModule.clear();
    for (const [m, list] of (data ?? []) as [string, TagEntry[]][]) this.#byModule.set(m, new Map(list.map((t) => [t.name.toLowerCase(), t])));
  }

  reset(): void {
    this.#byModule.clear();
  }
}
