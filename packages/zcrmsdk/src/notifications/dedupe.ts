/**
 * Where a notification receiver remembers the deliveries it has handled, so a delivery Zoho (or a proxy)
 * sends twice reaches `onEvent` once: in memory for one process, or in Redis / SQL for several processes.
 * Every store claims a key atomically (Redis `SET NX PX`, SQL insert on a unique key) and forgets it after a TTL.
 */
import type { Pool, ResultSetHeader } from 'mysql2/promise';
import { ConfigError, TokenStoreError } from '../errors.js';
import { DEFAULT_STORE_TIMEOUT_MS, msOption, withDeadline } from '../stores/deadline.js';
import { requireMysql2, requirePg } from '../stores/drivers.js';
import type { PgPoolLike } from '../stores/postgres-store.js';
import { DEFAULT_REDIS_PREFIX, redisClient, type RedisClientLike, type RedisConnectionOptions } from '../stores/redis-client.js';

/** How long a handled delivery is remembered, ms. */
export const DEFAULT_DEDUPE_TTL_MS = 24 * 60 * 60 * 1000;
/** The SQL table of handled deliveries. */
export const DEFAULT_DEDUPE_TABLE = 'zcrmsdk_notification_deliveries';
/** How many entries the in-memory store keeps at most (oldest forgotten first). */
export const DEFAULT_MEMORY_DEDUPE_MAX_ENTRIES = 100_000;

/** What a receiver's dedupe store must do. */
export interface DedupeStore {
  /**
   * Records `key` for `ttlMs` and resolves true, or resolves false when the key is already recorded (by this
   * or another process) and has not expired.
   */
  claim(key: string, ttlMs: number): Promise<boolean>;
  /** Releases connections the store opened. */
  close?(): Promise<void>;
}

/** Options of {@link MemoryDedupeStore}. */
export interface MemoryDedupeStoreOptions {
  /** Entries kept at most; the oldest is forgotten first. @default DEFAULT_MEMORY_DEDUPE_MAX_ENTRIES (100,000) */
  maxEntries?: number;
  /** The clock, epoch ms. @default Date.now */
  now?: () => number;
}

/** Remembers deliveries in this process only (the default). */
export class MemoryDedupeStore implements DedupeStore {
  readonly #seen = new Map<string, number>();
  readonly #max: number;
  readonly #now: () => number;

  constructor(options: MemoryDedupeStoreOptions = {}) {
    this.#max = options.maxEntries ?? DEFAULT_MEMORY_DEDUPE_MAX_ENTRIES;
    if (!Number.isInteger(this.#max) || this.#max < 1) {
      throw new ConfigError(`MemoryDedupeStore option 'maxEntries' must be a positive integer (got ${String(options.maxEntries)}).`, { option: 'maxEntries' });
    }
    this.#now = options.now ?? Date.now;
  }

  async claim(key: string, ttlMs: number): Promise<boolean> {
    const now = this.#now();
    const until = this.#seen.get(key);
    if (until !== undefined && until > now) return false;
    this.#seen.delete(key);
    this.#seen.set(key, now + ttlMs);
    while (this.#seen.size > this.#max) this.#seen.delete(this.#seen.keys().next().value as string);
    return true;
  }
}

/** Options of {@link RedisDedupeStore}. */
export interface RedisDedupeStoreOptions extends RedisConnectionOptions {
  /** Deadline of each Redis command, ms. @default DEFAULT_STORE_TIMEOUT_MS (10 s) */
  timeoutMs?: number;
}

const CLAIM_SCRIPT = "return redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) and 1 or 0";

/** Remembers deliveries in Redis (ioredis, an optional peer), shared by every receiver process using it. */
export class RedisDedupeStore implements DedupeStore {
  readonly #client: RedisClientLike;
  readonly #owned: boolean;
  readonly #prefix: string;
  readonly #timeoutMs: number;

  constructor(options: RedisDedupeStoreOptions) {
    this.#timeoutMs = msOption(options?.timeoutMs, DEFAULT_STORE_TIMEOUT_MS, 'RedisDedupeStore', 'timeoutMs');
    const { client, owned } = redisClient(options, 'RedisDedupeStore', this.#timeoutMs);
    this.#client = client;
    this.#owned = owned;
    this.#prefix = `${options.prefix ?? DEFAULT_REDIS_PREFIX}notification:`;
  }

  async claim(key: string, ttlMs: number): Promise<boolean> {
    const reply = await withDeadline(
      this.#client.eval(CLAIM_SCRIPT, 1, this.#prefix + key, Math.max(1, Math.ceil(ttlMs))),
      this.#timeoutMs,
      () => new TokenStoreError(`RedisDedupeStore: Redis did not answer within ${this.#timeoutMs} ms; check the server.`),
    ).catch((cause: unknown) => {
      if (cause instanceof TokenStoreError) throw cause;
      throw new TokenStoreError('RedisDedupeStore could not record a delivery; check that Redis is reachable.', { cause });
    });
    return Number(reply) === 1;
  }

  async close(): Promise<void> {
    if (this.#owned) await this.#client.quit();
  }
}

/** Options shared by the SQL dedupe stores. */
export interface SqlDedupeStoreOptions {
  /** Table of handled deliveries (letters, digits, _), created when missing. @default DEFAULT_DEDUPE_TABLE */
  table?: string;
  /** The clock, epoch ms (expiry of entries). @default Date.now */
  now?: () => number;
}

/** Options of {@link MySQLDedupeStore}. */
export interface MySQLDedupeStoreOptions extends SqlDedupeStoreOptions {
  /** An existing `mysql2/promise` pool (e.g. the one your MySQLTokenStore uses); `close()` leaves it open. */
  pool?: Pool;
  /** `mysql://user:password@host:3306/database`, used when no `pool` is given. The password is never logged. */
  uri?: string;
}

/** Options of {@link PostgresDedupeStore}. */
export interface PostgresDedupeStoreOptions extends SqlDedupeStoreOptions {
  /** An existing `pg` Pool; `close()` leaves it open. */
  pool?: PgPoolLike;
  /** `postgres://user:password@host:5432/database`, used when no `pool` is given. The password is never logged. */
  connectionString?: string;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

function tableOption(table: string | undefined, owner: string): string {
  const name = table ?? DEFAULT_DEDUPE_TABLE;
  if (typeof name !== 'string' || !IDENTIFIER.test(name)) {
    throw new ConfigError(`${owner} option 'table' must be letters, digits and _ (got ${JSON.stringify(name)}).`, { option: 'table' });
  }
  return name;
}

function sqlError(owner: string, cause: unknown): TokenStoreError {
  return new TokenStoreError(`${owner} could not record a delivery; check the database connection and the table's permissions.`, { cause });
}

/** Remembers deliveries in a MySQL/MariaDB table (mysql2, an optional peer), keyed by a unique delivery key. */
export class MySQLDedupeStore implements DedupeStore {
  readonly #table: string;
  readonly #now: () => number;
  readonly #owned: boolean;
  readonly #pool: Pool;
  #ready: Promise<void> | undefined;

  constructor(options: MySQLDedupeStoreOptions) {
    this.#table = tableOption(options?.table, 'MySQLDedupeStore');
    this.#now = options.now ?? Date.now;
    if (options.pool !== undefined) {
      this.#pool = options.pool;
      this.#owned = false;
    } else if (typeof options.uri === 'string') {
      const mysql = requireMysql2('MySQLDedupeStore');
      this.#pool = mysql.createPool({ uri: options.uri, connectionLimit: 4 });
      this.#owned = true;
    } else {
      throw new ConfigError("MySQLDedupeStore needs { pool } (a mysql2/promise pool) or { uri: 'mysql://root@127.0.0.1:3306/app' }.", { option: 'uri' });
    }
  }

  async claim(key: string, ttlMs: number): Promise<boolean> {
    try {
      this.#ready ??= this.#pool
        .query(`CREATE TABLE IF NOT EXISTS \`${this.#table}\` (delivery_key CHAR(64) NOT NULL PRIMARY KEY, expires_at BIGINT NOT NULL)`)
        .then(() => undefined);
      await this.#ready;
      const now = this.#now();
      await this.#pool.query(`DELETE FROM \`${this.#table}\` WHERE delivery_key = ? AND expires_at <= ?`, [key, now]);
      const [result] = await this.#pool.query<ResultSetHeader>(`INSERT IGNORE INTO \`${this.#table}\` (delivery_key, expires_at) VALUES (?, ?)`, [key, now + ttlMs]);
      return result.affectedRows === 1;
    } catch (cause) {
      this.#ready = undefined;
      throw sqlError('MySQLDedupeStore', cause);
    }
  }

  async close(): Promise<void> {
    if (this.#owned) await this.#pool.end();
  }
}

/** Remembers deliveries in a PostgreSQL table (pg, an optional peer), keyed by a unique delivery key. */
export class PostgresDedupeStore implements DedupeStore {
  readonly #table: string;
  readonly #now: () => number;
  readonly #owned: boolean;
  readonly #pool: PgPoolLike;
  #ready: Promise<void> | undefined;

  constructor(options: PostgresDedupeStoreOptions) {
    this.#table = tableOption(options?.table, 'PostgresDedupeStore');
    this.#now = options.now ?? Date.now;
    if (options.pool !== undefined) {
      this.#pool = options.pool;
      this.#owned = false;
    } else if (typeof options.connectionString === 'string') {
      const pg = requirePg<{ Pool: new (config: Record<string, unknown>) => PgPoolLike & { on(event: 'error', fn: (e: Error) => void): void } }>('PostgresDedupeStore');
      const pool = new pg.Pool({ connectionString: options.connectionString, max: 4 });
      pool.on('error', () => undefined);
      this.#pool = pool;
      this.#owned = true;
    } else {
      throw new ConfigError("PostgresDedupeStore needs { pool } (a pg Pool) or { connectionString: 'postgres://postgres@127.0.0.1:5432/app' }.", {
        option: 'connectionString',
      });
    }
  }

  async claim(key: string, ttlMs: number): Promise<boolean> {
    const client = await this.#pool.connect().catch((cause: unknown) => Promise.reject(sqlError('PostgresDedupeStore', cause)));
    try {
      this.#ready ??= client
        .query(`CREATE TABLE IF NOT EXISTS "${this.#table}" (delivery_key text PRIMARY KEY, expires_at bigint NOT NULL)`)
        .then(() => undefined);
      await this.#ready;
      const now = this.#now();
      // One statement: take a free or expired key, leave a live one alone.
      const result = await client.query(
        `INSERT INTO "${this.#table}" (delivery_key, expires_at) VALUES ($1, $2)
         ON CONFLICT (delivery_key) DO UPDATE SET expires_at = EXCLUDED.expires_at WHERE "${this.#table}".expires_at <= $3`,
        [key, now + ttlMs, now],
      );
      return result.rowCount === 1;
    } catch (cause) {
      this.#ready = undefined;
      throw sqlError('PostgresDedupeStore', cause);
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    if (this.#owned) await this.#pool.end();
  }
}
