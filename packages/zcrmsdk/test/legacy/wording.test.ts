import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, NoTokenError, TokenStoreError } from '../../src/errors.js';
import { legacyError, toLegacyWording } from '../../src/legacy/wording.js';
import { withLegacyHarness } from '../helpers/legacy.js';

describe('legacy wording of core errors', () => {
  it("says the modern client's words in the old package's terms, keeping class, code and fields", () => {
    const error = new ConfigError("ZohoCRM option 'clientId' is required: copy it from the Zoho API console.", { option: 'clientId', code: 'CONFIG_MISSING' });
    const same = legacyError(error);
    assert.equal(same, error);
    assert.ok(error instanceof ConfigError);
    assert.equal(error.code, 'CONFIG_MISSING');
    assert.equal(error.option, 'crm.clientid');
    assert.equal(error.message, "ZCRMRestClient setting 'crm.clientid' is required: copy it from the Zoho API console.");
    assert.match(String(error.stack), /ZCRMRestClient setting 'crm\.clientid'/);
  });

  it('is robust to either core wording of the token calls', () => {
    const modern = 'No tokens stored for user \'u\'. Call crm.generateTokens(grantCode, userId) first.';
    const today = "No tokens stored for user 'u'. Call crm.generateTokens(grantCode, userId) (legacy: generateAuthTokens(user, grantToken)) first.";
    const old = "No tokens stored for user 'u'. Call generateAuthTokens(user, grantToken) first.";
    for (const text of [modern, today, old]) assert.equal(toLegacyWording(text), old);
    assert.equal(toLegacyWording('Call crm.generateTokensFromRefreshToken(refreshToken) again.'), 'Call generateAuthTokenfromRefreshToken(user, refreshToken) again.');
    assert.equal(
      toLegacyWording('Check accountsUrl, apiUrl and dataCentre; raise timeoutMs.'),
      'Check crm.iamurl, api.url and datacenter; raise timeout_ms.',
    );
    // Words that merely contain an option name are left alone.
    assert.equal(toLegacyWording('client_id, myclientId, crm.clientId, clientIdentity'), 'client_id, myclientId, crm.clientId, clientIdentity');
  });

  it('leaves errors that are not the SDK\'s alone', () => {
    const plain = new Error('clientId');
    assert.equal(legacyError(plain), plain);
    assert.equal(plain.message, 'clientId');
    const store = new TokenStoreError('store down');
    assert.equal((legacyError(store) as Error).message, 'store down');
  });

  it('an API call for a user without tokens says generateAuthTokens, as NoTokenError (end to end)', async () => {
    await withLegacyHarness({}, async (h) => {
      const before = h.emu.requests.length;
      await assert.rejects(h.client.forUser('nobody@example.com').API.MODULES.get({ module: 'Leads' }), (error: unknown) => {
        assert.ok(error instanceof NoTokenError);
        assert.equal(error.code, 'NO_TOKEN');
        assert.match(error.message, /generateAuthTokens\(user, grantToken\)/);
        assert.doesNotMatch(error.message, /crm\.generateTokens|legacy:/);
        return true;
      });
      assert.equal(h.emu.requests.length, before);
    });
  });
});
