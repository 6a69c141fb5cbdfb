/**
 * Lead mass convert (`/crm/v8/Leads/actions/mass_convert`): up to 50 leads converted by the single-record
 * conversion (../convert.ts) with one optional deal, owner (`assign_to`), tags carried to the new records
 * (`carry_over_tags`), owners of related activities changed (`related_modules`) and attachments moved
 * (`move_attachments_to`). The job runs at once; `GET ?job_id=` reports its counts.
 */
import type { CrmRecord } from '../../seed/types.js';
import { lookupId } from '../fields.js';
import { withTags } from '../records.js';
import { error, MSG } from '../responses.js';
import type { CrmState } from '../state.js';
import { isObj, type SpecHandler } from './context.js';

/** Zoho's limit of leads per mass-convert call. */
export const MAX_MASS_CONVERT_IDS = 50;

/** Modules a lead converts into: where tags can be carried and attachments moved. */
const CONVERTED_MODULES = ['Contacts', 'Accounts', 'Deals'] as const;
type ConvertedModule = (typeof CONVERTED_MODULES)[number];

interface Options {
  ids: string[];
  assignTo: string | undefined;
  deal: Record<string, unknown> | undefined;
  carryTagsTo: ConvertedModule[];
  relatedModules: string[];
  moveAttachmentsTo: ConvertedModule | undefined;
}

/** INVALID_DATA naming the body key at fault. */
export const invalid = (key: string, extra: Record<string, unknown> = {}): ReturnType<typeof error> =>
  error(400, 'INVALID_DATA', MSG.invalidData, { api_name: key, json_path: `$.${key}`, ...extra });

/** The api names of `[{api_name}]` module references, or the key they are wrong at. */
export function moduleNames(state: CrmState, value: unknown, key: string, allowed?: readonly string[]): string[] | { bad: string } {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  const out: string[] = [];
  for (const [i, m] of list.entries()) {
    const name = isObj(m) && typeof m['api_name'] === 'string' ? state.store(m['api_name'])?.name : undefined;
    if (name === undefined || (allowed !== undefined && !allowed.includes(name))) return { bad: Array.isArray(value) ? `${key}[${i}]` : key };
    out.push(name);
  }
  return out;
}

/** The distinct record ids of a mass-convert body (`ids`, at most 50), or its refusal (`tooMany` past the limit). */
export function massConvertIds(body: Record<string, unknown>, tooMany: () => ReturnType<typeof error>): string[] | ReturnType<typeof error> {
  const raw = body['ids'];
  if (raw === undefined || (Array.isArray(raw) && raw.length === 0)) return error(400, 'MANDATORY_NOT_FOUND', MSG.mandatory, { api_name: 'ids', json_path: '$.ids' });
  if (!Array.isArray(raw) || raw.some((id) => typeof id !== 'string' && typeof id !== 'number')) return invalid('ids', { expected_data_type: 'jsonarray' });
  if (raw.length > MAX_MASS_CONVERT_IDS) return tooMany();
  return [...new Set(raw.map(String))];
}

function parse(state: CrmState, body: Record<string, unknown>): Options | ReturnType<typeof error> {
  const ids = massConvertIds(body, () => invalid('ids', { limit: MAX_MASS_CONVERT_IDS }));
  if (!Array.isArray(ids)) return ids;
  let assignTo: string | undefined;
  if (body['assign_to'] !== undefined && body['assign_to'] !== null) {
    assignTo = lookupId(body['assign_to']);
    if (assignTo === undefined || state.user(assignTo) === undefined) return invalid('assign_to');
  }
  const deal = body['Deals'];
  if (deal !== undefined && deal !== null && !isObj(deal)) return invalid('Deals', { expected_data_type: 'jsonobject' });
  const tags = moduleNames(state, body['carry_over_tags'], 'carry_over_tags', CONVERTED_MODULES);
  if ('bad' in tags) return invalid(tags.bad);
  const related = moduleNames(state, body['related_modules'], 'related_modules');
  if ('bad' in related) return invalid(related.bad);
  const move = moduleNames(state, body['move_attachments_to'], 'move_attachments_to', CONVERTED_MODULES);
  if ('bad' in move) return invalid(move.bad);
  return {
    ids,
    assignTo,
    deal: isObj(deal) ? deal : undefined,
    carryTagsTo: tags as ConvertedModule[],
    relatedModules: related,
    moveAttachmentsTo: move[0] as ConvertedModule | undefined,
  };
}

/** Gives the records of `modules` linked to `parentId` (What_Id, Who_Id, Parent_Id) to `owner`. */
export function reassignRelated(state: CrmState, modules: readonly string[], parentId: string, owner: string, userId: string): void {
  for (const module of modules) {
    const store = state.requireStore(module);
    for (const r of store.records.values()) {
      const linked = ['What_Id', 'Who_Id', 'Parent_Id'].some((k) => isObj(r[k]) && (r[k] as Record<string, unknown>)['id'] === parentId);
      if (linked) state.recordStore.overwrite(store, r, { Owner: state.userRef(owner) }, userId);
    }
  }
}

/** Converts one lead with the job's options; false when it cannot be converted. */
function convertOne(state: CrmState, lead: CrmRecord, o: Options, userId: string): boolean {
  if (lead['$converted'] === true) return false;
  const tags = Array.isArray(lead['Tag']) ? (lead['Tag'] as { name: string }[]).map((t) => t.name) : [];
  const out = state.convertLead(lead, { ...(o.assignTo === undefined ? {} : { assign_to: o.assignTo }), ...(o.deal === undefined ? {} : { Deals: o.deal }) }, userId);
  if (!out.ok) return false;
  for (const module of o.carryTagsTo) {
    const store = state.requireStore(module);
    const record = out[module] === null ? undefined : store.records.get(out[module]);
    if (record === undefined || tags.length === 0) continue;
    const current = Array.isArray(record['Tag']) ? (record['Tag'] as { name: string; id: string }[]) : [];
    state.recordStore.setSystem(store, record, { Tag: withTags(state, store, current, tags, userId) });
  }
  reassignRelated(state, o.relatedModules, lead.id, out.ownerId, userId);
  const target = o.moveAttachmentsTo === undefined ? null : out[o.moveAttachmentsTo];
  const ref = target === null || target === out.Contacts ? undefined : state.recordRef(target);
  if (ref !== undefined && o.moveAttachmentsTo !== undefined) state.attachments.reparent(out.Contacts, o.moveAttachmentsTo, ref);
  return true;
}

const massConvert: SpecHandler = ({ state, req }) => {
  const options = parse(state, isObj(req.json) ? req.json : {});
  if (!('ids' in options)) return options;
  const leads = state.requireStore('Leads');
  let converted = 0;
  for (const id of options.ids) {
    const lead = leads.records.get(id);
    if (lead !== undefined && convertOne(state, lead, options, req.userId)) converted += 1;
  }
  const jobId = state.nextId();
  state.massConvertJobs.add(jobId, { Status: 'COMPLETED', Failed_Count: options.ids.length - converted, Not_Converted_Count: 0, Total_Count: options.ids.length, Converted_Count: converted });
  return { status: 200, json: { code: 'SCHEDULED', message: 'mass convert scheduled successfully', status: 'success', details: { job_id: jobId } } };
};

const jobStatus: SpecHandler = ({ state, req }) => {
  const id = req.query['job_id'] ?? '';
  const job = state.massConvertJobs.get(id);
  if (job === undefined) return error(400, 'INVALID_DATA', MSG.invalidId, { param_name: 'job_id' });
  return { status: 200, json: { data: [job] } };
};

export const MASS_CONVERT_BEHAVIOURS: [string, SpecHandler][] = [
  ['mass_convert/Mass Convert', massConvert],
  ['mass_convert/Get Job Status', jobStatus],
];
