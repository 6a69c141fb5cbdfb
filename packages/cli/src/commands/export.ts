/**
 * `zcrm export <Module> --format csv|jsonl --out file [--fields] [--criteria]`: every record (paging on past
 * Zoho's 2,000-record offset cap through the records resource), written as it arrives with backpressure, so
 * memory stays flat however many records there are. A progress line on a terminal only.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { Command } from 'commander';
import { InvalidInputError, type ZohoCRM, type ZohoRecord } from 'zcrmsdk';
import { MAX_FIELDS, fieldList } from '../api.js';
import { csvLine } from '../csv.js';
import { Progress } from '../progress.js';
import type { Runner } from '../program.js';

interface ExportFlags {
  format: string;
  out?: string;
  fields?: string;
  criteria?: string;
  perPage: string;
}

export function registerExport(program: Command, run: Runner): void {
  program
    .command('export')
    .argument('<module>', 'module API name, e.g. Leads')
    .description('write every record of a module (or those matching --criteria) to a CSV or JSON Lines file')
    .option('--format <csv|jsonl>', 'output format', 'csv')
    .option('--out <file>', 'output file (default: stdout)')
    .option('--fields <a,b>', 'fields to export (default: every field, at most 50)')
    .option('--criteria <c>', "only records matching Zoho criteria, e.g. '(Lead_Source:equals:Web)'")
    .option('--per-page <n>', 'records per request (max 200)', '200')
    .action((module: string, flags: ExportFlags, cmd: Command) =>
      run(cmd, async (ctx) => {
        if (flags.format !== 'csv' && flags.format !== 'jsonl') throw new InvalidInputError(`--format must be csv or jsonl, not '${flags.format}'.`);
        const crm = await ctx.client();
        const fields = fieldList(flags.fields) ?? (await allFields(crm, module));
        const out: Writable = flags.out === undefined ? ctx.io.stdout : createWriteStream(flags.out);
        const progress = new Progress(ctx.io.stderr, `Exporting ${module}:`, flags.criteria ? undefined : await recordCount(crm, module));
        const perPage = Number(flags.perPage) || 200;
        const records = flags.criteria
          ? crm.records(module).search({ criteria: flags.criteria, fields, per_page: perPage })
          : crm.records(module).list({ fields, per_page: perPage });
        let count = 0;
        const write = async (text: string) => {
          if (!out.write(text)) await once(out, 'drain');
        };
        try {
          if (flags.format === 'csv') await write(csvLine(fields));
          for await (const record of records) {
            await write(flags.format === 'csv' ? csvLine(fields.map((f) => cell(record, f))) : `${JSON.stringify(record)}\n`);
            count++;
            progress.tick();
          }
        } finally {
          progress.finish();
          if (out !== ctx.io.stdout) {
            out.end();
            await once(out, 'close');
          }
        }
        if (ctx.out.json) ctx.out.result({ module, format: flags.format, out: flags.out ?? null, records: count, fields });
        else if (flags.out !== undefined) ctx.out.line(`Exported ${count.toLocaleString('en-US')} ${module} records to ${flags.out} (${flags.format}).`);
      }),
    );
}

/** Every field of the module (the first 50: Zoho's per-call limit), `id` first. */
async function allFields(crm: ZohoCRM, module: string): Promise<string[]> {
  const names = (await crm.settings.fields(module)).map((f) => f.api_name).filter((n) => n !== 'id');
  return ['id', ...names].slice(0, MAX_FIELDS);
}

/** Zoho's record count (`{module}/actions/count`, v3+) for the ETA; undefined where it is not served. */
async function recordCount(crm: ZohoCRM, module: string): Promise<number | undefined> {
  try {
    const res = await crm.request({ method: 'GET', path: [module, 'actions', 'count'], throwOnError: false, maxRetries: 0 });
    if (res.status !== 200) return undefined;
    const count = (JSON.parse(res.body.toString('utf8')) as { count?: unknown }).count;
    return typeof count === 'number' ? count : undefined;
  } catch {
    return undefined;
  }
}

/** A CSV cell: lookups as their id, multi-selects joined with `;`, other structures as JSON. */
export function cell(record: ZohoRecord, field: string): string {
  const value = (record as Record<string, unknown>)[field];
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join(';');
  if (typeof value === 'object' && !Array.isArray(value) && typeof (value as { id?: unknown }).id === 'string') return (value as { id: string }).id;
  return JSON.stringify(value);
}
