/**
 * A user with no tokens: the modern client's NoTokenError names its own call (crm.generateTokens) and nothing
 * of the legacy facade, and no request reaches Zoho.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startEmulator } from '@zcrmsdk/emulator';
import { NoTokenError, ZohoCRM } from '../../src/index.js';

describe('NoTokenError in the modern client', () => {
  it("speaks the modern client's words and sends nothing", async () => {
    const emu = await startEmulator({ port: 0 });
    const crm = new ZohoCRM({ clientId: emu.client.clientId, clientSecret: emu.client.clientSecret, accountsUrl: emu.url, apiUrl: emu.url });
    try {
      await assert.rejects(crm.request({ method: 'GET', path: ['org'], userId: 'nobody@example.com' }), (e: unknown) => {
        assert.ok(e instanceof NoTokenError);
        assert.equal(e.userId, 'nobody@example.com');
        assert.equal(e.message, "No tokens stored for user 'nobody@example.com'. Call crm.generateTokens(grantCode, userId) first.");
        assert.doesNotMatch(e.message, /generateAuthTokens|legacy/);
        return true;
      });
      assert.equal(emu.requests.length, 0);
    } finally {
      await crm.close();
      await emu.close();
    }
  });
});
