/**
 * A user's territories (`/users/{user}/territories`): associations with the org's territories
 * (`settings/territories`), not territories of their own, kept as (user, territory) pairs in the state's one
 * list (../stores/territory-users.ts) that a territory's users (`/settings/territories/{id}/users`) read too.
 * The list, get and removals work generically on the view of those pairs (./territory-views.ts), items in the
 * user-territory shape (`id`, `Name`, `Manager`, `Reporting_To`); a user starts in no territory.
 */
import type { EmuResponse } from '../../http-types.js';
import { error, errorBody, MSG, success, type ItemResult } from '../responses.js';
import { isObj, type SpecContext, type SpecHandler } from './context.js';
import { bodyItems, findItem, genericHandler, writeReply } from './generic.js';
import { orgTerritories } from './territory-users.js';

function unknownUser(ctx: SpecContext): EmuResponse | undefined {
  const user = ctx.params['user'] ?? '';
  return ctx.state.user(user) === undefined ? error(400, 'INVALID_DATA', MSG.invalidId, { param_name: 'user', id: user }) : undefined;
}

/** Served generically on the view of the user's pairs. */
const generic: SpecHandler = (ctx) => unknownUser(ctx) ?? genericHandler(ctx);

const associate: SpecHandler = (ctx) => {
  const refused = unknownUser(ctx);
  if (refused !== undefined) return refused;
  const user = ctx.params['user'] ?? '';
  const org = orgTerritories(ctx);
  const { key, list } = bodyItems(ctx);
  const results = list.map((input, i): ItemResult => {
    const jsonPath = `$.${key ?? 'territories'}[${i}].id`;
    const ref = isObj(input) && (typeof input['id'] === 'string' || typeof input['id'] === 'number') ? String(input['id']) : undefined;
    if (ref === undefined) return errorBody('MANDATORY_NOT_FOUND', MSG.mandatory, { api_name: 'id', json_path: jsonPath });
    const territory = findItem(org, ref);
    if (territory === undefined) return errorBody('INVALID_DATA', MSG.invalidId, { id: ref, json_path: jsonPath });
    ctx.state.territoryUsers.link(user, territory.id);
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
