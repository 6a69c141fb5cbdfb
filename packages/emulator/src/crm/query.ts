/**
 * Shared read-side helpers: paging params, `fields=` projection, list filters (converted/approved/ids/
 * If-Modified-Since), sorting and the `info` object, with the v3+ rules (mandatory `fields`, page tokens,
 * the 2,000-record offset cap).
 */
import type { CrmRequest, EmuResponse } from '../http-types.js';
import type { CrmRecord } from '../seed/types.js';
import { parseZohoDateTime } from '../time.js';
import { error, invalidData, json, MSG, noContent, notModified, paramMissing } from './responses.js';
import { has, missingParam, type Endpoint } from './versions.js';
import type { ModuleStore } from './store-types.js';

export const MAX_PER_PAGE = 200;
export const MAX_FIELDS = 50;
export const DISCRETE_LIMIT = 2000;
const PAGE_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;

export interface Paging {
  page: number;
  perPage: number;
  offset: number;
  token: boolean;
}

/** `page` (<1 → 1), `per_page` (clamped to 1..200) and, on v3+, `page_token`. */
export function paging(req: CrmRequest): Paging | EmuResponse {
  const perRaw = Number.parseInt(req.query['per_page'] ?? '', 10);
  const perPage = Number.isFinite(perRaw) && perRaw > 0 ? Math.min(perRaw, MAX_PER_PAGE) : MAX_PER_PAGE;
  const token = req.query['page_token'];
  if (token !== undefined && has('pageToken', req.version)) {
    const offset = decodeToken(token);
    if (offset === undefined) return invalidData({ param_name: 'page_token' });
    return { page: Math.floor(offset / perPage) + 1, perPage, offset, token: true };
  }
  const pageRaw = Number.parseInt(req.query['page'] ?? '', 10);
  const page = Number.isFinite(pageRaw) && pageRaw >= 1 ? pageRaw : 1;
  if (has('pageToken', req.version) && page * perPage > DISCRETE_LIMIT) {
    return error(400, 'DISCRETE_PAGINATION_LIMIT_EXCEEDED', MSG.discretePagination, { limit: DISCRETE_LIMIT });
  }
  return { page, perPage, offset: (page - 1) * perPage, token: false };
}

function encodeToken(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset }), 'utf8').toString('base64url');
}

function decodeToken(token: string): number | undefined {
  try {
    const o = (JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o?: unknown }).o;
    return typeof o === 'number' && Number.isInteger(o) && o >= 0 ? o : undefined;
  } catch {
    return undefined;
  }
}

/** Splits a comma list param (`ids=1,2`), dropping blanks. */
export function commaList(raw: string): string[] {
  return raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/** The ids a request targets: the path id, else the required `ids` param (at most `max`). */
export function targetIds(req: CrmRequest, pathId: string | undefined, max = 100): string[] | EmuResponse {
  if (pathId !== undefined) return [pathId];
  const raw = req.query['ids'];
  if (raw === undefined || raw.trim() === '') return paramMissing('ids');
  const ids = commaList(raw);
  if (ids.length > max) return error(400, 'LIMIT_EXCEEDED', MSG.limitExceeded, { limit: max, param_name: 'ids' });
  return ids;
}

/** The `fields` param as a list (undefined when absent); `endpoint` names the version-table entry that may require it. */
export function fieldsParam(
  req: CrmRequest,
  store: ModuleStore,
  endpoint?: Endpoint,
): string[] | undefined | EmuResponse {
  const missing = endpoint === undefined ? undefined : missingParam(endpoint, req);
  if (missing !== undefined) return paramMissing(missing);
  const raw = req.query['fields'];
  if (raw === undefined || raw.trim() === '') return undefined;
  const list = commaList(raw);
  if (list.length > MAX_FIELDS) {
    return error(400, 'LIMIT_EXCEEDED', MSG.limitExceeded, { limit: MAX_FIELDS, param_name: 'fields' });
  }
  if (has('validateFieldsParam', req.version)) {
    const bad = list.find((f) => f !== 'id' && !store.fields.has(f) && !f.startsWith('$'));
    if (bad !== undefined) {
      return invalidData({ api_name: bad, param_name: 'fields' }, 'the field api name given seems to be invalid');
    }
  }
  return list;
}

/** A shallow copy of a record, projected to `fields` (+ `id`) when given. */
export function present(record: CrmRecord, fields: string[] | undefined): Record<string, unknown> {
  if (fields === undefined) return { ...record };
  const out: Record<string, unknown> = {};
  for (const f of fields) if (f in record) out[f] = record[f];
  out['id'] = record.id;
  return out;
}

export type RecordFilter = (r: CrmRecord) => boolean;

/** Filters of `converted`, `approved` and `If-Modified-Since` (the latter needs the module store). */
export function listFilter(req: CrmRequest, store: ModuleStore): { filter: RecordFilter; since: number | undefined } {
  const converted = (req.query['converted'] ?? 'false').toLowerCase();
  const approved = (req.query['approved'] ?? 'true').toLowerCase();
  const since = sinceHeader(req);
  const filter: RecordFilter = (r) => {
    if ('$converted' in r && converted !== 'both') {
      if ((r['$converted'] === true) !== (converted === 'true')) return false;
    }
    if (approved !== 'both' && (r['$approved'] !== false) !== (approved !== 'false')) return false;
    if (since !== undefined && (store.modifiedMs.get(r.id) ?? 0) <= since) return false;
    return true;
  };
  return { filter, since };
}

export function sinceHeader(req: CrmRequest): number | undefined {
  const h = req.headers['if-modified-since'];
  const text = Array.isArray(h) ? h[0] : h;
  return text === undefined ? undefined : parseZohoDateTime(text);
}

export interface SortSpec {
  by: string;
  order: 'asc' | 'desc';
}

/** `sort_by` / `sort_order` (only sort_order → by id); undefined keeps id order. */
export function sortParam(req: CrmRequest, store: ModuleStore, fallback?: SortSpec): SortSpec | undefined | EmuResponse {
  const by = req.query['sort_by'];
  const orderRaw = req.query['sort_order']?.toLowerCase();
  if (orderRaw !== undefined && orderRaw !== 'asc' && orderRaw !== 'desc') return invalidData({ param_name: 'sort_order' });
  if (by === undefined && orderRaw === undefined) return fallback;
  if (by !== undefined && by !== 'id' && !store.fields.has(by)) return invalidData({ param_name: 'sort_by' });
  return { by: by ?? 'id', order: orderRaw === 'asc' ? 'asc' : 'desc' };
}

function sortValue(v: unknown): string | number | null {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'object' && !Array.isArray(v)) return String((v as Record<string, unknown>)['name'] ?? '').toLowerCase();
  return String(v).toLowerCase();
}

export function compareBy(sort: SortSpec): (a: CrmRecord, b: CrmRecord) => number {
  const dir = sort.order === 'asc' ? 1 : -1;
  return (a, b) => {
    const x = sortValue(a[sort.by]);
    const y = sortValue(b[sort.by]);
    if (x === y) return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    if (x === null) return 1;
    if (y === null) return -1;
    return (x < y ? -1 : 1) * dir;
  };
}

/** One page out of a record stream; without a sort it stops after the page (no full scan beyond). */
export function pageOf(
  source: Iterable<CrmRecord>,
  filter: RecordFilter,
  sort: SortSpec | undefined,
  p: Paging,
): { items: CrmRecord[]; more: boolean } {
  if (sort === undefined) {
    const items: CrmRecord[] = [];
    let skipped = 0;
    for (const r of source) {
      if (!filter(r)) continue;
      if (skipped < p.offset) {
        skipped += 1;
        continue;
      }
      if (items.length === p.perPage) return { items, more: true };
      items.push(r);
    }
    return { items, more: false };
  }
  const all: CrmRecord[] = [];
  for (const r of source) if (filter(r)) all.push(r);
  all.sort(compareBy(sort));
  return { items: all.slice(p.offset, p.offset + p.perPage), more: all.length > p.offset + p.perPage };
}

/** `{data, info}` for a page, 204 when empty (304 when If-Modified-Since matched nothing). */
export function listResponse(
  req: CrmRequest,
  page: { items: CrmRecord[]; more: boolean },
  p: Paging,
  fields: string[] | undefined,
  opts: { since?: number | undefined; sort?: SortSpec | undefined; now: number },
): EmuResponse {
  if (page.items.length === 0) return opts.since !== undefined && p.offset === 0 ? notModified() : noContent();
  const info: Record<string, unknown> = { per_page: p.perPage, count: page.items.length, page: p.page, more_records: page.more };
  if (has('listSortInfo', req.version)) {
    info['sort_by'] = opts.sort?.by ?? 'id';
    info['sort_order'] = opts.sort?.order ?? 'asc';
    info['next_page_token'] = page.more ? encodeToken(p.offset + p.perPage) : null;
    info['previous_page_token'] = p.offset > 0 ? encodeToken(Math.max(0, p.offset - p.perPage)) : null;
    info['page_token_expiry'] = page.more ? new Date(opts.now + PAGE_TOKEN_TTL_MS).toISOString().slice(0, 19) + '+00:00' : null;
  }
  return json(200, { data: page.items.map((r) => present(r, fields)), info });
}
