/**
 * Record actions beyond CRUD: tags (add/remove, wire spec §9.3), lead conversion (§5.9) and mass update
 * (§5.11), with the v2 / v3+ differences (tags in the query or the body, the convert reply's wrapping) inside.
 */
import { ApiError, InvalidInputError } from '../errors.js';
import { isObject } from '../internal/is-object.js';
import { assertModuleName } from '../internal/path.js';
import { assertRecordId, assertRecordIds, type ZohoRecord } from './records.js';
import { requestFields, type RequestOptions } from './request-options.js';
import { APIResource, type RequestSender } from './resource.js';
import { versionRules } from './versions.js';
import { toWriteResult, writeInChunks, type WriteResult } from './write.js';

/** Most tags one add/remove call takes. */
export const MAX_TAGS_PER_CALL = 10;

/** Options of tags().add(). */
export interface AddTagsOptions extends RequestOptions {
  /** Replace the records' tags instead of adding to them. Default false. */
  overwrite?: boolean;
}

/** Tags of a module's records: `crm.tags('Leads').add(ids, ['VIP'])`. */
export class TagsResource extends APIResource {
  readonly module: string;

  constructor(client: RequestSender, module: string) {
    super(client);
    this.module = assertModuleName(module);
  }

  /** Adds tags (created when new) to records; one result per record, in order (chunks of 100 ids). */
  add(ids: readonly string[], tagNames: readonly string[], options: AddTagsOptions = {}): Promise<WriteResult[]> {
    return this.#send('add_tags', ids, tagNames, options, options.overwrite);
  }

  /** Removes tags from records; one result per record, in order. */
  remove(ids: readonly string[], tagNames: readonly string[], options: RequestOptions = {}): Promise<WriteResult[]> {
    return this.#send('remove_tags', ids, tagNames, options, undefined);
  }

  async #send(action: string, ids: readonly string[], tagNames: readonly string[], options: RequestOptions, overwrite: boolean | undefined): Promise<WriteResult[]> {
    const valid = assertRecordIds(ids);
    if (!Array.isArray(tagNames) || tagNames.length === 0 || tagNames.length > MAX_TAGS_PER_CALL || !tagNames.every((t) => typeof t === 'string' && t.trim() !== '' && !t.includes(','))) {
      throw new InvalidInputError(`tag names must be 1 to ${MAX_TAGS_PER_CALL} non-empty strings without commas, e.g. ['VIP'].`);
    }
    // v2/v3 take ids, tag_names and over_write in the query; v4+ take {"tags":[{"name"}],"ids","over_write"} as JSON.
    const inBody = versionRules(this.client.config.apiVersion).tagsInBody;
    const tags = tagNames.map((name) => ({ name }));
    return writeInChunks(valid, (chunk) =>
      this.client.request({
        method: 'POST',
        path: [this.module, 'actions', action],
        ...(inBody
          ? { json: { tags, ids: chunk, ...(overwrite === undefined ? {} : { over_write: overwrite }) } }
          : { query: { ids: chunk, tag_names: tagNames, over_write: overwrite } }),
        throwOnError: false,
        ...requestFields(options),
      }),
    );
  }
}

/** Options of `crm.convertLead()` (Zoho's keys). */
export interface ConvertLeadOptions extends RequestOptions {
  /** Merge into an existing account / contact when they match. */
  overwrite?: boolean;
  notify_lead_owner?: boolean;
  notify_new_entity_owner?: boolean;
  /** An existing account id to attach the contact to. */
  Accounts?: string;
  /** An existing contact id to merge into. */
  Contacts?: string;
  /** Owner (user id) of the new records. */
  assign_to?: string;
  /** A deal to create with the conversion. */
  Deals?: ZohoRecord;
  carry_over_tags?: { Contacts?: string[]; Accounts?: string[]; Deals?: string[] };
}

/** The records a conversion produced (ids; `null` when none was created, e.g. no deal). */
export interface ConvertLeadResult {
  Contacts: string | null;
  Accounts: string | null;
  Deals: string | null;
}

const CONVERT_KEYS = ['overwrite', 'notify_lead_owner', 'notify_new_entity_owner', 'Accounts', 'Contacts', 'assign_to', 'Deals', 'carry_over_tags'] as const;

/** Converts a lead; the same result shape on v2 (bare ids) and v8 (wrapped lookups). */
export async function convertLead(client: RequestSender, leadId: string, options: ConvertLeadOptions = {}): Promise<ConvertLeadResult> {
  const id = assertRecordId(leadId, 'lead id');
  const item: Record<string, unknown> = {};
  for (const key of CONVERT_KEYS) if (options[key] !== undefined) item[key] = options[key];
  const body = await client.requestJson<{ data?: unknown }>({ method: 'POST', path: ['Leads', id, 'actions', 'convert'], json: { data: [item] }, ...requestFields(options) });
  const first = Array.isArray(body?.data) ? body.data[0] : undefined;
  if (!isObject(first)) throw new ApiError({ status: 200, code: 'INVALID_RESPONSE', message: `Zoho answered the conversion of lead '${id}' without a result; check the lead in the CRM before converting again.` });
  const source = isObject(first['details']) && first['Contacts'] === undefined ? first['details'] : first;
  const ref = (v: unknown): string | null => (isObject(v) ? (v['id'] === undefined ? null : String(v['id'])) : v === null || v === undefined ? null : String(v));
  return { Contacts: ref(source['Contacts']), Accounts: ref(source['Accounts']), Deals: ref(source['Deals']) };
}

/** Which records a mass update targets: ids, or a custom view (optionally a territory). */
export type MassUpdateTarget = { ids: readonly string[]; cvid?: never } | { cvid: string; ids?: never; territory?: { id: string; include_child?: boolean } };

/** Options of `crm.massUpdate()`. */
export type MassUpdateOptions<T = ZohoRecord> = MassUpdateTarget &
  RequestOptions & {
    /** The field values to set on every targeted record. */
    data: Partial<T>;
    /** Overwrite multi-select values instead of appending. */
    over_write?: boolean;
  };

/** A scheduled mass update. */
export interface MassUpdateJob {
  jobId: string;
  /** Its status so far (`{ Status: 'COMPLETED', Updated_Count, Failed_Count, ... }`). */
  status(options?: RequestOptions): Promise<MassUpdateStatus>;
}

/** Zoho's mass-update job status. */
export interface MassUpdateStatus {
  Status: string;
  Total_Count?: number;
  Updated_Count?: number;
  Not_Updated_Count?: number;
  Failed_Count?: number;
  [key: string]: unknown;
}

/** Schedules a mass update of `module`; the job's status is read with `job.status()`. */
export async function massUpdate<T>(client: RequestSender, module: string, options: MassUpdateOptions<T>): Promise<MassUpdateJob> {
  const mod = assertModuleName(module);
  if (!isObject(options) || !isObject(options.data) || Object.keys(options.data).length === 0) {
    throw new InvalidInputError(`massUpdate('${mod}', ...) needs 'data' with the field values to set, e.g. { ids, data: { Lead_Status: 'Contacted' } }.`);
  }
  const body: Record<string, unknown> = { data: [options.data] };
  if (options.ids !== undefined) body['ids'] = assertRecordIds(options.ids);
  else if (typeof options.cvid === 'string' && options.cvid !== '') {
    body['cvid'] = assertRecordId(options.cvid, 'cvid');
    if (options.territory !== undefined) body['territory'] = options.territory;
  } else throw new InvalidInputError(`massUpdate('${mod}', ...) needs 'ids' (record ids) or 'cvid' (a custom view id) to say which records to update.`);
  if (options.over_write !== undefined) body['over_write'] = options.over_write;
  const reply = await client.requestJson<{ data?: unknown }>({ method: 'POST', path: [mod, 'actions', 'mass_update'], json: body, ...requestFields(options) });
  const item = Array.isArray(reply?.data) && isObject(reply.data[0]) ? toWriteResult(reply.data[0]) : undefined;
  const jobId = item?.details['job_id'];
  if (item === undefined || item.status !== 'success' || (typeof jobId !== 'string' && typeof jobId !== 'number')) {
    throw new ApiError({ status: 200, code: item?.code ?? 'INVALID_RESPONSE', message: `Zoho did not schedule the mass update of ${mod}: ${item?.message ?? 'no job id in the reply'}.`, details: item?.details });
  }
  const id = String(jobId);
  return {
    jobId: id,
    async status(statusOptions: RequestOptions = {}): Promise<MassUpdateStatus> {
      const res = await client.requestJson<{ data?: unknown }>({ method: 'GET', path: [mod, 'actions', 'mass_update'], query: { job_id: id }, ...requestFields(statusOptions) });
      const job = Array.isArray(res?.data) ? res.data[0] : undefined;
      if (!isObject(job)) throw new ApiError({ status: 200, code: 'INVALID_RESPONSE', message: `Zoho sent no status for mass-update job '${id}'.` });
      return job as MassUpdateStatus;
    },
  };
}
