/**
 * Optional persistence of the emulator state in one SQLite file (better-sqlite3, loaded lazily so it stays
 * an optional dependency). The state is read once at start and written behind on an interval and at close:
 * requests never touch the disk.
 */
import { deserialize, serialize } from 'node:v8';

interface SqliteStatement {
  get(...params: unknown[]): unknown;
  run(...params: unknown[]): unknown;
}
interface SqliteDatabase {
  prepare(sql: string): SqliteStatement;
  exec(sql: string): unknown;
  pragma(sql: string): unknown;
  close(): void;
}
type SqliteConstructor = new (file: string) => SqliteDatabase;

async function loadSqlite(): Promise<SqliteConstructor> {
  try {
    const mod = (await import('better-sqlite3')) as unknown as { default?: SqliteConstructor } & SqliteConstructor;
    return mod.default ?? mod;
  } catch (error) {
    throw new Error(
      "The emulator's `persist` option needs the optional package better-sqlite3. Install it with `npm install better-sqlite3`, or start the emulator without `persist`.",
      { cause: error },
    );
  }
}

/** One SQLite file holding the serialised emulator state (a single row). */
export class StateFile {
  readonly #db: SqliteDatabase;
  readonly #read: SqliteStatement;
  readonly #write: SqliteStatement;

  private constructor(db: SqliteDatabase) {
    this.#db = db;
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE IF NOT EXISTS emulator_state (id INTEGER PRIMARY KEY CHECK (id = 1), saved_at INTEGER NOT NULL, data BLOB NOT NULL)');
    this.#read = db.prepare('SELECT data FROM emulator_state WHERE id = 1');
    this.#write = db.prepare(
      'INSERT INTO emulator_state (id, saved_at, data) VALUES (1, ?, ?) ON CONFLICT(id) DO UPDATE SET saved_at = excluded.saved_at, data = excluded.data',
    );
  }

  static async open(file: string): Promise<StateFile> {
    const Database = await loadSqlite();
    return new StateFile(new Database(file));
  }

  /** The saved state, or undefined for a new file. */
  load(): unknown {
    const row = this.#read.get() as { data: Buffer } | undefined;
    return row === undefined ? undefined : deserialize(row.data);
  }

  /** Saves the state (structured-clone serialisation: Buffers, Maps and Dates survive). */
  save(state: unknown): void {
    this.#write.run(Date.now(), serialize(state));
  }

  close(): void {
    this.#db.close();
  }
}
