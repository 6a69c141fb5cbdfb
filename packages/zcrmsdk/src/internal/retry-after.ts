/**
 * The one Retry-After parser: the retry loop and the error factory both read the header through it.
 * Returns milliseconds to wait (0 or more), or `undefined` when the header is absent or unreadable.
 * Accepts delta-seconds (`120`, also Zoho's fractional `1.5`) and an HTTP date (RFC 9110 §10.2.3).
 */
export function parseRetryAfterMs(header: string | undefined, now: number = Date.now()): number | undefined {
  if (header === undefined) return undefined;
  const text = header.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
