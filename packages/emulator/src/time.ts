/** Zoho's datetime wire format: ISO 8601 with a numeric offset and no milliseconds (`2019-07-25T15:26:49+05:30`). */
export function formatZohoDateTime(epochMs: number, offsetMinutes = 0): string {
  const shifted = new Date(epochMs + offsetMinutes * 60_000);
  const base = shifted.toISOString().slice(0, 19);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${base}${sign}${hh}:${mm}`;
}

/** Zoho's date wire format, `yyyy-MM-dd`, in the given offset. */
export function formatZohoDate(epochMs: number, offsetMinutes = 0): string {
  return formatZohoDateTime(epochMs, offsetMinutes).slice(0, 10);
}

/**
 * Parses the datetimes clients send (`If-Modified-Since`, criteria values): ISO 8601 with an offset or `Z`,
 * or an RFC 1123 date. Returns epoch ms, or undefined when unparseable.
 */
export function parseZohoDateTime(text: string): number | undefined {
  const ms = Date.parse(text.trim());
  return Number.isNaN(ms) ? undefined : ms;
}
