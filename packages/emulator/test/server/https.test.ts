import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Agent, request } from 'undici';
import { startStub } from './helpers.js';

describe('HTTPS mode', () => {
  it('serves HTTPS with a self-signed certificate that clients can trust through emulator.ca', async () => {
    const emu = await startStub({ https: true });
    const agent = new Agent({ connect: { ca: emu.ca! } });
    try {
      assert.match(emu.url, /^https:\/\/127\.0\.0\.1:\d+$/);
      assert.match(emu.ca!, /^-----BEGIN CERTIFICATE-----/);
      assert.equal(emu.cert, emu.ca);
      const code = await emu.grantToken();
      const body = new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: emu.client.clientId,
        client_secret: emu.client.clientSecret,
        code,
      }).toString();
      const res = await request(`${emu.url}/oauth/v2/token`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        dispatcher: agent,
      });
      const json = (await res.body.json()) as { api_domain: string; access_token: string };
      assert.equal(json.api_domain, emu.url);
      const crm = await request(`${emu.url}/crm/v2/Leads`, {
        headers: { authorization: `Zoho-oauthtoken ${json.access_token}` },
        dispatcher: agent,
      });
      assert.equal(crm.statusCode, 200);
      await crm.body.text();
      const localhost = await request(emu.url.replace('127.0.0.1', 'localhost') + '/oauth/serverinfo', { dispatcher: agent });
      assert.equal(localhost.statusCode, 200);
      await localhost.body.text();
      // Without the CA the certificate is refused.
      await assert.rejects(request(`${emu.url}/oauth/serverinfo`));
    } finally {
      await agent.close();
      await emu.close();
    }
  });
});
