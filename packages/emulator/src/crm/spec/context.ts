/** What every spec-routed handler receives, and the helpers they share to read schemas and shape replies. */
import type { CrmRequest, EmuResponse } from '../../http-types.js';
import type { CrmState } from '../state.js';
import { conform, type SampleContext } from './sample.js';
import { deref } from './schemas.js';
import type { SpecStore } from './store.js';
import type { Schema, SpecOperation } from './types.js';

export interface SpecContext {
  state: CrmState;
  store: SpecStore;
  req: CrmRequest;
  op: SpecOperation;
  /** Path parameters by the operation's names. */
  params: Record<string, string>;
  sampling: SampleContext;
}

export type SpecHandler = (ctx: SpecContext) => EmuResponse | Promise<EmuResponse>;


/**
 * An id for things the spec router creates: digits like Zoho's, short enough (≤ 15) to survive as a JSON
 * number where Zoho's schema types an id as integer.
 */
export function newId(state: CrmState): string {
  return String(BigInt(state.nextId()) % 10n ** 15n);
}

export function samplingFor(state: CrmState): SampleContext {
  return { id: () => newId(state), now: state.nowString() };
}

/** The first object branch of a schema (through `$ref` and `anyOf`). */
export function objectSchema(schema: Schema | null | undefined): Schema | undefined {
  if (schema === null || schema === undefined) return undefined;
  const s = deref(schema);
  if (s.anyOf !== undefined) {
    for (const b of s.anyOf) {
      const o = objectSchema(b);
      if (o !== undefined) return o;
    }
    return undefined;
  }
  return s.type === 'object' || s.properties !== undefined ? s : undefined;
}

/** Every object branch of a schema (through `$ref` and `anyOf`), in order. */
function objectBranches(schema: Schema | null | undefined): Schema[] {
  if (schema === null || schema === undefined) return [];
  const s = deref(schema);
  if (s.anyOf !== undefined) return s.anyOf.flatMap(objectBranches);
  return s.type === 'object' || s.properties !== undefined ? [s] : [];
}

/**
 * The array-of-objects property a wrapper holds its items in (`currencies`, `data` ...), with the item
 * schema: from the first `anyOf` branch that has one (Zoho lists error shapes as branches too).
 */
export function envelopeOf(schema: Schema | null | undefined): { key: string; item: Schema } | undefined {
  for (const o of objectBranches(schema)) {
    const found = envelopeIn(o);
    if (found !== undefined) return found;
  }
  return undefined;
}

function envelopeIn(o: Schema): { key: string; item: Schema } | undefined {
  if (o.properties === undefined) return undefined;
  for (const [key, p] of Object.entries(o.properties)) {
    if (key === 'info') continue;
    const d = deref(p);
    const arr = d.anyOf?.map(deref).find((b) => b.type === 'array') ?? d;
    if (arr.type === 'array' && arr.items !== undefined) return { key, item: arr.items };
  }
  return undefined;
}

/** The object property of a wrapper that holds one object (`{ fiscal_year: {...} }`), if it is that shape. */
export function singleOf(schema: Schema | null | undefined): { key: string; item: Schema } | undefined {
  const o = objectSchema(schema);
  if (o?.properties === undefined) return undefined;
  const entries = Object.entries(o.properties);
  if (entries.length !== 1) return undefined;
  const [key, p] = entries[0] as [string, Schema];
  return objectSchema(p) === undefined ? undefined : { key, item: p };
}

/** The success status and schema an operation replies with (201 before 200 for creates, 202 for jobs). */
export function successOf(op: SpecOperation, preferred?: number): { status: number; schema: Schema | undefined } {
  const statuses = Object.keys(op.responses).map(Number).filter((s) => s >= 200 && s < 300);
  const order = preferred !== undefined ? [preferred, 200, 201, 202, 207] : op.method === 'POST' ? [201, 200, 202, 207] : [200, 201, 202, 207];
  for (const s of order) {
    if (statuses.includes(s) && op.responses[String(s)]?.schema != null) return { status: s, schema: op.responses[String(s)]?.schema ?? undefined };
  }
  const any = statuses.find((s) => s !== 204);
  if (any !== undefined) return { status: any, schema: op.responses[String(any)]?.schema ?? undefined };
  return { status: statuses[0] ?? 200, schema: undefined };
}

/** Replies `body` fitted to the operation's success schema for `status`. */
export function reply(ctx: SpecContext, body: unknown, preferred?: number): EmuResponse {
  const { status, schema } = successOf(ctx.op, preferred);
  if (schema === undefined) return status === 204 ? { status: 204 } : { status, json: body ?? {} };
  return { status, json: conform(body, schema, ctx.sampling) };
}

export function lists204(op: SpecOperation): boolean {
  return op.responses['204'] !== undefined;
}

export function isObj(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
