/**
 * A territory's users (`/settings/territories/{territory}/users`), one side of the user ↔ territory relation
 * the state keeps as one list of pairs (../stores/territory-users.ts, read through ./territory-views.ts): a
 * user assigned here is among that user's territories (`/users/{user}/territories`), and the other way round.
 * Assigning names the org's users by id (an id that is no user of the org is INVALID_DATA at its json_path);
 * every operation names an org territory (an unknown one is INVALID_DATA for `territory`).
 */
import type { EmuResponse } from '../../http-types.js';
import { OPERATIONS } from '../../generated/operations.js';
import { error, errorBody, MSG, success, type ItemResult } from '../responses.js';
import { isObj, reply, type SpecContext, type SpecHandler } from './context.js';
import { bodyItems, findItem, genericHandler, items, writeReply } from './generic.js';
import type { Collection } from './backed.js';
import { ORG_TERRITORIES } from './territory-views.js';

const LIST_TERRITORIES = OPERATIONS.find((o) => o.key === 'territories/Get Territories');

/** The org's territories, given their sample items by the territories listing (whichever side reaches them first). */
export function orgTerritories(ctx: SpecContext): Collection {
  return items(LIST_TERRITORIES === undefined ? ctx : { ...ctx, op: LIST_TERRITORIES }, ORG_TERRITORIES);
}

function unknownTerritory(ctx: SpecContext): EmuResponse | undefined {
  const territory = ctx.params['territory'] ?? '';
  return findItem(orgTerritories(ctx), territory) === undefined ? error(400, 'INVALID_DATA', MSG.invalidId, { param_name: 'territory', id: territory }) : undefined;
}

/** Puts the org user `ref` in the path's territory; INVALID_DATA at `jsonPath` when the org has no such user. */
function assign(ctx: SpecContext, ref: string, jsonPath: string): ItemResult {
  if (ctx.state.user(ref) === undefined) return errorBody('INVALID_DATA', MSG.invalidId, { id: ref, json_path: jsonPath });
  ctx.state.territoryUsers.link(ref, ctx.params['territory'] ?? '');
  return success('users associated to the territory successfully', { id: ref });
}

/** `PUT .../users`: the users the body names by id join the territory. */
const assignUsers: SpecHandler = (ctx) => {
  const { key, list } = bodyItems(ctx);
  const results = list.map((input, i): ItemResult => {
    const id = isObj(input) ? input['id'] : undefined;
    return assign(ctx, typeof id === 'string' || typeof id === 'number' ? String(id) : '', `$.${key ?? 'users'}[${i}].id`);
  });
  return writeReply(ctx, results);
};

/** `PUT .../users/{user}`: the path's user joins the territory. */
const assignUser: SpecHandler = (ctx) => writeReply(ctx, [assign(ctx, ctx.params['user'] ?? '', '$.user')]);

/** Checks the territory, then runs `handler` (the generic one reads and unlinks through the pairs' view). */
function inTerritory(handler: SpecHandler): SpecHandler {
  return (ctx) => unknownTerritory(ctx) ?? handler(ctx);
}

/**
 * `GET /settings/territories/actions/associated_users_count`: each org territory with the number of users in
 * it (a string, as the OAS types it), read from the same pairs; `subordinates: false` says the count is the
 * territory's own users, not those of the territories under it.
 */
const associatedUsersCount: SpecHandler = (ctx) => {
  const counts = orgTerritories(ctx)
    .all()
    .map((t) => ({ count: String(ctx.state.territoryUsers.usersOf(t.id).filter((u) => ctx.state.user(u) !== undefined).length), territory: { name: t['name'], id: t.id, subordinates: false } }));
  if (counts.length === 0) return { status: 204 };
  return reply(ctx, { associated_users_count: counts, info: { per_page: counts.length, count: counts.length, page: 1, more_records: false } });
};

/** The territory_users operations (and the territories area's count of them), by operation key. */
export const TERRITORY_USER_BEHAVIOURS: readonly [string, SpecHandler][] = [
  ['territory_users/Get Territory Users', inTerritory(genericHandler)],
  ['territory_users/Update Territory Users', inTerritory(assignUsers)],
  ['territory_users/Deassociate Territory Users', inTerritory(genericHandler)],
  ['territory_users/Get territory User', inTerritory(genericHandler)],
  ['territory_users/Update territory User', inTerritory(assignUser)],
  ['territory_users/Deassociate Territory User', inTerritory(genericHandler)],
  ['territories/Get Associated User Count', associatedUsersCount],
];
