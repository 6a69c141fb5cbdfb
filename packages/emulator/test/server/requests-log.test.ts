import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FormData } from 'undici';
import { getTokens, http, refresh, startStub } from './helpers.js';

describe('request log', () => {
  it('records method, path, parsed and raw query, headers and body', async () => {
    const emu = await startStub();
    try {
      const { access_token, refresh_token } = await getTokens(emu);
      await refresh(emu, refresh_token);
      await http(`${emu.url}/crm/v2/Leads?criteria=(A:equals:B)&`, {
        method: 'POST',
        headers: { authorization: `Zoho-oauthtoken ${access_token}`, 'x-zoho-sdk': 'test/1.0' },
        body: '{"data":[]}',
      });
      const form = new FormData();
      form.append('file', new Blob([Buffer.from([0, 1, 2])]), 'b.bin');
      await http(`${emu.url}/crm/v2/Leads/1/photo`, { method: 'POST', headers: { authorization: `Zoho-oauthtoken ${access_token}` }, body: form });

      const requests = emu.requests;
      assert.equal(requests.length, 4);
      assert.equal(emu.tokenRequests.length, 2);
      assert.match(String(emu.tokenRequests[1]!.body), /grant_type=refresh_token/);
      const post = requests[2]!;
      assert.equal(post.method, 'POST');
      assert.equal(post.path, '/crm/v2/Leads');
      assert.equal(post.rawQuery, 'criteria=(A:equals:B)&');
      assert.deepEqual(post.query, { criteria: '(A:equals:B)' });
      assert.equal(post.headers['x-zoho-sdk'], 'test/1.0');
      assert.equal(post.headers['authorization'], `Zoho-oauthtoken ${access_token}`);
      assert.equal(post.body, '{"data":[]}');
      assert.ok(typeof post.time === 'number');
      assert.ok(Buffer.isBuffer(requests[3]!.body));
      emu.clearRequests();
      assert.equal(emu.requests.length, 0);
    } finally {
      await emu.close();
    }
  });

  it('keeps only the newest maxRecordedRequests', async () => {
    const emu = await startStub({ maxRecordedRequests: 3 });
    try {
      for (let i = 0; i < 5; i++) await http(`${emu.url}/oauth/serverinfo?i=${i}`);
      assert.deepEqual(emu.requests.map((r) => r.query['i']), ['2', '3', '4']);
    } finally {
      await emu.close();
    }
  });

  it('never logs secrets', async () => {
    const lines: string[] = [];
    const logger = { info: (m: string) => lines.push(m), error: (m: string) => lines.push(m) };
    const emu = await startStub({ logger });
    try {
      const code = await emu.grantToken();
      const secret = emu.client.clientSecret;
      await http(`${emu.url}/oauth/v2/token?grant_type=authorization_code&client_id=${emu.client.clientId}&client_secret=${secret}&code=${code}`, {
        method: 'POST',
      });
      assert.ok(lines.length > 0);
      for (const line of lines) {
        assert.ok(!line.includes(secret) && !line.includes(code), line);
      }
    } finally {
      await emu.close();
    }
  });
});
