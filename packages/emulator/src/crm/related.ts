/**
 * Related records (wire spec §7.1) and a record's Notes (§7.2): a related list is either a lookup in the
 * related module pointing back at the parent (Accounts → Contacts) or a many-to-many link kept by the state
 * (Leads ↔ Products).
 */
import type { CrmRequest, EmuResponse } from '../http-types.js';
import type { CrmRecord } from '../seed/types.js';
import { envelope, errorBody, invalidData, invalidMethod, MSG, noContent, paramMissing, success } from './responses.js';
import { has, missingParam } from './versions.js';
import { fieldsParam, targetIds, listResponse, pageOf, paging } from './query.js';
import { dataItems, failure, insertRecords, isResponse } from './records.js';
import { isObject, type CrmState } from './state.js';
import type { ModuleStore } from './store-types.js';

const ACTIVITY_MODULES = ['Tasks', 'Events', 'Calls'];
const PARENT_KEYS = ['Parent_Id', 'What_Id', 'Who_Id'];

/** A related list: its api name and the module(s) its records live in. */
export interface Relation {
  apiName: string;
  targets: ModuleStore[];
}

function moduleOfEntry(entry: Record<string, unknown>): string | undefined {
  const m = entry['module'];
  if (typeof m === 'string') return m;
  if (isObject(m) && typeof m['api_name'] === 'string') return m['api_name'];
  return undefined;
}

/** Resolves a related-list api name of a module; undefined when the module has no such list. */
export function resolveRelation(state: CrmState, store: ModuleStore, name: string): Relation | undefined {
  const lower = name.toLowerCase();
  const entry = store.def.relatedLists.find((r) => String(r['api_name'] ?? '').toLowerCase() === lower);
  const apiName = entry === undefined ? name : String(entry['api_name']);
  if (lower === 'activities') {
    const targets = ACTIVITY_MODULES.map((m) => state.store(m)).filter((s): s is ModuleStore => s !== undefined);
    return { apiName, targets };
  }
  const targetName = (entry === undefined ? undefined : moduleOfEntry(entry)) ?? name;
  const target = state.store(targetName);
  if (target === undefined) return undefined;
  if (entry === undefined && store.def.relatedLists.length > 0 && !pointsAt(target, store) && target.name !== 'Notes') {
    // A module that is neither listed nor linked by a lookup is not a related list of this module.
    const linkable = ['Products', 'Campaigns', 'Price_Books', 'Contacts', 'Leads', 'Deals', 'Vendors', 'Cases', 'Solutions'];
    if (!linkable.includes(target.name)) return undefined;
  }
  return { apiName, targets: [target] };
}

/** The lookup field of `target` that points at records of `parent`, if any. */
function pointsAt(target: ModuleStore, parent: ModuleStore): string | undefined {
  for (const f of target.lookupFields) {
    const m = isObject(f.lookup) ? f.lookup['module'] : undefined;
    const name = typeof m === 'string' ? m : isObject(m) ? String(m['api_name'] ?? '') : '';
    if (name.toLowerCase() === parent.name.toLowerCase()) return f.api_name;
  }
  return undefined;
}

function relatesTo(target: ModuleStore, record: CrmRecord, parentId: string): boolean {
  for (const f of target.lookupFields) {
    const v = record[f.api_name];
    if (isObject(v) && v['id'] === parentId) return true;
  }
  for (const k of PARENT_KEYS) {
    const v = record[k];
    if (isObject(v) && v['id'] === parentId) return true;
  }
  return false;
}

function linked(state: CrmState, parentId: string, target: ModuleStore): Set<string> {
  return state.links.linkedTo(parentId, target.name);
}

export function relatedRoute(
  state: CrmState,
  store: ModuleStore,
  id: string,
  relation: Relation,
  req: CrmRequest,
  relatedId?: string,
): EmuResponse {
  switch (req.method) {
    case 'GET':
      return listRelated(state, store, id, relation, req);
    case 'POST':
      if (relation.targets[0]?.name === 'Notes' && relatedId === undefined) return addNotes(state, store, id, req);
      return invalidMethod();
    case 'PUT':
      return relate(state, store, id, relation, req, relatedId);
    case 'DELETE':
      return unrelate(state, store, id, relation, req, relatedId);
    default:
      return invalidMethod();
  }
}

/** The records of a related list of the record `id`: those linked to it, and those whose lookup points at it. */
export function relatedRecords(state: CrmState, id: string, relation: Relation): CrmRecord[] {
  const out: CrmRecord[] = [];
  for (const target of relation.targets) {
    const links = linked(state, id, target);
    for (const r of target.records.values()) if (links.has(r.id) || relatesTo(target, r, id)) out.push(r);
  }
  return out;
}

function listRelated(state: CrmState, store: ModuleStore, id: string, relation: Relation, req: CrmRequest): EmuResponse {
  const first = relation.targets[0];
  const missing = missingParam(first?.name === 'Notes' ? 'notes.list' : 'related.list', req);
  if (missing !== undefined) return paramMissing(missing);
  if (!store.records.has(id)) return noContent();
  const p = paging(req);
  if (isResponse(p)) return p;
  const fields = first === undefined || relation.targets.length > 1 ? undefined : fieldsParam(req, first);
  if (isResponse(fields)) return fields;
  const page = pageOf(relatedRecords(state, id, relation), () => true, undefined, p);
  return listResponse(req, page, p, fields, { now: state.options.now() });
}

function addNotes(state: CrmState, store: ModuleStore, id: string, req: CrmRequest): EmuResponse {
  const notes = state.store('Notes');
  if (notes === undefined) return invalidData();
  if (!store.records.has(id)) return invalidData({ id }, MSG.invalidId);
  return insertRecords(state, notes, req, (item) => {
    item['Parent_Id'] = id;
    item['$se_module'] = store.name;
  });
}

function relate(state: CrmState, store: ModuleStore, id: string, relation: Relation, req: CrmRequest, relatedId?: string): EmuResponse {
  const target = relation.targets[0];
  if (target === undefined || relation.targets.length > 1) return invalidData({}, 'The relation name given seems to be invalid');
  if (!store.records.has(id)) return invalidData({ id }, MSG.invalidId);
  let items: unknown[];
  if (relatedId !== undefined) {
    const body = req.json === undefined ? [{}] : dataItems(req);
    if (isResponse(body)) return body;
    items = body.map((b) => ({ ...(isObject(b) ? b : {}), id: relatedId }));
  } else {
    const body = dataItems(req);
    if (isResponse(body)) return body;
    items = body;
  }
  const lookup = pointsAt(target, store);
  const message = has('newMessages', req.version) ? 'record updated' : 'relation added';
  const results = items.map((item, i) => {
    const rid = isObject(item) ? item['id'] : undefined;
    if (typeof rid !== 'string' || !target.records.has(rid)) {
      return errorBody('INVALID_DATA', MSG.invalidRelatedId, { id: typeof rid === 'string' ? rid : null });
    }
    if (lookup !== undefined) {
      const out = state.updateItem(target, rid, { [lookup]: { id } }, req.userId);
      if (!out.ok) return failure(out, req, i);
    } else {
      const fields: Record<string, unknown> = { ...(item as Record<string, unknown>) };
      delete fields['id'];
      state.links.link(store.name, id, target.name, rid, fields);
    }
    return success(message, { id: rid });
  });
  return envelope(results, 200, req.version, state.options.mixedStatus);
}

function unrelate(state: CrmState, store: ModuleStore, id: string, relation: Relation, req: CrmRequest, relatedId?: string): EmuResponse {
  const target = relation.targets[0];
  if (target === undefined || relation.targets.length > 1) return invalidData({}, 'The relation name given seems to be invalid');
  const ids = targetIds(req, relatedId);
  if (isResponse(ids)) return ids;
  const lookup = pointsAt(target, store);
  const message = has('newMessages', req.version) ? 'record deleted' : 'relation removed';
  const results = ids.map((rid) => {
    const rec = target.records.get(rid);
    if (rec === undefined) return errorBody('INVALID_DATA', MSG.invalidRelatedId, { id: rid });
    if (state.links.unlink(id, rid)) return success(message, { id: rid });
    if (target.name === 'Notes') {
      const parent = rec['Parent_Id'];
      if (!isObject(parent) || parent['id'] !== id) return errorBody('INVALID_DATA', MSG.invalidRelatedId, { id: rid });
      state.deleteRecord(target, rid, req.userId);
      return success(message, { id: rid });
    }
    if (lookup !== undefined && isObject(rec[lookup]) && (rec[lookup] as Record<string, unknown>)['id'] === id) {
      const out = state.updateItem(target, rid, { [lookup]: null }, req.userId);
      return out.ok ? success(message, { id: rid }) : errorBody(out.error.code, out.error.message, out.error.details);
    }
    return errorBody('INVALID_DATA', MSG.invalidRelatedId, { id: rid });
  });
  return envelope(results, 200, req.version, state.options.mixedStatus);
}
