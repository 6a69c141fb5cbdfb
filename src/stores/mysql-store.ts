/**
 * The MySQL/MariaDB token store, zcrmsdk 0.0.x's default: same database and table (`zohooauth.oauthtokens`),
 * but pooled, parameterised, per-user correct and able to lock across processes.
 */
import type { Socket } from 'node:net';
import { createHash } from 'node:crypto';
import type { Pool, PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { ConfigError, TokenStoreError } from '../errors.js';
import { safeLogger, silentLogger, type Logger } from '../logger.js';
import { parseLegacyTokens } from './legacy-module-store.js';
import type { StoredToken, TokenStore } from './token-store.js';

export const DEFAULT_MYSQL_HOST = 'localhost';
export const DEFAULT_MYSQL_PORT = 3306;
export const DEFAULT_MYSQL_USER = 'root';
export const DEFAULT_MYSQL_DATABASE = 'zohooauth';
export const DEFAULT_MYSQL_TABLE = 'oauthtokens';
export const DEFAULT_MYSQL_CONNECTION_LIMIT = 10;
export const DEFAULT_MYSQL_LOCK_TIMEOUT_SECONDS = 10;

/** Options of {@link MySQLTokenStore}. */
export interface MySQLTokenStoreOptions {
  /** Server host; mysql2 connects over TCP (no Unix socket), as zcrmsdk 0.0.x did. Default: `'localhost'`. */
  host?: string;
  /** Server TCP port. Default: `3306`. */
  port?: number;
  /** Login user (zcrmsdk's `mysql.username`). Default: `'root'`. */
  user?: string;
  /** Login password (zcrmsdk's `mysql.password`). Never logged nor put in an error. Default: `''`. */
  password?: string;
  /**
   * Database holding the table. Default: `'zohooauth'`, or the pool's own database when `pool` is given
   * without `database`.
   */
  database?: string;
  /** Table name. Default: `'oauthtokens'`. */
  table?: string;
  /** Pool size; at least 2, since `withLock` holds one connection while `fn` uses another. Default: `10`. */
  connectionLimit?: number;
  /** Create the database and table when they are missing (logged at info level). Default: `true`. */
  createIfMissing?: boolean;
  /** How long `withLock` waits for another process to release the lock, in seconds. Default: `10`. */
  lockTimeoutSeconds?: number;
  /** Where to log schema creation. Default: no logging. */
  logger?: Logger;
  /**
   * An existing `mysql2/promise` pool to use instead of creating one; `host`, `port`, `user`, `password` and
   * `connectionLimit` are then ignored and `close()` leaves the pool open. Default: the store creates its own.
   */
  pool?: Pool;
}

const IDENTIFIER = /^[A-Za-z0-9_]+$/;
const MAX_LOCK_NAME_LENGTH = 64;
const LOCK_PREFIX = 'zcrmsdk:';
const MAX_DEADLOCK_RETRIES = 3;

interface TokenRow extends RowDataPacket {
  accesstoken: string | null;
  refreshtoken: string | null;
  expirytime: number | string | null;
}

/** A {@link TokenStore} in a MySQL or MariaDB table `oauthtokens(useridentifier, accesstoken, refreshtoken, expirytime)`. */
export class MySQLTokenStore implements TokenStore {
  readonly #options: MySQLTokenStoreOptions;
  readonly #ownsPool: boolean;
  readonly #logger: Logger;
  readonly #database: string | undefined;
  readonly #table: string;
  readonly #lockTimeoutSeconds: number;
  #pool: Promise<Pool> | undefined;
  #schemaReady: Promise<void> | undefined;
  #closed = false;

  constructor(options: MySQLTokenStoreOptions = {}) {
    this.#options = options;
    this.#ownsPool = options.pool === undefined;
    this.#logger = options.logger ? safeLogger(options.logger) : silentLogger;
    this.#database = options.database ?? (this.#ownsPool ? DEFAULT_MYSQL_DATABASE : undefined);
    this.#table = options.table ?? DEFAULT_MYSQL_TABLE;
    this.#lockTimeoutSeconds = options.lockTimeoutSeconds ?? DEFAULT_MYSQL_LOCK_TIMEOUT_SECONDS;
    if (this.#database !== undefined) checkIdentifier(this.#database, 'database');
    checkIdentifier(this.#table, 'table');
    const limit = options.connectionLimit ?? DEFAULT_MYSQL_CONNECTION_LIMIT;
    if (!Number.isInteger(limit) || limit < 2) {
      throw new ConfigError(`MySQL connectionLimit must be an integer of at least 2 (got ${limit}): withLock holds one connection while the refresh uses another.`, {
        option: 'connectionLimit',
      });
    }
    const port = options.port ?? DEFAULT_MYSQL_PORT;
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new ConfigError(`MySQL port must be an integer from 1 to 65535 (got ${port}).`, { option: 'port' });
    }
    if (!(this.#lockTimeoutSeconds >= 0)) {
      throw new ConfigError(`MySQL lockTimeoutSeconds must be 0 or more (got ${this.#lockTimeoutSeconds}).`, {
        option: 'lockTimeoutSeconds',
      });
    }
    if (options.pool) this.#pool = Promise.resolve(options.pool);
  }

  async get(userId: string): Promise<StoredToken | null> {
    // Legacy tables may hold several rows for a user; the latest expiry is the newest token.
    const rows = await this.#run('read the tokens of a user', (pool) =>
      pool.execute<TokenRow[]>(
        `SELECT accesstoken, refreshtoken, expirytime FROM ${this.#qualifiedTable()} WHERE useridentifier = ? ORDER BY expirytime DESC LIMIT 1`,
        [userId],
      ),
    );
    return parseLegacyTokens(rows[0], userId, 'mysql');
  }

  async save(token: StoredToken): Promise<void> {
    await this.#transaction('save the tokens of a user', async (conn) => {
      await conn.execute(`DELETE FROM ${this.#qualifiedTable()} WHERE useridentifier = ?`, [token.userId]);
      await conn.execute(
        `INSERT INTO ${this.#qualifiedTable()} (useridentifier, accesstoken, refreshtoken, expirytime) VALUES (?, ?, ?, ?)`,
        [token.userId, token.accessToken, token.refreshToken ?? null, token.expiresAt],
      );
    });
  }

  async update(token: StoredToken): Promise<void> {
    const table = this.#qualifiedTable();
    const refresh = token.refreshToken === undefined ? '' : ', refreshtoken = ?';
    const values = token.refreshToken === undefined ? [] : [token.refreshToken];
    await this.#transaction('update the tokens of a user', async (conn) => {
      const [result] = await conn.execute<ResultSetHeader>(
        `UPDATE ${table} SET accesstoken = ?, expirytime = ?${refresh} WHERE useridentifier = ?`,
        [token.accessToken, token.expiresAt, ...values, token.userId],
      );
      if (result.affectedRows > 0) return;
      // affectedRows counts changed rather than matched rows on pools without FOUND_ROWS, hence NOT EXISTS.
      await conn.execute(
        `INSERT INTO ${table} (useridentifier, accesstoken, refreshtoken, expirytime) ` +
          `SELECT ?, ?, ?, ? FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM ${table} WHERE useridentifier = ?)`,
        [token.userId, token.accessToken, token.refreshToken ?? null, token.expiresAt, token.userId],
      );
    });
  }

  async delete(userId: string): Promise<void> {
    await this.#run('delete the tokens of a user', (pool) =>
      pool.execute(`DELETE FROM ${this.#qualifiedTable()} WHERE useridentifier = ?`, [userId]),
    );
  }

  async withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const name = lockName(key);
    const pool = await this.#ready();
    let conn: PoolConnection;
    try {
      conn = await pool.getConnection();
    } catch (error) {
      throw this.#storeError('take a lock', error);
    }
    let holding = false;
    try {
      let acquired: unknown;
      try {
        const [rows] = await conn.execute<RowDataPacket[]>('SELECT GET_LOCK(?, ?) AS acquired', [name, this.#lockTimeoutSeconds]);
        acquired = rows[0]?.acquired;
      } catch (error) {
        throw this.#storeError('take a lock', error);
      }
      if (Number(acquired) !== 1) {
        throw new TokenStoreError(
          `Timed out after ${this.#lockTimeoutSeconds} s waiting for the MySQL lock '${name}': another process holds it ` +
            '(probably refreshing the same token). Retry, or raise the lockTimeoutSeconds option.',
        );
      }
      holding = true;
      return await fn();
    } finally {
      if (holding && !(await this.#releaseLock(conn, name))) {
        // A session that may still hold the lock must not go back to the pool: ending it frees the lock.
        conn.destroy();
      } else {
        conn.release();
      }
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const pool = this.#pool;
    if (!this.#ownsPool || pool === undefined) return;
    try {
      await (await pool).end();
    } catch (error) {
      throw this.#storeError('close the connection pool', error);
    }
  }

  async #releaseLock(conn: PoolConnection, name: string): Promise<boolean> {
    try {
      await conn.execute('SELECT RELEASE_LOCK(?)', [name]);
      return true;
    } catch (error) {
      this.#logger.warn(`Could not release the MySQL lock '${name}' (${errorCode(error)}); closing its connection instead.`);
      return false;
    }
  }

  #qualifiedTable(): string {
    return this.#database === undefined ? `\`${this.#table}\`` : `\`${this.#database}\`.\`${this.#table}\``;
  }

  /** The pool, once the schema is in place; a failed setup is retried by the next call. */
  async #ready(): Promise<Pool> {
    if (this.#closed) throw new TokenStoreError('The MySQL token store is closed; create a new MySQLTokenStore.');
    this.#pool ??= this.#createPool();
    let pool: Pool;
    try {
      pool = await this.#pool;
    } catch (error) {
      this.#pool = undefined;
      throw error;
    }
    if (this.#options.createIfMissing === false) return pool;
    this.#schemaReady ??= this.#ensureSchema(pool).catch((error: unknown) => {
      this.#schemaReady = undefined;
      throw this.#storeError('create the token table', error);
    });
    await this.#schemaReady;
    return pool;
  }

  async #createPool(): Promise<Pool> {
    let mysql: typeof import('mysql2/promise');
    try {
      // Loaded on first use so that applications not using MySQL do not pay ~100 ms for the driver; the package
      // always runs as CommonJS (the ESM entry wraps it), so require is there.
      mysql = require('mysql2/promise') as typeof import('mysql2/promise');
    } catch (error) {
      throw new TokenStoreError('Cannot load the mysql2 driver; install it with `npm install mysql2`.', { cause: error });
    }
    const o = this.#options;
    const pool = mysql.createPool({
      host: o.host ?? DEFAULT_MYSQL_HOST,
      port: o.port ?? DEFAULT_MYSQL_PORT,
      user: o.user ?? DEFAULT_MYSQL_USER,
      password: o.password ?? '',
      connectionLimit: o.connectionLimit ?? DEFAULT_MYSQL_CONNECTION_LIMIT,
      waitForConnections: true,
      enableKeepAlive: true,
    });
    // Idle pooled sockets must not keep a script alive (0.0.x closed its connection after every query).
    const socketOf = (conn: unknown) =>
      ((conn as { connection?: { stream?: Socket } }).connection?.stream ?? (conn as { stream?: Socket }).stream);
    pool.pool.on('acquire', (conn: unknown) => socketOf(conn)?.ref());
    pool.pool.on('release', (conn: unknown) => socketOf(conn)?.unref());
    return pool;
  }

  async #ensureSchema(pool: Pool): Promise<void> {
    const database = this.#database;
    if (database !== undefined) {
      const [schemas] = await pool.execute<RowDataPacket[]>('SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [database]);
      if (schemas.length === 0) {
        const [created] = await pool.query<ResultSetHeader>(`CREATE DATABASE IF NOT EXISTS \`${database}\``);
        // A warning means another process created it in the meantime.
        if (created.warningStatus === 0) this.#logger.info(`Created the MySQL database '${database}' for OAuth tokens.`);
      }
    }
    const [tables] = await pool.execute<RowDataPacket[]>(
      'SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ?',
      [database ?? null, this.#table],
    );
    if (tables.length > 0) return;
    const [created] = await pool.query<ResultSetHeader>(
      `CREATE TABLE IF NOT EXISTS ${this.#qualifiedTable()} (` +
        'useridentifier VARCHAR(255) NOT NULL PRIMARY KEY, accesstoken VARCHAR(255), refreshtoken VARCHAR(255), expirytime BIGINT)',
    );
    if (created.warningStatus === 0) this.#logger.info(`Created the MySQL table '${database ?? '(pool database)'}.${this.#table}' for OAuth tokens.`);
  }

  async #run<T>(action: string, op: (pool: Pool) => Promise<[T, unknown]>): Promise<T> {
    const pool = await this.#ready();
    try {
      const [rows] = await op(pool);
      return rows;
    } catch (error) {
      throw this.#storeError(action, error);
    }
  }

  async #transaction(action: string, body: (conn: PoolConnection) => Promise<void>): Promise<void> {
    const pool = await this.#ready();
    for (let attempt = 1; ; attempt++) {
      let conn: PoolConnection | undefined;
      try {
        conn = await pool.getConnection();
        await conn.beginTransaction();
        await body(conn);
        await conn.commit();
        return;
      } catch (error) {
        await conn?.rollback().catch(() => undefined);
        // Concurrent delete-then-insert of one user can deadlock on InnoDB gap locks; the loser just retries.
        const retry = errorCode(error) === 'ER_LOCK_DEADLOCK' && attempt < MAX_DEADLOCK_RETRIES;
        if (!retry) throw this.#storeError(action, error);
      } finally {
        conn?.release();
      }
    }
  }

  #where(): string {
    if (!this.#ownsPool) return 'MySQL (the pool passed in the pool option)';
    const o = this.#options;
    return `MySQL at ${o.host ?? DEFAULT_MYSQL_HOST}:${o.port ?? DEFAULT_MYSQL_PORT} as '${o.user ?? DEFAULT_MYSQL_USER}'`;
  }

  /** A TokenStoreError saying what failed and what to do; driver messages are left in `cause` as they may quote values. */
  #storeError(action: string, error: unknown): TokenStoreError {
    if (error instanceof TokenStoreError) return error;
    const code = errorCode(error);
    const table = this.#database === undefined ? this.#table : `${this.#database}.${this.#table}`;
    const settings = 'set [mysql] host/port/username/password in resources/configuration.properties (or the MySQLTokenStore options)';
    let message: string;
    switch (code) {
      case 'ECONNREFUSED':
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
      case 'ETIMEDOUT':
      case 'EHOSTUNREACH':
      case 'ECONNRESET':
      case 'PROTOCOL_CONNECTION_LOST':
        message = `Cannot connect to ${this.#where()} (${code}). Start MySQL or ${settings}.`;
        break;
      case 'ER_ACCESS_DENIED_ERROR':
      case 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR':
      case 'ER_NOT_SUPPORTED_AUTH_MODE':
        message = `${this.#where()} refused the login (${code}). Check the user and password: ${settings}.`;
        break;
      case 'ER_DBACCESS_DENIED_ERROR':
      case 'ER_TABLEACCESS_DENIED_ERROR':
      case 'ER_SPECIFIC_ACCESS_DENIED_ERROR':
        message = `${this.#where()} may not ${action} in ${table} (${code}). Grant the user SELECT, INSERT, UPDATE, DELETE (and CREATE) on it, or create the table yourself.`;
        break;
      case 'ER_BAD_DB_ERROR':
      case 'ER_NO_SUCH_TABLE':
        message = `The token table ${table} does not exist on ${this.#where()} (${code}). Create it (useridentifier VARCHAR(255), accesstoken VARCHAR(255), refreshtoken VARCHAR(255), expirytime BIGINT) or set createIfMissing: true.`;
        break;
      case 'ER_BAD_FIELD_ERROR':
        message = `The token table ${table} lacks a column the SDK needs (${code}): it must have useridentifier, accesstoken, refreshtoken and expirytime.`;
        break;
      case 'ER_NO_DB_ERROR':
        message = `The pool passed in the pool option has no default database (${code}); set the database option.`;
        break;
      case 'ER_DATA_TOO_LONG':
        message = `A token is longer than its column in ${table} (${code}); widen accesstoken/refreshtoken, e.g. VARCHAR(1024).`;
        break;
      default:
        message = `Could not ${action} in ${table} on ${this.#where()} (${code ?? 'unknown error'}); see error.cause.`;
    }
    return new TokenStoreError(message, { cause: error });
  }
}

function checkIdentifier(value: string, option: string): void {
  if (!IDENTIFIER.test(value)) {
    throw new ConfigError(`MySQL ${option} name '${value}' may only contain letters, digits and _.`, { option });
  }
}

/** The server-wide lock name for `key`: prefixed, and hashed when it would exceed MySQL's 64 characters. */
function lockName(key: string): string {
  const name = LOCK_PREFIX + key;
  if (name.length <= MAX_LOCK_NAME_LENGTH) return name;
  return LOCK_PREFIX + createHash('sha256').update(key).digest('hex').slice(0, MAX_LOCK_NAME_LENGTH - LOCK_PREFIX.length);
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
