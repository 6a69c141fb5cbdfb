/**
 * Record routes (wire spec §5): list, get, insert, update, upsert, delete, deleted records, search,
 * convert and record tagging, each answering Zoho's exact envelopes and status codes.
 */
import type { CrmRequest, EmuResponse } from '../http-types.js';
import type { CrmRecord } from '../seed/types.js';
import {
  envelope,
  error,
  errorBody,
  invalidData,
  json,
  MSG,
  noContent,
  notModified,
  paramMissing,
  patternNotMatched,
  success,
  withJsonPath,
  type ItemResult,
} from './responses.js';
import { fieldsParam, targetIds, listFilter, listResponse, pageOf, paging, present, sinceHeader, sortParam, type Paging, type SortSpec } from './query.js';
import { searchMatcher } from './search.js';
import { has } from './versions.js';
import { matchJsonCriteria } from './bulk.js';
import { isObject, type CrmState, type ItemFailure } from './state.js';
import type { ModuleStore } from './store-types.js';

export const MAX_WRITE_RECORDS = 100;
const MAX_RECORD_TAGS = 10;

/** The `data` array of a write body, or the request-level error. */
export function dataItems(req: CrmRequest, max = MAX_WRITE_RECORDS): unknown[] | EmuResponse {
  if (req.invalidBody || !isObject(req.json)) return invalidData();
  const data = req.json['data'];
  if (!Array.isArray(data) || data.length === 0) return invalidData();
  if (data.length > max) {
    return error(400, 'LIMIT_EXCEEDED', MSG.limitExceeded, has('jsonPath', req.version) ? { limit: max, json_path: '$.data' } : { limit: max });
  }
  return data;
}

export function failure(f: ItemFailure, req: CrmRequest, index: number): ItemResult {
  const item = withJsonPath(f.error, req.version, index, f.key);
  return f.laterDetails !== undefined && has('jsonPath', req.version) ? { ...item, details: { ...item.details, ...f.laterDetails } } : item;
}

function mixed(state: CrmState): 207 | 202 {
  return state.options.mixedStatus;
}

// ---------------------------------------------------------------- reads

/**
 * The records a custom view shows (its criteria, converted leads left out), for the jobs that act on a view
 * (mass update, mass change owner); undefined when the module has no view with that id.
 */
export function recordsInView(store: ModuleStore, cvid: unknown): CrmRecord[] | undefined {
  const cv = store.def.customViews.find((c) => String(c['id']) === String(cvid));
  if (cv === undefined) return undefined;
  const criteria = cv['criteria'];
  return [...store.records.values()].filter((r) => r['$converted'] !== true && (!isObject(criteria) || matchJsonCriteria(criteria, r, store)));
}

export function listRecords(state: CrmState, store: ModuleStore, req: CrmRequest): EmuResponse {
  const fields = fieldsParam(req, store, 'records.list');
  if (isResponse(fields)) return fields;
  const p = paging(req);
  if (isResponse(p)) return p;
  let cvSort: SortSpec | undefined;
  const cvid = req.query['cvid'];
  if (cvid !== undefined) {
    const cv = store.def.customViews.find((c) => String(c['id']) === cvid);
    if (cv === undefined) return invalidData({ param_name: 'cvid' });
    if (typeof cv['sort_by'] === 'string' && cv['sort_by'] !== '') {
      cvSort = { by: cv['sort_by'], order: cv['sort_order'] === 'asc' ? 'asc' : 'desc' };
    }
  }
  const sort = sortParam(req, store, cvSort);
  if (isResponse(sort)) return sort;
  const { filter, since } = listFilter(req, store);
  let source: Iterable<CrmRecord> = store.records.values();
  const idsParam = req.query['ids'];
  if (idsParam !== undefined) {
    const ids = targetIds(req, undefined);
    if (isResponse(ids)) return ids;
    source = ids.map((id) => store.records.get(id)).filter((r): r is CrmRecord => r !== undefined);
  }
  const page = pageOf(source, filter, sort, p);
  return listResponse(req, page, p, fields, { since, sort, now: state.options.now() });
}

export function getRecord(store: ModuleStore, id: string, req: CrmRequest): EmuResponse {
  const fields = fieldsParam(req, store);
  if (isResponse(fields)) return fields;
  const record = store.records.get(id);
  if (record === undefined) return noContent();
  const since = sinceHeader(req);
  if (since !== undefined && (store.modifiedMs.get(id) ?? 0) <= since) return notModified();
  return json(200, { data: [present(record, fields)] });
}

export function deletedRecords(state: CrmState, store: ModuleStore, req: CrmRequest): EmuResponse {
  const type = (req.query['type'] ?? 'all').toLowerCase();
  if (type !== 'all' && type !== 'recycle' && type !== 'permanent') return patternNotMatched('type');
  const p = paging(req);
  if (isResponse(p)) return p;
  const all = store.deleted.filter((d) => type === 'all' || d.type === type).reverse();
  const items = all.slice(p.offset, p.offset + p.perPage);
  if (items.length === 0) return noContent();
  return json(200, { data: items, info: { per_page: p.perPage, count: items.length, page: p.page, more_records: all.length > p.offset + p.perPage } });
}

export function searchRecords(state: CrmState, store: ModuleStore, req: CrmRequest): EmuResponse {
  const match = searchMatcher(store, req);
  if (typeof match !== 'function') return match;
  const fields = fieldsParam(req, store);
  if (isResponse(fields)) return fields;
  const p = paging(req);
  if (isResponse(p)) return p;
  const { filter } = listFilter({ ...req, headers: {} }, store);
  const page = pageOf(store.records.values(), (r) => filter(r) && match(r), undefined, p);
  return listResponse(req, page, p, fields, { now: state.options.now() });
}

/**
 * `GET /{module}/actions/count` (v3+ Record Count, https://www.zoho.com/crm/developer/docs/api/v8/get-record-count.html):
 * `{"count": N}` of the live records, narrowed by `criteria` / `email` / `phone` / `word` when given.
 */
export function countRecords(store: ModuleStore, req: CrmRequest): EmuResponse {
  const q = req.query;
  const narrowed = ['criteria', 'email', 'phone', 'word'].some((k) => q[k] !== undefined && q[k] !== '');
  const match = narrowed ? searchMatcher(store, req) : (): boolean => true;
  if (typeof match !== 'function') return match;
  let count = 0;
  for (const r of store.records.values()) if (match(r)) count += 1;
  return json(200, { count });
}

// ---------------------------------------------------------------- writes

export function insertRecords(state: CrmState, store: ModuleStore, req: CrmRequest, extra?: (item: Record<string, unknown>) => void): EmuResponse {
  const data = dataItems(req);
  if (isResponse(data)) return data;
  const items = data.map((item, i) => {
    if (extra !== undefined && isObject(item)) extra(item);
    const out = state.insertItem(store, item, req.userId);
    return out.ok ? success('record added', state.writeDetails(out.record)) : failure(out, req, i);
  });
  return envelope(items, 201, req.version, mixed(state));
}

export function updateRecords(state: CrmState, store: ModuleStore, req: CrmRequest, pathId?: string): EmuResponse {
  const data = dataItems(req);
  if (isResponse(data)) return data;
  const items = data.map((item, i) => {
    const id = pathId ?? (isObject(item) ? item['id'] : undefined);
    if (typeof id !== 'string' && typeof id !== 'number') {
      return failure({ error: errorBody('MANDATORY_NOT_FOUND', MSG.mandatory, { api_name: 'id' }), key: 'id' }, req, i);
    }
    const out = state.updateItem(store, String(id), item, req.userId);
    return out.ok ? success('record updated', state.writeDetails(out.record)) : failure(out, req, i);
  });
  return envelope(items, 200, req.version, mixed(state));
}

export function upsertRecords(state: CrmState, store: ModuleStore, req: CrmRequest): EmuResponse {
  const data = dataItems(req);
  if (isResponse(data)) return data;
  const body = req.json as Record<string, unknown>;
  const given = body['duplicate_check_fields'];
  const checkFields =
    Array.isArray(given) && given.length > 0 ? given.map(String) : typeof given === 'string' && given !== '' ? given.split(',') : store.def.uniqueFields;
  const items = data.map((item, i) => {
    let match: CrmRecord | undefined;
    let matchedField: string | null = null;
    if (isObject(item)) {
      for (const f of checkFields) {
        match = state.findBy(store, f, item[f]);
        if (match !== undefined) {
          matchedField = f;
          break;
        }
      }
    }
    if (match !== undefined) {
      const out = state.updateItem(store, match.id, item, req.userId);
      return out.ok
        ? success('record updated', state.writeDetails(out.record), { duplicate_field: matchedField, action: 'update' })
        : failure(out, req, i);
    }
    const out = state.insertItem(store, item, req.userId);
    return out.ok ? success('record added', state.writeDetails(out.record), { duplicate_field: null, action: 'insert' }) : failure(out, req, i);
  });
  return envelope(items, 200, req.version, mixed(state));
}

export function deleteRecords(state: CrmState, store: ModuleStore, req: CrmRequest, pathId?: string): EmuResponse {
  const ids = targetIds(req, pathId);
  if (isResponse(ids)) return ids;
  const items = ids.map((id) =>
    state.deleteRecord(store, id, req.userId) ? success('record deleted', { id }) : errorBody('INVALID_DATA', 'record not deleted', { id }),
  );
  return envelope(items, 200, req.version, mixed(state));
}

// ---------------------------------------------------------------- convert

export function convertLead(state: CrmState, store: ModuleStore, id: string, req: CrmRequest): EmuResponse {
  const lead = store.records.get(id);
  if (lead === undefined) return invalidData({ id }, MSG.invalidId);
  let options: Record<string, unknown> = {};
  if (req.json !== undefined || req.invalidBody) {
    const data = dataItems(req, 1);
    if (isResponse(data)) return data;
    const first = data[0];
    if (!isObject(first)) return invalidData();
    options = first;
  }
  if (lead['$converted'] === true) return error(400, 'ID_ALREADY_CONVERTED', MSG.alreadyConverted);
  const out = state.convertLead(lead, options, req.userId);
  if (!out.ok) return json(400, failure(out, req, 0));
  if (has('wrappedConvert', req.version)) {
    const ref = (rid: string | null): unknown => (rid === null ? null : state.recordRef(rid) ?? { id: rid });
    return json(200, {
      data: [
        success('The record has been converted successfully', {
          Contacts: ref(out.Contacts),
          Accounts: ref(out.Accounts),
          Deals: ref(out.Deals),
        }),
      ],
    });
  }
  return json(200, { data: [{ Contacts: out.Contacts, Deals: out.Deals, Accounts: out.Accounts }] });
}

// ---------------------------------------------------------------- tags on records

function tagNames(req: CrmRequest): string[] {
  const fromQuery = (req.query['tag_names'] ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
  const body = req.json;
  const fromBody =
    isObject(body) && Array.isArray(body['tags'])
      ? body['tags'].map((t) => (isObject(t) ? String(t['name'] ?? '') : String(t))).filter((s) => s !== '')
      : [];
  return [...fromQuery, ...fromBody];
}

export function tagRecords(state: CrmState, store: ModuleStore, req: CrmRequest, action: 'add' | 'remove', pathId?: string): EmuResponse {
  const names = tagNames(req);
  if (names.length === 0) return paramMissing('tag_names');
  if (names.length > MAX_RECORD_TAGS) return error(400, 'LIMIT_EXCEEDED', MSG.limitExceeded, { limit: MAX_RECORD_TAGS, param_name: 'tag_names' });
  // v4+ (and the v8 SDK's NewTagRequestWrapper) send `ids` and `over_write` in the JSON body, v2 in the query.
  const body = isObject(req.json) ? req.json : {};
  const bodyIds = Array.isArray(body['ids']) ? body['ids'].map(String) : undefined;
  const ids = pathId === undefined && req.query['ids'] === undefined && bodyIds !== undefined && bodyIds.length > 0 ? bodyIds : targetIds(req, pathId);
  if (isResponse(ids)) return ids;
  if (ids.length > MAX_WRITE_RECORDS) return error(400, 'LIMIT_EXCEEDED', MSG.limitExceeded, { limit: MAX_WRITE_RECORDS, param_name: 'ids' });
  const overwrite = req.query['over_write'] === 'true' || body['over_write'] === true || body['over_write'] === 'true';
  const items = ids.map((id) => {
    const record = store.records.get(id);
    if (record === undefined) return errorBody('INVALID_DATA', MSG.invalidId, { id });
    const current = Array.isArray(record['Tag']) ? (record['Tag'] as { name: string; id: string }[]) : [];
    let next: { name: string; id: string }[];
    if (action === 'add') {
      next = withTags(state, store, overwrite ? [] : current, names, req.userId);
    } else {
      const drop = new Set(names.map((n) => n.toLowerCase()));
      next = current.filter((t) => !drop.has(t.name.toLowerCase()));
    }
    state.recordStore.setSystem(store, record, { Tag: next });
    const tags = has('tagObjects', req.version) ? next.map(({ name, id: tagId }) => ({ name, id: tagId })) : next.map((t) => t.name);
    return success('tags updated successfully', { id, tags });
  });
  const extra = pathId === undefined ? { locked_count: 0, success_count: items.filter((i) => i.status === 'success').length, wf_scheduler: false } : {};
  return envelope(items, 200, req.version, mixed(state), extra);
}

/** `current` tags plus the tags `names` (created in the module when it has none by that name). */
export function withTags(state: CrmState, store: ModuleStore, current: readonly { name: string; id: string }[], names: readonly string[], userId: string): { name: string; id: string }[] {
  const tags = state.tags.ofModule(store.name);
  const next = [...current];
  for (const n of names) {
    const tag = tags.get(n.toLowerCase()) ?? state.tags.create(store.name, n, userId);
    if (!next.some((t) => t.id === tag.id)) next.push({ name: tag.name, id: tag.id });
  }
  return next;
}

export function isResponse(v: unknown): v is EmuResponse {
  return isObject(v) && typeof v['status'] === 'number' && !Array.isArray(v);
}

export type { Paging };

// ---------------------------------------------------------------- mass update

/** `POST /{module}/actions/mass_update` (runs at once) and `GET …?job_id=` (wire spec §5.11). */
export function massUpdate(state: CrmState, store: ModuleStore, req: CrmRequest): EmuResponse {
  if (req.method === 'GET') {
    const jobId = req.query['job_id'];
    if (jobId === undefined || jobId === '') return paramMissing('job_id');
    const job = state.massUpdateJobs.get(jobId);
    return job === undefined ? invalidData({ job_id: jobId }, MSG.invalidId) : json(200, { data: [job] });
  }
  const data = dataItems(req, 1);
  if (isResponse(data)) return data;
  const values = data[0];
  if (!isObject(values)) return invalidData();
  const body = req.json as Record<string, unknown>;
  let targets: CrmRecord[];
  if (Array.isArray(body['ids'])) {
    targets = body['ids'].map((id) => store.records.get(String(id))).filter((r): r is CrmRecord => r !== undefined);
  } else if (body['cvid'] !== undefined) {
    const inView = recordsInView(store, body['cvid']);
    if (inView === undefined) return invalidData({ api_name: 'cvid' });
    targets = inView;
  } else return paramMissing('ids');
  let updated = 0;
  for (const r of targets) if (state.updateItem(store, r.id, values, req.userId).ok) updated += 1;
  const total = Array.isArray(body['ids']) ? body['ids'].length : targets.length;
  const jobId = state.nextId();
  state.massUpdateJobs.add(jobId, { Status: 'COMPLETED', Failed_Count: targets.length - updated, Updated_Count: updated, Not_Updated_Count: total - targets.length, Total_Count: total });
  return json(202, { data: [{ status: 'success', code: 'SUCCESS', message: 'Mass update scheduled successfully', details: { job_id: jobId } }] });
}
