import { randomBytes } from 'node:crypto';
import { ReadStream, createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { InvalidInputError } from '../errors.js';
import { typeForName } from '../internal/mime.js';

/**
 * A small streaming multipart/form-data encoder (RFC 7578): parts are yielded one chunk at a time, so a file
 * of any size goes out without being buffered, and Content-Length is computed when every part's size is known.
 */

/** What a multipart part can carry. A `{ path }` is a file opened when sent (and re-opened for a replay). */
export type MultipartValue = Buffer | Uint8Array | string | Readable | Blob | WebReadableStream<Uint8Array> | { path: string };

/** One part of a multipart upload. */
export interface MultipartPart {
  /** Form field name; Zoho uses `file`. */
  field: string;
  value: MultipartValue;
  /** File name sent with the part. Default: the file's base name for file streams and `{ path }`, the File's name for a File. */
  filename?: string | undefined;
  /** Content type of the part. Default: looked up from the file name, else `application/octet-stream` for binary values. */
  contentType?: string | undefined;
}

/** An encoded multipart body. */
export interface MultipartBody {
  body: AsyncIterable<Uint8Array> | Buffer;
  contentType: string;
  /** Total bytes, when every part's size is known up front. */
  length: number | undefined;
  /** False when a part is a stream that can be read only once (no retry, no replay). */
  replayable: boolean;
}

const CRLF = Buffer.from('\r\n');

/**
 * Encodes `parts`. `sendIndex` > 0 means a replay: file streams and `{ path }` parts are re-opened; a one-shot
 * stream may not be sent twice (the caller checks `replayable` first).
 */
export function encodeMultipart(parts: readonly MultipartPart[], sendIndex = 0): MultipartBody {
  const boundary = `----zcrmsdk${randomBytes(12).toString('hex')}`;
  let replayable = true;
  let length: number | undefined = 0;
  const pieces: (Buffer | (() => AsyncIterable<Uint8Array>))[] = [];
  for (const part of parts) {
    if (!part || typeof part.field !== 'string' || part.field === '') {
      throw new InvalidInputError('Each multipart part needs a `field` name (Zoho uses `file`).');
    }
    const source = toSource(part.value, sendIndex);
    if (!source.replayable) replayable = false;
    const filename = part.filename ?? source.filename;
    const contentType = part.contentType ?? (filename ? typeForName(filename) : undefined) ?? (source.binary ? 'application/octet-stream' : undefined);
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${escapeParam(part.field)}"`;
    if (filename !== undefined) head += `; filename="${escapeParam(filename)}"`;
    head += '\r\n';
    if (contentType !== undefined) head += `Content-Type: ${contentType.replace(/[\r\n]/g, '')}\r\n`;
    head += '\r\n';
    const headBytes = Buffer.from(head, 'utf8');
    pieces.push(headBytes);
    if (Buffer.isBuffer(source.data)) pieces.push(source.data);
    else pieces.push(source.data);
    pieces.push(CRLF);
    length = length === undefined || source.size === undefined ? undefined : length + headBytes.length + source.size + CRLF.length;
  }
  const tail = Buffer.from(`--${boundary}--\r\n`);
  pieces.push(tail);
  if (length !== undefined) length += tail.length;
  const contentType = `multipart/form-data; boundary=${boundary}`;
  if (pieces.every((p) => Buffer.isBuffer(p))) {
    const body = Buffer.concat(pieces as Buffer[]);
    return { body, contentType, length: body.length, replayable };
  }
  return { body: stream(pieces), contentType, length, replayable };
}

async function* stream(pieces: (Buffer | (() => AsyncIterable<Uint8Array>))[]): AsyncIterable<Uint8Array> {
  for (const piece of pieces) {
    if (Buffer.isBuffer(piece)) yield piece;
    else for await (const chunk of piece()) yield typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
  }
}

interface Source {
  data: Buffer | (() => AsyncIterable<Uint8Array>);
  size: number | undefined;
  filename: string | undefined;
  replayable: boolean;
  binary: boolean;
}

function toSource(value: MultipartValue, sendIndex: number): Source {
  if (typeof value === 'string') return { data: Buffer.from(value, 'utf8'), size: Buffer.byteLength(value), filename: undefined, replayable: true, binary: false };
  if (value instanceof Uint8Array) {
    const data = Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    return { data, size: data.length, filename: undefined, replayable: true, binary: true };
  }
  if (value instanceof ReadStream) {
    const path = String(value.path);
    // A replay re-opens the file; the first send uses the caller's stream.
    const open = sendIndex > 0 ? () => createReadStream(path) : () => value;
    return { data: open, size: fileSize(path, value), filename: basename(path), replayable: true, binary: true };
  }
  if (value instanceof Readable) {
    if (sendIndex > 0) throw new InvalidInputError('A multipart stream can be sent only once; pass a Buffer, a Blob or { path } to allow a retry.');
    return { data: () => value, size: undefined, filename: undefined, replayable: false, binary: true };
  }
  if (typeof Blob !== 'undefined' && value instanceof Blob) {
    const name = (value as Blob & { name?: unknown }).name;
    return {
      data: () => Readable.fromWeb(value.stream() as WebReadableStream<Uint8Array>),
      size: value.size,
      filename: typeof name === 'string' && name !== '' ? name : undefined,
      replayable: true,
      binary: true,
    };
  }
  if (isWebStream(value)) {
    if (sendIndex > 0) throw new InvalidInputError('A multipart stream can be sent only once; pass a Buffer, a Blob or { path } to allow a retry.');
    return { data: () => Readable.fromWeb(value), size: undefined, filename: undefined, replayable: false, binary: true };
  }
  if (value && typeof value === 'object' && typeof (value as { path?: unknown }).path === 'string') {
    const path = (value as { path: string }).path;
    let size: number;
    try {
      size = statSync(path).size;
    } catch (cause) {
      throw new InvalidInputError(`Cannot read the file to upload at '${path}': ${(cause as Error).message}`, { cause });
    }
    return { data: () => createReadStream(path), size, filename: basename(path), replayable: true, binary: true };
  }
  throw new InvalidInputError('A multipart value must be a Buffer, a string, a Node Readable, a Blob, a web ReadableStream or { path: string }.');
}

function isWebStream(value: unknown): value is WebReadableStream<Uint8Array> {
  return typeof value === 'object' && value !== null && typeof (value as { getReader?: unknown }).getReader === 'function';
}

// A file stream opened on part of a file (start/end) has no size we can trust: send it chunked.
function fileSize(path: string, stream: ReadStream): number | undefined {
  const range = stream as ReadStream & { start?: number; end?: number };
  if (range.start !== undefined || (range.end !== undefined && range.end !== Infinity)) return undefined;
  if (stream.bytesRead > 0) return undefined;
  try {
    return statSync(path).size;
  } catch {
    return undefined;
  }
}

function escapeParam(text: string): string {
  return text.replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/"/g, '%22');
}
