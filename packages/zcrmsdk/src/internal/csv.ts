/**
 * Streaming CSV (RFC 4180) for Zoho's bulk files: quoted fields with doubled quotes and line breaks inside,
 * CRLF or LF rows, a UTF-8 BOM dropped. One row at a time; the file is never held whole.
 */
import { StringDecoder } from 'node:string_decoder';
import { Transform, type TransformCallback } from 'node:stream';
import { ZohoError } from '../errors.js';

/** Turns CSV bytes into arrays of fields, one row per chunk (object mode). Empty lines are skipped. */
export class CsvRowParser extends Transform {
  readonly #decoder = new StringDecoder('utf8');
  #field = '';
  #row: string[] = [];
  #quoted = false;
  /** The previous chunk ended on a quote inside a quoted field (may be an escaped `""`). */
  #pendingQuote = false;
  #started = false;
  /** The previous chunk ended on CR: a following LF belongs to it. */
  #afterCr = false;
  /** Whether the current row has any content (to skip blank lines). */
  #dirty = false;

  constructor() {
    super({ readableObjectMode: true });
  }

  override _transform(chunk: Buffer | string, _encoding: BufferEncoding, done: TransformCallback): void {
    this.#parse(typeof chunk === 'string' ? chunk : this.#decoder.write(chunk));
    done();
  }

  override _flush(done: TransformCallback): void {
    this.#parse(this.#decoder.end());
    if (this.#pendingQuote) {
      this.#pendingQuote = false;
      this.#quoted = false;
    }
    if (this.#quoted) return done(new ZohoError('The CSV ends inside a quoted field (truncated file?).', 'INVALID_CSV'));
    if (this.#dirty || this.#row.length > 0) this.#endRow();
    done();
  }

  #parse(text: string): void {
    let i = 0;
    if (!this.#started && text.length > 0) {
      this.#started = true;
      if (text.charCodeAt(0) === 0xfeff) i = 1;
    }
    for (; i < text.length; i++) {
      const c = text[i] as string;
      if (this.#afterCr) {
        this.#afterCr = false;
        if (c === '\n') continue;
      }
      if (this.#pendingQuote) {
        this.#pendingQuote = false;
        if (c === '"') {
          this.#field += '"';
          continue;
        }
        this.#quoted = false;
      }
      if (this.#quoted) {
        if (c === '"') this.#pendingQuote = true;
        else this.#field += c;
        continue;
      }
      if (c === '"' && this.#field === '') {
        this.#quoted = true;
        this.#dirty = true;
      } else if (c === ',') {
        this.#row.push(this.#field);
        this.#field = '';
        this.#dirty = true;
      } else if (c === '\n' || c === '\r') {
        if (c === '\r') this.#afterCr = true;
        if (this.#dirty || this.#field !== '') this.#endRow();
      } else {
        this.#field += c;
        this.#dirty = true;
      }
    }
  }

  #endRow(): void {
    this.#row.push(this.#field);
    this.push(this.#row);
    this.#row = [];
    this.#field = '';
    this.#dirty = false;
  }
}

/** Turns rows of fields into objects keyed by the first row (the header). */
export class CsvRecords extends Transform {
  #header: string[] | undefined;

  constructor() {
    super({ objectMode: true });
  }

  override _transform(row: string[], _encoding: BufferEncoding, done: TransformCallback): void {
    if (this.#header === undefined) {
      this.#header = row;
      return done();
    }
    const record: Record<string, string> = {};
    this.#header.forEach((name, i) => {
      record[name] = row[i] ?? '';
    });
    done(null, record);
  }
}

/**
 * One CSV line, ended by LF (as Zoho's bulk-read files are), for `values`: a cell is quoted only when it holds
 * a comma, a quote, CR or LF (spaces are kept as they are). Values become cells the way Zoho's bulk files carry
 * them: a lookup (an object with an `id`) as its id, a multi-select (an array of plain values) joined with `;`,
 * any other object or array as JSON, null and undefined as an empty cell. A line of one empty cell is `""`, so
 * that it is not a blank line, which readers skip. The emulator and `zcrm export` write the same bytes.
 */
export function csvLine(values: readonly unknown[]): string {
  return line(values, DEFAULT_NEUTRALISE_FORMULAS);
}

/**
 * Whether the CSV writer neutralises spreadsheet formulas. Off: `crm.bulk.write` sends its CSV to Zoho, which
 * must get the values as they are; turn it on for files people open in a spreadsheet (`zcrm export` does).
 * @default false
 */
export const DEFAULT_NEUTRALISE_FORMULAS = false;

/** Options of {@link csvLineWith}. */
export interface CsvLineOptions {
  /**
   * Prefix `'` to a cell that starts with = + - @, tab or CR, so a spreadsheet shows it instead of running it as a
   * formula (OWASP's advice on CSV injection). Numbers are left alone (-5 stays -5).
   * @default DEFAULT_NEUTRALISE_FORMULAS (false)
   */
  neutraliseFormulas?: boolean | undefined;
}

/** A {@link csvLine} with options, e.g. `rows.map(csvLineWith({ neutraliseFormulas: true }))`. */
export function csvLineWith(options: CsvLineOptions): (values: readonly unknown[]) => string {
  const neutralise = options.neutraliseFormulas ?? DEFAULT_NEUTRALISE_FORMULAS;
  return (values) => line(values, neutralise);
}

function line(values: readonly unknown[], neutralise: boolean): string {
  const cells = values.map((v) => (neutralise ? neutralised(v) : csvCell(v)));
  if (cells.length === 1 && cells[0] === '') return '""\n';
  return `${cells.map(quoted).join(',')}\n`;
}

/** The cell of `value`, with a leading `'` when a spreadsheet would run it as a formula (numbers never are). */
function neutralised(value: unknown): string {
  const text = csvCell(value);
  return typeof value !== 'number' && typeof value !== 'bigint' && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function quoted(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The text of one cell before quoting, by the rule {@link csvLine} documents (a lookup as its id, and so on). */
export function csvCell(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'undefined':
      return '';
    case 'object':
      if (value === null) return '';
      if (value instanceof Date) return value.toISOString();
      if (Array.isArray(value)) return value.every((v) => ['string', 'number', 'boolean', 'bigint'].includes(typeof v)) ? value.join(';') : JSON.stringify(value);
      if ('id' in value && (typeof value.id === 'string' || typeof value.id === 'number')) return String(value.id);
      return JSON.stringify(value);
    default:
      return String(value);
  }
}
