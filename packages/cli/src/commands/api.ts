/**
 * `zcrm api list [area]` prints every Zoho CRM v8 operation from the manifest (`zcrmsdk/operations`);
 * `zcrm api <area> <operation> --param k=v --body file.json` calls one through the client (auth, retries,
 * typed errors) and prints the reply. Path parameters are `--param`s too, under their OAS names.
 */
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import type { Command } from 'commander';
import { InvalidInputError, Page, type ZohoCRM } from 'zcrmsdk';
import { operations, type OperationEntry } from 'zcrmsdk/operations';
import type { CommandContext } from '../context.js';
import type { Runner } from '../program.js';

/** Columns a table of rows shows at most (the rest: --json). */
const MAX_COLUMNS = 6;

interface ApiFlags {
  param: string[];
  body?: string;
  all?: boolean;
  out?: string;
}

export function registerApi(program: Command, run: Runner): void {
  program
    .command('api')
    .argument('[area]', "Zoho's area (e.g. currencies), or 'list' to list the operations")
    .argument('[operation]', "the operation: Zoho's operationId (e.g. 'Get Currency') or the method (e.g. get)")
    .description('list every Zoho CRM v8 operation, or call one: zcrm api currencies get --param id=123')
    .option('--param <name=value>', 'a path, query or header parameter under its Zoho name (repeatable)', (v: string, all: string[]) => [...all, v], [])
    .option('--body <file>', "the JSON request body from a file ('-' for stdin)")
    .option('--all', 'for a paged list: every row of every page (default: the first page)')
    .option('--out <file>', 'for a download: write the file here (default: stdout)')
    .action((area: string | undefined, operation: string | undefined, flags: ApiFlags, cmd: Command) =>
      run(cmd, async (ctx) => {
        if (area === undefined || area === 'list') return listOperations(ctx, area === 'list' ? operation : undefined);
        if (operation === undefined) throw new InvalidInputError(`Name the operation: zcrm api ${area} <operation>. See zcrm api list ${area}.`);
        await callOperation(ctx, findOperation(area, operation), flags);
      }),
    );
}

function listOperations(ctx: CommandContext, area: string | undefined): void {
  const rows = operations.filter((o) => area === undefined || o.area === area);
  if (area !== undefined && rows.length === 0) throw new InvalidInputError(`No area '${area}'. Areas: ${[...new Set(operations.map((o) => o.area))].join(', ')}.`);
  if (ctx.out.json) return ctx.out.result(rows);
  ctx.out.table(rows.map((o) => ({ area: o.area, operation: o.operationId, method: o.method, path: o.path, call: `crm.${o.call}` })), ['area', 'operation', 'method', 'path', 'call']);
  ctx.out.line(ctx.out.style('dim', `${rows.length} operation${rows.length === 1 ? '' : 's'}`));
}

/** The manifest entry for `area` and an operationId or method name (case-insensitive). */
function findOperation(area: string, operation: string): OperationEntry {
  const inArea = operations.filter((o) => o.area === area);
  if (inArea.length === 0) throw new InvalidInputError(`No area '${area}'. List them with: zcrm api list`);
  const wanted = operation.toLowerCase();
  const byId = inArea.find((o) => o.operationId.toLowerCase() === wanted);
  const byMethod = inArea.filter((o) => methodOf(o).toLowerCase() === wanted);
  const found = byId ?? (byMethod.length === 1 ? byMethod[0] : undefined);
  if (found === undefined) {
    const choices = inArea.map((o) => `'${o.operationId}' (${methodOf(o)})`).join(', ');
    throw new InvalidInputError(`${byMethod.length > 1 ? `'${operation}' is ambiguous in ${area}` : `No operation '${operation}' in ${area}`}; use one of: ${choices}.`);
  }
  return found;
}

const methodOf = (o: OperationEntry): string => /\.([\w$]+)\([^()]*\)$/.exec(o.call)?.[1] ?? '';
const pathParamsOf = (o: OperationEntry): string[] => [...o.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);

async function callOperation(ctx: CommandContext, entry: OperationEntry, flags: ApiFlags): Promise<void> {
  const names = pathParamsOf(entry);
  const given = new Map<string, string>();
  for (const pair of flags.param) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new InvalidInputError(`--param ${JSON.stringify(pair)} must be name=value, e.g. --param id=3652397000000190102.`);
    given.set(pair.slice(0, at), pair.slice(at + 1));
  }
  const missing = names.filter((n) => !given.has(n));
  if (missing.length > 0) throw new InvalidInputError(`${entry.area}/${entry.operationId} needs ${missing.map((n) => `--param ${n}=...`).join(' ')} (${entry.method} ${entry.path}).`);
  const params: Record<string, unknown> = {};
  for (const [name, value] of given) if (!names.includes(name)) params[name] = scalar(value);
  if (flags.body !== undefined) params['body'] = await readBody(flags.body, ctx);
  const crm = await ctx.client();
  // The call is the manifest's own expression (generated from the API description, never from user input).
  const call = new Function('crm', 'params', ...names, `return crm.${entry.call}`) as (crm: ZohoCRM, params: unknown, ...path: string[]) => unknown;
  const result = await call(crm, params, ...names.map((n) => given.get(n)!));
  await print(ctx, result, flags);
}

async function readBody(path: string, ctx: CommandContext): Promise<unknown> {
  let text: string;
  if (path === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of ctx.io.stdin) chunks.push(Buffer.from(chunk as Buffer));
    text = Buffer.concat(chunks).toString('utf8');
  } else text = await readFile(resolve(ctx.io.cwd, path), 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new InvalidInputError(`--body ${path} is not JSON: ${(cause as Error).message}.`, { cause });
  }
}

async function print(ctx: CommandContext, result: unknown, flags: ApiFlags): Promise<void> {
  if (result instanceof Page) {
    const rows: unknown[] = [];
    if (flags.all) for await (const row of result) rows.push(row);
    else rows.push(...result.data);
    return printRows(ctx, rows);
  }
  if (Array.isArray(result)) {
    // Per-item write results: a refused item makes the command fail (exit 1), as zcrm records does.
    if (result.some((r) => (r as { status?: unknown } | null)?.status === 'error')) ctx.exitCode = 1;
    return printRows(ctx, result);
  }
  const body = (result as { body?: unknown } | undefined)?.body;
  if (body !== undefined && typeof (body as Readable).pipe === 'function') {
    if (flags.out !== undefined) {
      await pipeline(body as Readable, createWriteStream(resolve(ctx.io.cwd, flags.out)));
      return ctx.out.note(`Saved to ${flags.out}.`);
    }
    await pipeline(body as Readable, ctx.io.stdout, { end: false });
    return;
  }
  ctx.out.result(result ?? null);
}

/** Rows of objects as a table of their first scalar columns (JSON with --json, or when they are not objects). */
function printRows(ctx: CommandContext, rows: readonly unknown[]): void {
  const objects = rows.filter((r): r is Record<string, unknown> => typeof r === 'object' && r !== null && !Array.isArray(r));
  if (ctx.out.json || objects.length !== rows.length) return ctx.out.result(rows);
  if (rows.length === 0) return ctx.out.line('Nothing.');
  const scalar = (v: unknown): boolean => v === null || ['string', 'number', 'boolean'].includes(typeof v);
  const columns = [...new Set(objects.flatMap((r) => Object.keys(r).filter((k) => scalar(r[k]))))].slice(0, MAX_COLUMNS);
  ctx.out.table(objects, columns);
  ctx.out.line(ctx.out.style('dim', `${rows.length} row${rows.length === 1 ? '' : 's'}`));
}

/** A small whole number or true/false as such (Zoho's per_page, page, booleans); anything else (ids included) stays text. */
function scalar(value: string): string | number | boolean {
  if (/^\d{1,9}$/.test(value)) return Number(value);
  return value === 'true' ? true : value === 'false' ? false : value;
}
