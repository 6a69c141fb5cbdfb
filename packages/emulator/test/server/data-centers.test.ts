/**
 * Data centres and the grant-code limit, over real HTTP: tokens belong to the data centre that minted them
 * (INVALID_TOKEN / invalid_code / invalid_client elsewhere, as Zoho answers), and Zoho's 10-grants-per-10-
 * minutes limit is there when asked for.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ZohoCRM } from 'zcrmsdk';
import { GrantLimitError, startEmulator, type Emulator } from '../../src/index.js';

async function token(base: string, fields: Record<string, string>): Promise<Record<string, unknown>> {
  const res = await fetch(`${base}/oauth/v2/token`, { method: 'POST', body: new URLSearchParams(fields) });
  assert.equal(res.status, 200);
  return (await res.json()) as Record<string, unknown>;
}

function exchange(emu: Emulator, base: string, code: string, clientId = emu.client.clientId, clientSecret = emu.client.clientSecret) {
  return token(base, { grant_type: 'authorization_code', client_id: clientId, client_secret: clientSecret, code });
}

async function crm(url: string, accessToken: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(url, { headers: { Authorization: `Zoho-oauthtoken ${accessToken}` } });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe('emulator data centres', () => {
  it('a token minted in one data centre is INVALID_TOKEN in another; codes and refresh tokens are invalid_code there', async () => {
    const emu = await startEmulator({ dataCenters: ['us', 'eu'] });
    try {
      const eu = emu.urlFor('eu');
      assert.equal(eu, `${emu.url}/dc/eu`);
      assert.deepEqual(emu.dataCenters, ['us', 'eu']);

      const tokens = await exchange(emu, eu, await emu.grantToken({ dataCenter: 'eu' }));
      assert.equal(tokens['api_domain'], eu, 'api_domain names the data centre the tokens belong to');
      const access = String(tokens['access_token']);
      assert.equal((await crm(`${eu}/crm/v8/org`, access)).status, 200);
      for (const wrong of [emu.url, emu.urlFor('us')]) {
        const res = await crm(`${wrong}/crm/v8/org`, access);
        assert.equal(res.status, 401);
        assert.deepEqual(res.json, { code: 'INVALID_TOKEN', details: {}, message: 'invalid oauth token', status: 'error' });
      }

      const refresh = { grant_type: 'refresh_token', client_id: emu.client.clientId, client_secret: emu.client.clientSecret, refresh_token: String(tokens['refresh_token']) };
      assert.deepEqual(await token(emu.url, refresh), { error: 'invalid_code' });
      const refreshed = await token(eu, refresh);
      assert.equal(refreshed['api_domain'], eu);
      assert.equal((await crm(`${eu}/crm/v2/users?type=CurrentUser`, String(refreshed['access_token']))).status, 200);

      // A grant code minted in the EU cannot be exchanged at the US accounts server (and stays usable in the EU).
      const code = await emu.grantToken({ dataCenter: 'eu' });
      assert.deepEqual(await exchange(emu, emu.url, code), { error: 'invalid_code' });
      assert.equal(typeof (await exchange(emu, eu, code))['access_token'], 'string');

      // US tokens keep working at the bare URL and at /dc/us, which are the same data centre.
      const us = await exchange(emu, emu.url, await emu.grantToken());
      assert.equal(us['api_domain'], emu.url);
      assert.equal((await crm(`${emu.urlFor('us')}/crm/v2/org`, String(us['access_token']))).status, 200);
      assert.equal((await crm(`${eu}/crm/v2/org`, String(us['access_token']))).status, 401);
      assert.ok(emu.tokenRequests.length >= 5, 'token requests of every data centre are counted');
    } finally {
      await emu.close();
    }
  });

  it('a client not enabled in a data centre is invalid_client there; serverinfo and the consent redirect name the data centres', async () => {
    const emu = await startEmulator({ dataCenters: ['us', 'eu'] });
    try {
      const local = emu.registerClient({ redirectUri: 'http://localhost:9/cb', dataCenters: ['us'] });
      const code = await emu.grantToken({ clientId: local.clientId });
      assert.deepEqual(await exchange(emu, emu.urlFor('eu'), code, local.clientId, local.clientSecret), { error: 'invalid_client' });
      assert.throws(() => emu.accounts.issueGrant(local.clientId, { dataCenter: 'eu', selfClient: true }), /not enabled in data centre 'eu'/);

      const info = (await (await fetch(`${emu.url}/oauth/serverinfo`)).json()) as { locations: Record<string, string> };
      assert.deepEqual(info.locations, { us: emu.url, eu: emu.urlFor('eu') });

      const auth = new URLSearchParams({ client_id: emu.client.clientId, response_type: 'code', redirect_uri: emu.client.redirectUri, auto: '1', scope: 'ZohoCRM.modules.ALL' });
      const res = await fetch(`${emu.urlFor('eu')}/oauth/v2/auth?${auth.toString()}`, { redirect: 'manual' });
      assert.equal(res.status, 302);
      const location = new URL(String(res.headers.get('location')));
      assert.equal(location.searchParams.get('location'), 'eu');
      assert.equal(location.searchParams.get('accounts-server'), emu.urlFor('eu'));
      const eu = await exchange(emu, emu.urlFor('eu'), String(location.searchParams.get('code')));
      assert.equal(eu['api_domain'], emu.urlFor('eu'));
    } finally {
      await emu.close();
    }
  });

  it('an emulator for one data centre serves it at url, refuses others, and rejects an unknown name up front', async () => {
    const emu = await startEmulator({ dataCenters: 'eu' });
    try {
      const tokens = await exchange(emu, emu.url, await emu.grantToken());
      assert.equal((await crm(`${emu.urlFor('eu')}/crm/v8/org`, String(tokens['access_token']))).status, 200);
      const other = await fetch(`${emu.url}/dc/us/crm/v8/org`, { headers: { Authorization: `Zoho-oauthtoken ${String(tokens['access_token'])}` } });
      assert.equal(other.status, 404);
      assert.throws(() => emu.urlFor('us'), /does not serve data centre 'us'.*dataCenters: \['eu', 'us'\]/);
      await assert.rejects(emu.grantToken({ dataCenter: 'in' }), /does not serve data centre 'in'/);
    } finally {
      await emu.close();
    }
    // @ts-expect-error an unknown data centre is a typed-away mistake; at run time it is a clear TypeError
    await assert.rejects(startEmulator({ dataCenters: ['xx'] }), (e: Error) => e instanceof TypeError && /unknown data centre 'xx'.*us, eu, in/.test(e.message));
  });
});

describe('the modern client across data centres', () => {
  it('works against the data centre its tokens come from, and gets a typed error from another', async () => {
    const emu = await startEmulator({ dataCenters: ['us', 'eu'] });
    const client = (dc: 'us' | 'eu'): ZohoCRM =>
      new ZohoCRM({ clientId: emu.client.clientId, clientSecret: emu.client.clientSecret, accountsUrl: emu.urlFor(dc), apiUrl: emu.urlFor(dc), apiVersion: 'v8', maxRetries: 0 });
    const eu = client('eu');
    const us = client('us');
    try {
      await eu.generateTokens(await emu.grantToken({ dataCenter: 'eu' }));
      const page = await eu.records('Leads').list({ fields: ['Last_Name'], per_page: 1 });
      assert.equal(page.data.length, 1);
      assert.ok(emu.requests.some((r) => r.path === '/dc/eu/crm/v8/Leads'));
      // An EU grant code exchanged at the US accounts server is invalid_code there.
      const error = await us.generateTokens(await emu.grantToken({ dataCenter: 'eu' })).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      assert.ok(error instanceof Error, 'a US client cannot use an EU grant code');
      assert.match(`${error.name} ${error.message}`, /invalid_code/);
    } finally {
      await eu.close();
      await us.close();
      await emu.close();
    }
  });
});

describe('emulator grant-code limit', () => {
  it('is off by default: more than 10 grant codes in a row are fine', async () => {
    const emu = await startEmulator();
    try {
      for (let i = 0; i < 12; i++) await emu.grantToken();
    } finally {
      await emu.close();
    }
  });

  it('with grantCodeLimit, the next grant is access_denied until the window passes', async () => {
    const emu = await startEmulator({ grantCodeLimit: { max: 2, windowSeconds: 600 } });
    try {
      await emu.grantToken();
      const second = await emu.grantToken();
      await assert.rejects(emu.grantToken(), (e: Error) => e instanceof GrantLimitError && /^access_denied: .*grantCodeLimit: false/.test(e.message));
      // The consent flow ends in Zoho's access_denied redirect.
      const auth = new URLSearchParams({ client_id: emu.client.clientId, response_type: 'code', redirect_uri: emu.client.redirectUri, auto: '1', state: 's1' });
      const res = await fetch(`${emu.url}/oauth/v2/auth?${auth.toString()}`, { redirect: 'manual' });
      const location = new URL(String(res.headers.get('location')));
      assert.equal(location.searchParams.get('error'), 'access_denied');
      assert.equal(location.searchParams.get('state'), 's1');
      // Codes issued before the limit still exchange.
      assert.equal(typeof (await exchange(emu, emu.url, second))['access_token'], 'string');
      emu.advanceClock(600_000);
      assert.match(await emu.grantToken(), /^1000\./);
    } finally {
      await emu.close();
    }
  });
});
