/**
 * Inventory conversion: a quote becomes a sales order or an invoice, a sales order an invoice. The new
 * record takes the parent's values its module has too (subject, account, contact, deal, addresses, line
 * items, discount, tax, adjustment and totals), a lookup back to its parent where the module has one
 * (`Quote_Name`, `Sales_Order`), the parent's owner unless another is given, and optionally its tags.
 * Used by the single convert and by the mass convert job, which runs this once per record.
 */
import type { CrmRecord } from '../seed/types.js';
import { withTags } from './records.js';
import { isObject, type CrmState } from './state.js';
import type { ModuleStore } from './store-types.js';

/** Which module converts into which (Zoho: quotes to sales orders or invoices, sales orders to invoices). */
export const INVENTORY_CONVERSIONS: Readonly<Record<string, readonly string[]>> = {
  Quotes: ['Sales_Orders', 'Invoices'],
  Sales_Orders: ['Invoices'],
};

/** The lookup on the new record that points back at its parent, by parent module. */
const PARENT_LOOKUP: Readonly<Record<string, string>> = { Quotes: 'Quote_Name', Sales_Orders: 'Sales_Order' };

/** Values a new record gets for itself, never from its parent. */
const OWN_VALUES: ReadonlySet<string> = new Set(['id', 'Owner', 'Created_By', 'Modified_By', 'Created_Time', 'Modified_Time', 'Last_Activity_Time', 'Tag', 'Status']);

export interface InventoryConvertOptions {
  /** Owner of the new record; the parent's owner when absent. */
  ownerId?: string;
  /** Copy the parent's tags to the new record. */
  carryTags: boolean;
}

/** The modules a record of `parent` may convert into (empty when it is not an inventory parent). */
export function conversionsOf(parent: string): readonly string[] {
  return INVENTORY_CONVERSIONS[parent] ?? [];
}

/** Creates the `target` record from `record` (a record of `parent`); returns the new record. */
export function convertInventory(state: CrmState, parent: ModuleStore, record: CrmRecord, target: ModuleStore, options: InventoryConvertOptions, userId: string): CrmRecord {
  const values: Record<string, unknown> = {};
  for (const f of target.def.fields) {
    const name = f.api_name;
    if (OWN_VALUES.has(name) || f.data_type === 'autonumber' || !parent.fields.has(name)) continue;
    const v = record[name];
    if (v === undefined || v === null) continue;
    values[name] = f.data_type === 'subform' ? lineItems(v) : structuredClone(v);
  }
  const back = PARENT_LOOKUP[parent.name];
  if (back !== undefined && target.fields.has(back)) values[back] = state.recordRef(record.id) ?? null;
  const ownerId = options.ownerId ?? (isObject(record['Owner']) ? String(record['Owner']['id']) : userId);
  values['Owner'] = state.userRef(ownerId);
  const created = state.recordStore.insertTrusted(target, values, userId);
  const tags = Array.isArray(record['Tag']) ? (record['Tag'] as { name: string }[]).map((t) => t.name) : [];
  if (options.carryTags && tags.length > 0) state.recordStore.setSystem(target, created, { Tag: withTags(state, target, [], tags, userId) });
  return created;
}

/** A parent's line items as the new record's own: copied without the parent rows' ids. */
function lineItems(items: unknown): unknown {
  if (!Array.isArray(items)) return structuredClone(items);
  return items.map((item: unknown) => {
    if (!isObject(item)) return item;
    const copy = structuredClone(item);
    delete copy['id'];
    return copy;
  });
}
