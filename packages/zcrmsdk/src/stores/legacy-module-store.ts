/**
 * Adapter for zcrmsdk 0.0.x custom token modules (`api.tokenmanagement`): a CommonJS module exporting
 * `saveOAuthTokens`, `updateOAuthTokens` and `getOAuthTokens`, each returning a promise.
 */
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { ConfigError, TokenStoreError } from '../errors.js';
import type { StoredToken, TokenStore } from './token-store.js';

/** What `saveOAuthTokens` receives (key order as zcrmsdk 0.0.20 built it). */
export interface LegacySaveTokens {
  access_token: string;
  refresh_token?: string;
  /** Absolute expiry, epoch milliseconds. */
  expires_in: number;
  user_identifier: string;
}

/** What `updateOAuthTokens` receives after a refresh. zcrmsdk 0.0.20 passed only `access_token` and `expires_in`. */
export interface LegacyUpdateTokens {
  access_token: string;
  /** Absolute expiry, epoch milliseconds. */
  expires_in: number;
  user_identifier: string;
  refresh_token?: string;
}

/** The functions a zcrmsdk 0.0.x token module exports. Plain (non-promise) return values are accepted too. */
export interface LegacyTokenModule {
  saveOAuthTokens(tokens: LegacySaveTokens): unknown;
  updateOAuthTokens(tokens: LegacyUpdateTokens): unknown;
  /** Resolves `[{accesstoken, refreshtoken, expirytime}]` (README) or `{access_token, refresh_token, expires_in}` (0.0.20). */
  getOAuthTokens(userIdentifier: string): unknown;
  /** Optional: called by `delete`; modules without it make `delete` a no-op. */
  deleteOAuthTokens?(userIdentifier: string): unknown;
}

const REQUIRED_FUNCTIONS = ['saveOAuthTokens', 'updateOAuthTokens', 'getOAuthTokens'] as const;
const OPTION = 'api.tokenmanagement';

/** Options of {@link loadLegacyTokenModule}. */
export interface LoadLegacyTokenModuleOptions {
  /** Directory that relative paths and bare package names are resolved from. Default: `process.cwd()`. */
  cwd?: string;
}

/**
 * Loads a token module the way zcrmsdk 0.0.x did, with `require`: absolute paths and package names as they
 * are. Relative paths (`./store.js`) are resolved from `options.cwd` (default `process.cwd()`), not from the
 * SDK's own folder as 0.0.x did (where they could never be found).
 */
export function loadLegacyTokenModule(spec: string, options: LoadLegacyTokenModuleOptions = {}): LegacyTokenModule {
  const cwd = options.cwd ?? process.cwd();
  if (spec.trim() === '') {
    throw new ConfigError(`The token module path (${OPTION}) is empty. Set it to an absolute path or a package name.`, {
      option: OPTION,
    });
  }
  const isRelative = /^\.\.?(?:[\\/]|$)/.test(spec);
  const target = isRelative ? resolve(cwd, spec) : spec;
  // Resolving from a file inside cwd makes bare names find the application's node_modules.
  const requireFromCwd = createRequire(join(cwd, '__zcrmsdk_token_module__.js'));
  let loaded: unknown;
  try {
    loaded = requireFromCwd(target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | null)?.code;
    const reason = code === 'MODULE_NOT_FOUND' ? 'not found' : `${code ?? (error as Error | null)?.name ?? 'error'} while loading it`;
    const resolvedNote = isRelative ? `, resolved to ${target} from ${cwd}` : isAbsolute(spec) ? '' : ` (looked up from ${cwd})`;
    throw new ConfigError(
      `Cannot load the token module '${spec}' set in ${OPTION}${resolvedNote}: ${reason}. ` +
        'Use an absolute path (e.g. path.join(__dirname, "token-store.js")) or an installed package name.',
      { option: OPTION, cause: error },
    );
  }
  const mod = pickModule(loaded);
  const missing = REQUIRED_FUNCTIONS.filter((name) => typeof mod?.[name] !== 'function');
  if (!mod || missing.length > 0) {
    throw new ConfigError(
      `The token module '${spec}' set in ${OPTION} does not export ${missing.join(', ')}. ` +
        'It must export saveOAuthTokens, updateOAuthTokens and getOAuthTokens, each returning a promise.',
      { option: OPTION },
    );
  }
  return mod as unknown as LegacyTokenModule;
}

// A module compiled from ESM may carry its functions on `default`.
function pickModule(loaded: unknown): Record<string, unknown> | undefined {
  if (!isObjectLike(loaded)) return undefined;
  const hasAll = (value: Record<string, unknown>): boolean => REQUIRED_FUNCTIONS.every((name) => typeof value[name] === 'function');
  if (!hasAll(loaded) && isObjectLike(loaded.default) && hasAll(loaded.default)) return loaded.default;
  return loaded;
}

function isObjectLike(value: unknown): value is Record<string, unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null;
}

/** Options of {@link LegacyModuleTokenStore}. */
export interface LegacyModuleTokenStoreOptions {
  /** How error messages name the module, usually its `api.tokenmanagement` path. Default: `'custom token module'`. */
  name?: string;
}

/** A {@link TokenStore} backed by a zcrmsdk 0.0.x custom token module. */
export class LegacyModuleTokenStore implements TokenStore {
  readonly #module: LegacyTokenModule;
  readonly #name: string;

  constructor(module: LegacyTokenModule, options: LegacyModuleTokenStoreOptions = {}) {
    this.#module = module;
    this.#name = options.name ?? 'custom token module';
  }

  /** Loads the module with {@link loadLegacyTokenModule} and wraps it; errors name it by `spec`. */
  static load(spec: string, options: LoadLegacyTokenModuleOptions = {}): LegacyModuleTokenStore {
    return new LegacyModuleTokenStore(loadLegacyTokenModule(spec, options), { name: spec });
  }

  async get(userId: string): Promise<StoredToken | null> {
    const result = await this.#call('getOAuthTokens', () => this.#module.getOAuthTokens(userId));
    return parseLegacyTokens(result, userId, this.#name);
  }

  async save(token: StoredToken): Promise<void> {
    const tokens: LegacySaveTokens = {
      access_token: token.accessToken,
      ...(token.refreshToken === undefined ? {} : { refresh_token: token.refreshToken }),
      expires_in: token.expiresAt,
      user_identifier: token.userId,
    };
    await this.#call('saveOAuthTokens', () => this.#module.saveOAuthTokens(tokens));
  }

  async update(token: StoredToken): Promise<void> {
    const tokens: LegacyUpdateTokens = {
      access_token: token.accessToken,
      expires_in: token.expiresAt,
      user_identifier: token.userId,
      ...(token.refreshToken === undefined ? {} : { refresh_token: token.refreshToken }),
    };
    await this.#call('updateOAuthTokens', () => this.#module.updateOAuthTokens(tokens));
  }

  async delete(userId: string): Promise<void> {
    const remove = this.#module.deleteOAuthTokens;
    if (typeof remove !== 'function') return;
    await this.#call('deleteOAuthTokens', () => remove.call(this.#module, userId));
  }

  async #call(fn: string, invoke: () => unknown): Promise<unknown> {
    try {
      return await invoke();
    } catch (error) {
      // The constructor redacts token-shaped text, so the module's own reason can be shown.
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      throw new TokenStoreError(`${fn}() of the token module '${this.#name}' failed: ${reason.slice(0, 300)}`, {
        cause: error,
      });
    }
  }
}

/**
 * Maps what a legacy `getOAuthTokens` resolved to a StoredToken: the README's array of
 * `{accesstoken, refreshtoken, expirytime}`, the 0.0.20 object `{access_token, refresh_token, expires_in}`, or
 * an array of that object. Empty results are `null`; numbers given as strings are accepted.
 */
export function parseLegacyTokens(result: unknown, userId: string, moduleName = 'custom token module'): StoredToken | null {
  const row: unknown = Array.isArray(result) ? result[0] : result;
  if (row === undefined || row === null) return null;
  if (typeof row !== 'object') {
    throw new TokenStoreError(
      `getOAuthTokens() of the token module '${moduleName}' resolved a ${typeof row}; expected an object ` +
        '{access_token, refresh_token, expires_in} or an array of {accesstoken, refreshtoken, expirytime}.',
    );
  }
  const fields = row as Record<string, unknown>;
  const accessToken = tokenString(fields.access_token ?? fields.accesstoken);
  const refreshToken = tokenString(fields.refresh_token ?? fields.refreshtoken);
  if (accessToken === undefined && refreshToken === undefined) return null;
  return {
    userId,
    // Without an access token the zero expiry makes the token manager refresh at once.
    accessToken: accessToken ?? '',
    ...(refreshToken === undefined ? {} : { refreshToken }),
    expiresAt: accessToken === undefined ? 0 : epochMs(fields.expires_in ?? fields.expirytime),
  };
}

// zcrmsdk 0.0.x stored a missing token as the text 'undefined' (string concatenation into SQL).
function tokenString(value: unknown): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const text = String(value);
  return text === '' || text === 'undefined' || text === 'null' ? undefined : text;
}

function epochMs(value: unknown): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' || typeof value === 'bigint' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : 0;
}
