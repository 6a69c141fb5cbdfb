/**
 * Opens the token store the configuration names: `file:PATH` (the default, `tokens.json` in the config
 * folder, mode 0600), `sqlite:PATH`, `mysql://user:pass@host:port/db`, `module:PATH` (a zcrmsdk 0.0.x token
 * module, as `api.tokenmanagement`) or `memory`.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  ConfigError,
  FileTokenStore,
  LegacyModuleTokenStore,
  MemoryTokenStore,
  MySQLTokenStore,
  SQLiteTokenStore,
  type TokenStore,
} from 'zcrmsdk';
import { ENV, type CliConfig } from './config.js';

/** File name of the default store inside the config folder. */
export const DEFAULT_STORE_FILE = 'tokens.json';

/** The store spec in effect: the configured one, else the default file. */
export function storeSpec(config: CliConfig): string {
  return config.store ?? `file:${join(config.configDir, DEFAULT_STORE_FILE)}`;
}

/** A store spec with any password hidden, for printing. */
export function describeStore(spec: string): string {
  return spec.replace(/^(mysql:\/\/[^:/@]*:)[^@]*@/, '$1***@');
}

/** Opens the store `spec` names; relative paths are relative to `cwd`. */
export function openStore(spec: string, cwd: string): TokenStore {
  const colon = spec.indexOf(':');
  const kind = colon === -1 ? spec : spec.slice(0, colon);
  const rest = colon === -1 ? '' : spec.slice(colon + 1);
  switch (kind) {
    case 'memory':
      return new MemoryTokenStore();
    case 'file':
      if (!rest) break;
      return new FileTokenStore({ path: inFolder(resolve(cwd, rest)) });
    case 'sqlite':
      if (!rest) break;
      return new SQLiteTokenStore({ path: inFolder(resolve(cwd, rest)) });
    case 'module':
      if (!rest) break;
      return LegacyModuleTokenStore.load(rest);
    case 'mysql': {
      let url: URL;
      try {
        url = new URL(spec);
      } catch (cause) {
        throw new ConfigError(`Token store '${describeStore(spec)}' is not a URL like mysql://user:password@host:3306/zohooauth.`, { option: '--store', cause });
      }
      return new MySQLTokenStore({
        host: url.hostname || 'localhost',
        port: url.port ? Number(url.port) : 3306,
        user: decodeURIComponent(url.username) || 'root',
        password: decodeURIComponent(url.password),
        database: url.pathname.replace(/^\//, '') || 'zohooauth',
      });
    }
    default:
      break;
  }
  throw new ConfigError(
    `Token store '${describeStore(spec)}' (--store / ${ENV.store}) is not one of file:PATH, sqlite:PATH, mysql://user:password@host:port/database, module:PATH or memory.`,
    { option: '--store' },
  );
}

/** Makes the store's folder (only its owner may enter: it holds tokens) and returns `path`. */
function inFolder(path: string): string {
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  } catch (cause) {
    throw new ConfigError(`Cannot create the folder of the token store ${path}: ${(cause as Error).message}. Pick another with --store or ZCRM_CONFIG_DIR.`, { option: '--store', cause });
  }
  return path;
}
