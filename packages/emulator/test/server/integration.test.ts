import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type Emulator } from '../../src/index.js';
import { crmGet, getTokens, http } from './helpers.js';

describe('startEmulator with the real CRM routes', () => {
  let emu: Emulator;
  let token: string;
  before(async () => {
    emu = await startEmulator({ seed: 3 });
    token = (await getTokens(emu)).access_token;
  });
  after(() => emu.close());

  it('serves seeded records', async () => {
    const list = await crmGet(emu, '/crm/v2/Leads?page=1&per_page=2', token);
    assert.equal(list.status, 200);
    assert.equal(list.json.data.length, 2);
    assert.equal(list.json.info.per_page, 2);
    const id = list.json.data[0].id as string;
    const one = await crmGet(emu, `/crm/v2/Leads/${id}`, token);
    assert.equal(one.json.data[0].id, id);
  });

  it('sees records inserted through emu.crm and writes through HTTP', async () => {
    const [record] = emu.crm.insert('Leads', [{ Last_Name: 'Seeded', Company: 'Acme' }]);
    const id = String((record as Record<string, unknown>)['id']);
    assert.equal((await crmGet(emu, `/crm/v2/Leads/${id}`, token)).json.data[0].Last_Name, 'Seeded');
    const post = await http(`${emu.url}/crm/v2/Leads`, {
      method: 'POST',
      headers: { authorization: `Zoho-oauthtoken ${token}` },
      body: JSON.stringify({ data: [{ Last_Name: 'Posted', Company: 'Acme' }] }),
    });
    assert.equal(post.status, 201);
    assert.equal(post.json.data[0].code, 'SUCCESS');
  });

  it('tolerates zcrmsdk query quirks on /users', async () => {
    const users = await crmGet(emu, '/crm/v2/users?module=undefined&', token);
    assert.equal(users.status, 200);
    assert.ok(Array.isArray(users.json.users));
  });

  it('passes the token scopes to the CRM routes', async () => {
    const narrow = await getTokens(emu, { scope: 'ZohoCRM.users.READ' });
    const reply = await crmGet(emu, '/crm/v2/Leads', narrow.access_token);
    assert.equal(reply.status, 401);
    assert.equal(reply.json.code, 'OAUTH_SCOPE_MISMATCH');
  });

  it('runs registered functions', async () => {
    emu.registerFunction('double_it', (input) => Number(input.arguments['n'] ?? 0) * 2);
    const reply = await http(`${emu.url}/crm/v2/functions/double_it/actions/execute?auth_type=oauth`, {
      method: 'POST',
      headers: { authorization: `Zoho-oauthtoken ${token}` },
      body: JSON.stringify({ arguments: { n: 21 } }),
    });
    assert.equal(reply.status, 200);
    assert.equal(reply.json.code, 'success');
    assert.equal(reply.json.details.output, '42'); // Zoho returns the output as a string
  });
});

describe('startEmulator persistence', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zcrm-emu-int-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps records and tokens across restarts', async () => {
    const file = join(dir, 'crm.db');
    const first = await startEmulator({ persist: file, emptyModules: true });
    const { access_token } = await getTokens(first);
    const post = await http(`${first.url}/crm/v2/Contacts`, {
      method: 'POST',
      headers: { authorization: `Zoho-oauthtoken ${access_token}` },
      body: JSON.stringify({ data: [{ Last_Name: 'Durable' }] }),
    });
    const id = post.json.data[0].details.id as string;
    await first.close();
    const second = await startEmulator({ persist: file, emptyModules: true });
    try {
      const got = await crmGet(second, `/crm/v2/Contacts/${id}`, access_token);
      assert.equal(got.status, 200);
      assert.equal(got.json.data[0].Last_Name, 'Durable');
    } finally {
      await second.close();
    }
  });
});
