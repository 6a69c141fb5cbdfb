/**
 * `zcrm export <Module> --format csv|jsonl --out file [--fields] [--criteria]`: every record (paging on past
 * Zoho's 2,000-record offset cap through the records resource), written as it arrives with backpressure, so
 * memory stays flat however many records there are. A progress line on a terminal only.
 *
 * With `--out`, records go to `<file>.partial` and the file takes its name only when complete; an existing file
 * is replaced only with `--force`, and no output path is followed through a symlink. Ctrl-C (or a failure)
 * keeps `<file>.partial` and `<file>.partial.json` (where to continue); `--resume` appends from there.
 */
import { constants } from 'node:fs';
import { lstat, open, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { Command } from 'commander';
import { ConfigError, InvalidInputError, csvLine, csvLineWith, type Page, type ZohoCRM } from 'zcrmsdk';
import { MAX_FIELDS, fieldList } from '../api.js';
import { EXIT_INTERRUPTED, watchInterrupt } from '../interrupt.js';
import { Progress } from '../progress.js';
import type { Runner } from '../program.js';

interface ExportFlags {
  format: string;
  out?: string;
  fields?: string;
  criteria?: string;
  perPage: string;
  force?: boolean;
  resume?: boolean;
  raw?: boolean;
}

/** Where an export continues: the page after the last one written. */
type Position = { page: number } | { page_token: string };

/** What `<out>.partial.json` holds: the export's parameters and the page to continue from. */
interface ResumeState {
  module: string;
  format: 'csv' | 'jsonl';
  fields: string[];
  criteria: string | null;
  perPage: number;
  raw: boolean;
  records: number;
  next: Position;
}

/** Output files are opened without following a symlink (O_NOFOLLOW). */
const NOFOLLOW = constants.O_NOFOLLOW;

export function registerExport(program: Command, run: Runner): void {
  program
    .command('export')
    .argument('<module>', 'module API name, e.g. Leads')
    .description('write every record of a module (or those matching --criteria) to a CSV or JSON Lines file')
    .option('--format <csv|jsonl>', 'output format', 'csv')
    .option('--out <file>', 'output file (default: stdout)')
    .option('--fields <a,b>', 'fields to export (default: every field, at most 50); id is always included')
    .option('--criteria <c>', "only records matching Zoho criteria, e.g. '(Lead_Source:equals:Web)'")
    .option('--per-page <n>', 'records per request (max 200)', '200')
    .option('--force', 'replace --out if it exists (and discard an interrupted export of it)')
    .option('--resume', 'continue the interrupted export of --out from where it stopped')
    .option('--raw', "write cells as they are: no ' before cells starting with = + - @ tab or CR (spreadsheet formula protection)")
    .action((module: string, flags: ExportFlags, cmd: Command) =>
      run(cmd, async (ctx) => {
        if (flags.format !== 'csv' && flags.format !== 'jsonl') throw new InvalidInputError(`--format must be csv or jsonl, not '${flags.format}'.`);
        if (flags.resume && flags.out === undefined) throw new ConfigError('--resume needs --out <file>: the export to continue.', { option: '--resume' });
        const files = flags.out === undefined ? undefined : outputFiles(flags.out);
        const resumed = files && flags.resume ? await readState(files, module) : undefined;
        if (files && !resumed) await checkFresh(files, flags.force === true);
        const crm = await ctx.client();
        const format = resumed?.format ?? flags.format;
        const raw = resumed?.raw ?? flags.raw === true;
        // Cells for people's spreadsheets: the SDK's writer neutralises formulas (numbers stay numbers) unless --raw.
        const cells = csvLineWith({ neutraliseFormulas: !raw });
        const fields = resumed?.fields ?? withId(fieldList(flags.fields) ?? (await allFields(crm, module)));
        const criteria = resumed ? (resumed.criteria ?? undefined) : flags.criteria;
        const perPage = resumed?.perPage ?? (Number(flags.perPage) || 200);
        const out: Writable = files === undefined ? ctx.io.stdout : await openPartial(files.partial, resumed !== undefined);
        const progress = new Progress(ctx.io.stderr, `Exporting ${module}:`, criteria ? undefined : await recordCount(crm, module));
        const start = resumed?.next ?? {};
        const records = crm.records(module);
        const first = criteria ? records.search({ criteria, fields, per_page: perPage, ...start }) : records.list({ fields, per_page: perPage, ...start });
        let count = resumed?.records ?? 0;
        let next: Position | undefined = resumed?.next ?? { page: 1 };
        const write = async (text: string) => {
          if (!out.write(text)) await once(out, 'drain');
        };
        const interrupt = watchInterrupt(() => ctx.out.note('Stopping after the page in flight (Ctrl-C again to quit now)...'));
        let failure: unknown;
        try {
          if (format === 'csv' && !resumed) await write(csvLine(fields));
          for await (const page of first.pages()) {
            // A page that arrives after Ctrl-C is not written: the saved position fetches it again on --resume.
            if (interrupt.interrupted) break;
            for (const record of page.data) {
              await write(format === 'csv' ? cells(fields.map((f) => (record as Record<string, unknown>)[f])) : `${JSON.stringify(record)}\n`);
              count++;
            }
            progress.tick(page.data.length);
            next = page.hasNextPage() ? nextPosition(page, next ?? { page: 1 }) : undefined;
          }
        } catch (error) {
          failure = error;
        } finally {
          interrupt.dispose();
          progress.finish();
          if (out !== ctx.io.stdout) {
            out.end();
            await once(out, 'close');
          }
        }
        if (next !== undefined && (failure !== undefined || interrupt.interrupted)) {
          const why = failure === undefined ? 'Interrupted' : 'Stopped by an error';
          if (files === undefined) {
            ctx.out.note(`${why} after ${count.toLocaleString('en-US')} ${module} records (stdout is not resumable: use --out).`);
          } else {
            const state: ResumeState = { module, format, fields, criteria: criteria ?? null, perPage, raw, records: count, next };
            await writeState(files.state, state);
            ctx.out.note(
              `${why} after ${count.toLocaleString('en-US')} ${module} records (next: ${'page_token' in next ? 'page token' : `page ${next.page}`}). ` +
                `The records so far are in ${files.partial}; run the same command with --resume to continue.`,
            );
          }
          if (failure !== undefined) throw failure;
          ctx.exitCode = EXIT_INTERRUPTED;
          return;
        }
        if (files !== undefined && flags.out !== undefined) {
          await rename(files.partial, flags.out);
          await unlink(files.state).catch(() => undefined);
        }
        if (ctx.out.json) ctx.out.result({ module, format, out: flags.out ?? null, records: count, fields });
        else if (flags.out !== undefined) ctx.out.line(`Exported ${count.toLocaleString('en-US')} ${module} records to ${flags.out} (${format}).`);
      }),
    );
}

interface OutputFiles {
  out: string;
  partial: string;
  state: string;
}

function outputFiles(out: string): OutputFiles {
  return { out, partial: `${out}.partial`, state: `${out}.partial.json` };
}

/** Refuses to replace an existing file (or an interrupted export's leftovers) without --force. */
async function checkFresh(files: OutputFiles, force: boolean): Promise<void> {
  const target = await lstat(files.out).catch(() => undefined);
  if (target?.isDirectory()) throw new ConfigError(`--out ${files.out} is a directory; give a file name.`, { option: '--out' });
  if (target !== undefined && !force) {
    const what = target.isSymbolicLink() ? 'is a symlink (output never follows one)' : 'exists';
    throw new ConfigError(`${files.out} ${what}; pass --force to replace it, or choose another --out.`, { option: '--force' });
  }
  const leftover = await lstat(files.partial).catch(() => undefined);
  if (leftover !== undefined && !force) {
    throw new ConfigError(`${files.partial} is left from an interrupted export: run with --resume to continue it, or --force to start over.`, { option: '--resume' });
  }
  if (leftover !== undefined) {
    await unlink(files.partial);
    await unlink(files.state).catch(() => undefined);
  }
}

/** Opens the partial file: created new (never through a symlink, never over a file) or appended to on --resume. */
async function openPartial(path: string, append: boolean): Promise<Writable> {
  const flags = append ? constants.O_WRONLY | constants.O_APPEND | NOFOLLOW : constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NOFOLLOW;
  try {
    return (await open(path, flags, 0o644)).createWriteStream();
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const why = code === 'ELOOP' ? 'it is a symlink (output never follows one)' : code === 'EEXIST' ? 'it exists' : (cause as Error).message;
    throw new ConfigError(`Cannot write ${path}: ${why}.`, { option: '--out', cause });
  }
}

async function readState(files: OutputFiles, module: string): Promise<ResumeState> {
  let state: ResumeState;
  try {
    state = JSON.parse(await readFile(files.state, 'utf8')) as ResumeState;
  } catch (cause) {
    throw new ConfigError(`Nothing to resume for ${files.out}: ${files.state} is missing or unreadable (${(cause as Error).message}). Export again without --resume.`, { option: '--resume', cause });
  }
  if (state.module !== module) throw new ConfigError(`${files.partial} is an export of ${state.module}, not ${module}.`, { option: '--resume' });
  if ((await lstat(files.partial).catch(() => undefined))?.isFile() !== true) {
    throw new ConfigError(`Nothing to resume: ${files.partial} is missing. Export again without --resume.`, { option: '--resume' });
  }
  return state;
}

async function writeState(path: string, state: ResumeState): Promise<void> {
  const handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | NOFOLLOW, 0o644);
  try {
    await writeFile(handle, `${JSON.stringify(state, null, 2)}\n`);
  } finally {
    await handle.close();
  }
}

/** The page after `page`: Zoho's page token when it sent one (v3+), else the next page number. */
function nextPosition(page: Page<unknown>, current: Position): Position {
  const token = page.info.next_page_token;
  if (typeof token === 'string' && token !== '') return { page_token: token };
  const number = typeof page.info.page === 'number' ? page.info.page : 'page' in current ? current.page : 1;
  return { page: number + 1 };
}

/** The fields with `id` first (a re-import or a resume needs it). */
function withId(fields: string[]): string[] {
  return ['id', ...fields.filter((f) => f !== 'id')];
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
