/**
 * A store that goes down, or stalls, mid-run, seen through the modern client against the emulator: calls fail
 * with a TokenStoreError within the store's deadline (no hang), a grant code is not spent while the store is
 * down, and the client recovers when the store is back.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ZohoCRM } from '../../src/client.js';
import { startEmulator, type Emulator } from '@zcrmsdk/emulator';
import { TokenStoreError } from '../../src/errors.js';
import { buildStore, dropSpec, ensureMySQLDatabase, newSpec, startProxy, UPSTREAM_PORT, type StoreKind } from './helpers.js';

const TIMEOUT_MS = 1_000;
const grants = (emu: Emulator) => emu.tokenRequests.filter((r) => `${r.rawQuery}&${String(r.body)}`.includes('grant_type=authorization_code')).length;

async function failsTyped(call: Promise<unknown>, pattern: RegExp): Promise<number> {
  const started = Date.now();
  const error = await call.then(() => assert.fail('the call must fail while the store is down'), (e: unknown) => e);
  assert.ok(error instanceof TokenStoreError, String(error));
  assert.match(error.message, pattern);
  return Date.now() - started;
}

async function eventually<T>(call: () => Promise<T>): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await call();
    } catch (error) {
      if (i >= 40) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

describe('a token store that goes down mid-run', () => {
  let emu: Emulator;
  before(async () => {
    await ensureMySQLDatabase();
    emu = await startEmulator({ port: 0 });
  });
  after(() => emu.close());

  for (const kind of ['mysql', 'postgres', 'redis'] as StoreKind[]) {
    it(`${kind}: a TokenStoreError within the deadline, no grant spent while down, recovery once it is back`, async (t) => {
      const proxy = await startProxy(UPSTREAM_PORT[kind]!);
      const spec = newSpec(kind, 'down', { port: proxy.port, timeoutMs: TIMEOUT_MS });
      const store = buildStore(spec);
      const crm = new ZohoCRM({ clientId: emu.client.clientId, clientSecret: emu.client.clientSecret, accountsUrl: emu.url, apiUrl: emu.url, tokenStore: store, maxRetries: 0 });
      const user = `down-${kind}@x`;
      try {
        await crm.generateTokens(await emu.grantToken(), user);
        const expire = async () => {
          const token = await store.get(user);
          await store.save({ ...token!, expiresAt: Date.now() - 1_000 });
          crm.tokens.clearCache();
        };
        await expire();

        // Stalled: the open pooled connection stops answering.
        proxy.stall();
        const stalledMs = await failsTyped(crm.request({ method: 'GET', path: 'org', userId: user }), /within 1000 ms/);
        // Down: the port refuses connections.
        await proxy.stop();
        const downMs = await failsTyped(crm.request({ method: 'GET', path: 'org', userId: user }), /.*/);
        const grant = await emu.grantToken();
        const before = grants(emu);
        await failsTyped(crm.generateTokens(grant, user), /not answering, so the grant code was not used/);
        assert.equal(grants(emu), before, 'the grant code was not sent to Zoho');
        t.diagnostic(`${kind}: stalled call failed after ${stalledMs} ms, down call after ${downMs} ms (timeoutMs ${TIMEOUT_MS})`);
        assert.ok(stalledMs < TIMEOUT_MS * 5 && downMs < TIMEOUT_MS * 5, 'a deadline, not a hang');

        await proxy.start();
        const res = await eventually(() => crm.request({ method: 'GET', path: 'org', userId: user }));
        assert.equal(res.status, 200);
        const token = await eventually(() => crm.generateTokens(grant, user));
        assert.equal((await store.get(user))?.accessToken, token.accessToken);
      } finally {
        await crm.close().catch(() => undefined);
        await proxy.close();
        await dropSpec(spec);
      }
    });
  }
});
