/**
 * Sample values from the description's schemas (the OAS has no examples: ours are made here) and
 * `conform`, which fits stored data into a reply schema: values of the right type are kept, missing
 * required keys are filled with samples. Deterministic: the same schema and data give the same reply.
 */
import { deref } from './schemas.js';
import type { Schema } from './types.js';

const MAX_DEPTH = 7;
const SAMPLE_TIME = '2026-01-05T10:00:00+00:00';
const SAMPLE_DATE = '2026-01-05';
const SAMPLE_TIME_ZONE = 'UTC';

export interface SampleContext {
  /** Makes a fresh id (digits) for `id` keys of generated objects. */
  id: () => string;
  /** The time to put in date-time values. */
  now?: string;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function isPlain(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The value a string schema gets, guided by the key it sits under. */
function sampleString(s: Schema, key: string, ctx: SampleContext): string {
  if (s.format === 'date-time') return ctx.now ?? SAMPLE_TIME;
  if (s.format === 'date') return SAMPLE_DATE;
  if (s.pattern !== undefined) {
    const made = fromPattern(s.pattern);
    if (made !== undefined) return made;
  }
  const k = key.toLowerCase();
  let v: string;
  if (k === 'id' || k.endsWith('_id')) v = ctx.id();
  else if (k === 'timezone' || k === 'time_zone') v = SAMPLE_TIME_ZONE;
  else if (k.includes('email')) v = 'sample@example.com';
  else if (k.includes('url') || k.includes('website')) v = 'https://example.com';
  else if (k.includes('time')) v = ctx.now ?? SAMPLE_TIME;
  else if (k.includes('date')) v = SAMPLE_DATE;
  else if (k === 'api_name' || k.endsWith('api_name')) v = 'Sample_Name';
  else v = key === '' ? 'sample' : `Sample ${key.replace(/_/g, ' ')}`;
  if (s.maxLength !== undefined && v.length > s.maxLength) v = v.slice(0, Math.max(s.maxLength, 0));
  while (s.minLength !== undefined && v.length < s.minLength) v += 'x';
  return v;
}

/** A string matching a simple regular expression (classes, literals, {n}, +, *, ?, first alternative). */
export function fromPattern(pattern: string): string | undefined {
  const body = pattern.split('|')[0]?.replace(/^\^/, '').replace(/\$$/, '') ?? '';
  let out = '';
  let i = 0;
  while (i < body.length) {
    let atom: string;
    const c = body[i] ?? '';
    if (c === '[') {
      const end = body.indexOf(']', i + 1);
      if (end < 0) return undefined;
      const cls = body.slice(i + 1, end);
      atom = cls.startsWith('^') ? 'x' : cls.replace(/\\\\/g, '\\')[0] === '\\' ? (cls[1] ?? 'x') : (cls[0] ?? 'x');
      // A class starting a range like `1-9` gives its first character; `a-z` gives 'a'.
      i = end + 1;
    } else if (c === '\\') {
      const n = body[i + 1] ?? '';
      atom = n === 'd' ? '1' : n === 'w' ? 'a' : n === 's' ? ' ' : n;
      i += 2;
    } else if (c === '(' || c === ')') {
      i += 1;
      continue;
    } else {
      atom = c === '.' ? 'a' : c;
      i += 1;
    }
    const q = body[i];
    if (q === '{') {
      const end = body.indexOf('}', i);
      const [min] = body.slice(i + 1, end).split(',');
      out += atom.repeat(Math.max(Number(min) || 1, 1));
      i = end + 1;
    } else if (q === '+' || q === '*' || q === '?') {
      if (q === '+') out += atom;
      i += 1;
    } else {
      out += atom;
    }
  }
  try {
    return new RegExp(pattern, 'u').test(out) ? out : undefined;
  } catch {
    return undefined;
  }
}

/** A sample instance of a schema. `full` also fills optional scalar keys of the outer objects. */
export function sample(schema: Schema, ctx: SampleContext, full = false): Json {
  return build(undefined, schema, ctx, '', 0, full, new Set(), false);
}

/**
 * Fits `value` into `schema`: keeps what has the right shape, fills what is required and missing.
 * `keep` keeps every value that is there, whatever its type or enum (for hand-written replies, whose values
 * are the emulator's truth), and only adds what is missing; a null the schema neither requires nor allows is
 * left out.
 */
export function conform(value: unknown, schema: Schema, ctx: SampleContext, keep = false): Json {
  return build(value, schema, ctx, '', 0, false, new Set(), keep);
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function fits(v: unknown, s: Schema): boolean {
  const t = typeOf(v);
  if (v === null) return s.nullable === true || s.type === 'null' || (s.enum?.includes(null) ?? false);
  if (s.type === undefined) return true;
  if (s.type === 'number') return t === 'number' || t === 'integer';
  return s.type === t;
}

/** Whether a schema (through references and anyOf branches) accepts null. */
function allowsNull(schema: Schema): boolean {
  const s = deref(schema);
  return s.anyOf !== undefined ? s.anyOf.some(allowsNull) : s.type === undefined || fits(null, s);
}

/** How well a value matches an anyOf branch (higher is better; -1 = wrong type). */
function score(v: unknown, branch: Schema): number {
  const s = deref(branch);
  if (v === undefined) return s.type === 'null' ? -1 : 0;
  if (s.anyOf !== undefined) return Math.max(...s.anyOf.map((b) => score(v, b)));
  if (!fits(v, s)) return -1;
  if (isPlain(v) && s.properties !== undefined) {
    const props = s.properties;
    const keys = Object.keys(v);
    const known = keys.filter((k) => k in props).length;
    const missing = (s.required ?? []).filter((k) => !(k in v)).length;
    return 1 + known - missing;
  }
  return 1;
}

function build(v: unknown, schema: Schema, ctx: SampleContext, key: string, depth: number, full: boolean, refs: Set<string>, keep: boolean): Json {
  const ref = schema.$ref;
  if (ref !== undefined) {
    if (refs.has(ref) && v === undefined && depth > 2) return {};
    const next = new Set(refs).add(ref);
    return build(v, deref(schema), ctx, key, depth, full, next, keep);
  }
  if (schema.anyOf !== undefined && schema.anyOf.length > 0) {
    let best = schema.anyOf[0] as Schema;
    let bestScore = -2;
    for (const b of schema.anyOf) {
      const sc = score(v, b);
      if (sc > bestScore) {
        best = b;
        bestScore = sc;
      }
    }
    const { anyOf: _a, ...rest } = schema;
    const merged = Object.keys(rest).length > 0 ? { ...rest, ...deref(best) } : best;
    return build(v, merged, ctx, key, depth, full, refs, keep);
  }
  if (schema.allOf !== undefined) {
    let acc: unknown = v;
    for (const part of schema.allOf) acc = build(acc, part, ctx, key, depth, full, refs, keep);
    return acc as Json;
  }
  if (keep && v === null) return null;
  if (keep && v !== undefined && typeof v !== 'object') {
    // Hand-written values stay (enums and patterns come from one sample org; null is the emulator's "none"),
    // whatever the schema says of them, except numbers where the OAS says string (counts excepted: Zoho's docs show numbers).
    const t = schema.type;
    return (t === 'string' && typeof v === 'number' && key !== 'count' ? String(v) : v) as Json;
  }
  if (v === null && fits(null, schema)) return null;
  if (schema.enum !== undefined && schema.enum.length > 0) {
    if (schema.enum.some((e) => e === v)) return v as Json;
    const first = schema.enum.find((e) => e !== null);
    return (first ?? null) as Json;
  }
  const type = schema.type ?? (schema.properties !== undefined ? 'object' : schema.items !== undefined ? 'array' : typeOf(v));
  // A bare nullable object is the OAS's placeholder for a value it could not type (a user's `time_zone`): null.
  if (v === undefined && type === 'object' && schema.properties === undefined && schema.additionalProperties === undefined && schema.nullable === true) return null;
  switch (type) {
    case 'object': {
      const src = isPlain(v) ? v : {};
      const out: Record<string, Json> = {};
      const props = schema.properties ?? {};
      const required = schema.required ?? [];
      for (const [k, val] of Object.entries(src)) {
        if (val === undefined) continue;
        const p = props[k];
        // A hand-written "none" (null) the schema neither requires nor allows is left out rather than sent invalid.
        if (keep && val === null && p !== undefined && !required.includes(k) && !allowsNull(p)) continue;
        if (p !== undefined) out[k] = build(val, p, ctx, k, depth + 1, false, refs, keep);
        else if (schema.additionalProperties === false) continue;
        else if (isPlain(schema.additionalProperties)) out[k] = build(val, schema.additionalProperties, ctx, k, depth + 1, false, refs, keep);
        else out[k] = val as Json;
      }
      if (depth > MAX_DEPTH && v === undefined) return out;
      for (const k of schema.required ?? []) {
        const p = props[k];
        if (!(k in out)) out[k] = p === undefined ? 'sample' : build(undefined, p, ctx, k, depth + 1, full, refs, keep);
      }
      if (full && depth < 2) {
        // Optional keys too: scalars on the outer two levels, objects and arrays on the outermost.
        for (const [k, p] of Object.entries(props)) {
          if (k in out) continue;
          const d = deref(p);
          const scalar = d.type !== undefined && d.type !== 'object' && d.type !== 'array';
          if (scalar || (depth === 0 && d.type !== undefined && !(p.$ref !== undefined && refs.has(p.$ref)))) {
            out[k] = build(undefined, p, ctx, k, depth + 1, full, refs, keep);
          }
        }
      }
      return out;
    }
    case 'array': {
      const items = schema.items ?? {};
      if (Array.isArray(v)) return v.map((x) => build(x, items, ctx, key, depth + 1, false, refs, keep));
      const n = Math.max(schema.minItems ?? 0, full && depth < 2 ? 1 : 0);
      return Array.from({ length: n }, () => build(undefined, items, ctx, key, depth + 1, full, refs, keep));
    }
    case 'string':
      if (typeof v === 'string' && stringOk(v, schema)) return v;
      if ((typeof v === 'number' || typeof v === 'boolean') && stringOk(String(v), schema)) return String(v);
      return sampleString(schema, key, ctx);
    case 'integer':
      if (typeof v === 'number' && Number.isInteger(v) && numberOk(v, schema)) return v;
      if (typeof v === 'string' && /^-?\d{1,15}$/.test(v) && numberOk(Number(v), schema)) return Number(v);
      return schema.minimum ?? (schema.maximum !== undefined && schema.maximum < 1 ? schema.maximum : 1);
    case 'number':
      if (typeof v === 'number' && numberOk(v, schema)) return v;
      if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) && numberOk(Number(v), schema)) return Number(v);
      return schema.minimum ?? (schema.maximum !== undefined && schema.maximum < 1 ? schema.maximum : 1);
    case 'boolean':
      if (typeof v === 'boolean') return v;
      if (v === 'true' || v === 'false') return v === 'true';
      return false;
    case 'null':
      return null;
    default:
      return v === undefined ? null : (v as Json);
  }
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function stringOk(v: string, s: Schema): boolean {
  if (s.format === 'date' && !DATE.test(v)) return false;
  if (s.format === 'date-time' && !DATE_TIME.test(v)) return false;
  if (s.minLength !== undefined && v.length < s.minLength) return false;
  if (s.maxLength !== undefined && v.length > s.maxLength) return false;
  if (s.pattern !== undefined) {
    try {
      if (!new RegExp(s.pattern, 'u').test(v)) return false;
    } catch {
      return true;
    }
  }
  return true;
}

function numberOk(v: number, s: Schema): boolean {
  return (s.minimum === undefined || v >= s.minimum) && (s.maximum === undefined || v <= s.maximum);
}
