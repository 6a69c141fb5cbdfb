/**
 * Bulk read (wire spec §9.4): a job is ADDED on create and completes on its first status read; the
 * result is a zip holding `{job_id}.csv`. Bulk write lives in bulk-write.ts.
 */
import type { CrmRequest, EmuResponse } from '../http-types.js';
import type { CrmRecord } from '../seed/types.js';
import { bulkWriteRoute } from './bulk-write.js';
import { contentDisposition } from './files.js';
import { error, invalidData, invalidMethod, invalidUrl, json, MSG, paramMissing } from './responses.js';
import { covers } from './scopes.js';
import { isObject, type CrmState } from './state.js';
import type { BulkReadJob, ModuleStore } from './store-types.js';
import { writeCsv } from './csv.js';
import { zip } from './zip.js';

const BULK_PAGE = 200_000;

export function bulkRoutes(state: CrmState, req: CrmRequest): EmuResponse {
  const [kind, id, tail] = req.segments;
  const k = kind?.toLowerCase();
  if ((k !== 'read' && k !== 'write') || req.segments.length > 3) return invalidUrl();
  if (!covers(req.scopes, { kind: 'bulk', write: req.method === 'POST' })) return error(401, 'OAUTH_SCOPE_MISMATCH', MSG.scopeMismatch);
  if (k === 'write') return bulkWriteRoute(state, req, id, tail);
  if (id === undefined) return req.method === 'POST' ? createJob(state, req) : invalidMethod();
  if (req.method !== 'GET') return invalidMethod();
  const job = state.bulkReadJobs.get(id);
  if (job === undefined) return invalidData({ id }, MSG.invalidId);
  complete(state, job);
  if (tail === undefined) return json(200, { data: [jobView(job, req.version)] });
  if (tail !== 'result') return invalidUrl();
  const csv = Buffer.from(job.result?.csv ?? '', 'utf8');
  return {
    status: 200,
    headers: { 'Content-Type': 'application/zip', 'Content-Disposition': contentDisposition(`${job.id}.zip`) },
    body: zip([{ name: `${job.id}.csv`, data: csv }]),
  };
}

function createJob(state: CrmState, req: CrmRequest): EmuResponse {
  if (req.invalidBody || !isObject(req.json)) return invalidData();
  const query = req.json['query'];
  if (!isObject(query)) return paramMissing('query');
  const module = moduleName(query);
  if (module === '') return paramMissing('module');
  const store = state.store(module);
  if (store === undefined) return error(400, 'INVALID_MODULE', MSG.invalidModule);
  const fileType = typeof req.json['file_type'] === 'string' ? req.json['file_type'] : 'csv';
  const job: BulkReadJob = {
    id: state.nextId(),
    operation: 'read',
    state: 'ADDED',
    // A module named as an object (v8, Minified_Module) is answered as one, with its id; a name stays a name (v2).
    query: { ...query, module: isObject(query['module']) ? { api_name: store.name, id: String(store.def.meta.id) } : store.name },
    callback: req.json['callback'] ?? null,
    file_type: fileType,
    created_by: state.userRef(req.userId, false),
    created_time: state.nowString(),
  };
  state.bulkReadJobs.add(job);
  return json(201, {
    data: [
      {
        status: 'success',
        code: 'ADDED_SUCCESSFULLY',
        message: 'Added successfully.',
        details: { id: job.id, operation: 'read', state: 'ADDED', created_by: job.created_by, created_time: job.created_time },
      },
    ],
    info: {},
  });
}

/** The module a bulk read query names, by name (v2) or as `{api_name}` (v8); '' when it names none. */
function moduleName(query: Record<string, unknown>): string {
  const m = query['module'];
  return typeof m === 'string' ? m : isObject(m) ? String(m['api_name'] ?? '') : '';
}

function jobView(job: BulkReadJob, version: string): Record<string, unknown> {
  const view: Record<string, unknown> = {
    id: job.id,
    operation: job.operation,
    state: job.state,
    query: job.query,
    created_by: job.created_by,
    created_time: job.created_time,
    file_type: job.file_type,
  };
  if (job.result !== undefined) {
    view['result'] = {
      page: Number(job.query['page'] ?? 1),
      count: job.result.count,
      download_url: `/crm/bulk/${version}/read/${job.id}/result`,
      per_page: BULK_PAGE,
      more_records: false,
    };
  }
  return view;
}

function complete(state: CrmState, job: BulkReadJob): void {
  if (job.state === 'COMPLETED') return;
  const store = state.store(moduleName(job.query));
  if (store === undefined) {
    state.bulkReadJobs.complete(job.id, undefined);
    return;
  }
  const fieldsRaw = job.query['fields'];
  const fields = Array.isArray(fieldsRaw)
    ? fieldsRaw.map((f) => (isObject(f) ? String(f['api_name'] ?? '') : String(f))).filter((f) => f !== '' && f !== 'id' && f !== 'Id')
    : store.def.fields.map((f) => f.api_name);
  const criteria = job.query['criteria'];
  const page = Math.max(1, Number(job.query['page'] ?? 1) || 1);
  const rows: unknown[][] = [['Id', ...fields]];
  let index = 0;
  let count = 0;
  for (const r of store.records.values()) {
    if (r['$converted'] === true) continue;
    if (isObject(criteria) && !matchJsonCriteria(criteria, r, store)) continue;
    index += 1;
    if (index <= (page - 1) * BULK_PAGE || index > page * BULK_PAGE) continue;
    rows.push([r.id, ...fields.map((f) => r[f])]);
    count += 1;
  }
  state.bulkReadJobs.complete(job.id, { count, csv: writeCsv(rows) });
}

/** The JSON criteria of bulk read / custom views: `{group_operator, group}` or one `{api_name|field, comparator, value}`. */
export function matchJsonCriteria(c: Record<string, unknown>, r: CrmRecord, store: ModuleStore): boolean {
  if (Array.isArray(c['group'])) {
    const items = c['group'].filter(isObject);
    const or = String(c['group_operator'] ?? 'and').toLowerCase() === 'or';
    return or ? items.some((i) => matchJsonCriteria(i, r, store)) : items.every((i) => matchJsonCriteria(i, r, store));
  }
  const field = isObject(c['field']) ? String(c['field']['api_name'] ?? '') : String(c['api_name'] ?? c['field'] ?? '');
  const raw = field === 'id' ? r.id : r[field];
  const have = isObject(raw) ? String(raw['id'] ?? '') : raw === null || raw === undefined ? '' : String(raw);
  const values = (Array.isArray(c['value']) ? c['value'] : [c['value']]).map((v) => (isObject(v) ? String(v['id'] ?? '') : String(v ?? '')));
  const h = have.toLowerCase();
  const w = values.map((v) => v.toLowerCase());
  const num = (a: string, b: string): number => (Number.isFinite(Number(a)) && Number.isFinite(Number(b)) && a !== '' && b !== '' ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0);
  switch (String(c['comparator'] ?? 'equal')) {
    case 'equal':
    case 'in':
      return w.includes(h);
    case 'not_equal':
    case 'not_in':
      return !w.includes(h);
    case 'contains':
      return w.some((x) => h.includes(x));
    case 'not_contains':
      return !w.some((x) => h.includes(x));
    case 'starts_with':
      return w.some((x) => h.startsWith(x));
    case 'ends_with':
      return w.some((x) => h.endsWith(x));
    case 'greater_than':
      return num(h, w[0] ?? '') > 0;
    case 'greater_equal':
      return num(h, w[0] ?? '') >= 0;
    case 'less_than':
      return num(h, w[0] ?? '') < 0;
    case 'less_equal':
      return num(h, w[0] ?? '') <= 0;
    case 'between':
      return num(h, w[0] ?? '') >= 0 && num(h, w[1] ?? '') <= 0;
    case 'not_between':
      return !(num(h, w[0] ?? '') >= 0 && num(h, w[1] ?? '') <= 0);
    default:
      return false;
  }
}
