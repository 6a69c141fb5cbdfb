import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AbortedError, ConnectionError, RateLimitError, ServerError } from '../../src/errors.js';
import { withHarness } from './harness.js';

const LIST = { method: 'GET', path: 'Leads', query: { per_page: 1 } } as const;

describe('request pipeline, end to end through the emulator', () => {
  it('rides out a 429 storm, waiting as Retry-After says, and succeeds', () =>
    withHarness({ client: { maxRetries: 3 } }, async (h) => {
      h.emu.failNext({ status: 429, retryAfter: 0.05, times: 3 });
      const res = await h.crm.requestJson<{ data: unknown[] }>(LIST);
      assert.equal(res?.data.length, 1);
      const sent = h.crmRequests();
      assert.equal(sent.length, 4, 'three 429s, then the answer');
      for (let i = 1; i < sent.length; i++) assert.ok(sent[i]!.time - sent[i - 1]!.time >= 40, 'waited for Retry-After');
    }));

  it('a 429 storm longer than the retry budget ends in RateLimitError carrying Retry-After', () =>
    withHarness({ client: { maxRetries: 2 } }, async (h) => {
      h.emu.failNext({ status: 429, retryAfter: 0.01, times: 10 });
      await assert.rejects(h.crm.request(LIST), (e: unknown) => e instanceof RateLimitError && e.code === 'TOO_MANY_REQUESTS' && e.retryAfterMs === 10);
      assert.equal(h.crmRequests().length, 3, 'first try + 2 retries');
      h.emu.clearFaults();
    }));

  it('a POST that got a 429 is retried: Zoho refused it before doing anything', () =>
    withHarness({}, async (h) => {
      h.emu.failNext({ status: 429, retryAfter: 0, method: 'POST' });
      const out = await h.crm.requestJson<{ data: { code: string }[] }>({ method: 'POST', path: 'Leads', json: { data: [{ Last_Name: 'Storm', Company: 'Acme' }] } });
      assert.equal(out?.data[0]?.code, 'SUCCESS');
      assert.equal(h.crmRequests().filter((r) => r.method === 'POST').length, 2);
      assert.equal(h.emu.crm.records('Leads').filter((r) => r.Last_Name === 'Storm').length, 1, 'created once');
    }));

  it('retries a GET on 5xx with backoff', () =>
    withHarness({}, async (h) => {
      h.emu.failNext({ status: 503, times: 2 });
      const res = await h.crm.request(LIST);
      assert.equal(res.status, 200);
      assert.equal(h.crmRequests().length, 3);
    }));

  it('never retries a POST create on 5xx: it could have been created', () =>
    withHarness({}, async (h) => {
      h.emu.failNext({ status: 500, method: 'POST' });
      await assert.rejects(h.crm.request({ method: 'POST', path: 'Leads', json: { data: [{ Last_Name: 'Once', Company: 'Acme' }] } }), ServerError);
      assert.equal(h.crmRequests().length, 1);
    }));

  it('retries a GET whose connection was dropped; a POST is not re-sent', () =>
    withHarness({}, async (h) => {
      h.emu.failNext({ dropConnection: true });
      assert.equal((await h.crm.request(LIST)).status, 200);
      assert.equal(h.crmRequests().length, 2);
      h.emu.clearRequests();
      h.emu.failNext({ dropConnection: true, method: 'POST' });
      await assert.rejects(h.crm.request({ method: 'POST', path: 'Leads', json: { data: [{ Last_Name: 'Dropped', Company: 'Acme' }] } }), ConnectionError);
      assert.equal(h.crmRequests().length, 1);
    }));

  it('maxRetries: 0 turns retries off, per client and per request', () =>
    withHarness({ client: { maxRetries: 0 } }, async (h) => {
      h.emu.failNext({ status: 503 });
      await assert.rejects(h.crm.request(LIST), ServerError);
      assert.equal(h.crmRequests().length, 1);
      h.emu.failNext({ status: 503 });
      assert.equal((await h.crm.request({ ...LIST, maxRetries: 1 })).status, 200);
      assert.equal(h.crmRequests().length, 3);
    }));

  it('401 INVALID_TOKEN: one refresh and one replay, not counted as a retry', () =>
    withHarness({ client: { maxRetries: 0 } }, async (h) => {
      h.emu.expireAccessTokens();
      const res = await h.crm.request(LIST);
      assert.equal(res.status, 200);
      assert.equal(h.emu.tokenRequests.length, 1, 'one refresh');
      const sent = h.crmRequests();
      assert.equal(sent.length, 2);
      assert.notEqual(sent[0]!.headers.authorization, sent[1]!.headers.authorization, 'replayed with the new token');
    }));

  it("the caller's abort while waiting to retry is final", () =>
    withHarness({}, async (h) => {
      h.emu.failNext({ status: 429, retryAfter: 30 });
      const controller = new AbortController();
      const pending = h.crm.request({ ...LIST, signal: controller.signal });
      setTimeout(() => controller.abort(), 100);
      await assert.rejects(pending, AbortedError);
      assert.equal(h.crmRequests().length, 1);
    }));
});
