/**
 * The emulator's CRM side: `CrmState` (records, metadata and side stores) and `handleCrm`, which the HTTP
 * server calls with each parsed, authenticated request under `/crm/{version}/` and `/crm/bulk/{version}/`.
 *
 * Documented choices where the wire spec leaves room (spec §13):
 * - mixed write results: 207 (v2 configurable to 202 via `mixedStatus`), always 207 on v3+;
 * - search `equals` is an exact case-insensitive match and `starts_with` a prefix match (no word-match quirk);
 * - unknown single ids on GET → 204; unknown attachment ids → 400 INVALID_DATA "the related id given seems
 *   to be invalid"; non-numeric ids in record paths → 404 INVALID_URL_PATTERN;
 * - functions need `auth_type=oauth|apikey`; an unregistered function → 400 INVALID_DATA; a handler that
 *   throws → 500 INTERNAL_ERROR; the output is always a string (`output_type: "string"`);
 * - text and JSON attachments download as `application/octet-stream`, since Zoho's SDKs parse those types
 *   as JSON documents;
 * - `ZohoCRM.modules.ALL` also covers search, COQL, bulk and functions.
 */
export { CrmState, type CrmStateOptions, type FunctionHandler } from './state.js';
export { handleCrm } from './router.js';
