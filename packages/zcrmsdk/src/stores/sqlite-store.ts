/**
 * The SQLite token store on better-sqlite3 12 (an optional peer dependency, loaded on first use; 13 crashes on
 * Node 20), in WAL mode. Processes on one machine share the file; a refresh holds `BEGIN IMMEDIATE` (SQLite's
 * write lock, freed by the OS when a holder dies) on a second connection.
 */
import { ConfigError, TokenStoreError, ZohoError } from '../errors.js';
import { TokenCodec, type EncryptionOptions, type TokenRow } from './codec.js';
import { DEFAULT_STORE_TIMEOUT_MS, msOption } from './deadline.js';
import { requireBetterSqlite3 } from './drivers.js';
import { pathFix, pathProblem } from './path-advice.js';
import { DEFAULT_LOCK_TIMEOUT_MS, HELD_BY_CONNECTION, acquireByPolling } from './lock.js';
import type { HeldLock, LockOptions, StoredToken, TokenStore } from './token-store.js';

export const DEFAULT_SQLITE_TABLE = 'oauthtokens';

/** Options of {@link SQLiteTokenStore}. */
export interface SQLiteTokenStoreOptions extends EncryptionOptions {
  /** The database file (created if missing). Required. */
  path: string;
  /** Table name (letters, digits, _). @default 'oauthtokens' */
  table?: string;
  /** How long a write waits for another process's write lock, ms. @default DEFAULT_STORE_TIMEOUT_MS (10 s) */
  timeoutMs?: number;
  /** How long `withLock` waits for another process's refresh, ms. @default DEFAULT_LOCK_TIMEOUT_MS (20 s) */
  lockTimeoutMs?: number;
}

/** The part of a better-sqlite3 Database the store uses. */
interface Db {
  prepare(sql: string): { get(...params: unknown[]): unknown; run(...params: unknown[]): unknown };
  exec(sql: string): unknown;
  pragma(sql: string): unknown;
  close(): unknown;
  readonly inTransaction: boolean;
}

const STORE = 'SQLiteTokenStore';
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SETUP_BUSY_MS = 5_000;

/** A {@link TokenStore} in a SQLite file: `oauthtokens(useridentifier TEXT PRIMARY KEY, ...)`. */
export class SQLiteTokenStore implements TokenStore {
  readonly #path: string;
  readonly #table: string;
  readonly #timeoutMs: number;
  readonly #lockTimeoutMs: number;
  readonly #codec: TokenCodec;
  #db: Db | undefined;
  #lockDb: Db | undefined;
  /** While this process holds BEGIN IMMEDIATE, its writes go through the lock's connection (else they would wait on themselves). */
  #holding = false;
  /** In-process queue of lock holders: one SQLite write transaction per process at a time. */
  #lockQueue: Promise<unknown> = Promise.resolve();
  #closed = false;

  constructor(options: SQLiteTokenStoreOptions) {
    if (!options || typeof options.path !== 'string' || options.path === '') {
      throw new ConfigError(`${STORE} needs { path: './tokens.sqlite' }: the database file.`, { option: 'path' });
    }
    this.#path = options.path;
    const table = options.table ?? DEFAULT_SQLITE_TABLE;
    if (!IDENTIFIER.test(table)) throw new ConfigError(`${STORE} table name '${table}' may only contain letters, digits and _.`, { option: 'table' });
    this.#table = `"${table}"`;
    this.#timeoutMs = msOption(options.timeoutMs, DEFAULT_STORE_TIMEOUT_MS, STORE, 'timeoutMs');
    this.#lockTimeoutMs = msOption(options.lockTimeoutMs, DEFAULT_LOCK_TIMEOUT_MS, STORE, 'lockTimeoutMs');
    this.#codec = new TokenCodec(options, `SQLite token table (${options.path})`, table);
  }

  async get(userId: string): Promise<StoredToken | null> {
    const row = this.#sync('read the tokens of a user', (db) =>
      db.prepare(`SELECT accesstoken, refreshtoken, expirytime, apidomain FROM ${this.#table} WHERE useridentifier = ?`).get(userId),
    );
    return this.#codec.decode(row as TokenRow | undefined, userId);
  }

  async save(token: StoredToken): Promise<void> {
    const row = this.#codec.encode(token);
    await this.#write('save the tokens of a user', (db) =>
      db
        .prepare(
          `INSERT INTO ${this.#table} (useridentifier, accesstoken, refreshtoken, expirytime, apidomain) VALUES (?, ?, ?, ?, ?) ` +
            'ON CONFLICT (useridentifier) DO UPDATE SET accesstoken = excluded.accesstoken, refreshtoken = excluded.refreshtoken, ' +
            'expirytime = excluded.expirytime, apidomain = excluded.apidomain',
        )
        .run(token.userId, row.accesstoken, row.refreshtoken, row.expirytime, row.apidomain),
    );
  }

  async update(token: StoredToken): Promise<void> {
    const row = this.#codec.encode(token);
    await this.#write('update the tokens of a user', (db) =>
      db
        .prepare(
          `INSERT INTO ${this.#table} (useridentifier, accesstoken, refreshtoken, expirytime, apidomain) VALUES (?, ?, ?, ?, ?) ` +
            `ON CONFLICT (useridentifier) DO UPDATE SET accesstoken = excluded.accesstoken, refreshtoken = COALESCE(excluded.refreshtoken, ${this.#table}.refreshtoken), ` +
            `expirytime = excluded.expirytime, apidomain = COALESCE(excluded.apidomain, ${this.#table}.apidomain)`,
        )
        .run(token.userId, row.accesstoken, row.refreshtoken, row.expirytime, row.apidomain),
    );
  }

  async delete(userId: string): Promise<void> {
    await this.#write('delete the tokens of a user', (db) => db.prepare(`DELETE FROM ${this.#table} WHERE useridentifier = ?`).run(userId));
  }

  /**
   * Holds SQLite's write lock (`BEGIN IMMEDIATE`) while `fn` runs; the OS frees it if this process dies. What `fn`
   * writes commits when it returns: a commit that fails rolls those writes back and rejects with a TokenStoreError
   * (the TokenManager then reports the tokens it saved as not saved), never silently.
   */
  withLock<T>(key: string, fn: (lock: HeldLock) => Promise<T>, options: LockOptions = {}): Promise<T> {
    const run = this.#lockQueue.then(async () => {
      const db = this.#open().lock;
      await acquireByPolling(() => Promise.resolve(this.#tryBegin(db)), {
        timeoutMs: this.#lockTimeoutMs,
        signal: options.signal,
        what: `the SQLite write lock of ${this.#path} (for '${key}')`,
        option: 'lockTimeoutMs',
      });
      this.#holding = true;
      let result: T;
      try {
        result = await fn(HELD_BY_CONNECTION);
      } catch (error) {
        // fn's failure is the one to report; what it wrote before failing is still committed if it can be.
        this.#holding = false;
        this.#commitOrRollBack(db);
        throw error;
      }
      this.#holding = false;
      const failure = this.#commitOrRollBack(db);
      if (failure !== undefined) throw this.#storeError('commit the tokens written under its write lock (they were rolled back)', failure);
      return result;
    });
    this.#lockQueue = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#db?.close();
    this.#lockDb?.close();
  }

  /**
   * Ends the lock's transaction: commits it, or when the commit fails (a deferred constraint, a full disk) rolls it
   * back, so the lock is free either way. Returns the commit's error, if any.
   */
  #commitOrRollBack(db: Db): unknown {
    try {
      db.exec('COMMIT');
      return undefined;
    } catch (error) {
      try {
        if (db.inTransaction) db.exec('ROLLBACK');
      } catch {
        // A connection that can neither commit nor roll back still holds the lock: closing it frees it.
        this.#dropLockConnection(db);
      }
      return error;
    }
  }

  #dropLockConnection(db: Db): void {
    if (this.#lockDb === db) this.#lockDb = undefined;
    try {
      db.close();
    } catch {
      // Closing is the last resort; the OS frees the lock when the process ends.
    }
  }

  #tryBegin(db: Db): boolean {
    try {
      db.exec('BEGIN IMMEDIATE');
      return true;
    } catch (error) {
      if (isBusy(error)) return false;
      throw this.#storeError('take the write lock', error);
    }
  }

  #open(): { main: Db; lock: Db } {
    if (this.#closed) throw new TokenStoreError(`The ${STORE} is closed; create a new one.`);
    if (!this.#db || !this.#lockDb) {
      const Database = requireBetterSqlite3<new (path: string) => Db>(STORE);
      try {
        if (!this.#db) {
          const main = new Database(this.#path);
          // Setup may meet other processes setting up the same file: a short blocking wait, once.
          main.pragma(`busy_timeout = ${Math.min(this.#timeoutMs, SETUP_BUSY_MS)}`);
          main.pragma('journal_mode = WAL');
          main.exec(
            `CREATE TABLE IF NOT EXISTS ${this.#table} (useridentifier TEXT PRIMARY KEY, accesstoken TEXT, refreshtoken TEXT, expirytime INTEGER, apidomain TEXT)`,
          );
          // From now on the store waits on busy locks itself (asynchronously), so SQLite never blocks the event loop.
          main.pragma('busy_timeout = 0');
          this.#db = main;
        }
        // The lock's own connection (reopened after one had to be closed to free the lock).
        const lock = new Database(this.#path);
        lock.pragma('busy_timeout = 0');
        this.#lockDb = lock;
      } catch (error) {
        throw this.#storeError('open the database', error);
      }
    }
    return { main: this.#db, lock: this.#lockDb };
  }

  #sync<T>(action: string, op: (db: Db) => T, db?: Db): T {
    const target = db ?? this.#open().main;
    try {
      return op(target);
    } catch (error) {
      throw this.#storeError(action, error);
    }
  }

  /** A write, retried while another process holds the write lock, up to timeoutMs. */
  async #write(action: string, op: (db: Db) => unknown): Promise<void> {
    const { main, lock } = this.#open();
    let failure: unknown;
    try {
      await acquireByPolling(
        async () => {
          try {
            op(this.#holding ? lock : main);
            return true;
          } catch (error) {
            if (isBusy(error)) return false;
            failure = error;
            return true;
          }
        },
        { timeoutMs: this.#timeoutMs, what: `the SQLite write lock of ${this.#path}`, option: 'timeoutMs' },
      );
    } catch (error) {
      throw error instanceof ZohoError ? error : this.#storeError(action, error);
    }
    if (failure !== undefined) throw this.#storeError(action, failure);
  }

  #storeError(action: string, error: unknown): Error {
    if (error instanceof ZohoError) return error;
    const code = (error as { code?: unknown } | null)?.code;
    const text = typeof code === 'string' ? code : 'unknown error';
    // SQLite says "unable to open" (or better-sqlite3 names no code) for a directory or a missing folder: look.
    const problem = action === 'open the database' ? pathProblem(this.#path, error) : undefined;
    if (problem) {
      return new TokenStoreError(`Cannot ${action} in the SQLite file ${this.#path} (${problem.code}); ${pathFix(this.#path, problem.code!, 'tokens.sqlite')}.`, { cause: problem });
    }
    if (text === 'SQLITE_CANTOPEN' || text === 'SQLITE_READONLY' || text === 'SQLITE_PERM') {
      return new TokenStoreError(`Cannot ${action} in the SQLite file ${this.#path} (${text}); ${pathFix(this.#path, 'EACCES', 'tokens.sqlite')}.`, { cause: error });
    }
    if (text === 'SQLITE_CORRUPT' || text === 'SQLITE_NOTADB') {
      return new TokenStoreError(`The SQLite file ${this.#path} is not a database or is corrupt (${text}); move it away and generate new tokens.`, { cause: error });
    }
    return new TokenStoreError(`Could not ${action} in the SQLite file ${this.#path} (${text}); see error.cause.`, { cause: error });
  }
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT' || code === 'SQLITE_LOCKED';
}
