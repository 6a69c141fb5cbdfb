/**
 * Search-records matching (wire spec §5.8, §6): the `criteria` grammar with backslash escapes, v2 operators
 * (equals, starts_with) and the v3+ additions, plus the `email`, `phone` and `word` shortcuts. Matching is
 * case-insensitive; `equals` is an exact match (Zoho's word-match quirk with several conditions is not
 * emulated); an unescaped comma in a value ORs the values.
 */
import type { CrmRecord } from '../seed/types.js';
import type { ModuleStore } from './store-types.js';

export class SearchError extends Error {
  constructor(readonly details: Record<string, unknown>) {
    super('invalid query formed');
  }
}

type Node = { kind: 'cond'; field: string; op: string; values: string[] } | { kind: 'group'; op: 'and' | 'or'; items: Node[] };

const V2_OPS = new Set(['equals', 'starts_with']);
const V3_OPS = new Set([
  ...V2_OPS,
  'not_equal',
  'greater_than',
  'greater_equal',
  'less_than',
  'less_equal',
  'between',
  'in',
  'contains',
  'not_contains',
  'ends_with',
]);
const MAX_CONDITIONS = 10;

class Parser {
  pos = 0;
  count = 0;
  constructor(readonly text: string) {}

  skip(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos] ?? '')) this.pos += 1;
  }

  expr(): Node {
    const items = [this.term()];
    let op: 'and' | 'or' | undefined;
    for (;;) {
      this.skip();
      const rest = this.text.slice(this.pos).toLowerCase();
      const m = /^(and|or)\b|^(and|or)(?=\()/.exec(rest);
      if (m === null) break;
      const word = (m[1] ?? m[2]) as 'and' | 'or';
      if (op !== undefined && op !== word) {
        // Mixed operators without parentheses: and binds tighter, as in Zoho's examples.
        const prev = items.pop() as Node;
        this.pos += word.length;
        items.push({ kind: 'group', op: word, items: [prev, this.term()] });
        continue;
      }
      op = word;
      this.pos += word.length;
      items.push(this.term());
    }
    return items.length === 1 ? (items[0] as Node) : { kind: 'group', op: op ?? 'and', items };
  }

  term(): Node {
    this.skip();
    if (this.text[this.pos] !== '(') throw new SearchError({ reason: 'invalid criteria' });
    this.pos += 1;
    this.skip();
    if (this.text[this.pos] === '(') {
      const inner = this.expr();
      this.skip();
      if (this.text[this.pos] !== ')') throw new SearchError({ reason: 'invalid criteria' });
      this.pos += 1;
      return inner;
    }
    // A condition runs to the first unescaped ')'.
    let raw = '';
    while (this.pos < this.text.length && this.text[this.pos] !== ')') {
      const c = this.text[this.pos] as string;
      if (c === '\\' && this.pos + 1 < this.text.length) {
        raw += c + (this.text[this.pos + 1] as string);
        this.pos += 2;
        continue;
      }
      raw += c;
      this.pos += 1;
    }
    if (this.text[this.pos] !== ')') throw new SearchError({ reason: 'invalid criteria' });
    this.pos += 1;
    this.count += 1;
    if (this.count > MAX_CONDITIONS) throw new SearchError({ reason: 'maximum criteria limit exceeded', limit: MAX_CONDITIONS });
    return condition(raw);
  }
}

/** Splits at unescaped occurrences of `sep`, keeping escapes for a later unescape. */
function splitUnescaped(text: string, sep: string, max = Infinity): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i] as string;
    if (c === '\\' && i + 1 < text.length) {
      cur += c + (text[i + 1] as string);
      i += 1;
    } else if (c === sep && out.length < max) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

const unescape = (s: string): string => s.replace(/\\(.)/g, '$1');

function condition(raw: string): Node {
  const parts = splitUnescaped(raw, ':', 2);
  if (parts.length < 3) throw new SearchError({ reason: 'invalid criteria' });
  const [field, op, value] = parts as [string, string, string];
  return { kind: 'cond', field: field.trim(), op: op.trim().toLowerCase(), values: splitUnescaped(value, ',').map(unescape) };
}

export function parseSearchCriteria(text: string, store: ModuleStore, v3: boolean): Node {
  const p = new Parser(text.trim());
  const node = p.expr();
  p.skip();
  if (p.pos !== p.text.length) throw new SearchError({ reason: 'invalid criteria' });
  validate(node, store, v3 ? V3_OPS : V2_OPS);
  return node;
}

function validate(node: Node, store: ModuleStore, ops: Set<string>): void {
  if (node.kind === 'group') {
    for (const n of node.items) validate(n, store, ops);
    return;
  }
  if (node.field !== 'id' && !store.fields.has(node.field)) {
    throw new SearchError({ reason: 'the api name given seems to be invalid', api_name: node.field });
  }
  if (!ops.has(node.op)) throw new SearchError({ reason: 'invalid operator found', api_name: node.field, operator: node.op });
}

function texts(v: unknown): string[] {
  if (v === null || v === undefined) return [];
  if (Array.isArray(v)) return v.flatMap(texts);
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return [o['name'], o['id']].filter((x) => x !== undefined && x !== null).map((x) => String(x).toLowerCase());
  }
  return [String(v).toLowerCase()];
}

function compare(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  if (a.trim() !== '' && b.trim() !== '' && Number.isFinite(x) && Number.isFinite(y)) return x - y;
  return a < b ? -1 : a > b ? 1 : 0;
}

function matchCond(node: Extract<Node, { kind: 'cond' }>, record: CrmRecord): boolean {
  const have = texts(node.field === 'id' ? record.id : record[node.field]);
  const want = node.values.map((v) => v.toLowerCase());
  switch (node.op) {
    case 'equals':
    case 'in':
      return want.some((w) => have.includes(w));
    case 'not_equal':
      return !want.some((w) => have.includes(w));
    case 'starts_with':
      return want.some((w) => have.some((h) => h.startsWith(w)));
    case 'ends_with':
      return want.some((w) => have.some((h) => h.endsWith(w)));
    case 'contains':
      return want.some((w) => have.some((h) => h.includes(w)));
    case 'not_contains':
      return !want.some((w) => have.some((h) => h.includes(w)));
    case 'greater_than':
      return have.some((h) => compare(h, want[0] ?? '') > 0);
    case 'greater_equal':
      return have.some((h) => compare(h, want[0] ?? '') >= 0);
    case 'less_than':
      return have.some((h) => compare(h, want[0] ?? '') < 0);
    case 'less_equal':
      return have.some((h) => compare(h, want[0] ?? '') <= 0);
    case 'between':
      return have.some((h) => compare(h, want[0] ?? '') >= 0 && compare(h, want[1] ?? '') <= 0);
    default:
      return false;
  }
}

export function matchNode(node: Node, record: CrmRecord): boolean {
  if (node.kind === 'cond') return matchCond(node, record);
  return node.op === 'and' ? node.items.every((n) => matchNode(n, record)) : node.items.some((n) => matchNode(n, record));
}

/** The matcher for one of `email` / `phone` / `word`. */
export function shortcutMatcher(kind: 'email' | 'phone' | 'word', value: string, store: ModuleStore): (r: CrmRecord) => boolean {
  const want = value.trim().toLowerCase();
  if (kind === 'email' || kind === 'phone') {
    const names = store.def.fields.filter((f) => f.data_type === kind).map((f) => f.api_name);
    const digits = (s: string): string => s.replace(/\D/g, '');
    return (r) =>
      names.some((n) => {
        const v = r[n];
        if (typeof v !== 'string' || v === '') return false;
        return kind === 'email' ? v.toLowerCase() === want : digits(v) !== '' && digits(v) === digits(want);
      });
  }
  const textFields = store.def.fields
    .filter((f) => ['text', 'textarea', 'email', 'phone', 'website', 'picklist', 'lookup', 'autonumber'].includes(f.data_type))
    .map((f) => f.api_name);
  return (r) => textFields.some((n) => texts(r[n]).some((t) => t.includes(want)));
}
