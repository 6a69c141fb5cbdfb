/** Users, roles, profiles and the org: seeded, and kept in snapshots so a restored org is the same org. */
import type { SeedData, UserRef } from '../store-types.js';
import type { StateTable } from './registry.js';

interface DirectorySnapshot {
  users: Record<string, unknown>[];
  roles?: Record<string, unknown>[];
  profiles?: Record<string, unknown>[];
  org?: Record<string, unknown>;
}

export class Directory implements StateTable {
  readonly name = 'directory';
  #users: Record<string, unknown>[] = [];
  #roles: Record<string, unknown>[] = [];
  #profiles: Record<string, unknown>[] = [];
  #org: Record<string, unknown> = {};

  constructor(private readonly seed: () => SeedData) {
    this.reset();
  }

  get users(): Record<string, unknown>[] {
    return this.#users;
  }

  get roles(): Record<string, unknown>[] {
    return this.#roles;
  }

  get profiles(): Record<string, unknown>[] {
    return this.#profiles;
  }

  get org(): Record<string, unknown> {
    return this.#org;
  }

  /** Records that the org has multi-currency on (`mc_status`, as GET /org reports it); Zoho cannot turn it off. */
  enableMultiCurrency(): void {
    // A new object: the seeded org is shared with the seed, which reset() goes back to.
    this.#org = { ...this.#org, mc_status: true };
  }

  /** The first user: the one CRM calls act as unless a token names another. */
  get currentUserId(): string {
    const first = this.#users[0]?.['id'];
    return typeof first === 'string' ? first : '';
  }

  user(id: string): Record<string, unknown> | undefined {
    return this.#users.find((u) => u['id'] === id);
  }

  /** A `{name,id[,email]}` reference to a user (the current user when the id is unknown). */
  userRef(id: string, withEmail = true): UserRef {
    const u = this.user(id) ?? this.user(this.currentUserId);
    const name = String(u?.['full_name'] ?? u?.['name'] ?? '');
    const ref: UserRef = { name, id: String(u?.['id'] ?? id) };
    if (withEmail && typeof u?.['email'] === 'string') ref.email = u['email'];
    return ref;
  }

  /** The user with this email (case-insensitive). */
  userByEmail(email: string): Record<string, unknown> | undefined {
    const want = email.toLowerCase();
    return this.#users.find((u) => String(u['email']).toLowerCase() === want);
  }

  addUser(user: Record<string, unknown>): void {
    this.#users.push(user);
  }

  /** Sets a user's values (not `id`, `email`, `zuid`) and recomputes `full_name`; false for an unknown id. */
  updateUser(id: string, values: Record<string, unknown>): boolean {
    const user = this.user(id);
    if (user === undefined) return false;
    for (const [k, v] of Object.entries(values)) if (k !== 'id' && k !== 'email' && k !== 'zuid') user[k] = v;
    const first = typeof user['first_name'] === 'string' ? user['first_name'] : '';
    user['full_name'] = `${first} ${String(user['last_name'] ?? '')}`.trim();
    return true;
  }

  deleteUser(id: string): boolean {
    const index = this.#users.findIndex((u) => u['id'] === id);
    if (index === -1) return false;
    this.#users.splice(index, 1);
    return true;
  }

  snapshot(): DirectorySnapshot {
    return { users: this.#users, roles: this.#roles, profiles: this.#profiles, org: this.#org };
  }

  restore(data: unknown): void {
    const snap = (data ?? {}) as Partial<DirectorySnapshot>;
    if (Array.isArray(snap.users)) this.#users = snap.users;
    if (Array.isArray(snap.roles)) this.#roles = snap.roles;
    if (Array.isArray(snap.profiles)) this.#profiles = snap.profiles;
    if (snap.org !== undefined && snap.org !== null && typeof snap.org === 'object') this.#org = snap.org;
  }

  reset(): void {
    const seed = this.seed();
    this.#users = seed.users;
    this.#roles = seed.roles;
    this.#profiles = seed.profiles;
    this.#org = seed.org;
  }
}
