/**
 * The whole default seed in one call, shaped like the CRM state's `SeedData`, so the seed adapter only has to
 * call {@link buildSeed}. Ids are drawn from `ids` in a fixed order: directory, modules, non-API modules.
 */
import type { IdGenerator } from '../ids.js';
import { initialDataset } from './generator.js';
import { nonApiModules, standardModules } from './modules.js';
import { defaultDirectory } from './org.js';
import type { SeedData } from '../crm/store-types.js';

export { createRecordGenerator, generateRecordValues, initialDataset, INITIAL_COUNTS, type GenerateOptions } from './generator.js';
export { nonApiModules, standardModules, type StandardModulesOptions } from './modules.js';
export { ADMIN_EMAIL, defaultDirectory, defaultOrg, defaultProfiles, defaultRoles, defaultUsers, filterUsersByType, type SeedUser } from './org.js';

/** The CRM state's seed shape; `dataset` holds `{ $ref: { module, index } }` placeholders, in insertion order. */
export type DefaultSeed = SeedData;

/** Modules, directory and demo dataset, with module `profiles` pointing at the seeded profiles. */
export function buildSeed(ids: IdGenerator, seed: number, nowMs: number): DefaultSeed {
  const directory = defaultDirectory(ids, nowMs);
  const profiles = directory.profiles.map((p) => ({ name: String(p['name']), id: String(p['id']) }));
  const modules = standardModules(ids, { profiles });
  return {
    modules,
    nonApiModules: nonApiModules(ids, { profiles }),
    ...directory,
    dataset: Object.fromEntries(initialDataset(modules, seed)),
  };
}
