/**
 * Just enough ZIP for Zoho's bulk API, streaming on node:zlib: read the first file of a zip as it arrives
 * (bulk read and bulk write results are a zip holding one CSV), and write a one-file zip from a stream
 * (bulk write uploads). Neither holds the file in memory. No zip library: the client install stays lean
 * and the format subset Zoho uses is small (stored or deflated entries, data descriptors, Zip64 sizes).
 */
import { Readable, Transform, type TransformCallback, pipeline } from 'node:stream';
import { crc32, createDeflateRaw, createInflateRaw, type InflateRaw } from 'node:zlib';
import { InvalidInputError, ZohoError } from '../errors.js';

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL = 0x06054b50;
const DATA_DESCRIPTOR = 0x08074b50;
const FLAG_ENCRYPTED = 0x0001;
const FLAG_DESCRIPTOR = 0x0008;
const FLAG_UTF8 = 0x0800;
const ZIP64_EXTRA = 0x0001;
const MAX32 = 0xffffffff;

/**
 * The most bytes one unzipped bulk result may hold (1 GiB): the ceiling for entries whose size is only known at
 * the end (data descriptor), and a bound on the size a header may declare. Zoho's bulk read caps a job at
 * 200,000 records, far below this.
 */
export const DEFAULT_BULK_MAX_RESULT_BYTES = 1024 * 1024 * 1024;

/** Options of `unzipFirstFile`. */
export interface UnzipOptions {
  /** Most bytes the unzipped file may hold; reading stops with a ZipFormatError as soon as it is exceeded. @default DEFAULT_BULK_MAX_RESULT_BYTES (1 GiB) */
  maxBytes?: number | undefined;
}

/** A zip that cannot be read (corrupt, encrypted, empty, or a feature Zoho does not use). */
export class ZipFormatError extends ZohoError {
  constructor(message: string) {
    super(`${message} Zoho's bulk result should be a zip holding one CSV file.`, 'INVALID_ZIP');
  }
}

interface Entry {
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  descriptor: boolean;
  zip64: boolean;
}

/**
 * Streams the content of the first file in a zip (directories are skipped). The CRC-32 and size are checked
 * against the local header or the data descriptor; the rest of the zip (central directory) is read and dropped.
 */
export function unzipFirstFile(source: Readable, options: UnzipOptions = {}): Readable {
  const maxBytes = options.maxBytes ?? DEFAULT_BULK_MAX_RESULT_BYTES;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) throw new InvalidInputError(`maxResultBytes must be a whole number of bytes >= 0, not ${String(maxBytes)}.`);
  const reader = new FirstEntryReader(maxBytes);
  return pipeline(source, reader, () => undefined);
}

class FirstEntryReader extends Transform {
  #buf: Buffer = Buffer.alloc(0);
  #state: 'header' | 'data' | 'descriptor' | 'rest' = 'header';
  #entry: Entry | undefined;
  #inflater: InflateRaw | undefined;
  #inflaterEnded: Promise<void> | undefined;
  /** Rejects when zlib fails (a failed zlib never calls back a pending write, so every wait races this). */
  #inflaterFailed: Promise<never> | undefined;
  /** The most bytes the entry may inflate to: its declared size, or the ceiling when a data descriptor follows. */
  #limit = 0;
  readonly #maxBytes: number;
  #remaining = 0;
  #fed = 0;
  #crc = 0;
  #size = 0;
  /** The file name of the entry being read. */
  entryName: string | undefined;

  constructor(maxBytes: number) {
    super();
    this.#maxBytes = maxBytes;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.#buf = this.#buf.length === 0 ? chunk : Buffer.concat([this.#buf, chunk]);
    this.#drive().then(() => done(), done);
  }

  override _flush(done: TransformCallback): void {
    if (this.#state === 'rest') return done();
    if (this.#state === 'descriptor' && this.#buf.length >= 12) {
      this.#drive().then(() => done(this.#state === 'rest' ? null : new ZipFormatError('The zip ended inside a data descriptor.')), done);
      return;
    }
    done(new ZipFormatError(this.#state === 'header' && this.#entry === undefined ? 'The zip holds no file.' : 'The zip ended before its file did.'));
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    this.#inflater?.destroy();
    done(error);
  }

  async #drive(): Promise<void> {
    for (;;) {
      if (this.#state === 'rest') {
        this.#buf = Buffer.alloc(0);
        return;
      }
      if (this.#state === 'header') {
        if (!this.#readHeader()) return;
        continue;
      }
      if (this.#state === 'data') {
        if (this.#buf.length === 0) return;
        await this.#readData();
        continue;
      }
      if (!this.#readDescriptor()) return;
    }
  }

  /** Parses a local file header; false when more bytes are needed. */
  #readHeader(): boolean {
    const b = this.#buf;
    if (b.length < 4) return false;
    const signature = b.readUInt32LE(0);
    if (signature === CENTRAL_HEADER || signature === END_OF_CENTRAL) throw new ZipFormatError('The zip holds no file.');
    if (signature !== LOCAL_HEADER) throw new ZipFormatError('This is not a zip (no local file header).');
    if (b.length < 30) return false;
    const flags = b.readUInt16LE(6);
    const nameLength = b.readUInt16LE(26);
    const extraLength = b.readUInt16LE(28);
    if (b.length < 30 + nameLength + extraLength) return false;
    const entry: Entry = {
      name: b.subarray(30, 30 + nameLength).toString(flags & FLAG_UTF8 ? 'utf8' : 'latin1'),
      method: b.readUInt16LE(8),
      crc: b.readUInt32LE(14),
      compressedSize: b.readUInt32LE(18),
      size: b.readUInt32LE(22),
      descriptor: (flags & FLAG_DESCRIPTOR) !== 0,
      zip64: false,
    };
    readZip64Extra(b.subarray(30 + nameLength, 30 + nameLength + extraLength), entry);
    this.#buf = b.subarray(30 + nameLength + extraLength);
    if (flags & FLAG_ENCRYPTED) throw new ZipFormatError(`The zip entry '${entry.name}' is encrypted.`);
    if (entry.method !== 0 && entry.method !== 8) throw new ZipFormatError(`The zip entry '${entry.name}' uses compression method ${entry.method}; only stored and deflated entries are read.`);
    if (entry.descriptor && entry.method === 0) throw new ZipFormatError(`The zip entry '${entry.name}' is stored with a data descriptor, so its length is unknown.`);
    if (!entry.descriptor && entry.method === 0 && entry.compressedSize !== entry.size) {
      throw new ZipFormatError(`The zip entry '${entry.name}' is stored with ${entry.compressedSize} bytes where its header says ${entry.size}.`);
    }
    if (!entry.descriptor && entry.size > this.#maxBytes) {
      throw new ZipFormatError(`The zip entry '${entry.name}' declares ${entry.size} bytes, over the ${this.#maxBytes}-byte limit (raise maxResultBytes to read it).`);
    }
    if (entry.name.endsWith('/') && !entry.descriptor) {
      // A directory: skip its (empty) data and read the next header.
      this.#remaining = entry.compressedSize;
      if (this.#remaining > this.#buf.length) throw new ZipFormatError(`The zip directory entry '${entry.name}' has data.`);
      this.#buf = this.#buf.subarray(this.#remaining);
      return true;
    }
    this.#entry = entry;
    this.entryName = entry.name;
    this.#remaining = entry.compressedSize;
    this.#limit = entry.descriptor ? this.#maxBytes : entry.size;
    if (entry.method === 8) {
      const inflater = createInflateRaw();
      this.#inflater = inflater;
      inflater.on('data', (out: Buffer) => this.#emit(out));
      this.#inflaterFailed = new Promise((_resolve, reject) => {
        inflater.once('error', (error: Error) => reject(error instanceof ZipFormatError ? error : new ZipFormatError(`The zip entry '${entry.name}' is corrupt (${error.message}).`)));
      });
      this.#inflaterEnded = Promise.race([new Promise<void>((resolve) => inflater.once('end', resolve)), this.#inflaterFailed]);
      // Rejections surface through #readData; this keeps an early one from being reported as unhandled.
      this.#inflaterFailed.catch(() => undefined);
      this.#inflaterEnded.catch(() => undefined);
    }
    this.#state = 'data';
    return true;
  }

  async #readData(): Promise<void> {
    const entry = this.#entry as Entry;
    const inflater = this.#inflater;
    if (!entry.descriptor) {
      const piece = this.#buf.subarray(0, Math.min(this.#remaining, this.#buf.length));
      this.#buf = this.#buf.subarray(piece.length);
      this.#remaining -= piece.length;
      if (inflater === undefined) this.#emit(piece);
      else await this.#write(inflater, piece);
      if (this.#remaining > 0) return;
      if (inflater !== undefined) {
        inflater.end();
        await this.#inflaterEnded;
      }
      this.#check(entry.crc, entry.size);
      this.#state = 'rest';
      return;
    }
    // Length unknown (data descriptor): feed everything; zlib stops consuming at the end of the deflate stream.
    const piece = this.#buf;
    this.#buf = Buffer.alloc(0);
    const before = this.#fed;
    this.#fed += piece.length;
    await this.#write(inflater as InflateRaw, piece);
    const consumed = (inflater as InflateRaw).bytesWritten;
    if (consumed < this.#fed) {
      this.#buf = piece.subarray(Math.max(0, consumed - before));
      (inflater as InflateRaw).end();
      await this.#inflaterEnded;
      this.#state = 'descriptor';
    }
  }

  /** Checks the data descriptor after a streamed entry; false when more bytes are needed. */
  #readDescriptor(): boolean {
    const entry = this.#entry as Entry;
    const b = this.#buf;
    const signed = b.length >= 4 && b.readUInt32LE(0) === DATA_DESCRIPTOR;
    const length = (signed ? 4 : 0) + (entry.zip64 ? 20 : 12);
    if (b.length < length) return false;
    const at = signed ? 4 : 0;
    const size = entry.zip64 ? Number(b.readBigUInt64LE(at + 12)) : b.readUInt32LE(at + 8);
    this.#check(b.readUInt32LE(at), size);
    this.#state = 'rest';
    return true;
  }

  /** Feeds zlib; settles when zlib took the chunk or failed (corrupt data, or the size limit hit in #emit). */
  #write(inflater: InflateRaw, chunk: Buffer): Promise<void> {
    const written = new Promise<void>((resolve, reject) => {
      inflater.write(chunk, (error) => (error ? reject(new ZipFormatError(`The zip data is corrupt (${error.message}).`)) : resolve()));
    });
    written.catch(() => undefined);
    return Promise.race([written, this.#inflaterFailed as Promise<never>]);
  }

  #emit(out: Buffer): void {
    if (this.#inflater?.destroyed === true) return;
    this.#size += out.length;
    if (this.#size > this.#limit) {
      const name = this.#entry?.name ?? '';
      const error = this.#entry?.descriptor
        ? new ZipFormatError(`The zip entry '${name}' inflates past the ${this.#maxBytes}-byte limit (raise maxResultBytes to read it).`)
        : new ZipFormatError(`The zip entry '${name}' inflates past the ${this.#limit} bytes its header declares.`);
      if (this.#inflater === undefined) throw error;
      this.#inflater.destroy(error);
      return;
    }
    this.#crc = crc32(out, this.#crc);
    // Backpressure: a small deflated chunk can inflate to megabytes, so zlib waits while the reader is behind.
    if (!this.push(out)) this.#inflater?.pause();
  }

  override _read(size: number): void {
    this.#inflater?.resume();
    super._read(size);
  }

  #check(crc: number, size: number): void {
    const name = this.#entry?.name ?? '';
    if (this.#size !== size) throw new ZipFormatError(`The zip entry '${name}' has ${this.#size} bytes where its header says ${size}.`);
    if (this.#crc !== crc) throw new ZipFormatError(`The zip entry '${name}' fails its CRC-32 check (corrupt or truncated download).`);
  }
}

function readZip64Extra(extra: Buffer, entry: Entry): void {
  for (let p = 0; p + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(p);
    const length = extra.readUInt16LE(p + 2);
    if (id === ZIP64_EXTRA) {
      entry.zip64 = true;
      let q = p + 4;
      if (entry.size === MAX32 && q + 8 <= p + 4 + length) {
        entry.size = Number(extra.readBigUInt64LE(q));
        q += 8;
      }
      if (entry.compressedSize === MAX32 && q + 8 <= p + 4 + length) entry.compressedSize = Number(extra.readBigUInt64LE(q));
    }
    p += 4 + length;
  }
}

/**
 * A zip holding one deflated file named `name`, streamed from `content` (sizes and CRC go in a data
 * descriptor, so nothing is buffered). Files over 4 GiB are refused (Zoho's bulk limit is far lower).
 */
export function zipOneFile(name: string, content: AsyncIterable<Buffer | string> | Iterable<Buffer | string>): Readable {
  return Readable.from(zipChunks(name, content));
}

async function* zipChunks(name: string, content: AsyncIterable<Buffer | string> | Iterable<Buffer | string>): AsyncGenerator<Buffer> {
  const fileName = Buffer.from(name, 'utf8');
  const local = Buffer.alloc(30);
  local.writeUInt32LE(LOCAL_HEADER, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(FLAG_DESCRIPTOR | FLAG_UTF8, 6);
  local.writeUInt16LE(8, 8);
  local.writeUInt16LE(0, 10);
  local.writeUInt16LE((0 << 9) | (1 << 5) | 1, 12); // 1980-01-01: output depends only on content
  local.writeUInt16LE(fileName.length, 26);
  yield local;
  yield fileName;
  let crc = 0;
  let size = 0;
  let compressed = 0;
  const counter = new Transform({
    transform(chunk: Buffer | string, _encoding, done) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      crc = crc32(bytes, crc);
      size += bytes.length;
      done(null, bytes);
    },
  });
  const deflated = pipeline(Readable.from(content, { objectMode: false }), counter, createDeflateRaw(), () => undefined);
  for await (const chunk of deflated) {
    compressed += (chunk as Buffer).length;
    yield chunk as Buffer;
  }
  if (size > MAX32 || compressed > MAX32) throw new ZipFormatError('The file to zip is over 4 GiB.');
  const descriptor = Buffer.alloc(16);
  descriptor.writeUInt32LE(DATA_DESCRIPTOR, 0);
  descriptor.writeUInt32LE(crc, 4);
  descriptor.writeUInt32LE(compressed, 8);
  descriptor.writeUInt32LE(size, 12);
  yield descriptor;
  const central = Buffer.alloc(46);
  central.writeUInt32LE(CENTRAL_HEADER, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(FLAG_DESCRIPTOR | FLAG_UTF8, 8);
  central.writeUInt16LE(8, 10);
  central.writeUInt16LE(local.readUInt16LE(12), 14);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(compressed, 20);
  central.writeUInt32LE(size, 24);
  central.writeUInt16LE(fileName.length, 28);
  central.writeUInt32LE(0, 42);
  yield central;
  yield fileName;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END_OF_CENTRAL, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(46 + fileName.length, 12);
  end.writeUInt32LE(30 + fileName.length + compressed + 16, 16);
  yield end;
}
