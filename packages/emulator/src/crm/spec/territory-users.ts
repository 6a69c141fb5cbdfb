/**
 * Assigning users to a territory (`PUT /settings/territories/{territory}/users`): Zoho's "update" of a
 * territory's users adds the org's users named by id (an id that is no user of the org is INVALID_DATA at its
 * json_path), so a later GET of the territory's users lists them. The generic update would only change users
 * already in the territory.
 */
import type { EmuResponse } from '../../http-types.js';
import { errorBody, MSG, success, type ItemResult } from '../responses.js';
import { isObj, type SpecContext, type SpecHandler } from './context.js';
import { bodyItems, findItem, items, writeReply } from './generic.js';

function assignUsers(ctx: SpecContext): EmuResponse {
  const { key, list } = bodyItems(ctx);
  const territoryUsers = items(ctx);
  const results = list.map((input, i): ItemResult => {
    const id = isObj(input) ? input['id'] : undefined;
    const ref = typeof id === 'string' || typeof id === 'number' ? String(id) : '';
    const user = ctx.state.directory.users.find((u) => String(u['id']) === ref);
    if (user === undefined) return errorBody('INVALID_DATA', MSG.invalidId, { id: ref, json_path: `$.${key ?? 'users'}[${i}].id` });
    if (findItem(territoryUsers, ref) === undefined) territoryUsers.add({ id: ref, name: user['full_name'], email: user['email'] });
    return success('users associated to the territory successfully', { id: ref });
  });
  return writeReply(ctx, results);
}

/** Territory-user operations with behaviour of their own, by operation key. */
export const TERRITORY_USER_BEHAVIOURS: readonly [string, SpecHandler][] = [['territory_users/Update Territory Users', assignUsers]];
