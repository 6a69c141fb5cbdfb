/**
 * A single-use grant code is spent only when the store can write and its lock for the user is held (issue 17
 * item 9), on every shared store: a store that is down or unusable, a lock another process keeps, or a lock
 * connection that drops all fail before the emulator sees a grant exchange, with a TokenStoreError saying why;
 * a grant redeemed while another process holds the user's lock (a refresh) waits for it, then saves.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type Emulator } from '@zcrmsdk/emulator';
import { ZohoCRM } from '../../src/client.js';
import { TokenStoreError } from '../../src/errors.js';
import type { StoredToken, TokenStore } from '../../src/stores/token-store.js';
import { buildStore, dropSpec, ensureMySQLDatabase, newSpec, SHARED, startProxy, UPSTREAM_PORT, type StoreKind, type StoreSpec } from './helpers.js';

const HOLDER = join(__dirname, 'lock-holder-worker.ts');
/** The lock key refreshes take; a grant must take the same one. */
const lockKey = (userId: string) => `refresh:${userId}`;

/** The lock-holder process: one for the whole file (a node + tsx start is slow on a loaded machine). */
class Holder {
  readonly #child: ChildProcess;
  readonly #lines: string[] = [];
  #waiters: { prefix: string; resolve: (line: string) => void }[] = [];
  #count = 0;

  constructor() {
    this.#child = spawn(process.execPath, ['--import', 'tsx', HOLDER], { stdio: ['pipe', 'pipe', 'inherit'] });
    let buffer = '';
    this.#child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 1);
        this.#lines.push(line);
        this.#waiters = this.#waiters.filter((w) => (line.startsWith(w.prefix) ? (w.resolve(line), false) : true));
      }
    });
  }

  line(prefix: string): Promise<string> {
    const seen = this.#lines.find((l) => l.startsWith(prefix));
    return seen ? Promise.resolve(seen) : new Promise((resolve) => this.#waiters.push({ prefix, resolve }));
  }

  /**
   * Takes `key`'s lock in the other process; resolves once held. On `release()` it saves `save` and requests
   * `marker` (when given) while still holding the lock, then lets go.
   */
  async hold(spec: StoreSpec, key: string, then: { save?: StoredToken; marker?: string } = {}): Promise<{ release(): Promise<void> }> {
    const id = String(++this.#count);
    this.#child.stdin!.write(`${JSON.stringify({ id, spec, key, ...then })}\n`);
    const held = await Promise.race([this.line(`HOLDING ${id}`), this.line(`FAILED ${id} `)]);
    assert.ok(held.startsWith('HOLDING'), held);
    return {
      release: async () => {
        this.#child.stdin!.write(`RELEASE ${id}\n`);
        assert.equal(await Promise.race([this.line(`RELEASED ${id}`), this.line(`FAILED ${id} `)]), `RELEASED ${id}`);
      },
    };
  }

  end(): void {
    this.#child.stdin!.end();
  }
}

/** Calls `onCall` whenever the store is asked for a lock. */
function onLockRequest(store: TokenStore, onCall: (key: string) => void): void {
  const withLock = store.withLock!.bind(store);
  store.withLock = (key, fn, options) => {
    onCall(key);
    return withLock(key, fn, options);
  };
}

describe('a grant code is spent only when the store can write and holds the user\'s lock', () => {
  let emu: Emulator;
  let holder: Holder;
  before(async () => {
    await ensureMySQLDatabase();
    emu = await startEmulator({ port: 0 });
    holder = new Holder();
    await holder.line('READY');
  });
  after(async () => {
    holder.end();
    await emu.close();
  });

  /** The grant exchanges the emulator's token endpoint received, as indexes into emu.requests. */
  const exchanges = () =>
    emu.requests.flatMap((r, i) => (r.path.endsWith('/oauth/v2/token') && `${r.rawQuery}&${String(r.body)}`.includes('grant_type=authorization_code') ? [i] : []));
  const client = (store: TokenStore) =>
    new ZohoCRM({ clientId: emu.client.clientId, clientSecret: emu.client.clientSecret, accountsUrl: emu.url, apiUrl: emu.url, tokenStore: store, maxRetries: 0 });

  /** Redeems a fresh grant code for `userId` with `store`, which must fail: the error, and whether the code reached the emulator. */
  async function failedGrant(store: TokenStore, userId: string): Promise<{ error: TokenStoreError; exchanged: number }> {
    const crm = client(store);
    try {
      const grant = await emu.grantToken();
      const before = exchanges().length;
      const error = await crm.generateTokens(grant, userId).then(() => assert.fail('the grant must fail'), (e: unknown) => e);
      assert.ok(error instanceof TokenStoreError, String(error));
      return { error, exchanged: exchanges().length - before };
    } finally {
      await crm.close().catch(() => undefined);
    }
  }

  /** A spec of `kind` whose store cannot be used or reached: a missing folder, a directory, a server that is down. */
  const unusable: Record<StoreKind, ((spec: StoreSpec) => Promise<{ spec: StoreSpec; why: RegExp }>) | undefined> = {
    memory: undefined,
    file: async (spec) => ({ spec: { ...spec, name: join(dirname(spec.name), 'missing', 'tokens.json') }, why: /cannot save tokens, so the grant code was not used.*the folder .*missing does not exist: create it or change the path option/ }),
    sqlite: async (spec) => {
      mkdirSync(join(dirname(spec.name), 'a-folder'));
      return { spec: { ...spec, name: join(dirname(spec.name), 'a-folder') }, why: /cannot be used, so the grant code was not used.*a-folder is a directory, not a file: set the path option to a file in it, e\.g\. .*a-folder\/tokens\.sqlite/ };
    },
    mysql: downServer(/not answering, so the grant code was not used.*Cannot connect to MySQL/),
    postgres: downServer(/not answering, so the grant code was not used.*Cannot reach PostgreSQL/),
    redis: downServer(/not answering, so the grant code was not used.*(Could not read|did not answer)/),
  };
  function downServer(why: RegExp) {
    return async (spec: StoreSpec) => {
      const proxy = await startProxy(UPSTREAM_PORT[spec.kind]!);
      await proxy.close();
      return { spec: { ...spec, port: proxy.port, timeoutMs: 1_000 }, why };
    };
  }

  for (const kind of SHARED) {
    it(`${kind}: a store that is down or unusable: no grant exchange, and the TokenStoreError says why`, async () => {
      const spec = newSpec(kind, 'gdown');
      const { spec: broken, why } = await unusable[kind]!(spec);
      const store = buildStore(broken);
      try {
        const { error, exchanged } = await failedGrant(store, `down-${kind}@x`);
        assert.match(error.message, why);
        assert.doesNotMatch(error.message, /not answering \(EISDIR\)/);
        assert.equal(exchanged, 0, 'the grant code never reached the token endpoint');
      } finally {
        await store.close?.().catch(() => undefined);
        await dropSpec(spec);
      }
    });

    it(`${kind}: a lock another process keeps past lockTimeout: no grant exchange, and the TokenStoreError names the lock`, async () => {
      const spec = newSpec(kind, 'gbusy', { lockTimeoutMs: 1_000 });
      const userId = `busy-${kind}@x`;
      const store = buildStore(spec);
      try {
        await store.get(userId);
        const held = await holder.hold(spec, lockKey(userId));
        try {
          const { error, exchanged } = await failedGrant(store, userId);
          assert.match(error.message, new RegExp(`could not lock user '${userId}' .*so the grant code was not used.*(Timed out after 1 s|Timed out after 1000 ms)`));
          assert.match(error.message, /lockTimeout(Ms|Seconds)/, 'the message names the option to raise');
          assert.equal(exchanged, 0, 'the grant code never reached the token endpoint');
        } finally {
          await held.release();
        }
      } finally {
        await store.close?.();
        await dropSpec(spec);
      }
    });

    it(`${kind}: a grant redeemed while another process holds the user's lock waits for it, then saves`, async () => {
      const spec = newSpec(kind, 'gwait');
      const userId = `wait-${kind}@x`;
      const store = buildStore(spec);
      const crm = client(store);
      try {
        await store.get(userId);
        // The other process is mid-refresh: it holds the lock, and on release saves its tokens and asks for the marker.
        const marker = `/zcrm-test-marker/${spec.kind}-${Date.now()}`;
        const theirs: StoredToken = { userId, accessToken: `holder-AT-${kind}`, refreshToken: `holder-RT-${kind}`, expiresAt: Date.now() + 3_600_000 };
        const held = await holder.hold(spec, lockKey(userId), { save: theirs, marker: `${emu.url}${marker}` });
        const wanted = new Promise<string>((resolve) => onLockRequest(store, resolve));
        const before = exchanges().length;
        const grant = crm.generateTokens(await emu.grantToken(), userId);
        const first = await Promise.race([wanted, grant.then(() => 'the grant finished without asking for the lock', (e: Error) => e.message)]);
        assert.equal(first, lockKey(userId), 'the grant asks for the lock refreshes take');
        assert.equal(exchanges().length, before, 'no exchange while the other process holds the lock');
        await held.release();
        const token = await grant;
        const markerAt = emu.requests.findIndex((r) => r.path === marker);
        const exchanged = exchanges().slice(before);
        assert.equal(exchanged.length, 1);
        assert.ok(markerAt >= 0 && exchanged[0]! > markerAt, 'the code was exchanged only after the holder had saved and let go');
        const reader = buildStore(spec);
        const stored = await reader.get(userId).finally(() => reader.close?.());
        assert.equal(stored?.accessToken, token.accessToken, "the grant's tokens are the stored ones, not the holder's");
        assert.equal(stored?.refreshToken, token.refreshToken);
      } finally {
        await crm.close();
        await dropSpec(spec);
      }
    });
  }

  for (const kind of ['mysql', 'postgres'] as StoreKind[]) {
    it(`${kind}: a lock connection that drops before the exchange: no grant exchange, no crash, a TokenStoreError`, async () => {
      const proxy = await startProxy(UPSTREAM_PORT[kind]!);
      const spec = newSpec(kind, 'glost', { port: proxy.port, timeoutMs: 1_000 });
      const store = buildStore(spec);
      const withLock = store.withLock!.bind(store);
      // The server goes away while the lock is held, before the TokenManager uses it (a pg client with no 'error'
      // listener crashed the process here with "Connection terminated unexpectedly").
      store.withLock = (key, fn, options) =>
        withLock(
          key,
          async (lock) => {
            await proxy.stop();
            while (await lock!.held()) await new Promise<void>((resolve) => setImmediate(resolve));
            return fn(lock);
          },
          options,
        );
      try {
        const { error, exchanged } = await failedGrant(store, `lost-${kind}@x`);
        assert.match(error.message, /could not lock user 'lost-.*so the grant code was not used.*lost the lock right after taking it/);
        assert.equal(exchanged, 0, 'the grant code never reached the token endpoint');
      } finally {
        await store.close?.().catch(() => undefined);
        await proxy.close();
        await dropSpec(spec);
      }
    });
  }
});
