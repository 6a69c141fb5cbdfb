import assert from 'node:assert/strict';
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { ConfigError, TokenStoreError } from '../../src/errors.js';
import { RUNNING_FROM_BUNDLE, driverError } from '../../src/stores/drivers.js';
import type { TokenStore } from '../../src/stores/token-store.js';
import { buildStore, dropSpec, ensureMySQLDatabase, newSpec, rawRows, writeRawRow, type RawTokenRow, type StoreKind, type StoreSpec } from './helpers.js';

const KINDS: StoreKind[] = ['memory', 'file', 'sqlite', 'mysql', 'postgres', 'redis'];
const HOSTILE = "x'; DROP TABLE oauthtokens; --";
const KEY = randomBytes(32);
const OLD_KEY = randomBytes(32).toString('base64');

/** A value as zcrmsdk encrypted it before values were bound to their user (`zcrmenc1:`, no associated data). */
function unboundValue(value: string, key: Buffer): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  const body = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  const id = createHash('sha256').update(key).digest('hex').slice(0, 8);
  return `zcrmenc1:${id}:${Buffer.concat([nonce, cipher.getAuthTag(), body]).toString('base64')}`;
}

function rowOf(rows: Record<string, unknown>[], userId: string): RawTokenRow {
  const row = rows.find((r) => r['useridentifier'] === userId);
  assert.ok(row, `a row for ${userId}`);
  return { accesstoken: String(row['accesstoken']), refreshtoken: row['refreshtoken'] == null ? null : String(row['refreshtoken']), expirytime: Number(row['expirytime']) };
}

before(ensureMySQLDatabase);

for (const kind of KINDS) {
  describe(`${kind} store`, () => {
    const specs: StoreSpec[] = [];
    const stores: TokenStore[] = [];
    const open = (spec: StoreSpec, options: Parameters<typeof buildStore>[1] = {}) => {
      const store = buildStore(spec, options);
      stores.push(store);
      return store;
    };
    const fresh = (tag: string) => {
      const spec = newSpec(kind, tag);
      specs.push(spec);
      return { spec, store: open(spec) };
    };
    after(async () => {
      await Promise.allSettled(stores.map((s) => s.close?.()));
      await Promise.allSettled(specs.map(dropSpec));
    });

    it('saves, reads, updates (keeping the refresh token and api domain) and deletes', async () => {
      const { store } = fresh('crud');
      assert.equal(await store.get('a@x'), null);
      await store.save({ userId: 'a@x', accessToken: 'AT-1', refreshToken: 'RT-1', expiresAt: 1_700_000_000_000, apiDomain: 'https://www.zohoapis.eu' });
      assert.deepEqual(await store.get('a@x'), { userId: 'a@x', accessToken: 'AT-1', refreshToken: 'RT-1', expiresAt: 1_700_000_000_000, apiDomain: 'https://www.zohoapis.eu' });
      await (store.update ?? store.save).call(store, { userId: 'a@x', accessToken: 'AT-2', expiresAt: 1_700_000_360_000 });
      const updated = await store.get('a@x');
      assert.equal(updated?.accessToken, 'AT-2');
      assert.equal(updated?.expiresAt, 1_700_000_360_000);
      if (kind !== 'memory') {
        assert.equal(updated?.refreshToken, 'RT-1');
        assert.equal(updated?.apiDomain, 'https://www.zohoapis.eu');
      }
      await store.delete('a@x');
      assert.equal(await store.get('a@x'), null);
    });

    it(`ALICE@x and alice@x are two users, as are look-alikes of josé; a hostile id round-trips as data`, async () => {
      const { spec, store } = fresh('ids');
      const ids = ['ALICE@x', 'alice@x', 'alice@x ', 'josé@example.com', 'jose@example.com', 'JOSÉ@EXAMPLE.COM', HOSTILE, '__proto__', 'user:with:colons'];
      for (const [i, userId] of ids.entries()) await store.save({ userId, accessToken: `AT-${i}`, refreshToken: `RT-${i}`, expiresAt: i + 1 });
      for (const [i, userId] of ids.entries()) assert.equal((await store.get(userId))?.accessToken, `AT-${i}`, JSON.stringify(userId));
      await store.delete('alice@x');
      assert.equal(await store.get('alice@x'), null);
      assert.equal((await store.get('ALICE@x'))?.accessToken, 'AT-0');
      if (kind !== 'memory') {
        const rows = await rawRows(spec);
        assert.equal(rows.length, ids.length - 1);
        assert.ok(rows.some((r) => String(r.useridentifier) === HOSTILE));
      }
    });

    if (kind === 'memory') return;

    it('with encryptionKey the stored row holds no token in clear; plain rows still read; old keys read after rotation', async () => {
      const spec = newSpec(kind, 'enc');
      specs.push(spec);
      const plain = open(spec);
      await plain.save({ userId: 'legacy@x', accessToken: 'AT-plain-1234567890', refreshToken: 'RT-plain-1234567890', expiresAt: 5 });
      const old = open(spec, { encryptionKey: OLD_KEY });
      await old.save({ userId: 'old@x', accessToken: 'AT-old-secret-1234567890', refreshToken: 'RT-old-secret-1234567890', expiresAt: 6 });
      const store = open(spec, { encryptionKey: KEY, previousEncryptionKeys: [OLD_KEY] });
      await store.save({ userId: 'bob@x', accessToken: 'AT-secret-1234567890', refreshToken: 'RT-secret-1234567890', expiresAt: 7 });
      const rows = JSON.stringify(await rawRows(spec));
      for (const secret of ['AT-secret-1234567890', 'RT-secret-1234567890', 'AT-old-secret-1234567890', 'RT-old-secret-1234567890']) {
        assert.ok(!rows.includes(secret), `${secret} in ${rows}`);
      }
      assert.ok(rows.includes('AT-plain-1234567890'));
      assert.deepEqual(await store.get('bob@x'), { userId: 'bob@x', accessToken: 'AT-secret-1234567890', refreshToken: 'RT-secret-1234567890', expiresAt: 7 });
      assert.equal((await store.get('old@x'))?.refreshToken, 'RT-old-secret-1234567890');
      assert.equal((await store.get('legacy@x'))?.accessToken, 'AT-plain-1234567890');
      // Two writes of one token give two ciphertexts (a random nonce each time).
      await store.save({ userId: 'bob@x', accessToken: 'AT-secret-1234567890', refreshToken: 'RT-secret-1234567890', expiresAt: 7 });
      const again = JSON.stringify(await rawRows(spec));
      assert.notEqual(again, rows);
      await assert.rejects(plain.get('bob@x'), (e: unknown) => e instanceof TokenStoreError && /encrypted with a key this store does not have.*set the encryptionKey option/.test(e.message));
      await assert.rejects(open(spec, { encryptionKey: KEY }).get('old@x'), (e: unknown) => e instanceof TokenStoreError && /previousEncryptionKeys/.test(e.message));
    });

    it('encrypted values are bound to their user and column: alice\'s row copied to bob does not decrypt', async () => {
      const spec = newSpec(kind, 'aad');
      specs.push(spec);
      const store = open(spec, { encryptionKey: KEY });
      await store.save({ userId: 'alice@x', accessToken: 'AT-alice-1234567890', refreshToken: 'RT-alice-1234567890', expiresAt: 8 });
      await store.save({ userId: 'bob@x', accessToken: 'AT-bob-1234567890', refreshToken: 'RT-bob-1234567890', expiresAt: 9 });
      const alice = rowOf(await rawRows(spec), 'alice@x');
      assert.match(alice.accesstoken, /^zcrmenc2:/);
      await writeRawRow(spec, 'bob@x', alice);
      await assert.rejects(store.get('bob@x'), (e: unknown) => {
        assert.ok(e instanceof TokenStoreError, String(e));
        assert.match(e.message, /tokens of user 'bob@x' .* do not decrypt for this user: they were written for another user or table \(a copied row\)/);
        assert.ok(!e.message.includes('alice-1234567890'));
        return true;
      });
      // The access token moved into the refresh column does not decrypt either.
      await writeRawRow(spec, 'alice@x', { ...alice, refreshtoken: alice.accesstoken });
      await assert.rejects(store.get('alice@x'), TokenStoreError);
    });

    it('strictEncryption refuses rows in clear and unbound (zcrmenc1) rows; by default an unbound row reads and is rewritten bound on save', async () => {
      const spec = newSpec(kind, 'strict');
      specs.push(spec);
      const plain = open(spec);
      await plain.save({ userId: 'plain@x', accessToken: 'AT-plain-1234567890', refreshToken: 'RT-plain-1234567890', expiresAt: 5 });
      await writeRawRow(spec, 'v1@x', { accesstoken: unboundValue('AT-v1-1234567890', KEY), refreshtoken: unboundValue('RT-v1-1234567890', KEY), expirytime: 6 });
      const strict = open(spec, { encryptionKey: KEY, strictEncryption: true });
      await assert.rejects(strict.get('plain@x'), (e: unknown) => e instanceof TokenStoreError && /stored in clear, and strictEncryption refuses them/.test(e.message));
      await assert.rejects(strict.get('v1@x'), (e: unknown) => e instanceof TokenStoreError && /earlier zcrmsdk without being bound to their user, and strictEncryption refuses them/.test(e.message));
      // Migration: the default mode reads the unbound row, and the next save writes it bound (zcrmenc2).
      const lenient = open(spec, { encryptionKey: KEY });
      const v1 = await lenient.get('v1@x');
      assert.deepEqual(v1, { userId: 'v1@x', accessToken: 'AT-v1-1234567890', refreshToken: 'RT-v1-1234567890', expiresAt: 6 });
      await lenient.save({ ...(v1 as NonNullable<typeof v1>), accessToken: 'AT-v1-next-1234567890', expiresAt: 7 });
      assert.match(rowOf(await rawRows(spec), 'v1@x').accesstoken, /^zcrmenc2:/);
      assert.match(String(rowOf(await rawRows(spec), 'v1@x').refreshtoken), /^zcrmenc2:/);
      assert.equal((await strict.get('v1@x'))?.refreshToken, 'RT-v1-1234567890');
    });

    it('withLock lets one holder in at a time across two store instances', async () => {
      const spec = newSpec(kind, 'lock');
      specs.push(spec);
      const first = open(spec);
      const second = open(spec);
      await first.save({ userId: 'l@x', accessToken: 'AT', expiresAt: 1 });
      const events: string[] = [];
      let inner: Promise<unknown> | undefined;
      await first.withLock!('refresh:l@x', async () => {
        events.push('first in');
        inner = second.withLock!('refresh:l@x', async () => void events.push('second in'));
        await new Promise((resolve) => setTimeout(resolve, 150));
        // The holder can write while it holds the lock (SQLite: through the lock's own connection).
        await first.save({ userId: 'l@x', accessToken: 'AT-2', expiresAt: 2 });
        events.push('first out');
      });
      await inner;
      assert.deepEqual(events, ['first in', 'first out', 'second in']);
      assert.equal((await second.get('l@x'))?.accessToken, 'AT-2');
    });

    if (kind === 'file') {
      it('writes the file with mode 0600 and leaves no temp or lock files', async () => {
        const { spec, store } = fresh('mode');
        await store.save({ userId: 'm@x', accessToken: 'AT', expiresAt: 1 });
        assert.equal(statSync(spec.name).mode & 0o777, 0o600);
        const { readdirSync } = await import('node:fs');
        assert.deepEqual(readdirSync(spec.dir!), ['tokens.json']);
      });
      it('a dead holder\'s lock is taken over by exactly one waiter at a time', async () => {
        const { spec } = fresh('steal');
        const { writeFileSync } = await import('node:fs');
        const { keyDigest } = await import('../../src/stores/lock.js');
        writeFileSync(`${spec.name}.${keyDigest('refresh:s', 16)}.lock`, JSON.stringify({ owner: 'dead:1', expiresAt: Date.now() - 1 }));
        let holders = 0;
        let peak = 0;
        await Promise.all(
          Array.from({ length: 12 }, () =>
            open(spec).withLock!('refresh:s', async () => {
              peak = Math.max(peak, ++holders);
              await new Promise((resolve) => setTimeout(resolve, 5));
              holders--;
            }),
          ),
        );
        assert.equal(peak, 1);
      });
      it('a corrupt file is a TokenStoreError that says what to do', async () => {
        const { spec, store } = fresh('corrupt');
        const { writeFileSync } = await import('node:fs');
        writeFileSync(spec.name, '{"tokens": ');
        await assert.rejects(store.get('a'), (e: unknown) => e instanceof TokenStoreError && /not valid JSON \(corrupt\); move it away/.test(e.message));
      });
    }
  });
}

describe('drivers', () => {
  it('a missing driver is a ConfigError naming the package to install, or the bundle that left it out', () => {
    let cause: unknown;
    try {
      require('zcrmsdk-no-such-driver');
    } catch (error) {
      cause = error;
    }
    const installed = driverError(cause, 'zcrmsdk-no-such-driver', 'ExampleTokenStore', 'zcrmsdk-no-such-driver', false);
    assert.ok(installed instanceof ConfigError);
    assert.equal(installed.code, 'DRIVER_MISSING');
    assert.equal(installed.message, "ExampleTokenStore needs the 'zcrmsdk-no-such-driver' package, which is not installed: run `npm install zcrmsdk-no-such-driver`.");
    const bundled = driverError(cause, 'zcrmsdk-no-such-driver', 'ExampleTokenStore', 'zcrmsdk-no-such-driver', true);
    assert.equal(bundled.code, 'DRIVER_MISSING');
    assert.match(bundled.message, /^ExampleTokenStore needs the 'zcrmsdk-no-such-driver' package, which this bundle left out .*bundle it .*npm install zcrmsdk-no-such-driver/);
    // Run from the package (here, its sources), the SDK knows it is not bundled.
    assert.equal(RUNNING_FROM_BUNDLE, false);
  });
  it('strictEncryption without an encryptionKey is a ConfigError naming the option', async () => {
    const spec = newSpec('file', 'strictkey');
    assert.throws(() => buildStore(spec, { strictEncryption: true }), (e: unknown) => e instanceof ConfigError && /strictEncryption' needs the encryptionKey option/.test(e.message));
    await dropSpec(spec);
  });

  it('a bad encryptionKey is a ConfigError naming the option', () => {
    assert.throws(() => buildStore(newSpec('file', 'badkey'), { encryptionKey: 'short' }), (e: unknown) => e instanceof ConfigError && e.option === 'encryptionKey' && /32-byte key/.test(e.message));
  });
});
