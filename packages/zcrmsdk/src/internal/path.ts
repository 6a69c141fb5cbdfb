import { InvalidInputError } from '../errors.js';

const MODULE_NAME = /^[A-Za-z][A-Za-z0-9_]{0,99}$/;
// Anything that could change the URL's meaning once placed in a path segment.
const UNSAFE_SEGMENT = /[\u0000-\u0020\u007f/?#\\%]/;

/** Validates a module API name (`Leads`, `Price_Books`, `Custom_Module1`). */
export function assertModuleName(value: unknown, what = 'module'): string {
  if (typeof value !== 'string' || !MODULE_NAME.test(value)) {
    throw new InvalidInputError(
      `${what} ${JSON.stringify(value)} is not a Zoho module API name. Use the API name, e.g. 'Leads' or 'Price_Books' (letters, digits, underscores).`,
    );
  }
  return value;
}

/** Validates one path segment (an id, an action) and percent-encodes it. */
export function encodeSegment(value: string, what = 'path segment'): string {
  if (value === '' || value === '.' || value === '..' || UNSAFE_SEGMENT.test(value)) {
    throw new InvalidInputError(
      `${what} ${JSON.stringify(value)} cannot be used in a URL: it must be non-empty, not '.' or '..', and contain no spaces, '/', '?', '#', '%' or '\\'.`,
    );
  }
  return encodeText(value, what);
}

/** encodeURIComponent with a typed error: a lone surrogate (half of an emoji) cannot be encoded. */
export function encodeText(text: string, what: string): string {
  try {
    return encodeURIComponent(text);
  } catch (cause) {
    throw new InvalidInputError(`${what} ${JSON.stringify(text)} contains a lone UTF-16 surrogate (half of a character), which cannot be sent in a URL. Fix the string first.`, { cause });
  }
}

/** Builds `a/b/c` from segments, validating and encoding each. A string path is split on `/` first. */
export function buildPath(path: string | readonly string[]): string {
  const segments = typeof path === 'string' ? path.split('/') : path;
  if (segments.length === 0) throw new InvalidInputError("The path is empty: name what to call, e.g. 'Leads' or ['Leads', id].");
  return segments.map((s) => encodeSegment(s)).join('/');
}

/** A query value the SDK can send. Arrays are comma-joined, as Zoho expects (`ids=1,2,3`). */
export type QueryValue = string | number | boolean | readonly (string | number)[] | null | undefined;

/** Encodes query parameters; `undefined` and `null` values are left out. */
export function encodeQuery(query: Record<string, QueryValue>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    const text = Array.isArray(value) ? value.join(',') : String(value);
    parts.push(`${encodeText(key, 'Query parameter name')}=${encodeText(text, `Query parameter '${key}'`)}`);
  }
  return parts.join('&');
}
