/**
 * The two sides of the user ↔ territory relation as collections of the spec router: a user's territories
 * (`users/{user}/territories`) and a territory's users (`settings/territories/{territory}/users`). Both are
 * views of the one list of pairs in the state (../stores/territory-users.ts): their items are made from the
 * org territory and the directory user at each read, adding links a pair and removing unlinks it.
 */
import type { CrmState } from '../state.js';
import type { Collection } from './backed.js';
import { isObj } from './context.js';
import type { Item, SpecStore } from './store.js';

/** The collection the org's territories live in. */
export const ORG_TERRITORIES = 'settings/territories';

const USER_TERRITORIES = /^users\/([^/]+)\/territories$/;
const TERRITORY_USERS = /^settings\/territories\/([^/]+)\/users$/;

/** A user's territories name people as `{Name, id}` (capitalised, as the OAS and Zoho's SDK read them). */
function nameRef(ref: unknown): { Name: unknown; id: unknown } | null {
  return isObj(ref) ? { Name: ref['name'] ?? ref['Name'] ?? null, id: ref['id'] ?? null } : null;
}

/** An org territory in the user-territory shape (`id`, `Name`, `Manager`, `Reporting_To`). */
function asUserTerritory(territory: Item): Item {
  return { id: territory.id, Name: territory['name'], Manager: nameRef(territory['manager']), Reporting_To: nameRef(territory['reporting_to']) };
}

/** A directory user as a territory lists it (`id`, `name`, `email`). */
function asTerritoryUser(user: Record<string, unknown>): Item {
  return { id: String(user['id']), name: user['full_name'], email: user['email'] };
}

function view(ids: () => string[], make: (id: string) => Item | undefined, link: (id: string) => void, unlink: (id: string) => boolean): Collection {
  const all = (): Item[] => ids().flatMap((id) => make(id) ?? []);
  return {
    all,
    get: (id) => (ids().includes(id) ? make(id) : undefined),
    add: (item) => link(item.id),
    remove: (id) => unlink(id),
  };
}

/** The org territory with this id, if the org has it. */
export function orgTerritory(store: SpecStore, id: string): Item | undefined {
  return store.collections.get(ORG_TERRITORIES)?.get(id);
}

/** The territories of `user`: org territories the pairs name (a pair whose territory was deleted is not listed). */
export function userTerritories(state: CrmState, store: SpecStore, user: string): Collection {
  const pairs = state.territoryUsers;
  return view(
    () => pairs.territoriesOf(user),
    (id) => {
      const territory = orgTerritory(store, id);
      return territory === undefined ? undefined : asUserTerritory(territory);
    },
    (id) => pairs.link(user, id),
    (id) => pairs.unlink(user, id),
  );
}

/** The users of `territory`: directory users the pairs name. */
export function territoryUsers(state: CrmState, territory: string): Collection {
  const pairs = state.territoryUsers;
  return view(
    () => pairs.usersOf(territory),
    (id) => {
      const user = state.user(id);
      return user === undefined ? undefined : asTerritoryUser(user);
    },
    (id) => pairs.link(id, territory),
    (id) => pairs.unlink(id, territory),
  );
}

/** The view for a collection path (lower case, as `collectionKey` gives it), if it is one side of the relation. */
export function territoryView(state: CrmState, store: SpecStore, key: string): Collection | undefined {
  const ofUser = USER_TERRITORIES.exec(key);
  if (ofUser?.[1] !== undefined) return userTerritories(state, store, ofUser[1]);
  const ofTerritory = TERRITORY_USERS.exec(key);
  if (ofTerritory?.[1] !== undefined) return territoryUsers(state, ofTerritory[1]);
  return undefined;
}
