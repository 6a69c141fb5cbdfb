/**
 * Zoho's response shapes (wire spec §3.2-§4): the four-key error object, the per-item write envelope and
 * the version rules that change them (json_path and 207 for mixed results, per the version table in ./versions.ts).
 */
import type { EmuResponse } from '../http-types.js';
import { has, versionNumber } from './versions.js';

export type Details = Record<string, unknown>;

/** One item of a write envelope (success or error). */
export interface ItemResult {
  code: string;
  details: Details;
  message: string;
  status: 'success' | 'error';
  [key: string]: unknown;
}

export { versionNumber };

/** The versions the CRM routes answer on. */
export const SUPPORTED_VERSIONS: ReadonlySet<string> = new Set(['v2', 'v2.1', 'v3', 'v4', 'v5', 'v6', 'v7', 'v8']);

export function json(status: number, body: unknown, headers?: Record<string, string>): EmuResponse {
  return headers === undefined ? { status, json: body } : { status, json: body, headers };
}

export function noContent(): EmuResponse {
  return { status: 204 };
}

export function notModified(): EmuResponse {
  return { status: 304 };
}

export function errorBody(code: string, message: string, details: Details = {}): ItemResult {
  return { code, details, message, status: 'error' };
}

export function error(status: number, code: string, message: string, details: Details = {}): EmuResponse {
  return json(status, errorBody(code, message, details));
}

export function success(message: string, details: Details = {}, extra: Details = {}): ItemResult {
  return { code: 'SUCCESS', details, message, status: 'success', ...extra };
}

export const MSG = {
  invalidModule: 'the module name given seems to be invalid',
  moduleNotSupported: 'the given module is not supported in api',
  invalidUrl: 'Please check if the URL trying to access is a correct one',
  invalidMethod: 'The http request method type is not a valid one',
  invalidData: 'invalid data',
  invalidId: 'the id given seems to be invalid',
  invalidRelatedId: 'the related id given seems to be invalid',
  mandatory: 'required field not found',
  duplicate: 'duplicate data',
  paramMissing: 'One of the expected parameter is missing',
  patternNotMatched: 'Please check whether the input values are correct',
  limitExceeded: 'limit exceeded',
  scopeMismatch: 'invalid oauth scope to access this URL',
  alreadyConverted: 'id already converted',
  discretePagination: 'You can only get the first 2000 records without using page_token param',
  internal: 'Internal server error occurred.',
} as const;

export const invalidUrl = (): EmuResponse => error(404, 'INVALID_URL_PATTERN', MSG.invalidUrl);
export const invalidMethod = (): EmuResponse => error(400, 'INVALID_REQUEST_METHOD', MSG.invalidMethod);
export const paramMissing = (param: string): EmuResponse =>
  error(400, 'REQUIRED_PARAM_MISSING', MSG.paramMissing, { param_name: param });
export const patternNotMatched = (param: string): EmuResponse =>
  error(400, 'PATTERN_NOT_MATCHED', MSG.patternNotMatched, { param_name: param });
export const invalidData = (details: Details = {}, message: string = MSG.invalidData): EmuResponse =>
  error(400, 'INVALID_DATA', message, details);

/**
 * Status of a write envelope: all succeed → `allOk` (201 insert, 200 others), all fail → 400, mixed → 207 on
 * v3+ and the configured v2 status (207 observed, 202 documented) below.
 */
export function envelopeStatus(items: ItemResult[], allOk: number, version: string, mixedV2: 207 | 202): number {
  const ok = items.filter((i) => i.status === 'success').length;
  if (ok === items.length) return allOk;
  if (ok === 0) return 400;
  return has('mixed207', version) ? 207 : mixedV2;
}

/** `{"data":[…]}` with the envelope status. */
export function envelope(items: ItemResult[], allOk: number, version: string, mixedV2: 207 | 202, extra: Details = {}): EmuResponse {
  return json(envelopeStatus(items, allOk, version, mixedV2), { data: items, ...extra });
}

/** Adds v3+ `json_path` to per-item error details. */
export function withJsonPath(item: ItemResult, version: string, index: number, key?: string): ItemResult {
  if (!has('jsonPath', version) || item.status !== 'error') return item;
  const path = key === undefined ? `$.data[${index}]` : `$.data[${index}].${key}`;
  return { ...item, details: { ...item.details, json_path: path } };
}
