/**
 * `crm.coql(query)` (wire spec §9.2): `POST /coql {"select_query": ...}` paged with LIMIT/OFFSET windows within
 * Zoho's limits per version (200 rows a call on v2/v3, 2,000 on v4+; 10,000 rows by OFFSET up to v6, 100,000
 * on v7+). A LIMIT/OFFSET in the caller's query is kept as the range to read.
 */
import { InvalidInputError } from '../errors.js';
import { isObject } from '../internal/is-object.js';
import { offsetPages, PagePromise, type PageInfo } from './pagination.js';
import { sendJson } from './api-promise.js';
import { requestFields, type RequestOptions } from './request-options.js';
import type { RequestSender } from './resource.js';
import { versionRules } from './versions.js';

/** Options of `crm.coql()`. */
export interface CoqlOptions extends RequestOptions {
  /** Rows per call. Default: Zoho's maximum for the API version (2,000 on v4+, 200 before). */
  pageSize?: number;
}

const TRAILING_LIMIT = /\s+limit\s+(\d+)\s*(?:,\s*(\d+)\s*)?(?:\s+offset\s+(\d+)\s*)?;?\s*$/i;

/** The query without its trailing LIMIT/OFFSET, and the range that clause asked for. */
export function splitLimit(query: string): { base: string; offset: number; limit: number | undefined } {
  const trimmed = query.trim().replace(/;\s*$/, '');
  const m = TRAILING_LIMIT.exec(trimmed);
  if (m === null) return { base: trimmed, offset: 0, limit: undefined };
  const base = trimmed.slice(0, m.index);
  const first = Number(m[1]);
  // `limit offset, count` (Zoho's v2 form) or `limit count [offset n]`.
  if (m[2] !== undefined) return { base, offset: first, limit: Number(m[2]) };
  return { base, offset: m[3] === undefined ? 0 : Number(m[3]), limit: first };
}

/** Runs a COQL select as a PagePromise over every row (or the rows its LIMIT/OFFSET asks for). */
export function coqlPages<T>(client: RequestSender, query: string, options: CoqlOptions = {}): PagePromise<T> {
  return PagePromise.defer(() => buildCoqlPages<T>(client, query, options));
}

function buildCoqlPages<T>(client: RequestSender, query: string, options: CoqlOptions): PagePromise<T> {
  if (typeof query !== 'string' || !/^\s*select\s/i.test(query)) {
    throw new InvalidInputError(`crm.coql() takes a COQL select, e.g. "select Last_Name, Email from Leads where Last_Name is not null", not ${JSON.stringify(query)}.`);
  }
  const rules = versionRules(client.config.apiVersion);
  const pageSize = options.pageSize ?? rules.coqlMaxLimit;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > rules.coqlMaxLimit) {
    throw new InvalidInputError(`coql option 'pageSize' must be an integer from 1 to ${rules.coqlMaxLimit} on API ${client.config.apiVersion}, not ${JSON.stringify(options.pageSize)}.`);
  }
  const { base, offset, limit } = splitLimit(query);
  return offsetPages<T>(
    async (window) => {
      const { body, response } = await sendJson<Record<string, unknown>>(client, {
        method: 'POST',
        path: ['coql'],
        json: { select_query: `${base} limit ${window.offset}, ${window.limit}` },
        ...requestFields(options),
      });
      const rows = body?.['data'];
      return { data: Array.isArray(rows) ? (rows as T[]) : [], info: isObject(body?.['info']) ? (body['info'] as PageInfo) : {}, response };
    },
    { offset, pageSize, total: limit, maxRows: rules.coqlMaxRows },
  );
}
