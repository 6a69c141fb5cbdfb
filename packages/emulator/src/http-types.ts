/**
 * The contract between the emulator's HTTP server (server.ts, accounts, auth, faults) and its CRM routes
 * (crm/*). The server parses the request, authenticates it and hands a CrmRequest to `handleCrm`; the CRM
 * side answers with an EmuResponse that the server writes out as is.
 */
import type { IncomingHttpHeaders } from 'node:http';

/** A file part of a multipart request. */
export interface UploadedFile {
  /** The multipart field name (`file`, `inputFile` ...). */
  field: string;
  filename: string | undefined;
  contentType: string;
  data: Buffer;
}

/** A parsed request, as the CRM routes see it. */
export interface CrmRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | string;
  /** API version from the path: `v2`, `v2.1`, `v3` ... `v8`. */
  version: string;
  /** Path after `/crm/{version}/` (or after `/crm/bulk/{version}/` when `bulk` is true), split on `/`,
   * each segment percent-decoded. e.g. `['Leads', '123', 'Attachments']`. */
  segments: string[];
  /** True for `/crm/bulk/{version}/...`. */
  bulk: boolean;
  /** `email` for `/crm/email/{version}/...` (email settings); absent otherwise. */
  space?: 'email';
  /** Query parameters, leniently parsed: unencoded values, a trailing `&`, and the literal value
   * `undefined` (sent by zcrmsdk 0.0.x as `module=undefined`) are dropped. Last value wins. */
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** The body parsed as JSON whatever the Content-Type (zcrmsdk sends none), or undefined when empty or
   * not JSON. */
  json: unknown;
  /** True when a non-empty body could not be parsed as JSON or multipart. */
  invalidBody: boolean;
  rawBody: Buffer;
  /** Multipart file parts. */
  files: UploadedFile[];
  /** Multipart non-file fields. */
  fields: Record<string, string>;
  /** The authenticated CRM user (emulator user id, a 19-digit string). */
  userId: string;
  /** The scopes granted to the access token used. */
  scopes: string[];
}

/** What a route answers. Exactly one of `json` / `body` is set, or neither (204/304). */
export interface EmuResponse {
  status: number;
  headers?: Record<string, string>;
  /** Serialised with `Content-Type: application/json;charset=UTF-8`. */
  json?: unknown;
  /** Raw bytes (downloads); give the Content-Type in headers. */
  body?: Buffer;
}
