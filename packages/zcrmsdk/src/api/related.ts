/**
 * `crm.related(module, id, relatedList)` (wire spec §7.1) and `crm.notes(...)` (§7.2): a record's related
 * records (list, link, unlink) and notes (list, create, update, delete), paged and chunked like records.
 */
import { InvalidInputError } from '../errors.js';
import { isObject } from '../internal/is-object.js';
import { assertModuleName } from '../internal/path.js';
import { listPages, PagePromise } from './pagination.js';
import { assertRecordId, assertRecordIds, pagingQuery, withModifiedSince, writeBody, type FieldName, type PagingParams, type WithId, type WriteOptions, type ZohoRecord } from './records.js';
import { requestFields, type RequestOptions } from './request-options.js';
import { APIResource, type RequestSender } from './resource.js';
import { versionRules } from './versions.js';
import { writeInChunks, type WriteResult } from './write.js';

/** Parameters of a related-records or notes listing. */
export interface RelatedListParams<T = ZohoRecord> extends PagingParams, RequestOptions {
  fields?: readonly FieldName<T>[];
  modifiedSince?: Date | string;
}

/** The records of one related list of one record (`Contacts` of an Account, `Products` of a Lead ...). */
export class RelatedRecordsResource<T extends object = ZohoRecord> extends APIResource {
  readonly module: string;
  readonly recordId: string;
  readonly relatedList: string;

  constructor(client: RequestSender, module: string, recordId: string, relatedList: string) {
    super(client);
    this.module = assertModuleName(module);
    this.recordId = assertRecordId(recordId);
    this.relatedList = assertModuleName(relatedList, 'related list');
  }

  /** The related records: awaitable first page, `for await` over all. */
  list(params: RelatedListParams<T> = {}): PagePromise<WithId<T>> {
    return PagePromise.defer(() => {
      if (versionRules(this.client.config.apiVersion).relatedNeedsFields && (params.fields === undefined || params.fields.length === 0)) {
        throw new InvalidInputError(
          `related('${this.module}', '${this.recordId}', '${this.relatedList}').list() needs the 'fields' option on API ${this.client.config.apiVersion}, e.g. list({ fields: ['Last_Name'] }) (Zoho requires it from v5 on).`,
        );
      }
      return listPages<WithId<T>>(this.client, {
        path: [this.module, this.recordId, this.relatedList],
        query: { ...pagingQuery(params), fields: params.fields },
        ...withModifiedSince(params, requestFields(params)),
      });
    });
  }

  /** Links records (by `id`, with relation fields such as `Contact_Role`); one result per record, in order. */
  async link(records: readonly ({ id: string } & Record<string, unknown>)[], options: WriteOptions = {}): Promise<WriteResult[]> {
    if (!Array.isArray(records) || records.length === 0) {
      throw new InvalidInputError(`related(...).link() takes a non-empty array like [{ id: '3652397000000190102' }].`);
    }
    records.forEach((r, i) => {
      if (!isObject(r)) throw new InvalidInputError(`records[${i}] must be an object with the related record's id.`);
      assertRecordId(r.id, `records[${i}].id`);
    });
    return writeInChunks(records, (chunk) =>
      this.client.request({
        method: 'PUT',
        path: [this.module, this.recordId, this.relatedList],
        json: writeBody(chunk, options),
        throwOnError: false,
        ...requestFields(options),
      }),
    );
  }

  /** Unlinks related records by id (the records themselves stay); one result per id, in order. */
  async unlink(ids: readonly string[], options: RequestOptions = {}): Promise<WriteResult[]> {
    const valid = assertRecordIds(ids);
    return writeInChunks(valid, (chunk) =>
      this.client.request({
        method: 'DELETE',
        path: [this.module, this.recordId, this.relatedList],
        query: { ids: chunk },
        throwOnError: false,
        ...requestFields(options),
      }),
    );
  }
}

/** A note as Zoho stores it. */
export interface ZohoNote {
  id?: string;
  Note_Title?: string | null;
  Note_Content: string;
  Parent_Id?: { name?: string | null; id: string } | string;
  $se_module?: string;
  [field: string]: unknown;
}

/** A note to create: with `crm.notes(module, id)` the parent is implied; with `crm.notes()` give `Parent_Id` and `se_module`. */
export interface NewNote {
  Note_Title?: string;
  Note_Content: string;
  Parent_Id?: { id: string } | string;
  se_module?: string;
  [field: string]: unknown;
}

/** Notes: all of them (`crm.notes()`) or one record's (`crm.notes('Leads', id)`). */
export class NotesResource extends APIResource {
  readonly parent: { module: string; id: string } | undefined;

  constructor(client: RequestSender, module?: string, recordId?: string) {
    super(client);
    if ((module === undefined) !== (recordId === undefined)) {
      throw new InvalidInputError(`crm.notes() takes both a module and a record id (a record's notes) or neither (all notes).`);
    }
    this.parent = module === undefined || recordId === undefined ? undefined : { module: assertModuleName(module), id: assertRecordId(recordId) };
  }

  #path(): string[] {
    return this.parent === undefined ? ['Notes'] : [this.parent.module, this.parent.id, 'Notes'];
  }

  /** The notes: awaitable first page, `for await` over all. */
  list(params: RelatedListParams<ZohoNote> = {}): PagePromise<WithId<ZohoNote>> {
    return PagePromise.defer(() =>
      listPages<WithId<ZohoNote>>(this.client, {
        path: this.#path(),
        query: { ...pagingQuery(params), fields: params.fields ?? (versionRules(this.client.config.apiVersion).listNeedsFields ? DEFAULT_NOTE_FIELDS : undefined) },
        ...withModifiedSince(params, requestFields(params)),
      }),
    );
  }

  /** Adds notes (chunks of 100); one result per note, in order. */
  async create(notes: readonly NewNote[], options: WriteOptions = {}): Promise<WriteResult[]> {
    return this.#write('POST', this.#path(), notes, options);
  }

  /** Updates notes by `id`; one result per note, in order. */
  async update(notes: readonly (Partial<NewNote> & { id: string })[], options: WriteOptions = {}): Promise<WriteResult[]> {
    return this.#write('PUT', ['Notes'], notes, options);
  }

  /** Deletes notes by id; one result per id, in order. */
  async delete(ids: readonly string[], options: RequestOptions = {}): Promise<WriteResult[]> {
    const valid = assertRecordIds(ids);
    return writeInChunks(valid, (chunk) =>
      this.client.request({ method: 'DELETE', path: ['Notes'], query: { ids: chunk }, throwOnError: false, ...requestFields(options) }),
    );
  }

  async #write(method: 'POST' | 'PUT', path: string[], notes: readonly object[], options: WriteOptions): Promise<WriteResult[]> {
    if (!Array.isArray(notes) || notes.length === 0) throw new InvalidInputError(`notes writes take a non-empty array like [{ Note_Content: 'Called back' }].`);
    notes.forEach((n, i) => {
      if (!isObject(n)) throw new InvalidInputError(`notes[${i}] must be an object with Note_Content.`);
    });
    return writeInChunks(notes, (chunk) => this.client.request({ method, path, json: writeBody(chunk, options), throwOnError: false, ...requestFields(options) }));
  }
}

/** v3+ wants `fields` on notes lists; without any given, these (the note's own) are asked for. */
const DEFAULT_NOTE_FIELDS: readonly string[] = ['Note_Title', 'Note_Content', 'Parent_Id', 'Owner', 'Created_Time', 'Modified_Time'];
