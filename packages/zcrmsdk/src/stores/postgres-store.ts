/**
 * The PostgreSQL token store on `pg` (an optional peer dependency, loaded on first use): one row per user in
 * `oauthtokens`, created if missing; refreshes serialised across processes with advisory locks.
 */
import { ConfigError, TokenStoreError } from '../errors.js';
import { TokenCodec, type EncryptionOptions, type TokenRow } from './codec.js';
import { DEFAULT_STORE_TIMEOUT_MS, msOption, withDeadline } from './deadline.js';
import { requirePg } from './drivers.js';
import { DEFAULT_LOCK_TIMEOUT_MS, acquireByPolling, keyDigest, watchSession, type SessionEvents, type WatchedSession } from './lock.js';
import type { HeldLock, LockOptions, StoredToken, TokenStore } from './token-store.js';

export const DEFAULT_POSTGRES_TABLE = 'oauthtokens';
export const DEFAULT_POSTGRES_CONNECTION_LIMIT = 10;

/** The part of a `pg` client the store uses (so this package's types do not need `@types/pg`). */
export interface PgClientLike extends Partial<SessionEvents> {
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[]; rowCount: number | null }>;
  release(destroy?: boolean | Error): void;
}

/** A client checked out of the pool by the store: released once, and watched for a connection that drops. */
interface CheckedOut extends PgClientLike {
  readonly session: WatchedSession;
}

/** The part of a `pg` Pool the store uses. */
export interface PgPoolLike {
  connect(): Promise<PgClientLike>;
  end(): Promise<void>;
}

/** Options of {@link PostgresTokenStore}. */
export interface PostgresTokenStoreOptions extends EncryptionOptions {
  /** `postgres://user:password@host:port/database`. Required unless `pool` is given. The password is never logged. */
  connectionString?: string;
  /** An existing `pg` Pool to use instead; `close()` then leaves it open. @default the store creates its own */
  pool?: PgPoolLike;
  /** Table name (letters, digits, _). @default 'oauthtokens' */
  table?: string;
  /** Schema of the table. @default the connection's search_path (usually public) */
  schema?: string;
  /** Create the table when it is missing. @default true */
  createIfMissing?: boolean;
  /** Pool size when the store creates the pool; at least 2 (a lock holds one connection). @default 10 */
  connectionLimit?: number;
  /** Deadline of each store operation, ms; a stalled connection is destroyed. @default DEFAULT_STORE_TIMEOUT_MS (10 s) */
  timeoutMs?: number;
  /** How long `withLock` waits for another process's advisory lock, ms. @default DEFAULT_LOCK_TIMEOUT_MS (20 s) */
  lockTimeoutMs?: number;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const STORE = 'PostgresTokenStore';

/** A {@link TokenStore} in a PostgreSQL table `oauthtokens(useridentifier text primary key, ...)`. */
export class PostgresTokenStore implements TokenStore {
  readonly #options: PostgresTokenStoreOptions;
  readonly #ownsPool: boolean;
  readonly #table: string;
  readonly #timeoutMs: number;
  readonly #lockTimeoutMs: number;
  readonly #codec: TokenCodec;
  #pool: PgPoolLike | undefined;
  #schemaReady: Promise<void> | undefined;
  #closed = false;

  constructor(options: PostgresTokenStoreOptions) {
    if (!options || typeof options !== 'object' || (options.pool === undefined && typeof options.connectionString !== 'string')) {
      throw new ConfigError(`${STORE} needs { connectionString: 'postgres://user@host:5432/db' } or { pool }.`, { option: 'connectionString' });
    }
    this.#options = options;
    this.#ownsPool = options.pool === undefined;
    const table = options.table ?? DEFAULT_POSTGRES_TABLE;
    checkIdentifier(table, 'table');
    if (options.schema !== undefined) checkIdentifier(options.schema, 'schema');
    this.#table = options.schema === undefined ? `"${table}"` : `"${options.schema}"."${table}"`;
    this.#timeoutMs = msOption(options.timeoutMs, DEFAULT_STORE_TIMEOUT_MS, STORE, 'timeoutMs');
    this.#lockTimeoutMs = msOption(options.lockTimeoutMs, DEFAULT_LOCK_TIMEOUT_MS, STORE, 'lockTimeoutMs');
    const limit = options.connectionLimit ?? DEFAULT_POSTGRES_CONNECTION_LIMIT;
    if (!Number.isInteger(limit) || limit < 2) {
      throw new ConfigError(`${STORE} connectionLimit must be an integer of at least 2 (got ${limit}): withLock holds one connection while the refresh uses another.`, {
        option: 'connectionLimit',
      });
    }
    this.#codec = new TokenCodec(options, 'PostgreSQL token table', table);
    this.#pool = options.pool;
  }

  async get(userId: string): Promise<StoredToken | null> {
    const { rows } = await this.#op('read the tokens of a user', (c) =>
      c.query(`SELECT accesstoken, refreshtoken, expirytime, apidomain FROM ${this.#table} WHERE useridentifier = $1`, [userId]),
    );
    return this.#codec.decode(rows[0] as unknown as TokenRow | undefined, userId);
  }

  async save(token: StoredToken): Promise<void> {
    const row = this.#codec.encode(token);
    await this.#op('save the tokens of a user', (c) =>
      c.query(
        `INSERT INTO ${this.#table} (useridentifier, accesstoken, refreshtoken, expirytime, apidomain) VALUES ($1, $2, $3, $4, $5) ` +
          'ON CONFLICT (useridentifier) DO UPDATE SET accesstoken = EXCLUDED.accesstoken, refreshtoken = EXCLUDED.refreshtoken, ' +
          'expirytime = EXCLUDED.expirytime, apidomain = EXCLUDED.apidomain',
        [token.userId, row.accesstoken, row.refreshtoken, row.expirytime, row.apidomain],
      ),
    );
  }

  async update(token: StoredToken): Promise<void> {
    const row = this.#codec.encode(token);
    // A refresh reply carries no refresh token or domain: keep the stored ones.
    await this.#op('update the tokens of a user', (c) =>
      c.query(
        `INSERT INTO ${this.#table} AS t (useridentifier, accesstoken, refreshtoken, expirytime, apidomain) VALUES ($1, $2, $3, $4, $5) ` +
          'ON CONFLICT (useridentifier) DO UPDATE SET accesstoken = EXCLUDED.accesstoken, refreshtoken = COALESCE(EXCLUDED.refreshtoken, t.refreshtoken), ' +
          'expirytime = EXCLUDED.expirytime, apidomain = COALESCE(EXCLUDED.apidomain, t.apidomain)',
        [token.userId, row.accesstoken, row.refreshtoken, row.expirytime, row.apidomain],
      ),
    );
  }

  async delete(userId: string): Promise<void> {
    await this.#op('delete the tokens of a user', (c) => c.query(`DELETE FROM ${this.#table} WHERE useridentifier = $1`, [userId]));
  }

  /** A session-level advisory lock: the server frees it when the holder's connection ends (a killed process). */
  async withLock<T>(key: string, fn: (lock: HeldLock) => Promise<T>, options: LockOptions = {}): Promise<T> {
    const id = advisoryKey(key);
    const client = await this.#op('take a lock', async (c) => c, { keep: true });
    try {
      await acquireByPolling(
        async () => {
          const { rows } = await this.#timed('take a lock', client, () => client.query('SELECT pg_try_advisory_lock($1::bigint) AS ok', [id]));
          return rows[0]?.ok === true;
        },
        { timeoutMs: this.#lockTimeoutMs, signal: options.signal, what: `the PostgreSQL advisory lock for '${key}'`, option: 'lockTimeoutMs' },
      );
    } catch (error) {
      client.release(true);
      throw this.#storeError('take a lock', error);
    }
    try {
      return await fn(client.session.lock);
    } finally {
      // A session that dropped has freed the lock already; ending one that fails to unlock frees it too.
      const unlocked =
        client.session.lost() === undefined &&
        (await this.#timed('release a lock', client, () => client.query('SELECT pg_advisory_unlock($1::bigint)', [id])).then(
          () => true,
          () => false,
        ));
      client.release(!unlocked);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#ownsPool && this.#pool) await this.#pool.end().catch((error: unknown) => Promise.reject(this.#storeError('close the pool', error)));
  }

  #poolOf(): PgPoolLike {
    if (this.#closed) throw new TokenStoreError(`The ${STORE} is closed; create a new one.`);
    if (this.#pool) return this.#pool;
    const pg = requirePg<{ Pool: new (config: Record<string, unknown>) => PgPoolLike & { on(event: 'error', fn: (e: Error) => void): void } }>(STORE);
    const pool = new pg.Pool({
      connectionString: this.#options.connectionString,
      max: this.#options.connectionLimit ?? DEFAULT_POSTGRES_CONNECTION_LIMIT,
      connectionTimeoutMillis: this.#timeoutMs,
      // Idle pooled connections must not keep a script alive.
      allowExitOnIdle: true,
    });
    // An idle connection that drops (server restart) is an event, not a crash; the next call reconnects.
    pool.on('error', () => undefined);
    this.#pool = pool;
    return pool;
  }

  /** One query on `client` under the deadline; past it the connection is destroyed and the call fails. */
  #timed<T>(action: string, client: PgClientLike, run: () => Promise<T>): Promise<T> {
    return withDeadline(run(), this.#timeoutMs, () => this.#timeoutError(action), () => client.release(true));
  }

  async #op<T>(action: string, body: (client: CheckedOut) => Promise<T>, options: { keep?: boolean } = {}): Promise<T> {
    const pool = this.#poolOf();
    let client: CheckedOut | undefined;
    let expired = false;
    const work = (async () => {
      client = checkedOut(await pool.connect());
      if (expired) {
        client.release(true);
        throw new TokenStoreError('expired');
      }
      let ok = false;
      try {
        if (!options.keep) await this.#schema(client);
        const result = await body(client);
        ok = true;
        return result;
      } finally {
        if (!expired && !(ok && options.keep)) client.release(!ok);
      }
    })();
    try {
      return await withDeadline(work, this.#timeoutMs, () => this.#timeoutError(action), () => {
        expired = true;
        client?.release(true);
      });
    } catch (error) {
      throw this.#storeError(action, error);
    }
  }

  #schema(client: PgClientLike): Promise<void> {
    if (this.#options.createIfMissing === false) return Promise.resolve();
    this.#schemaReady ??= client
      .query(
        `CREATE TABLE IF NOT EXISTS ${this.#table} (useridentifier text PRIMARY KEY, accesstoken text, refreshtoken text, expirytime bigint, apidomain text)`,
      )
      .then(
        () => undefined,
        (error: unknown) => {
          this.#schemaReady = undefined;
          // Two processes creating the table at once: the loser sees a unique violation on the type.
          if ((error as { code?: unknown }).code === '23505') return;
          throw error;
        },
      );
    return this.#schemaReady;
  }

  #where(): string {
    if (!this.#ownsPool) return 'PostgreSQL (the pool passed in the pool option)';
    try {
      const url = new URL(this.#options.connectionString ?? '');
      return `PostgreSQL at ${url.hostname}:${url.port || '5432'}${url.username ? ` as '${decodeURIComponent(url.username)}'` : ''}`;
    } catch {
      return 'PostgreSQL (connectionString)';
    }
  }

  #timeoutError(action: string): TokenStoreError {
    return new TokenStoreError(
      `${this.#where()} did not answer within ${this.#timeoutMs} ms when asked to ${action} (timeoutMs); the connection was closed. Check that PostgreSQL is up and reachable.`,
    );
  }

  /** A TokenStoreError saying what failed and what to do; driver messages stay in `cause`. */
  #storeError(action: string, error: unknown): Error {
    if (error instanceof TokenStoreError || error instanceof ConfigError) return error;
    const code = (error as { code?: unknown } | null)?.code;
    const text = typeof code === 'string' ? code : 'unknown error';
    let message: string;
    if (text === 'ECONNREFUSED' || text === 'ENOTFOUND' || text === 'ECONNRESET' || text === 'ETIMEDOUT' || text === '57P01' || /timeout|terminated/i.test(String((error as Error)?.message))) {
      message = `Cannot reach ${this.#where()} to ${action} (${text}). Start PostgreSQL or fix the connectionString option.`;
    } else if (text === '28P01' || text === '28000') {
      message = `${this.#where()} refused the login (${text}). Check the user and password in the connectionString option.`;
    } else if (text === '42P01') {
      message = `The token table ${this.#table} does not exist on ${this.#where()} (${text}). Create it or set createIfMissing: true.`;
    } else if (text === '42501') {
      message = `${this.#where()} may not ${action} in ${this.#table} (${text}). Grant the user SELECT, INSERT, UPDATE, DELETE (and CREATE) on it.`;
    } else {
      message = `Could not ${action} in ${this.#table} on ${this.#where()} (${text}); see error.cause.`;
    }
    return new TokenStoreError(message, { cause: error });
  }
}

function checkIdentifier(value: string, option: string): void {
  if (typeof value !== 'string' || !IDENTIFIER.test(value)) {
    throw new ConfigError(`${STORE} ${option} name '${String(value)}' may only contain letters, digits and _ (not starting with a digit).`, { option });
  }
}

/** A signed 64-bit advisory lock id for `key`, as decimal text. */
function advisoryKey(key: string): string {
  return BigInt.asIntN(64, BigInt(`0x${keyDigest(`zcrmsdk:${key}`, 16)}`)).toString();
}

/**
 * A client whose release runs once, whichever of a deadline, an error or the normal path gets there first, and
 * whose 'error' events (a server that went away while it was checked out) are caught rather than crash the process.
 */
function checkedOut(client: PgClientLike): CheckedOut {
  let released = false;
  const session = watchSession(client);
  return {
    session,
    query: (text, values) => client.query(text, values),
    release: (destroy) => {
      if (released) return;
      released = true;
      // A destroyed client may still report its end: it stays watched so that nothing it emits goes unheard.
      if (!destroy && session.lost() === undefined) session.stop();
      client.release(destroy || session.lost() !== undefined);
    },
  };
}
