import { InvalidInputError } from '../errors.js';
import type { ApiRequest } from './request.js';

/**
 * Checks a request before anything is sent: a bad input is the caller's to fix, so it gets an
 * InvalidInputError naming the field, never a TypeError from deep inside or a request that should not go out.
 */

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
// RFC 9110 token characters.
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Latin-1 without controls (tab allowed): what HTTP/1.1 can carry in a field value.
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
// An already-encoded query: RFC 3986 query characters and complete %XX escapes only.
const RAW_QUERY = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*$/;
// Framing is the transport's job; undici refuses these and a wrong value would stall or split the request.
const FORBIDDEN_HEADERS = new Set(['connection', 'transfer-encoding', 'keep-alive', 'upgrade', 'expect', 'host']);
/** The longest timeout a timer can hold (2^31 - 1 ms, about 24.8 days). */
export const MAX_TIMEOUT_MS = 2_147_483_647;

/** Throws InvalidInputError when `req` cannot be sent as given. */
export function validateRequest(req: ApiRequest): void {
  if (req === null || typeof req !== 'object') {
    throw new InvalidInputError(`crm.request(req) needs a request object like { method: 'GET', path: 'Leads' }, not ${describe(req)}.`);
  }
  if (typeof req.method !== 'string' || !METHODS.has(req.method)) {
    throw new InvalidInputError(`request.method must be one of GET, POST, PUT, PATCH, DELETE (upper case), not ${describe(req.method)}.`);
  }
  // `GET /` of the API host (api 'root', no segment) is the one empty path.
  if (!(req.api === 'root' && Array.isArray(req.path) && req.path.length === 0)) validatePath(req.path);
  if (req.timeoutMs !== undefined) validateTimeout(req.timeoutMs, 'request.timeoutMs');
  if (req.signal !== undefined && !(req.signal instanceof AbortSignal)) {
    throw new InvalidInputError(`request.signal must be an AbortSignal (e.g. AbortSignal.timeout(5000) or controller.signal), not ${describe(req.signal)}.`);
  }
  if (req.maxRetries !== undefined && !(Number.isInteger(req.maxRetries) && req.maxRetries >= 0)) {
    throw new InvalidInputError(`request.maxRetries must be a whole number of 0 or more (0 turns retries off), not ${describe(req.maxRetries)}.`);
  }
  if (req.userId !== undefined && (typeof req.userId !== 'string' || req.userId === '')) {
    throw new InvalidInputError(`request.userId must be a non-empty string, not ${describe(req.userId)}.`);
  }
  if (req.api !== undefined && req.api !== 'crm' && req.api !== 'bulk' && req.api !== 'email' && req.api !== 'root') {
    throw new InvalidInputError(`request.api must be 'crm', 'bulk', 'email' or 'root', not ${describe(req.api)}.`);
  }
  if (typeof req.query === 'string' && (!RAW_QUERY.test(req.query) || req.query.startsWith('?'))) {
    throw new InvalidInputError(
      "request.query as a string must be already URL-encoded, without a leading '?', '#', spaces or control characters. Pass an object ({ fields: 'Last_Name' }) to have it encoded for you.",
    );
  }
  if (req.query !== undefined && typeof req.query !== 'string' && !isPlainObject(req.query)) {
    throw new InvalidInputError(`request.query must be an object of parameters (or an encoded string), not ${describe(req.query)}.`);
  }
  if (req.headers !== undefined) validateHeaders(req.headers);
  const bodies = [req.json !== undefined, req.body !== undefined, req.multipart !== undefined].filter(Boolean).length;
  if (bodies > 1) throw new InvalidInputError('A request takes one of json, body or multipart, not several.');
  if (req.body !== undefined && typeof req.body !== 'string' && !(req.body instanceof Uint8Array)) {
    throw new InvalidInputError(`request.body must be a string or a Buffer (use json for objects, multipart for files), not ${describe(req.body)}.`);
  }
  if (req.multipart !== undefined && (!Array.isArray(req.multipart) || req.multipart.length === 0)) {
    throw new InvalidInputError('request.multipart must be a non-empty array of parts like { field: "file", value: buffer, filename: "a.pdf" }.');
  }
}

function validatePath(path: unknown): void {
  const segments = typeof path === 'string' ? path.split('/') : Array.isArray(path) ? (path as unknown[]) : undefined;
  if (segments === undefined) {
    throw new InvalidInputError(`request.path must be a string like 'Leads/123' or an array like ['Leads', id], not ${describe(path)}.`);
  }
  if (segments.length === 0 || (segments.length === 1 && segments[0] === '')) {
    throw new InvalidInputError("request.path is empty: name what to call, e.g. 'Leads' or ['Leads', id].");
  }
  for (const segment of segments) {
    if (typeof segment !== 'string') {
      throw new InvalidInputError(`Every request.path segment must be a string (convert ids with String(id)), not ${describe(segment)}.`);
    }
    if (segment === '') throw new InvalidInputError(`request.path ${JSON.stringify(path)} has an empty segment (a doubled, leading or trailing '/').`);
  }
}

/** A timeout must be a positive, finite number of milliseconds a timer can hold. */
export function validateTimeout(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > MAX_TIMEOUT_MS) {
    throw new InvalidInputError(`${what} must be a positive number of milliseconds (at most ${MAX_TIMEOUT_MS}), not ${describe(value)}.`);
  }
  return value;
}

function validateHeaders(headers: unknown): void {
  if (!isPlainObject(headers)) {
    throw new InvalidInputError(`request.headers must be a plain object like { 'If-Modified-Since': '...' }, not ${describe(headers)}.`);
  }
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name)) throw new InvalidInputError(`Header name ${JSON.stringify(name)} is not a valid HTTP header name (letters, digits and !#$%&'*+-.^_\`|~ only).`);
    if (FORBIDDEN_HEADERS.has(name.toLowerCase())) throw new InvalidInputError(`Header '${name}' is managed by the SDK's transport; leave it out.`);
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new InvalidInputError(`Header '${name}' must be a string, not ${describe(value)}.`);
    }
    if (!HEADER_VALUE.test(String(value))) {
      throw new InvalidInputError(`Header '${name}' has a character HTTP cannot carry (CR, LF, NUL, another control character or one outside Latin-1); encode it first.`);
    }
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return `${typeof value} ${String(value)}`;
  if (typeof value === 'object') return `an object (${value.constructor?.name ?? 'no prototype'})`;
  return typeof value;
}
