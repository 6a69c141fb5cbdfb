/**
 * Reads the `.properties` files of zcrmsdk 0.0.x (`resources/oauth_configuration.properties`,
 * `resources/configuration.properties`) with the parsing rules of properties-reader 0.0.16, except that
 * values stay strings: the old reader turned `0123456789` into the number 123456789 and broke secrets.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { ConfigError } from '../errors.js';

// properties-reader's section rule: `[name]` with no `=` inside.
const SECTION_LINE = /^\[([^=]+)\]$/;
const ESCAPES: Record<string, string> = { '\\n': '\n', '\\r': '\r', '\\t': '\t' };

/**
 * Parses `.properties` text: `key=value` lines (split at the first `=`, both sides trimmed), `#` and `!`
 * comments, and `[section]` lines that prefix the following keys with `section.`. `\n`, `\r`, `\t` escapes
 * in values are expanded; empty values are kept as `''`; a repeated key keeps its last value.
 */
export function parseProperties(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let section = '';
  for (const rawLine of text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    const sectionMatch = SECTION_LINE.exec(line);
    if (sectionMatch) {
      section = (sectionMatch[1] ?? '').trim();
      continue;
    }
    const eq = line.indexOf('=');
    const key = (eq === -1 ? line : line.slice(0, eq)).trim();
    if (key === '') continue;
    const value = eq === -1 ? '' : line.slice(eq + 1).trim();
    out.set(section ? `${section}.${key}` : key, value.replace(/\\[nrt]/g, (escape) => ESCAPES[escape] ?? escape));
  }
  return out;
}

/**
 * Reads and parses a `.properties` file; a relative `path` is resolved from `process.cwd()` as zcrmsdk 0.0.x
 * did. `fileLabel` (default: `path`) is how error messages name the file.
 */
export async function readPropertiesFile(path: string, fileLabel: string = path): Promise<Map<string, string>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | null)?.code;
    const where = `${fileLabel} (from ${process.cwd()})`;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new ConfigError(`Cannot read ${where}: no such file. ${whatToPutIn(path)}`, {
        code: 'CONFIG_FILE_MISSING',
        option: path,
        cause: error,
      });
    }
    throw new ConfigError(`Cannot read ${where} (${code ?? 'unknown error'}). Check that it is a readable file.`, {
      code: 'CONFIG_FILE_UNREADABLE',
      option: path,
      cause: error,
    });
  }
  return parseProperties(text);
}

function whatToPutIn(path: string): string {
  switch (basename(path)) {
    case 'oauth_configuration.properties':
      return 'Create it with [zoho] crm.clientid, crm.clientsecret, crm.redirecturl or call initialize({client_id, client_secret, redirect_url}).';
    case 'configuration.properties':
      return 'Create it (it may be empty: [crm] api.url, api.user_identifier, api.tokenmanagement and [mysql] username, password are optional) or call initialize({...}) with an object.';
    default:
      return 'Create it or pass the configuration as an object.';
  }
}
