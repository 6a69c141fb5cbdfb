import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigError } from '../../src/errors.js';
import { createNotificationHandler, type NotificationEvent, type NotificationEventOf, type NotificationHandler } from '../../src/notifications/handler.js';
import { MemoryDedupeStore, MySQLDedupeStore, PostgresDedupeStore, RedisDedupeStore } from '../../src/notifications/dedupe.js';

const CHANNEL = '1000000068001';
const TOKEN = 'TOKEN_FOR_VERIFICATION_OF_1000000068001';

function delivery(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    server_time: 1_765_000_000_000,
    query_params: { key1: 'val1' },
    module: 'Leads',
    resource_uri: 'https://www.zohoapis.com/crm/v8/Leads',
    ids: ['4876876000000624001'],
    affected_fields: [],
    operation: 'insert',
    channel_id: CHANNEL,
    token: TOKEN,
    ...overrides,
  };
}

async function listen(handler: (req: never, res: never) => void): Promise<{ server: Server; url: string }> {
  const server = createServer(handler as never);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks` };
}

const post = (url: string, body: unknown): Promise<Response> =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('createNotificationHandler over HTTP', () => {
  const servers: Server[] = [];
  after(() => servers.forEach((s) => s.close()));

  async function start(options: { dedupe?: false } = {}): Promise<{ url: string; events: NotificationEvent[]; handler: NotificationHandler }> {
    const events: NotificationEvent[] = [];
    const handler = createNotificationHandler({ channels: { [CHANNEL]: { token: TOKEN } }, onEvent: (e) => void events.push(e), ...options });
    const { server, url } = await listen(handler);
    servers.push(server);
    return { url, events, handler };
  }

  it('answers 200 and hands the parsed event (without the token) to onEvent', async () => {
    const { url, events, handler } = await start();
    const res = await post(url, delivery({ operation: 'update', ids: [4876876000000624001n.toString()], affected_fields: [{ '4876876000000624001': ['Last_Name'] }] }));
    assert.equal(res.status, 200);
    await handler.idle();
    assert.deepEqual(events, [
      {
        server_time: 1_765_000_000_000,
        module: 'Leads',
        resource_uri: 'https://www.zohoapis.com/crm/v8/Leads',
        ids: ['4876876000000624001'],
        affected_fields: [{ '4876876000000624001': ['Last_Name'] }],
        operation: 'update',
        channel_id: CHANNEL,
        query_params: { key1: 'val1' },
      },
    ]);
  });

  it('refuses a wrong or missing token with 401 and an unknown channel with 403, without calling onEvent', async () => {
    const { url, events, handler } = await start();
    const wrong = await post(url, delivery({ token: 'TOKEN_FOR_VERIFICATION_OF_1000000068002' }));
    assert.equal(wrong.status, 401);
    const text = await wrong.text();
    assert.ok(!text.includes('TOKEN_FOR_VERIFICATION'), 'no token in the reply');
    const { token: _t, ...noToken } = delivery();
    assert.equal((await post(url, noToken)).status, 401);
    assert.equal((await post(url, delivery({ channel_id: '999' }))).status, 403);
    assert.equal((await post(url, 'not json')).status, 400);
    assert.equal((await post(url, delivery({ operation: 'merge' }))).status, 400);
    assert.equal((await fetch(url)).status, 405);
    await handler.idle();
    assert.deepEqual(events, []);
  });

  it('hands a delivery that arrives twice to onEvent once, unless dedupe is off', async () => {
    const { url, events, handler } = await start();
    assert.equal((await post(url, delivery())).status, 200);
    assert.equal((await post(url, delivery())).status, 200);
    assert.equal((await post(url, delivery({ operation: 'delete' }))).status, 200);
    await handler.idle();
    assert.deepEqual(events.map((e) => e.operation), ['insert', 'delete']);
    const off = await start({ dedupe: false });
    await post(off.url, delivery());
    await post(off.url, delivery());
    await off.handler.idle();
    assert.equal(off.events.length, 2);
  });

  it('works as Express middleware with req.body already parsed, and through handle() (Fastify)', async () => {
    const events: NotificationEventOf<{ Leads: { Last_Name?: string }; Deals: { Stage?: string } }>[] = [];
    const handler = createNotificationHandler<{ Leads: { Last_Name?: string }; Deals: { Stage?: string } }>({
      channels: { [CHANNEL]: { token: TOKEN } },
      onEvent: (e) => {
        if (e.module === 'Leads') events.push(e);
      },
    });
    // What express.json() leaves behind: a consumed stream and a parsed req.body.
    const { server, url } = await listen(((req: import('node:http').IncomingMessage & { body?: unknown }, res: import('node:http').ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        req.body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        handler(req, res, (error) => assert.fail(String(error)));
      });
    }) as never);
    servers.push(server);
    assert.equal((await post(url, delivery({ affected_values: [{ record_id: '1', values: { Last_Name: 'Ng' } }] }))).status, 200);
    assert.deepEqual(await handler.handle(delivery({ token: 'x' })), { status: 401, error: 'The token is missing or wrong.' });
    assert.deepEqual(await handler.handle(JSON.stringify(delivery({ module: 'Deals', operation: 'update' }))), { status: 200 });
    await handler.idle();
    assert.equal(events.length, 1);
    assert.deepEqual(events[0]!.affected_values, [{ record_id: '1', values: { Last_Name: 'Ng' } }]);
  });

  it('answers before a slow onEvent finishes, and reports a throwing onEvent to onError', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const errors: string[] = [];
    const handler = createNotificationHandler({
      channels: { [CHANNEL]: { token: TOKEN } },
      onEvent: async () => {
        await gate;
        throw new Error('sync failed');
      },
      onError: (error) => errors.push((error as Error).message),
    });
    const { server, url } = await listen(handler);
    servers.push(server);
    assert.equal((await post(url, delivery())).status, 200);
    assert.deepEqual(errors, []);
    release();
    await handler.idle();
    assert.deepEqual(errors, ['sync failed']);
  });

  it('refuses bad options with a ConfigError that says what to pass', () => {
    assert.throws(() => createNotificationHandler({ channels: { [CHANNEL]: { token: '' } }, onEvent: () => undefined }), (e: unknown) => e instanceof ConfigError && /token of 1 to 50/.test(e.message));
    assert.throws(() => createNotificationHandler({ channels: { [CHANNEL]: { token: 'x'.repeat(51) } }, onEvent: () => undefined }), ConfigError);
    assert.throws(() => createNotificationHandler({ channels: undefined as never, onEvent: () => undefined }), /channels/);
  });
});

describe('dedupe stores', () => {
  it('memory: a key is claimed once until its TTL passes', async () => {
    let now = 0;
    const store = new MemoryDedupeStore({ now: () => now });
    assert.equal(await store.claim('a', 1000), true);
    assert.equal(await store.claim('a', 1000), false);
    now = 1000;
    assert.equal(await store.claim('a', 1000), true);
  });

  it('MySQL and PostgreSQL: two stores on one table claim a key once, and again after expiry', async () => {
    const table = `dedupe_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    let now = 1_000;
    const mysql = await import('mysql2/promise');
    const pool = mysql.createPool({ uri: 'mysql://root@127.0.0.1:3306/mysql', connectionLimit: 2 });
    await pool.query('CREATE DATABASE IF NOT EXISTS zcrmsdk_test');
    await pool.end();
    const m1 = new MySQLDedupeStore({ uri: 'mysql://root@127.0.0.1:3306/zcrmsdk_test', table, now: () => now });
    const m2 = new MySQLDedupeStore({ uri: 'mysql://root@127.0.0.1:3306/zcrmsdk_test', table, now: () => now });
    const p1 = new PostgresDedupeStore({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres', table, now: () => now });
    const p2 = new PostgresDedupeStore({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres', table, now: () => now });
    try {
      for (const [a, b] of [
        [m1, m2],
        [p1, p2],
      ] as const) {
        now = 1_000;
        assert.equal(await a.claim('k', 500), true);
        assert.equal(await b.claim('k', 500), false);
        const both = await Promise.all([a.claim('j', 500), b.claim('j', 500)]);
        assert.deepEqual(both.sort(), [false, true]);
        now = 1_500;
        assert.equal(await b.claim('k', 500), true);
      }
    } finally {
      const pg = (await import('pg')).default;
      const client = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
      await client.connect();
      await client.query(`DROP TABLE IF EXISTS "${table}"`);
      await client.end();
      const cleanup = mysql.createPool({ uri: 'mysql://root@127.0.0.1:3306/zcrmsdk_test', connectionLimit: 1 });
      await cleanup.query(`DROP TABLE IF EXISTS \`${table}\``);
      await cleanup.end();
      await Promise.all([m1.close(), m2.close(), p1.close(), p2.close()]);
    }
  });

  it('Redis: two receiver processes sharing Redis hand a delivery sent to both to onEvent once', async () => {
    const prefix = `zcrmsdk-test:${randomUUID()}:`;
    const worker = join(__dirname, 'receiver-worker.ts');
    const children = [0, 1].map(() => spawn(process.execPath, ['--import', 'tsx', worker, CHANNEL, TOKEN, prefix], { stdio: ['pipe', 'pipe', 'inherit'] }));
    const lines: string[][] = [[], []];
    const ports = await Promise.all(
      children.map(
        (child, i) =>
          new Promise<number>((resolve) => {
            let buffer = '';
            child.stdout.on('data', (chunk: Buffer) => {
              buffer += chunk.toString('utf8');
              for (let n = buffer.indexOf('\n'); n >= 0; n = buffer.indexOf('\n')) {
                const line = buffer.slice(0, n);
                buffer = buffer.slice(n + 1);
                lines[i]!.push(line);
                if (line.startsWith('PORT ')) resolve(Number(line.slice(5)));
              }
            });
          }),
      ),
    );
    try {
      const body = delivery({ ids: ['1', '2'], operation: 'update' });
      const replies = await Promise.all(ports.flatMap((port) => [post(`http://127.0.0.1:${port}/`, body), post(`http://127.0.0.1:${port}/`, body)]));
      assert.deepEqual(replies.map((r) => r.status), [200, 200, 200, 200]);
      // Every delivery ends as one EVENT or one DUPLICATE line: wait for all four.
      const deadline = Date.now() + 20_000;
      while (lines.flat().filter((l) => /^(EVENT|DUPLICATE) /.test(l)).length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    } finally {
      for (const child of children) child.stdin.end();
      await Promise.all(children.map((child) => new Promise((resolve) => child.once('exit', resolve))));
    }
    const events = lines.flat().filter((l) => l.startsWith('EVENT '));
    assert.equal(events.length, 1, lines.flat().join('\n'));
    assert.equal(lines.flat().filter((l) => l.startsWith('DUPLICATE ')).length, 3);
    const redis = new (await import('ioredis')).Redis('redis://127.0.0.1:6379');
    const keys = await redis.keys(`${prefix}*`);
    assert.equal(keys.length, 1);
    assert.ok((await redis.pttl(keys[0]!)) > 0, 'entries carry a TTL');
    await redis.del(...keys);
    await redis.quit();
  });

  it('Redis store needs a url or client', () => {
    assert.throws(() => new RedisDedupeStore({}), ConfigError);
  });
});
