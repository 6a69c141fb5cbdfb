/**
 * `crm.bulk`: Zoho's bulk read (export a module as CSV) and bulk write (import a CSV) jobs (wire spec §9.4).
 * A job is created, polled with backoff until Zoho says COMPLETED, and its result (a zip holding one CSV) is
 * streamed: unzipped and parsed as it arrives, never held whole.
 */
import { Readable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { AbortedError, ApiError, InvalidInputError, ZohoError } from '../errors.js';
import { CsvRecords, CsvRowParser, csvLine } from '../internal/csv.js';
import { isObject } from '../internal/is-object.js';
import { assertModuleName, encodeSegment } from '../internal/path.js';
import { unzipFirstFile, zipOneFile } from '../internal/zip.js';
import { sourceStream, toFilePart, type UploadSource } from './files.js';
import { requestFields, type RequestOptions } from './request-options.js';
import { APIResource, type RequestSender } from './resource.js';
import { apiVersionNumber } from './versions.js';
import { getOrg } from './users.js';

/** First wait between two status polls of a bulk job. */
export const DEFAULT_BULK_POLL_INTERVAL_MS = 1_000;
/** Longest wait between two status polls (the wait grows 1.5x per poll up to this). */
export const DEFAULT_BULK_MAX_POLL_INTERVAL_MS = 30_000;
/** How long `wait()` polls before giving up. */
export const DEFAULT_BULK_WAIT_TIMEOUT_MS = 60 * 60_000;

/** A bulk job failed on Zoho's side (state FAILURE / FAILED), or `wait()` gave up. */
export class BulkJobError extends ZohoError {
  /** The job's id. */
  readonly jobId: string;
  /** The job's last state. */
  readonly state: string;
  constructor(message: string, code: string, jobId: string, state: string) {
    super(message, code);
    this.jobId = jobId;
    this.state = state;
  }
}

/** One condition or a group of them: Zoho's JSON criteria of bulk read (`api_name` on v2, `field.api_name` on v3+: give either). */
export type BulkCriteria =
  | { group_operator: 'and' | 'or' | 'AND' | 'OR'; group: BulkCriteria[] }
  | {
      api_name?: string;
      field?: string | { api_name: string };
      comparator: string;
      value?: string | number | boolean | null | readonly (string | number)[];
    };

/** Options of `crm.bulk.read(...)`. */
export interface BulkReadOptions extends RequestOptions {
  /** The module to export (API name). */
  module: string;
  /** Fields (API names) to export. @default every field */
  fields?: readonly string[] | undefined;
  /** Which records. @default all */
  criteria?: BulkCriteria | undefined;
  /** A custom view id to export instead. */
  cvid?: string | undefined;
  /** Result page: Zoho exports 200,000 records per job. @default 1 */
  page?: number | undefined;
  /** `csv` or `ics` (Events, Calls, Tasks). @default csv */
  file_type?: 'csv' | 'ics' | undefined;
  /** Zoho calls this URL when the job ends. @default none */
  callback?: { url: string; method: 'post' } | undefined;
}

/** Options of `job.wait(...)`. */
export interface BulkWaitOptions {
  signal?: AbortSignal | undefined;
  /** First wait between polls, ms. @default DEFAULT_BULK_POLL_INTERVAL_MS (1 s) */
  intervalMs?: number | undefined;
  /** Longest wait between polls, ms. @default DEFAULT_BULK_MAX_POLL_INTERVAL_MS (30 s) */
  maxIntervalMs?: number | undefined;
  /** Give up (BulkJobError WAIT_TIMEOUT) after this long, ms. @default DEFAULT_BULK_WAIT_TIMEOUT_MS (1 hour) */
  timeoutMs?: number | undefined;
}

/** Options of `job.csv(...)` and `job.result(...)`: the wait, and a bound on the unzipped result. */
export interface BulkResultOptions extends BulkWaitOptions {
  /** Most bytes the unzipped CSV may hold; the read stops with a ZipFormatError as soon as it is exceeded (or the zip's declared size is). @default DEFAULT_BULK_MAX_RESULT_BYTES (1 GiB) */
  maxResultBytes?: number | undefined;
}

/**
 * A bulk result as an object-mode stream of rows keyed by the CSV header; `for await` yields typed rows.
 * An intersection, not `interface extends Readable`: overriding Readable's async iterator in an interface breaks
 * whenever @types/node changes that iterator's type (it gained `Symbol.asyncDispose` in newer versions).
 */
export type BulkRowStream = AsyncIterable<Record<string, string>> & Readable;

/** The waits between polls: `intervalMs`, then 1.5x more each time, capped at `maxIntervalMs`. Pure. */
export function* bulkPollDelays(intervalMs = DEFAULT_BULK_POLL_INTERVAL_MS, maxIntervalMs = DEFAULT_BULK_MAX_POLL_INTERVAL_MS): Generator<number, never> {
  for (let next = intervalMs; ; next *= 1.5) yield Math.min(next, maxIntervalMs);
}

const DONE = new Set(['COMPLETED']);
const FAILED = new Set(['FAILURE', 'FAILED']);

/** What both job kinds share: polling and the zipped CSV result. */
abstract class BulkJob {
  /** The job id. */
  readonly id: string;
  /** Zoho's state: ADDED, QUEUED, IN PROGRESS, COMPLETED, FAILURE (read) / FAILED (write). */
  state: string;
  /** Zoho's last description of the job, as it sent it. */
  details: Record<string, unknown>;
  protected readonly client: RequestSender;
  readonly #kind: 'read' | 'write';

  constructor(client: RequestSender, kind: 'read' | 'write', id: string, state: string, details: Record<string, unknown>) {
    this.client = client;
    this.#kind = kind;
    this.id = id;
    this.state = state;
    this.details = details;
  }

  /** Reads the job's state once. */
  async refresh(options: RequestOptions = {}): Promise<this> {
    const body = await this.client.requestJson<Record<string, unknown>>({ method: 'GET', api: 'bulk', path: [this.#kind, this.id], ...requestFields(options) });
    const data = body?.['data'];
    const job = Array.isArray(data) ? data[0] : body;
    if (!isObject(job)) throw new ApiError({ status: 200, code: 'INVALID_RESPONSE', message: `Zoho answered the status of bulk ${this.#kind} job ${this.id} without a job.` });
    this.details = job;
    this.state = String(job['state'] ?? job['status'] ?? '');
    return this;
  }

  /** Polls (with growing waits) until Zoho says COMPLETED; rejects with BulkJobError if the job fails. */
  async wait(options: BulkWaitOptions = {}): Promise<this> {
    const interval = positive(options.intervalMs, DEFAULT_BULK_POLL_INTERVAL_MS, 'intervalMs');
    const max = positive(options.maxIntervalMs, DEFAULT_BULK_MAX_POLL_INTERVAL_MS, 'maxIntervalMs');
    const timeout = positive(options.timeoutMs, DEFAULT_BULK_WAIT_TIMEOUT_MS, 'timeoutMs');
    const deadline = Date.now() + timeout;
    for (const next of bulkPollDelays(interval, max)) {
      if (!DONE.has(this.state)) await this.refresh({ signal: options.signal });
      if (DONE.has(this.state)) return this;
      if (FAILED.has(this.state)) {
        throw new BulkJobError(`Bulk ${this.#kind} job ${this.id} failed on Zoho's side (state ${this.state}). Check the job with crm.bulk.${this.#kind}Job('${this.id}').`, 'BULK_JOB_FAILED', this.id, this.state);
      }
      if (Date.now() + next > deadline) {
        throw new BulkJobError(`Bulk ${this.#kind} job ${this.id} is still ${this.state} after ${timeout} ms; call wait() again or raise timeoutMs.`, 'WAIT_TIMEOUT', this.id, this.state);
      }
      try {
        await delay(next, undefined, { signal: options.signal });
      } catch (cause) {
        throw new AbortedError(`Waiting for bulk ${this.#kind} job ${this.id} was aborted by the caller.`, { cause });
      }
    }
    throw new Error('unreachable');
  }

  /** The result CSV's bytes (unzipped), streamed. Waits for the job first if it is not COMPLETED. */
  csv(options: BulkResultOptions = {}): Readable {
    return Readable.from(this.#csvChunks(options), { objectMode: false });
  }

  /**
   * The result as rows keyed by the CSV header (`{ Id: '...', Last_Name: '...' }`): an object-mode Readable,
   * so `for await (const row of job.result())` works. Waits for the job first if it is not COMPLETED.
   */
  result(options: BulkResultOptions = {}): BulkRowStream {
    return Readable.from(this.#rows(options)) as BulkRowStream;
  }

  async *#rows(options: BulkResultOptions): AsyncGenerator<Record<string, string>> {
    const rows = this.csv(options).pipe(new CsvRowParser()).pipe(new CsvRecords());
    yield* rows as AsyncIterable<Record<string, string>>;
  }

  async *#csvChunks(options: BulkResultOptions): AsyncGenerator<Buffer> {
    if (!DONE.has(this.state)) await this.wait(options);
    const res = await this.client.requestStream({ method: 'GET', api: 'bulk', path: [this.#kind, this.id, 'result'], signal: options.signal });
    yield* unzipFirstFile(res.body, { maxBytes: options.maxResultBytes }) as AsyncIterable<Buffer>;
  }
}

/** A bulk read (export) job. */
export class BulkReadJob extends BulkJob {
  readonly #options: BulkReadOptions | undefined;

  constructor(client: RequestSender, id: string, state: string, details: Record<string, unknown>, options: BulkReadOptions | undefined) {
    super(client, 'read', id, state, details);
    this.#options = options;
  }

  /** Zoho's `result` of a completed job: `page`, `count`, `more_records`, `download_url`. */
  get resultInfo(): { page?: number; count?: number; more_records?: boolean; [key: string]: unknown } | undefined {
    const result = this.details['result'];
    return isObject(result) ? result : undefined;
  }

  /** When Zoho has more than this job's 200,000 records: a new job for the next page; otherwise null. */
  async nextPage(options: RequestOptions = {}): Promise<BulkReadJob | null> {
    const info = this.resultInfo;
    if (info?.more_records !== true) return null;
    const page = (typeof info.page === 'number' ? info.page : (this.#options?.page ?? 1)) + 1;
    return new BulkResource(this.client).read({ ...(this.#options ?? this.#optionsFromQuery()), ...requestFields(options), page });
  }

  /** The options of a job picked up by id, from the query Zoho echoes back. */
  #optionsFromQuery(): BulkReadOptions {
    const query = isObject(this.details['query']) ? this.details['query'] : {};
    const module = isObject(query['module']) ? query['module']['api_name'] : query['module'];
    const out: BulkReadOptions = { module: String(module) };
    if (Array.isArray(query['fields'])) out.fields = query['fields'].map((f: unknown) => (isObject(f) ? String(f['api_name']) : String(f)));
    if (isObject(query['criteria'])) out.criteria = query['criteria'] as BulkCriteria;
    if (typeof query['cvid'] === 'string') out.cvid = query['cvid'];
    return out;
  }
}

/** Options of `crm.bulk.write(...)`. */
export interface BulkWriteOptions extends RequestOptions {
  /** The module to import into (API name). */
  module: string;
  /** `insert`, `update` or `upsert`. */
  operation: 'insert' | 'update' | 'upsert';
  /**
   * The data: rows (objects keyed by field API name; the first row's keys are the columns), or a CSV file
   * (Buffer, Blob, stream or { path }), or a zip holding one (`fileType: 'zip'`). Zipped for you, streamed.
   */
  rows?: Iterable<Record<string, unknown>> | AsyncIterable<Record<string, unknown>> | undefined;
  file?: UploadSource | undefined;
  /** Whether `file` is a CSV (zipped here) or already a zip. @default 'csv' */
  fileType?: 'csv' | 'zip' | undefined;
  /** Which CSV column holds which field: `[{ api_name, index }]`. @default the CSV header names are API names */
  field_mappings?: { api_name: string; index?: number; format?: string; find_by?: string; default_value?: Record<string, unknown> }[] | undefined;
  /** Field that finds the existing record (update, upsert): `id`, `Email`, ... */
  find_by?: string | undefined;
  /** Skip empty cells instead of clearing fields. @default false */
  ignore_empty?: boolean | undefined;
  /** Zoho calls this URL when the job ends. @default none */
  callback?: { url: string; method: 'post' } | undefined;
  /** The org's `zgid` for the upload's X-CRM-ORG header. @default read once from crm.org() */
  orgId?: string | undefined;
}

/** A bulk write (import) job; its result CSV has the input columns plus STATUS, RECORD_ID and ERRORS. */
export class BulkWriteJob extends BulkJob {
  /** The upload's file id. */
  readonly fileId: string;

  constructor(client: RequestSender, id: string, state: string, details: Record<string, unknown>, fileId: string) {
    super(client, 'write', id, state, details);
    this.fileId = fileId;
  }

  /** Zoho's per-resource counts once the job ran: `added_count`, `updated_count`, `skipped_count`, `total_count`. */
  get counts(): Record<string, unknown> | undefined {
    const resource = this.details['resource'];
    const first: unknown = Array.isArray(resource) ? resource[0] : undefined;
    return isObject(first) && isObject(first['file']) ? first['file'] : undefined;
  }
}

/** `crm.bulk`: create bulk read and write jobs, or pick up existing ones by id. */
export class BulkResource extends APIResource {
  #orgId: Promise<string> | undefined;

  /** Creates a bulk read job (state ADDED); `await job.wait()` then `for await (const row of job.result())`. */
  async read(options: BulkReadOptions): Promise<BulkReadJob> {
    if (!isObject(options)) throw new InvalidInputError('crm.bulk.read(options) needs { module, fields?, criteria? }.');
    const module = assertModuleName(options.module);
    const v3 = apiVersionNumber(this.client.config.apiVersion) >= 3;
    const query: Record<string, unknown> = { module: v3 ? { api_name: module } : module };
    if (options.fields !== undefined) {
      if (!Array.isArray(options.fields) || !options.fields.every((f) => typeof f === 'string' && f !== '')) {
        throw new InvalidInputError('bulk.read option fields must be a list of field API names, e.g. [\'Last_Name\', \'Email\'].');
      }
      query['fields'] = [...options.fields];
    }
    if (options.criteria !== undefined) query['criteria'] = criteriaFor(options.criteria, v3);
    if (options.cvid !== undefined) query['cvid'] = String(options.cvid);
    if (options.page !== undefined) {
      if (!Number.isSafeInteger(options.page) || options.page < 1) throw new InvalidInputError(`bulk.read option page must be a whole number >= 1, not ${String(options.page)}.`);
      query['page'] = options.page;
    }
    const json: Record<string, unknown> = { query };
    if (options.file_type !== undefined) json['file_type'] = options.file_type;
    if (options.callback !== undefined) json['callback'] = options.callback;
    const body = await this.client.requestJson<Record<string, unknown>>({ method: 'POST', api: 'bulk', path: ['read'], json, ...requestFields(options) });
    const details = createdDetails(body, 'read');
    return new BulkReadJob(this.client, String(details['id']), String(details['state'] ?? 'ADDED'), details, { ...options, module });
  }

  /** An existing bulk read job by id (its state read once). */
  async readJob(id: string, options: RequestOptions = {}): Promise<BulkReadJob> {
    const jobId = assertJobId(id);
    return new BulkReadJob(this.client, jobId, '', {}, undefined).refresh(options);
  }

  /** Uploads the data (zipped on the fly), then creates the bulk write job; `await job.wait()` for the counts. */
  async write(options: BulkWriteOptions): Promise<BulkWriteJob> {
    if (!isObject(options)) throw new InvalidInputError('crm.bulk.write(options) needs { module, operation, rows | file }.');
    const module = assertModuleName(options.module);
    if (options.operation !== 'insert' && options.operation !== 'update' && options.operation !== 'upsert') {
      throw new InvalidInputError(`bulk.write option operation must be 'insert', 'update' or 'upsert', not ${JSON.stringify(options.operation)}.`);
    }
    if (options.operation !== 'insert' && (typeof options.find_by !== 'string' || options.find_by === '')) {
      throw new InvalidInputError(`bulk.write with operation '${options.operation}' needs find_by: the field that finds the existing record ('id', 'Email', ...).`);
    }
    if ((options.rows === undefined) === (options.file === undefined)) {
      throw new InvalidInputError('bulk.write needs exactly one of rows (objects keyed by field API name) or file (a CSV, or a zip with fileType: \'zip\').');
    }
    const fileId = await this.uploadFile(options);
    const resource: Record<string, unknown> = { type: 'data', module: apiVersionNumber(this.client.config.apiVersion) >= 3 ? { api_name: module } : module, file_id: fileId };
    if (options.find_by !== undefined) resource['find_by'] = options.find_by;
    if (options.ignore_empty !== undefined) resource['ignore_empty'] = options.ignore_empty;
    if (options.field_mappings !== undefined) resource['field_mappings'] = options.field_mappings;
    const json: Record<string, unknown> = { operation: options.operation, character_encoding: 'UTF-8', resource: [resource] };
    if (options.callback !== undefined) json['callback'] = options.callback;
    const body = await this.client.requestJson<Record<string, unknown>>({ method: 'POST', api: 'bulk', path: ['write'], json, ...requestFields(options) });
    const details = createdDetails(body, 'write');
    return new BulkWriteJob(this.client, String(details['id']), String(details['status'] ?? details['state'] ?? 'ADDED'), details, fileId);
  }

  /** An existing bulk write job by id (its state read once). */
  async writeJob(id: string, options: RequestOptions = {}): Promise<BulkWriteJob> {
    return new BulkWriteJob(this.client, assertJobId(id), '', {}, '').refresh(options);
  }

  /** Uploads bulk-write data to Zoho's file store (`POST /upload`, headers `feature: bulk-write`, `X-CRM-ORG`); resolves the file id. */
  async uploadFile(options: Pick<BulkWriteOptions, 'module' | 'rows' | 'file' | 'fileType' | 'orgId' | 'signal' | 'timeoutMs' | 'maxRetries' | 'headers'>): Promise<string> {
    const orgId = options.orgId ?? (await this.#org(options));
    const name = `${options.module}.csv`;
    let part;
    if (options.rows !== undefined) {
      part = { field: 'file', value: zipOneFile(name, csvOf(options.rows)), filename: `${options.module}.zip`, contentType: 'application/zip' };
    } else if (options.fileType === 'zip') {
      part = await toFilePart(options.file as UploadSource, { contentType: 'application/zip' }, `${options.module}.zip`);
    } else {
      // Validates the source (a missing path is an InvalidInputError) before zipping it on the fly.
      await toFilePart(options.file as UploadSource, {}, name);
      part = { field: 'file', value: zipOneFile(name, sourceStream(options.file as UploadSource)), filename: `${options.module}.zip`, contentType: 'application/zip' };
    }
    const body = await this.client.requestJson<Record<string, unknown>>({
      method: 'POST',
      path: ['upload'],
      multipart: [part],
      ...requestFields(options),
      headers: { ...options.headers, feature: 'bulk-write', 'X-CRM-ORG': orgId },
    });
    const details = isObject(body?.['details']) ? body['details'] : undefined;
    const fileId = details?.['file_id'];
    if (typeof fileId !== 'string' && typeof fileId !== 'number') {
      throw new ApiError({ status: 200, code: 'INVALID_RESPONSE', message: 'Zoho answered the bulk-write upload without a file_id.' });
    }
    return String(fileId);
  }

  #org(options: RequestOptions): Promise<string> {
    this.#orgId ??= getOrg(this.client, { signal: options.signal }).then((org) => {
      const id = org['zgid'] ?? org['id'];
      if (typeof id !== 'string' && typeof id !== 'number') throw new ApiError({ status: 200, code: 'INVALID_RESPONSE', message: 'The org has no zgid; pass bulk.write option orgId.' });
      return String(id);
    });
    this.#orgId.catch(() => {
      this.#orgId = undefined;
    });
    return this.#orgId;
  }
}

/** Rows → CSV lines; the first row's keys are the header. */
async function* csvOf(rows: Iterable<Record<string, unknown>> | AsyncIterable<Record<string, unknown>>): AsyncGenerator<string> {
  let header: string[] | undefined;
  for await (const row of rows) {
    if (!isObject(row)) throw new InvalidInputError('bulk.write rows must be objects keyed by field API name.');
    if (header === undefined) {
      header = Object.keys(row);
      yield csvLine(header);
    }
    yield csvLine(header.map((k) => row[k]));
  }
  if (header === undefined) throw new InvalidInputError('bulk.write rows is empty: give at least one row.');
}

function criteriaFor(c: BulkCriteria, v3: boolean): Record<string, unknown> {
  if (!isObject(c)) throw new InvalidInputError('bulk.read criteria must be { field, comparator, value } or { group_operator, group: [...] }.');
  if ('group' in c) {
    if (!Array.isArray(c.group) || c.group.length === 0) throw new InvalidInputError('bulk.read criteria group must be a non-empty list.');
    return { group_operator: String(c.group_operator).toLowerCase(), group: c.group.map((g) => criteriaFor(g, v3)) };
  }
  const field = typeof c.field === 'string' ? c.field : isObject(c.field) ? c.field.api_name : c.api_name;
  if (typeof field !== 'string' || field === '' || typeof c.comparator !== 'string') {
    throw new InvalidInputError('bulk.read criteria need a field (API name) and a comparator, e.g. { field: \'Lead_Source\', comparator: \'equal\', value: \'Web\' }.');
  }
  const out: Record<string, unknown> = v3 ? { field: { api_name: field } } : { api_name: field };
  out['comparator'] = c.comparator;
  if (c.value !== undefined) out['value'] = c.value;
  return out;
}

function createdDetails(body: Record<string, unknown> | undefined, kind: string): Record<string, unknown> {
  const data = body?.['data'];
  const item: unknown = Array.isArray(data) ? data[0] : body;
  const details = isObject(item) && isObject(item['details']) ? item['details'] : undefined;
  const id = details?.['id'];
  if (details === undefined || (typeof id !== 'string' && typeof id !== 'number')) {
    throw new ApiError({ status: 200, code: 'INVALID_RESPONSE', message: `Zoho answered the bulk ${kind} job creation without a job id.` });
  }
  return details;
}

function assertJobId(id: unknown): string {
  if (typeof id !== 'string' || id === '') throw new InvalidInputError(`A bulk job id must be a non-empty string, not ${JSON.stringify(id)}.`);
  encodeSegment(id, 'job id');
  return id;
}

function positive(value: number | undefined, fallback: number, option: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value > 0)) throw new InvalidInputError(`bulk wait option ${option} must be a number of milliseconds > 0, not ${String(value)}.`);
  return value;
}
