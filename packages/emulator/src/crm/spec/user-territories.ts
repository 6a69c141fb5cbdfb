/**
 * A user's territories (`/users/{user}/territories`): associations with the org's territories
 * (`settings/territories`), not territories of their own. Associating names org territories by id and
 * stores a copy of each in the user-territory shape (`id`, `Name`, `Manager`, `Reporting_To`); the list, get and removals then work on that
 * collection generically. A user's collection never gets the generic sample items: a user starts with none.
 */
import type { EmuResponse } from '../../http-types.js';
import { error, errorBody, MSG, success, type ItemResult } from '../responses.js';
import { isObj, type SpecContext, type SpecHandler } from './context.js';
import { bodyItems, collectionKey, findItem, genericHandler, items, writeReply } from './generic.js';

/** The collection the org's territories live in. */
const ORG_TERRITORIES = 'settings/territories';

/** A user's territories name people as `{Name, id}` (capitalised, as the OAS and Zoho's SDK read them). */
function nameRef(ref: unknown): { Name: unknown; id: unknown } | null {
  return isObj(ref) ? { Name: ref['name'] ?? ref['Name'] ?? null, id: ref['id'] ?? null } : null;
}

/** Marks the user's association collection as seeded, so it starts empty. */
function ownCollection(ctx: SpecContext): string {
  const key = collectionKey(ctx);
  ctx.store.seeded.add(key);
  return key;
}

function unknownUser(ctx: SpecContext): EmuResponse | undefined {
  const user = ctx.params['user'] ?? '';
  return ctx.state.user(user) === undefined ? error(400, 'INVALID_DATA', MSG.invalidId, { param_name: 'user', id: user }) : undefined;
}

/** Served generically on the user's (empty at first) association collection. */
const generic: SpecHandler = (ctx) => {
  ownCollection(ctx);
  return unknownUser(ctx) ?? genericHandler(ctx);
};

const associate: SpecHandler = (ctx) => {
  const refused = unknownUser(ctx);
  if (refused !== undefined) return refused;
  const own = items(ctx, ownCollection(ctx));
  const org = items(ctx, ORG_TERRITORIES);
  const { key, list } = bodyItems(ctx);
  const results = list.map((input, i): ItemResult => {
    const jsonPath = `$.${key ?? 'territories'}[${i}].id`;
    const ref = isObj(input) && (typeof input['id'] === 'string' || typeof input['id'] === 'number') ? String(input['id']) : undefined;
    if (ref === undefined) return errorBody('MANDATORY_NOT_FOUND', MSG.mandatory, { api_name: 'id', json_path: jsonPath });
    const territory = findItem(org, ref);
    if (territory === undefined) return errorBody('INVALID_DATA', MSG.invalidId, { id: ref, json_path: jsonPath });
    own.remove(territory.id);
    own.add({ id: territory.id, Name: territory['name'], Manager: nameRef(territory['manager']), Reporting_To: nameRef(territory['reporting_to']) });
    return success('users territories updated successfully', { id: territory.id });
  });
  return writeReply(ctx, results);
};

/** The users_territories operations, by operation key. */
export const USER_TERRITORY_BEHAVIOURS: readonly [string, SpecHandler][] = [
  ['users_territories/Associate Territories To User', associate],
  ['users_territories/Get Territories Of User', generic],
  ['users_territories/Get Territory Of User', generic],
  ['users_territories/Remove Territories from User', generic],
  ['users_territories/Remove Territory from User', generic],
];
