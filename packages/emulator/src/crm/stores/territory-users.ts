/**
 * Which users are in which of the org's territories: one list of (user, territory) pairs. Both sides of the
 * relation read and write it — a user's territories (`/users/{user}/territories`) and a territory's users
 * (`/settings/territories/{territory}/users`) — so a user linked from one side is listed on the other.
 */
import type { StateTable } from './registry.js';

/** A user in a territory, by the user's id and the org territory's id. */
export interface TerritoryUser {
  user: string;
  territory: string;
}

function isPair(v: unknown): v is TerritoryUser {
  return v !== null && typeof v === 'object' && typeof (v as TerritoryUser).user === 'string' && typeof (v as TerritoryUser).territory === 'string';
}

export class TerritoryUsers implements StateTable {
  readonly name = 'territoryUsers';
  #pairs: TerritoryUser[] = [];

  /** The territory ids a user is in, in the order they were linked. */
  territoriesOf(user: string): string[] {
    return this.#pairs.filter((p) => p.user === user).map((p) => p.territory);
  }

  /** The user ids in a territory, in the order they were linked. */
  usersOf(territory: string): string[] {
    return this.#pairs.filter((p) => p.territory === territory).map((p) => p.user);
  }

  has(user: string, territory: string): boolean {
    return this.#pairs.some((p) => p.user === user && p.territory === territory);
  }

  /** Puts the user in the territory; linking a pair twice keeps one. */
  link(user: string, territory: string): void {
    if (!this.has(user, territory)) this.#pairs.push({ user, territory });
  }

  /** Takes the user out of the territory; false when the user was not in it. */
  unlink(user: string, territory: string): boolean {
    const before = this.#pairs.length;
    this.#pairs = this.#pairs.filter((p) => !(p.user === user && p.territory === territory));
    return this.#pairs.length !== before;
  }

  snapshot(): TerritoryUser[] {
    return this.#pairs;
  }

  restore(data: unknown): void {
    this.#pairs = Array.isArray(data) ? data.filter(isPair) : [];
  }

  reset(): void {
    this.#pairs = [];
  }
}
