/**
 * The database drivers, loaded on first use: one function per driver, each with a literal `require('<driver>')`
 * inside a `try` of its own, so they stay lazy (`require('zcrmsdk')` loads none of them) yet visible to bundlers,
 * which include a driver they can see and, inside `try`, accept one that is not installed.
 */
import { ConfigError } from '../errors.js';

/**
 * True when the SDK runs from inside a bundle rather than from the installed package: this file's own name is
 * then the bundle's (CommonJS bundles) or not defined at all (ESM bundles).
 */
export const RUNNING_FROM_BUNDLE = typeof __filename !== 'string' || !/[\\/]stores[\\/]drivers\.[cm]?[jt]s$/.test(__filename);

/**
 * The ConfigError for a driver that `require` could not load, saying which of three things happened: the
 * package is not installed; a bundle left it out (marked external, or bundled without the `createRequire`
 * banner); or it is installed but failed to load.
 */
export function driverError(cause: unknown, pkg: string, store: string, install: string = pkg, bundled: boolean = RUNNING_FROM_BUNDLE): ConfigError {
  const code = (cause as { code?: unknown } | null)?.code;
  const message = String((cause as { message?: unknown } | null)?.message ?? '');
  const notFound = code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND';
  if (bundled && (notFound || message.startsWith('Dynamic require of'))) {
    return new ConfigError(
      `${store} needs the '${pkg}' package, which this bundle left out and which is not installed where the bundle runs: ` +
        `bundle it (do not mark it external; an ESM bundle needs the createRequire banner, see the README's Bundling section) or run \`npm install ${install}\` beside the bundle.`,
      { option: 'driver', code: 'DRIVER_MISSING', cause },
    );
  }
  // "Cannot find module 'pg'" is the driver itself; any other name is a package the driver needs.
  if (notFound && message.includes(`'${pkg}'`)) {
    return new ConfigError(`${store} needs the '${pkg}' package, which is not installed: run \`npm install ${install}\`.`, {
      option: 'driver',
      code: 'DRIVER_MISSING',
      cause,
    });
  }
  return new ConfigError(`${store} could not load the '${pkg}' package (${String(code ?? (cause as Error | null)?.name)}); reinstall it with \`npm install ${install}\`.`, {
    option: 'driver',
    cause,
  });
}

/** `mysql2/promise` (a dependency of the SDK, for the MySQL stores). */
export function requireMysql2(store: string): typeof import('mysql2/promise') {
  try {
    return require('mysql2/promise') as typeof import('mysql2/promise');
  } catch (cause) {
    throw driverError(cause, 'mysql2/promise', store, 'mysql2');
  }
}

/** `pg` (an optional peer, for the PostgreSQL stores); `T` is the part of its API the caller uses. */
export function requirePg<T>(store: string): T {
  try {
    return require('pg') as T;
  } catch (cause) {
    throw driverError(cause, 'pg', store);
  }
}

/** `ioredis` (an optional peer, for the Redis stores); `T` is the part of its API the caller uses. */
export function requireIoredis<T>(store: string): T {
  try {
    return require('ioredis') as T;
  } catch (cause) {
    throw driverError(cause, 'ioredis', store);
  }
}

/** `better-sqlite3` (an optional peer, for the SQLite store); `T` is the part of its API the caller uses. */
export function requireBetterSqlite3<T>(store: string): T {
  try {
    return require('better-sqlite3') as T;
  } catch (cause) {
    throw driverError(cause, 'better-sqlite3', store, 'better-sqlite3@12');
  }
}
