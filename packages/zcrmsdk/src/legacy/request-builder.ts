import { Readable } from 'node:stream';
import type { ApiRequest, MultipartPart } from '../client.js';
import { InvalidInputError } from '../errors.js';
import { assertModuleName, encodeSegment } from '../internal/path.js';

/** The `input` object every `API.*` function takes, as zcrmsdk 0.0.x read it. */
export interface LegacyInput {
  module?: string;
  id?: string | number | bigint;
  api_name?: string;
  params?: Record<string, unknown>;
  body?: unknown;
  headers?: Record<string, string>;
  /** The upload: a Buffer (or Uint8Array), a string, or a Node Readable stream such as fs.createReadStream(path). */
  x_file_content?: Readable | Buffer | Uint8Array | string;
  relatedId?: string | number | bigint;
  download_file?: boolean;
  /** Run this call as this user, without changing the global user identifier. */
  user_identifier?: string;
  [key: string]: unknown;
}

/** What one hierarchy function asks for. */
export interface LegacyCallSpec {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** The path under `/crm/{version}/`, already validated. */
  path: string;
  /** Appends `module={input.module}` as the old `isModuleParam` calls did (only when a module is given). */
  moduleParam?: boolean;
  /** Parameters added after the caller's (`type=all`, `auth_type=oauth`). */
  extraParams?: Record<string, string>;
  download?: boolean;
}

/** Legacy path pieces. */
export function moduleOf(input: LegacyInput | undefined, fn: string): string {
  if (!input || input.module === undefined || input.module === null || input.module === '') {
    throw new InvalidInputError(`${fn}(input) needs input.module, the module API name (e.g. { module: 'Leads' }).`);
  }
  return checkModule(input.module);
}

/** Validates `input.module` of any type (a BigInt or an object must not reach JSON.stringify in a message). */
function checkModule(value: unknown): string {
  if (typeof value !== 'string') {
    throw new InvalidInputError(`input.module must be a string module API name such as 'Leads', not ${describeType(value)}.`);
  }
  return assertModuleName(value, 'input.module');
}

/** `a bigint`, `an object`, `an array` ... for messages, without printing the value. */
function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** The text of an id-like value: a non-empty string, a positive integer or bigint. */
function idText(value: unknown, what: string): string {
  if (typeof value === 'string') {
    if (value === '') throw new InvalidInputError(`${what} is an empty string: pass the record id, or leave ${what} out.`);
    return value;
  }
  // Integers past 2^53 are sent as 0.0.x sent them (String(n)), though they may have lost digits: ids are best strings.
  if ((typeof value === 'number' && Number.isInteger(value) && value > 0) || (typeof value === 'bigint' && value > 0n)) return String(value);
  const shown = typeof value === 'number' ? String(value) : describeType(value);
  throw new InvalidInputError(`${what} must be a record id (a string of digits such as '3477061000000419001', or a positive integer), not ${shown}.`);
}

/**
 * The record id part of a path. zcrmsdk 0.0.x substituted `input.id` verbatim, so users reached related lists
 * with ids like `'123/Notes'`: each `/`-separated piece is kept, but validated and encoded.
 */
export function idPath(id: unknown, what = 'input.id'): string {
  return idText(id, what)
    .split('/')
    .map((piece) => encodeSegment(piece, what))
    .join('/');
}

/** One path segment (a related id, a function API name): no `/` allowed. */
export function segmentOf(value: unknown, what: string): string {
  return encodeSegment(idText(value, what), what);
}

/**
 * `input.id` as a path suffix. Only `undefined` and `null` mean "no id": the old code dropped `0` and `''`
 * too, so `MODULES.delete({ module: 'Leads', id: 0 })` sent `DELETE /Leads`; such ids are now refused.
 */
export function optionalId(input: LegacyInput | undefined): string {
  const id = input?.id;
  return id === undefined || id === null ? '' : `/${idPath(id)}`;
}

export function requiredId(input: LegacyInput | undefined, fn: string, key: 'id' | 'relatedId' = 'id'): string {
  const value = input?.[key];
  if (value === undefined || value === null || value === '') {
    throw new InvalidInputError(`${fn}(input) needs input.${key}, the record id.`);
  }
  // The related-list trick (`'123/Notes'`) is for `id` only; a related id is one segment.
  return key === 'id' ? idPath(value, 'input.id') : segmentOf(value, `input.${key}`);
}

/** Whether `value` is a plain `{...}` object (not an array, string, Buffer, Map or class instance). */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** JSON text of caller data; circular structures and BigInts become an InvalidInputError naming `what`. */
function toJson(value: unknown, what: string): string {
  try {
    return JSON.stringify(value);
  } catch (cause) {
    const why = cause instanceof TypeError && /BigInt/i.test(cause.message) ? 'it contains a BigInt (convert it to a string first)' : 'it is circular or cannot be turned into JSON';
    throw new InvalidInputError(`${what} cannot be sent as JSON: ${why}.`, { cause });
  }
}

// A `%` that already starts an escape is kept: many 0.0.x users pre-encoded their criteria.
const PRE_ENCODED = /%[0-9A-Fa-f]{2}/g;

/** Encodes one query key or value, leaving existing `%XX` escapes as they are. */
export function encodeLegacyQueryPart(text: string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(PRE_ENCODED)) {
    out += encodeURIComponent(text.slice(last, match.index)) + match[0];
    last = match.index + match[0].length;
  }
  return out + encodeURIComponent(text.slice(last));
}

/** Encodes a query key or value, turning a lone UTF-16 surrogate (a URIError) into an InvalidInputError. */
function encodeQueryText(text: string, what: string): string {
  try {
    return encodeLegacyQueryPart(text);
  } catch (cause) {
    throw new InvalidInputError(`${what} contains a lone UTF-16 surrogate, which cannot be sent in a URL: fix the string (it may be cut in the middle of an emoji).`, { cause });
  }
}

function queryValueText(value: unknown, what: string): string {
  if (Array.isArray(value)) return value.map((item, i) => queryValueText(item, `${what}[${i}]`)).join(',');
  if (typeof value === 'object' && value !== null) return toJson(value, what);
  if (typeof value === 'function' || typeof value === 'symbol') {
    throw new InvalidInputError(`${what} must be a string, number, boolean, array or object, not ${describeType(value)}.`);
  }
  return String(value);
}

/**
 * The query string of a legacy call: the caller's params in order, each `key=value&` (the trailing `&` kept
 * as the old package sent it), then `module=`. Values are URL-encoded; `undefined`/`null` ones are left out.
 * `input.params` must be a plain object (a string `'a=b'` was sent as `0=a&1=%3D...`).
 */
export function legacyQuery(input: LegacyInput | undefined, spec: LegacyCallSpec): string {
  const given: unknown = input?.params;
  if (given !== undefined && given !== null && !isPlainObject(given)) {
    throw new InvalidInputError(`input.params must be a plain object such as { page: 1, per_page: 200 }, not ${describeType(given)}.`);
  }
  let query = '';
  const params: Record<string, unknown> = { ...(given ?? {}), ...(spec.extraParams ?? {}) };
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    const what = `input.params.${key}`;
    query += `${encodeQueryText(key, `The key of ${what}`)}=${encodeQueryText(queryValueText(value, what), what)}&`;
  }
  if (spec.moduleParam && input?.module !== undefined && input.module !== null && input.module !== '') {
    query += `module=${encodeLegacyQueryPart(checkModule(input.module))}`;
  }
  return query;
}

// RFC 9110 token characters for a header name.
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Latin-1 without controls (tab allowed): CR/LF would split the header, NUL and non-Latin-1 are refused on the wire.
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** `input.headers` checked and lower-cased: a plain object of header names to string or number values. */
function legacyHeaders(given: unknown): Record<string, string> {
  const headers: Record<string, string> = {};
  if (given === undefined || given === null) return headers;
  if (!isPlainObject(given)) {
    throw new InvalidInputError(`input.headers must be a plain object such as { 'If-Modified-Since': '2019-07-25T15:26:49+05:30' }, not ${describeType(given)}.`);
  }
  for (const [name, value] of Object.entries(given)) {
    if (value === undefined || value === null) continue;
    if (!HEADER_NAME.test(name)) {
      throw new InvalidInputError(`input.headers has an invalid header name ${JSON.stringify(name)}: use letters, digits and - only.`);
    }
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean' && typeof value !== 'bigint') {
      throw new InvalidInputError(`input.headers['${name}'] must be a string, not ${describeType(value)}.`);
    }
    const text = String(value);
    if (!HEADER_VALUE.test(text)) {
      throw new InvalidInputError(`input.headers['${name}'] contains a line break, a control character or a character outside Latin-1; remove it (encode non-Latin-1 text first).`);
    }
    const lower = name.toLowerCase();
    // The old package overwrote these two with its own values.
    if (lower === 'authorization' || lower === 'user-agent') continue;
    headers[lower] = text;
  }
  return headers;
}

/** What `input.x_file_content` may be. */
function fileContent(value: unknown): Readable | Buffer | string {
  if (Buffer.isBuffer(value) || typeof value === 'string' || value instanceof Readable) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  throw new InvalidInputError(
    `input.x_file_content must be a Buffer, a string or a Node Readable stream (e.g. fs.createReadStream(path)), not ${describeType(value)}.`,
  );
}

/** Turns a legacy input + call spec into a core ApiRequest (the headers exclude Authorization/User-Agent). */
export function toApiRequest(input: LegacyInput | undefined, spec: LegacyCallSpec, userId: string): ApiRequest {
  const headers = legacyHeaders(input?.headers);
  const req: ApiRequest = {
    method: spec.method,
    path: spec.path,
    query: legacyQuery(input, spec),
    headers,
    userId,
    throwOnError: false,
  };
  if (input?.x_file_content !== undefined && input.x_file_content !== null) {
    const part: MultipartPart = { field: 'file', value: fileContent(input.x_file_content) };
    req.multipart = [part];
  } else if (input?.body !== undefined && input.body !== null && (spec.method === 'POST' || spec.method === 'PUT')) {
    // A string body is taken as JSON text already (the old package JSON-encoded it a second time).
    req.body = typeof input.body === 'string' ? input.body : toJson(input.body, 'input.body');
    req.headers = { 'content-type': 'application/json', ...headers };
  }
  return req;
}
