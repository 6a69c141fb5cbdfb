/**
 * What `emulator.requests` keeps of secrets: never the value. Access and refresh tokens, grant codes and client
 * secrets become a fingerprint (`1000.[REDACTED 3f2a9c1e]`: the public `1000.` prefix and 8 hex digits of the
 * value's SHA-256), so a test can still tell which token a call used without the log holding it.
 */
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** Fields of a request to `/oauth/*` whose values are secrets (`token` is what revoke takes). */
export const SECRET_FIELDS: readonly string[] = ['client_secret', 'refresh_token', 'code', 'token'];

/** The fingerprint the request log shows instead of a secret value. */
export function secretFingerprint(value: string): string {
  const prefix = /^\d+\./.exec(value)?.[0] ?? '';
  return `${prefix}[REDACTED ${createHash('sha256').update(value).digest('hex').slice(0, 8)}]`;
}

// A client sends the same token on call after call: one hash per token, not per request.
let lastAuthorization: [string, string] | undefined;

/** `Authorization` as the log shows it: the scheme, then the credential's fingerprint. */
export function redactAuthorization(value: string): string {
  if (lastAuthorization?.[0] === value) return lastAuthorization[1];
  const space = value.indexOf(' ');
  const shown = space === -1 ? secretFingerprint(value) : `${value.slice(0, space)} ${secretFingerprint(value.slice(space + 1).trim())}`;
  lastAuthorization = [value, shown];
  return shown;
}

/** Headers with `Authorization` redacted (a copy; the request's own headers stay as they are). */
export function redactHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const auth = headers.authorization;
  return auth === undefined ? headers : { ...headers, authorization: redactAuthorization(auth) };
}

/** Replaces every occurrence of each secret (raw and URL-encoded) in a text. */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    for (const form of new Set([secret, encodeURIComponent(secret), new URLSearchParams({ v: secret }).toString().slice(2)])) {
      if (form !== '' && out.includes(form)) out = out.split(form).join(secretFingerprint(secret));
    }
  }
  return out;
}

/** The secret values among a request's fields (query and body), to pass to `redactText`. */
export function secretValues(...sources: Record<string, string>[]): string[] {
  const out = new Set<string>();
  for (const fields of sources) {
    for (const name of SECRET_FIELDS) {
      const v = fields[name];
      if (v !== undefined && v !== '') out.add(v);
    }
  }
  // Longest first, so a secret that contains another is replaced whole.
  return [...out].sort((a, b) => b.length - a.length);
}
