/**
 * CLI helpers over the client's public API: the fields a list needs on v3+, and reading records from files
 * or stdin.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { InvalidInputError, type ZohoCRM, type ZohoRecord } from 'zcrmsdk';

/** Zoho's limit of fields per list/search call. */
export const MAX_FIELDS = 50;

/** `--fields a,b` as a list, or undefined. */
export function fieldList(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const fields = value.split(',').map((f) => f.trim()).filter(Boolean);
  return fields.length > 0 ? fields : undefined;
}

/** The fields to ask for: the user's, else (v3+ requires `fields`) the module's first 50 from its metadata. */
export async function fieldsFor(crm: ZohoCRM, module: string, given: string[] | undefined): Promise<string[] | undefined> {
  if (given) return given;
  if (/^v2(\.\d+)?$/.test(crm.config.apiVersion)) return undefined;
  const fields = await crm.settings.fields(module);
  return fields.map((f) => f.api_name).slice(0, MAX_FIELDS);
}

/**
 * Records from a file or stdin (`-` or no path): a JSON array, one JSON object, or JSON Lines. Streams
 * JSON Lines; a JSON document is read whole.
 */
export async function readRecords(path: string | undefined, stdin: Readable): Promise<ZohoRecord[]> {
  const source = path === undefined || path === '-' ? stdin : createReadStream(path, 'utf8');
  const lines: string[] = [];
  const where = path === undefined || path === '-' ? 'stdin' : path;
  try {
    for await (const line of createInterface({ input: source, crlfDelay: Infinity })) lines.push(line);
  } catch (cause) {
    throw new InvalidInputError(`Cannot read records from ${where}: ${(cause as Error).message}`, { cause });
  }
  const text = lines.join('\n').trim();
  if (text === '') throw new InvalidInputError(`No records in ${where}: give a JSON array, a JSON object or JSON Lines.`);
  const parse = (chunk: string, what: string): unknown => {
    try {
      return JSON.parse(chunk);
    } catch (cause) {
      throw new InvalidInputError(`${where}: ${what} is not JSON (${(cause as Error).message}).`, { cause });
    }
  };
  let values: unknown[];
  if (text.startsWith('[')) values = parse(text, 'the document') as unknown[];
  else if (lines.filter((l) => l.trim()).length > 1 && lines.every((l) => l.trim() === '' || l.trim().startsWith('{'))) {
    values = lines.map((l, i) => ({ l, i })).filter(({ l }) => l.trim() !== '').map(({ l, i }) => parse(l, `line ${i + 1}`));
  } else values = [parse(text, 'the document')];
  return values.map((v, i) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new InvalidInputError(`${where}: record ${i + 1} is not a JSON object.`);
    return v as ZohoRecord;
  });
}
