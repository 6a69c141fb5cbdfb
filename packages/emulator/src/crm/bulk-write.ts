/**
 * Bulk write (wire spec §9.4): `POST /crm/{v}/upload` takes a zipped CSV (headers `feature: bulk-write` and
 * `X-CRM-ORG`), `POST /crm/bulk/{v}/write` creates a job that runs on its first status read, and the result
 * is a zipped CSV with STATUS, RECORD_ID and ERRORS columns appended.
 */
import type { CrmRequest, EmuResponse } from '../http-types.js';
import type { CrmRecord } from '../seed/types.js';
import { contentDisposition } from './files.js';
import { error, invalidData, invalidMethod, invalidUrl, json, MSG, paramMissing } from './responses.js';
import { covers } from './scopes.js';
import { isObject, type CrmState } from './state.js';
import type { ModuleStore } from './store-types.js';
import { readCsv, writeCsv } from './csv.js';
import type { BulkWriteJob } from './stores/bulk-write-jobs.js';
import { unzip, zip } from './zip.js';

export type { BulkWriteJob };

function header(req: CrmRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** `POST /crm/{version}/upload`. */
export function uploadRoute(state: CrmState, req: CrmRequest): EmuResponse {
  if (req.method !== 'POST') return invalidMethod();
  if (!covers(req.scopes, { kind: 'bulk', write: true })) return error(401, 'OAUTH_SCOPE_MISMATCH', MSG.scopeMismatch);
  const org = String(state.seedData.org['zgid'] ?? state.seedData.org['id'] ?? '');
  if (header(req, 'feature') !== 'bulk-write' || header(req, 'x-crm-org') !== org) {
    return {
      status: 400,
      headers: { 'x-error': 'check if headers [feature:X-CRM-ORG] are present and valid' },
      json: { code: 'INVALID_REQUEST', details: {}, message: 'invalid request', status: 'error' },
    };
  }
  const file = req.files.find((f) => f.field === 'file') ?? req.files[0];
  if (file === undefined) return paramMissing('file');
  const entries = unzip(file.data);
  if (entries === undefined || !entries.some((e) => e.name.toLowerCase().endsWith('.csv'))) {
    return invalidData({}, 'the uploaded file should be a zip holding a CSV file');
  }
  const fileId = state.nextId();
  const createdTime = state.nowString();
  state.uploads.add(fileId, { name: file.filename ?? `${fileId}.zip`, data: file.data, created_time: createdTime });
  return json(200, { status: 'success', code: 'FILE_UPLOAD_SUCCESS', message: 'file uploaded.', details: { file_id: fileId, created_time: createdTime } });
}

/** `/crm/bulk/{version}/write[/{id}[/result]]`. */
export function bulkWriteRoute(state: CrmState, req: CrmRequest, id: string | undefined, tail: string | undefined): EmuResponse {
  if (id === undefined) return req.method === 'POST' ? createJob(state, req) : invalidMethod();
  if (req.method !== 'GET') return invalidMethod();
  const job = state.bulkWriteJobs.get(id);
  if (job === undefined) return invalidData({ id }, MSG.invalidId);
  run(state, job, req.userId);
  if (tail === undefined) return json(200, view(job, req.version));
  if (tail !== 'result') return invalidUrl();
  return {
    status: 200,
    headers: { 'Content-Type': 'application/zip', 'Content-Disposition': contentDisposition(`${job.id}.zip`) },
    body: zip(job.results.map((csv, i) => ({ name: `${job.id}_${i}.csv`, data: Buffer.from(csv, 'utf8') }))),
  };
}

function createJob(state: CrmState, req: CrmRequest): EmuResponse {
  const body = req.json;
  if (req.invalidBody || !isObject(body)) return invalidData();
  const operation = body['operation'];
  if (operation !== 'insert' && operation !== 'update' && operation !== 'upsert') return invalidData({ api_name: 'operation' });
  const resource = body['resource'];
  if (!Array.isArray(resource) || resource.length === 0) return paramMissing('resource');
  const stored: Record<string, unknown>[] = [];
  for (const r of resource) {
    if (!isObject(r)) return invalidData({ api_name: 'resource' });
    const store = state.store(isObject(r['module']) ? String(r['module']['api_name'] ?? '') : String(r['module'] ?? ''));
    if (store === undefined) return error(400, 'INVALID_MODULE', MSG.invalidModule);
    if (!state.uploads.has(String(r['file_id'] ?? ''))) return invalidData({ api_name: 'file_id' }, MSG.invalidId);
    if (operation !== 'insert' && (typeof r['find_by'] !== 'string' || r['find_by'] === '')) return paramMissing('find_by');
    // v8 names the module as an object and answers it with its id (Minified_Module); v2 keeps the name.
    stored.push(isObject(r['module']) ? { ...r, module: { api_name: store.name, id: String(store.def.meta.id) } } : { ...r });
  }
  const job: BulkWriteJob = {
    id: state.nextId(),
    operation,
    character_encoding: typeof body['character_encoding'] === 'string' ? body['character_encoding'] : 'UTF-8',
    callback: body['callback'] ?? null,
    status: 'ADDED',
    resource: stored,
    created_by: state.userRef(req.userId, false),
    created_time: state.nowString(),
    results: [],
  };
  state.bulkWriteJobs.add(job);
  return json(201, { status: 'success', code: 'SUCCESS', message: 'success', details: { id: job.id, created_by: job.created_by } });
}

function view(job: BulkWriteJob, version: string): Record<string, unknown> {
  return {
    status: job.status,
    character_encoding: job.character_encoding,
    resource: job.resource.map((r) => ({ ...r })),
    id: job.id,
    // No callback given: the key is left out (the v8 schema has no null for it).
    ...(job.callback === null ? {} : { callback: job.callback }),
    result: job.status === 'COMPLETED' ? { download_url: `/crm/bulk/${version}/write/${job.id}/result` } : undefined,
    created_by: job.created_by,
    operation: job.operation,
    created_time: job.created_time,
  };
}

function run(state: CrmState, job: BulkWriteJob, userId: string): void {
  if (job.status === 'COMPLETED' || job.status === 'FAILED') return;
  const results: string[] = [];
  const files: Record<string, unknown>[] = [];
  job.resource.forEach((r, index) => {
    const module = isObject(r['module']) ? String(r['module']['api_name'] ?? '') : String(r['module'] ?? '');
    const store = state.store(module) as ModuleStore;
    const upload = state.uploads.get(String(r['file_id']));
    const csvEntry = unzip(upload?.data ?? Buffer.alloc(0))?.find((e) => e.name.toLowerCase().endsWith('.csv'));
    let rows: string[][];
    try {
      rows = readCsv(csvEntry?.data ?? '');
    } catch {
      // A malformed file (a quote left open) fails its resource, and the job, instead of importing a guess.
      results[index] = writeCsv([['STATUS', 'RECORD_ID', 'ERRORS']]);
      files[index] = { status: 'FAILED', name: upload?.name ?? '', added_count: 0, skipped_count: 0, updated_count: 0, total_count: 0 };
      return;
    }
    const head = rows.shift() ?? [];
    const mappings = Array.isArray(r['field_mappings'])
      ? r['field_mappings'].filter(isObject).map((m) => ({ api_name: String(m['api_name']), index: typeof m['index'] === 'number' ? m['index'] : undefined, default_value: m['default_value'] }))
      : head.map((h, i) => ({ api_name: h, index: i as number | undefined, default_value: undefined as unknown }));
    const ignoreEmpty = r['ignore_empty'] === true;
    const findBy = typeof r['find_by'] === 'string' ? r['find_by'] : undefined;
    let added = 0;
    let updated = 0;
    let skipped = 0;
    const out: unknown[][] = [[...head, 'STATUS', 'RECORD_ID', 'ERRORS']];
    for (const row of rows) {
      const input: Record<string, unknown> = {};
      for (const m of mappings) {
        let v: unknown = m.index === undefined ? undefined : row[m.index];
        if ((v === undefined || v === '') && isObject(m.default_value)) v = m.default_value['value'];
        if (v === '' && ignoreEmpty) continue;
        if (v === undefined) continue;
        const f = store.fields.get(m.api_name);
        input[m.api_name] = v === '' ? null : f?.data_type === 'multiselectpicklist' && typeof v === 'string' ? v.split(';') : v;
      }
      let existing: CrmRecord | undefined;
      if (findBy !== undefined && job.operation !== 'insert') {
        existing = findBy === 'id' ? store.records.get(String(input['id'] ?? '')) : state.findBy(store, findBy, input[findBy]);
      }
      let status: string;
      let recordId = '';
      let errors = '';
      if (existing !== undefined) {
        const res = state.updateItem(store, existing.id, input, userId);
        status = res.ok ? 'UPDATED' : 'SKIPPED';
        if (res.ok) {
          updated += 1;
          recordId = res.record.id;
        } else errors = `${res.error.code}:${JSON.stringify(res.error.details)}`;
      } else if (job.operation === 'update') {
        status = 'SKIPPED';
        errors = 'NOT_FOUND';
      } else {
        const res = state.insertItem(store, input, userId);
        status = res.ok ? 'ADDED' : 'SKIPPED';
        if (res.ok) {
          added += 1;
          recordId = res.record.id;
        } else errors = `${res.error.code}:${JSON.stringify(res.error.details)}`;
      }
      if (status === 'SKIPPED') skipped += 1;
      out.push([...row, status, recordId, errors]);
    }
    results[index] = writeCsv(out);
    files[index] = { status: 'COMPLETED', name: upload?.name ?? '', added_count: added, skipped_count: skipped, updated_count: updated, total_count: rows.length };
  });
  state.bulkWriteJobs.complete(job.id, results, files);
}
