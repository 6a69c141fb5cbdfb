/**
 * CRM request authentication (wire spec §2.6, §4): `Authorization: Zoho-oauthtoken <token>` (Bearer is
 * accepted too). A missing or malformed header is AUTHENTICATION_FAILURE; a token the accounts state does not
 * know (never issued, expired, revoked, pushed out) is INVALID_TOKEN. Both are HTTP 401.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { AccessTokenRecord, AccountsState } from './accounts.js';
import type { EmulatorDataCenter } from './data-centers.js';
import { zohoError } from './faults.js';
import type { EmuResponse } from './http-types.js';

/** The outcome of authenticating a request. */
export type AuthResult = { ok: true; record: AccessTokenRecord } | { ok: false; response: EmuResponse };

const JSON_TYPE = 'application/json;charset=UTF-8';

/** The access token of an `Authorization: Zoho-oauthtoken <t>` (or `Bearer <t>`) header, if well formed. */
export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const value = headers.authorization;
  if (value === undefined) return undefined;
  const match = /^\s*(?:Zoho-oauthtoken|Bearer)\s+(\S+)\s*$/i.exec(value);
  return match?.[1];
}

function unauthorized(code: string): AuthResult {
  return { ok: false, response: { status: 401, headers: { 'Content-Type': JSON_TYPE }, json: zohoError(code) } };
}

/** Authenticates a request against the live access tokens of data centre `dataCenter` (default: the first served). */
export function authenticateRequest(accounts: AccountsState, headers: IncomingHttpHeaders, dataCenter?: EmulatorDataCenter): AuthResult {
  const token = bearerToken(headers);
  if (token === undefined) return unauthorized('AUTHENTICATION_FAILURE');
  // A token minted in another data centre is as unknown here as a forged one: INVALID_TOKEN, as Zoho answers.
  const record = accounts.authenticate(token, dataCenter);
  return record === undefined ? unauthorized('INVALID_TOKEN') : { ok: true, record };
}
