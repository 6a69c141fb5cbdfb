import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { request } from 'undici';
import type { EmulatorServer } from '../../src/server.js';
import { crmGet, getTokens, refresh, startStub, type StubCrm } from './helpers.js';

describe('fault injection', () => {
  let emu: EmulatorServer<StubCrm>;
  let tokens: { access_token: string; refresh_token: string };
  before(async () => {
    emu = await startStub();
    tokens = await getTokens(emu);
  });
  after(() => emu.close());
  const get = (path: string) => crmGet(emu, path, tokens.access_token);

  it('answers the next N CRM calls with 429 and Retry-After', async () => {
    emu.failNext({ status: 429, retryAfter: 1, times: 2 });
    assert.equal(emu.pendingFaults, 2);
    for (let i = 0; i < 2; i++) {
      const reply = await get('/crm/v2/Leads');
      assert.equal(reply.status, 429);
      assert.equal(reply.headers['retry-after'], '1');
      assert.deepEqual(reply.json, {
        code: 'TOO_MANY_REQUESTS',
        details: {},
        message: 'Many requests fired in concurrent than the allowed limit',
        status: 'error',
      });
    }
    assert.equal((await get('/crm/v2/Leads')).status, 200);
    assert.equal(emu.pendingFaults, 0);
  });

  it('leaves the token endpoint alone unless targeted', async () => {
    emu.failNext({ status: 500 });
    assert.ok((await refresh(emu, tokens.refresh_token)).json.access_token);
    assert.equal((await get('/crm/v2/Leads')).json.code, 'INTERNAL_ERROR');
    emu.failNext({ status: 503, path: '/oauth/v2/token', code: 'INTERNAL_ERROR', message: 'down' });
    const failed = await refresh(emu, tokens.refresh_token);
    assert.equal(failed.status, 503);
    assert.equal(failed.json.message, 'down');
  });

  it('filters by method and path (prefix or RegExp)', async () => {
    emu.failNext({ status: 500, method: 'POST' });
    emu.failNext({ status: 400, path: /\/Contacts$/, body: { custom: true } });
    emu.failNext({ status: 401, path: '/crm/v2/Deals' });
    assert.equal((await get('/crm/v2/Leads')).status, 200);
    const contacts = await get('/crm/v2/Contacts');
    assert.deepEqual([contacts.status, contacts.json], [400, { custom: true }]);
    assert.equal((await get('/crm/v2/Deals/1')).json.code, 'INVALID_TOKEN');
    assert.equal(emu.pendingFaults, 1);
    emu.clearFaults();
    assert.equal(emu.pendingFaults, 0);
  });

  it('drops the connection without a reply', async () => {
    emu.failNext({ dropConnection: true });
    await assert.rejects(get('/crm/v2/Leads'), (error: Error & { code?: string }) => {
      assert.match(String(error.code), /UND_ERR_SOCKET|ECONNRESET/);
      return true;
    });
    assert.equal((await get('/crm/v2/Leads')).status, 200);
  });

  it('handles a request and then drops the reply (the outcome the client cannot know)', async () => {
    emu.failNext({ dropAfterHandling: true, method: 'POST' });
    const before = emu.crm.records.length;
    await assert.rejects(
      request(`${emu.url}/crm/v2/Leads`, { method: 'POST', headers: { authorization: `Zoho-oauthtoken ${tokens.access_token}` }, body: `{"data":[{"Last_Name":"x"}]}` }),
      (error: Error & { code?: string }) => {
        assert.match(String(error.code), /UND_ERR_SOCKET|ECONNRESET/);
        return true;
      },
    );
    assert.equal(emu.crm.records.length, before + 1, 'the create was carried out');
    assert.deepEqual([emu.requests.at(-1)?.status, emu.requests.at(-1)?.dropped], [200, true], 'the log notes the status that never reached the client');
    assert.equal((await get('/crm/v2/Leads')).status, 200);
    assert.deepEqual([emu.requests.at(-1)?.status, emu.requests.at(-1)?.dropped], [200, undefined]);
    assert.equal(emu.pendingFaults, 0);
  });

  it('delays a request and then handles it normally', async () => {
    emu.failNext({ delayMs: 50 });
    assert.equal((await get('/crm/v2/Leads')).status, 200);
    assert.equal(emu.pendingFaults, 0);
  });
});

describe('limits', () => {
  it('refuses calls beyond the concurrency limit', async () => {
    const emu = await startStub({ concurrency: 2 });
    try {
      const { access_token } = await getTokens(emu);
      emu.setLatency(1500);
      const slow = [crmGet(emu, '/crm/v2/Leads', access_token), crmGet(emu, '/crm/v2/Leads', access_token)];
      while (emu.inFlight < 2) await new Promise((r) => setTimeout(r, 10));
      const refused = await crmGet(emu, '/crm/v2/Leads', access_token);
      assert.equal(refused.status, 429);
      assert.equal(refused.json.code, 'TOO_MANY_REQUESTS');
      assert.deepEqual((await Promise.all(slow)).map((r) => r.status), [200, 200]);
      emu.setConcurrencyLimit(undefined);
      emu.setLatency(0);
      const all = await Promise.all(Array.from({ length: 5 }, () => crmGet(emu, '/crm/v2/Leads', access_token)));
      assert.ok(all.every((r) => r.status === 200));
    } finally {
      await emu.close();
    }
  });

  it('spends one credit per CRM call and refuses when exhausted', async () => {
    const emu = await startStub({ credits: 2, rateLimitHeaders: true });
    try {
      const { access_token, refresh_token } = await getTokens(emu);
      const first = await crmGet(emu, '/crm/v2/Leads', access_token);
      assert.equal(first.headers['x-ratelimit-limit'], '2');
      assert.equal(first.headers['x-ratelimit-remaining'], '1');
      assert.equal((await crmGet(emu, '/crm/v2/Leads', access_token)).status, 200);
      const refused = await crmGet(emu, '/crm/v2/Leads', access_token);
      assert.equal(refused.status, 429);
      assert.equal(refused.json.code, 'TOO_MANY_REQUESTS');
      emu.advanceClock(24 * 3600 * 1000);
      const fresh = (await refresh(emu, refresh_token)).json.access_token as string;
      assert.equal((await crmGet(emu, '/crm/v2/Leads', fresh)).status, 200);
      emu.setCredits(undefined);
      assert.equal((await crmGet(emu, '/crm/v2/Leads', fresh)).headers['x-ratelimit-limit'], undefined);
    } finally {
      await emu.close();
    }
  });

  it('applies edition limits', async () => {
    const emu = await startStub({ edition: 'free', rateLimitHeaders: true });
    try {
      const { access_token } = await getTokens(emu);
      assert.equal((await crmGet(emu, '/crm/v2/Leads', access_token)).headers['x-ratelimit-limit'], '5000');
    } finally {
      await emu.close();
    }
  });

  it('refuses bodies over maxBodyBytes with 413', async () => {
    const emu = await startStub({ maxBodyBytes: 10 });
    try {
      const res = await request(`${emu.url}/crm/v2/Leads`, { method: 'POST', body: 'x'.repeat(100) });
      assert.equal(res.statusCode, 413);
      await res.body.text();
    } finally {
      await emu.close();
    }
  });
});
