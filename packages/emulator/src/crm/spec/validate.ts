/**
 * Refuses a request the way Zoho does, from the operation's parameters and request schema: a missing
 * required parameter → REQUIRED_PARAM_MISSING `{param_name}`, a parameter of the wrong type or outside its
 * enum → INVALID_DATA `{param_name, expected_data_type}`, a body missing a key → MANDATORY_NOT_FOUND
 * `{api_name, json_path}`, a body value of the wrong type → INVALID_DATA `{api_name, json_path,
 * expected_data_type}`. Each code is the one the operation documents (`errorCodes`), falling back to
 * INVALID_DATA. Updates (PUT/PATCH) are partial: only the wrapper's own required keys are checked there.
 */
import type { ErrorObject } from 'ajv';
import type { CrmRequest, EmuResponse } from '../../http-types.js';
import { error, MSG } from '../responses.js';
import { requestValidator } from './schemas.js';
import type { Schema, SpecOperation, SpecParam } from './types.js';

function codeFor(op: SpecOperation, preferred: string[]): string {
  return preferred.find((c) => op.errorCodes.includes(c)) ?? 'INVALID_DATA';
}

function headerValue(req: CrmRequest, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

function paramProblem(p: SpecParam, value: string): string | undefined {
  const s = p.schema;
  // Enums are not enforced on parameters: Zoho's come from one sample org and miss values Zoho accepts
  // (users `type=AllUsers`, `AdminUsers` ...).
  switch (s.type) {
    case 'integer':
      return /^-?\d+$/.test(value) ? undefined : 'integer';
    case 'number':
      return value.trim() !== '' && Number.isFinite(Number(value)) ? undefined : 'double';
    case 'boolean':
      return value === 'true' || value === 'false' ? undefined : 'boolean';
    default:
      return undefined;
  }
}

/**
 * Whether a parameter the OAS marks required really is: Zoho's OAS also marks `per_page`/`page` on search
 * and `ids` on list reads required, which Zoho (and its own SDKs) treat as optional.
 */
export function enforcedRequired(op: SpecOperation, p: SpecParam): boolean {
  if (!p.required || p.in === 'path') return false;
  if (p.name === 'per_page' || p.name === 'page') return false;
  return !(p.name === 'ids' && op.method === 'GET');
}

/** The parameter or body refusal for a request, or undefined when it is valid. */
export function validateRequest(op: SpecOperation, req: CrmRequest, recordRules = false): EmuResponse | undefined {
  for (const p of op.params) {
    if (p.in === 'path') continue;
    const value = p.in === 'query' ? (req.query[p.name] ?? req.fields[p.name]) : headerValue(req, p.name);
    if (value === undefined || value === '') {
      // A multipart upload is the other form of a URL-taking operation (attachments: attachmentUrl or a file).
      if (enforcedRequired(op, p) && !(p.in === 'query' && req.files.length > 0)) return error(400, codeFor(op, ['REQUIRED_PARAM_MISSING', 'MANDATORY_NOT_FOUND']), MSG.paramMissing, { param_name: p.name });
      continue;
    }
    const expected = paramProblem(p, value);
    if (expected !== undefined) {
      return error(400, codeFor(op, ['INVALID_DATA', 'PATTERN_NOT_MATCHED']), MSG.invalidData, { param_name: p.name, expected_data_type: expected });
    }
  }
  const body = op.body;
  if (body === undefined || body.schema === null || body.contentType !== 'application/json') return undefined;
  if (req.json === undefined) {
    if (req.invalidBody) return error(400, 'INVALID_DATA', MSG.invalidData, {});
    return body.required ? error(400, codeFor(op, ['MANDATORY_NOT_FOUND', 'REQUIRED_PARAM_MISSING']), MSG.mandatory, { json_path: '$' }) : undefined;
  }
  const validate = requestValidator(body.schema as Schema);
  if (validate(req.json)) return undefined;
  // Records' mandatory fields come from the module's field metadata (checked by the record routes), not
  // from the OAS, whose record schemas list one sample org's keys: there, nested `required` is not checked.
  const partial = op.method === 'PUT' || op.method === 'PATCH' || recordRules;
  const errors = (validate.errors ?? []).filter((e) => !(partial && e.keyword === 'required' && e.instancePath !== ''));
  const first = pickError(errors);
  return first === undefined ? undefined : refusal(op, first);
}

/** The most telling ajv error: anyOf failures report their branches' errors first, so take a concrete one. */
function pickError(errors: ErrorObject[]): ErrorObject | undefined {
  return errors.find((e) => e.keyword === 'required') ?? errors.find((e) => e.keyword !== 'anyOf') ?? errors[0];
}

function jsonPath(instancePath: string): string {
  let out = '$';
  for (const part of instancePath.split('/').slice(1)) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(key) ? `[${key}]` : `.${key}`;
  }
  return out;
}

function refusal(op: SpecOperation, e: ErrorObject): EmuResponse {
  const parts = e.instancePath.split('/').filter((p) => p !== '' && !/^\d+$/.test(p));
  if (e.keyword === 'required') {
    const missing = String((e.params as { missingProperty?: unknown }).missingProperty ?? '');
    const path = jsonPath(e.instancePath) + `.${missing}`;
    return error(400, codeFor(op, ['MANDATORY_NOT_FOUND', 'REQUIRED_PARAM_MISSING']), MSG.mandatory, { api_name: missing, json_path: path });
  }
  const details: Record<string, unknown> = { api_name: parts[parts.length - 1] ?? '', json_path: jsonPath(e.instancePath) };
  if (e.keyword === 'type') details['expected_data_type'] = String((e.params as { type?: unknown }).type ?? '');
  return error(400, 'INVALID_DATA', MSG.invalidData, details);
}
