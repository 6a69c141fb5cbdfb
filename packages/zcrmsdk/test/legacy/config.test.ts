import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { redactAuthorization, startEmulator, type Emulator } from '@zcrmsdk/emulator';
import { ConfigError } from '../../src/errors.js';
import { createZCRMRestClient } from '../../src/legacy/zcrm-rest-client.js';
import type { LegacyResponse } from '../../src/legacy/response.js';
import { silentLogger } from '../../src/logger.js';
import { ALL_SCOPES, lastCrmRequest } from '../helpers/legacy.js';

const requireFixture = createRequire(__filename);
const FIXTURES = resolve(__dirname, '../fixtures/legacy-config');

async function tempProject(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'zcrm-config-'));
  await mkdir(join(dir, 'resources'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

describe('legacy initialize()', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ port: 0 });
    emu.crm.insert('Leads', [{ Last_Name: 'Config', Company: 'Acme' }]);
  });
  after(() => emu.close());

  it('reads resources/*.properties relative to the working directory, keeping digit-only secrets as strings', async () => {
    const dir = await tempProject({
      'resources/oauth_configuration.properties': `[zoho]\ncrm.iamurl=${emu.url}\ncrm.clientid=${emu.client.clientId}\ncrm.clientsecret=0123456789\ncrm.redirecturl=https://example.com/cb\n`,
      'resources/configuration.properties': `[crm]\napi.url=${emu.url}\napi.user_identifier=props@x.com\napi.tokenmanagement=${join(FIXTURES, 'array-store.js')}\n[mysql]\nusername=zuser\npassword=012345\n`,
    });
    try {
      const client = createZCRMRestClient({ logger: silentLogger, cwd: () => dir });
      await client.initialize();
      assert.equal(client.getClientSecret(), '0123456789');
      assert.equal(client.getMYSQLPassword(), '012345');
      assert.equal(client.getMySQLUserName(), 'zuser');
      assert.equal(client.getUserIdentifier(), 'props@x.com');
      assert.equal(client.getIAMUrl(), emu.url);
      assert.equal(client.getAPIURL(), emu.url);
      assert.equal(client.getVersion(), 'v2');
      assert.equal(client.getPersistenceModule(), join(FIXTURES, 'array-store.js'));
      await client.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a missing file or key rejects with a ConfigError naming the file and the key', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'zcrm-config-'));
    const partial = await tempProject({ 'resources/oauth_configuration.properties': '[zoho]\ncrm.clientid=abc\ncrm.redirecturl=x\n', 'resources/configuration.properties': '' });
    const noConf = await tempProject({ 'resources/oauth_configuration.properties': '[zoho]\ncrm.clientid=a\ncrm.clientsecret=b\ncrm.redirecturl=c\n' });
    try {
      await assert.rejects(createZCRMRestClient({ cwd: () => empty }).initialize(), (e: unknown) => e instanceof ConfigError && /oauth_configuration\.properties/.test(e.message));
      await assert.rejects(createZCRMRestClient({ cwd: () => partial }).initialize(), (e: unknown) => e instanceof ConfigError && /crm\.clientsecret/.test(e.message) && /oauth_configuration\.properties/.test(e.message));
      await assert.rejects(createZCRMRestClient({ cwd: () => noConf }).initialize(), (e: unknown) => e instanceof ConfigError && /configuration\.properties/.test(e.message));
      await assert.rejects(createZCRMRestClient().initialize({ client_secret: 'x' }), (e: unknown) => e instanceof ConfigError && /client_id/.test(e.message));
      assert.throws(() => createZCRMRestClient().initializeWithValues({ client_id: 'a', client_secret: 'b' }), /redirect_url/);
    } finally {
      for (const d of [empty, partial, noConf]) await rm(d, { recursive: true, force: true });
    }
  });

  it('a config object uses the old keys and defaults, and the properties files do not override it', async () => {
    const dir = await tempProject({
      'resources/oauth_configuration.properties': '[zoho]\ncrm.clientid=fromfile\ncrm.clientsecret=b\ncrm.redirecturl=c\n',
      'resources/configuration.properties': '[crm]\napi.user_identifier=file@x.com\n',
    });
    try {
      const client = createZCRMRestClient({ cwd: () => dir });
      await client.initialize({ client_id: 'a', client_secret: 'b', redirect_url: 'c', version: 'v3' });
      assert.equal(client.getClientId(), 'a');
      assert.equal(client.getUserIdentifier(), 'zcrm_default_user');
      assert.equal(client.getIAMUrl(), 'accounts.zoho.com');
      assert.equal(client.getAPIURL(), 'www.zohoapis.com');
      assert.equal(client.getVersion(), 'v3');
      assert.equal(client.getMySQLUserName(), 'root');
      await client.initialize({ client_id: 'a', client_secret: 'b', redirect_url: 'c', datacenter: 'eu' });
      assert.equal(client.getIAMUrl(), 'https://accounts.zoho.eu');
      assert.equal(client.getAPIURL(), 'https://www.zohoapis.eu');
      await assert.rejects(client.initialize({ client_id: 'a', client_secret: 'b', redirect_url: 'c', datacenter: 'mars' }), /Unknown data centre 'mars'/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('the API version from the config object reaches the URL', async () => {
    const client = createZCRMRestClient({ logger: silentLogger });
    const store = requireFixture(join(FIXTURES, 'object-store.js')) as { tokens: Map<string, unknown> };
    await client.initialize({ client_id: emu.client.clientId, client_secret: emu.client.clientSecret, redirect_url: 'x', iamurl: emu.url, base_url: emu.url, version: 'v2.1', tokenmanagement: join(FIXTURES, 'object-store.js'), user_identifier: 'version@x.com' });
    await client.generateAuthTokens(null, await emu.grantToken({ scope: ALL_SCOPES }));
    assert.ok(store.tokens.has('version@x.com'));
    await client.API.ORG.get();
    assert.equal(lastCrmRequest(emu).path, '/crm/v2.1/org');
    await client.close();
  });

  for (const [name, shape] of [
    ['array-store.js', 'the README array of {accesstoken, refreshtoken, expirytime}'],
    ['object-store.js', 'the 0.0.20 object {access_token, refresh_token, expires_in}'],
  ] as const) {
    it(`a custom api.tokenmanagement module resolving ${shape} works, refresh included`, async () => {
      const path = join(FIXTURES, name);
      const client = createZCRMRestClient({ logger: silentLogger });
      await client.initialize({ client_id: emu.client.clientId, client_secret: emu.client.clientSecret, redirect_url: 'x', iamurl: emu.url, base_url: emu.url, tokenmanagement: path });
      const user = `custom-${name}@x.com`;
      const auth = await client.generateAuthTokens(user, await emu.grantToken({ scope: ALL_SCOPES }));
      const res = (await client.API.MODULES.get({ module: 'Leads', params: { per_page: 2 } })) as LegacyResponse;
      assert.equal(res.statusCode, 200);
      assert.equal(lastCrmRequest(emu).headers.authorization, redactAuthorization(`Zoho-oauthtoken ${auth.access_token}`));
      // Expire it in the module's own storage: the next call refreshes and the module sees the update.
      const mod = requireFixture(path) as { rows?: Map<string, Record<string, unknown>>; tokens?: Map<string, Record<string, unknown>> };
      const entry = (mod.rows ?? mod.tokens)?.get(user);
      assert.ok(entry);
      if (mod.rows) entry.expirytime = Date.now() - 1;
      else entry.expires_in = Date.now() - 1;
      client.getClient().tokens.clearCache();
      const again = (await client.API.MODULES.get({ module: 'Leads', params: { per_page: 1 } })) as LegacyResponse;
      assert.equal(again.statusCode, 200);
      const updated = (mod.rows ?? mod.tokens)?.get(user);
      const newToken = mod.rows ? updated?.accesstoken : updated?.access_token;
      assert.notEqual(newToken, auth.access_token);
      assert.equal(lastCrmRequest(emu).headers.authorization, redactAuthorization(`Zoho-oauthtoken ${String(newToken)}`));
      await client.close();
    });
  }

  it('a custom module that cannot be loaded rejects with a ConfigError naming api.tokenmanagement', async () => {
    const client = createZCRMRestClient({ logger: silentLogger });
    await client.initialize({ client_id: 'a', client_secret: 'b', redirect_url: 'c', iamurl: emu.url, base_url: emu.url, tokenmanagement: '/nonexistent/store.js' });
    await assert.rejects(client.API.MODULES.get({ module: 'Leads' }), (e: unknown) => e instanceof ConfigError && /tokenmanagement/.test(e.message));
  });
});
