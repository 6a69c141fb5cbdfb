/**
 * `POST /coql` (wire spec §9.2): `{"select_query": "..."}` → `{data, info:{count, more_records}}`, 204 when
 * empty, at most 200 rows per call on v2/v3 and 2,000 on v4+.
 */
import type { CrmRequest, EmuResponse } from '../http-types.js';
import type { CrmRecord } from '../seed/types.js';
import { error, invalidMethod, json, MSG, noContent, paramMissing, versionNumber } from './responses.js';
import { covers } from './scopes.js';
import { isObject, type CrmState } from './state.js';
import type { ModuleStore } from './store-types.js';

export function coqlRoute(state: CrmState, req: CrmRequest): EmuResponse {
  if (req.method !== 'POST') return invalidMethod();
  if (!covers(req.scopes, { kind: 'coql' })) return error(401, 'OAUTH_SCOPE_MISMATCH', MSG.scopeMismatch);
  const q = isObject(req.json) ? req.json['select_query'] : undefined;
  if (typeof q !== 'string' || q.trim() === '') return paramMissing('select_query');
  const max = versionNumber(req.version) >= 4 ? 2000 : 200;
  const out = runCoql(state, q, max);
  if ('response' in out) return out.response;
  if (out.rows.length === 0) return noContent();
  return json(200, { data: out.rows, info: { count: out.rows.length, more_records: out.more } });
}

// ---------------------------------------------------------------- a small COQL engine

type Cond =
  | { kind: 'cmp'; field: string; op: string; values: unknown[] }
  | { kind: 'bool'; op: 'and' | 'or'; items: Cond[] };

const syntax = (near: string): { response: EmuResponse } => ({
  response: error(400, 'SYNTAX_ERROR', 'error occured while parsing the query', { near }),
});
const invalidColumn = (column: string): { response: EmuResponse } => ({
  response: error(400, 'INVALID_QUERY', 'invalid query formed', { column_name: column, reason: 'column given seems to be invalid' }),
});

function tokenize(text: string): string[] {
  const re = /\s*('(?:[^'\\]|\\.|'')*'|>=|<=|!=|<>|[(),=<>*]|[A-Za-z0-9_.$\-:+]+)/gy;
  const out: string[] = [];
  let m: RegExpExecArray | null;
  let last = 0;
  while ((m = re.exec(text)) !== null) {
    out.push(m[1] as string);
    last = re.lastIndex;
  }
  if (text.slice(last).trim() !== '') out.push('\u0000');
  return out;
}

function runCoql(state: CrmState, query: string, max: number): { rows: Record<string, unknown>[]; more: boolean } | { response: EmuResponse } {
  const t = tokenize(query);
  let i = 0;
  const peek = (): string => (t[i] ?? '').toLowerCase();
  const take = (): string => t[i++] ?? '';
  if (peek() !== 'select') return syntax(t[0] ?? 'select');
  i += 1;
  const columns: string[] = [];
  for (;;) {
    const c = take();
    if (c === '' || c.toLowerCase() === 'from') return syntax('from');
    columns.push(c);
    if (peek() === ',') {
      i += 1;
      continue;
    }
    break;
  }
  if (take().toLowerCase() !== 'from') return syntax('from');
  const moduleName = take();
  const store = state.store(moduleName);
  if (store === undefined) return { response: error(400, 'INVALID_MODULE', MSG.moduleNotSupported) };
  if (columns.length > 50) return { response: error(400, 'LIMIT_EXCEEDED', MSG.limitExceeded, { limit: 50 }) };
  for (const c of columns) if (c !== 'id' && !known(store, c)) return invalidColumn(c);
  let where: Cond | undefined;
  if (peek() === 'where') {
    i += 1;
    const parsed = parseOr();
    if ('response' in parsed) return parsed;
    where = parsed;
  }
  let order: { field: string; dir: number } | undefined;
  if (peek() === 'order') {
    i += 1;
    if (take().toLowerCase() !== 'by') return syntax('order');
    const field = take();
    if (field !== 'id' && !known(store, field)) return invalidColumn(field);
    let dir = 1;
    if (peek() === 'asc' || peek() === 'desc') dir = take().toLowerCase() === 'desc' ? -1 : 1;
    order = { field, dir };
  }
  let offset = 0;
  let limit = max;
  if (peek() === 'limit') {
    i += 1;
    const a = Number(take());
    if (peek() === ',') {
      i += 1;
      offset = a;
      limit = Number(take());
    } else {
      limit = a;
      if (peek() === 'offset') {
        i += 1;
        offset = Number(take());
      }
    }
    if (!Number.isInteger(limit) || !Number.isInteger(offset) || limit < 0 || offset < 0) return syntax('limit');
    if (limit > max) return { response: error(400, 'LIMIT_EXCEEDED', MSG.limitExceeded, { by: 'limit', limit: max }) };
  }
  if (i < t.length) return syntax(t[i] ?? '');
  let matched: CrmRecord[] = [];
  for (const r of store.records.values()) if (where === undefined || evaluate(where, r)) matched.push(r);
  if (order !== undefined) {
    const { field, dir } = order;
    matched = matched.sort((a, b) => {
      const x = sortable(a, field);
      const y = sortable(b, field);
      return x === y ? 0 : (x < y ? -1 : 1) * dir;
    });
  }
  const page = matched.slice(offset, offset + limit);
  const rows = page.map((r) => {
    const row: Record<string, unknown> = {};
    for (const c of columns) row[c] = pick(r, c);
    row['id'] = r.id;
    return row;
  });
  return { rows, more: matched.length > offset + limit };

  function parseOr(): Cond | { response: EmuResponse } {
    const items: Cond[] = [];
    let op: 'and' | 'or' | undefined;
    for (;;) {
      const c = parseAtom();
      if ('response' in c) return c;
      items.push(c);
      const next = peek();
      if (next !== 'and' && next !== 'or') break;
      if (op !== undefined && op !== next) return syntax(next);
      op = next;
      i += 1;
    }
    return items.length === 1 ? (items[0] as Cond) : { kind: 'bool', op: op ?? 'and', items };
  }

  function parseAtom(): Cond | { response: EmuResponse } {
    if (peek() === '(') {
      i += 1;
      const inner = parseOr();
      if ('response' in inner) return inner;
      if (take() !== ')') return syntax(')');
      return inner;
    }
    const field = take();
    if (field === '' ) return syntax('where');
    if (field !== 'id' && !known(store as ModuleStore, field)) return invalidColumn(field);
    let op = take().toLowerCase();
    if (op === 'not') op = `not ${take().toLowerCase()}`;
    if (op === 'is') {
      if (peek() === 'not') {
        i += 1;
        op = 'is not';
      }
      if (take().toLowerCase() !== 'null') return syntax('is');
      return { kind: 'cmp', field, op, values: [] };
    }
    if (op === 'in' || op === 'not in') {
      if (take() !== '(') return syntax(op);
      const values: unknown[] = [];
      while (peek() !== ')') {
        values.push(literal(take()));
        if (peek() === ',') i += 1;
        else if (peek() !== ')') return syntax(op);
      }
      i += 1;
      return { kind: 'cmp', field, op, values };
    }
    if (op === 'between' || op === 'not between') {
      const a = literal(take());
      if (take().toLowerCase() !== 'and') return syntax('between');
      return { kind: 'cmp', field, op, values: [a, literal(take())] };
    }
    if (!['=', '!=', '<>', '>', '<', '>=', '<=', 'like', 'not like'].includes(op)) return syntax(op);
    return { kind: 'cmp', field, op, values: [literal(take())] };
  }
}

function known(store: ModuleStore, column: string): boolean {
  const base = column.split('.')[0] ?? column;
  return store.fields.has(base);
}

function literal(token: string): unknown {
  if (token.startsWith("'")) return token.slice(1, -1).replace(/''/g, "'").replace(/\\(.)/g, '$1');
  if (token.toLowerCase() === 'true' || token.toLowerCase() === 'false') return token.toLowerCase() === 'true';
  if (token.toLowerCase() === 'null') return null;
  const n = Number(token);
  return Number.isFinite(n) ? n : token;
}

function pick(r: CrmRecord, column: string): unknown {
  const [base, sub] = column.split('.') as [string, string | undefined];
  const v = base === 'id' ? r.id : r[base];
  if (sub === undefined) return v ?? null;
  if (isObject(v)) return sub === 'id' ? v['id'] : v['name'] ?? null;
  return null;
}

function sortable(r: CrmRecord, field: string): string | number {
  const v = pick(r, field);
  if (typeof v === 'number') return v;
  if (isObject(v)) return String(v['name'] ?? '').toLowerCase();
  return v === null || v === undefined ? '' : String(v).toLowerCase();
}

function scalar(v: unknown): string | number | boolean | null {
  if (v === undefined || v === null || v === '') return null;
  if (isObject(v)) return String(v['id'] ?? '');
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  return String(v);
}

function cmp(a: string | number | boolean, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a).toLowerCase();
  const y = String(b).toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

function evaluate(c: Cond, r: CrmRecord): boolean {
  if (c.kind === 'bool') return c.op === 'and' ? c.items.every((x) => evaluate(x, r)) : c.items.some((x) => evaluate(x, r));
  const raw = pick(r, c.field);
  const values = Array.isArray(raw) ? raw.map(scalar) : [scalar(raw)];
  const v0 = c.values[0];
  const any = (f: (v: string | number | boolean) => boolean): boolean => values.some((v) => v !== null && f(v));
  switch (c.op) {
    case 'is':
      return values.every((v) => v === null);
    case 'is not':
      return values.some((v) => v !== null);
    case '=':
      return any((v) => cmp(v, v0) === 0);
    case '!=':
    case '<>':
      return !any((v) => cmp(v, v0) === 0);
    case '>':
      return any((v) => cmp(v, v0) > 0);
    case '<':
      return any((v) => cmp(v, v0) < 0);
    case '>=':
      return any((v) => cmp(v, v0) >= 0);
    case '<=':
      return any((v) => cmp(v, v0) <= 0);
    case 'in':
      return any((v) => c.values.some((x) => cmp(v, x) === 0));
    case 'not in':
      return !any((v) => c.values.some((x) => cmp(v, x) === 0));
    case 'between':
      return any((v) => cmp(v, v0) >= 0 && cmp(v, c.values[1]) <= 0);
    case 'not between':
      return !any((v) => cmp(v, v0) >= 0 && cmp(v, c.values[1]) <= 0);
    case 'like':
    case 'not like': {
      const pattern = new RegExp(
        `^${String(v0).split('%').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`,
        'i',
      );
      const hit = any((v) => pattern.test(String(v)));
      return c.op === 'like' ? hit : !hit;
    }
    default:
      return false;
  }
}
