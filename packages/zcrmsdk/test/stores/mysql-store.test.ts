import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { connect, createServer } from 'node:net';
import { after, before, test } from 'node:test';
import { createPool, type Pool, type RowDataPacket } from 'mysql2/promise';
import { ConfigError, InvalidInputError, TokenStoreError } from '../../src/errors.js';
import type { Logger } from '../../src/logger.js';
import { MySQLTokenStore, type MySQLTokenStoreOptions } from '../../src/stores/mysql-store.js';

const HOST = '127.0.0.1';
const DB = `zcrm_test_${process.pid}_${randomBytes(4).toString('hex')}`;
const AUTO_DB = `${DB}_auto`;
const RUN = randomBytes(4).toString('hex');
let admin: Pool;
const stores: MySQLTokenStore[] = [];

before(async () => {
  admin = createPool({ host: HOST, user: 'root', password: '', connectionLimit: 2 });
  await admin.query(`CREATE DATABASE \`${DB}\``);
});

after(async () => {
  await Promise.allSettled(stores.map((store) => store.close()));
  await admin.query(`DROP DATABASE IF EXISTS \`${DB}\``);
  await admin.query(`DROP DATABASE IF EXISTS \`${AUTO_DB}\``);
  await admin.end();
});

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (level: string) => (message: string) => void lines.push(`${level}: ${message}`);
  return { lines, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

function newStore(options: MySQLTokenStoreOptions = {}): MySQLTokenStore {
  const store = new MySQLTokenStore({ host: HOST, database: DB, connectionLimit: 3, ...options });
  stores.push(store);
  return store;
}

async function rows(table: string, database = DB): Promise<RowDataPacket[]> {
  const [result] = await admin.query<RowDataPacket[]>(
    `SELECT useridentifier, accesstoken, refreshtoken, expirytime FROM \`${database}\`.\`${table}\` ORDER BY useridentifier, expirytime`,
  );
  return result.map((row) => ({ ...row, expirytime: row.expirytime === null ? null : Number(row.expirytime) })) as RowDataPacket[];
}

async function createLegacyTable(table: string): Promise<void> {
  // The README's table: no key at all, so duplicates are possible.
  await admin.query(
    `CREATE TABLE \`${DB}\`.\`${table}\` (useridentifier varchar(100), accesstoken varchar(100), refreshtoken varchar(100), expirytime bigint)`,
  );
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  assert.ok(address && typeof address === 'object');
  return address.port;
}

test('creates the missing database and table with a primary key, and logs that it did, once', async () => {
  const logger = recordingLogger();
  const store = newStore({ database: AUTO_DB, logger });
  assert.equal(await store.get('nobody@x.com'), null);
  assert.deepEqual(logger.lines, [
    `info: Created the MySQL database '${AUTO_DB}' for OAuth tokens.`,
    `info: Created the MySQL table '${AUTO_DB}.oauthtokens' for OAuth tokens.`,
  ]);
  const [columns] = await admin.execute<RowDataPacket[]>(
    'SELECT COLUMN_NAME, DATA_TYPE, COLUMN_KEY, COLLATION_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION',
    [AUTO_DB, 'oauthtokens'],
  );
  assert.deepEqual(
    columns.map((c) => [c.COLUMN_NAME, c.DATA_TYPE, c.COLUMN_KEY]),
    [
      ['useridentifier', 'varchar', 'PRI'],
      ['accesstoken', 'varchar', ''],
      ['refreshtoken', 'varchar', ''],
      ['expirytime', 'bigint', ''],
      ['apidomain', 'varchar', ''],
    ],
  );
  // A byte-exact, no-pad collation: the key never merges two user ids.
  assert.match(String(columns[0]?.COLLATION_NAME), /_nopad_bin$|_0900_bin$/);
  const secondLogger = recordingLogger();
  await newStore({ database: AUTO_DB, logger: secondLogger }).save({ userId: 'a', accessToken: 'AT', expiresAt: 1 });
  assert.deepEqual(secondLogger.lines, []);
});

test('save, get, update and delete, as seen in the table', async () => {
  const table = 'crud';
  const store = newStore({ table });
  await store.save({ userId: 'a@x.com', accessToken: 'AT-1', refreshToken: 'RT-1', expiresAt: 1700000000000 });
  assert.deepEqual(await rows(table), [{ useridentifier: 'a@x.com', accesstoken: 'AT-1', refreshtoken: 'RT-1', expirytime: 1700000000000 }]);
  assert.deepEqual(await store.get('a@x.com'), { userId: 'a@x.com', accessToken: 'AT-1', refreshToken: 'RT-1', expiresAt: 1700000000000 });

  await store.update({ userId: 'a@x.com', accessToken: 'AT-2', expiresAt: 1700000003600 });
  assert.deepEqual(await rows(table), [{ useridentifier: 'a@x.com', accesstoken: 'AT-2', refreshtoken: 'RT-1', expirytime: 1700000003600 }]);
  await store.update({ userId: 'a@x.com', accessToken: 'AT-3', refreshToken: 'RT-3', expiresAt: 1700000007200 });
  assert.deepEqual(await store.get('a@x.com'), { userId: 'a@x.com', accessToken: 'AT-3', refreshToken: 'RT-3', expiresAt: 1700000007200 });
  // The same values again still count as "found", so no second row appears.
  await store.update({ userId: 'a@x.com', accessToken: 'AT-3', refreshToken: 'RT-3', expiresAt: 1700000007200 });
  assert.equal((await rows(table)).length, 1);

  await store.save({ userId: 'a@x.com', accessToken: 'AT-4', expiresAt: 5 });
  assert.deepEqual(await rows(table), [{ useridentifier: 'a@x.com', accesstoken: 'AT-4', refreshtoken: null, expirytime: 5 }]);
  assert.deepEqual(await store.get('a@x.com'), { userId: 'a@x.com', accessToken: 'AT-4', expiresAt: 5 });

  await store.delete('a@x.com');
  assert.deepEqual(await rows(table), []);
  assert.equal(await store.get('a@x.com'), null);
});

test('update of a user without a row inserts one', async () => {
  const table = 'update_insert';
  const store = newStore({ table });
  await store.update({ userId: 'new@x.com', accessToken: 'AT', expiresAt: 9 });
  assert.deepEqual(await rows(table), [{ useridentifier: 'new@x.com', accesstoken: 'AT', refreshtoken: null, expirytime: 9 }]);
});

test('save for user B keeps user A (0.0.x deleted the current global user instead)', async () => {
  const table = 'two_users';
  const store = newStore({ table });
  await store.save({ userId: 'a@x.com', accessToken: 'AT-A', refreshToken: 'RT-A', expiresAt: 1 });
  await store.save({ userId: 'b@x.com', accessToken: 'AT-B', refreshToken: 'RT-B', expiresAt: 2 });
  await store.save({ userId: 'b@x.com', accessToken: 'AT-B2', refreshToken: 'RT-B2', expiresAt: 3 });
  assert.deepEqual(await rows(table), [
    { useridentifier: 'a@x.com', accesstoken: 'AT-A', refreshtoken: 'RT-A', expirytime: 1 },
    { useridentifier: 'b@x.com', accesstoken: 'AT-B2', refreshtoken: 'RT-B2', expirytime: 3 },
  ]);
  await store.delete('b@x.com');
  assert.deepEqual((await rows(table)).map((r) => r.useridentifier), ['a@x.com']);
});

test('a legacy table without a key and with duplicate rows keeps working and save collapses the duplicates', async () => {
  const table = 'legacy_dupes';
  await createLegacyTable(table);
  await admin.query(
    `INSERT INTO \`${DB}\`.\`${table}\` VALUES ('a@x.com','AT-old','undefined',1000), ('a@x.com','AT-new','undefined',2000), ('z@x.com','AT-z','RT-z',3000)`,
  );
  const logger = recordingLogger();
  const store = newStore({ table, logger });
  assert.deepEqual(await store.get('a@x.com'), { userId: 'a@x.com', accessToken: 'AT-new', expiresAt: 2000 });
  assert.deepEqual(logger.lines, []);
  await store.update({ userId: 'a@x.com', accessToken: 'AT-upd', expiresAt: 4000 });
  assert.deepEqual(await store.get('a@x.com'), { userId: 'a@x.com', accessToken: 'AT-upd', expiresAt: 4000 });
  await store.save({ userId: 'a@x.com', accessToken: 'AT-saved', refreshToken: 'RT-saved', expiresAt: 5000 });
  assert.deepEqual(await rows(table), [
    { useridentifier: 'a@x.com', accesstoken: 'AT-saved', refreshtoken: 'RT-saved', expirytime: 5000 },
    { useridentifier: 'z@x.com', accesstoken: 'AT-z', refreshtoken: 'RT-z', expirytime: 3000 },
  ]);
  const [keys] = await admin.execute<RowDataPacket[]>(
    "SELECT COUNT(*) AS n FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?",
    [DB, table],
  );
  assert.equal(Number(keys[0]?.n), 0, 'the store must not add a key to an existing table');
});

test('concurrent saves of one user leave exactly one row', async () => {
  const table = 'concurrent';
  const store = newStore({ table });
  await Promise.all(
    Array.from({ length: 6 }, (_, i) => store.save({ userId: 'c@x.com', accessToken: `AT-${i}`, expiresAt: i })),
  );
  assert.equal((await rows(table)).length, 1);
});

test("a user id with quotes is stored as data, not SQL (o'hara@x.com)", async () => {
  const table = 'quotes';
  await createLegacyTable(table);
  const store = newStore({ table });
  await store.save({ userId: 'other@x.com', accessToken: 'AT-other', expiresAt: 1 });
  await store.save({ userId: "o'hara@x.com", accessToken: "AT-'q'", refreshToken: 'RT-"dq"', expiresAt: 2 });
  assert.deepEqual(await store.get("o'hara@x.com"), { userId: "o'hara@x.com", accessToken: "AT-'q'", refreshToken: 'RT-"dq"', expiresAt: 2 });
  await store.delete("x' OR '1'='1");
  await store.update({ userId: "x' OR '1'='1", accessToken: 'AT-inj', expiresAt: 3 });
  assert.deepEqual(await rows(table), [
    { useridentifier: "o'hara@x.com", accesstoken: "AT-'q'", refreshtoken: 'RT-"dq"', expirytime: 2 },
    { useridentifier: 'other@x.com', accesstoken: 'AT-other', refreshtoken: null, expirytime: 1 },
    { useridentifier: "x' OR '1'='1", accesstoken: 'AT-inj', refreshtoken: null, expirytime: 3 },
  ]);
});

async function lockHolder(name: string): Promise<unknown> {
  const [result] = await admin.execute<RowDataPacket[]>('SELECT IS_USED_LOCK(?) AS holder', [name]);
  return result[0]?.holder ?? null;
}

async function waitUntil(what: string, condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.fail(`gave up waiting until ${what}`);
}

test('withLock excludes a second store (another pool) until the first releases', async () => {
  const key = `refresh:${RUN}:a@x.com`;
  const name = `zcrmsdk:${key}`;
  const first = newStore({ table: 'locks' });
  const second = newStore({ table: 'locks' });
  const events: string[] = [];
  let secondRun: Promise<string> | undefined;
  const firstResult = await first.withLock(key, async () => {
    events.push('first in');
    assert.notEqual(await lockHolder(name), null);
    secondRun = second.withLock(key, async () => {
      events.push('second in');
      return 'second done';
    });
    // The second store is parked in GET_LOCK on the server, not running its fn.
    await waitUntil('the second store waits in GET_LOCK', async () => {
      const [waiting] = await admin.execute<RowDataPacket[]>(
        "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT GET_LOCK%' AND ID <> CONNECTION_ID()",
      );
      return Number(waiting[0]?.n) > 0;
    });
    events.push('first out');
    return 'first done';
  });
  assert.equal(firstResult, 'first done');
  assert.equal(await secondRun, 'second done');
  assert.deepEqual(events, ['first in', 'first out', 'second in']);
  assert.equal(await lockHolder(name), null);
});

test('withLock gives up with a TokenStoreError after lockTimeoutSeconds, and a throwing fn still releases', async () => {
  const key = `timeout:${RUN}`;
  const holder = newStore({ table: 'locks' });
  const impatient = newStore({ table: 'locks', lockTimeoutSeconds: 0 });
  await holder.withLock(key, async () => {
    await assert.rejects(impatient.withLock(key, async () => 'never'), (error: unknown) => {
      assert.ok(error instanceof TokenStoreError);
      assert.match(error.message, /Timed out after 0 s waiting for the MySQL lock 'zcrmsdk:timeout:.*lockTimeoutSeconds/);
      return true;
    });
  });
  await assert.rejects(holder.withLock(key, async () => Promise.reject(new Error('refresh failed'))), /refresh failed/);
  assert.equal(await impatient.withLock(key, async () => 'got it'), 'got it');
});

test('withLock hashes keys that would make a lock name longer than 64 characters', async () => {
  const key = `${RUN}:${'k'.repeat(100)}`;
  const hashed = `zcrmsdk:${createHash('sha256').update(key).digest('hex').slice(0, 56)}`;
  const store = newStore({ table: 'locks' });
  await store.withLock(key, async () => {
    assert.notEqual(await lockHolder(hashed), null);
  });
  assert.equal(await lockHolder(hashed), null);
});

test('a refused connection is a TokenStoreError that says where and what to do, without the password', async () => {
  const port = await freePort();
  const store = newStore({ port, password: 's3cret-Passw0rd' });
  for (const op of [() => store.get('a'), () => store.save({ userId: 'a', accessToken: 'AT', expiresAt: 1 }), () => store.withLock('k', async () => 1)]) {
    await assert.rejects(op(), (error: unknown) => {
      assert.ok(error instanceof TokenStoreError);
      assert.equal(
        error.message,
        `Cannot connect to MySQL at 127.0.0.1:${port} as 'root' (ECONNREFUSED). Start MySQL or set [mysql] host/port/username/password in resources/configuration.properties (or the MySQLTokenStore options).`,
      );
      assert.ok(!error.message.includes('s3cret'));
      assert.equal((error.cause as { code?: string }).code, 'ECONNREFUSED');
      return true;
    });
  }
});

test('a refused login names the user and never the password', async () => {
  const store = newStore({ user: `nobody_${RUN}`, password: 'wr0ng-Passw0rd' });
  await assert.rejects(store.get('a'), (error: unknown) => {
    assert.ok(error instanceof TokenStoreError);
    assert.match(error.message, new RegExp(`^MySQL at 127\\.0\\.0\\.1:3306 as 'nobody_${RUN}' refused the login \\(ER_ACCESS_DENIED`));
    assert.ok(!error.message.includes('wr0ng'));
    return true;
  });
});

test('createIfMissing: false reports a missing table instead of creating it', async () => {
  const store = newStore({ table: 'absent', createIfMissing: false });
  await assert.rejects(store.get('a'), (error: unknown) => {
    assert.ok(error instanceof TokenStoreError);
    assert.match(error.message, new RegExp(`^The token table ${DB}\\.absent does not exist .*createIfMissing: true\\.$`));
    return true;
  });
  const [tables] = await admin.execute<RowDataPacket[]>('SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?', [DB, 'absent']);
  assert.equal(tables.length, 0);
});

test('a pool passed in is used with its own database and left open by close()', async () => {
  const pool = createPool({ host: HOST, user: 'root', password: '', database: DB, connectionLimit: 2 });
  try {
    const store = new MySQLTokenStore({ pool, table: 'given_pool' });
    await store.save({ userId: 'p@x.com', accessToken: 'AT-p', expiresAt: 7 });
    await store.close();
    assert.deepEqual(await rows('given_pool'), [{ useridentifier: 'p@x.com', accesstoken: 'AT-p', refreshtoken: null, expirytime: 7 }]);
    const [ping] = await pool.query<RowDataPacket[]>('SELECT 1 AS one');
    assert.equal(ping[0]?.one, 1);
    await assert.rejects(store.get('p@x.com'), /closed/);
  } finally {
    await pool.end();
  }
});

test('invalid identifiers and limits are ConfigErrors naming the option', () => {
  assert.throws(() => new MySQLTokenStore({ table: 'tokens; DROP TABLE x' }), (e: unknown) => e instanceof ConfigError && e.option === 'table');
  assert.throws(() => new MySQLTokenStore({ database: 'a`b' }), (e: unknown) => e instanceof ConfigError && e.option === 'database');
  assert.throws(() => new MySQLTokenStore({ connectionLimit: 1 }), (e: unknown) => e instanceof ConfigError && e.option === 'connectionLimit');
  assert.throws(() => new MySQLTokenStore({ port: 70000 }), (e: unknown) => e instanceof ConfigError && e.option === 'port');
});

const JOSE = 'josé@example.com';
const LOOKALIKES = ['jose@example.com', 'JOSÉ@EXAMPLE.COM', 'josé@example.com   ', 'Josè@example.com'];

for (const kind of ['created by the SDK', 'made for zcrmsdk 0.0.x (general_ci, no key)', 'made for zcrmsdk 0.0.x (latin1)'] as const) {
  test(`user ids match exactly on a table ${kind}: look-alikes of ${JOSE} are other users, and saving one keeps the others`, async () => {
    const table = `exact_${kind.length}_${kind.includes('latin1') ? 'l1' : kind.includes('SDK') ? 'sdk' : 'ci'}`;
    if (kind.includes('latin1')) {
      await admin.query(`CREATE TABLE \`${DB}\`.\`${table}\` (useridentifier varchar(100) CHARACTER SET latin1, accesstoken varchar(100), refreshtoken varchar(100), expirytime bigint)`);
    } else if (kind.includes('0.0.x')) {
      await admin.query(`CREATE TABLE \`${DB}\`.\`${table}\` (useridentifier varchar(100) COLLATE utf8mb4_general_ci, accesstoken varchar(100), refreshtoken varchar(100), expirytime bigint)`);
    }
    const store = newStore({ table });
    await store.save({ userId: JOSE, accessToken: 'AT-jose', refreshToken: 'RT-jose', expiresAt: 10 });
    for (const other of LOOKALIKES) assert.equal(await store.get(other), null, `${JSON.stringify(other)} must not read josé's row`);
    for (const [i, other] of LOOKALIKES.entries()) {
      if (kind.includes('latin1') && /[^\x00-\xff]/.test(other)) continue;
      await store.save({ userId: other, accessToken: `AT-${i}`, expiresAt: i });
    }
    assert.deepEqual(await store.get(JOSE), { userId: JOSE, accessToken: 'AT-jose', refreshToken: 'RT-jose', expiresAt: 10 });
    for (const [i, other] of LOOKALIKES.entries()) assert.equal((await store.get(other))?.accessToken, `AT-${i}`);
    await store.update({ userId: 'JOSÉ@EXAMPLE.COM', accessToken: 'AT-upper-2', expiresAt: 99 });
    await store.delete('jose@example.com');
    assert.equal((await store.get(JOSE))?.accessToken, 'AT-jose');
    assert.equal((await store.get('JOSÉ@EXAMPLE.COM'))?.accessToken, 'AT-upper-2');
    assert.equal(await store.get('jose@example.com'), null);
    const all = await rows(table);
    assert.equal(all.filter((r) => r.useridentifier === JOSE).length, 1);
    assert.equal(all.length, LOOKALIKES.length);
  });
}

test('an over-long user id is refused naming useridentifier and its maximum, before any write', async () => {
  const table = 'long_ids';
  await createLegacyTable(table);
  const store = newStore({ table });
  const long = `${'u'.repeat(101)}@x.com`;
  for (const op of [() => store.save({ userId: long, accessToken: 'AT', expiresAt: 1 }), () => store.get(long)]) {
    await assert.rejects(op(), (error: unknown) => {
      assert.ok(error instanceof InvalidInputError, String(error));
      assert.match(error.message, /^The user id is 107 characters long, more than the 100 characters the useridentifier column of .*long_ids holds\./);
      assert.doesNotMatch(error.message, /accesstoken|refreshtoken/);
      return true;
    });
  }
  assert.deepEqual(await rows(table), []);
});

/** A TCP proxy to MariaDB that can stop forwarding (a stalled network), as seen from a pooled connection. */
async function stallingProxy(): Promise<{ port: number; stall(): void; resume(): void; close(): Promise<void> }> {
  let stalled = false;
  const sockets = new Set<import('node:net').Socket>();
  const held: (() => void)[] = [];
  const server = createServer((client) => {
    const upstream = connect(3306, HOST);
    sockets.add(client).add(upstream);
    const forward = (from: import('node:net').Socket, to: import('node:net').Socket) =>
      from.on('data', (chunk) => (stalled ? held.push(() => void 0) : to.write(chunk)));
    forward(client, upstream);
    forward(upstream, client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  const address = server.address();
  assert.ok(address && typeof address === 'object');
  return {
    port: address.port,
    stall: () => void (stalled = true),
    resume: () => void (stalled = false),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

test('a pooled connection that stops answering ends in a TokenStoreError within timeoutMs, and the store recovers', async () => {
  const proxy = await stallingProxy();
  try {
    const store = newStore({ port: proxy.port, table: 'stall', timeoutMs: 1_500 });
    await store.save({ userId: 's@x.com', accessToken: 'AT-s', expiresAt: 1 });
    assert.equal((await store.get('s@x.com'))?.accessToken, 'AT-s');
    proxy.stall();
    const started = Date.now();
    await assert.rejects(store.get('s@x.com'), (error: unknown) => {
      assert.ok(error instanceof TokenStoreError);
      assert.match(error.message, /did not answer within 1500 ms when asked to read the tokens of a user \(timeoutMs\)/);
      return true;
    });
    const took = Date.now() - started;
    // A deadline, not a hang (generous: the machine is shared).
    assert.ok(took < 10_000, `took ${took} ms`);
    proxy.resume();
    assert.equal((await store.get('s@x.com'))?.accessToken, 'AT-s');
  } finally {
    await proxy.close();
  }
});

test('generateTokens with a user id too long for useridentifier fails before the grant code is spent', async () => {
  const { startEmulator } = await import('@zcrmsdk/emulator');
  const { ZohoCRM } = await import('../../src/client.js');
  const table = 'long_ids_client';
  await createLegacyTable(table);
  const emu = await startEmulator({ port: 0 });
  const crm = new ZohoCRM({ clientId: emu.client.clientId, clientSecret: emu.client.clientSecret, accountsUrl: emu.url, apiUrl: emu.url, tokenStore: newStore({ table }) });
  try {
    const grant = await emu.grantToken();
    await assert.rejects(crm.generateTokens(grant, `${'u'.repeat(120)}@x.com`), (error: unknown) => {
      assert.ok(error instanceof InvalidInputError, String(error));
      assert.match(error.message, /useridentifier column .* holds/);
      return true;
    });
    assert.equal(emu.tokenRequests.length, 0, 'the grant code was not sent');
    assert.equal((await crm.generateTokens(grant, 'short@x.com')).userId, 'short@x.com');
  } finally {
    await crm.close();
    await emu.close();
  }
});
