/**
 * The CRM calls the CLI makes, on the client's public `request()`/`requestJson()` escape hatch: records,
 * search and COQL pages, writes in chunks of 100, attachments and field metadata. One place, so the
 * commands stay the same when they move onto the typed resources (`crm.records()`, `crm.settings`...).
 */
import type { Readable } from 'node:stream';
import { apiErrorFromResponse, type ZohoCRM } from '../public-api.js';

/** A CRM record as Zoho sends it. */
export type CrmRecord = Record<string, unknown> & { id?: string };

/** One page of a list, search or COQL reply. */
export interface RecordPage {
  data: CrmRecord[];
  more: boolean;
}

/** One item of a write reply, in input order. */
export interface WriteOutcome {
  status: 'success' | 'error';
  code: string;
  message: string;
  details: Record<string, unknown>;
  id?: string;
}

/** Zoho's per-request write limit. */
export const WRITE_CHUNK = 100;
/** Zoho's largest `per_page`. */
export const MAX_PER_PAGE = 200;
/** COQL's largest LIMIT per call on v2 (v4+ allow 2,000; 200 works everywhere). */
export const COQL_PAGE = 200;

type Query = Record<string, string | number | boolean | undefined>;

interface ListReply {
  data?: CrmRecord[];
  info?: { more_records?: boolean; next_page_token?: string | null };
}

/**
 * Every page of `GET {module}` (or `{module}/search`), following `page_token` where Zoho gives one (v3+, and
 * past 2,000 records) and `page` otherwise.
 */
export async function* recordPages(crm: ZohoCRM, path: string[], query: Query, signal?: AbortSignal): AsyncGenerator<RecordPage> {
  let page = typeof query['page'] === 'number' ? query['page'] : Number(query['page'] ?? 1);
  let token: string | undefined;
  for (;;) {
    const q: Query = { ...query, per_page: query['per_page'] ?? MAX_PER_PAGE };
    if (token !== undefined) {
      delete q['page'];
      q['page_token'] = token;
    } else q['page'] = page;
    const reply = await crm.requestJson<ListReply>({ method: 'GET', path, query: q, signal });
    const data = reply?.data ?? [];
    const more = reply?.info?.more_records === true && data.length > 0;
    yield { data, more };
    if (!more) return;
    if (reply?.info?.next_page_token) token = reply.info.next_page_token;
    else page++;
  }
}

/** Every record of every page. */
export async function* records(pages: AsyncIterable<RecordPage>, limit = Infinity): AsyncGenerator<CrmRecord> {
  let n = 0;
  for await (const page of pages) {
    for (const record of page.data) {
      if (n++ >= limit) return;
      yield record;
    }
  }
}

/** One record; Zoho's 204 for an unknown id becomes a NotFound-style error upstream. */
export async function getRecord(crm: ZohoCRM, module: string, id: string, query: Query = {}): Promise<CrmRecord | undefined> {
  const reply = await crm.requestJson<ListReply>({ method: 'GET', path: [module, id], query });
  return reply?.data?.[0];
}

/** What `writeRecords` does. */
export type WriteKind = 'create' | 'update' | 'upsert';

/** Creates, updates or upserts records in chunks of 100; one result per input, in input order. */
export async function writeRecords(
  crm: ZohoCRM,
  module: string,
  kind: WriteKind,
  input: readonly CrmRecord[],
  options: { duplicateCheckFields?: string[] | undefined; trigger?: string[] | undefined } = {},
): Promise<WriteOutcome[]> {
  const results: WriteOutcome[] = [];
  for (let i = 0; i < input.length; i += WRITE_CHUNK) {
    const chunk = input.slice(i, i + WRITE_CHUNK);
    const body: Record<string, unknown> = { data: chunk };
    if (options.trigger) body['trigger'] = options.trigger;
    if (kind === 'upsert' && options.duplicateCheckFields) body['duplicate_check_fields'] = options.duplicateCheckFields;
    const res = await crm.request({
      method: kind === 'create' ? 'POST' : kind === 'update' ? 'PUT' : 'POST',
      path: kind === 'upsert' ? [module, 'upsert'] : [module],
      json: body,
      throwOnError: false,
    });
    results.push(...outcomes(res.status, res.body.toString('utf8'), chunk.length));
  }
  return results;
}

/** Deletes records by id, 100 a call. */
export async function deleteRecords(crm: ZohoCRM, module: string, ids: readonly string[]): Promise<WriteOutcome[]> {
  const results: WriteOutcome[] = [];
  for (let i = 0; i < ids.length; i += WRITE_CHUNK) {
    const chunk = ids.slice(i, i + WRITE_CHUNK);
    const res = await crm.request({ method: 'DELETE', path: [module], query: { ids: chunk }, throwOnError: false });
    results.push(...outcomes(res.status, res.body.toString('utf8'), chunk.length));
  }
  return results;
}

/** Maps a write reply to one outcome per input item; a whole-request error becomes that error for each. */
function outcomes(status: number, text: string, count: number): WriteOutcome[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const items = (parsed as { data?: unknown } | undefined)?.data;
  if (Array.isArray(items) && items.length === count) {
    return items.map((item: Record<string, unknown>) => {
      const details = (item['details'] ?? {}) as Record<string, unknown>;
      const outcome: WriteOutcome = {
        status: item['status'] === 'success' ? 'success' : 'error',
        code: String(item['code'] ?? ''),
        message: String(item['message'] ?? ''),
        details,
      };
      if (typeof details['id'] === 'string') outcome.id = details['id'];
      return outcome;
    });
  }
  const whole = (parsed ?? {}) as Record<string, unknown>;
  if (status >= 400 && (status === 401 || status >= 500 || whole['code'] === 'INVALID_TOKEN')) {
    // Transport, auth and server failures are not per-record results: let the caller see them.
    throw apiErrorFromResponse(status, text);
  }
  return Array.from({ length: count }, () => ({
    status: 'error' as const,
    code: String(whole['code'] ?? `HTTP_${status}`),
    message: String(whole['message'] ?? `Zoho answered HTTP ${status}.`),
    details: (whole['details'] ?? {}) as Record<string, unknown>,
  }));
}

/** Every row of a COQL query, paged with LIMIT/OFFSET unless the query sets its own LIMIT. */
export async function* coqlPages(crm: ZohoCRM, query: string): AsyncGenerator<RecordPage> {
  const trimmed = query.trim().replace(/;$/, '');
  const own = /\blimit\s+\d+/i.test(trimmed);
  for (let offset = 0; ; offset += COQL_PAGE) {
    const select_query = own ? trimmed : `${trimmed} limit ${offset}, ${COQL_PAGE}`;
    const reply = await crm.requestJson<ListReply>({ method: 'POST', path: ['coql'], json: { select_query } });
    const data = reply?.data ?? [];
    const more = !own && reply?.info?.more_records === true && data.length > 0;
    yield { data, more };
    if (!more) return;
  }
}

/** A field of a module, as `settings/fields` describes it. */
export interface FieldMeta {
  api_name: string;
  data_type: string;
  json_type?: string | null;
  system_mandatory?: boolean;
  read_only?: boolean;
  pick_list_values?: { display_value?: string; actual_value?: string }[];
  lookup?: { module?: { api_name?: string } | string } | null;
  multiselectlookup?: { connected_module?: { api_name?: string } } | null;
  subform?: { module?: string } | null;
  associated_module?: { module?: string } | null;
  [key: string]: unknown;
}

/** The fields of a module. */
export async function moduleFields(crm: ZohoCRM, module: string): Promise<FieldMeta[]> {
  const reply = await crm.requestJson<{ fields?: FieldMeta[] }>({ method: 'GET', path: ['settings', 'fields'], query: { module } });
  return reply?.fields ?? [];
}

/** The API names of the modules that have records (api_supported). */
export async function moduleNames(crm: ZohoCRM): Promise<string[]> {
  const reply = await crm.requestJson<{ modules?: { api_name: string; api_supported?: boolean; generated_type?: string }[] }>({
    method: 'GET',
    path: ['settings', 'modules'],
  });
  return (reply?.modules ?? []).filter((m) => m.api_supported !== false).map((m) => m.api_name);
}

/** Uploads a file as an attachment of a record; returns the attachment id. */
export async function uploadAttachment(crm: ZohoCRM, module: string, id: string, content: Buffer | Readable, filename: string): Promise<string | undefined> {
  const reply = await crm.requestJson<{ data?: { details?: { id?: string } }[] }>({
    method: 'POST',
    path: [module, id, 'Attachments'],
    multipart: [{ field: 'file', value: content, filename }],
  });
  return reply?.data?.[0]?.details?.id;
}

/** Downloads an attachment as a stream. */
export async function downloadAttachment(crm: ZohoCRM, module: string, id: string, attachmentId: string): Promise<{ body: Readable; filename: string | undefined }> {
  const res = await crm.requestStream({ method: 'GET', path: [module, id, 'Attachments', attachmentId] });
  const disposition = res.headers['content-disposition'] ?? '';
  const match = /filename\*=UTF-8''([^;]+)|filename="?([^";]+)"?/i.exec(disposition);
  const filename = match ? decodeURIComponent(match[1] ?? match[2] ?? '') : undefined;
  return { body: res.body, filename };
}

/** The first page only (the generator is closed after it). */
export async function firstPage(pages: AsyncGenerator<RecordPage>): Promise<RecordPage> {
  const first = await pages.next();
  await pages.return(undefined);
  return first.done === true ? { data: [], more: false } : first.value;
}
