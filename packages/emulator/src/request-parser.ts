/**
 * Turns a raw node:http request into the pieces the emulator routes need: a leniently parsed query, the
 * percent-decoded path segments and the body (JSON whatever the Content-Type, urlencoded, or multipart).
 * Zoho's own clients send unencoded criteria, trailing `&`s and bodies without a Content-Type, so nothing
 * here rejects input a real Zoho server would accept.
 */
import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';
import type { UploadedFile } from './http-types.js';

/** The parsed body of a request. */
export interface ParsedBody {
  /** The body as JSON, or undefined when empty, multipart, urlencoded or not JSON. */
  json: unknown;
  /** True when a non-empty body could be parsed neither as JSON nor as a form. */
  invalidBody: boolean;
  /** Non-file form fields (urlencoded or multipart). */
  fields: Record<string, string>;
  files: UploadedFile[];
}

/** Decodes one query component; a `%` that is not a valid escape is kept literally. */
function decodeComponent(text: string, plusIsSpace: boolean): string {
  const spaced = plusIsSpace ? text.replace(/\+/g, ' ') : text;
  if (!spaced.includes('%')) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    // Decode the valid escapes one by one and leave stray `%`s alone.
    return spaced.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
  }
}

/** Sets an own property, so a parameter named `__proto__` is kept as data instead of being swallowed by the setter. */
function setParam(target: Record<string, string>, key: string, value: string): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Parses a query string the lenient way: values may contain raw `(`, `)`, `:`, `,`, `@`; `+` stays a `+`
 * (Zoho's clients send e-mail addresses and phone numbers unencoded); empty pairs (a trailing `&`) and the
 * literal value `undefined` are dropped; the last value of a repeated key wins.
 */
export function parseQuery(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (raw === '') return out;
  for (const pair of raw.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = decodeComponent(eq === -1 ? pair : pair.slice(0, eq), false);
    const value = eq === -1 ? '' : decodeComponent(pair.slice(eq + 1), false);
    if (key === '' || value === 'undefined') continue;
    setParam(out, key, value);
  }
  return out;
}

/** Parses an `application/x-www-form-urlencoded` body (`+` means space here, as in HTML forms). */
export function parseUrlEncoded(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of raw.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = decodeComponent(eq === -1 ? pair : pair.slice(0, eq), true);
    if (key === '') continue;
    setParam(out, key, eq === -1 ? '' : decodeComponent(pair.slice(eq + 1), true));
  }
  return out;
}

/** Splits a URL path into percent-decoded segments, ignoring empty ones (`//`, a trailing `/`). */
export function splitPath(pathname: string): string[] {
  return pathname
    .split('/')
    .filter((s) => s !== '')
    .map((s) => decodeComponent(s, false));
}

/** Splits a request target into pathname and raw query. */
export function splitTarget(target: string): { pathname: string; rawQuery: string } {
  const q = target.indexOf('?');
  if (q === -1) return { pathname: target, rawQuery: '' };
  return { pathname: target.slice(0, q), rawQuery: target.slice(q + 1) };
}

/** Bytes held by request bodies being read or handled, shared by all requests (see `ByteBudget` in limits.ts). */
export interface BodyBudget {
  /** Reserves `bytes`; false (nothing reserved) when that would pass the cap. */
  reserve(bytes: number): boolean;
  release(bytes: number): void;
}

/**
 * Reads the whole request body. Rejects with a `BodyTooLargeError` past `maxBytes`, a `BufferBudgetError`
 * when `budget` cannot hold the next chunk, and a `BodyAbortedError` when the client goes away before the
 * end. On success the caller owns `budget` bytes equal to the body's length and must release them.
 */
export function readBody(req: IncomingMessage, maxBytes: number, budget?: BodyBudget): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const stop = (error: Error): void => {
      if (settled) return;
      settled = true;
      budget?.release(size);
      chunks.length = 0;
      req.off('data', onData);
      // Keep draining without storing, so an error reply can still reach the client.
      req.resume();
      reject(error);
    };
    const onData = (chunk: Buffer): void => {
      if (size + chunk.length > maxBytes) return stop(new BodyTooLargeError(maxBytes));
      if (budget !== undefined && !budget.reserve(chunk.length)) return stop(new BufferBudgetError());
      size += chunk.length;
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => {
      if (settled) return;
      settled = true;
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    });
    req.on('error', () => stop(new BodyAbortedError()));
    // An aborted upload may close without 'end' or 'error'; without this the promise (and its chunks) would leak.
    req.on('close', () => stop(new BodyAbortedError()));
  });
}

/** Raised by `readBody` when a request body exceeds the configured limit. */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`Request body larger than ${limit} bytes.`);
  }
}

/** Raised by `readBody` when all requests together already buffer as many bytes as allowed. */
export class BufferBudgetError extends Error {
  constructor() {
    super('Too many request bytes buffered at once.');
  }
}

/** Raised by `readBody` when the client disconnects before the body ends. */
export class BodyAbortedError extends Error {
  constructor() {
    super('The client went away before the request body ended.');
  }
}

function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/** True for a `multipart/*` Content-Type. */
export function isMultipart(contentType: string | undefined): boolean {
  return mediaType(contentType).startsWith('multipart/');
}

/** True when the body should be kept as bytes rather than text in the request log. */
export function isBinaryContentType(contentType: string | undefined): boolean {
  const type = mediaType(contentType);
  return type.startsWith('multipart/') || type === 'application/octet-stream' || /^(image|audio|video)\//.test(type);
}

/**
 * Parses a buffered `multipart/form-data` body (RFC 7578) with busboy, the maintained parser (the emulator
 * is a dev dependency, so its install size is no user's cost). A part is a file when it has a filename or
 * is `application/octet-stream` (busboy's rule, which Zoho follows); `filename*` (RFC 5987) wins and paths
 * are stripped. A truncated or malformed body, or one without a single form-data part, rejects, and the
 * caller answers 400.
 */
function parseMultipart(contentType: string, body: Buffer): Promise<Pick<ParsedBody, 'fields' | 'files'>> {
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    const files: UploadedFile[] = [];
    let settled = false;
    const fail = (error: unknown): void => {
      if (settled) return;
      settled = true;
      reject(error instanceof Error ? error : new Error(String(error)));
    };
    let parser: busboy.Busboy;
    try {
      // The body is already within the emulator's byte caps; busboy must not cut a long field short on its own.
      parser = busboy({ headers: { 'content-type': contentType }, defParamCharset: 'utf8', limits: { fieldSize: body.length } });
    } catch (error) {
      return fail(error);
    }
    parser.on('field', (name, value) => setParam(fields, name, value));
    parser.on('file', (field, stream, info) => {
      const parts: Buffer[] = [];
      stream.on('data', (d: Buffer) => parts.push(d));
      // A truncated body errors the file stream as well as the parser; unhandled, that error would kill the process.
      stream.on('error', fail);
      stream.on('end', () => {
        files.push({ field, filename: info.filename, contentType: info.mimeType || 'application/octet-stream', data: Buffer.concat(parts) });
      });
    });
    parser.on('close', () => {
      // busboy skips parts without a form-data disposition (junk after a delimiter); a body of nothing usable is malformed.
      if (files.length === 0 && Object.keys(fields).length === 0) return fail(new Error('multipart body without a form-data part'));
      if (settled) return;
      settled = true;
      resolve({ fields, files });
    });
    parser.on('error', fail);
    parser.end(body);
  });
}

function tryJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/**
 * Parses a body: multipart by its Content-Type; otherwise JSON is tried first whatever the Content-Type
 * says (zcrmsdk sends JSON with none), then urlencoded when declared as such.
 */
export async function parseBody(contentType: string | undefined, body: Buffer): Promise<ParsedBody> {
  const empty: ParsedBody = { json: undefined, invalidBody: false, fields: {}, files: [] };
  if (body.length === 0) return empty;
  const type = mediaType(contentType);
  if (type.startsWith('multipart/')) {
    try {
      return { ...empty, ...(await parseMultipart(contentType ?? '', body)) };
    } catch {
      return { ...empty, invalidBody: true };
    }
  }
  const text = body.toString('utf8');
  if (text.trim() === '') return empty;
  const json = tryJson(text);
  if (json.ok) return { ...empty, json: json.value };
  if (type === 'application/x-www-form-urlencoded') return { ...empty, fields: parseUrlEncoded(text) };
  return { ...empty, invalidBody: true };
}
