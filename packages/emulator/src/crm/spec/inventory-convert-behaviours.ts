/**
 * Inventory conversion routes: `POST /{Quotes|Sales_Orders}/{id}/actions/convert` creates the sales order
 * or invoice (../inventory-convert.ts) and answers its id and name; `POST /{module}/actions/mass_convert`
 * converts up to 50 records the same way as a job (it runs at once: code SCHEDULED, 202) whose counts
 * `GET …/actions/mass_convert?job_id=` reports in a `data` list, as Zoho documents and its typescript-sdk-8.0
 * (inventory_mass_convert ResponseWrapper) reads them.
 */
import type { EmuResponse } from '../../http-types.js';
import { conversionsOf, convertInventory } from '../inventory-convert.js';
import { error, json, MSG, success } from '../responses.js';
import type { CrmState } from '../state.js';
import type { ModuleStore } from '../store-types.js';
import { lookupId } from '../fields.js';
import { isObj, type SpecHandler } from './context.js';
import { invalid, massConvertIds, MAX_MASS_CONVERT_IDS, moduleNames, reassignRelated } from './mass-convert-behaviours.js';

/** Where the target sits in each body: the single convert's `data[0]` or the mass convert's top level. */
type Prefix = '$.data[0].' | '$.';

/** The parent module of the path, or the refusal for a module that converts into nothing. */
function parentOf(state: CrmState, name: string | undefined): ModuleStore | EmuResponse {
  const store = state.store(name ?? '');
  if (store === undefined || conversionsOf(store.name).length === 0) return error(400, 'INVALID_MODULE', MSG.invalidModule, { resource_path_index: 0 });
  return store;
}

/** The one `convert_to` target of a body: a module the parent converts into (its id, when given, that module's). */
function targetOf(state: CrmState, parent: ModuleStore, body: Record<string, unknown>, at: Prefix): { store: ModuleStore; carryTags: boolean | undefined } | EmuResponse {
  const list = body['convert_to'];
  const first: unknown = Array.isArray(list) ? list[0] : undefined;
  if (!isObj(first) || !isObj(first['module'])) return error(400, 'MANDATORY_NOT_FOUND', MSG.mandatory, { api_name: 'convert_to', json_path: `${at}convert_to` });
  const module = first['module'];
  const path = `${at}convert_to[0].module`;
  const store = typeof module['api_name'] === 'string' ? state.store(module['api_name']) : undefined;
  if (store === undefined || !conversionsOf(parent.name).includes(store.name)) {
    return error(400, 'INVALID_DATA', MSG.invalidData, { api_name: 'api_name', json_path: `${path}.api_name`, supported_values: [...conversionsOf(parent.name)] });
  }
  const moduleId = module['id'];
  if (moduleId !== undefined && moduleId !== null && String(moduleId) !== String(store.def.meta.id)) {
    return error(400, 'INVALID_DATA', MSG.invalidData, { api_name: 'id', json_path: `${path}.id` });
  }
  const carry = first['carry_over_tags'];
  return { store, carryTags: typeof carry === 'boolean' ? carry : undefined };
}

const convertOne: SpecHandler = ({ state, req, params }) => {
  const parent = parentOf(state, params['module_api_name']);
  if ('status' in parent) return parent;
  const record = parent.records.get(params['id'] ?? '');
  if (record === undefined) return error(400, 'INVALID_DATA', MSG.invalidId, { resource_path_index: 1 });
  const data = isObj(req.json) ? req.json['data'] : undefined;
  const item: unknown = Array.isArray(data) ? data[0] : undefined;
  if (!isObj(item)) return error(400, 'MANDATORY_NOT_FOUND', MSG.mandatory, { api_name: 'data', json_path: '$.data' });
  const target = targetOf(state, parent, item, '$.data[0].');
  if ('status' in target) return target;
  // Zoho carries the parent's tags over unless told not to.
  const created = convertInventory(state, parent, record, target.store, { carryTags: target.carryTags ?? true }, req.userId);
  const ref = state.recordRef(created.id) ?? { name: null, id: created.id };
  return json(200, { data: [success('The record has been converted successfully', { [target.store.name]: ref })] });
};

const massConvert: SpecHandler = ({ state, req, params }) => {
  const parent = parentOf(state, params['module_api_name']);
  if ('status' in parent) return parent;
  const body = isObj(req.json) ? req.json : {};
  const ids = massConvertIds(body, () => error(400, 'LIMIT_EXCEEDED', MSG.limitExceeded, { limit: MAX_MASS_CONVERT_IDS, limit_due_to: [{ api_name: 'ids', json_path: '$.ids' }] }));
  if (!Array.isArray(ids)) return ids;
  const target = targetOf(state, parent, body, '$.');
  if ('status' in target) return target;
  let ownerId: string | undefined;
  if (body['assign_to'] !== undefined && body['assign_to'] !== null) {
    ownerId = lookupId(body['assign_to']);
    if (ownerId === undefined || state.user(ownerId) === undefined) return invalid('assign_to');
  }
  const related = moduleNames(state, body['related_modules'], 'related_modules');
  if ('bad' in related) return invalid(related.bad);
  let converted = 0;
  for (const id of ids) {
    const record = parent.records.get(id);
    if (record === undefined) continue;
    convertInventory(state, parent, record, target.store, { ...(ownerId === undefined ? {} : { ownerId }), carryTags: target.carryTags ?? false }, req.userId);
    if (ownerId !== undefined) reassignRelated(state, related, record.id, ownerId, req.userId);
    converted += 1;
  }
  const jobId = state.nextId();
  const failed = ids.length - converted;
  state.inventoryConvertJobs.add(jobId, { module: parent.name, counts: { total_count: ids.length, converted_count: converted, not_converted_count: 0, failed_count: failed, status: 'COMPLETED' } });
  return json(202, { code: 'SCHEDULED', message: 'Mass Convert scheduled successfully', status: 'success', details: { job_id: jobId } });
};

const jobStatus: SpecHandler = ({ state, req, params }) => {
  const parent = parentOf(state, params['module_api_name']);
  if ('status' in parent) return parent;
  const job = state.inventoryConvertJobs.get(req.query['job_id'] ?? '');
  if (job === undefined || job.module !== parent.name) return error(400, 'INVALID_DATA', MSG.invalidId, { param_name: 'job_id' });
  return json(200, { data: [job.counts] });
};

export const INVENTORY_CONVERT_BEHAVIOURS: [string, SpecHandler][] = [
  ['inventory_convert/Convert Inventory', convertOne],
  ['inventory_mass_convert/Mass Inventory Convert', massConvert],
  ['inventory_mass_convert/Get Scheduled Jobs Details', jobStatus],
];
