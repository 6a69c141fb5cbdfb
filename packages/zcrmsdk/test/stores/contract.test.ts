import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { ConfigError, TokenStoreError } from '../../src/errors.js';
import { loadDriver } from '../../src/stores/drivers.js';
import type { TokenStore } from '../../src/stores/token-store.js';
import { buildStore, dropSpec, ensureMySQLDatabase, newSpec, rawRows, type StoreKind, type StoreSpec } from './helpers.js';

const KINDS: StoreKind[] = ['memory', 'file', 'sqlite', 'mysql', 'postgres', 'redis'];
const HOSTILE = "x'; DROP TABLE oauthtokens; --";
const KEY = randomBytes(32);
const OLD_KEY = randomBytes(32).toString('base64');

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
  it('a missing driver is a ConfigError naming the package to install', () => {
    assert.throws(
      () => loadDriver('zcrmsdk-no-such-driver', 'ExampleTokenStore'),
      (e: unknown) => e instanceof ConfigError && e.message === "ExampleTokenStore needs the 'zcrmsdk-no-such-driver' package, which is not installed: run `npm install zcrmsdk-no-such-driver`.",
    );
  });
  it('a bad encryptionKey is a ConfigError naming the option', () => {
    assert.throws(() => buildStore(newSpec('file', 'badkey'), { encryptionKey: 'short' }), (e: unknown) => e instanceof ConfigError && e.option === 'encryptionKey' && /32-byte key/.test(e.message));
  });
});
