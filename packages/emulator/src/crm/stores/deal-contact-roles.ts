/**
 * The role each contact plays in a deal (`/Deals/{id}/Contact_Roles`): a Deals ↔ Contacts link (./links.ts)
 * whose `Contact_Role` field holds the role's id, the same link the v2 related-records route writes, so
 * every API version reads one set of links and a deleted deal or contact takes its links with it.
 */
import type { Links } from './links.js';

const DEALS = 'Deals';
const CONTACTS = 'Contacts';
const ROLE_KEY = 'Contact_Role';

/** A contact on a deal and the id of its role (null once the role was deleted). */
export interface DealContact {
  contactId: string;
  roleId: string | null;
}

/** The role id a link field holds: v8 writes `{ id, name }`, v2 the id itself. */
function roleIdOf(value: unknown): string | null {
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  if (value !== null && typeof value === 'object' && 'id' in value) {
    const id = (value as { id: unknown }).id;
    if (typeof id === 'string' || typeof id === 'number') return String(id);
  }
  return null;
}

export class DealContactRoles {
  constructor(private readonly links: Links) {}

  /** The deal's contacts with their roles, in the order they were linked. */
  list(dealId: string): DealContact[] {
    return [...this.links.linkedTo(dealId, CONTACTS)].map((contactId) => ({ contactId, roleId: this.roleOf(dealId, contactId) ?? null }));
  }

  /** The contact's role id on the deal: undefined when the contact is not on the deal, null when its role was deleted. */
  roleOf(dealId: string, contactId: string): string | null | undefined {
    const link = this.links.find(dealId, contactId);
    return link === undefined ? undefined : roleIdOf(link.fields[ROLE_KEY]);
  }

  /** Puts the contact on the deal with this role, or changes its role. */
  assign(dealId: string, contactId: string, roleId: string): void {
    this.links.link(DEALS, dealId, CONTACTS, contactId, { [ROLE_KEY]: roleId });
  }

  /** Takes the contact off the deal; false when it was not on it. */
  remove(dealId: string, contactId: string): boolean {
    return this.links.find(dealId, contactId) !== undefined && this.links.unlink(dealId, contactId);
  }

  /** A deleted role leaves its contacts on their deals without a role. */
  clearRole(roleId: string): void {
    this.links.clearField(ROLE_KEY, roleId);
  }
}
