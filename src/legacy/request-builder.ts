import type { Readable } from 'node:stream';
import type { ApiRequest, MultipartPart } from '../client.js';
import { InvalidInputError } from '../errors.js';
import { assertModuleName, encodeSegment } from '../internal/path.js';

/** The `input` object every `API.*` function takes, as zcrmsdk 0.0.x read it. */
export interface LegacyInput {
  module?: string;
  id?: string | number;
  api_name?: string;
  params?: Record<string, unknown>;
  body?: unknown;
  headers?: Record<string, string>;
  x_file_content?: Readable | Buffer | string;
  relatedId?: string | number;
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
  return assertModuleName(input.module, 'input.module');
}

/**
 * The record id part of a path. zcrmsdk 0.0.x substituted `input.id` verbatim, so users reached related lists
 * with ids like `'123/Notes'`: each `/`-separated piece is kept, but validated and encoded.
 */
export function idPath(id: unknown, what = 'input.id'): string {
  const text = String(id);
  return text
    .split('/')
    .map((piece) => encodeSegment(piece, what))
    .join('/');
}

/** `input.id` when truthy (the old code dropped `0` and `''` too), as a path suffix. */
export function optionalId(input: LegacyInput | undefined): string {
  return input?.id ? `/${idPath(input.id)}` : '';
}

export function requiredId(input: LegacyInput | undefined, fn: string, key: 'id' | 'relatedId' = 'id'): string {
  const value = input?.[key];
  if (value === undefined || value === null || value === '') {
    throw new InvalidInputError(`${fn}(input) needs input.${key}, the record id.`);
  }
  return idPath(value, `input.${key}`);
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

/**
 * The query string of a legacy call: the caller's params in order, each `key=value&` (the trailing `&` kept
 * as the old package sent it), then `module=`. Values are URL-encoded; `undefined`/`null` ones are left out.
 */
export function legacyQuery(input: LegacyInput | undefined, spec: LegacyCallSpec): string {
  let query = '';
  const params: Record<string, unknown> = { ...(input?.params ?? {}), ...(spec.extraParams ?? {}) };
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    const text = Array.isArray(value) ? value.join(',') : typeof value === 'object' ? JSON.stringify(value) : String(value);
    query += `${encodeLegacyQueryPart(key)}=${encodeLegacyQueryPart(text)}&`;
  }
  if (spec.moduleParam && input?.module) query += `module=${encodeLegacyQueryPart(String(input.module))}`;
  return query;
}

/** Turns a legacy input + call spec into a core ApiRequest (the headers exclude Authorization/User-Agent). */
export function toApiRequest(input: LegacyInput | undefined, spec: LegacyCallSpec, userId: string): ApiRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(input?.headers ?? {})) {
    const lower = name.toLowerCase();
    // The old package overwrote these two with its own values.
    if (lower === 'authorization' || lower === 'user-agent') continue;
    if (value !== undefined && value !== null) headers[lower] = String(value);
  }
  const req: ApiRequest = {
    method: spec.method,
    path: spec.path,
    query: legacyQuery(input, spec),
    headers,
    userId,
    throwOnError: false,
  };
  if (input?.x_file_content !== undefined && input.x_file_content !== null) {
    const part: MultipartPart = { field: 'file', value: input.x_file_content };
    req.multipart = [part];
  } else if (input?.body !== undefined && input.body !== null && (spec.method === 'POST' || spec.method === 'PUT')) {
    // A string body is taken as JSON text already (the old package JSON-encoded it a second time).
    req.body = typeof input.body === 'string' ? input.body : JSON.stringify(input.body);
    req.headers = { 'content-type': 'application/json', ...headers };
  }
  return req;
}
