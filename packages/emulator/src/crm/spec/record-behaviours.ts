/**
 * Record behaviours the OAS describes beyond plain CRUD: owner change (one record, several, and the mass
 * change-owner job), record locking (a locked record refuses updates), territories assigned to and removed
 * from records, external-id addressing (`X-EXTERNAL: {module}.{field}`), clone, mass delete, rich-text
 * full data, timelines from the emulator's own history, the recycle bin, and file-upload field downloads.
 */
import type { CrmRequest, EmuResponse } from '../../http-types.js';
import type { CrmRecord } from '../../seed/types.js';
import { error, errorBody, MSG, success, type ItemResult } from '../responses.js';
import { isObject, type CrmState } from '../state.js';
import type { ModuleStore } from '../store-types.js';
import { isObj, newId, reply, type SpecContext, type SpecHandler } from './context.js';
import { writeReply } from './generic.js';
import { recordsInView } from '../records.js';
import { matchJsonCriteria } from '../bulk.js';
import { downloadAttachment } from '../files.js';

/** The module store a request names in its first path parameter. */
export function moduleOf(ctx: SpecContext): ModuleStore | undefined {
  const name = Object.values(ctx.params)[0];
  return name === undefined ? undefined : ctx.state.store(name);
}

const invalidModule = (): EmuResponse => error(400, 'INVALID_MODULE', MSG.invalidModule);

/** The record a request names in its second path parameter (module first). */
function recordOf(ctx: SpecContext, store: ModuleStore): CrmRecord | undefined {
  const id = Object.values(ctx.params)[1];
  return id === undefined ? undefined : store.records.get(id);
}

function withRecord(fn: (ctx: SpecContext, store: ModuleStore, record: CrmRecord) => EmuResponse): SpecHandler {
  return (ctx) => {
    const store = moduleOf(ctx);
    if (store === undefined) return invalidModule();
    const record = recordOf(ctx, store);
    if (record === undefined) return error(400, 'INVALID_DATA', MSG.invalidId, { id: Object.values(ctx.params)[1] ?? '' });
    return fn(ctx, store, record);
  };
}

function body(ctx: SpecContext): Record<string, unknown> {
  return isObj(ctx.req.json) ? ctx.req.json : {};
}

function idsOf(value: unknown): string[] {
  if (typeof value === 'string') return value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (Array.isArray(value)) return value.map((v) => (isObject(v) ? String(v['id'] ?? '') : String(v))).filter((s) => s !== '');
  return [];
}

// ---------------------------------------------------------------- owner

function setOwner(ctx: SpecContext, store: ModuleStore, record: CrmRecord, ownerId: string): ItemResult {
  if (ctx.state.user(ownerId) === undefined) return errorBody('INVALID_DATA', MSG.invalidId, { api_name: 'owner', id: ownerId });
  if (isLocked(ctx, record.id)) return locked(record.id);
  record['Owner'] = ctx.state.userRef(ownerId);
  ctx.state.touch(store, record, ctx.req.userId);
  return success('owner updated successfully', { id: record.id });
}

function ownerIdOf(b: Record<string, unknown>): string | undefined {
  const o = b['owner'] ?? b['Owner'];
  if (isObject(o) && o['id'] !== undefined) return String(o['id']);
  return typeof o === 'string' ? o : undefined;
}

/** Change owner answers 202 with `{ data: [...] }` (the OAS's 200 replies are only its errors). */
const CHANGE_OWNER_STATUS = 202;

const changeOwnerOne = withRecord((ctx, store, record) => {
  const owner = ownerIdOf(body(ctx));
  if (owner === undefined) return error(400, 'MANDATORY_NOT_FOUND', MSG.mandatory, { api_name: 'owner', json_path: '$.owner' });
  return writeReply(ctx, [setOwner(ctx, store, record, owner)], CHANGE_OWNER_STATUS);
});

const changeOwnerMany: SpecHandler = (ctx) => {
  const store = moduleOf(ctx);
  if (store === undefined) return invalidModule();
  const b = body(ctx);
  const owner = ownerIdOf(b);
  if (owner === undefined) return error(400, 'MANDATORY_NOT_FOUND', MSG.mandatory, { api_name: 'owner', json_path: '$.owner' });
  const ids = idsOf(b['ids'] ?? b['data']);
  if (ids.length === 0) return error(400, 'MANDATORY_NOT_FOUND', MSG.mandatory, { api_name: 'ids', json_path: '$.ids' });
  const results = ids.map((id) => {
    const r = store.records.get(id);
    return r === undefined ? errorBody('INVALID_DATA', MSG.invalidId, { id }) : setOwner(ctx, store, r, owner);
  });
  return writeReply(ctx, results, CHANGE_OWNER_STATUS);
};

// ---------------------------------------------------------------- jobs (mass change owner, mass delete, mass convert)

interface Job {
  job_id: string;
  status: 'COMPLETED';
  total_count: number;
  updated_count: number;
  not_updated_count: number;
  failed_count: number;
}

function jobs(ctx: SpecContext): Record<string, Job> {
  return ctx.store.table<Record<string, Job>>('jobs', () => ({}));
}

function finishJob(ctx: SpecContext, results: ItemResult[]): Job {
  const ok = results.filter((r) => r.status === 'success').length;
  const job: Job = { job_id: newId(ctx.state), status: 'COMPLETED', total_count: results.length, updated_count: ok, not_updated_count: results.length - ok, failed_count: results.length - ok };
  jobs(ctx)[job.job_id] = job;
  return job;
}

/** Territory ids under `id` (itself first), through the org territories' `reporting_to`. */
function territoryAndChildren(ctx: SpecContext, id: string): Set<string> {
  const all = [...(ctx.store.collections.get('settings/territories')?.values() ?? [])];
  const out = new Set([id]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const t of all) {
      const parent = isObj(t['reporting_to']) ? String(t['reporting_to']['id'] ?? '') : '';
      if (out.has(parent) && !out.has(t.id)) {
        out.add(t.id);
        grew = true;
      }
    }
  }
  return out;
}

/** The json_path of the first condition in a criteria tree that names no field of the module, if any. */
function unknownCriteriaField(store: ModuleStore, node: Record<string, unknown>, path: string): string | undefined {
  if (Array.isArray(node['group'])) {
    for (const [i, child] of node['group'].entries()) {
      const bad = isObj(child) ? unknownCriteriaField(store, child, `${path}.group[${i}]`) : `${path}.group[${i}]`;
      if (bad !== undefined) return bad;
    }
    return undefined;
  }
  const field = isObj(node['field']) ? String(node['field']['api_name'] ?? '') : '';
  return field === 'id' || store.fields.has(field) ? undefined : `${path}.field`;
}

/**
 * The records a mass change owner acts on: those the custom view `cvid` shows (its criteria, as mass update
 * reads them), narrowed by the body's `criteria` (a condition or a group, evaluated as custom views and bulk
 * read evaluate theirs) and to a territory's records by the body's `territory` ({id, include_child}) when given.
 */
function massOwnerTargets(ctx: SpecContext, store: ModuleStore, b: Record<string, unknown>): CrmRecord[] | EmuResponse {
  const inView = recordsInView(store, b['cvid']);
  if (inView === undefined) return error(400, 'INVALID_DATA', MSG.invalidData, { api_name: 'cvid', json_path: '$.cvid' });
  const criteria = isObj(b['criteria']) ? b['criteria'] : undefined;
  const badField = criteria === undefined ? undefined : unknownCriteriaField(store, criteria, '$.criteria');
  if (badField !== undefined) return error(400, 'INVALID_DATA', MSG.invalidData, { api_name: 'criteria', json_path: badField });
  const territory = isObj(b['territory']) ? b['territory'] : undefined;
  const territories = territory === undefined ? undefined : territory['include_child'] === true ? territoryAndChildren(ctx, String(territory['id'])) : new Set([String(territory['id'])]);
  return inView.filter((r) => {
    if (criteria !== undefined && !matchJsonCriteria(criteria, r, store)) return false;
    if (territories === undefined) return true;
    return Array.isArray(r['Territories']) && r['Territories'].some((t) => isObj(t) && territories.has(String(t['id'])));
  });
}

const massChangeOwner: SpecHandler = (ctx) => {
  const store = moduleOf(ctx);
  if (store === undefined) return invalidModule();
  const b = body(ctx);
  const owner = ownerIdOf(b);
  if (owner === undefined) return error(400, 'MANDATORY_NOT_FOUND', MSG.mandatory, { api_name: 'owner', json_path: '$.owner' });
  if (ctx.state.user(owner) === undefined) return error(400, 'INVALID_DATA', MSG.invalidData, { api_name: 'owner', json_path: '$.owner' });
  const targets = massOwnerTargets(ctx, store, b);
  if (!Array.isArray(targets)) return targets;
  const job = finishJob(ctx, targets.map((r) => setOwner(ctx, store, r, owner)));
  return writeReply(ctx, [success('Mass change owner scheduled successfully', { job_id: job.job_id })]);
};

const jobStatus: SpecHandler = (ctx) => {
  const id = ctx.req.query['job_id'] ?? '';
  const job = jobs(ctx)[id];
  if (job === undefined) return error(400, 'INVALID_DATA', MSG.invalidId, { param_name: 'job_id', id });
  return reply(ctx, { data: [job] });
};

const massDelete: SpecHandler = (ctx) => {
  const store = moduleOf(ctx);
  if (store === undefined) return invalidModule();
  const ids = idsOf(body(ctx)['ids'] ?? ctx.req.query['ids']);
  if (ids.length === 0) return error(400, 'MANDATORY_NOT_FOUND', MSG.mandatory, { api_name: 'ids', json_path: '$.ids' });
  const results = ids.map((id) =>
    isLocked(ctx, id)
      ? locked(id)
      : ctx.state.deleteRecord(store, id, ctx.req.userId)
        ? success('record deleted', { id })
        : errorBody('INVALID_DATA', MSG.invalidId, { id }),
  );
  const job = finishJob(ctx, results);
  return writeReply(ctx, [success('Mass delete scheduled successfully', { job_id: job.job_id })]);
};

// ---------------------------------------------------------------- locking

interface Lock {
  id: string;
  record: string;
  module: string;
  locked_reason__s: string | null;
  locked_by__s: unknown;
  Locked_time__s: string;
  lock_source__s: string;
}

function locks(ctx: SpecContext): Record<string, Lock> {
  return ctx.store.table<Record<string, Lock>>('locks', () => ({}));
}

/** Whether a record is locked (a locked record refuses updates, deletes and owner changes). */
export function isLocked(ctx: SpecContext, recordId: string): boolean {
  return Object.values(locks(ctx)).some((l) => l.record === recordId);
}

function locked(id: string): ItemResult {
  return errorBody('RECORD_LOCKED', 'the record is locked', { id });
}

/** The lock reason a body gives: Zoho's field is `locked_reason__s`, its SDK writes `Locked_Reason__s`. */
function reasonOf(input: Record<string, unknown>): string | undefined {
  const key = Object.keys(input).find((k) => k.toLowerCase() === 'locked_reason__s');
  const value = key === undefined ? undefined : input[key];
  return typeof value === 'string' ? value : undefined;
}

const lockRecord = withRecord((ctx, store, record) => {
  const items = Array.isArray(body(ctx)['data']) ? (body(ctx)['data'] as unknown[]) : [{}];
  const results = items.map((raw) => {
    const input = isObj(raw) ? raw : {};
    if (isLocked(ctx, record.id)) return errorBody('ALREADY_LOCKED', 'record already locked', { id: record.id });
    const lock: Lock = {
      id: newId(ctx.state),
      record: record.id,
      module: store.name,
      locked_reason__s: reasonOf(input) ?? null,
      locked_by__s: ctx.state.userRef(ctx.req.userId, false),
      Locked_time__s: ctx.state.nowString(),
      lock_source__s: 'Manual',
    };
    locks(ctx)[lock.id] = lock;
    record['Locked__s'] = true;
    return success('record locked', { id: lock.id });
  });
  return writeReply(ctx, results);
});

function lockView(l: Lock): Record<string, unknown> {
  return { id: l.id, locked_reason__s: l.locked_reason__s, locked_by__s: l.locked_by__s, Locked_time__s: l.Locked_time__s, lock_source__s: l.lock_source__s, locked_for_s: { id: l.record } };
}

const listLocks = withRecord((ctx, _store, record) => {
  const mine = Object.values(locks(ctx)).filter((l) => l.record === record.id);
  return reply(ctx, { data: mine.map(lockView), info: { per_page: 200, count: mine.length, page: 1, more_records: false } });
});

function lockHandler(fn: (ctx: SpecContext, lock: Lock, record: CrmRecord) => EmuResponse): SpecHandler {
  return withRecord((ctx, _store, record) => {
    const lockId = Object.values(ctx.params)[2] ?? '';
    const lock = locks(ctx)[lockId];
    if (lock === undefined || lock.record !== record.id) return error(400, 'INVALID_DATA', MSG.invalidId, { id: lockId });
    return fn(ctx, lock, record);
  });
}

const getLock = lockHandler((ctx, lock) => reply(ctx, { data: [lockView(lock)] }));
const updateLock = lockHandler((ctx, lock) => {
  const first = Array.isArray(body(ctx)['data']) ? (body(ctx)['data'] as unknown[])[0] : undefined;
  const reason = isObj(first) ? reasonOf(first) : undefined;
  if (reason !== undefined) lock.locked_reason__s = reason;
  return writeReply(ctx, [success('record lock updated', { id: lock.id })]);
});
const unlock = lockHandler((ctx, lock, record) => {
  delete locks(ctx)[lock.id];
  if (!isLocked(ctx, record.id)) record['Locked__s'] = false;
  return writeReply(ctx, [success('record unlocked', { id: lock.id })]);
});

/** RECORD_LOCKED for a record update or delete through the hand-written routes, else undefined. */
export function lockedRefusal(ctx: SpecContext): EmuResponse | undefined {
  const ids = new Set<string>();
  const pathId = Object.values(ctx.params)[1];
  if (pathId !== undefined) ids.add(pathId);
  for (const id of idsOf(ctx.req.query['ids'])) ids.add(id);
  const data = body(ctx)['data'];
  if (Array.isArray(data)) for (const d of data) if (isObj(d) && d['id'] !== undefined) ids.add(String(d['id']));
  const hit = [...ids].find((id) => isLocked(ctx, id));
  return hit === undefined ? undefined : error(400, 'RECORD_LOCKED', 'the record is locked', { id: hit });
}

// ---------------------------------------------------------------- territories on records

function territoryRefs(ctx: SpecContext, input: Record<string, unknown>): { id: string; name: unknown }[] {
  const list = Array.isArray(input['Territories']) ? input['Territories'] : [];
  const known = ctx.store.collections.get('settings/territories');
  return list.filter(isObj).map((t) => {
    const id = String(t['id'] ?? '');
    return { id, name: known?.get(id)?.['name'] ?? t['name'] ?? null };
  });
}

function territoriesOn(ctx: SpecContext, store: ModuleStore, items: unknown[], add: boolean): ItemResult[] {
  return items.map((raw) => {
    const input = isObj(raw) ? raw : {};
    const id = String(input['id'] ?? Object.values(ctx.params)[1] ?? '');
    const record = store.records.get(id);
    if (record === undefined) return errorBody('INVALID_DATA', MSG.invalidId, { id });
    const given = territoryRefs(ctx, input);
    const current = Array.isArray(record['Territories']) ? (record['Territories'] as { id: string }[]) : [];
    record['Territories'] = add
      ? [...current.filter((c) => !given.some((g) => g.id === c.id)), ...given]
      : current.filter((c) => !given.some((g) => g.id === c.id));
    ctx.state.touch(store, record, ctx.req.userId);
    return success(add ? 'territories assigned successfully' : 'territories removed successfully', { id });
  });
}

function territoryHandler(add: boolean): SpecHandler {
  return (ctx) => {
    const store = moduleOf(ctx);
    if (store === undefined) return invalidModule();
    const data = Array.isArray(body(ctx)['data']) ? (body(ctx)['data'] as unknown[]) : [body(ctx)];
    return writeReply(ctx, territoriesOn(ctx, store, data, add));
  };
}

// ---------------------------------------------------------------- clone, rich text, timeline

const cloneRecord = withRecord((ctx, store, record) => {
  // A clone copies the record's fields but not its unique values (those would be duplicates).
  const input: Record<string, unknown> = {};
  const unique = new Set(store.uniqueFields.map((f) => f.api_name));
  for (const [k, v] of Object.entries(record)) if (store.fields.has(k) && !unique.has(k)) input[k] = v;
  const overrides = Array.isArray(body(ctx)['data']) ? (body(ctx)['data'] as unknown[])[0] : undefined;
  if (isObj(overrides)) Object.assign(input, overrides);
  const out = ctx.state.insertItem(store, input, ctx.req.userId);
  if (!out.ok) return { status: 400, json: { data: [out.error] } };
  return writeReply(ctx, [success('record added', ctx.state.writeDetails(out.record))], 201);
});

const richText = (ctx: SpecContext): EmuResponse => {
  const store = moduleOf(ctx);
  if (store === undefined) return invalidModule();
  const pathId = Object.values(ctx.params)[1];
  const ids = pathId !== undefined ? [pathId] : idsOf(ctx.req.query['ids']);
  const fields = idsOf(ctx.req.query['fields']);
  const rows = ids.flatMap((id) => {
    const r = store.records.get(id);
    if (r === undefined) return [];
    const row: Record<string, unknown> = { id };
    for (const f of fields.length > 0 ? fields : [...store.fields.keys()]) if (r[f] !== undefined) row[f] = r[f];
    return [row];
  });
  return rows.length === 0 && ctx.op.responses['204'] !== undefined ? { status: 204 } : reply(ctx, { data: rows });
};

/** Related records of a record in the recycle bin: the notes still naming it as their parent. */
const deletedParentRelated: SpecHandler = (ctx) => {
  const store = moduleOf(ctx);
  if (store === undefined) return invalidModule();
  const [, recordId = '', relation = ''] = Object.values(ctx.params);
  if (!store.deleted.some((d) => d.id === recordId)) return error(400, 'INVALID_DATA', MSG.invalidId, { id: recordId });
  const related = ctx.state.store(relation);
  const rows = [...(related?.records.values() ?? [])].filter((r) => isObject(r['Parent_Id']) && r['Parent_Id']['id'] === recordId);
  return reply(ctx, { data: rows, info: { per_page: 200, count: rows.length, page: 1, more_records: false } });
};

const timeline = withRecord((ctx, store, record) => {
  const by = record['Created_By'];
  const entries: Record<string, unknown>[] = [
    { action: 'added', audited_time: record['Created_Time'], done_by: by, record: { id: record.id, name: ctx.state.displayName(store, record), module: { api_name: store.name, id: store.def.meta.id } }, source: 'crm_api', id: `${record.id}1` },
  ];
  if (record['Modified_Time'] !== record['Created_Time']) {
    entries.push({ action: 'updated', audited_time: record['Modified_Time'], done_by: record['Modified_By'], record: { id: record.id, name: ctx.state.displayName(store, record), module: { api_name: store.name, id: store.def.meta.id } }, source: 'crm_api', id: `${record.id}2` });
  }
  return reply(ctx, { __timeline: entries.reverse(), info: { per_page: 200, count: entries.length, page: 1, more_records: false } });
});

// ---------------------------------------------------------------- recycle bin

/** Recycle-bin entries deleted for good (the record store keeps the bin; this table what was purged from it). */
function purged(ctx: SpecContext): Record<string, true> {
  return ctx.store.table<Record<string, true>>('purged', () => ({}));
}

const recycleBin: SpecHandler = (ctx) => {
  const moduleName = ctx.req.query['module'];
  const stores = moduleName === undefined ? ctx.state.stores() : [ctx.state.store(moduleName)].filter((s): s is ModuleStore => s !== undefined);
  const gone = purged(ctx);
  const rows = stores.flatMap((s) =>
    s.deleted.filter((d) => d.type === 'recycle' && gone[d.id] === undefined).map((d) => ({ id: d.id, display_name: d.display_name, deleted_by: d.deleted_by, deleted_time: d.deleted_time, module: { api_name: s.name, id: s.def.meta.id }, owner: d.created_by })),
  );
  const pathId = Object.values(ctx.params)[0];
  if (ctx.req.method === 'GET') {
    const hit = pathId === undefined ? rows : rows.filter((r) => r.id === pathId);
    return hit.length === 0 ? { status: 204 } : reply(ctx, { recycle_bin: hit, info: { per_page: 200, count: hit.length, page: 1, more_records: false } });
  }
  const ids = pathId !== undefined ? [pathId] : idsOf(ctx.req.query['ids']);
  const results = ids.map((id) => {
    if (!rows.some((r) => r.id === id)) return errorBody('INVALID_DATA', MSG.invalidId, { id });
    gone[id] = true;
    return success('record deleted permanently', { id });
  });
  return writeReply(ctx, results);
};

/** Rewrites an external-id request to the record's id (`X-EXTERNAL: Leads.External_Id`), for the record routes. */
export function resolveExternal(state: CrmState, req: CrmRequest, params: Record<string, string>): CrmRequest | EmuResponse {
  const header = req.headers['x-external'];
  const spec = Array.isArray(header) ? header[0] : header;
  const [moduleName, field] = String(spec ?? '').split('.');
  const store = state.store(moduleName ?? '');
  if (store === undefined || field === undefined || !store.fields.has(field)) {
    return error(400, 'INVALID_DATA', 'the external field given seems to be invalid', { param_name: 'X-EXTERNAL' });
  }
  const values = Object.values(params);
  const external = values[1];
  const record = external === undefined ? undefined : state.findBy(store, field, external);
  if (record === undefined) return error(400, 'INVALID_DATA', MSG.invalidId, { id: external ?? '' });
  const segments = [...req.segments];
  segments[1] = record.id;
  return { ...req, segments };
}

// ---------------------------------------------------------------- field attachments

/** A file of a record's file-upload field, by `fields_attachment_id`: the record's file itself (binary with its name), as Zoho sends it. */
const fieldAttachment = withRecord((ctx, store, record) => downloadAttachment(ctx.state, store, record.id, String(ctx.req.query['fields_attachment_id'] ?? '')));

export const RECORD_BEHAVIOURS: [string, SpecHandler][] = [
  ['field_attachments/Get Field Attachments', fieldAttachment],
  ['change_owner/Single Update', changeOwnerOne],
  ['change_owner/Mass Update', changeOwnerMany],
  ['mass_change_owner/Change Owner', massChangeOwner],
  ['mass_change_owner/Check Status', jobStatus],
  ['mass_delete_cvid/Mass Delete By Record Id', massDelete],
  ['mass_delete_cvid/Get Mass Delete Status', jobStatus],
  ['record_locking/Lock Records', lockRecord],
  ['record_locking/Get Record Locking Informations', listLocks],
  ['record_locking/Get Record Locking Information', getLock],
  ['record_locking/Update Record Locking Information', updateLock],
  ['record_locking/Unlock Record', unlock],
  ['record/Assign Territories To Multiple Records', territoryHandler(true)],
  ['record/Assign Territory to Record', territoryHandler(true)],
  ['record/Remove Territories From Multiple Records', territoryHandler(false)],
  ['record/Remove Territories From Record', territoryHandler(false)],
  ['record/Clone Record', cloneRecord],
  ['record/Get Full Data For Rich Text', richText],
  ['record/Get Rich Text Records', richText],
  ['fetch_full_data/Get Rich Text Record', richText],
  ['fetch_full_data/Get Rich Text Records', richText],
  ['timelines/Get Timelines', timeline],
  ['related_records/Get Deleted Parent Records Related Record', deletedParentRelated],
  ['recycle_bin/Get RecycleBin Records', recycleBin],
  ['recycle_bin/Get RecycleBin Record', recycleBin],
  ['recycle_bin/Delete RecycleBin Records', recycleBin],
  ['recycle_bin/Delete RecycleBin Record', recycleBin],
];
