/**
 * The file name of a `Content-Disposition` header (RFC 6266): `filename*` (RFC 8187: `charset'lang'pct-encoded`)
 * wins over `filename` (a token or a quoted string). Lenient where Zoho is: it sends
 * `attachment;filename*=UTF-8''resume file.png` with the name raw, not percent-encoded.
 * The name is reduced to its last path segment, so it can never point outside a download folder.
 * (The legacy facade keeps zcrmsdk 0.0.x's own regex, see src/legacy/response.ts, because it must match it.)
 */
export function filenameFromContentDisposition(header: string | undefined): string | undefined {
  if (header === undefined || header === '') return undefined;
  const params = parseParams(header);
  const extended = params.get('filename*');
  const name = (extended === undefined ? undefined : decodeExtValue(extended)) ?? params.get('filename');
  if (name === undefined) return undefined;
  const base = name.split(/[/\\]/).pop()?.replace(/[\u0000-\u001f\u007f]/g, '') ?? '';
  return base === '' || base === '.' || base === '..' ? undefined : base;
}

/** `type; a=b; c="d;e"` → lower-cased names to unquoted values (the first of each name wins). */
function parseParams(header: string): Map<string, string> {
  const out = new Map<string, string>();
  let i = header.indexOf(';');
  if (i === -1) return out;
  while (i < header.length) {
    i++; // past ';'
    const eq = header.indexOf('=', i);
    if (eq === -1) break;
    const name = header.slice(i, eq).trim().toLowerCase();
    let j = eq + 1;
    while (header[j] === ' ' || header[j] === '\t') j++;
    let value = '';
    if (header[j] === '"') {
      j++;
      while (j < header.length && header[j] !== '"') {
        if (header[j] === '\\' && j + 1 < header.length) j++;
        value += header[j];
        j++;
      }
      const next = header.indexOf(';', j);
      i = next === -1 ? header.length : next;
    } else {
      const next = header.indexOf(';', j);
      value = header.slice(j, next === -1 ? undefined : next).trim();
      i = next === -1 ? header.length : next;
    }
    if (name !== '' && !out.has(name)) out.set(name, value);
  }
  return out;
}

/** RFC 8187 `UTF-8''na%C3%AFve.txt` → `naïve.txt`; a raw (unencoded) value is taken as it is. */
function decodeExtValue(value: string): string | undefined {
  const match = /^([^']*)'[^']*'(.*)$/s.exec(value);
  if (match === null) return value === '' ? undefined : value;
  const charset = (match[1] ?? '').toLowerCase();
  const text = match[2] ?? '';
  if (!/%[0-9a-f]{2}/i.test(text)) return text;
  const bytes: number[] = [];
  for (let k = 0; k < text.length; k++) {
    const c = text[k] as string;
    if (c === '%' && /^[0-9a-f]{2}$/i.test(text.slice(k + 1, k + 3))) {
      bytes.push(Number.parseInt(text.slice(k + 1, k + 3), 16));
      k += 2;
    } else {
      bytes.push(...Buffer.from(c, 'utf8'));
    }
  }
  const buf = Buffer.from(bytes);
  if (charset === 'iso-8859-1' || charset === 'latin1') return buf.toString('latin1');
  const decoded = new TextDecoder('utf-8', { fatal: false }).decode(buf);
  return decoded;
}
