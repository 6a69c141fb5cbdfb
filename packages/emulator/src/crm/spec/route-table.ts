/**
 * The v8 route table: every operation of the description in one segment trie. Literal segments beat
 * parameters (case-insensitive, as Zoho treats module names), with backtracking, so `/Contacts/roles` is
 * contact roles and `/Leads/roles` a record. Operations sharing a route are told apart deliberately in
 * `choose` (X-EXTERNAL for external ids, digits for id vs api-name), and the three `GET /{download_url}`
 * operations get concrete paths of their own under `/crm/v8/__downloads/`.
 */
import { OPERATIONS } from '../../generated/operations.js';
import type { SpecOperation } from './types.js';

interface Node {
  literals: Map<string, Node>;
  param: Node | undefined;
  /** Operations ending here, in description order. */
  ops: Candidate[];
}

interface Candidate {
  op: SpecOperation;
  names: string[];
  /** The query parameters the OAS marks required (for telling shared routes apart). */
  requiredQuery: string[];
  /** Whether a path parameter is an external id (the `X-EXTERNAL` variants). */
  external: boolean;
}

export interface RouteMatch {
  op: SpecOperation;
  /** Path parameters by the operation's own names. */
  params: Record<string, string>;
}

export type RouteResult = { kind: 'match'; match: RouteMatch } | { kind: 'method' } | { kind: 'none' };

/** Where the emulator serves the download links it hands out (Zoho's `/{download_url}` operations). */
export const DOWNLOAD_PREFIX = '/crm/v8/__downloads';

function templateOf(op: SpecOperation): string {
  return op.path === '/{download_url}' ? `${DOWNLOAD_PREFIX}/${op.area}/{id}` : op.path;
}

const EXTERNAL = /^external_/;

const newNode = (): Node => ({ literals: new Map(), param: undefined, ops: [] });

function build(ops: readonly SpecOperation[]): Node {
  const root = newNode();
  for (const op of ops) {
    let node = root;
    const names: string[] = [];
    for (const seg of templateOf(op).split('/').filter((s) => s !== '')) {
      const m = /^\{(.+)\}$/.exec(seg);
      if (m !== null) {
        names.push(m[1] ?? '');
        node.param ??= newNode();
        node = node.param;
      } else {
        const key = seg.toLowerCase();
        let next = node.literals.get(key);
        if (next === undefined) {
          next = newNode();
          node.literals.set(key, next);
        }
        node = next;
      }
    }
    node.ops.push({
      op,
      names,
      requiredQuery: op.params.filter((p) => p.required && p.in === 'query').map((p) => p.name),
      external: names.some((n) => EXTERNAL.test(n)),
    });
  }
  return root;
}

let root: Node | undefined;

/** The operations, by key. */
export const OPERATION_BY_KEY: ReadonlyMap<string, SpecOperation> = new Map(OPERATIONS.map((o) => [o.key, o]));

/** Finds the operation for a method and a decoded path (segments after the host, e.g. ['crm','v8','Leads']). */
export function matchRoute(
  method: string,
  segments: readonly string[],
  headers: Record<string, string | string[] | undefined>,
  query: Record<string, string> = {},
): RouteResult {
  root ??= build(OPERATIONS);
  const values: string[] = [];
  const node = walk(root, segments, 0, values);
  if (node === undefined) return { kind: 'none' };
  const same = node.ops.filter((o) => o.op.method === method);
  if (same.length === 0) return { kind: 'method' };
  const chosen = same.length === 1 ? (same[0] as Candidate) : choose(same, values, headers, query);
  const params: Record<string, string> = {};
  for (let i = 0; i < chosen.names.length; i += 1) params[chosen.names[i] ?? ''] = values[i] ?? '';
  return { kind: 'match', match: { op: chosen.op, params } };
}

/** Depth-first, literals first; `values` collects the parameter segments of the path found. */
function walk(node: Node, segments: readonly string[], i: number, values: string[]): Node | undefined {
  if (i === segments.length) return node.ops.length > 0 ? node : undefined;
  const seg = segments[i] ?? '';
  const lit = node.literals.get(seg.toLowerCase());
  if (lit !== undefined) {
    const hit = walk(lit, segments, i + 1, values);
    if (hit !== undefined) return hit;
  }
  if (node.param === undefined || seg === '') return undefined;
  values.push(seg);
  const hit = walk(node.param, segments, i + 1, values);
  if (hit === undefined) values.pop();
  return hit;
}

const DIGITS = /^\d+$/;

/**
 * Picks one of several operations on the same route and method: external-id variants only with an
 * `X-EXTERNAL` header, id variants for digits and api-name variants otherwise; else the first in
 * description order (record/photo, count, rich text, mass update and search share one behaviour), those
 * whose required query parameters are all present first.
 */
function choose(all: Candidate[], values: string[], headers: Record<string, string | string[] | undefined>, query: Record<string, string>): Candidate {
  // Operations whose required query parameters the request does not carry come last (module search vs records search).
  const satisfied = (o: Candidate): boolean => o.requiredQuery.every((n) => query[n] !== undefined);
  const ops = all.every(satisfied) ? all : [...all.filter(satisfied), ...all.filter((o) => !satisfied(o))];
  const external = headers['x-external'] !== undefined;
  let pool = ops.filter((o) => o.external === external);
  if (pool.length === 0) pool = ops;
  // id vs api_name at the same position: the first position where the names differ decides.
  const byIdentity = pool.filter((o) => {
    const at = o.names.findIndex((n, i) => pool.some((p) => p.names[i] !== n));
    if (at < 0) return true;
    const name = o.names[at] ?? '';
    const value = values[at] ?? '';
    const wantsId = name === 'id' || name.endsWith('_id');
    const wantsName = name === 'api_name' || name.endsWith('api_name');
    if (wantsId) return DIGITS.test(value);
    if (wantsName) return !DIGITS.test(value);
    return true;
  });
  return (byIdentity[0] ?? pool[0] ?? ops[0]) as Candidate;
}
