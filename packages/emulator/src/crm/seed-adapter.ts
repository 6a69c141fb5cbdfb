/**
 * The one place the CRM state reads seed data from (src/emulator/seed), so the seed's exports are adapted
 * here and nowhere else.
 */
import type { ModuleDefinition } from '../seed/types.js';
import type { IdGenerator } from '../ids.js';
import type { SeedData } from './store-types.js';
import { buildSeed, createRecordGenerator, filterUsersByType } from '../seed/index.js';

export function loadSeed(ids: IdGenerator, seed: number, nowMs: number): SeedData {
  return buildSeed(ids, seed, nowMs);
}

/** Values for generated records; one planned generator per (module, seed) keeps 100,000 inserts fast. */
const generators = new Map<string, (index: number) => Record<string, unknown>>();

export function generateValues(def: ModuleDefinition, index: number, seed: number): Record<string, unknown> {
  const key = `${def.meta.id}:${seed}`;
  let gen = generators.get(key);
  if (gen === undefined) {
    gen = createRecordGenerator(def, { seed });
    generators.set(key, gen);
  }
  return gen(index);
}

/** Users of a `type` filter; undefined for an unknown type. */
export function filterUsers(users: Record<string, unknown>[], type: string, currentUserId: string): Record<string, unknown>[] | undefined {
  return filterUsersByType(users, type, currentUserId) ?? undefined;
}
