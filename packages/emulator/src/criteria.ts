/**
 * The search `criteria` grammar (wire spec §6): `((Last_Name:equals:Burns\,B)and(First_Name:starts_with:M))`,
 * plus the `email` / `phone` / `word` shortcuts of §5.8. Matching is typed by field metadata and
 * case-insensitive; `equals` is an exact match (Zoho's word match with several conditions is not emulated).
 */
import type { FieldMeta } from './seed/types.js';

export type CriteriaErrorCode = 'INVALID_QUERY' | 'LIMIT_EXCEEDED';

/** A refused criteria string; `code`, message and `details` go on the wire as Zoho's error object. */
export class CriteriaError extends Error {
  readonly code: CriteriaErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: CriteriaErrorCode, details: Record<string, unknown>) {
    super(code === 'LIMIT_EXCEEDED' ? 'limit exceeded' : 'invalid query formed');
    this.name = 'CriteriaError';
    this.code = code;
    this.details = details;
  }
}

export type CriteriaNode =
  | { kind: 'cond'; field: string; operator: string; values: string[] }
  | { kind: 'group'; op: 'and' | 'or'; children: CriteriaNode[] };

/**
 * The API version in which Zoho's search criteria gained each operator: v2 has two, v2.1 brought the rest
 * (Kaizen #82). The emulator keeps its own table, not the SDK's list: a judge must not share what it judges.
 */
const OPERATOR_SINCE: Readonly<Record<string, number>> = {
  equals: 2,
  starts_with: 2,
  ...Object.fromEntries(['not_equal', 'greater_than', 'greater_equal', 'less_than', 'less_equal', 'between', 'in', 'contains', 'not_contains', 'ends_with'].map((op) => [op, 2.1])),
};

function operatorsSince(version: number): ReadonlySet<string> {
  return new Set(Object.entries(OPERATOR_SINCE).flatMap(([op, since]) => (since <= version ? [op] : [])));
}

/** Operators of API v2. */
export const V2_OPERATORS: ReadonlySet<string> = operatorsSince(2);

/** Operators of v2.1 and later (Kaizen #82). */
export const ALL_OPERATORS: ReadonlySet<string> = operatorsSince(Infinity);

/** The operators an API version accepts: v2 only `equals` / `starts_with`, v2.1+ all. */
export function operatorsForVersion(version: number): ReadonlySet<string> {
  return version >= 2.1 ? ALL_OPERATORS : V2_OPERATORS;
}

/** Default cap on conditions per criteria string (Zoho's documented limit). */
export const DEFAULT_MAX_CONDITIONS = 10;
/** Parenthesis depth accepted; deeper is INVALID_QUERY instead of exhausting the parser's stack. */
export const CRITERIA_MAX_NESTING = 32;

export interface ParseCriteriaOptions {
  /** Operators accepted; others are INVALID_QUERY. Default: {@link ALL_OPERATORS}. */
  allowed?: ReadonlySet<string>;
  /** More conditions than this is LIMIT_EXCEEDED. Default: {@link DEFAULT_MAX_CONDITIONS}. */
  maxConditions?: number;
}

const invalid = (reason: string, extra: Record<string, unknown> = {}): CriteriaError => new CriteriaError('INVALID_QUERY', { reason, ...extra });

class Parser {
  pos = 0;
  conditions = 0;
  depth = 0;

  constructor(
    readonly text: string,
    readonly allowed: ReadonlySet<string>,
    readonly max: number,
  ) {}

  skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text.charAt(this.pos))) this.pos += 1;
  }

  /** `and` or `or` at the cursor (followed by space or `(`), consumed; undefined otherwise. */
  joiner(): 'and' | 'or' | undefined {
    this.skipSpace();
    const m = /^(and|or)(?=[\s(])/i.exec(this.text.slice(this.pos, this.pos + 4));
    if (m === null) return undefined;
    this.pos += (m[1] as string).length;
    return (m[1] as string).toLowerCase() as 'and' | 'or';
  }

  /** expr := andList ('or' andList)*; `and` binds tighter, as in Zoho's examples. */
  expr(): CriteriaNode {
    const ors: CriteriaNode[] = [];
    let ands: CriteriaNode[] = [this.term()];
    for (;;) {
      const op = this.joiner();
      if (op === undefined) break;
      if (op === 'or') {
        ors.push(group('and', ands));
        ands = [];
      }
      ands.push(this.term());
    }
    ors.push(group('and', ands));
    return group('or', ors);
  }

  term(): CriteriaNode {
    this.skipSpace();
    if (this.text.charAt(this.pos) !== '(') throw invalid("expected '('", { position: this.pos });
    this.pos += 1;
    this.skipSpace();
    if (this.text.charAt(this.pos) === '(') {
      this.depth += 1;
      if (this.depth > CRITERIA_MAX_NESTING) throw invalid(`nested deeper than ${CRITERIA_MAX_NESTING} levels`, { position: this.pos });
      const inner = this.expr();
      this.depth -= 1;
      this.skipSpace();
      if (this.text.charAt(this.pos) !== ')') throw invalid("expected ')'", { position: this.pos });
      this.pos += 1;
      return inner;
    }
    const start = this.pos;
    while (this.pos < this.text.length && this.text.charAt(this.pos) !== ')') {
      this.pos += this.text.charAt(this.pos) === '\\' ? 2 : 1;
    }
    if (this.pos >= this.text.length) throw invalid("expected ')'", { position: this.text.length });
    const raw = this.text.slice(start, this.pos);
    this.pos += 1;
    this.conditions += 1;
    if (this.conditions > this.max) throw new CriteriaError('LIMIT_EXCEEDED', { limit: this.max, reason: `more than ${this.max} conditions` });
    return this.condition(raw);
  }

  condition(raw: string): CriteriaNode {
    const parts = splitUnescaped(raw, ':', 2);
    if (parts.length < 3) throw invalid('a condition needs field:operator:value', { condition: raw });
    const field = (parts[0] as string).trim();
    const operator = (parts[1] as string).trim().toLowerCase();
    if (field === '' || !/^[A-Za-z0-9_$.]+$/.test(field)) throw invalid('invalid field name', { condition: raw });
    if (!ALL_OPERATORS.has(operator) || !this.allowed.has(operator)) {
      throw invalid('invalid operator found', { api_name: field, operator });
    }
    const values = splitUnescaped(parts[2] as string, ',').map(unescape);
    if (operator === 'between' && values.length !== 2) throw invalid('between needs two values', { api_name: field, operator });
    return { kind: 'cond', field, operator, values };
  }
}

function group(op: 'and' | 'or', children: CriteriaNode[]): CriteriaNode {
  return children.length === 1 ? (children[0] as CriteriaNode) : { kind: 'group', op, children };
}

/** Splits at unescaped `sep` (at most `max` times), keeping backslash escapes for {@link unescape}. */
function splitUnescaped(text: string, sep: string, max = Infinity): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charAt(i);
    if (c === '\\') i += 1;
    else if (c === sep && out.length < max) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

const unescape = (s: string): string => s.replace(/\\(.)/gs, '$1');

/** Parses a criteria string; throws {@link CriteriaError} when it is malformed, too long or uses a refused operator. */
export function parseCriteria(text: string, options: ParseCriteriaOptions = {}): CriteriaNode {
  const p = new Parser(text.trim(), options.allowed ?? ALL_OPERATORS, options.maxConditions ?? DEFAULT_MAX_CONDITIONS);
  if (p.text === '') throw invalid('empty criteria');
  const node = p.expr();
  p.skipSpace();
  if (p.pos !== p.text.length) throw invalid('unexpected text after criteria', { position: p.pos });
  return node;
}

// ---------------------------------------------------------------- matching

const fieldMaps = new WeakMap<FieldMeta[], Map<string, FieldMeta>>();

function fieldMap(fields: FieldMeta[]): Map<string, FieldMeta> {
  let m = fieldMaps.get(fields);
  if (m === undefined) {
    m = new Map(fields.map((f) => [f.api_name, f]));
    fieldMaps.set(fields, m);
  }
  return m;
}

/** The pseudo-field `id` is searchable although no field metadata describes it. */
const ID_FIELD = { api_name: 'id', data_type: 'bigint' } as FieldMeta;

function resolveField(name: string, fields: FieldMeta[]): FieldMeta {
  if (name === 'id') return ID_FIELD;
  const f = fieldMap(fields).get(name);
  if (f === undefined) throw invalid('the api name given seems to be invalid', { api_name: name });
  return f;
}

/** Throws INVALID_QUERY `{api_name}` for the first condition naming a field that `fields` lacks. */
export function validateCriteriaFields(node: CriteriaNode, fields: FieldMeta[]): void {
  if (node.kind === 'cond') resolveField(node.field, fields);
  else for (const c of node.children) validateCriteriaFields(c, fields);
}

const NUMERIC = new Set(['integer', 'bigint', 'long', 'double', 'currency', 'percent', 'decimal']);
const LOOKUPS = new Set(['lookup', 'ownerlookup', 'userlookup']);

type Kind = 'number' | 'boolean' | 'date' | 'datetime' | 'text';

function kindOf(f: FieldMeta): Kind {
  const t = f.data_type === 'formula' ? String((f.formula as { return_type?: unknown } | undefined)?.return_type ?? 'text') : f.data_type;
  if (NUMERIC.has(t)) return 'number';
  if (t === 'boolean') return 'boolean';
  if (t === 'date') return 'date';
  if (t === 'datetime' || t === 'event_reminder') return 'datetime';
  return 'text';
}

/** Candidate strings of a record value: lookups offer their name and id, arrays each element. */
function candidates(v: unknown): string[] {
  if (v === null || v === undefined || v === '') return [];
  if (Array.isArray(v)) return v.flatMap(candidates);
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return [o['name'], o['id']].filter((x) => x !== undefined && x !== null).map((x) => String(x));
  }
  return [String(v)];
}

/** Comparable form of a value for a field kind; undefined when it does not parse. */
function toComparable(kind: Kind, s: string): number | string | undefined {
  switch (kind) {
    case 'number': {
      const n = s.trim() === '' ? NaN : Number(s);
      return Number.isFinite(n) ? n : undefined;
    }
    case 'boolean':
      return s.toLowerCase() === 'true' ? 1 : s.toLowerCase() === 'false' ? 0 : undefined;
    case 'datetime': {
      const ms = Date.parse(s.trim());
      return Number.isNaN(ms) ? undefined : ms;
    }
    case 'date':
      return /^\d{4}-\d{2}-\d{2}/.test(s.trim()) ? s.trim().slice(0, 10) : undefined;
    default:
      return s.toLowerCase();
  }
}

function cmp(a: number | string, b: number | string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function matchCond(node: Extract<CriteriaNode, { kind: 'cond' }>, record: Record<string, unknown>, fields: FieldMeta[]): boolean {
  const field = resolveField(node.field, fields);
  // Lookups compare as text against both name and id.
  const kind = LOOKUPS.has(field.data_type) ? 'text' : kindOf(field);
  const have = candidates(record[node.field])
    .map((s) => toComparable(kind, s))
    .filter((x): x is number | string => x !== undefined);
  const want = node.values.map((s) => toComparable(kind, s)).filter((x): x is number | string => x !== undefined);
  const anyPair = (test: (h: number | string, w: number | string) => boolean): boolean => have.some((h) => want.some((w) => test(h, w)));
  const text = (test: (h: string, w: string) => boolean): boolean => anyPair((h, w) => test(String(h), String(w)));
  switch (node.operator) {
    case 'equals':
    case 'in':
      return anyPair((h, w) => h === w);
    case 'not_equal':
      return !anyPair((h, w) => h === w);
    case 'starts_with':
      return text((h, w) => h.startsWith(w));
    case 'ends_with':
      return text((h, w) => h.endsWith(w));
    case 'contains':
      return text((h, w) => h.includes(w));
    case 'not_contains':
      return !text((h, w) => h.includes(w));
    case 'greater_than':
      return anyPair((h, w) => cmp(h, w) > 0);
    case 'greater_equal':
      return anyPair((h, w) => cmp(h, w) >= 0);
    case 'less_than':
      return anyPair((h, w) => cmp(h, w) < 0);
    case 'less_equal':
      return anyPair((h, w) => cmp(h, w) <= 0);
    case 'between': {
      const [lo, hi] = want;
      return lo !== undefined && hi !== undefined && have.some((h) => cmp(h, lo) >= 0 && cmp(h, hi) <= 0);
    }
    default:
      return false;
  }
}

/** Whether `record` satisfies the criteria; unknown fields throw INVALID_QUERY `{api_name}`. */
export function matchCriteria(node: CriteriaNode, record: Record<string, unknown>, fields: FieldMeta[]): boolean {
  if (node.kind === 'cond') return matchCond(node, record, fields);
  return node.op === 'and'
    ? node.children.every((c) => matchCriteria(c, record, fields))
    : node.children.some((c) => matchCriteria(c, record, fields));
}

// ---------------------------------------------------------------- email / phone / word

const fieldsOfType = (fields: FieldMeta[], type: string): string[] => fields.filter((f) => f.data_type === type).map((f) => f.api_name);

/** `email=`: any email-type field equals the value, case-insensitively. */
export function matchesEmail(record: Record<string, unknown>, fields: FieldMeta[], value: string): boolean {
  const want = value.trim().toLowerCase();
  return want !== '' && fieldsOfType(fields, 'email').some((n) => typeof record[n] === 'string' && (record[n] as string).toLowerCase() === want);
}

const digitsOf = (s: string): string => s.replace(/\D/g, '');

/**
 * `phone=`: any phone-type field has the same digits, ignoring formatting; a number given without its
 * country code (7+ digits) matches the end of a stored one.
 */
export function matchesPhone(record: Record<string, unknown>, fields: FieldMeta[], value: string): boolean {
  const want = digitsOf(value);
  if (want === '') return false;
  return fieldsOfType(fields, 'phone').some((n) => {
    const v = record[n];
    if (typeof v !== 'string') return false;
    const have = digitsOf(v);
    if (have === '') return false;
    if (have === want) return true;
    const [short, long] = have.length < want.length ? [have, want] : [want, have];
    return short.length >= 7 && long.endsWith(short);
  });
}

const WORD_TYPES = new Set(['text', 'textarea', 'mediumtext', 'email', 'phone', 'website', 'picklist', 'multiselectpicklist', 'autonumber', 'lookup']);

/** `word=`: a case-insensitive substring of any text-like field (lookups by name). */
export function matchesWord(record: Record<string, unknown>, fields: FieldMeta[], value: string): boolean {
  const want = value.trim().toLowerCase();
  if (want === '') return false;
  for (const f of fields) {
    if (!WORD_TYPES.has(f.data_type)) continue;
    const v = record[f.api_name];
    const texts = f.data_type === 'lookup' ? [String((v as { name?: unknown } | null)?.name ?? '')] : candidates(v);
    if (texts.some((t) => t.toLowerCase().includes(want))) return true;
  }
  return false;
}
