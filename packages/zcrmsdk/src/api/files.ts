/**
 * Files of a record: attachments (`/{module}/{id}/Attachments`, wire spec §7.3) and the record photo
 * (`/{module}/{id}/photo`, §5.10). Uploads stream from a Buffer, a Blob, a Node or Web stream or a file path;
 * downloads are streams, never buffered whole.
 */
import { ReadStream, createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { MultipartPart } from '../client.js';
import { ApiError, InvalidInputError, NotFoundError } from '../errors.js';
import { filenameFromContentDisposition } from '../internal/content-disposition.js';
import { isObject } from '../internal/is-object.js';
import { assertModuleName, encodeSegment, type QueryValue } from '../internal/path.js';
import { listPages, type PagePromise } from './pagination.js';
import { requestFields, type RequestOptions } from './request-options.js';
import { APIResource, type ApiStreamResponse, type RequestSender } from './resource.js';
import { versionRules } from './versions.js';
import { toWriteResult, type WriteResult } from './write.js';

/**
 * What an upload reads from: bytes, a Blob (or File), a Node Readable, a Web ReadableStream, or
 * `{ path }` for a file on disk (opened lazily, re-opened if the upload is replayed).
 */
export type UploadSource = Buffer | Uint8Array | Blob | Readable | ReadableStream<Uint8Array> | { path: string };

/** Options of an upload. */
export interface UploadOptions extends RequestOptions {
  /** The file name Zoho shows. @default the path's or File's name, else `file` */
  filename?: string | undefined;
  /** The media type. @default the Blob's type, else `application/octet-stream` (Zoho then guesses from the name) */
  contentType?: string | undefined;
}

/** A download: the body as a stream (consume or destroy it) plus what Zoho said about the file. */
export interface FileDownload {
  /** The bytes, streamed as they arrive. */
  body: Readable;
  /** From `Content-Disposition` (`filename*` preferred, RFC 6266), reduced to a bare file name. */
  filename?: string;
  /** From `Content-Type`. */
  contentType?: string;
  /** From `Content-Length`, when Zoho sent it. */
  size?: number;
}

/** One attachment of a record as Zoho lists it (Zoho's key names; extra keys kept). */
export interface ZohoAttachment {
  id: string;
  File_Name: string;
  /** Bytes, as a string. */
  Size?: string;
  /** `Attachment` for a file, `Link URL` for a link. */
  $type?: string;
  $link_url?: string | null;
  $file_id?: string | null;
  $se_module?: string;
  Parent_Id?: { name: string | null; id: string };
  Owner?: { name: string; id: string };
  Created_Time?: string;
  Modified_Time?: string;
  [key: string]: unknown;
}

/** Options of `attachments(...).list()`. */
export interface AttachmentListParams extends RequestOptions {
  /** Keys to return. @default every key on v2; on v3+ (where Zoho requires it) the keys of ZohoAttachment */
  fields?: readonly string[] | undefined;
  page?: number | undefined;
  per_page?: number | undefined;
  [key: string]: QueryValue | AbortSignal | Record<string, string> | undefined;
}

/** The keys v3+ is asked for when the caller names none (Zoho requires `fields` there). */
const DEFAULT_ATTACHMENT_FIELDS = ['id', 'File_Name', 'Size', '$type', '$link_url', '$file_id', '$se_module', 'Parent_Id', 'Owner', 'Created_Time', 'Modified_Time'];

const REQUEST_OPTION_KEYS = new Set(['signal', 'timeoutMs', 'maxRetries', 'headers']);

/** `crm.attachments(module, recordId)`: list, upload (file or link), download as a stream, delete. */
export class AttachmentsResource extends APIResource {
  readonly module: string;
  readonly recordId: string;
  readonly #base: string[];

  constructor(client: RequestSender, module: string, recordId: string) {
    super(client);
    this.module = assertModuleName(module);
    this.recordId = assertId(recordId, 'recordId');
    this.#base = [this.module, this.recordId, 'Attachments'];
  }

  /** The record's attachments: await for the first page, `for await` for all of them. */
  list(params: AttachmentListParams = {}): PagePromise<ZohoAttachment> {
    const query: Record<string, QueryValue> = {};
    for (const [key, value] of Object.entries(params)) {
      if (!REQUEST_OPTION_KEYS.has(key) && value !== undefined) query[key] = value as QueryValue;
    }
    if (query['fields'] === undefined && versionRules(this.client.config.apiVersion).listNeedsFields) query['fields'] = DEFAULT_ATTACHMENT_FIELDS;
    return listPages<ZohoAttachment>(this.client, { path: this.#base, query, ...requestFields(params) });
  }

  /** Uploads a file as an attachment; resolves Zoho's result (its `id` is the attachment's). */
  async upload(source: UploadSource, options: UploadOptions = {}): Promise<WriteResult> {
    const part = await toFilePart(source, options, 'file');
    const body = await this.client.requestJson<Record<string, unknown>>({
      method: 'POST',
      path: this.#base,
      multipart: [part],
      ...requestFields(options),
    });
    return firstResult(body, 'upload an attachment');
  }

  /** Attaches a link (`attachmentUrl`); Zoho stores the URL, not its content. */
  async uploadLink(url: string, options: RequestOptions & { title?: string | undefined } = {}): Promise<WriteResult> {
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      parsed = undefined;
    }
    if (parsed === undefined || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
      throw new InvalidInputError(`attachments().uploadLink(url) needs an absolute http(s) URL, not ${JSON.stringify(url)}.`);
    }
    const query: Record<string, QueryValue> = { attachmentUrl: parsed.href };
    if (options.title !== undefined) query['title'] = options.title;
    const body = await this.client.requestJson<Record<string, unknown>>({ method: 'POST', path: this.#base, query, ...requestFields(options) });
    return firstResult(body, 'attach a link');
  }

  /** Downloads an attachment as a stream, with its file name and type. */
  async download(attachmentId: string, options: RequestOptions = {}): Promise<FileDownload> {
    const id = assertId(attachmentId, 'attachmentId');
    const res = await this.client.requestStream({ method: 'GET', path: [...this.#base, id], ...requestFields(options) });
    return toDownload(res, `attachment ${id} of ${this.module} record ${this.recordId}`);
  }

  /** Deletes an attachment. */
  async delete(attachmentId: string, options: RequestOptions = {}): Promise<WriteResult> {
    const id = assertId(attachmentId, 'attachmentId');
    const body = await this.client.requestJson<Record<string, unknown>>({ method: 'DELETE', path: [...this.#base, id], ...requestFields(options) });
    return firstResult(body, 'delete an attachment');
  }
}

/** `crm.photos(module, recordId)`: the record's photo (Leads, Contacts, Accounts, Products, Vendors). */
export class PhotosResource extends APIResource {
  readonly module: string;
  readonly recordId: string;
  readonly #path: string[];

  constructor(client: RequestSender, module: string, recordId: string) {
    super(client);
    this.module = assertModuleName(module);
    this.recordId = assertId(recordId, 'recordId');
    this.#path = [this.module, this.recordId, 'photo'];
  }

  /** Uploads (replaces) the record's photo. */
  async upload(source: UploadSource, options: UploadOptions = {}): Promise<WriteResult> {
    const part = await toFilePart(source, options, 'photo');
    const body = await this.client.requestJson<Record<string, unknown>>({ method: 'POST', path: this.#path, multipart: [part], ...requestFields(options) });
    return firstResult(body, 'upload a photo');
  }

  /** Downloads the photo as a stream. A record without a photo rejects with a NotFoundError (code `FILE_NOT_FOUND`). */
  async download(options: RequestOptions = {}): Promise<FileDownload> {
    const res = await this.client.requestStream({ method: 'GET', path: this.#path, ...requestFields(options) });
    return toDownload(res, `the photo of ${this.module} record ${this.recordId}`);
  }

  /** Deletes the record's photo. */
  async delete(options: RequestOptions = {}): Promise<WriteResult> {
    const body = await this.client.requestJson<Record<string, unknown>>({ method: 'DELETE', path: this.#path, ...requestFields(options) });
    return firstResult(body, 'delete a photo');
  }
}

function assertId(value: unknown, what: string): string {
  if (typeof value !== 'string' && typeof value !== 'number') {
    throw new InvalidInputError(`${what} must be a record id string such as '554023000000527002', not ${typeof value}.`);
  }
  const id = String(value);
  encodeSegment(id, what);
  return id;
}

/**
 * Turns an upload source into a multipart `file` part; nothing is read into memory. The pipeline's multipart
 * encoder streams every kind of source and re-opens `{ path }` and Blobs for a replay.
 */
export async function toFilePart(source: UploadSource, options: UploadOptions, fallbackName: string): Promise<MultipartPart> {
  let filename = options.filename;
  let contentType = options.contentType;
  if (Buffer.isBuffer(source) || source instanceof Uint8Array || source instanceof Readable) {
    if (source instanceof ReadStream) filename ??= basename(String(source.path));
  } else if (typeof Blob !== 'undefined' && source instanceof Blob) {
    const name: unknown = (source as Blob & { name?: unknown }).name;
    if (typeof name === 'string' && name !== '') filename ??= name;
    if (source.type !== '') contentType ??= source.type;
  } else if (typeof ReadableStream !== 'undefined' && source instanceof ReadableStream) {
    // Sent as it is read.
  } else if (isObject(source) && typeof source['path'] === 'string') {
    const path = source['path'];
    const info = await stat(path).catch((cause: unknown) => {
      throw new InvalidInputError(`Cannot read the file to upload at ${JSON.stringify(path)}: ${(cause as Error).message}. Pass { path } of a readable file.`, { cause });
    });
    if (!info.isFile()) throw new InvalidInputError(`The upload path ${JSON.stringify(path)} is not a file. Pass { path } of a readable file.`);
    filename ??= basename(path);
  } else {
    throw new InvalidInputError(
      'An upload source must be a Buffer, a Uint8Array, a Blob, a Node Readable, a Web ReadableStream or { path: string } (a file path); a string is not accepted: pass Buffer.from(text) or { path }.',
    );
  }
  if (filename !== undefined && (filename === '' || /[\r\n"]/.test(filename))) {
    throw new InvalidInputError(`filename ${JSON.stringify(filename)} cannot be sent: it must be non-empty and contain no quotes or line breaks.`);
  }
  if (contentType !== undefined && !/^[\w.+-]+\/[\w.+-]+(\s*;[^\r\n]*)?$/.test(contentType)) {
    throw new InvalidInputError(`contentType ${JSON.stringify(contentType)} is not a media type like 'image/png'.`);
  }
  const part: MultipartPart = { field: 'file', value: source as MultipartPart['value'], filename: filename ?? fallbackName };
  if (contentType !== undefined) part.contentType = contentType;
  return part;
}

/** The bytes of an upload source as a Node stream (for re-encoding, e.g. zipping a CSV), read lazily. */
export function sourceStream(source: UploadSource): Readable {
  if (Buffer.isBuffer(source) || source instanceof Uint8Array) return Readable.from([Buffer.from(source.buffer, source.byteOffset, source.byteLength)]);
  if (source instanceof Readable) return source;
  if (typeof Blob !== 'undefined' && source instanceof Blob) return Readable.fromWeb(source.stream() as WebReadableStream<Uint8Array>);
  if (typeof ReadableStream !== 'undefined' && source instanceof ReadableStream) return Readable.fromWeb(source as WebReadableStream<Uint8Array>);
  return createReadStream((source as { path: string }).path);
}

/** The stream reply of a download; a 204 (nothing there) rejects. */
export function toDownload(res: ApiStreamResponse, what: string): FileDownload {
  if (res.status === 204) {
    res.body.destroy();
    throw new NotFoundError({ status: 204, code: 'FILE_NOT_FOUND', message: `Zoho has no ${what} (it answered 204 No Content).` });
  }
  const out: FileDownload = { body: res.body };
  const filename = filenameFromContentDisposition(res.headers['content-disposition']);
  if (filename !== undefined) out.filename = filename;
  const type = res.headers['content-type'];
  if (type !== undefined && type !== '') out.contentType = type;
  const length = Number(res.headers['content-length']);
  if (res.headers['content-length'] !== undefined && Number.isSafeInteger(length) && length >= 0) out.size = length;
  return out;
}

/** The result of `{"data":[item]}` (attachments) or a top-level `{code, details, message, status}` (photo) reply. */
function firstResult(body: Record<string, unknown> | undefined, what: string): WriteResult {
  const data = body?.['data'];
  const item: unknown = Array.isArray(data) ? data[0] : body;
  if (!isObject(item)) throw new ApiError({ status: 200, code: 'INVALID_RESPONSE', message: `Zoho's reply to ${what} had no result.` });
  return toWriteResult(item);
}
