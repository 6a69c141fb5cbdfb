/**
 * Secret redaction. Every ZohoError (message, cause chain, details, headers) and every log line passes through
 * here, so no caller can forget it: known secret values (registered as the SDK learns them) and anything
 * shaped like a Zoho token or a secret-bearing parameter are replaced by `[REDACTED]`.
 */

export const REDACTED = '[REDACTED]';
/**
 * Registered secrets shorter than this are not used for substring redaction: a client secret `wrong` would
 * otherwise turn every "wrong" in every later message into `[REDACTED]`.
 */
export const MIN_REDACTED_SECRET_LENGTH = 8;
const MAX_KNOWN_SECRETS = 10_000;
const MAX_COPY_DEPTH = 8;
const knownSecrets = new Set<string>();

// Zoho tokens and grant codes look like 1000.<hex>.<hex>. No word boundaries: a token glued to other text
// (`x1000.ab…`, `…cdefgh`) is still a token.
const TOKEN_SHAPE = /1000\.[0-9a-f]{16,}(?:\.[0-9a-f]{16,})?/gi;
const WHOLE_TOKEN = /^1000\.[0-9a-f]{16,}(?:\.[0-9a-f]{16,})?$/i;
// `key=value` (query strings, forms) and `"key":"value"` (JSON); not prose like "the token: invalid_code".
const SECRET_PARAM =
  /\b(client_secret|refresh_token|access_token|code|token|password|grant_token)(=|"\s*:\s*"?)([^&\s"',;}]+)/gi;
const AUTH_HEADER = /\b(Zoho-oauthtoken|Bearer|Basic)\s+[^\s"',;}]+/gi;
// Object keys whose value is a secret whatever it looks like (details echoed by Zoho, store rows, bodies).
const SECRET_KEY = /^(client_?secret|refresh_?token|access_?token|grant_?token|password|passwd|authorization|cookie|set-cookie)$/i;

/** Remembers a secret value so that it is scrubbed from every later error message and log line. */
export function registerSecret(value: unknown): void {
  if (typeof value !== 'string' || value.length < MIN_REDACTED_SECRET_LENGTH) return;
  // Token-shaped values are caught by their shape; keeping them out keeps `redact` cheap under load.
  if (WHOLE_TOKEN.test(value) || knownSecrets.has(value)) return;
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
    out[name] = SECRET_HEADER_NAMES.has(name.toLowerCase()) ? REDACTED : redact(String(value));
  }
  return out;
}

/**
 * A redacted deep copy of pass-through data (Zoho's error `details`, a store's error): strings are redacted,
 * values under secret-named keys replaced, errors copied by `redactError`. Cycles and depth are bounded.
 */
export function redactValue(value: unknown): unknown {
  return copy(value, 0, new WeakMap());
}

/**
 * A redacted copy of an error that keeps what callers test: its prototype (so `instanceof` and the class name
 * hold), `name`, `code` and every other own property, with strings redacted and the `cause` chain copied too.
 * Errors of this SDK (already redacted in their constructor) are returned as they are.
 */
export function redactError<T>(error: T): T {
  return copy(error, 0, new WeakMap()) as T;
}

/** Marks errors that are already redacted (ZohoError instances), so copies keep them by identity. */
export const SAFE_ERROR = Symbol.for('zcrmsdk.redactedError');

function copy(value: unknown, depth: number, seen: WeakMap<object, unknown>): unknown {
  if (typeof value === 'string') return redact(value);
  if (value === null || typeof value !== 'object') {
    // Functions and symbols can hold no text worth keeping; bigint and the rest are safe as they are.
    return typeof value === 'function' ? '[Function]' : value;
  }
  if ((value as Record<symbol, unknown>)[SAFE_ERROR] === true) return value;
  const known = seen.get(value);
  if (known !== undefined) return known;
  if (depth >= MAX_COPY_DEPTH) return '[Truncated]';
  if (Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return `[${value.constructor.name} of ${value.byteLength} bytes]`;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    seen.set(value, out);
    for (const item of value) out.push(copy(item, depth + 1, seen));
    return out;
  }
  if (value instanceof Error) return copyError(value, depth, seen);
  if (value instanceof Date) return new Date(value.getTime());
  const out: Record<string, unknown> = {};
  seen.set(value, out);
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) && item !== undefined && item !== null && item !== '' ? REDACTED : copy(item, depth + 1, seen);
  }
  return out;
}

function copyError(error: Error, depth: number, seen: WeakMap<object, unknown>): Error {
  let out: Error;
  try {
    out = Object.create(Object.getPrototypeOf(error) as object) as Error;
  } catch {
    out = new Error();
  }
  seen.set(error, out);
  const define = (key: string | symbol, item: unknown, enumerable: boolean) =>
    Object.defineProperty(out, key, { value: item, enumerable, writable: true, configurable: true });
  // name/message/stack may be prototype getters (DOMException): read them once, store them as own values.
  define('message', redact(String(safeRead(error, 'message') ?? '')), false);
  const stack = safeRead(error, 'stack');
  if (typeof stack === 'string') define('stack', redact(stack), false);
  for (const key of Reflect.ownKeys(error)) {
    if (key === 'message' || key === 'stack') continue;
    const descriptor = Object.getOwnPropertyDescriptor(error, key);
    if (!descriptor) continue;
    const item = 'value' in descriptor ? descriptor.value : safeRead(error, key);
    const safe = typeof key === 'string' && SECRET_KEY.test(key) && item !== undefined && item !== null ? REDACTED : copy(item, depth + 1, seen);
    define(key, safe, descriptor.enumerable === true);
  }
  for (const key of ['name', 'code'] as const) {
    if (!Object.prototype.hasOwnProperty.call(out, key)) {
      const item = safeRead(error, key);
      const inherited = safeRead(Object.getPrototypeOf(out) as object, key);
      if ((typeof item === 'string' || typeof item === 'number') && item !== inherited) define(key, copy(item, depth + 1, seen), false);
    }
  }
  return out;
}

function safeRead(target: object, key: string | symbol): unknown {
  try {
    return (target as Record<string | symbol, unknown>)[key];
  } catch {
    return undefined;
  }
}
