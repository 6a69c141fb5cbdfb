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

/** One CSV line (with CRLF): fields quoted when they hold a comma, a quote or a line break. */
export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

function csvField(value: unknown): string {
  let s: string;
  if (value === null || value === undefined) s = '';
  else if (typeof value === 'string') s = value;
  else if (Array.isArray(value)) s = value.map((v) => (v === null || v === undefined ? '' : String(v))).join(';');
  else if (typeof value === 'object') s = JSON.stringify(value);
  else s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
