/**
 * Collections whose items live in the CRM state the hand-written routes read (users, roles, profiles,
 * modules, fields, layouts, custom views, users in territories): writes through the spec router change those very objects, so a
 * role updated or a field created is what the hand-written GETs, the records and COQL then see.
 */
import type { FieldMeta } from '../../seed/types.js';
import type { SpecContext } from './context.js';
import type { Item } from './store.js';
import { territoryView } from './territory-views.js';

/** A list of items: the generic collection's view of a store. */
export interface Collection {
  all(): Item[];
  get(id: string): Item | undefined;
  add(item: Item): void;
  remove(id: string): boolean;
}

export function mapCollection(map: Map<string, Item>): Collection {
  return {
    all: () => [...map.values()],
    get: (id) => map.get(id),
    add: (item) => void map.set(item.id, item),
    remove: (id) => map.delete(id),
  };
}

function arrayCollection(list: Record<string, unknown>[], onAdd?: (item: Item) => void, onRemove?: (item: Item) => void): Collection {
  const asItem = (r: Record<string, unknown>): Item => r as Item;
  return {
    all: () => list.map(asItem),
    get: (id) => list.map(asItem).find((r) => String(r.id) === id),
    add: (item) => {
      list.push(item);
      onAdd?.(item);
    },
    remove: (id) => {
      const at = list.findIndex((r) => String(r['id']) === id);
      if (at < 0) return false;
      const [gone] = list.splice(at, 1);
      if (gone !== undefined) onRemove?.(gone as Item);
      return true;
    },
  };
}

/** The state-backed collection for a collection path, if the hand-written routes own that resource. */
export function backedCollection(ctx: SpecContext, key: string): Collection | undefined {
  const { state } = ctx;
  const moduleName = ctx.req.query['module'];
  const store = moduleName === undefined ? undefined : state.store(moduleName);
  switch (key) {
    case 'users':
      return arrayCollection(state.directory.users);
    case 'settings/roles':
      return arrayCollection(state.directory.roles);
    case 'settings/profiles':
      return arrayCollection(state.directory.profiles);
    case 'settings/modules':
      return arrayCollection(state.stores().map((s) => s.def.meta as unknown as Record<string, unknown>));
    case 'settings/fields':
      if (store === undefined) return undefined;
      // A field created here is a field of the module: records, typegen and COQL see it.
      return arrayCollection(
        store.def.fields as unknown as Record<string, unknown>[],
        (item) => {
          const f = item as unknown as FieldMeta;
          const defaults = { system_mandatory: false, read_only: false, field_read_only: false, visible: true, custom_field: true, length: 255, pick_list_values: [], lookup: {} };
          for (const [k, v] of Object.entries(defaults)) if (f[k] === undefined) (f as Record<string, unknown>)[k] = v;
          f.data_type ??= 'text';
          f.json_type ??= 'string';
          f.api_name ??= String(f.field_label ?? `Field_${item.id}`).replace(/\W+/g, '_');
          store.fields.set(f.api_name, f);
        },
        (item) => void store.fields.delete(String(item['api_name'])),
      );
    case 'settings/layouts':
      return store === undefined ? undefined : arrayCollection(store.def.layouts);
    case 'settings/custom_views':
      return store === undefined ? undefined : arrayCollection(store.def.customViews);
    default:
      // Users in territories: both sides read and write the state's one list of pairs.
      return territoryView(state, ctx.store, key);
  }
}
