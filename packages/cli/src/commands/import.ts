/**
 * `zcrm import <Module> file.csv|jsonl [--upsert-on Email]`: streams the file, writes 100 records a call
 * (create, or upsert matched on the given fields), and writes one result line per input row to a report
 * file. No row is dropped: rows that were never sent (the run stopped) are reported as such.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { InvalidInputError, type WriteResult, type WriteTrigger, type ZohoCRM, type ZohoField, type ZohoRecord } from 'zcrmsdk';
import { fieldList } from '../api.js';
import { csvRows } from '../csv.js';
import { Progress } from '../progress.js';
import type { Runner } from '../program.js';

/** Records per write call (Zoho's maximum). */
export const IMPORT_CHUNK = 100;

interface ImportFlags {
  upsertOn?: string;
  report?: string;
  format?: string;
  trigger?: string;
}

export function registerImport(program: Command, run: Runner): void {
  program
    .command('import')
    .argument('<module>', 'module API name, e.g. Leads')
    .argument('<file>', 'a CSV file with a header row of field API names, or JSON Lines')
    .description('create (or --upsert-on) records from a CSV or JSON Lines file; one result per row in a report file')
    .option('--upsert-on <fields>', 'update the record whose fields match (e.g. Email) instead of creating a duplicate')
    .option('--report <file>', 'where to write the per-row results (JSON Lines)', undefined)
    .option('--format <csv|jsonl>', 'input format (default: from the file extension)')
    .option('--trigger <list>', 'workflow,approval,blueprint (default: none)')
    .action((module: string, file: string, flags: ImportFlags, cmd: Command) =>
      run(cmd, async (ctx) => {
        const format = flags.format ?? (/\.jsonl?$/i.test(file) ? 'jsonl' : 'csv');
        if (format !== 'csv' && format !== 'jsonl') throw new InvalidInputError(`--format must be csv or jsonl, not '${format}'.`);
        const reportPath = flags.report ?? `${file}.report.jsonl`;
        const crm = await ctx.client();
        const types = format === 'csv' ? await fieldTypes(crm, module) : new Map<string, ZohoField>();
        const upsertOn = fieldList(flags.upsertOn);
        const trigger = flags.trigger === undefined ? undefined : ((fieldList(flags.trigger) ?? []) as WriteTrigger[]);
        const resource = crm.records(module);
        const report = createWriteStream(reportPath);
        const progress = new Progress(ctx.io.stderr, `Importing ${module}:`);
        const totals = { rows: 0, succeeded: 0, failed: 0 };
        const writeLine = async (line: Record<string, unknown>) => {
          if (!report.write(`${JSON.stringify(line)}\n`)) await once(report, 'drain');
        };
        let chunk: { row: number; record: ZohoRecord }[] = [];
        const flush = async () => {
          if (chunk.length === 0) return;
          const sending = chunk;
          chunk = [];
          let results: WriteResult[];
          try {
            const options = trigger === undefined ? {} : { trigger };
            results = upsertOn
              ? await resource.upsert(sending.map((c) => c.record), { ...options, duplicateCheckFields: upsertOn })
              : await resource.create(sending.map((c) => c.record), options);
          } catch (error) {
            for (const c of sending) await writeLine({ row: c.row, status: 'error', code: 'NOT_WRITTEN', message: `Not written: ${(error as Error).message}` });
            totals.failed += sending.length;
            throw error;
          }
          for (const [i, c] of sending.entries()) {
            const r = results[i];
            const ok = r?.status === 'success';
            if (ok) totals.succeeded++;
            else totals.failed++;
            await writeLine({ row: c.row, status: r?.status ?? 'error', code: r?.code ?? 'NO_RESULT', message: r?.message ?? 'Zoho sent no result for this row.', id: r?.id, action: r?.action, details: r?.details });
          }
          progress.tick(sending.length);
        };
        try {
          for await (const { row, record } of rows(file, format, types)) {
            totals.rows++;
            chunk.push({ row, record });
            if (chunk.length === IMPORT_CHUNK) await flush();
          }
          await flush();
        } catch (error) {
          // Rows read but never sent are reported too, so none is lost.
          for (const c of chunk) await writeLine({ row: c.row, status: 'error', code: 'NOT_WRITTEN', message: 'Not written: the import stopped before this row.' });
          totals.failed += chunk.length;
          throw error;
        } finally {
          progress.finish();
          report.end();
          await once(report, 'close');
          ctx.out.note(`${totals.succeeded} written, ${totals.failed} failed of ${totals.rows} rows; per-row results in ${reportPath}`);
        }
        if (totals.failed > 0) ctx.exitCode = 1;
        if (ctx.out.json) ctx.out.result({ module, ...totals, report: reportPath });
      }),
    );
}

/** Field metadata by API name, to type CSV cells (CSV has only strings). */
async function fieldTypes(crm: ZohoCRM, module: string): Promise<Map<string, ZohoField>> {
  return new Map((await crm.settings.fields(module)).map((f) => [f.api_name, f]));
}

/** Input rows numbered from 1 (the first data row), as records. */
async function* rows(file: string, format: string, types: Map<string, ZohoField>): AsyncGenerator<{ row: number; record: ZohoRecord }> {
  const input = createReadStream(file, 'utf8');
  if (format === 'jsonl') {
    let n = 0;
    for await (const line of createInterface({ input, crlfDelay: Infinity })) {
      n++;
      if (line.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (cause) {
        throw new InvalidInputError(`${file} line ${n} is not JSON: ${(cause as Error).message}. Fix it and import again (rows before it are in the report).`, { cause });
      }
      if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new InvalidInputError(`${file} line ${n} is not a JSON object.`);
      yield { row: n, record: value as ZohoRecord };
    }
    return;
  }
  let header: string[] | undefined;
  let n = 0;
  for await (const cells of csvRows(input)) {
    if (!header) {
      header = cells.map((c) => c.trim());
      continue;
    }
    n++;
    const record: Record<string, unknown> = {};
    header.forEach((field, i) => {
      const text = cells[i] ?? '';
      if (text === '' || field === '') return;
      record[field] = typed(text, types.get(field));
    });
    yield { row: n, record: record as ZohoRecord };
  }
}

/** A CSV cell as the field's JSON type: numbers, booleans, multi-selects (`a;b`), lookups by id. */
export function typed(text: string, field: ZohoField | undefined): unknown {
  switch (field?.data_type) {
    case 'integer':
    case 'bigint':
    case 'double':
    case 'currency':
    case 'decimal':
    case 'percent':
      return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : text;
    case 'multiselectpicklist':
      return text.split(';').map((v) => v.trim()).filter(Boolean);
    case 'lookup':
    case 'ownerlookup':
      return /^\d+$/.test(text) ? { id: text } : text;
    default:
      return text;
  }
}
