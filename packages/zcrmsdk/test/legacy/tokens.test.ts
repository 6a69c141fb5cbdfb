import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NoTokenError, OAuthError, OAuthThrottleError, ZohoError } from '../../src/errors.js';
import { createZCRMRestClient } from '../../src/legacy/zcrm-rest-client.js';
import type { LegacyResponse } from '../../src/legacy/response.js';
import { silentLogger } from '../../src/logger.js';
import { MemoryTokenStore } from '../../src/stores/memory-store.js';
import { redactAuthorization, startEmulator } from '@zcrmsdk/emulator';
import { ALL_SCOPES, expireStoredToken, lastCrmRequest, withLegacyHarness } from '../helpers/legacy.js';

const tokenCalls = (emu: { tokenRequests: { query: Record<string, string>; body: string | Buffer }[] }, grantType: string) =>
  emu.tokenRequests.filter((r) => r.query.grant_type === grantType);

describe('legacy OAuth: generateAuthTokens and generateAuthTokenfromRefreshToken', () => {
  it('exchanges the grant in the query string (as 0.0.20), stores the tokens and resolves the old shape', async () => {
    const emu = await startEmulator({ port: 0 });
    const store = new MemoryTokenStore();
    const client = createZCRMRestClient({ logger: silentLogger });
    client.setTokenStore(store);
    try {
      await client.initialize({ client_id: emu.client.clientId, client_secret: emu.client.clientSecret, redirect_url: 'https://example.com/cb', iamurl: emu.url, base_url: emu.url });
      const grant = await emu.grantToken({ scope: ALL_SCOPES });
      const before = Date.now();
      const auth = await client.generateAuthTokens('user@x.com', grant);
      assert.deepEqual(Object.keys(auth), ['access_token', 'refresh_token', 'expires_in', 'user_identifier']);
      assert.equal(auth.user_identifier, 'user@x.com');
      assert.ok(auth.expires_in >= before + 3_600_000 - 1000 && auth.expires_in <= Date.now() + 3_600_000 + 1000);
      assert.equal(client.getUserIdentifier(), 'user@x.com');
      const [req] = tokenCalls(emu, 'authorization_code');
      assert.ok(req);
      assert.deepEqual(Object.keys(req.query), ['client_id', 'client_secret', 'code', 'redirect_uri', 'grant_type']);
      assert.equal(req.query.redirect_uri, 'https://example.com/cb');
      assert.equal(String(req.body), '');
      const stored = await store.get('user@x.com');
      assert.equal(stored?.accessToken, auth.access_token);
      assert.equal(stored?.refreshToken, auth.refresh_token);

      const again = await client.generateAuthTokenfromRefreshToken('other@x.com', auth.refresh_token ?? '');
      assert.equal(again.refresh_token, auth.refresh_token);
      assert.equal(again.user_identifier, 'other@x.com');
      assert.equal((await store.get('other@x.com'))?.accessToken, again.access_token);
      const [refreshReq] = tokenCalls(emu, 'refresh_token');
      assert.deepEqual(Object.keys(refreshReq?.query ?? {}), ['client_id', 'client_secret', 'refresh_token', 'grant_type']);
    } finally {
      await client.close();
      await emu.close();
    }
  });

  it('a bad grant rejects with a typed OAuthError that names the cause and never the secret or code', async () => {
    const emu = await startEmulator({ port: 0 });
    const client = createZCRMRestClient({ logger: silentLogger });
    client.setTokenStore(new MemoryTokenStore());
    try {
      await client.initialize({ client_id: emu.client.clientId, client_secret: emu.client.clientSecret, redirect_url: 'x', iamurl: emu.url, base_url: emu.url });
      const grant = await emu.grantToken({ scope: ALL_SCOPES });
      await client.generateAuthTokens('u', grant);
      const error = await client.generateAuthTokens('u', grant).then(
        () => assert.fail('a used grant must be refused'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof OAuthError);
      assert.ok(error instanceof ZohoError);
      assert.equal(error.code, 'invalid_code');
      assert.match(error.message, /invalid_code/);
      assert.ok(!error.message.includes(grant));
      assert.ok(!error.message.includes(emu.client.clientSecret));
      assert.ok(!JSON.stringify(error).includes(grant));

      client.setClientSecret('wrong-secret-value');
      const other = await emu.grantToken({ scope: ALL_SCOPES });
      await assert.rejects(client.generateAuthTokens('u', other), (e: unknown) => e instanceof OAuthError && !e.message.includes('wrong-secret-value'));
      await assert.rejects(client.generateAuthTokens('u', ''), /grant token/);
    } finally {
      await client.close();
      await emu.close();
    }
  });

  it('the refresh throttle rejects with OAuthThrottleError', async () => {
    await withLegacyHarness({ emulator: { refreshThrottle: { max: 1, windowSeconds: 600 } } }, async (h) => {
      const rt = (await h.store.get('user@example.com'))?.refreshToken ?? '';
      await h.client.generateAuthTokenfromRefreshToken('a', rt);
      await assert.rejects(h.client.generateAuthTokenfromRefreshToken('b', rt), (e: unknown) => e instanceof OAuthThrottleError && /Access Denied/.test(e.message));
    });
  });

  it('understands the legacy expires_in_sec reply (expires_in already in ms)', async () => {
    await withLegacyHarness({ emulator: { legacyExpiresIn: true } }, async (h) => {
      const token = await h.store.get('user@example.com');
      const left = (token?.expiresAt ?? 0) - Date.now();
      assert.ok(left > 3_500_000 && left < 3_700_000, `expected about an hour, got ${left} ms`);
    });
  });
});

describe('legacy API calls and token refresh', () => {
  it('refreshes an expired token before the call, keeps the refresh token, and updates the store', async () => {
    await withLegacyHarness({}, async (h) => {
      const before = await h.store.get('user@example.com');
      assert.ok(before);
      await expireStoredToken(h);
      const res = (await h.client.API.MODULES.get({ module: 'Leads' })) as LegacyResponse;
      assert.equal(res.statusCode, 200);
      assert.equal(tokenCalls(h.emu, 'refresh_token').length, 1);
      const after = await h.store.get('user@example.com');
      assert.notEqual(after?.accessToken, before.accessToken);
      assert.equal(after?.refreshToken, before.refreshToken);
      assert.ok((after?.expiresAt ?? 0) > Date.now());
      assert.equal(lastCrmRequest(h.emu).headers.authorization, redactAuthorization(`Zoho-oauthtoken ${after?.accessToken}`));
    });
  });

  it('50 concurrent calls after expiry cause exactly one token request', async () => {
    await withLegacyHarness({}, async (h) => {
      await expireStoredToken(h);
      const results = await Promise.all(Array.from({ length: 50 }, () => h.client.API.MODULES.get({ module: 'Leads', params: { per_page: 1 } })));
      assert.ok(results.every((r) => typeof r === 'object' && r.statusCode === 200));
      assert.equal(tokenCalls(h.emu, 'refresh_token').length, 1);
    });
  });

  it('a 401 INVALID_TOKEN makes one forced refresh and replays the call', async () => {
    await withLegacyHarness({}, async (h) => {
      h.emu.expireAccessTokens();
      const res = (await h.client.API.MODULES.get({ module: 'Leads' })) as LegacyResponse;
      assert.equal(res.statusCode, 200);
      assert.equal(tokenCalls(h.emu, 'refresh_token').length, 1);
    });
  });

  it('a user without tokens gets NoTokenError instead of a request with "Zoho-oauthtoken undefined"', async () => {
    await withLegacyHarness({}, async (h) => {
      const crmCalls = h.emu.requests.filter((r) => r.path.startsWith('/crm/')).length;
      await assert.rejects(
        h.client.API.MODULES.get({ module: 'Leads', user_identifier: 'nobody@x.com' }),
        (e: unknown) => e instanceof NoTokenError && /nobody@x\.com/.test(e.message) && /generateAuthTokens/.test(e.message),
      );
      assert.equal(h.emu.requests.filter((r) => r.path.startsWith('/crm/')).length, crmCalls);
    });
  });
});

describe('legacy multi-user', () => {
  it('two users in flight at once never cross tokens, and per-call users leave the global one alone', async () => {
    await withLegacyHarness({ user: 'alice@x.com', emulator: { latencyMs: 30 } }, async (h) => {
      const grant = await h.emu.grantToken({ scope: ALL_SCOPES });
      await h.client.generateAuthTokens('bob@x.com', grant);
      h.client.setUserIdentifier('alice@x.com');
      const alice = (await h.store.get('alice@x.com'))?.accessToken;
      const bob = (await h.store.get('bob@x.com'))?.accessToken;
      assert.ok(alice && bob && alice !== bob);
      const calls: Promise<unknown>[] = [];
      for (let i = 0; i < 10; i++) {
        calls.push(h.client.API.MODULES.get({ module: 'Leads', params: { per_page: 1, tag: `alice-${i}` } }));
        // The old package re-read the global user after an await: switching mid-flight sent the wrong token.
        h.client.setUserIdentifier('bob@x.com');
        calls.push(h.client.API.MODULES.get({ module: 'Leads', params: { per_page: 1, tag: `bob-${i}` } }));
        h.client.setUserIdentifier('alice@x.com');
        calls.push(h.client.forUser('bob@x.com').API.MODULES.get({ module: 'Leads', params: { per_page: 1, tag: `bobfor-${i}` } }));
        calls.push(h.client.API.MODULES.get({ module: 'Leads', user_identifier: 'bob@x.com', params: { per_page: 1, tag: `bobinput-${i}` } }));
      }
      await Promise.all(calls);
      assert.equal(h.client.getUserIdentifier(), 'alice@x.com');
      const seen = h.emu.requests.filter((r) => r.query.tag);
      assert.equal(seen.length, 40);
      for (const r of seen) {
        const expected: string | undefined = r.query.tag?.startsWith('alice') ? alice : bob;
        assert.equal(r.headers.authorization, redactAuthorization(`Zoho-oauthtoken ${expected}`), `request ${r.query.tag} used the wrong token`);
      }
    });
  });
});

describe('privacy', () => {
  it('no token, grant code or client secret reaches a log line or an error message', async () => {
    const emu = await startEmulator({ port: 0 });
    emu.crm.insert('Leads', [{ Last_Name: 'Privacy', Company: 'Acme' }]);
    const lines: string[] = [];
    const capture = { debug: (m: string) => lines.push(m), info: (m: string) => lines.push(m), warn: (m: string) => lines.push(m), error: (m: string) => lines.push(m) };
    const store = new MemoryTokenStore();
    const client = createZCRMRestClient({ logger: capture });
    client.setTokenStore(store);
    const errors: string[] = [];
    try {
      await client.initialize({ client_id: emu.client.clientId, client_secret: emu.client.clientSecret, redirect_url: 'x', iamurl: emu.url, base_url: emu.url });
      const grant = await emu.grantToken({ scope: ALL_SCOPES });
      const auth = await client.generateAuthTokens('p@x.com', grant);
      await client.generateAuthTokens('p@x.com', grant).catch((e: Error) => errors.push(e.message, e.stack ?? '', JSON.stringify(e)));
      emu.expireAccessTokens();
      await client.API.MODULES.get({ module: 'Leads' });
      emu.failNext({ status: 500, times: 1 });
      await client.API.MODULES.get({ module: 'Leads' });
      emu.revokeRefreshToken(auth.refresh_token ?? '');
      emu.expireAccessTokens();
      await client.API.MODULES.get({ module: 'Leads' }).catch((e: Error) => errors.push(e.message, e.stack ?? '', JSON.stringify(e)));
      const after = await store.get('p@x.com');
      const secrets = [grant, auth.access_token, auth.refresh_token ?? '', after?.accessToken ?? '', emu.client.clientSecret];
      assert.ok(lines.length > 0, 'the flow logs something');
      assert.ok(errors.length >= 2, 'the failures were caught');
      for (const text of [...lines, ...errors]) {
        for (const secret of secrets) assert.ok(!text.includes(secret), `a secret leaked into: ${text.slice(0, 120)}`);
      }
    } finally {
      await client.close();
      await emu.close();
    }
  });
});
