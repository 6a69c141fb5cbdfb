/** `zcrm records list|get|create|update|upsert|delete|search <Module>` and `zcrm coql "<query>"`. */
import type { Command } from 'commander';
import { InvalidInputError, type SearchParams, type WriteResult, type ZohoRecord } from 'zcrmsdk';
import { fieldList, fieldsFor, readRecords } from '../api.js';
import type { CommandContext } from '../context.js';
import type { Runner } from '../program.js';

/** Columns shown for records when no --fields are given: the id and the first few fields of the rows. */
const DEFAULT_COLUMNS = 5;

interface ListFlags {
  fields?: string;
  perPage?: string;
  page?: string;
  sortBy?: string;
  sortOrder?: string;
  cvid?: string;
  limit?: string;
  all?: boolean;
}

export function registerRecords(program: Command, run: Runner): void {
  const records = program.command('records').description('list, get, create, update, upsert, delete and search records of a module');
  records
    .command('list')
    .argument('<module>', 'module API name, e.g. Leads')
    .description('list records (one page by default; --all or --limit for more)')
    .option('--fields <a,b>', 'fields to show (required by Zoho on v3+; default: the module\'s first 50)')
    .option('--per-page <n>', 'records per page (max 200)', '200')
    .option('--page <n>', 'page to start from')
    .option('--sort-by <field>', 'sort field')
    .option('--sort-order <asc|desc>', 'sort order')
    .option('--cvid <id>', 'custom view id')
    .option('--limit <n>', 'stop after n records (pages on as needed)')
    .option('--all', 'every record of every page')
    .action((module: string, flags: ListFlags, cmd: Command) =>
      run(cmd, async (ctx) => {
        const crm = await ctx.client();
        const given = fieldList(flags.fields);
        const fields = await fieldsFor(crm, module, given);
        const params: Record<string, unknown> = { per_page: int(flags.perPage, '--per-page') };
        if (fields) params['fields'] = fields;
        if (flags.page !== undefined) params['page'] = int(flags.page, '--page');
        if (flags.sortBy) params['sort_by'] = flags.sortBy;
        if (flags.sortOrder) params['sort_order'] = flags.sortOrder;
        if (flags.cvid) params['cvid'] = flags.cvid;
        const list = crm.records(module).list(params);
        const limit = flags.limit === undefined ? undefined : int(flags.limit, '--limit');
        let rows: ZohoRecord[];
        if (flags.all || limit !== undefined) {
          rows = [];
          for await (const record of list) {
            if (limit !== undefined && rows.length >= limit) break;
            rows.push(record);
          }
        } else rows = (await list).data;
        printRecords(ctx, rows, given);
      }),
    );
  records
    .command('get')
    .argument('<module>', 'module API name')
    .argument('<id>', 'record id')
    .description('one record, every field')
    .option('--fields <a,b>', 'only these fields')
    .action((module: string, id: string, flags: { fields?: string }, cmd: Command) =>
      run(cmd, async (ctx) => {
        const crm = await ctx.client();
        const fields = fieldList(flags.fields);
        const record = await crm.records(module).get(id, fields ? { fields } : {});
        if (ctx.out.json) return ctx.out.result(record);
        const pairs = Object.entries(record).filter(([, v]) => v !== null && v !== undefined && v !== '');
        ctx.out.table(pairs.map(([field, value]) => ({ field, value })), ['field', 'value']);
      }),
    );
  for (const kind of ['create', 'update', 'upsert'] as const) {
    const cmd = records
      .command(kind)
      .argument('<module>', 'module API name')
      .argument('[file]', 'JSON array, JSON object or JSON Lines; `-` or none: stdin')
      .description(
        kind === 'create'
          ? 'create records (chunks of 100; one result per record)'
          : kind === 'update'
            ? 'update records; each needs its `id`'
            : 'insert or update records matched on --duplicate-check fields',
      )
      .option('--trigger <list>', 'workflow,approval,blueprint (default: none)');
    if (kind === 'upsert') cmd.option('--duplicate-check <fields>', 'fields that identify an existing record, e.g. Email');
    cmd.action((module: string, file: string | undefined, flags: { trigger?: string; duplicateCheck?: string }, command: Command) =>
      run(command, async (ctx) => {
        const input = await readRecords(file, ctx.io.stdin);
        const crm = await ctx.client();
        const resource = crm.records(module);
        const options: Record<string, unknown> = {};
        if (flags.trigger !== undefined) options['trigger'] = fieldList(flags.trigger) ?? [];
        let results: WriteResult[];
        if (kind === 'create') results = await resource.create(input, options);
        else if (kind === 'update') {
          input.forEach((r, i) => {
            if (typeof r['id'] !== 'string' || r['id'] === '') throw new InvalidInputError(`Record ${i + 1} has no "id": update needs the id of each record (or use upsert).`);
          });
          results = await resource.update(input as (ZohoRecord & { id: string })[], options);
        } else {
          const dup = fieldList(flags.duplicateCheck);
          results = await resource.upsert(input, { ...options, ...(dup ? { duplicateCheckFields: dup } : {}) });
        }
        printWriteResults(ctx, results);
      }),
    );
  }
  records
    .command('delete')
    .argument('<module>', 'module API name')
    .argument('<ids...>', 'record ids')
    .description('delete records by id (to the recycle bin)')
    .action((module: string, ids: string[], _flags: unknown, cmd: Command) =>
      run(cmd, async (ctx) => {
        const crm = await ctx.client();
        printWriteResults(ctx, await crm.records(module).delete(ids));
      }),
    );
  records
    .command('search')
    .argument('<module>', 'module API name')
    .description('search records by --criteria, --email, --phone or --word (every page)')
    .option('--criteria <c>', "Zoho criteria, e.g. '(Last_Name:equals:Smith)'")
    .option('--email <email>')
    .option('--phone <phone>')
    .option('--word <word>')
    .option('--fields <a,b>', 'fields to show')
    .option('--limit <n>', 'stop after n records')
    .action((module: string, flags: { criteria?: string; email?: string; phone?: string; word?: string; fields?: string; limit?: string }, cmd: Command) =>
      run(cmd, async (ctx) => {
        const by = (['criteria', 'email', 'phone', 'word'] as const).filter((k) => flags[k] !== undefined);
        if (by.length !== 1) throw new InvalidInputError('Search needs exactly one of --criteria, --email, --phone or --word.');
        const key = by[0]!;
        const crm = await ctx.client();
        const given = fieldList(flags.fields);
        const fields = await fieldsFor(crm, module, given);
        const params = { [key]: flags[key]!, ...(fields ? { fields } : {}) } as unknown as SearchParams;
        const limit = int(flags.limit, '--limit') ?? Infinity;
        const rows: ZohoRecord[] = [];
        for await (const record of crm.records(module).search(params)) {
          if (rows.length >= limit) break;
          rows.push(record);
        }
        printRecords(ctx, rows, given);
      }),
    );

  program
    .command('coql')
    .argument('<query>', "a COQL select, e.g. \"select Last_Name, Email from Leads where Lead_Source = 'Web'\"")
    .description('run a COQL query (pages on past 200/2,000 rows unless the query has its own LIMIT)')
    .option('--limit <n>', 'stop after n rows')
    .action((query: string, flags: { limit?: string }, cmd: Command) =>
      run(cmd, async (ctx) => {
        const crm = await ctx.client();
        const limit = int(flags.limit, '--limit') ?? Infinity;
        const rows: ZohoRecord[] = [];
        for await (const row of crm.coql(query)) {
          if (rows.length >= limit) break;
          rows.push(row as ZohoRecord);
        }
        const columns = selectColumns(query);
        printRecords(ctx, rows, columns);
      }),
    );
}

/** A whole number flag, or an InvalidInputError naming it. */
export function int(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new InvalidInputError(`${flag} needs a whole number, got '${value}'.`);
  return Number(value);
}

function selectColumns(query: string): string[] | undefined {
  const m = /^\s*select\s+(.+?)\s+from\s/is.exec(query);
  if (!m) return undefined;
  return m[1]!.split(',').map((c) => c.trim().split(/\s+as\s+/i).pop()!.trim()).filter((c) => c !== '*');
}

/** Records as JSON (--json) or a table of the asked fields (else the id and the first fields present). */
export function printRecords(ctx: CommandContext, rows: readonly ZohoRecord[], fields: readonly string[] | undefined): void {
  if (ctx.out.json) return ctx.out.result(rows);
  if (rows.length === 0) return ctx.out.line('No records.');
  const columns = fields
    ? ['id', ...fields.filter((f) => f !== 'id')].filter((c) => c !== 'id' || rows.some((r) => r['id'] !== undefined))
    : ['id', ...Object.keys(rows[0]!).filter((k) => k !== 'id' && !k.startsWith('$') && rows[0]![k] !== null).slice(0, DEFAULT_COLUMNS - 1)];
  ctx.out.table(rows as Record<string, unknown>[], columns);
  ctx.out.line(ctx.out.style('dim', `${rows.length} record${rows.length === 1 ? '' : 's'}`));
}

/** Per-record write results; any failure makes the command exit 1 (nothing is dropped silently). */
export function printWriteResults(ctx: CommandContext, results: readonly WriteResult[]): void {
  const failed = results.filter((r) => r.status !== 'success').length;
  if (failed > 0) ctx.exitCode = 1;
  if (ctx.out.json) return ctx.out.result(results);
  ctx.out.table(
    results.map((r, i) => ({ '#': i + 1, status: r.status, code: r.code, id: r.id ?? '', message: r.status === 'success' ? '' : `${r.message} ${JSON.stringify(r.details)}` })),
    ['#', 'status', 'code', 'id', 'message'],
  );
  ctx.out.line(`${results.length - failed} succeeded, ${failed} failed`);
}
