import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { describe, it } from 'node:test';
import { ZohoCRM } from '../../src/client.js';
import { TokensNotSavedError } from '../../src/auth/token-manager.js';
import { AbortedError, TokenStoreError } from '../../src/errors.js';
import { MemoryTokenStore } from '../../src/stores/memory-store.js';
import type { StoredToken, TokenStore } from '../../src/stores/token-store.js';
import { startEmulator, type Emulator } from '@zcrmsdk/emulator';

const refreshes = (emu: Emulator) => emu.tokenRequests.filter((r) => `${r.rawQuery}&${String(r.body)}`.includes('grant_type=refresh_token'));
const grants = (emu: Emulator) => emu.tokenRequests.filter((r) => `${r.rawQuery}&${String(r.body)}`.includes('grant_type=authorization_code'));

/** A store that can be switched off, as a custom store whose database is down. */
class SwitchableStore implements TokenStore {
  readonly inner = new MemoryTokenStore();
  down: 'reads' | 'writes' | 'all' | 'none' = 'none';
  async get(userId: string): Promise<StoredToken | null> {
    if (this.down === 'reads' || this.down === 'all') throw new Error('connect ECONNREFUSED 127.0.0.1:1');
    return this.inner.get(userId);
  }
  async save(token: StoredToken): Promise<void> {
    if (this.down === 'writes' || this.down === 'all') throw new Error('connect ECONNREFUSED 127.0.0.1:1');
    return this.inner.save(token);
  }
  async delete(userId: string): Promise<void> {
    return this.inner.delete(userId);
  }
}

async function setup(options: { store?: TokenStore; onRefresh?: (userId: string, reason: string) => void } = {}) {
  const emu = await startEmulator({ port: 0 });
  const store = options.store ?? new MemoryTokenStore();
  const crm = new ZohoCRM({ clientId: emu.client.clientId, clientSecret: emu.client.clientSecret, accountsUrl: emu.url, apiUrl: emu.url, tokenStore: store });
  // The client wires onRefresh itself once core lands it; until then the manager is built here with it.
  const { TokenManager } = await import('../../src/auth/token-manager.js');
  const { OAuthClient } = await import('../../src/auth/oauth-client.js');
  const { HttpTransport } = await import('../../src/http/transport.js');
  const transport = new HttpTransport({});
  const oauth = new OAuthClient({ accountsUrl: emu.url, clientId: emu.client.clientId, clientSecret: emu.client.clientSecret, transport });
  const tokens = new TokenManager({ store, oauth, onRefresh: options.onRefresh });
  return {
    emu,
    crm,
    store,
    tokens,
    close: async () => {
      await transport.close();
      await crm.close();
      await emu.close();
    },
  };
}

describe('TokenManager', () => {
  it('getToken returns the stored token with the api_domain of the token reply; getAccessToken is its access token', async () => {
    const h = await setup();
    try {
      const issued = await h.tokens.generateFromGrant('alice@x', await h.emu.grantToken());
      assert.equal(typeof issued.apiDomain, 'string');
      const token = await h.tokens.getToken('alice@x');
      assert.equal(token.accessToken, issued.accessToken);
      assert.equal(token.apiDomain, issued.apiDomain);
      assert.equal(await h.tokens.getAccessToken('alice@x'), issued.accessToken);
      // After a refresh (reply without a refresh token) the domain and the refresh token are kept.
      h.emu.expireAccessTokens();
      const refreshed = await h.tokens.getToken('alice@x', { rejected: issued.accessToken });
      assert.notEqual(refreshed.accessToken, issued.accessToken);
      assert.equal(refreshed.refreshToken, issued.refreshToken);
      assert.equal(refreshed.apiDomain, issued.apiDomain);
    } finally {
      await h.close();
    }
  });

  it('onRefresh is called once per refresh this process sends, with the reason', async () => {
    const calls: [string, string][] = [];
    const h = await setup({ onRefresh: (userId, reason) => calls.push([userId, reason]) });
    try {
      const issued = await h.tokens.generateFromGrant('bob@x', await h.emu.grantToken());
      const stored = await h.store.get('bob@x');
      await h.store.save({ ...stored!, expiresAt: Date.now() - 1000 });
      h.tokens.clearCache();
      const all = await Promise.all(Array.from({ length: 20 }, () => h.tokens.getAccessToken('bob@x')));
      assert.equal(new Set(all).size, 1);
      assert.deepEqual(calls, [['bob@x', 'expired']]);
      await h.tokens.getAccessToken('bob@x', { rejected: all[0] });
      assert.deepEqual(calls, [['bob@x', 'expired'], ['bob@x', 'rejected']]);
      assert.equal(refreshes(h.emu).length, 2);
      assert.notEqual(all[0], issued.accessToken);
    } finally {
      await h.close();
    }
  });

  it("one caller's abort stops only its own wait; the shared refresh goes on for the others", async () => {
    const h = await setup();
    try {
      await h.tokens.generateFromGrant('carol@x', await h.emu.grantToken());
      const stored = await h.store.get('carol@x');
      await h.store.save({ ...stored!, expiresAt: Date.now() - 1000 });
      h.tokens.clearCache();
      h.emu.failNext({ path: '/oauth/v2/token', delayMs: 300 });
      const controller = new AbortController();
      const first = h.tokens.getAccessToken('carol@x', { signal: controller.signal });
      const second = h.tokens.getAccessToken('carol@x');
      setTimeout(() => controller.abort(), 50);
      await assert.rejects(first, (e: unknown) => e instanceof AbortedError && /aborted by the caller while waiting for the access token of user 'carol@x'/.test(e.message));
      const token = await second;
      assert.equal((await h.store.get('carol@x'))?.accessToken, token);
      assert.equal(refreshes(h.emu).length, 1);
    } finally {
      await h.close();
    }
  });

  it('a store that is down does not spend the grant code; the code still works once it is back', async () => {
    const store = new SwitchableStore();
    const h = await setup({ store });
    try {
      const grant = await h.emu.grantToken();
      store.down = 'all';
      const error = await h.crm.generateTokens(grant, 'dave@x').then(() => assert.fail('must reject'), (e: unknown) => e);
      assert.ok(error instanceof TokenStoreError);
      assert.match((error as Error).message, /not answering, so the grant code was not used/);
      assert.equal(grants(h.emu).length, 0);
      store.down = 'none';
      const token = await h.crm.generateTokens(grant, 'dave@x');
      assert.equal((await store.get('dave@x'))?.accessToken, token.accessToken);
    } finally {
      await h.close();
    }
  });

  it('when saving fails after the exchange, the error carries the issued tokens, never in its message, inspect or JSON', async () => {
    const store = new SwitchableStore();
    const h = await setup({ store });
    try {
      store.down = 'writes';
      const error = await h.crm.generateTokens(await h.emu.grantToken(), 'erin@x').then(() => assert.fail('must reject'), (e: unknown) => e);
      assert.ok(error instanceof TokensNotSavedError);
      assert.ok(error instanceof TokenStoreError);
      assert.match(error.message, /Zoho issued tokens for user 'erin@x' from the grant code \(which is now spent\), but the token store could not save them; they are on error\.tokens/);
      const { tokens } = error;
      assert.equal(tokens.userId, 'erin@x');
      assert.ok(tokens.accessToken.length > 0 && tokens.refreshToken);
      for (const shown of [error.message, inspect(error, { depth: 5, showHidden: false }), JSON.stringify(error), String(error.stack)]) {
        assert.ok(!shown.includes(tokens.accessToken), shown);
        assert.ok(!shown.includes(tokens.refreshToken!), shown);
      }
      assert.ok(!Object.keys(error).includes('tokens'));
      // The tokens work once saved by hand.
      store.down = 'none';
      await store.save(tokens);
      const res = await h.crm.request({ method: 'GET', path: 'Leads', query: { fields: 'Last_Name' }, userId: 'erin@x' });
      assert.equal(res.status === 200 || res.status === 204, true);
    } finally {
      await h.close();
    }
  });

  it('a store call that never settles ends in a TokenStoreError within storeTimeoutMs', async () => {
    const { TokenManager } = await import('../../src/auth/token-manager.js');
    const { OAuthClient } = await import('../../src/auth/oauth-client.js');
    const { HttpTransport } = await import('../../src/http/transport.js');
    const transport = new HttpTransport({});
    const oauth = new OAuthClient({ accountsUrl: 'http://127.0.0.1:9', clientId: 'c', clientSecret: 'secret-secret', transport });
    const hung: TokenStore = { get: () => new Promise(() => undefined), save: async () => undefined, delete: async () => undefined };
    const tokens = new TokenManager({ store: hung, oauth, storeTimeoutMs: 200 });
    try {
      await assert.rejects(tokens.getAccessToken('frank@x'), (e: unknown) =>
        e instanceof TokenStoreError && /did not read the tokens of user 'frank@x' within 200 ms \(storeTimeoutMs\)/.test(e.message),
      );
    } finally {
      await transport.close();
    }
  });
});
