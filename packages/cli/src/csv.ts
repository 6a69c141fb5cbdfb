/**
 * RFC 4180 CSV for `zcrm export` / `zcrm import`: a line writer and a streaming row reader (quoted fields,
 * doubled quotes, CRLF or LF, newlines inside quotes). Small enough to keep the CLI free of a CSV dependency
 * (a client install carries nothing only the CLI needs).
 */
import { InvalidInputError } from 'zcrmsdk';

/** One CSV line (with CRLF) for `values`. */
export function csvLine(values: readonly string[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) || /^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Rows of a CSV stream (arrays of cells), in order; a UTF-8 BOM is skipped. */
export async function* csvRows(source: AsyncIterable<string | Buffer>): AsyncGenerator<string[]> {
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let afterQuote = false;
  let first = true;
  let pendingCr = false;
  for await (const chunk of source) {
    let text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    if (first) {
      text = text.replace(/^\uFEFF/, '');
      first = false;
    }
    const rows: string[][] = [];
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      if (pendingCr) {
        pendingCr = false;
        if (ch === '\n') continue;
      }
      if (quoted) {
        if (ch === '"') {
          // Closing, unless the next character (maybe in the next chunk) is a second quote.
          quoted = false;
          afterQuote = true;
        } else cell += ch;
        continue;
      }
      if (afterQuote && ch === '"') {
        // `""`: an escaped quote inside the quoted cell.
        cell += '"';
        quoted = true;
        afterQuote = false;
        continue;
      }
      afterQuote = false;
      if (ch === '"' && cell === '') quoted = true;
      else if (ch === ',') {
        row.push(cell);
        cell = '';
      } else if (ch === '\n' || ch === '\r') {
        row.push(cell);
        rows.push(row);
        row = [];
        cell = '';
        pendingCr = ch === '\r';
      } else cell += ch;
    }
    for (const r of rows) if (!(r.length === 1 && r[0] === '')) yield r;
  }
  if (quoted) throw new InvalidInputError('The CSV ends inside a quoted field (an unclosed quote).');
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    yield row;
  }
}
