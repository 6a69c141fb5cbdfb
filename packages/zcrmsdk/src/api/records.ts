/**
 * `crm.records<T>(module)`: list, get, create, update, upsert, delete, search and deleted records
 * (wire spec §5). Record shapes keep Zoho's field names; version differences (page tokens, mandatory
 * `fields`, write envelopes) are handled here and in the pagination module.
 */
import type { ApiRequest } from '../client.js';
import { InvalidInputError, NotFoundError } from '../errors.js';
import { isObject } from '../internal/is-object.js';
import type { QueryValue } from '../internal/path.js';
import { Criteria } from './criteria.js';
import { listPages, PagePromise } from './pagination.js';
import { requestFields, type RequestOptions } from './request-options.js';
import { RecordOperations } from './generated/records.js';
import type { RequestSender } from './resource.js';
import { versionRules } from './versions.js';
import { writeInChunks, writeResults, type WriteResult } from './write.js';

/**
 * A record as Zoho sends it: `id` plus fields under their API names (`Last_Name`, `Owner`, `$approved`).
 * Give your own shape to `crm.records<Lead>('Leads')` (an interface or a type; it need not extend this).
 */
export interface ZohoRecord {
  id?: string;
  [field: string]: unknown;
}

/** A record read back from Zoho: it always has its id. */
export type WithId<T> = T & { id: string };

/** A field API name of `T` (any string for the untyped ZohoRecord). */
export type FieldName<T> = (keyof T & string) | 'id';

/** `Created_By`, `Owner` ... as Zoho sends a user reference. */
export interface ZohoUserRef {
  name: string | null;
  id: string;
  email?: string;
}

/** An entry of the recycle bin or the permanently deleted list. */
export interface DeletedRecord {
  id: string;
  display_name: string | null;
  type: 'recycle' | 'permanent';
  deleted_by: ZohoUserRef | null;
  created_by: ZohoUserRef | null;
  deleted_time: string;
  [key: string]: unknown;
}

/** Zoho list parameters shared by list and search. */
export interface PagingParams {
  /** Page to start from (1-based). Default 1. */
  page?: number;
  /** Records per page, at most 200. Default 200. */
  per_page?: number;
  /** Continue from a v3+ `next_page_token` instead of a page number. */
  page_token?: string;
}

/** Parameters of `list()`. Other Zoho query parameters go in `query`. */
export interface ListParams<T = ZohoRecord> extends PagingParams, RequestOptions {
  /** Fields to return (at most 50). Required by Zoho on v3+ (e.g. the default v8). */
  fields?: readonly FieldName<T>[];
  sort_by?: FieldName<T> | 'Created_Time' | 'Modified_Time';
  sort_order?: 'asc' | 'desc';
  /** Custom view id: its records and sort. */
  cvid?: string;
  /** Only these record ids (at most 100). */
  ids?: readonly string[];
  /** Converted leads: `false` (Zoho's default), `true` or `both`. */
  converted?: boolean | 'both';
  /** Records awaiting approval: `true` (Zoho's default), `false` or `both`. */
  approved?: boolean | 'both';
  territory_id?: string;
  include_child?: boolean;
  /** Only records modified since (sent as If-Modified-Since). */
  modifiedSince?: Date | string;
  /** Any other Zoho query parameter, sent as given. */
  query?: Record<string, QueryValue>;
}

/** Parameters of `get()`. */
export interface GetParams<T = ZohoRecord> extends RequestOptions {
  fields?: readonly FieldName<T>[];
  converted?: boolean | 'both';
  approved?: boolean | 'both';
  query?: Record<string, QueryValue>;
}

/** Exactly one way to search: a criteria string (see `criteria`), an email, a phone number or a word. */
export type SearchBy =
  | { criteria: string | Criteria; email?: never; phone?: never; word?: never }
  | { email: string; criteria?: never; phone?: never; word?: never }
  | { phone: string; criteria?: never; email?: never; word?: never }
  | { word: string; criteria?: never; email?: never; phone?: never };

/** Parameters of `search()`. */
export type SearchParams<T = ZohoRecord> = SearchBy &
  PagingParams &
  RequestOptions & {
    fields?: readonly FieldName<T>[];
    converted?: boolean | 'both';
    approved?: boolean | 'both';
    query?: Record<string, QueryValue>;
  };

/** Parameters of `deleted()`. */
export interface DeletedParams extends PagingParams, RequestOptions {
  /** `all` (default), `recycle` (recycle bin) or `permanent`. */
  type?: 'all' | 'recycle' | 'permanent';
  modifiedSince?: Date | string;
}

/** Zoho's automation triggers for a write. */
export type WriteTrigger = 'workflow' | 'approval' | 'blueprint' | 'pathfinder' | 'orchestration';

/** Options of create / update / upsert. */
export interface WriteOptions extends RequestOptions {
  /** Automations to run (`[]` runs none). Default: Zoho's (all). */
  trigger?: readonly WriteTrigger[];
  /** Lead assignment rule id (create/upsert). */
  larId?: string;
  /** Processes to run (e.g. `['review_process']`). */
  process?: readonly string[];
}

/** Options of upsert. */
export interface UpsertOptions<T = ZohoRecord> extends WriteOptions {
  /** Fields that identify an existing record, in order. Default: the module's unique fields (Email for Leads). */
  duplicateCheckFields?: readonly FieldName<T>[];
}

/** Options of delete. */
export interface DeleteOptions extends RequestOptions {
  /** Run workflows on delete. Default: Zoho's (true). */
  wfTrigger?: boolean;
}

const ID = /^\d{1,30}$/;

/** Validates a record id (Zoho ids are digit strings) before it reaches a URL. */
export function assertRecordId(value: unknown, what = 'record id'): string {
  const id = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
  if (typeof id !== 'string' || !ID.test(id)) {
    throw new InvalidInputError(`${what} ${JSON.stringify(value)} is not a Zoho record id; ids are digit strings like '3652397000000190102'.`);
  }
  return id;
}

/** Validates a list of record ids (none is an error: say which records). */
export function assertRecordIds(values: unknown, what = 'ids'): string[] {
  if (!Array.isArray(values) || values.length === 0) {
    throw new InvalidInputError(`${what} must be a non-empty array of record ids, e.g. ['3652397000000190102'].`);
  }
  return values.map((v, i) => assertRecordId(v, `${what}[${i}]`));
}

/** The body of a multi-record write in the calling convention of every resource: `{ body: { data, trigger ... } }`. */
export interface RecordsWriteParams<T = ZohoRecord, I = Partial<T>> {
  body: {
    data: readonly I[];
    trigger?: readonly WriteTrigger[];
    lar_id?: string;
    process?: readonly string[];
    duplicate_check_fields?: readonly FieldName<T>[];
    wf_trigger?: string;
  };
  /** Zoho's external-id header: the field whose values identify the records. */
  'X-EXTERNAL'?: string;
}

/** The body of a one-record update: `{ body: { data: [fields] } }`. */
export interface RecordUpdateParams<T = ZohoRecord> {
  body: { data: readonly Partial<T>[]; trigger?: readonly WriteTrigger[]; process?: readonly string[] };
  'X-EXTERNAL'?: string;
}

/** Query of a delete by ids in the calling convention: `{ ids, wf_trigger }`. */
export interface RecordsDeleteParams {
  ids: readonly string[] | string;
  wf_trigger?: boolean;
  'X-EXTERNAL'?: string;
}

/**
 * Records of one module. Get one with `crm.records<T>(module)` (`T`: the record shape; `C`: what create takes,
 * e.g. typegen's `NewLeads` whose mandatory fields are required); its other operations come from the generated
 * RecordOperations.
 */
export class RecordsResource<T extends object = ZohoRecord, C extends object = Partial<T>> extends RecordOperations {
  constructor(client: RequestSender, module: string) {
    super(client, module);
  }

  /**
   * Lists records: `await` it for the first page, `for await` it for every record (page tokens past 2,000 on
   * v3+ are handled). v3+ (the default v8) needs `fields`.
   */
  list(params: ListParams<T> = {}): PagePromise<WithId<T>> {
    return PagePromise.defer(() => this.#list(params));
  }

  #list(params: ListParams<T>): PagePromise<WithId<T>> {
    if (versionRules(this.client.config.apiVersion).listNeedsFields && (params.fields === undefined || params.fields.length === 0)) {
      throw new InvalidInputError(
        `records('${this.module}').list() needs the 'fields' option on API ${this.client.config.apiVersion}, e.g. list({ fields: ['Last_Name', 'Email'] }) (Zoho requires it from v3 on; at most 50).`,
      );
    }
    return listPages<WithId<T>>(this.client, {
      path: [this.module],
      query: {
        ...params.query,
        ...pagingQuery(params),
        fields: params.fields,
        sort_by: params.sort_by,
        sort_order: params.sort_order,
        cvid: params.cvid,
        ids: params.ids === undefined ? undefined : assertRecordIds(params.ids),
        converted: params.converted,
        approved: params.approved,
        territory_id: params.territory_id,
        include_child: params.include_child,
      },
      ...withModifiedSince(params, requestFields(params)),
    });
  }

  /** One record; a NotFoundError (code `RECORD_NOT_FOUND`) when Zoho has no record with this id. */
  async get(id: string, params: GetParams<T> = {}): Promise<WithId<T>> {
    const recordId = assertRecordId(id);
    const body = await this.client.requestJson<{ data?: unknown }>({
      method: 'GET',
      path: [this.module, recordId],
      query: { ...params.query, fields: params.fields, converted: params.converted, approved: params.approved },
      ...requestFields(params),
    });
    const record = Array.isArray(body?.data) ? body.data[0] : undefined;
    if (!isObject(record)) {
      throw new NotFoundError({
        status: 204,
        code: 'RECORD_NOT_FOUND',
        message: `No ${this.module} record has id '${recordId}' (Zoho answered 204 No Content). Check the id and the module; deleted records are listed by records('${this.module}').deleted().`,
        details: { id: recordId, module: this.module },
      });
    }
    return record as WithId<T>;
  }

  /**
   * Inserts any number of records (chunks of 100); one result per record, in input order. Takes the records, or
   * `{ body: { data, trigger ... } }` as `record/Create Records` (POST /crm/v8/{module_api_name}) does.
   */
  create(input: readonly C[] | RecordsWriteParams<T, C>, options: WriteOptions = {}): Promise<WriteResult[]> {
    if (!Array.isArray(input)) return this.#writeParams('POST', [this.module], input as RecordsWriteParams<T>, options);
    return this.#write('POST', [this.module], input, options);
  }

  /** Updates records by their `id` (chunks of 100); one result per record, in input order. */
  update(records: readonly (Partial<T> & { id: string })[], options?: WriteOptions): Promise<WriteResult[]>;
  /** `record/Update Record`: PUT /crm/v8/{module_api_name}/{id}; the record's result. */
  update(id: string, params: RecordUpdateParams<T>, options?: RequestOptions): Promise<WriteResult[]>;
  /** `record/Update Records`: PUT /crm/v8/{module_api_name} with `{ body: { data } }` (each with its `id`); one result per record. */
  update(params: RecordsWriteParams<T>, options?: RequestOptions): Promise<WriteResult[]>;
  update(
    input: readonly (Partial<T> & { id: string })[] | string | RecordsWriteParams<T>,
    paramsOrOptions?: WriteOptions | RecordUpdateParams<T> | RequestOptions,
    options?: RequestOptions,
  ): Promise<WriteResult[]> {
    if (typeof input === 'string') return this.#writeParams('PUT', [this.module, assertRecordId(input)], paramsOrOptions as RecordsWriteParams<T>, options ?? {});
    if (!Array.isArray(input)) return this.#writeParams('PUT', [this.module], input as RecordsWriteParams<T>, (paramsOrOptions ?? {}) as RequestOptions);
    return this.#write('PUT', [this.module], input, (paramsOrOptions ?? {}) as WriteOptions);
  }

  /**
   * Updates the records that match `duplicateCheckFields`, inserts the others; results carry `action`. Takes the
   * records, or `{ body: { data, duplicate_check_fields } }` as `record/Upsert Records` does.
   */
  upsert(input: readonly Partial<T>[] | RecordsWriteParams<T>, options: UpsertOptions<T> = {}): Promise<WriteResult[]> {
    if (!Array.isArray(input)) return this.#writeParams('POST', [this.module, 'upsert'], input as RecordsWriteParams<T>, options);
    return this.#write('POST', [this.module, 'upsert'], input, options, options.duplicateCheckFields);
  }

  /** Deletes records by id (chunks of 100, to the recycle bin); one result per id, in input order. */
  delete(ids: readonly string[], options?: DeleteOptions): Promise<WriteResult[]>;
  /** `record/Delete Record`: DELETE /crm/v8/{module_api_name}/{id}; the record's result. */
  delete(id: string, params?: { wf_trigger?: boolean; 'X-EXTERNAL'?: string }, options?: RequestOptions): Promise<WriteResult[]>;
  /** `record/Delete Records`: DELETE /crm/v8/{module_api_name}?ids=...; one result per id. */
  delete(params: RecordsDeleteParams, options?: RequestOptions): Promise<WriteResult[]>;
  async delete(
    input: readonly string[] | string | RecordsDeleteParams,
    paramsOrOptions?: DeleteOptions | { wf_trigger?: boolean; 'X-EXTERNAL'?: string } | RequestOptions,
    options?: RequestOptions,
  ): Promise<WriteResult[]> {
    if (typeof input === 'string' || !Array.isArray(input)) {
      const single = typeof input === 'string';
      const params = (single ? paramsOrOptions ?? {} : input) as RecordsDeleteParams;
      const { 'X-EXTERNAL': external, ...query } = params;
      const res = await this.client.request({
        method: 'DELETE',
        path: single ? [this.module, assertRecordId(input)] : [this.module],
        query: { ...query, ids: query.ids === undefined ? undefined : typeof query.ids === 'string' ? query.ids : assertRecordIds(query.ids) },
        throwOnError: false,
        ...requestFields(single ? options : (paramsOrOptions as RequestOptions | undefined)),
        ...(external === undefined ? {} : { headers: { ...(single ? options : (paramsOrOptions as RequestOptions | undefined))?.headers, 'X-EXTERNAL': external } }),
      });
      return writeResults(res, single ? 1 : typeof query.ids === 'string' ? query.ids.split(',').length : (query.ids?.length ?? 0));
    }
    const ids = input;
    options = paramsOrOptions as DeleteOptions | undefined;
    const valid = assertRecordIds(ids);
    return writeInChunks(valid, (chunk) =>
      this.client.request({
        method: 'DELETE',
        path: [this.module],
        query: { ids: chunk, wf_trigger: (options as DeleteOptions | undefined)?.wfTrigger },
        throwOnError: false,
        ...requestFields(options),
      }),
    );
  }

  /** Searches by criteria, email, phone or word: awaitable first page, `for await` over all matches. */
  search(params: SearchParams<T>): PagePromise<WithId<T>> {
    return PagePromise.defer(() => this.#search(params));
  }

  #search(params: SearchParams<T>): PagePromise<WithId<T>> {
    const by = (['criteria', 'email', 'phone', 'word'] as const).filter((k) => params[k] !== undefined && params[k] !== '');
    if (by.length !== 1) {
      throw new InvalidInputError(
        `records('${this.module}').search() needs exactly one of 'criteria', 'email', 'phone' or 'word'${by.length > 1 ? ` (got ${by.join(', ')})` : ''}, e.g. search({ email: 'a@b.com' }) or search({ criteria: criteria.equals('Last_Name', 'Burns') }).`,
      );
    }
    if (params.criteria !== undefined && typeof params.criteria !== 'string' && !(params.criteria instanceof Criteria)) {
      throw new InvalidInputError(`search 'criteria' must be a string or built with criteria.* (e.g. criteria.equals('Last_Name', 'Burns')).`);
    }
    return listPages<WithId<T>>(this.client, {
      path: [this.module, 'search'],
      query: {
        ...params.query,
        ...pagingQuery(params),
        criteria: params.criteria === undefined ? undefined : String(params.criteria),
        email: params.email,
        phone: params.phone,
        word: params.word,
        fields: params.fields,
        converted: params.converted,
        approved: params.approved,
      },
      ...requestFields(params),
    });
  }

  /** Deleted records (`all`, the `recycle` bin, or `permanent`ly deleted ones), paged like list. */
  deleted(params: DeletedParams = {}): PagePromise<DeletedRecord> {
    return PagePromise.defer(() => this.#deleted(params));
  }

  #deleted(params: DeletedParams): PagePromise<DeletedRecord> {
    if (params.type !== undefined && !['all', 'recycle', 'permanent'].includes(params.type)) {
      throw new InvalidInputError(`deleted() option 'type' must be 'all', 'recycle' or 'permanent', not ${JSON.stringify(params.type)}.`);
    }
    return listPages<DeletedRecord>(this.client, {
      path: [this.module, 'deleted'],
      query: { type: params.type, ...pagingQuery(params) },
      ...withModifiedSince(params, requestFields(params)),
    });
  }

  /** A write in the calling convention: `params.body` as Zoho takes it, `data` chunked by 100; one result per record. */
  async #writeParams(method: 'POST' | 'PUT', path: string[], params: RecordsWriteParams<T> | undefined, options: RequestOptions): Promise<WriteResult[]> {
    const { body, 'X-EXTERNAL': external } = params ?? ({} as Partial<RecordsWriteParams<T>>);
    const req = { method, path, throwOnError: false, ...requestFields(options), ...(external === undefined ? {} : { headers: { ...options.headers, 'X-EXTERNAL': external } }) };
    if (!isObject(body) || !Array.isArray(body.data)) {
      // Zoho says what is missing (REQUIRED_PARAM_MISSING); the request goes as given.
      const res = await this.client.request({ ...req, throwOnError: true, json: body ?? {} });
      return writeResults(res, 0);
    }
    return writeInChunks(body.data, (chunk) => this.client.request({ ...req, json: { ...body, data: chunk } }));
  }

  async #write(
    method: 'POST' | 'PUT',
    path: string[],
    records: readonly object[],
    options: WriteOptions,
    duplicateCheckFields?: readonly string[],
  ): Promise<WriteResult[]> {
    if (!Array.isArray(records)) {
      throw new InvalidInputError(`records('${this.module}') writes take an array of records, e.g. create([{ Last_Name: 'Burns' }]).`);
    }
    records.forEach((r, i) => {
      if (!isObject(r)) throw new InvalidInputError(`records[${i}] must be an object of fields (Zoho API names), not ${JSON.stringify(r)}.`);
    });
    if (records.length === 0) return [];
    return writeInChunks(records, (chunk) =>
      this.client.request({
        method,
        path,
        json: writeBody(chunk, options, duplicateCheckFields),
        throwOnError: false,
        ...requestFields(options),
      }),
    );
  }
}

/** `{data, trigger, lar_id, process, duplicate_check_fields}` (wire spec §3.4), unset keys left out. */
export function writeBody(data: readonly object[], options: WriteOptions, duplicateCheckFields?: readonly string[]): Record<string, unknown> {
  const body: Record<string, unknown> = { data };
  if (options.trigger !== undefined) body['trigger'] = options.trigger;
  if (options.larId !== undefined) body['lar_id'] = options.larId;
  if (options.process !== undefined) body['process'] = options.process;
  if (duplicateCheckFields !== undefined) body['duplicate_check_fields'] = duplicateCheckFields;
  return body;
}

/** `page` / `per_page` / `page_token` as given (validated). */
export function pagingQuery(params: PagingParams): Record<string, QueryValue> {
  if (params.per_page !== undefined && (!Number.isInteger(params.per_page) || params.per_page < 1 || params.per_page > 200)) {
    throw new InvalidInputError(`'per_page' must be an integer from 1 to 200 (Zoho's maximum), not ${JSON.stringify(params.per_page)}.`);
  }
  if (params.page !== undefined && (!Number.isInteger(params.page) || params.page < 1)) {
    throw new InvalidInputError(`'page' must be an integer of 1 or more, not ${JSON.stringify(params.page)}.`);
  }
  return { page: params.page, per_page: params.per_page, page_token: params.page_token };
}

/** Adds `If-Modified-Since` to the request headers when `modifiedSince` is set. */
export function withModifiedSince<R extends Pick<ApiRequest, 'headers'>>(params: { modifiedSince?: Date | string }, req: R): R {
  if (params.modifiedSince === undefined) return req;
  const since = params.modifiedSince instanceof Date ? `${params.modifiedSince.toISOString().slice(0, 19)}+00:00` : params.modifiedSince;
  if (typeof since !== 'string' || Number.isNaN(Date.parse(since))) {
    throw new InvalidInputError(`'modifiedSince' must be a Date or an ISO 8601 datetime like '2024-01-15T10:30:00+00:00', not ${JSON.stringify(params.modifiedSince)}.`);
  }
  return { ...req, headers: { ...req.headers, 'If-Modified-Since': since } };
}
