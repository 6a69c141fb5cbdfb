/**
 * What the CLI prints: aligned tables and plain lines for people, JSON for scripts (`--json`), colour only
 * on a terminal and never when NO_COLOR is set (https://no-color.org) or TERM is `dumb`.
 */
import type { Readable, Writable } from 'node:stream';
import { styleText } from 'node:util';

/** The process pieces a command uses; tests and `zcrm demo` can hand in their own. */
export interface CliIo {
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable & { isTTY?: boolean; columns?: number };
  stdin: Readable & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** The process's own streams, environment and working directory. */
export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd() };
}

type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan';

/** Printing helpers bound to one CliIo and the `--json` / `--no-color` choice. */
export class Output {
  readonly json: boolean;
  readonly #io: CliIo;
  readonly #color: boolean;

  constructor(io: CliIo, options: { json?: boolean | undefined; color?: boolean | undefined } = {}) {
    this.#io = io;
    this.json = options.json === true;
    this.#color = options.color !== false && wantsColor(io);
  }

  /** True when stdout is a terminal (progress bars and prompts only then). */
  get interactive(): boolean {
    return this.#io.stdout.isTTY === true;
  }

  /** `text` in a style when colour is on, else unchanged. */
  style(style: Style, text: string): string {
    return this.#color ? styleText(style, text) : text;
  }

  /** One line on stdout (suppressed in `--json` mode, where only the JSON result goes to stdout). */
  line(text = ''): void {
    if (!this.json) this.#io.stdout.write(`${text}\n`);
  }

  /** One line on stderr (notes and warnings; always printed, also in `--json` mode). */
  note(text: string): void {
    this.#io.stderr.write(`${text}\n`);
  }

  /** Writes `value` as JSON on stdout: the one result of a `--json` run. */
  result(value: unknown): void {
    this.#io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** An aligned table of `rows` under `columns` (cells are flattened to one line). */
  table(rows: readonly Record<string, unknown>[], columns: readonly string[]): void {
    const cells = rows.map((row) => columns.map((c) => cellText(row[c])));
    const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i]!.length)));
    const max = Math.max(20, (this.#io.stdout.columns ?? 0) > 0 ? Math.floor((this.#io.stdout.columns ?? 0) / Math.max(1, columns.length)) : 60);
    const clipped = widths.map((w) => Math.min(w, max));
    const render = (values: string[]) => values.map((v, i) => pad(clip(v, clipped[i]!), clipped[i]!)).join('  ').trimEnd();
    this.line(this.style('bold', render([...columns])));
    for (const row of cells) this.line(render(row));
  }

  /** The error line a failed command prints on stderr. */
  error(message: string): void {
    this.#io.stderr.write(`${this.#styleErr('red', 'error:')} ${message}\n`);
  }

  #styleErr(style: Style, text: string): string {
    return this.#color && this.#io.stderr.isTTY === true ? styleText(style, text) : text;
  }
}

function wantsColor(io: CliIo): boolean {
  if (io.env['NO_COLOR'] !== undefined && io.env['NO_COLOR'] !== '') return false;
  if (io.env['TERM'] === 'dumb') return false;
  return io.stdout.isTTY === true;
}

/** A table cell: strings as they are, lookups by their name, everything else as compact JSON. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.replace(/\s+/g, ' ');
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'object' && !Array.isArray(value)) {
    const named = value as { name?: unknown; id?: unknown };
    if (typeof named.name === 'string') return named.name;
    if (typeof named.id === 'string') return named.id;
  }
  return JSON.stringify(value);
}

function clip(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}
