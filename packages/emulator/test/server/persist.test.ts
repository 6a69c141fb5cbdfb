import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { crmGet, getTokens, http, refresh, startStub } from './helpers.js';

describe('persistence', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zcrm-emu-persist-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps CRM records, clients and tokens across close and start with the same file', async () => {
    const file = join(dir, 'state.db');
    const first = await startStub({ persist: file });
    const client = first.registerClient({ clientId: '1000.PERSISTED', clientSecret: 's3cr3t', redirectUri: 'https://a.example/cb' });
    const tokens = await getTokens(first);
    const post = await http(`${first.url}/crm/v2/Leads`, {
      method: 'POST',
      headers: { authorization: `Zoho-oauthtoken ${tokens.access_token}` },
      body: JSON.stringify({ data: [{ Last_Name: 'Persisted' }] }),
    });
    assert.equal(post.status, 200);
    await first.close();

    const second = await startStub({ persist: file });
    try {
      assert.notEqual(second.url, '');
      assert.deepEqual(second.crm.records, [{ data: [{ Last_Name: 'Persisted' }] }]);
      assert.deepEqual(second.accounts.client('1000.PERSISTED'), client);
      assert.equal((await crmGet(second, '/crm/v2/Leads', tokens.access_token)).status, 200);
      assert.ok((await refresh(second, tokens.refresh_token)).json.access_token);
    } finally {
      await second.close();
    }
  });

  it('starts fresh with a new file', async () => {
    const emu = await startStub({ persist: join(dir, 'other.db') });
    try {
      assert.deepEqual(emu.crm.records, []);
    } finally {
      await emu.close();
    }
  });
});
