import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { http, refresh, startStub, tokenPost, getTokens, crmGet, type Encoding } from './server/helpers.js';
import type { EmulatorServer } from '../src/server.js';
import type { StubCrm } from './server/helpers.js';

const TOKEN_SHAPE = /^1000\.[0-9a-f]{32}\.[0-9a-f]{32}$/;

describe('token endpoint', () => {
  let emu: EmulatorServer<StubCrm>;
  before(async () => {
    // Grant codes live 2 s here; expiry is shown by moving the emulator clock, so a loaded machine cannot flake it.
    emu = await startStub({ grantCodeTtlSeconds: 2 });
  });
  after(() => emu.close());

  const exchange = (code: string, encoding: Encoding, extra: Record<string, string> = {}) =>
    tokenPost(
      emu.url,
      { grant_type: 'authorization_code', client_id: emu.client.clientId, client_secret: emu.client.clientSecret, code, ...extra },
      encoding,
    );

  for (const encoding of ['query', 'form', 'multipart'] as const) {
    it(`exchanges a grant code and refreshes (${encoding})`, async () => {
      const code = await emu.grantToken({ scope: 'ZohoCRM.modules.ALL' });
      const reply = await exchange(code, encoding, { redirect_uri: 'https://anything.example/cb' });
      assert.equal(reply.status, 200);
      assert.equal(reply.headers['content-type'], 'application/json;charset=UTF-8');
      assert.deepEqual(Object.keys(reply.json), ['access_token', 'refresh_token', 'api_domain', 'token_type', 'expires_in']);
      assert.match(reply.json.access_token, TOKEN_SHAPE);
      assert.match(reply.json.refresh_token, TOKEN_SHAPE);
      assert.equal(reply.json.api_domain, emu.url);
      assert.equal(reply.json.token_type, 'Bearer');
      assert.equal(reply.json.expires_in, 3600);

      const refreshed = await refresh(emu, reply.json.refresh_token, encoding);
      assert.equal(refreshed.status, 200);
      assert.deepEqual(Object.keys(refreshed.json), ['access_token', 'api_domain', 'token_type', 'expires_in']);
      assert.notEqual(refreshed.json.access_token, reply.json.access_token);
      const crm = await crmGet(emu, '/crm/v2/Leads', refreshed.json.access_token);
      assert.equal(crm.status, 200);
      assert.deepEqual(crm.json.data[0].scopes, ['ZohoCRM.modules.ALL']);
    });
  }

  it('lets body params win over query params', async () => {
    const code = await emu.grantToken();
    const reply = await http(`${emu.url}/oauth/v2/token?client_secret=wrong&grant_type=authorization_code&code=${code}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: emu.client.clientId, client_secret: emu.client.clientSecret }).toString(),
    });
    assert.match(reply.json.access_token, TOKEN_SHAPE);
  });

  it('makes grant codes single-use', async () => {
    const code = await emu.grantToken();
    assert.ok((await exchange(code, 'form')).json.access_token);
    const again = await exchange(code, 'form');
    assert.equal(again.status, 200);
    assert.deepEqual(again.json, { error: 'invalid_code' });
  });

  it('expires grant codes', async () => {
    const code = await emu.grantToken();
    emu.advanceClock(2_001);
    assert.deepEqual((await exchange(code, 'form')).json, { error: 'invalid_code' });
    const slow = await emu.grantToken({ ttlSeconds: 60 });
    emu.advanceClock(61_000);
    assert.deepEqual((await exchange(slow, 'form')).json, { error: 'invalid_code' });
  });

  it('answers OAuth errors with HTTP 200 and an error key', async () => {
    const code = await emu.grantToken();
    const cases: [Record<string, string>, string][] = [
      [{ grant_type: 'authorization_code', client_id: 'nope', client_secret: 'x', code }, 'invalid_client'],
      [{ grant_type: 'authorization_code', client_id: emu.client.clientId, client_secret: 'wrong', code }, 'invalid_client_secret'],
      [{ grant_type: 'authorization_code', client_id: emu.client.clientId, client_secret: emu.client.clientSecret, code: '1000.bad' }, 'invalid_code'],
      [{ grant_type: 'password', client_id: emu.client.clientId, client_secret: emu.client.clientSecret }, 'unsupported_grant_type'],
      [{ client_id: emu.client.clientId, client_secret: emu.client.clientSecret }, 'invalid_request'],
      [{ grant_type: 'refresh_token', client_id: emu.client.clientId, client_secret: emu.client.clientSecret, refresh_token: '1000.x.y' }, 'invalid_code'],
    ];
    for (const [params, error] of cases) {
      const reply = await tokenPost(emu.url, params, 'form');
      assert.equal(reply.status, 200, error);
      assert.deepEqual(reply.json, { error });
    }
    // The code was not consumed by the failed attempts.
    assert.ok((await exchange(code, 'form')).json.access_token);
  });

  it('checks redirect_uri for codes from the consent flow, not for self-client codes', async () => {
    const client = emu.registerClient({ redirectUri: 'https://app.example/callback' });
    const auth = await http(
      `${emu.url}/oauth/v2/auth?auto=1&scope=ZohoCRM.modules.ALL,ZohoCRM.users.READ&client_id=${client.clientId}&response_type=code&access_type=offline&redirect_uri=${encodeURIComponent(client.redirectUri)}&state=xyz`,
    );
    assert.equal(auth.status, 302);
    const location = new URL(String(auth.headers['location']));
    assert.equal(`${location.origin}${location.pathname}`, client.redirectUri);
    assert.equal(location.searchParams.get('location'), 'us');
    assert.equal(location.searchParams.get('accounts-server'), emu.url);
    assert.equal(location.searchParams.get('state'), 'xyz');
    const code = location.searchParams.get('code')!;
    const params = { grant_type: 'authorization_code', client_id: client.clientId, client_secret: client.clientSecret, code };
    assert.deepEqual((await tokenPost(emu.url, { ...params, redirect_uri: 'https://evil.example/' })).json, { error: 'invalid_redirect_uri' });
    const ok = await tokenPost(emu.url, { ...params, redirect_uri: client.redirectUri });
    assert.match(ok.json.access_token, TOKEN_SHAPE);
    const me = await crmGet(emu, '/crm/v2/users', ok.json.access_token);
    assert.deepEqual(me.json.data[0].scopes, ['ZohoCRM.modules.ALL', 'ZohoCRM.users.READ']);
  });

  it('shows a consent page and honours the decision', async () => {
    const page = await http(`${emu.url}/oauth/v2/auth?scope=ZohoCRM.org.READ&client_id=${emu.client.clientId}&response_type=code&state=s1`);
    assert.equal(page.status, 200);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    assert.match(page.text, /ZohoCRM\.org\.READ/);
    const form = new URLSearchParams({ scope: 'ZohoCRM.org.READ', client_id: emu.client.clientId, state: 's1', decision: 'reject' });
    const rejected = await http(`${emu.url}/oauth/v2/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    assert.equal(rejected.status, 302);
    assert.match(String(rejected.headers['location']), /error=access_denied&state=s1$/);
    form.set('decision', 'accept');
    const accepted = await http(`${emu.url}/oauth/v2/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    assert.match(String(accepted.headers['location']), /\?code=1000\.[0-9a-f.]+&location=us&accounts-server=/);
    const unknown = await http(`${emu.url}/oauth/v2/auth?client_id=nope&response_type=code`);
    assert.equal(unknown.status, 400);
  });

  it('serves user info and server info', async () => {
    const tokens = await getTokens(emu);
    const info = await http(`${emu.url}/oauth/user/info`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    assert.equal(info.status, 200);
    assert.deepEqual(info.json, { First_Name: 'Ada', Email: 'ada@example.com', Last_Name: 'Admin', Display_Name: 'Ada Admin', ZUID: '3000001000000100001' });
    assert.equal((await http(`${emu.url}/oauth/user/info`)).status, 401);
    const server = await http(`${emu.url}/oauth/serverinfo`);
    assert.deepEqual(server.json, { result: 'success', locations: { us: emu.url } });
  });
});

describe('refresh limits and revocation', () => {
  let emu: EmulatorServer<StubCrm>;
  before(async () => {
    emu = await startStub({ refreshThrottle: { max: 3, windowSeconds: 600 }, maxActiveAccessTokens: 2 });
  });
  after(() => emu.close());

  it('throttles refreshes per refresh token with the Access Denied body', async () => {
    const tokens = await getTokens(emu);
    for (let i = 0; i < 3; i++) assert.ok((await refresh(emu, tokens.refresh_token)).json.access_token);
    const denied = await refresh(emu, tokens.refresh_token);
    assert.equal(denied.status, 400);
    assert.equal(
      denied.text,
      '{"error_description":"You have made too many requests continuously. Please try again after some time.","error":"Access Denied","status":"failure"}',
    );
    // Another refresh token is not affected; the window slides.
    const other = await getTokens(emu);
    assert.ok((await refresh(emu, other.refresh_token)).json.access_token);
    emu.advanceClock(601_000);
    assert.ok((await refresh(emu, tokens.refresh_token)).json.access_token);
  });

  it('keeps a bounded number of live access tokens per refresh token', async () => {
    emu.advanceClock(601_000);
    const tokens = await getTokens(emu);
    const second = (await refresh(emu, tokens.refresh_token)).json.access_token as string;
    const third = (await refresh(emu, tokens.refresh_token)).json.access_token as string;
    assert.equal((await crmGet(emu, '/crm/v2/Leads', tokens.access_token)).json.code, 'INVALID_TOKEN');
    assert.equal((await crmGet(emu, '/crm/v2/Leads', second)).status, 200);
    assert.equal((await crmGet(emu, '/crm/v2/Leads', third)).status, 200);
  });

  for (const path of ['/oauth/v2/token/revoke', '/oauth/v2/revoke/token']) {
    it(`revokes a refresh token and its access tokens (${path})`, async () => {
      const tokens = await getTokens(emu);
      const revoked = await http(`${emu.url}${path}?token=${tokens.refresh_token}`, { method: 'POST' });
      assert.equal(revoked.status, 200);
      assert.deepEqual(revoked.json, { status: 'success' });
      assert.deepEqual((await refresh(emu, tokens.refresh_token)).json, { error: 'invalid_code' });
      assert.equal((await crmGet(emu, '/crm/v2/Leads', tokens.access_token)).json.code, 'INVALID_TOKEN');
      const again = await tokenPost(emu.url, { token: tokens.refresh_token }, 'multipart', path);
      assert.equal(again.status, 400);
    });
  }

  it('revokes through the API', async () => {
    const tokens = await getTokens(emu);
    assert.equal(emu.revokeRefreshToken(tokens.refresh_token), true);
    assert.equal(emu.revokeRefreshToken(tokens.refresh_token), false);
    assert.deepEqual((await refresh(emu, tokens.refresh_token)).json, { error: 'invalid_code' });
  });
});

describe('token options', () => {
  it('replies with the legacy expires_in_sec shape when asked', async () => {
    const emu = await startStub({ legacyExpiresIn: true, accessTokenTtlSeconds: 120 });
    try {
      const code = await emu.grantToken();
      const reply = await tokenPost(emu.url, {
        grant_type: 'authorization_code',
        client_id: emu.client.clientId,
        client_secret: emu.client.clientSecret,
        code,
      });
      assert.deepEqual(Object.keys(reply.json), ['access_token', 'refresh_token', 'expires_in_sec', 'api_domain', 'token_type', 'expires_in']);
      assert.equal(reply.json.expires_in_sec, 120);
      assert.equal(reply.json.expires_in, 120_000);
    } finally {
      await emu.close();
    }
  });

  it('expires access tokens after their ttl and on demand', async () => {
    const emu = await startStub({ accessTokenTtlSeconds: 60 });
    try {
      const tokens = await getTokens(emu);
      assert.equal((await crmGet(emu, '/crm/v2/Leads', tokens.access_token)).status, 200);
      emu.advanceClock(60_001);
      assert.equal((await crmGet(emu, '/crm/v2/Leads', tokens.access_token)).json.code, 'INVALID_TOKEN');
      const fresh = (await refresh(emu, tokens.refresh_token)).json.access_token as string;
      assert.equal((await crmGet(emu, '/crm/v2/Leads', fresh)).status, 200);
      emu.expireAccessTokens();
      assert.equal((await crmGet(emu, '/crm/v2/Leads', fresh)).json.code, 'INVALID_TOKEN');
      assert.ok((await refresh(emu, tokens.refresh_token)).json.access_token);
    } finally {
      await emu.close();
    }
  });

  it('gives no refresh token for online access', async () => {
    const emu = await startStub();
    try {
      const code = await emu.grantToken({ accessType: 'online' });
      const reply = await tokenPost(emu.url, {
        grant_type: 'authorization_code',
        client_id: emu.client.clientId,
        client_secret: emu.client.clientSecret,
        code,
      });
      assert.ok(reply.json.access_token);
      assert.equal(reply.json.refresh_token, undefined);
    } finally {
      await emu.close();
    }
  });
});
