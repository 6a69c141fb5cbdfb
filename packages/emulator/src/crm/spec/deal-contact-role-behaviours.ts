/**
 * A deal's contact roles (`/crm/v8/Deals/{deal}/Contact_Roles`, an area of our overlay): which contacts are on
 * the deal and the role each plays (../stores/deal-contact-roles.ts). A contact is put on a deal with a role
 * from `/Contacts/roles` (by id, or by name when no id is given), listed with the `fields` asked for and its
 * `Contact_Role` as `{ name, id }`, and taken off again. An unknown deal or contact is INVALID_DATA naming its
 * place in the path (`resource_path_index`: Deals 0, the deal 1, Contact_Roles 2, the contact 3).
 */
import type { EmuResponse } from '../../http-types.js';
import { commaList, present } from '../query.js';
import { error, errorBody, MSG, noContent, success, type ItemResult } from '../responses.js';
import { has } from '../versions.js';
import { isObj, reply, type SpecContext, type SpecHandler } from './context.js';
import { writeReply } from './generic.js';

const DEAL_INDEX = 1;
const CONTACT_INDEX = 3;
/** Zoho's limit of contacts named in one `ids`. */
const MAX_IDS = 100;

const unknownDeal = (): EmuResponse => error(400, 'INVALID_DATA', MSG.invalidId, { resource_path_index: DEAL_INDEX });

function dealOf(ctx: SpecContext): string | undefined {
  const id = ctx.params['deal'] ?? '';
  return ctx.state.store('Deals')?.records.has(id) === true ? id : undefined;
}

function hasContact(ctx: SpecContext, id: string): boolean {
  return ctx.state.store('Contacts')?.records.has(id) === true;
}

/** The contact's row: the fields asked for, its id and its role as `{ name, id }` (null once the role was deleted). */
function row(ctx: SpecContext, contactId: string, roleId: string | null, fields: string[] | undefined): Record<string, unknown> | undefined {
  const contact = ctx.state.store('Contacts')?.records.get(contactId);
  if (contact === undefined) return undefined;
  const role = roleId === null ? undefined : ctx.state.contactRoles.find(roleId);
  return { ...present(contact, fields), Contact_Role: role === undefined ? null : { name: role.name, id: role.id } };
}

function listReply(ctx: SpecContext, rows: Record<string, unknown>[]): EmuResponse {
  if (rows.length === 0) return noContent();
  return reply(ctx, { data: rows, info: { per_page: rows.length, count: rows.length, page: 1, more_records: false } });
}

const list: SpecHandler = (ctx) => {
  const deal = dealOf(ctx);
  if (deal === undefined) return unknownDeal();
  const fields = commaList(ctx.req.query['fields'] ?? '');
  const ids = ctx.req.query['ids'] === undefined ? undefined : new Set(commaList(ctx.req.query['ids']));
  const rows = ctx.state.dealContactRoles
    .list(deal)
    .filter((c) => ids === undefined || ids.has(c.contactId))
    .flatMap((c) => {
      const found = row(ctx, c.contactId, c.roleId, fields);
      return found === undefined ? [] : [found];
    });
  return listReply(ctx, rows);
};

const getOne: SpecHandler = (ctx) => {
  const deal = dealOf(ctx);
  if (deal === undefined) return unknownDeal();
  const contactId = ctx.params['contact'] ?? '';
  if (!hasContact(ctx, contactId)) return error(400, 'INVALID_DATA', MSG.invalidRelatedId, { resource_path_index: CONTACT_INDEX });
  const roleId = ctx.state.dealContactRoles.roleOf(deal, contactId);
  const found = roleId === undefined ? undefined : row(ctx, contactId, roleId, undefined);
  return listReply(ctx, found === undefined ? [] : [found]);
};

/** The role an assignment names: by id, else by name; why not when it names none or an unknown one. */
function roleOf(ctx: SpecContext, item: unknown): { id: string } | ItemResult {
  const path = '$.data[0].Contact_Role';
  const given = isObj(item) ? item['Contact_Role'] : undefined;
  if (given === undefined || given === null) return errorBody('MANDATORY_NOT_FOUND', MSG.mandatory, { api_name: 'Contact_Role', json_path: path });
  const id = isObj(given) ? given['id'] : given;
  const name = isObj(given) ? given['name'] : undefined;
  const role =
    typeof id === 'string' || typeof id === 'number'
      ? ctx.state.contactRoles.find(String(id))
      : typeof name === 'string'
        ? ctx.state.contactRoles.named(name)
        : undefined;
  return role === undefined ? errorBody('INVALID_DATA', MSG.invalidData, { api_name: 'Contact_Role', json_path: path }) : { id: role.id };
}

const assign: SpecHandler = (ctx) => {
  const deal = dealOf(ctx);
  if (deal === undefined) return unknownDeal();
  const contactId = ctx.params['contact'] ?? '';
  if (!hasContact(ctx, contactId)) return error(400, 'INVALID_DATA', MSG.invalidRelatedId, { resource_path_index: CONTACT_INDEX });
  const body = ctx.req.json;
  const role = roleOf(ctx, isObj(body) && Array.isArray(body['data']) ? body['data'][0] : undefined);
  if ('status' in role) return writeReply(ctx, [role]);
  ctx.state.dealContactRoles.assign(deal, contactId, role.id);
  const message = has('newMessages', ctx.req.version) ? 'record updated' : 'relation added';
  return writeReply(ctx, [success(message, { id: contactId })]);
};

function remove(ctx: SpecContext, deal: string, contactIds: string[]): EmuResponse {
  const message = has('newMessages', ctx.req.version) ? 'record deleted' : 'relation removed';
  const results = contactIds.map((id) =>
    ctx.state.dealContactRoles.remove(deal, id) ? success(message, { id }) : errorBody('INVALID_DATA', MSG.invalidRelatedId, { id }),
  );
  return writeReply(ctx, results);
}

const removeOne: SpecHandler = (ctx) => {
  const deal = dealOf(ctx);
  return deal === undefined ? unknownDeal() : remove(ctx, deal, [ctx.params['contact'] ?? '']);
};

const removeMany: SpecHandler = (ctx) => {
  const deal = dealOf(ctx);
  if (deal === undefined) return unknownDeal();
  const ids = commaList(ctx.req.query['ids'] ?? '');
  if (ids.length > MAX_IDS) return error(400, 'LIMIT_EXCEEDED', MSG.limitExceeded, { limit: MAX_IDS, param_name: 'ids' });
  return remove(ctx, deal, ids);
};

export const DEAL_CONTACT_ROLE_BEHAVIOURS: [string, SpecHandler][] = [
  ['deal_contact_roles/Get Associated Contact Roles', list],
  ['deal_contact_roles/Get Associated Contact Role', getOne],
  ['deal_contact_roles/Associate Contact Role To Deal', assign],
  ['deal_contact_roles/Delete Associated Contact Roles', removeMany],
  ['deal_contact_roles/Delete Contact Role Relation', removeOne],
];
