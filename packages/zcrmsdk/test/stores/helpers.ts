/**
 * Store factories for the tests: every persistent store on its own table / key prefix / temp file (the
 * servers are shared with other suites running at the same time), each with a way to read its raw rows.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
  switch (spec.kind) {
    case 'memory':
      return new MemoryTokenStore();
    case 'file':
      return new FileTokenStore({ path: spec.name, ...enc, ...timing, ...lease });
    case 'sqlite':
      return new SQLiteTokenStore({ path: spec.name, ...enc, ...timing });
    case 'mysql':
      return new MySQLTokenStore({ host: HOST, port: spec.port ?? 3306, database: 'zcrmsdk_tests', table: spec.name, connectionLimit: 3, ...enc, ...timing });
    case 'postgres':
      return new PostgresTokenStore({ connectionString: spec.port ? `postgres://postgres@${HOST}:${spec.port}/postgres` : PG_URL, table: spec.name, connectionLimit: 3, ...enc, ...timing });
    case 'redis':
      return new RedisTokenStore({ url: spec.port ? `redis://${HOST}:${spec.port}` : REDIS_URL, prefix: `${spec.name}:`, ...enc, ...timing, ...lease });
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
    case 'mysql': {
      const mysql = await import('mysql2/promise');
      const conn = await mysql.createConnection({ host: HOST, user: 'root', password: '' });
      try {
        const [rows] = await conn.query(`SELECT * FROM zcrmsdk_tests.\`${spec.name}\``);
        return rows as Record<string, unknown>[];
      } finally {
        await conn.end();
      }
    }
    case 'postgres': {
      const { Client } = (await import('pg')).default;
      const client = new Client({ connectionString: PG_URL });
      await client.connect();
      try {
        return (await client.query(`SELECT * FROM "${spec.name}"`)).rows as Record<string, unknown>[];
      } finally {
        await client.end();
      }
    }
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

/** Removes what the spec created (only that). */
export async function dropSpec(spec: StoreSpec): Promise<void> {
  switch (spec.kind) {
    case 'file':
    case 'sqlite':
      if (spec.dir) rmSync(spec.dir, { recursive: true, force: true });
      return;
    case 'mysql': {
      const mysql = await import('mysql2/promise');
      const conn = await mysql.createConnection({ host: HOST, user: 'root', password: '' });
      await conn.query(`DROP TABLE IF EXISTS zcrmsdk_tests.\`${spec.name}\``);
      await conn.end();
      return;
    }
    case 'postgres': {
      const { Client } = (await import('pg')).default;
      const client = new Client({ connectionString: PG_URL });
      await client.connect();
      await client.query(`DROP TABLE IF EXISTS "${spec.name}"`);
      await client.end();
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
