/** The roles a contact plays in a deal (`/Contacts/roles`): seeded with Zoho's standard roles, names unique. */
import { KeyedTable } from './keyed-table.js';

export interface ContactRole {
  id: string;
  name: string;
  sequence_number: number;
}

/** The roles a new org has (Setup > Customization > Contact Roles). */
export const STANDARD_CONTACT_ROLES: readonly string[] = [
  'Purchasing',
  'Technical Buyer',
  'Economic Decision Maker',
  'Executive Sponsor',
  'Evaluator',
  'Influencer',
  'Product Management',
  'Other',
];

export class ContactRoles extends KeyedTable<ContactRole> {
  #seeded = false;

  constructor(private readonly nextId: () => string) {
    super('contactRoles');
  }

  /** Every role, by sequence number (the standard roles are made on first use, with ids from the counter). */
  list(): ContactRole[] {
    this.#seed();
    return [...this.values()].sort((a, b) => a.sequence_number - b.sequence_number);
  }

  find(id: string): ContactRole | undefined {
    this.#seed();
    return this.get(id);
  }

  /** The role with this name (case-insensitive), other than `except`. */
  named(name: string, except?: string): ContactRole | undefined {
    const want = name.trim().toLowerCase();
    return this.list().find((r) => r.id !== except && r.name.toLowerCase() === want);
  }

  add(name: string, sequence?: number): ContactRole {
    const last = this.list().at(-1)?.sequence_number ?? 0;
    const id = this.nextId();
    return this.put(id, { id, name, sequence_number: sequence ?? last + 1 });
  }

  update(id: string, values: Partial<Omit<ContactRole, 'id'>>): void {
    const role = this.find(id);
    if (role !== undefined) Object.assign(role, values);
  }

  delete(id: string): boolean {
    this.#seed();
    return this.remove(id);
  }

  #seed(): void {
    if (this.#seeded || this.size > 0) return;
    this.#seeded = true;
    STANDARD_CONTACT_ROLES.forEach((name, i) => {
      const id = this.nextId();
      this.put(id, { id, name, sequence_number: i + 1 });
    });
  }

  override restore(data: unknown): void {
    super.restore(data);
    this.#seeded = this.size > 0;
  }

  override reset(): void {
    super.reset();
    this.#seeded = false;
  }
}
