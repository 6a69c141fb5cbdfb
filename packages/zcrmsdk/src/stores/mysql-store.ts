/**
 * The MySQL/MariaDB token store, zcrmsdk 0.0.x's default: same database and table (`zohooauth.oauthtokens`),
 * but pooled, parameterised, per-user correct and able to lock across processes.
 */
import type { Socket } from 'node:net';
import { createHash } from 'node:crypto';
import type { Pool, PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { ConfigError, InvalidInputError, TokenStoreError } from '../errors.js';
import { safeLogger, silentLogger, type Logger } from '../logger.js';
import { TokenCodec, type EncryptionOptions } from './codec.js';
import { DEFAULT_STORE_TIMEOUT_MS, msOption, pause, withDeadline } from './deadline.js';
import { requireMysql2 } from './drivers.js';
import { watchSession } from './lock.js';
import type { HeldLock, LockOptions, StoredToken, TokenStore } from './token-store.js';

export const DEFAULT_MYSQL_HOST = 'localhost';
export const DEFAULT_MYSQL_PORT = 3306;
export const DEFAULT_MYSQL_USER = 'root';
export const DEFAULT_MYSQL_DATABASE = 'zohooauth';
export const DEFAULT_MYSQL_TABLE = 'oauthtokens';
export const DEFAULT_MYSQL_CONNECTION_LIMIT = 10;
export const DEFAULT_MYSQL_LOCK_TIMEOUT_SECONDS = 10;

/** Options of {@link MySQLTokenStore}. */
export interface MySQLTokenStoreOptions extends EncryptionOptions {
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
  /**
   * Deadline of each store operation, ms (a stalled connection is closed and the call fails with a
   * TokenStoreError). @default DEFAULT_STORE_TIMEOUT_MS (10 s)
   */
  timeoutMs?: number;
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

interface TokenRowPacket extends RowDataPacket {
  accesstoken: string | null;
  refreshtoken: string | null;
  expirytime: number | string | null;
  apidomain?: string | null;
}

/** What the store learnt about the table once: how to match a user exactly, and what fits in it. */
interface TableShape {
  /** A WHERE clause with one `?` that matches the user id byte for byte, whatever the column's collation. */
  match: string;
  hasApiDomain: boolean;
  /** useridentifier's maximum length and its unit, when known. */
  userIdMax: { length: number; unit: 'characters' | 'bytes' } | undefined;
}

// The column's collation may ignore case, accents and trailing spaces (zcrmsdk 0.0.x tables): compare bytes.
const EXACT_MATCH = 'CAST(CONVERT(useridentifier USING utf8mb4) AS BINARY) = CAST(CONVERT(? USING utf8mb4) AS BINARY)';
const INDEXED_MATCH = 'useridentifier = ?';
const EXACT_COLLATION = /(_nopad_bin|_0900_bin)$/;

/** A {@link TokenStore} in a MySQL or MariaDB table `oauthtokens(useridentifier, accesstoken, refreshtoken, expirytime)`. */
export class MySQLTokenStore implements TokenStore {
  readonly #options: MySQLTokenStoreOptions;
  readonly #ownsPool: boolean;
  readonly #logger: Logger;
  readonly #database: string | undefined;
  readonly #table: string;
  readonly #lockTimeoutSeconds: number;
  readonly #timeoutMs: number;
  readonly #codec: TokenCodec;
  #pool: Promise<Pool> | undefined;
  #schemaReady: Promise<TableShape> | undefined;
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
    this.#timeoutMs = msOption(options.timeoutMs, DEFAULT_STORE_TIMEOUT_MS, 'MySQLTokenStore', 'timeoutMs');
    this.#codec = new TokenCodec(options, 'MySQL token table', this.#table);
    if (options.pool) this.#pool = Promise.resolve(options.pool);
  }

  async get(userId: string): Promise<StoredToken | null> {
    // Legacy tables may hold several rows for a user; the latest expiry is the newest token.
    const rows = await this.#op('read the tokens of a user', userId, async (conn, shape) => {
      const domain = shape.hasApiDomain ? ', apidomain' : '';
      const [result] = await conn.execute<TokenRowPacket[]>(
        `SELECT accesstoken, refreshtoken, expirytime${domain} FROM ${this.#qualifiedTable()} WHERE ${shape.match} ORDER BY expirytime DESC LIMIT 1`,
        [userId],
      );
      return result;
    });
    return this.#codec.decode(rows[0], userId);
  }

  async save(token: StoredToken): Promise<void> {
    await this.#transaction('save the tokens of a user', token.userId, async (conn, shape) => {
      await conn.execute(`DELETE FROM ${this.#qualifiedTable()} WHERE ${shape.match}`, [token.userId]);
      const { columns, values } = this.#rowOf(token, shape);
      await conn.execute(`INSERT INTO ${this.#qualifiedTable()} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`, values);
    });
  }

  async update(token: StoredToken): Promise<void> {
    const table = this.#qualifiedTable();
    await this.#transaction('update the tokens of a user', token.userId, async (conn, shape) => {
      const row = this.#codec.encode(token);
      const sets = ['accesstoken = ?', 'expirytime = ?'];
      const values: (string | number | null)[] = [row.accesstoken, row.expirytime];
      if (token.refreshToken !== undefined) {
        sets.push('refreshtoken = ?');
        values.push(row.refreshtoken);
      }
      if (shape.hasApiDomain && token.apiDomain !== undefined) {
        sets.push('apidomain = ?');
        values.push(row.apidomain);
      }
      const [result] = await conn.execute<ResultSetHeader>(`UPDATE ${table} SET ${sets.join(', ')} WHERE ${shape.match}`, [...values, token.userId]);
      if (result.affectedRows > 0) return;
      // affectedRows counts changed rather than matched rows on pools without FOUND_ROWS, hence NOT EXISTS.
      const insert = this.#rowOf(token, shape);
      await conn.execute(
        `INSERT INTO ${table} (${insert.columns.join(', ')}) ` +
          `SELECT ${insert.columns.map(() => '?').join(', ')} FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM ${table} WHERE ${shape.match})`,
        [...insert.values, token.userId],
      );
    });
  }

  async delete(userId: string): Promise<void> {
    await this.#op('delete the tokens of a user', userId, (conn, shape) =>
      conn.execute(`DELETE FROM ${this.#qualifiedTable()} WHERE ${shape.match}`, [userId]),
    );
  }

  async withLock<T>(key: string, fn: (lock: HeldLock) => Promise<T>, options: LockOptions = {}): Promise<T> {
    const name = lockName(key);
    const signal = options.signal;
    const conn = await this.#op('take a lock', undefined, async (c) => c, { keep: true });
    // GET_LOCK lives as long as this session: a session that drops has freed it, and must not go back to the pool.
    const session = watchSession(conn);
    let holding = false;
    let broken = false;
    try {
      let acquired: unknown;
      // GET_LOCK waits on the server; an abort closes the session, which ends the wait.
      const onAbort = () => {
        broken = true;
        conn.destroy();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        if (signal?.aborted) onAbort();
        const [rows] = await conn.execute<RowDataPacket[]>('SELECT GET_LOCK(?, ?) AS acquired', [name, this.#lockTimeoutSeconds]);
        acquired = rows[0]?.acquired;
      } catch (error) {
        if (signal?.aborted) throw new TokenStoreError(`Gave up waiting for the MySQL lock '${name}': the refresh deadline passed.`, { cause: error });
        throw this.#storeError('take a lock', error);
      } finally {
        signal?.removeEventListener('abort', onAbort);
      }
      if (Number(acquired) !== 1) {
        throw new TokenStoreError(
          `Timed out after ${this.#lockTimeoutSeconds} s waiting for the MySQL lock '${name}': another process holds it ` +
            '(probably refreshing the same token). Retry, or raise the lockTimeoutSeconds option.',
        );
      }
      holding = true;
      return await fn(session.lock);
    } finally {
      session.stop();
      if (broken) {
        // Already closed.
      } else if (session.lost() !== undefined || (holding && !(await this.#releaseLock(conn, name)))) {
        // A session that dropped, or that may still hold the lock, must not go back to the pool: ending it frees the lock.
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
      await withDeadline(conn.execute('SELECT RELEASE_LOCK(?)', [name]), this.#timeoutMs, () => new Error('RELEASE_LOCK timed out'));
      return true;
    } catch (error) {
      this.#logger.warn(`Could not release the MySQL lock '${name}' (${errorCode(error)}); closing its connection instead.`);
      return false;
    }
  }

  #qualifiedTable(): string {
    return this.#database === undefined ? `\`${this.#table}\`` : `\`${this.#database}\`.\`${this.#table}\``;
  }

  /** The pool; created on first use. */
  async #ready(): Promise<Pool> {
    if (this.#closed) throw new TokenStoreError('The MySQL token store is closed; create a new MySQLTokenStore.');
    this.#pool ??= this.#createPool();
    try {
      return await this.#pool;
    } catch (error) {
      this.#pool = undefined;
      throw error;
    }
  }

  /** The table's shape, creating it first when allowed; a failed setup is retried by the next call. */
  #shape(conn: PoolConnection): Promise<TableShape> {
    this.#schemaReady ??= this.#ensureSchema(conn).catch((error: unknown) => {
      this.#schemaReady = undefined;
      throw this.#storeError('create the token table', error);
    });
    return this.#schemaReady;
  }

  /**
   * Runs `body` on a pooled connection under the store's deadline. When the deadline passes, the connection
   * (maybe stalled mid-reply) is destroyed rather than returned to the pool, so the next call gets a fresh one.
   */
  async #op<T>(
    action: string,
    userId: string | undefined,
    body: (conn: PoolConnection, shape: TableShape) => Promise<T>,
    options: { keep?: boolean } = {},
  ): Promise<T> {
    const pool = await this.#ready();
    let conn: PoolConnection | undefined;
    let expired = false;
    const work = (async () => {
      try {
        conn = await pool.getConnection();
      } catch (error) {
        throw this.#storeError(action, error);
      }
      if (expired) {
        conn.destroy();
        throw new TokenStoreError('expired');
      }
      let ok = false;
      try {
        const shape = options.keep ? NO_SHAPE : await this.#shape(conn);
        if (userId !== undefined) this.#checkUserId(userId, shape);
        const result = await body(conn, shape);
        ok = true;
        return result;
      } catch (error) {
        throw this.#storeError(action, error);
      } finally {
        if (!expired && !(ok && options.keep)) conn.release();
      }
    })();
    return withDeadline(
      work,
      this.#timeoutMs,
      () =>
        new TokenStoreError(
          `${this.#where()} did not answer within ${this.#timeoutMs} ms when asked to ${action} (timeoutMs); the connection was closed. Check that MySQL is up and reachable.`,
        ),
      () => {
        expired = true;
        if (this.#schemaReady && conn) this.#schemaReady = undefined;
        conn?.destroy();
      },
    );
  }

  #checkUserId(userId: string, shape: TableShape): void {
    const max = shape.userIdMax;
    if (!max) return;
    const length = max.unit === 'bytes' ? Buffer.byteLength(userId, 'utf8') : [...userId].length;
    if (length > max.length) {
      throw new InvalidInputError(
        `The user id is ${length} ${max.unit} long, more than the ${max.length} ${max.unit} the useridentifier column of ${this.#tableLabel()} holds. Use a shorter user id, or widen useridentifier.`,
      );
    }
  }

  #rowOf(token: StoredToken, shape: TableShape): { columns: string[]; values: (string | number | null)[] } {
    const row = this.#codec.encode(token);
    const columns = ['useridentifier', 'accesstoken', 'refreshtoken', 'expirytime'];
    const values: (string | number | null)[] = [token.userId, row.accesstoken, row.refreshtoken, row.expirytime];
    if (shape.hasApiDomain) {
      columns.push('apidomain');
      values.push(row.apidomain);
    }
    return { columns, values };
  }

  async #createPool(): Promise<Pool> {
    // Loaded on first use so that applications not using MySQL do not pay ~100 ms for the driver.
    const mysql = requireMysql2('MySQLTokenStore');
    const o = this.#options;
    const pool = mysql.createPool({
      host: o.host ?? DEFAULT_MYSQL_HOST,
      port: o.port ?? DEFAULT_MYSQL_PORT,
      user: o.user ?? DEFAULT_MYSQL_USER,
      password: o.password ?? '',
      connectionLimit: o.connectionLimit ?? DEFAULT_MYSQL_CONNECTION_LIMIT,
      waitForConnections: true,
      enableKeepAlive: true,
      connectTimeout: this.#timeoutMs,
    });
    // Idle pooled sockets must not keep a script alive (0.0.x closed its connection after every query).
    const socketOf = (conn: unknown) =>
      ((conn as { connection?: { stream?: Socket } }).connection?.stream ?? (conn as { stream?: Socket }).stream);
    pool.pool.on('acquire', (conn: unknown) => socketOf(conn)?.ref());
    pool.pool.on('release', (conn: unknown) => socketOf(conn)?.unref());
    return pool;
  }

  async #ensureSchema(conn: PoolConnection): Promise<TableShape> {
    const database = this.#database;
    const create = this.#options.createIfMissing !== false;
    if (create && database !== undefined) {
      const [schemas] = await conn.execute<RowDataPacket[]>('SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [database]);
      if (schemas.length === 0) {
        const [created] = await conn.query<ResultSetHeader>(`CREATE DATABASE IF NOT EXISTS \`${database}\``);
        // A warning means another process created it in the meantime.
        if (created.warningStatus === 0) this.#logger.info(`Created the MySQL database '${database}' for OAuth tokens.`);
      }
    }
    let columns = await this.#columns(conn);
    if (columns.length === 0 && create) {
      // Byte-exact, no-pad user ids, so 'ALICE@x', 'alice@x' and 'alice@x ' are three users.
      const [collations] = await conn.execute<RowDataPacket[]>(
        "SELECT COLLATION_NAME AS name FROM information_schema.COLLATIONS WHERE COLLATION_NAME IN ('utf8mb4_nopad_bin', 'utf8mb4_0900_bin')",
      );
      const collation = collations[0]?.name as string | undefined;
      const userColumn = collation ? `VARCHAR(255) CHARACTER SET utf8mb4 COLLATE ${collation}` : 'VARBINARY(255)';
      const [created] = await conn.query<ResultSetHeader>(
        `CREATE TABLE IF NOT EXISTS ${this.#qualifiedTable()} (` +
          `useridentifier ${userColumn} NOT NULL PRIMARY KEY, accesstoken VARCHAR(1024), refreshtoken VARCHAR(1024), expirytime BIGINT, apidomain VARCHAR(255))`,
      );
      if (created.warningStatus === 0) this.#logger.info(`Created the MySQL table '${database ?? '(pool database)'}.${this.#table}' for OAuth tokens.`);
      columns = await this.#columns(conn);
    }
    if (columns.length === 0) throw Object.assign(new Error(`Table ${this.#tableLabel()} doesn't exist`), { code: 'ER_NO_SUCH_TABLE' });
    const user = columns.find((c) => String(c.name).toLowerCase() === 'useridentifier');
    const type = String(user?.type ?? '').toLowerCase();
    const binaryType = type === 'varbinary' || type === 'binary';
    const exact = binaryType || EXACT_COLLATION.test(String(user?.collation ?? ''));
    const max = Number(user?.max);
    return {
      match: exact ? INDEXED_MATCH : EXACT_MATCH,
      hasApiDomain: columns.some((c) => String(c.name).toLowerCase() === 'apidomain'),
      userIdMax: Number.isFinite(max) && max > 0 ? { length: max, unit: binaryType ? 'bytes' : 'characters' } : undefined,
    };
  }

  async #columns(conn: PoolConnection): Promise<RowDataPacket[]> {
    const [columns] = await conn.execute<RowDataPacket[]>(
      'SELECT COLUMN_NAME AS name, DATA_TYPE AS type, COLLATION_NAME AS collation, CHARACTER_MAXIMUM_LENGTH AS max FROM information_schema.COLUMNS ' +
        'WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ?',
      [this.#database ?? null, this.#table],
    );
    return columns;
  }

  async #transaction(action: string, userId: string, body: (conn: PoolConnection, shape: TableShape) => Promise<void>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#op(action, userId, async (conn, shape) => {
          await conn.beginTransaction();
          try {
            await body(conn, shape);
            await conn.commit();
          } catch (error) {
            await conn.rollback().catch(() => undefined);
            throw error;
          }
        });
        return;
      } catch (error) {
        // Concurrent delete-then-insert of one user can deadlock on InnoDB gap locks; the loser just retries.
        const retry = errorCode((error as { cause?: unknown }).cause) === 'ER_LOCK_DEADLOCK' && attempt < MAX_DEADLOCK_RETRIES;
        if (!retry) throw error;
        await pause(10 * attempt);
      }
    }
  }

  #tableLabel(): string {
    return this.#database === undefined ? this.#table : `${this.#database}.${this.#table}`;
  }

  #where(): string {
    if (!this.#ownsPool) return 'MySQL (the pool passed in the pool option)';
    const o = this.#options;
    return `MySQL at ${o.host ?? DEFAULT_MYSQL_HOST}:${o.port ?? DEFAULT_MYSQL_PORT} as '${o.user ?? DEFAULT_MYSQL_USER}'`;
  }

  /** A TokenStoreError saying what failed and what to do; driver messages are left in `cause` as they may quote values. */
  #storeError(action: string, error: unknown): TokenStoreError {
    if (error instanceof TokenStoreError || error instanceof InvalidInputError) return error;
    const code = errorCode(error);
    const table = this.#tableLabel();
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
        message = `The token table ${table} lacks a column the SDK needs (${code}): it must have useridentifier, accesstoken, refreshtoken and expirytime (apidomain is optional).`;
        break;
      case 'ER_NO_DB_ERROR':
        message = `The pool passed in the pool option has no default database (${code}); set the database option.`;
        break;
      case 'ER_DATA_TOO_LONG': {
        const column = /column '([^']+)'/.exec(String((error as { sqlMessage?: unknown }).sqlMessage ?? ''))?.[1];
        message =
          column?.toLowerCase() === 'useridentifier'
            ? `The user id is longer than the useridentifier column of ${table} holds (${code}). Use a shorter user id, or widen useridentifier.`
            : `A token is longer than the ${column ?? 'token'} column of ${table} (${code}); widen accesstoken/refreshtoken, e.g. VARCHAR(1024)` +
              (this.#options.encryptionKey === undefined ? '.' : ' (encrypted tokens take about twice the space).');
        break;
      }
      case 'ER_DUP_ENTRY':
        message = `The useridentifier column of ${table} has a unique key that ignores case, accents or trailing spaces, so two distinct user ids collide (${code}). Make it exact: ALTER TABLE ${table} MODIFY useridentifier VARBINARY(255) NOT NULL.`;
        break;
      default:
        message = `Could not ${action} in ${table} on ${this.#where()} (${code ?? 'unknown error'}); see error.cause.`;
    }
    return new TokenStoreError(message, { cause: error });
  }
}

const NO_SHAPE: TableShape = { match: EXACT_MATCH, hasApiDomain: false, userIdMax: undefined };

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
