/**
 * Contact roles (`/crm/v8/Contacts/roles`): Zoho's standard roles to start with, created, renamed, reordered
 * and deleted; a name is unique (case-insensitive: DUPLICATE_DATA), an unknown id is INVALID_DATA. A deleted
 * role leaves the contacts that played it on their deals, without a role.
 */
import type { EmuResponse } from '../../http-types.js';
import { error, errorBody, MSG, success, type ItemResult } from '../responses.js';
import { isObj, reply, type SpecContext, type SpecHandler } from './context.js';
import { writeReply } from './generic.js';

const list: SpecHandler = (ctx) => reply(ctx, { contact_roles: ctx.state.contactRoles.list() });

const getOne: SpecHandler = (ctx) => {
  const id = ctx.params['id'] ?? '';
  const role = ctx.state.contactRoles.find(id);
  return role === undefined ? error(400, 'INVALID_DATA', MSG.invalidId, { id }) : reply(ctx, { contact_roles: [role] });
};

function items(ctx: SpecContext): unknown[] {
  const body = ctx.req.json;
  return isObj(body) && Array.isArray(body['contact_roles']) ? body['contact_roles'] : [];
}

/** A role's new name and position, or why it is refused (`$.contact_roles[i]`). */
function valuesOf(ctx: SpecContext, input: Record<string, unknown>, i: number, self?: string): { name?: string; sequence_number?: number } | ItemResult {
  const path = `$.contact_roles[${i}]`;
  const out: { name?: string; sequence_number?: number } = {};
  const name = input['name'];
  if (name !== undefined) {
    if (typeof name !== 'string' || name.trim() === '') return errorBody('INVALID_DATA', MSG.invalidData, { api_name: 'name', json_path: `${path}.name` });
    const dup = ctx.state.contactRoles.named(name, self);
    if (dup !== undefined) return errorBody('DUPLICATE_DATA', MSG.duplicate, { api_name: 'name', id: dup.id, json_path: `${path}.name` });
    out.name = name.trim();
  }
  const seq = input['sequence_number'];
  if (seq !== undefined && seq !== null) {
    if (typeof seq !== 'number' || !Number.isInteger(seq) || seq < 1) {
      return errorBody('INVALID_DATA', MSG.invalidData, { api_name: 'sequence_number', expected_data_type: 'integer', json_path: `${path}.sequence_number` });
    }
    out.sequence_number = seq;
  }
  return out;
}

const create: SpecHandler = (ctx) => {
  const results = items(ctx).map((raw, i): ItemResult => {
    const input = isObj(raw) ? raw : {};
    if (input['name'] === undefined || input['name'] === null) return errorBody('MANDATORY_NOT_FOUND', MSG.mandatory, { api_name: 'name', json_path: `$.contact_roles[${i}].name` });
    const values = valuesOf(ctx, input, i);
    if ('status' in values) return values;
    const role = ctx.state.contactRoles.add(values.name ?? '', values.sequence_number);
    return success('contact role created successfully', { id: role.id });
  });
  return writeReply(ctx, results);
};

function update(ctx: SpecContext, id: string, input: Record<string, unknown>, i: number): ItemResult {
  if (ctx.state.contactRoles.find(id) === undefined) return errorBody('INVALID_DATA', MSG.invalidId, { id, json_path: `$.contact_roles[${i}].id` });
  const values = valuesOf(ctx, input, i, id);
  if ('status' in values) return values;
  ctx.state.contactRoles.update(id, values);
  return success('contact role updated successfully', { id });
}

const updateMany: SpecHandler = (ctx) => {
  const results = items(ctx).map((raw, i) => {
    const input = isObj(raw) ? raw : {};
    const id = input['id'];
    if (typeof id !== 'string' && typeof id !== 'number') return errorBody('MANDATORY_NOT_FOUND', MSG.mandatory, { api_name: 'id', json_path: `$.contact_roles[${i}].id` });
    return update(ctx, String(id), input, i);
  });
  return writeReply(ctx, results);
};

const updateOne: SpecHandler = (ctx) => {
  const first = items(ctx)[0];
  return writeReply(ctx, [update(ctx, ctx.params['id'] ?? '', isObj(first) ? first : {}, 0)]);
};

function remove(ctx: SpecContext, ids: string[]): EmuResponse {
  if (ids.length === 0) return error(400, 'REQUIRED_PARAM_MISSING', MSG.paramMissing, { param: 'ids' });
  const results = ids.map((id) => {
    if (!ctx.state.contactRoles.delete(id)) return errorBody('INVALID_DATA', MSG.invalidId, { id });
    // Zoho documents no refusal for a role in use: its contacts stay on their deals without a role.
    ctx.state.dealContactRoles.clearRole(id);
    return success('contact role deleted successfully', { id });
  });
  return writeReply(ctx, results);
}

const deleteMany: SpecHandler = (ctx) => remove(ctx, (ctx.req.query['ids'] ?? '').split(',').map((s) => s.trim()).filter((s) => s !== ''));
const deleteOne: SpecHandler = (ctx) => remove(ctx, [ctx.params['id'] ?? '']);

export const CONTACT_ROLE_BEHAVIOURS: [string, SpecHandler][] = [
  ['contact_roles/Get Roles', list],
  ['contact_roles/Get Role', getOne],
  ['contact_roles/Create Roles', create],
  ['contact_roles/Update Roles', updateMany],
  ['contact_roles/Update Contact Role', updateOne],
  ['contact_roles/Delete Contact Roles', deleteMany],
  ['contact_roles/Delete Contact Role', deleteOne],
];
