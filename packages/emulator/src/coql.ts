/**
 * COQL (wire spec §9.2): `select Last_Name, Account_Name.Account_Name from Contacts where (Last_Name is not
 * null and Email like '%@acme.com') order by Created_Time desc limit 0, 200`. Parsing is independent of the
 * data; execution validates columns against module metadata, follows up to two lookup joins and pages.
 */
import type { FieldMeta, ModuleDefinition } from './seed/types.js';

export type CoqlErrorCode = 'SYNTAX_ERROR' | 'INVALID_QUERY' | 'INVALID_MODULE' | 'LIMIT_EXCEEDED';

const MESSAGES: Record<CoqlErrorCode, string> = {
  // Zoho's spelling, kept as clients may compare messages.
  SYNTAX_ERROR: 'error occured while parsing the query',
  INVALID_QUERY: 'invalid query formed',
  INVALID_MODULE: 'the given module is not supported in api',
  LIMIT_EXCEEDED: 'limit exceeded',
};

/** A refused query; `code`, message and `details` go on the wire as Zoho's error object. */
export class CoqlError extends Error {
  readonly code: CoqlErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: CoqlErrorCode, details: Record<string, unknown> = {}) {
    super(MESSAGES[code]);
    this.name = 'CoqlError';
    this.code = code;
    this.details = details;
  }
}

export type CoqlValue = string | number | boolean | null;

export type CoqlCondition =
  | { kind: 'cmp'; field: string; op: '=' | '!=' | '>' | '<' | '>=' | '<='; value: CoqlValue }
  | { kind: 'like'; field: string; pattern: string; negate: boolean }
  | { kind: 'null'; field: string; negate: boolean }
  | { kind: 'in'; field: string; values: CoqlValue[]; negate: boolean }
  | { kind: 'between'; field: string; low: CoqlValue; high: CoqlValue; negate: boolean }
  | { kind: 'group'; op: 'and' | 'or'; children: CoqlCondition[] };

export interface CoqlQuery {
  module: string;
  /** Selected columns as written: `Last_Name`, `Account_Name.Account_Name`. */
  columns: string[];
  where: CoqlCondition | null;
  orderBy: { field: string; direction: 'asc' | 'desc' }[];
  /** Row count asked for; undefined means the default (200). */
  limit: number | undefined;
  offset: number;
}

/** Zoho's COQL limits (v2 docs). */
export const COQL_MAX_COLUMNS = 50;
export const COQL_MAX_CRITERIA = 25;
export const COQL_MAX_IN_VALUES = 50;
export const COQL_DEFAULT_LIMIT = 200;
/** Lookup joins allowed in one column path (`A.B.C` has two). */
export const COQL_MAX_JOINS = 2;
/** Parenthesis depth accepted in `where`; deeper is LIMIT_EXCEEDED instead of exhausting the parser's stack. */
export const COQL_MAX_NESTING = 32;
/** Longest query text parsed, in characters; longer is LIMIT_EXCEEDED before tokenising (a token costs memory). */
export const COQL_MAX_QUERY_LENGTH = 100_000;

// ---------------------------------------------------------------- tokens

type TokenKind = 'word' | 'string' | 'number' | 'punct' | 'end';
interface Token {
  kind: TokenKind;
  text: string;
  /** Lower-case text for keyword checks; the unescaped value for strings. */
  value: string;
}

const PUNCT = ['>=', '<=', '!=', '<>', '=', '>', '<', '(', ')', ',', '*'];

function tokenize(query: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const c = query.charAt(i);
    if (/\s/.test(c)) {
      i += 1;
      continue;
    }
    if (c === "'") {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= query.length) throw new CoqlError('SYNTAX_ERROR', { near: query.slice(i, i + 20) });
        const d = query.charAt(j);
        if (d === '\\' && j + 1 < query.length) {
          value += query.charAt(j + 1);
          j += 2;
        } else if (d === "'" && query.charAt(j + 1) === "'") {
          value += "'";
          j += 2;
        } else if (d === "'") break;
        else {
          value += d;
          j += 1;
        }
      }
      out.push({ kind: 'string', text: query.slice(i, j + 1), value });
      i = j + 1;
      continue;
    }
    const num = /^-?\d+(\.\d+)?(?![A-Za-z_])/.exec(query.slice(i));
    if (num !== null) {
      out.push({ kind: 'number', text: num[0], value: num[0] });
      i += num[0].length;
      continue;
    }
    const word = /^[A-Za-z_$][A-Za-z0-9_$.]*/.exec(query.slice(i));
    if (word !== null) {
      out.push({ kind: 'word', text: word[0], value: word[0].toLowerCase() });
      i += word[0].length;
      continue;
    }
    const p = PUNCT.find((x) => query.startsWith(x, i));
    if (p === undefined) throw new CoqlError('SYNTAX_ERROR', { near: c });
    out.push({ kind: 'punct', text: p, value: p });
    i += p.length;
  }
  out.push({ kind: 'end', text: '', value: '' });
  return out;
}

const KEYWORDS = new Set(['select', 'from', 'where', 'order', 'by', 'asc', 'desc', 'limit', 'offset', 'and', 'or', 'not', 'like', 'is', 'null', 'in', 'between', 'true', 'false']);

// ---------------------------------------------------------------- parser

class Parser {
  i = 0;
  criteria = 0;
  depth = 0;

  constructor(readonly tokens: Token[]) {}

  get tok(): Token {
    return this.tokens[this.i] as Token;
  }

  /** The SYNTAX_ERROR for the current token (or the last one at the end). */
  fail(): CoqlError {
    const t = this.tok.kind === 'end' ? this.tokens[this.i - 1] : this.tok;
    return new CoqlError('SYNTAX_ERROR', { near: t?.text ?? '' });
  }

  isWord(w: string): boolean {
    return this.tok.kind === 'word' && this.tok.value === w;
  }

  accept(w: string): boolean {
    if (this.isWord(w) || (this.tok.kind === 'punct' && this.tok.value === w)) {
      this.i += 1;
      return true;
    }
    return false;
  }

  expect(w: string): void {
    if (!this.accept(w)) throw this.fail();
  }

  identifier(): string {
    const t = this.tok;
    if (t.kind !== 'word' || KEYWORDS.has(t.value) || t.text.startsWith('.') || t.text.endsWith('.') || t.text.includes('..')) throw this.fail();
    this.i += 1;
    return t.text;
  }

  query(): CoqlQuery {
    this.expect('select');
    const columns = [this.identifier()];
    while (this.accept(',')) columns.push(this.identifier());
    if (columns.length > COQL_MAX_COLUMNS) throw new CoqlError('LIMIT_EXCEEDED', { clause: 'select', limit: COQL_MAX_COLUMNS });
    this.expect('from');
    const module = this.identifier();
    let where: CoqlCondition | null = null;
    if (this.accept('where')) where = this.orExpr();
    const orderBy: CoqlQuery['orderBy'] = [];
    if (this.accept('order')) {
      this.expect('by');
      do {
        const field = this.identifier();
        let direction: 'asc' | 'desc' = 'asc';
        if (this.accept('desc')) direction = 'desc';
        else this.accept('asc');
        orderBy.push({ field, direction });
      } while (this.accept(','));
    }
    let limit: number | undefined;
    let offset = 0;
    if (this.accept('limit')) {
      const first = this.count();
      if (this.accept(',')) {
        offset = first;
        limit = this.count();
      } else {
        limit = first;
        if (this.accept('offset')) offset = this.count();
      }
    }
    if (this.tok.kind !== 'end') throw this.fail();
    return { module, columns, where, orderBy, limit, offset };
  }

  count(): number {
    const t = this.tok;
    if (t.kind !== 'number' || !/^\d+$/.test(t.text)) throw this.fail();
    this.i += 1;
    return Number(t.text);
  }

  orExpr(): CoqlCondition {
    const items = [this.andExpr()];
    while (this.accept('or')) items.push(this.andExpr());
    return items.length === 1 ? (items[0] as CoqlCondition) : { kind: 'group', op: 'or', children: items };
  }

  andExpr(): CoqlCondition {
    const items = [this.primary()];
    while (this.accept('and')) items.push(this.primary());
    return items.length === 1 ? (items[0] as CoqlCondition) : { kind: 'group', op: 'and', children: items };
  }

  primary(): CoqlCondition {
    if (this.accept('(')) {
      this.depth += 1;
      if (this.depth > COQL_MAX_NESTING) throw new CoqlError('LIMIT_EXCEEDED', { clause: 'where', nesting: COQL_MAX_NESTING });
      const inner = this.orExpr();
      this.expect(')');
      this.depth -= 1;
      return inner;
    }
    const field = this.identifier();
    this.criteria += 1;
    if (this.criteria > COQL_MAX_CRITERIA) throw new CoqlError('LIMIT_EXCEEDED', { clause: 'where', limit: COQL_MAX_CRITERIA });
    if (this.accept('is')) {
      const negate = this.accept('not');
      this.expect('null');
      return { kind: 'null', field, negate };
    }
    const negate = this.accept('not');
    if (this.accept('like')) {
      const t = this.tok;
      if (t.kind !== 'string') throw this.fail();
      this.i += 1;
      return { kind: 'like', field, pattern: t.value, negate };
    }
    if (this.accept('in')) {
      this.expect('(');
      const values = [this.literal()];
      while (this.accept(',')) values.push(this.literal());
      this.expect(')');
      if (values.length > COQL_MAX_IN_VALUES) throw new CoqlError('LIMIT_EXCEEDED', { clause: 'in', limit: COQL_MAX_IN_VALUES });
      return { kind: 'in', field, values, negate };
    }
    if (this.accept('between')) {
      const low = this.literal();
      this.expect('and');
      return { kind: 'between', field, low, high: this.literal(), negate };
    }
    if (negate) throw this.fail();
    const t = this.tok;
    if (t.kind !== 'punct' || !['=', '!=', '<>', '>', '<', '>=', '<='].includes(t.value)) throw this.fail();
    this.i += 1;
    const op = (t.value === '<>' ? '!=' : t.value) as Extract<CoqlCondition, { kind: 'cmp' }>['op'];
    const value = this.literal();
    // `= null` reads as `is null`, which is what such a query means.
    if (value === null && (op === '=' || op === '!=')) return { kind: 'null', field, negate: op === '!=' };
    return { kind: 'cmp', field, op, value };
  }

  literal(): CoqlValue {
    const t = this.tok;
    this.i += 1;
    if (t.kind === 'string') return t.value;
    if (t.kind === 'number') {
      // Record ids exceed 2^53: keep such integers as text so they still compare exactly.
      const n = Number(t.text);
      return Number.isSafeInteger(n) || t.text.includes('.') ? n : t.text;
    }
    if (t.kind === 'word' && t.value === 'true') return true;
    if (t.kind === 'word' && t.value === 'false') return false;
    if (t.kind === 'word' && t.value === 'null') return null;
    this.i -= 1;
    throw this.fail();
  }
}

/** Parses a COQL select; throws {@link CoqlError} (SYNTAX_ERROR `{near}`, LIMIT_EXCEEDED for too many columns,
 * criteria or IN values, nesting past {@link COQL_MAX_NESTING} or text past {@link COQL_MAX_QUERY_LENGTH}). */
export function parseCoql(query: string): CoqlQuery {
  if (query.length > COQL_MAX_QUERY_LENGTH) throw new CoqlError('LIMIT_EXCEEDED', { clause: 'select_query', limit: COQL_MAX_QUERY_LENGTH });
  const tokens = tokenize(query.trim());
  if (tokens.length === 1) throw new CoqlError('SYNTAX_ERROR', { near: '' });
  return new Parser(tokens).query();
}

// ---------------------------------------------------------------- execution

export interface CoqlSource {
  module(apiName: string): ModuleDefinition | undefined;
  records(apiName: string): Record<string, unknown>[];
}

export interface ExecuteCoqlOptions {
  /** Largest `limit` accepted (LIMIT_EXCEEDED above it). Default 200 (v2); the router passes 2000 for v4+. */
  maxLimit?: number;
}

const LOOKUPS = new Set(['lookup', 'ownerlookup', 'userlookup']);
const NUMERIC = new Set(['integer', 'bigint', 'long', 'double', 'currency', 'percent', 'decimal']);
const ID_FIELD = { api_name: 'id', data_type: 'bigint' } as FieldMeta;

/** A resolved column path: the lookup fields to follow, then the final field. */
interface Path {
  text: string;
  joins: { field: FieldMeta; module: string }[];
  field: FieldMeta;
}

class Executor {
  readonly paths = new Map<string, Path>();
  /** Records by id per joined module, built on first use. */
  readonly indexes = new Map<string, Map<string, Record<string, unknown>>>();

  constructor(
    readonly source: CoqlSource,
    readonly def: ModuleDefinition,
  ) {}

  invalidColumn(column: string): CoqlError {
    return new CoqlError('INVALID_QUERY', { column_name: column, reason: 'column given seems to be invalid' });
  }

  resolve(column: string): Path {
    const known = this.paths.get(column);
    if (known !== undefined) return known;
    const parts = column.split('.');
    if (parts.length - 1 > COQL_MAX_JOINS) throw this.invalidColumn(column);
    let def = this.def;
    const joins: Path['joins'] = [];
    for (const [n, name] of parts.entries()) {
      const field = name === 'id' ? ID_FIELD : def.fields.find((f) => f.api_name === name);
      if (field === undefined) throw this.invalidColumn(column);
      if (n === parts.length - 1) {
        const path = { text: column, joins, field };
        this.paths.set(column, path);
        return path;
      }
      const target = field.data_type === 'lookup' ? (field.lookup as { module?: unknown }).module : undefined;
      const targetDef = typeof target === 'string' ? this.source.module(target) : undefined;
      if (targetDef === undefined) throw this.invalidColumn(column);
      joins.push({ field, module: targetDef.meta.api_name });
      def = targetDef;
    }
    throw this.invalidColumn(column);
  }

  recordById(module: string, id: string): Record<string, unknown> | undefined {
    let index = this.indexes.get(module);
    if (index === undefined) {
      index = new Map(this.source.records(module).map((r) => [String(r['id']), r]));
      this.indexes.set(module, index);
    }
    return index.get(id);
  }

  /** The raw value at a path, or undefined when a join is empty. */
  value(path: Path, record: Record<string, unknown>): unknown {
    let current: Record<string, unknown> | undefined = record;
    for (const j of path.joins) {
      const ref: unknown = current[j.field.api_name];
      const id: unknown = ref !== null && typeof ref === 'object' ? (ref as Record<string, unknown>)['id'] : undefined;
      current = id === undefined || id === null ? undefined : this.recordById(j.module, String(id));
      if (current === undefined) return undefined;
    }
    return current[path.field.api_name];
  }

  /** A selected value as Zoho's COQL returns it: lookups reduced to `{id}`. */
  output(path: Path, record: Record<string, unknown>): unknown {
    const v = this.value(path, record);
    if (v === undefined) return null;
    if (LOOKUPS.has(path.field.data_type) && v !== null && typeof v === 'object' && !Array.isArray(v)) {
      return { id: (v as Record<string, unknown>)['id'] };
    }
    return v;
  }

  validate(c: CoqlCondition): void {
    if (c.kind === 'group') c.children.forEach((x) => this.validate(x));
    else this.resolve(c.field);
  }

  test(c: CoqlCondition, record: Record<string, unknown>): boolean {
    if (c.kind === 'group') return c.op === 'and' ? c.children.every((x) => this.test(x, record)) : c.children.some((x) => this.test(x, record));
    const path = this.resolve(c.field);
    const raw = this.value(path, record);
    const empty = raw === undefined || raw === null || raw === '' || (Array.isArray(raw) && raw.length === 0);
    if (c.kind === 'null') return empty !== c.negate;
    if (empty) return false;
    const have = comparable(path.field, raw);
    if (have === undefined) return false;
    switch (c.kind) {
      case 'cmp': {
        const want = comparable(path.field, c.value);
        if (want === undefined) return false;
        const d = compare(have, want);
        return { '=': d === 0, '!=': d !== 0, '>': d > 0, '<': d < 0, '>=': d >= 0, '<=': d <= 0 }[c.op];
      }
      case 'like': {
        const text = String(have).toLowerCase();
        const p = c.pattern.toLowerCase();
        const starts = p.startsWith('%');
        const ends = p.endsWith('%') && p.length > 1;
        const core = p.slice(starts ? 1 : 0, ends ? -1 : undefined);
        const hit = starts && ends ? text.includes(core) : starts ? text.endsWith(core) : ends ? text.startsWith(core) : text === core;
        return hit !== c.negate;
      }
      case 'in': {
        const hit = c.values.some((v) => {
          const w = comparable(path.field, v);
          return w !== undefined && compare(have, w) === 0;
        });
        return hit !== c.negate;
      }
      case 'between': {
        const lo = comparable(path.field, c.low);
        const hi = comparable(path.field, c.high);
        const hit = lo !== undefined && hi !== undefined && compare(have, lo) >= 0 && compare(have, hi) <= 0;
        return hit !== c.negate;
      }
    }
  }
}

/** A value in a form that compares correctly for the field's type; undefined when it does not parse. */
function comparable(field: FieldMeta, v: unknown): number | string | bigint | undefined {
  if (v === null || v === undefined) return undefined;
  if (LOOKUPS.has(field.data_type) || field.api_name === 'id') {
    const id = typeof v === 'object' ? (v as Record<string, unknown>)['id'] : v;
    return /^\d+$/.test(String(id)) ? BigInt(String(id)) : String(id).toLowerCase();
  }
  if (Array.isArray(v)) return v.map(String).join(';').toLowerCase();
  const type = field.data_type === 'formula' ? String((field.formula as { return_type?: unknown } | undefined)?.return_type ?? '') : field.data_type;
  if (NUMERIC.has(type)) {
    const n = typeof v === 'number' ? v : Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  if (type === 'boolean') return v === true || v === 'true' ? 1 : v === false || v === 'false' ? 0 : undefined;
  if (type === 'datetime') {
    const ms = Date.parse(String(v));
    return Number.isNaN(ms) ? undefined : ms;
  }
  return String(v).toLowerCase();
}

function compare(a: number | string | bigint, b: number | string | bigint): number {
  if (typeof a !== typeof b) return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Runs a parsed query. Unknown module → INVALID_MODULE; unknown column (select, where or order by) →
 * INVALID_QUERY `{column_name, reason}`; a limit above `maxLimit` → LIMIT_EXCEEDED. Rows hold the selected
 * columns plus `id`, ordered by the `order by` columns then id ascending.
 */
export function executeCoql(q: CoqlQuery, source: CoqlSource, options: ExecuteCoqlOptions = {}): { rows: Record<string, unknown>[]; more: boolean } {
  const def = source.module(q.module);
  if (def === undefined || def.meta.api_supported === false) throw new CoqlError('INVALID_MODULE', {});
  const maxLimit = options.maxLimit ?? COQL_DEFAULT_LIMIT;
  const limit = q.limit ?? Math.min(COQL_DEFAULT_LIMIT, maxLimit);
  if (limit > maxLimit) throw new CoqlError('LIMIT_EXCEEDED', { clause: 'limit', limit: maxLimit });
  const ex = new Executor(source, def);
  const columns = q.columns.map((c) => ex.resolve(c));
  if (q.where !== null) ex.validate(q.where);
  const order = q.orderBy.map((o) => ({ path: ex.resolve(o.field), sign: o.direction === 'desc' ? -1 : 1 }));
  const where = q.where;
  const matched = source.records(def.meta.api_name).filter((r) => where === null || ex.test(where, r));
  const idOf = (r: Record<string, unknown>): bigint | string => (/^\d+$/.test(String(r['id'])) ? BigInt(String(r['id'])) : String(r['id']));
  const keyed = matched.map((r) => ({ r, keys: order.map((o) => comparable(o.path.field, ex.value(o.path, r))), id: idOf(r) }));
  keyed.sort((a, b) => {
    for (const [n, o] of order.entries()) {
      const x = a.keys[n];
      const y = b.keys[n];
      // Empty values sort first ascending and last descending, as in SQL engines Zoho runs on.
      const d = x === undefined ? (y === undefined ? 0 : -1) : y === undefined ? 1 : compare(x, y);
      if (d !== 0) return d * o.sign;
    }
    return compare(a.id, b.id);
  });
  const page = keyed.slice(q.offset, q.offset + limit);
  const rows = page.map(({ r }) => {
    const row: Record<string, unknown> = {};
    for (const c of columns) row[c.text] = ex.output(c, r);
    row['id'] = r['id'];
    return row;
  });
  return { rows, more: keyed.length > q.offset + page.length };
}
