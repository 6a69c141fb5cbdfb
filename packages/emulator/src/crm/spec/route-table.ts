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
  ops: { op: SpecOperation; names: string[] }[];
}

export interface RouteMatch {
  op: SpecOperation;
  /** Path parameters by the operation's own names. */
  params: Record<string, string>;
  /** Every operation on this route and method (the chosen one first): several operations share routes. */
  siblings: SpecOperation[];
}

export type RouteResult = { kind: 'match'; match: RouteMatch } | { kind: 'method' } | { kind: 'none' };

/** Where the emulator serves the download links it hands out (Zoho's `/{download_url}` operations). */
export const DOWNLOAD_PREFIX = '/crm/v8/__downloads';

function templateOf(op: SpecOperation): string {
  return op.path === '/{download_url}' ? `${DOWNLOAD_PREFIX}/${op.area}/{id}` : op.path;
}

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
    node.ops.push({ op, names });
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
  const found = walk(root, segments, 0, []);
  if (found === undefined) return { kind: 'none' };
  const { node, values } = found;
  const same = node.ops.filter((o) => o.op.method === method);
  if (same.length === 0) return { kind: 'method' };
  const chosen = choose(same, values, headers, query);
  const params: Record<string, string> = {};
  chosen.names.forEach((n, i) => {
    params[n] = values[i] ?? '';
  });
  return { kind: 'match', match: { op: chosen.op, params, siblings: [chosen.op, ...same.map((s) => s.op).filter((o) => o !== chosen.op)] } };
}

function walk(node: Node, segments: readonly string[], i: number, values: string[]): { node: Node; values: string[] } | undefined {
  if (i === segments.length) return node.ops.length > 0 ? { node, values } : undefined;
  const seg = segments[i] ?? '';
  const lit = node.literals.get(seg.toLowerCase());
  if (lit !== undefined) {
    const hit = walk(lit, segments, i + 1, values);
    if (hit !== undefined) return hit;
  }
  if (node.param !== undefined && seg !== '') return walk(node.param, segments, i + 1, [...values, seg]);
  return undefined;
}

const EXTERNAL = /^external_/;
const DIGITS = /^\d+$/;

/**
 * Picks one of several operations on the same route and method: external-id variants only with an
 * `X-EXTERNAL` header, id variants for digits and api-name variants otherwise; else the first in
 * description order (record/photo, count, rich text, mass update and search share one behaviour), those
 * whose required query parameters are all present first.
 */
function choose(
  ops: { op: SpecOperation; names: string[] }[],
  values: string[],
  headers: Record<string, string | string[] | undefined>,
  query: Record<string, string>,
): { op: SpecOperation; names: string[] } {
  if (ops.length === 1) return ops[0] as { op: SpecOperation; names: string[] };
  // Operations whose required query parameters the request does not carry come last (module search vs records search).
  const satisfied = (o: { op: SpecOperation }): boolean => o.op.params.every((p) => !p.required || p.in !== 'query' || query[p.name] !== undefined);
  ops = [...ops.filter(satisfied), ...ops.filter((o) => !satisfied(o))];
  const external = headers['x-external'] !== undefined;
  const isExternal = (o: { names: string[] }): boolean => o.names.some((n) => EXTERNAL.test(n));
  let pool = ops.filter((o) => isExternal(o) === external);
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
  return (byIdentity[0] ?? pool[0] ?? ops[0]) as { op: SpecOperation; names: string[] };
}
