/**
 * Secret redaction. Every ZohoError message and every log line passes through `redact`, so no caller can
 * forget it: known secret values (registered as the SDK learns them) and anything shaped like a Zoho token
 * or a secret-bearing parameter are replaced by `[REDACTED]`.
 */

const REDACTED = '[REDACTED]';
const MAX_KNOWN_SECRETS = 10_000;
const knownSecrets = new Set<string>();

// Zoho tokens look like 1000.<hex>.<hex>; grant codes share the prefix.
const TOKEN_SHAPE = /\b1000\.[0-9a-f]{16,}(?:\.[0-9a-f]{16,})?\b/gi;
// `key=value` (query strings, forms) and `"key":"value"` (JSON); not prose like "the token: invalid_code".
const SECRET_PARAM =
  /\b(client_secret|refresh_token|access_token|code|token|password|grant_token)(=|"\s*:\s*"?)([^&\s"',;}]+)/gi;
const AUTH_HEADER = /\b(Zoho-oauthtoken|Bearer|Basic)\s+[^\s"',;}]+/gi;

/** Remembers a secret value so that it is scrubbed from every later error message and log line. */
export function registerSecret(value: unknown): void {
  if (typeof value !== 'string' || value.length < 4) return;
  if (knownSecrets.size >= MAX_KNOWN_SECRETS) {
    const oldest = knownSecrets.values().next().value;
    if (oldest !== undefined) knownSecrets.delete(oldest);
  }
  knownSecrets.add(value);
}

/** Returns `text` with every known or secret-shaped value replaced by `[REDACTED]`. */
export function redact(text: string): string {
  let out = text;
  for (const secret of knownSecrets) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out
    .replace(AUTH_HEADER, (_m, scheme: string) => `${scheme} ${REDACTED}`)
    .replace(SECRET_PARAM, (_m, key: string, sep: string) => `${key}${sep}${REDACTED}`)
    .replace(TOKEN_SHAPE, REDACTED);
}

const SECRET_HEADER_NAMES = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie']);

/** A copy of `headers` with credentials replaced, for error objects and logs. */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name] = SECRET_HEADER_NAMES.has(name.toLowerCase()) ? REDACTED : redact(value);
  }
  return out;
}
