/**
 * Web forms (`/crm/v8/settings/webforms`, an area of our overlay): the generic collection keeps them (create, read,
 * update, delete by id), seeded with two forms on the org's real modules (a Leads form and a Contacts form, their
 * fields the module's); the listing honours `module` (only that module's forms; an unknown module is INVALID_MODULE).
 */
import type { EmuResponse } from '../../http-types.js';
import { error, MSG } from '../responses.js';
import { newId, type SpecContext, type SpecHandler } from './context.js';
import { genericHandler } from './generic.js';

/** The generic collection's key (./generic.ts collectionKey). */
const COLLECTION = 'settings/webforms';
/** The seeded forms: a name, the module, and the fields it asks for. */
const SEEDED: readonly { name: string; module: string; fields: string[] }[] = [
  { name: 'Contact us', module: 'Leads', fields: ['Last_Name', 'Company', 'Email'] },
  { name: 'Newsletter sign-up', module: 'Contacts', fields: ['Last_Name', 'Email'] },
];

/** Gives the collection its two forms the first time any web form operation runs. */
function seed(ctx: SpecContext): void {
  if (ctx.store.seeded.has(COLLECTION)) return;
  ctx.store.seeded.add(COLLECTION);
  const col = ctx.store.collection(COLLECTION);
  const owner = ctx.state.userRef(ctx.state.currentUserId, false);
  for (const form of SEEDED) {
    const store = ctx.state.store(form.module);
    if (store === undefined) continue;
    const meta = store.def.meta;
    const layout = store.def.layouts[0];
    const id = newId(ctx.state);
    col.set(id, {
      id,
      name: form.name,
      module: { id: meta.id, api_name: meta.api_name, module_name: meta.module_name, display_label: meta.plural_label },
      ...(layout === undefined ? {} : { layout: { id: String(layout['id']), name: String(layout['name']), display_label: String(layout['display_label'] ?? layout['name']) } }),
      active: true,
      type: 'normal',
      action_on_submit: 'display_message',
      action_value: 'Thank you',
      location_url: [],
      create_contact: false,
      approval_request: false,
      double_optin_enabled: false,
      adword_enabled: false,
      show_brand: true,
      fields: form.fields.flatMap((name) => {
        const f = store.fields.get(name);
        return f === undefined ? [] : [{ id: f.id, api_name: f.api_name, field_label: f.field_label, required: f.api_name === 'Last_Name', hidden: false }];
      }),
      owner,
      created_by: owner,
      created_time: ctx.state.nowString(),
      last_submitted_time: null,
    });
  }
}

const seeded: SpecHandler = (ctx) => {
  seed(ctx);
  return genericHandler(ctx);
};

const list: SpecHandler = (ctx): EmuResponse => {
  seed(ctx);
  const module = ctx.req.query['module'];
  if (module === undefined) return genericHandler(ctx);
  const store = ctx.state.store(module);
  if (store === undefined) return error(400, 'INVALID_MODULE', MSG.invalidModule, { param_name: 'module' });
  const forms = [...ctx.store.collection(COLLECTION).values()].filter((f) => (f['module'] as { api_name?: unknown } | undefined)?.api_name === store.name);
  return forms.length === 0 ? { status: 204 } : { status: 200, json: { webforms: forms } };
};

export const WEBFORM_BEHAVIOURS: [string, SpecHandler][] = [
  ['webforms/Get Webforms', list],
  ...['Create Webforms', 'Get Webform', 'Update Webform', 'Delete Webform', 'Get Webform Preview'].map((op): [string, SpecHandler] => [`webforms/${op}`, seeded]),
];
