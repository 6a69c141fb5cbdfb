/**
 * The generic stateful collection: serves every plain-CRUD resource of the description from its schemas.
 * Created things can be read, updated, listed and deleted with Zoho's envelopes (`{ currencies: [...] }`,
 * per-item SUCCESS results with `details.id`, 204 on empty lists, `info` for paging); each collection is
 * seeded with two sample items made from its schema. Singletons (one-object settings) keep the object a
 * PUT gives; actions answer a success reply shaped by the operation's schema.
 */
import type { EmuResponse } from '../../http-types.js';
import { error, errorBody, MSG, success, type ItemResult } from '../responses.js';
import { conform, sample } from './sample.js';
import { envelopeOf, isObj, lists204, newId, objectSchema, reply, singleOf, successOf, type SpecContext } from './context.js';
import { backedCollection, mapCollection, type Collection } from './backed.js';
import type { Item } from './store.js';
import type { Schema, SpecOperation } from './types.js';
import { OPERATIONS } from '../../generated/operations.js';

const SAMPLE_ITEMS = 2;
const DEFAULT_PER_PAGE = 200;

type Kind = 'list' | 'get' | 'create' | 'updateMany' | 'updateOne' | 'deleteMany' | 'deleteOne' | 'action';

/** Template segments after the version (`/crm/v8/`, `/crm/bulk/v8/`, `/crm/email/v8/`). */
export function tail(path: string): string[] {
  const segs = path.split('/').filter((s) => s !== '');
  const v = segs.findIndex((s) => /^v\d/.test(s));
  return segs.slice(v + 1);
}

function kindOf(op: SpecOperation): Kind {
  const segs = tail(op.path);
  const last = segs[segs.length - 1] ?? '';
  const action = segs.some((s) => s === 'actions' || s === 'action') || (op.method === 'POST' && last === 'search');
  if (action) return 'action';
  const item = last.startsWith('{');
  switch (op.method) {
    case 'GET':
      return item ? 'get' : 'list';
    case 'POST':
      return item ? 'action' : 'create';
    case 'PUT':
    case 'PATCH':
      return item ? 'updateOne' : 'updateMany';
    case 'DELETE':
      return item ? 'deleteOne' : 'deleteMany';
  }
}

/** The concrete collection path of a request (lower case), e.g. `settings/territories`. */
export function collectionKey(ctx: SpecContext): string {
  const segs = ctx.req.segments.map((s) => s.toLowerCase());
  const k = kindOf(ctx.op);
  const own = k === 'get' || k === 'updateOne' || k === 'deleteOne' ? segs.slice(0, -1) : segs;
  return own.join('/');
}

/** The item schema of the collection an operation works on: its reply's, else its body's. */
function itemSchemaOf(op: SpecOperation): Schema | undefined {
  const ok = successOf(op);
  return envelopeOf(op.method === 'GET' ? ok.schema : op.body?.schema)?.item ?? envelopeOf(ok.schema)?.item ?? envelopeOf(op.body?.schema)?.item;
}

/** The collection a request works on: state-backed (./backed.ts), else generic, seeded on first use. */
export function items(ctx: SpecContext, key = collectionKey(ctx)): Collection {
  return backedCollection(ctx, key) ?? mapCollection(genericItems(ctx, key));
}

/** The path template of the collection an operation works on (an item's operations drop the last segment). */
function collectionTemplate(op: SpecOperation): string {
  const k = kindOf(op);
  return k === 'get' || k === 'updateOne' || k === 'deleteOne' ? op.path.slice(0, op.path.lastIndexOf('/')) : op.path;
}

/**
 * The item schema sample items are made from: the listing's reply item (whichever operation touches the
 * collection first, so a collection first reached by a create or an update still holds items to address).
 */
function seedSchemaOf(op: SpecOperation): Schema | undefined {
  if (op.method === 'GET') return itemSchemaOf(op);
  const template = collectionTemplate(op);
  const listing = OPERATIONS.find((o) => o.method === 'GET' && o.path === template);
  return listing === undefined ? undefined : itemSchemaOf(listing);
}

/** Gives a generic collection its sample items the first time it is used. */
function genericItems(ctx: SpecContext, key: string): Map<string, Item> {
  const col = ctx.store.collection(key);
  if (!ctx.store.seeded.has(key)) {
    ctx.store.seeded.add(key);
    const schema = seedSchemaOf(ctx.op);
    if (schema !== undefined) {
      for (let i = 1; i <= SAMPLE_ITEMS; i += 1) {
        const made = sample(schema, ctx.sampling, true);
        const item = (isObj(made) ? made : {}) as Record<string, unknown>;
        const id = newId(ctx.state);
        if (typeof item['api_name'] === 'string') item['api_name'] = `Sample_${i}`;
        if (typeof item['name'] === 'string') item['name'] = `Sample ${ctx.op.area.replace(/_/g, ' ')} ${i}`;
        col.set(id, { ...item, id });
      }
    }
  }
  return col;
}

/** Finds an item by id, api_name or name (Zoho addresses variables, modules and portals by name too). */
export function findItem(col: Collection, ref: string): Item | undefined {
  const byId = col.get(ref);
  if (byId !== undefined) return byId;
  for (const i of col.all()) if (i['api_name'] === ref || i['name'] === ref) return i;
  return undefined;
}

function serverKeys(ctx: SpecContext, schema: Schema | undefined, isNew: boolean): Record<string, unknown> {
  const props = objectSchema(schema)?.properties ?? {};
  const by = ctx.state.userRef(ctx.req.userId, false);
  const now = ctx.state.nowString();
  const out: Record<string, unknown> = {};
  if (isNew && 'created_time' in props) out['created_time'] = now;
  if (isNew && 'created_by' in props) out['created_by'] = by;
  if ('modified_time' in props) out['modified_time'] = now;
  if ('modified_by' in props) out['modified_by'] = by;
  return out;
}

/** The items a write body carries: its envelope array, else the body object itself. */
export function bodyItems(ctx: SpecContext): { key: string | undefined; list: unknown[] } {
  const body = ctx.req.json;
  const env = envelopeOf(ctx.op.body?.schema ?? undefined);
  if (env !== undefined && isObj(body) && Array.isArray(body[env.key])) return { key: env.key, list: body[env.key] as unknown[] };
  if (isObj(body)) {
    const arr = Object.entries(body).find(([, v]) => Array.isArray(v) && v.every(isObj));
    if (arr !== undefined) return { key: arr[0], list: arr[1] as unknown[] };
    const single = Object.entries(body).find(([, v]) => isObj(v));
    if (single !== undefined && Object.keys(body).length === 1) return { key: single[0], list: [single[1]] };
    return { key: undefined, list: [body] };
  }
  return { key: undefined, list: [] };
}

const VERB: Record<Kind, string> = {
  list: 'fetched',
  get: 'fetched',
  create: 'created',
  updateMany: 'updated',
  updateOne: 'updated',
  deleteMany: 'deleted',
  deleteOne: 'deleted',
  action: 'done',
};

function ok(ctx: SpecContext, id: string | undefined, kind: Kind): ItemResult {
  return success(`${ctx.op.area.replace(/_/g, ' ')} ${VERB[kind]} successfully`, id === undefined ? {} : { id });
}

/** Replies with per-item results in the operation's write envelope: all ok → success status, all failed → 400, mixed → 207. */
export function writeReply(ctx: SpecContext, results: ItemResult[], preferred?: number): EmuResponse {
  const { status, schema } = successOf(ctx.op, preferred);
  const failed = results.filter((r) => r.status === 'error').length;
  const env = envelopeOf(schema) ?? envelopeOf(ctx.op.body?.schema);
  const key = env?.key ?? bodyItems(ctx).key ?? 'data';
  if (failed > 0 && failed === results.length) return { status: 400, json: { [key]: results } };
  const code = failed > 0 ? 207 : status;
  if (schema === undefined) return { status: code, json: { [key]: results } };
  const single = env === undefined ? singleOf(schema) : undefined;
  const body = env !== undefined ? { [key]: results } : single !== undefined ? { [single.key]: results[0] } : results[0];
  return { status: code, json: conform(body, schema, ctx.sampling) };
}

function invalidId(id: string): ItemResult {
  return errorBody('INVALID_DATA', MSG.invalidId, { id });
}

function withPath(r: ItemResult, key: string | undefined, i: number, field?: string): ItemResult {
  if (r.status !== 'error' || key === undefined) return r;
  return { ...r, details: { ...r.details, json_path: `$.${key}[${i}]${field === undefined ? '' : `.${field}`}` } };
}

/** DUPLICATE_DATA when another item already has this name / api_name (only where the operation documents it). */
function duplicate(ctx: SpecContext, col: Collection, input: Record<string, unknown>, self?: string): ItemResult | undefined {
  if (!ctx.op.errorCodes.includes('DUPLICATE_DATA')) return undefined;
  for (const field of ['api_name', 'name']) {
    const v = input[field];
    if (typeof v !== 'string' || v === '') continue;
    for (const other of col.all()) {
      if (other.id !== self && typeof other[field] === 'string' && (other[field] as string).toLowerCase() === v.toLowerCase()) {
        return errorBody('DUPLICATE_DATA', MSG.duplicate, { api_name: field, id: other.id });
      }
    }
  }
  return undefined;
}

/** Serves an operation generically by its kind. */
export function genericHandler(ctx: SpecContext): EmuResponse {
  const kind = kindOf(ctx.op);
  switch (kind) {
    case 'list':
    case 'get':
      return read(ctx, kind);
    case 'create':
      return create(ctx);
    case 'updateMany':
    case 'updateOne':
      return update(ctx, kind);
    case 'deleteMany':
    case 'deleteOne':
      return remove(ctx, kind);
    case 'action':
      return action(ctx);
  }
}

function lastParam(ctx: SpecContext): string {
  const segs = ctx.req.segments;
  return segs[segs.length - 1] ?? '';
}

/**
 * The envelope key of a collection whose reply has no schema (sharing rules, services): the key its
 * sibling operations' bodies or replies use, else `data`.
 */
function siblingEnvelopeKey(op: SpecOperation): string {
  const base = kindOf(op) === 'get' ? op.path.slice(0, op.path.lastIndexOf('/')) : op.path;
  for (const o of OPERATIONS) {
    if (o.path !== base && !o.path.startsWith(`${base}/{`)) continue;
    const found = envelopeOf(o.body?.schema) ?? Object.values(o.responses).map((r) => envelopeOf(r.schema)).find((e) => e !== undefined);
    if (found !== undefined) return found.key;
  }
  return 'data';
}

function read(ctx: SpecContext, kind: 'list' | 'get'): EmuResponse {
  const { schema } = successOf(ctx.op);
  const env = envelopeOf(schema) ?? (schema === undefined && (kind === 'get' || hasItemRoutes(ctx.op)) ? { key: siblingEnvelopeKey(ctx.op), item: {} } : undefined);
  if (env === undefined) {
    // A singleton (preferences, fiscal year ...): the object last written, else a sample.
    const key = ctx.req.segments.join('/').toLowerCase();
    let value = ctx.store.singletons.get(key);
    if (value === undefined) {
      if (schema === undefined) return lists204(ctx.op) ? { status: 204 } : reply(ctx, {});
      value = conform(sample(schema, ctx.sampling, true), schema, ctx.sampling) as Record<string, unknown>;
      if (kind === 'list') ctx.store.singletons.set(key, value);
    }
    return reply(ctx, value);
  }
  const col = items(ctx);
  if (kind === 'get') {
    const hit = findItem(col, lastParam(ctx));
    if (hit === undefined) return lists204(ctx.op) ? { status: 204 } : error(400, 'INVALID_DATA', MSG.invalidId, { id: lastParam(ctx) });
    return reply(ctx, { [env.key]: [hit] });
  }
  const all = col.all();
  const page = Math.max(1, Number(ctx.req.query['page'] ?? 1) || 1);
  const perPage = Math.max(1, Number(ctx.req.query['per_page'] ?? DEFAULT_PER_PAGE) || DEFAULT_PER_PAGE);
  const slice = all.slice((page - 1) * perPage, page * perPage);
  if (slice.length === 0 && lists204(ctx.op)) return { status: 204 };
  const info = { per_page: perPage, count: slice.length, page, more_records: all.length > page * perPage };
  const body: Record<string, unknown> = { [env.key]: slice };
  if (objectSchema(schema)?.properties?.['info'] !== undefined) body['info'] = info;
  return reply(ctx, body);
}

function create(ctx: SpecContext): EmuResponse {
  const { key, list } = bodyItems(ctx);
  if (key === undefined && envelopeOf(ctx.op.body?.schema) === undefined) return action(ctx);
  const ckey = collectionKey(ctx);
  const backed = backedCollection(ctx, ckey);
  const col = backed ?? items(ctx, ckey);
  const schema = envelopeOf(ctx.op.body?.schema)?.item;
  const results = list.map((input, i) => {
    if (!isObj(input)) return withPath(errorBody('INVALID_DATA', MSG.invalidData, {}), key, i);
    const dup = duplicate(ctx, col, input);
    if (dup !== undefined) return withPath(dup, key, i, dup.details['api_name'] as string);
    const id = backed === undefined ? newId(ctx.state) : ctx.state.nextId();
    const stored = { ...input, ...serverKeys(ctx, schema, true), id };
    // Generic items are completed from the schema once, so later replies stay stable.
    col.add((schema === undefined || backed !== undefined ? stored : { ...(conform(stored, schema, ctx.sampling) as Record<string, unknown>), id }) as Item);
    return ok(ctx, id, 'create');
  });
  return writeReply(ctx, results);
}

/** Whether the resource has routes for single items (`<path>/{id}`). */
function hasItemRoutes(op: SpecOperation): boolean {
  return OPERATIONS.some((o) => o.path.startsWith(`${op.path}/{`));
}

function update(ctx: SpecContext, kind: 'updateMany' | 'updateOne'): EmuResponse {
  const { key, list } = bodyItems(ctx);
  const env = envelopeOf(ctx.op.body?.schema) ?? envelopeOf(successOf(ctx.op).schema);
  if (env === undefined && kind === 'updateMany') {
    // A singleton: merge what was sent into the stored object.
    const skey = ctx.req.segments.join('/').toLowerCase();
    const prev = ctx.store.singletons.get(skey) ?? {};
    const body = isObj(ctx.req.json) ? ctx.req.json : {};
    const merged: Record<string, unknown> = { ...prev };
    for (const [k, v] of Object.entries(body)) merged[k] = isObj(v) && isObj(prev[k]) ? { ...(prev[k] as object), ...v } : v;
    ctx.store.singletons.set(skey, merged);
    return writeReply(ctx, [ok(ctx, undefined, kind)]);
  }
  const col = items(ctx);
  // A settings list without item routes (email compose settings ...) is updated as a whole: no ids needed.
  if (kind === 'updateMany' && !hasItemRoutes(ctx.op)) {
    const current = col.all()[0];
    const input = list.find(isObj) ?? {};
    if (current === undefined) col.add({ ...input, id: newId(ctx.state) });
    else Object.assign(current, input, { id: current.id });
    return writeReply(ctx, [ok(ctx, current?.id, kind)]);
  }
  const results = list.map((input, i) => {
    if (!isObj(input)) return withPath(errorBody('INVALID_DATA', MSG.invalidData, {}), key, i);
    const ref = kind === 'updateOne' ? lastParam(ctx) : typeof input['id'] === 'string' || typeof input['id'] === 'number' ? String(input['id']) : undefined;
    if (ref === undefined) return withPath(errorBody('MANDATORY_NOT_FOUND', MSG.mandatory, { api_name: 'id' }), key, i, 'id');
    const hit = findItem(col, ref);
    if (hit === undefined) return withPath(invalidId(ref), key, i, 'id');
    Object.assign(hit, input, serverKeys(ctx, env?.item, false), { id: hit.id });
    return ok(ctx, hit.id, kind);
  });
  if (list.length === 0 && kind === 'updateOne') {
    const hit = findItem(col, lastParam(ctx));
    return hit === undefined ? error(400, 'INVALID_DATA', MSG.invalidId, { id: lastParam(ctx) }) : writeReply(ctx, [ok(ctx, hit.id, kind)]);
  }
  return writeReply(ctx, results);
}

/**
 * The query parameter a multi-delete names its items with: `ids`, else the operation's own `*_ids`
 * (`personality_ids` of portal users), and the item key those ids are matched on besides `id`.
 */
function idsParam(op: SpecOperation): { name: string; key: string } {
  const own = op.params.find((p) => p.in === 'query' && p.name !== 'ids' && p.name.endsWith('_ids'));
  return own === undefined ? { name: 'ids', key: 'id' } : { name: own.name, key: own.name.slice(0, -1) };
}

function remove(ctx: SpecContext, kind: 'deleteMany' | 'deleteOne'): EmuResponse {
  const env = envelopeOf(successOf(ctx.op).schema);
  const param = idsParam(ctx.op);
  if (kind === 'deleteMany' && env === undefined && ctx.req.query[param.name] === undefined) {
    ctx.store.singletons.delete(ctx.req.segments.join('/').toLowerCase());
    return writeReply(ctx, [ok(ctx, undefined, kind)]);
  }
  const col = items(ctx);
  const refs = kind === 'deleteOne' ? [lastParam(ctx)] : (ctx.req.query[param.name] ?? '').split(',').filter((s) => s !== '');
  if (refs.length === 0) return error(400, 'REQUIRED_PARAM_MISSING', MSG.paramMissing, { param_name: param.name });
  const results = refs.map((ref) => {
    const hit = findItem(col, ref) ?? col.all().find((i) => i[param.key] !== undefined && String(i[param.key]) === ref);
    if (hit === undefined) return invalidId(ref);
    col.remove(hit.id);
    return ok(ctx, hit.id, kind);
  });
  return writeReply(ctx, results);
}

/** An action without behaviour of its own: a success reply shaped by the operation's schema. */
export function action(ctx: SpecContext): EmuResponse {
  const { schema } = successOf(ctx.op);
  const ids = Object.entries(ctx.params).filter(([n]) => n === 'id' || n.endsWith('_id') || n === 'record' || n === 'user' || n === 'group');
  const id = ids[ids.length - 1]?.[1];
  if (ctx.op.method === 'GET') {
    if (schema === undefined) return lists204(ctx.op) ? { status: 204 } : { status: 200, json: {} };
    return reply(ctx, sample(schema, ctx.sampling, true));
  }
  return writeReply(ctx, [ok(ctx, id, 'action')]);
}
