/**
 * `zcrm import <Module> file.csv|jsonl [--upsert-on Email]`: streams the file, writes 100 records a call
 * (create, or upsert matched on the given fields), and writes one result line per input row to a report
 * file. No row is dropped: rows that were never sent (the run stopped) are reported as such.
 *
 * The report is appended to, each run after a `{"run": ...}` line, so earlier runs' results are kept.
 * Ctrl-C finishes the chunk in flight, reports every row it did not send as NOT_SENT, prints the summary and
 * exits 130; `--resume` skips the rows an earlier run already has a result for, so none is written twice.
 */
import { constants, createReadStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { open, readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { ConfigError, CsvRowParser, InvalidInputError, type WriteResult, type WriteTrigger, type ZohoCRM, type ZohoField, type ZohoRecord } from 'zcrmsdk';
import { fieldList } from '../api.js';
import { EXIT_INTERRUPTED, watchInterrupt } from '../interrupt.js';
import { Progress } from '../progress.js';
import type { Runner } from '../program.js';

/** Records per write call (Zoho's maximum). */
export const IMPORT_CHUNK = 100;

/** Report codes of rows that were not written and that `--resume` sends again. */
const NOT_SENT = 'NOT_SENT';
const NOT_WRITTEN = 'NOT_WRITTEN';

interface ImportFlags {
  upsertOn?: string;
  report?: string;
  format?: string;
  trigger?: string;
  resume?: boolean;
}

/** One input row: its number (from 1, the first data row), the record, or why it cannot be sent. */
interface InputRow {
  row: number;
  record: ZohoRecord;
  invalid?: string;
}

export function registerImport(program: Command, run: Runner): void {
  program
    .command('import')
    .argument('<module>', 'module API name, e.g. Leads')
    .argument('<file>', 'a CSV file with a header row of field API names, or JSON Lines')
    .description('create (or --upsert-on) records from a CSV or JSON Lines file; one result per row in a report file')
    .option('--upsert-on <fields>', 'update the record whose fields match (e.g. Email) instead of creating a duplicate')
    .option('--report <file>', 'where to append the per-row results (JSON Lines; default <file>.report.jsonl)', undefined)
    .option('--format <csv|jsonl>', 'input format (default: from the file extension)')
    .option('--trigger <list>', 'workflow,approval,blueprint (default: none)')
    .option('--resume', 'skip the rows the report already has a result for (continue an interrupted import)')
    .action((module: string, file: string, flags: ImportFlags, cmd: Command) =>
      run(cmd, async (ctx) => {
        const format = flags.format ?? (/\.jsonl?$/i.test(file) ? 'jsonl' : 'csv');
        if (format !== 'csv' && format !== 'jsonl') throw new InvalidInputError(`--format must be csv or jsonl, not '${format}'.`);
        const reportPath = flags.report ?? `${file}.report.jsonl`;
        const done = flags.resume ? await doneRows(reportPath) : new Set<number>();
        const crm = await ctx.client();
        const types = format === 'csv' ? await fieldTypes(crm, module) : new Map<string, ZohoField>();
        const upsertOn = fieldList(flags.upsertOn);
        const trigger = flags.trigger === undefined ? undefined : ((fieldList(flags.trigger) ?? []) as WriteTrigger[]);
        const resource = crm.records(module);
        const report = await openReport(reportPath);
        const progress = new Progress(ctx.io.stderr, `Importing ${module}:`);
        const totals = { rows: 0, succeeded: 0, failed: 0, notSent: 0, skipped: 0 };
        const writeLine = async (line: Record<string, unknown>) => {
          if (!report.write(`${JSON.stringify(line)}\n`)) await once(report, 'drain');
        };
        const notSent = async (rows: readonly { row: number }[], message: string) => {
          for (const c of rows) await writeLine({ row: c.row, status: 'error', code: NOT_SENT, message });
          totals.notSent += rows.length;
        };
        await writeLine({ run: { started: new Date().toISOString(), module, file, resume: flags.resume === true } });
        const interrupt = watchInterrupt(() => ctx.out.note('Interrupted: finishing the chunk in flight, then reporting the rest as not sent (Ctrl-C again to quit now)...'));
        let chunk: InputRow[] = [];
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
            for (const c of sending) await writeLine({ row: c.row, status: 'error', code: NOT_WRITTEN, message: `Not written: ${(error as Error).message}` });
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
        const stopped = 'Not sent: the import was interrupted; run it again with --resume to send this row.';
        try {
          for await (const input of rows(file, format, types)) {
            totals.rows++;
            if (done.has(input.row)) {
              totals.skipped++;
              continue;
            }
            if (interrupt.interrupted) {
              // Rows read before Ctrl-C but not sent yet come first, so the report stays in file order.
              await notSent(chunk, stopped);
              chunk = [];
              await notSent([input], stopped);
              continue;
            }
            if (input.invalid !== undefined) {
              // Sent chunks keep the file order in the report: flush what came before this row first.
              await flush();
              await writeLine({ row: input.row, status: 'error', code: 'INVALID_ROW', message: input.invalid });
              totals.failed++;
              continue;
            }
            chunk.push(input);
            if (chunk.length === IMPORT_CHUNK) await flush();
          }
          if (interrupt.interrupted) {
            await notSent(chunk, stopped);
            chunk = [];
          } else await flush();
        } catch (error) {
          // Rows read but never sent are reported too, so none is lost.
          for (const c of chunk) await writeLine({ row: c.row, status: 'error', code: NOT_WRITTEN, message: 'Not written: the import stopped before this row.' });
          totals.failed += chunk.length;
          throw error;
        } finally {
          interrupt.dispose();
          progress.finish();
          report.end();
          await once(report, 'close');
          const skipped = totals.skipped > 0 ? `, ${totals.skipped} skipped (done in an earlier run)` : '';
          const unsent = totals.notSent > 0 ? `, ${totals.notSent} not sent` : '';
          ctx.out.note(`${totals.succeeded} written, ${totals.failed} failed${unsent}${skipped} of ${totals.rows} rows; per-row results in ${reportPath}`);
          if (interrupt.interrupted) ctx.out.note(`Interrupted: run the same command with --resume to send the ${totals.notSent} rows not sent.`);
        }
        if (interrupt.interrupted) ctx.exitCode = EXIT_INTERRUPTED;
        else if (totals.failed > 0) ctx.exitCode = 1;
        if (ctx.out.json) ctx.out.result({ module, ...totals, interrupted: interrupt.interrupted, report: reportPath });
      }),
    );
}

/** Opens the report for appending (created if missing; never through a symlink, never truncated). */
async function openReport(path: string): Promise<WriteStream> {
  try {
    const handle = await open(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, 0o644);
    return handle.createWriteStream();
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new ConfigError(`Cannot write the report ${path}: ${code === 'ELOOP' ? 'it is a symlink (reports never follow one)' : (cause as Error).message}. Choose another --report.`, { option: '--report', cause });
  }
}

/** The rows an earlier run has a result for (written, or refused by Zoho): `--resume` skips them. */
async function doneRows(reportPath: string): Promise<Set<number>> {
  let text: string;
  try {
    text = await readFile(reportPath, 'utf8');
  } catch (cause) {
    throw new ConfigError(`Nothing to resume: cannot read the report ${reportPath} (${(cause as Error).message}). Import without --resume, or give its --report.`, { option: '--resume', cause });
  }
  const done = new Set<number>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let entry: { row?: unknown; code?: unknown };
    try {
      entry = JSON.parse(line) as { row?: unknown; code?: unknown };
    } catch {
      // A line cut short by a crash: its row is sent again (it had no result).
      continue;
    }
    if (typeof entry.row === 'number' && entry.code !== NOT_SENT && entry.code !== NOT_WRITTEN) done.add(entry.row);
  }
  return done;
}

/** Field metadata by API name, to type CSV cells (CSV has only strings). */
async function fieldTypes(crm: ZohoCRM, module: string): Promise<Map<string, ZohoField>> {
  return new Map((await crm.settings.fields(module)).map((f) => [f.api_name, f]));
}

/** Input rows numbered from 1 (the first data row), as records. */
async function* rows(file: string, format: string, types: Map<string, ZohoField>): AsyncGenerator<InputRow> {
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
  // The file line each row starts on (a quoted cell can span lines), to name it when the CSV is malformed.
  let line = 1;
  // zcrmsdk's CSV reader, so that a file `zcrm export` or `crm.bulk` wrote reads back cell for cell; a read
  // error of the file reaches the loop through the parser, which pipeline() destroys with it.
  const parser = new CsvRowParser();
  pipeline(input, parser).catch(() => undefined);
  const reader = (parser as AsyncIterable<string[]>)[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<string[]>;
    try {
      next = await reader.next();
    } catch (cause) {
      if (!/quote/i.test((cause as Error).message)) throw cause;
      throw new InvalidInputError(`${file}: the quote opened in row ${n + 1} (line ${line}) is never closed, so the rest of the file would be read as one cell. Close or double the quote ("") and import again; rows before it are in the report.`, { cause });
    }
    if (next.done === true) break;
    const cells = next.value;
    line += 1 + cells.reduce((breaks, c) => breaks + (c.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
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
    const extra = cells.slice(header.length).filter((c) => c !== '');
    if (extra.length > 0) {
      // A row with more cells than the header (an unquoted comma, a shifted column): not guessed at, reported.
      yield { row: n, record: record as ZohoRecord, invalid: `Row ${n} has ${cells.length} cells but the header has ${header.length}; not sent. Quote cells that contain commas.` };
      continue;
    }
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
