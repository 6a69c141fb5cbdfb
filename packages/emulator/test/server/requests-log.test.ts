import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FormData } from 'undici';
import { redactAuthorization, secretFingerprint } from '../../src/redact.js';
import { getTokens, http, refresh, startStub, tokenPost, type Encoding } from './helpers.js';

describe('request log', () => {
  it('keeps no client secret, refresh token or grant code of a token request, in any encoding; grant_type stays', async () => {
    const emu = await startStub();
    try {
      const secret = emu.client.clientSecret;
      for (const encoding of ['query', 'form', 'multipart'] as Encoding[]) {
        emu.clearRequests();
        const code = await emu.grantToken();
        const tokens = await tokenPost(emu.url, { grant_type: 'authorization_code', client_id: emu.client.clientId, client_secret: secret, code }, encoding);
        const refreshToken = String(tokens.json.refresh_token);
        await tokenPost(emu.url, { grant_type: 'refresh_token', client_id: emu.client.clientId, client_secret: secret, refresh_token: refreshToken }, encoding);
        await http(`${emu.url}/oauth/v2/token/revoke?token=${refreshToken}`, { method: 'POST' });
        const logged = JSON.stringify(emu.tokenRequests.concat(emu.requests).map((r) => [r.query, r.rawQuery, r.headers, String(r.body)]));
        for (const value of [secret, code, refreshToken]) assert.ok(!logged.includes(value), `${encoding}: a secret is in the log`);
        assert.ok(logged.includes(secretFingerprint(secret)), `${encoding}: the secret's fingerprint is in the log`);
        assert.equal(emu.tokenRequests.length, 2);
        const [grant, refreshed] = emu.tokenRequests;
        const shown = (r: typeof grant): string => `${r!.rawQuery}&${String(r!.body)}`;
        assert.match(shown(grant), /grant_type(=|"\r\n\r\n)authorization_code/);
        assert.match(shown(refreshed), /grant_type(=|"\r\n\r\n)refresh_token/);
        if (encoding === 'query') assert.equal(refreshed!.query['refresh_token'], secretFingerprint(refreshToken));
      }
    } finally {
      await emu.close();
    }
  });

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
      // The access token itself is not kept: a fingerprint still tells which token the call used.
      assert.equal(post.headers['authorization'], redactAuthorization(`Zoho-oauthtoken ${access_token}`));
      assert.doesNotMatch(JSON.stringify(requests.map((r) => [r.headers, r.query, r.rawQuery, String(r.body)])), new RegExp([access_token, refresh_token, emu.client.clientSecret].join('|')));
      const refreshForm = new URLSearchParams(String(emu.tokenRequests[1]!.body));
      assert.equal(refreshForm.get('grant_type'), 'refresh_token');
      assert.equal(refreshForm.get('refresh_token'), secretFingerprint(refresh_token));
      assert.equal(refreshForm.get('client_secret'), secretFingerprint(emu.client.clientSecret));
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
