/**
 * CSV for bulk jobs, with the csv project's `csv-stringify` and `csv-parse` (RFC 4180, maintained for a
 * decade, no dependencies; the emulator is a dev dependency, so a library costs no user anything).
 *
 * Cells follow the one rule every package of this repository writes (zcrmsdk's bulk upload, `zcrm export`):
 * quoted only when they hold a comma, a quote, CR or LF (spaces kept as they are); lookups (objects with an
 * `id`) as their id and multi-select values (arrays of plain values) joined with `;`, as Zoho's bulk files
 * carry them; any other object or array as JSON; rows end with LF, as Zoho's bulk-read files do.
 */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

type Plain = string | number | boolean | bigint;

const isPlain = (v: unknown): v is Plain => ['string', 'number', 'boolean', 'bigint'].includes(typeof v);

/** The text of an object cell: Zoho's bulk forms first, JSON for the rest. */
function objectCell(value: object): string {
  if (Array.isArray(value)) return value.every(isPlain) ? value.join(';') : JSON.stringify(value);
  const id = (value as { id?: unknown }).id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : JSON.stringify(value);
}

const STRINGIFY = {
  record_delimiter: 'unix',
  // A bare CR or LF inside a cell is quoted too, not only the record delimiter (RFC 4180 line breaks).
  quote_record_delimiter: true,
  cast: {
    boolean: (v: boolean) => String(v),
    date: (v: Date) => v.toISOString(),
    object: (v: object) => objectCell(v),
  },
} as const;

/**
 * A CSV document of `rows` (header included), every row ended by LF. In a one-column table an empty cell is
 * written `""`, so that its row is not a blank line that readers skip.
 */
export function writeCsv(rows: readonly (readonly unknown[])[]): string {
  if (rows.length === 0) return '';
  const oneColumn = rows.every((r) => r.length === 1);
  return stringify(rows as unknown[][], { ...STRINGIFY, quoted_empty: oneColumn });
}

/** Raised by `readCsv` on a malformed file, naming the line. */
export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number | undefined,
  ) {
    super(message);
    this.name = 'CsvSyntaxError';
  }
}

/**
 * The rows of a CSV document: RFC 4180 quoting, CRLF or LF rows, a UTF-8 BOM dropped, blank lines skipped,
 * rows of any length (bulk-write files are checked against their header by the caller). A quote left open
 * or one in the middle of an unquoted cell is a `CsvSyntaxError`.
 */
export function readCsv(text: string | Buffer): string[][] {
  try {
    return parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true }) as string[][];
  } catch (error) {
    const line = (error as { lines?: unknown }).lines;
    throw new CsvSyntaxError((error as Error).message, typeof line === 'number' ? line : undefined);
  }
}
