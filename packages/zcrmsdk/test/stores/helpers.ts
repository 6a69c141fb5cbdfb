/**
 * Store factories for the tests: every persistent store on its own table / key prefix / temp file (the
 * servers are shared with other suites running at the same time), each with a way to read its raw rows.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, createServer, type Socket } from 'node:net';
import { FileTokenStore } from '../../src/stores/file-store.js';
import { MemoryTokenStore } from '../../src/stores/memory-store.js';
import { MySQLTokenStore } from '../../src/stores/mysql-store.js';
import { PostgresTokenStore } from '../../src/stores/postgres-store.js';
import { RedisTokenStore } from '../../src/stores/redis-store.js';
import { SQLiteTokenStore } from '../../src/stores/sqlite-store.js';
import type { EncryptionOptions } from '../../src/stores/codec.js';
import type { TokenStore } from '../../src/stores/token-store.js';

export const HOST = '127.0.0.1';
export const PG_URL = `postgres://postgres@${HOST}:5432/postgres`;
export const REDIS_URL = `redis://${HOST}:6379`;

export type StoreKind = 'memory' | 'file' | 'sqlite' | 'mysql' | 'postgres' | 'redis';
export const PERSISTENT: StoreKind[] = ['file', 'sqlite', 'mysql', 'postgres', 'redis'];
export const SHARED: StoreKind[] = ['file', 'sqlite', 'mysql', 'postgres', 'redis'];

/** Where one test's store lives: enough to build the same store in another process. */
export interface StoreSpec {
  kind: StoreKind;
  /** file/sqlite path, or table/prefix name. */
  name: string;
  dir?: string;
  port?: number;
  lockLeaseMs?: number;
  timeoutMs?: number;
  /** How long withLock waits for another holder (MySQL: rounded up to whole seconds). */
  lockTimeoutMs?: number;
  encryptionKey?: string;
}

export function uniqueName(tag: string): string {
  return `zt_${tag}_${process.pid}_${randomBytes(3).toString('hex')}`;
}

export function newSpec(kind: StoreKind, tag: string, extra: Partial<StoreSpec> = {}): StoreSpec {
  const name = uniqueName(tag);
  if (kind === 'file' || kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'zcrm-stores-'));
    return { kind, name: join(dir, kind === 'file' ? 'tokens.json' : 'tokens.sqlite'), dir, ...extra };
  }
  return { kind, name, ...extra };
}

export function buildStore(spec: StoreSpec, options: EncryptionOptions = {}): TokenStore {
  const enc: EncryptionOptions = { ...(spec.encryptionKey ? { encryptionKey: spec.encryptionKey } : {}), ...options };
  const timing = { ...(spec.timeoutMs ? { timeoutMs: spec.timeoutMs } : {}) };
  const lease = spec.lockLeaseMs ? { lockLeaseMs: spec.lockLeaseMs } : {};
  const lockWait = spec.lockTimeoutMs ? { lockTimeoutMs: spec.lockTimeoutMs } : {};
  switch (spec.kind) {
    case 'memory':
      return new MemoryTokenStore();
    case 'file':
      return new FileTokenStore({ path: spec.name, ...enc, ...timing, ...lease, ...lockWait });
    case 'sqlite':
      return new SQLiteTokenStore({ path: spec.name, ...enc, ...timing, ...lockWait });
    case 'mysql':
      return new MySQLTokenStore({ host: HOST, port: spec.port ?? 3306, database: 'zcrmsdk_tests', table: spec.name, connectionLimit: 3, ...enc, ...timing, ...(spec.lockTimeoutMs ? { lockTimeoutSeconds: Math.ceil(spec.lockTimeoutMs / 1000) } : {}) });
    case 'postgres':
      return new PostgresTokenStore({ connectionString: spec.port ? `postgres://postgres@${HOST}:${spec.port}/postgres` : PG_URL, table: spec.name, connectionLimit: 3, ...enc, ...timing, ...lockWait });
    case 'redis':
      return new RedisTokenStore({ url: spec.port ? `redis://${HOST}:${spec.port}` : REDIS_URL, prefix: `${spec.name}:`, ...enc, ...timing, ...lease, ...lockWait });
  }
}

/** Runs `fn` on a fresh root connection to the test MariaDB, closed after. */
async function withMySQL<T>(fn: (conn: import('mysql2/promise').Connection) => Promise<T>): Promise<T> {
  const mysql = await import('mysql2/promise');
  const conn = await mysql.createConnection({ host: HOST, user: 'root', password: '' });
  try {
    return await fn(conn);
  } finally {
    await conn.end();
  }
}

/** Runs `fn` on a fresh client of the test PostgreSQL, closed after. */
async function withPostgres<T>(fn: (client: import('pg').Client) => Promise<T>): Promise<T> {
  const { Client } = (await import('pg')).default;
  const client = new Client({ connectionString: PG_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** The raw stored rows of a spec, read around the store (what a user sees in the database). */
export async function rawRows(spec: StoreSpec): Promise<Record<string, unknown>[]> {
  switch (spec.kind) {
    case 'memory':
      return [];
    case 'file': {
      const content = JSON.parse(readFileSync(spec.name, 'utf8')) as { tokens: Record<string, Record<string, unknown>> };
      return Object.entries(content.tokens).map(([useridentifier, row]) => ({ useridentifier, ...row }));
    }
    case 'sqlite': {
      const Database = (await import('better-sqlite3')).default;
      const db = new Database(spec.name, { readonly: true });
      try {
        return db.prepare('SELECT * FROM oauthtokens').all() as Record<string, unknown>[];
      } finally {
        db.close();
      }
    }
    case 'mysql':
      return withMySQL(async (conn) => (await conn.query(`SELECT * FROM zcrmsdk_tests.\`${spec.name}\``))[0] as Record<string, unknown>[]);
    case 'postgres':
      return withPostgres(async (client) => (await client.query(`SELECT * FROM "${spec.name}"`)).rows as Record<string, unknown>[]);
    case 'redis': {
      const { Redis } = await import('ioredis');
      const redis = new Redis(REDIS_URL);
      try {
        const keys = await redis.keys(`${spec.name}:token:*`);
        const out: Record<string, unknown>[] = [];
        for (const key of keys) out.push({ useridentifier: key.slice(`${spec.name}:token:`.length), ...(await redis.hgetall(key)) });
        return out;
      } finally {
        redis.disconnect();
      }
    }
  }
}

/** A token row as the stores keep it (encrypted values as stored). */
export interface RawTokenRow {
  accesstoken: string;
  refreshtoken: string | null;
  expirytime: number;
}

/** Writes `userId`'s row around the store, replacing any (what someone with access to the database can do). */
export async function writeRawRow(spec: StoreSpec, userId: string, row: RawTokenRow): Promise<void> {
  switch (spec.kind) {
    case 'memory':
      return;
    case 'file': {
      const content = JSON.parse(readFileSync(spec.name, 'utf8')) as { tokens: Record<string, unknown> };
      content.tokens[userId] = { ...row };
      writeFileSync(spec.name, JSON.stringify(content));
      return;
    }
    case 'sqlite': {
      const Database = (await import('better-sqlite3')).default;
      const db = new Database(spec.name);
      try {
        db.prepare('INSERT OR REPLACE INTO oauthtokens (useridentifier, accesstoken, refreshtoken, expirytime) VALUES (?, ?, ?, ?)').run(userId, row.accesstoken, row.refreshtoken, row.expirytime);
      } finally {
        db.close();
      }
      return;
    }
    case 'mysql': {
      await withMySQL(async (conn) => {
        await conn.query(`DELETE FROM zcrmsdk_tests.\`${spec.name}\` WHERE useridentifier = ?`, [userId]);
        await conn.query(`INSERT INTO zcrmsdk_tests.\`${spec.name}\` (useridentifier, accesstoken, refreshtoken, expirytime) VALUES (?, ?, ?, ?)`, [userId, row.accesstoken, row.refreshtoken, row.expirytime]);
      });
      return;
    }
    case 'postgres': {
      await withPostgres(async (client) => {
        await client.query(`DELETE FROM "${spec.name}" WHERE useridentifier = $1`, [userId]);
        await client.query(`INSERT INTO "${spec.name}" (useridentifier, accesstoken, refreshtoken, expirytime) VALUES ($1, $2, $3, $4)`, [userId, row.accesstoken, row.refreshtoken, row.expirytime]);
      });
      return;
    }
    case 'redis': {
      const { Redis } = await import('ioredis');
      const redis = new Redis(REDIS_URL);
      try {
        const key = `${spec.name}:token:${userId}`;
        await redis.del(key);
        await redis.hset(key, { accesstoken: row.accesstoken, expirytime: String(row.expirytime), ...(row.refreshtoken === null ? {} : { refreshtoken: row.refreshtoken }) });
      } finally {
        redis.disconnect();
      }
    }
  }
}

/** Removes what the spec created (only that). */
export async function dropSpec(spec: StoreSpec): Promise<void> {
  switch (spec.kind) {
    case 'file':
    case 'sqlite':
      if (spec.dir) rmSync(spec.dir, { recursive: true, force: true });
      return;
    case 'mysql': {
      await withMySQL((conn) => conn.query(`DROP TABLE IF EXISTS zcrmsdk_tests.\`${spec.name}\``));
      return;
    }
    case 'postgres': {
      await withPostgres((client) => client.query(`DROP TABLE IF EXISTS "${spec.name}"`));
      return;
    }
    case 'redis': {
      const { Redis } = await import('ioredis');
      const redis = new Redis(REDIS_URL);
      const keys = await redis.keys(`${spec.name}:*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
      return;
    }
    default:
  }
}

export const UPSTREAM_PORT: Partial<Record<StoreKind, number>> = { mysql: 3306, postgres: 5432, redis: 6379 };

/**
 * A TCP proxy in front of a real server that can stall (stop forwarding on open connections: a hung
 * network) or go down (refuse connections) and come back on the same port.
 */
export interface Proxy {
  port: number;
  stall(): void;
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function startProxy(upstreamPort: number): Promise<Proxy> {
  let stalled = false;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(upstreamPort, HOST);
    sockets.add(client).add(upstream);
    client.on('data', (chunk) => void (stalled || upstream.write(chunk)));
    upstream.on('data', (chunk) => void (stalled || client.write(chunk)));
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  const listen = (port: number) => new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, HOST, () => resolve()));
  await listen(0);
  const address = server.address();
  if (!address || typeof address !== 'object') throw new Error('no proxy address');
  const port = address.port;
  const stop = async () => {
    for (const s of sockets) s.destroy();
    sockets.clear();
    if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return {
    port,
    stall: () => void (stalled = true),
    stop,
    start: async () => {
      stalled = false;
      await listen(port);
    },
    close: stop,
  };
}

export async function ensureMySQLDatabase(): Promise<void> {
  const mysql = await import('mysql2/promise');
  const conn = await mysql.createConnection({ host: HOST, user: 'root', password: '' });
  await conn.query('CREATE DATABASE IF NOT EXISTS zcrmsdk_tests');
  await conn.end();
}
