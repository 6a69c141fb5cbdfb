import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redactAuthorization } from '@zcrmsdk/emulator';
import fc from 'fast-check';
import { ZohoCRM } from '../../src/client.js';
import { ConfigError, InvalidInputError, ZohoError } from '../../src/errors.js';
import { buildPath, encodeQuery } from '../../src/internal/path.js';
import type { ApiRequest } from '../../src/http/request.js';
import { withHarness } from './harness.js';

const circular: Record<string, unknown> = {};
circular.self = circular;

describe('bad input is refused before any request goes out', () => {
  it('rejects each bad request with InvalidInputError and sends nothing', () =>
    withHarness({}, async (h) => {
      const bad: [string, unknown][] = [
        ['null request', null],
        ['path number', { method: 'GET', path: 42 }],
        ['path []', { method: 'GET', path: [] }],
        ['empty segment', { method: 'GET', path: 'Leads//1' }],
        ['non-string segment', { method: 'GET', path: ['Leads', 1] }],
        ['timeoutMs -1', { method: 'GET', path: 'Leads', timeoutMs: -1 }],
        ['timeoutMs NaN', { method: 'GET', path: 'Leads', timeoutMs: Number.NaN }],
        ['timeoutMs Infinity', { method: 'GET', path: 'Leads', timeoutMs: Infinity }],
        ['timeoutMs string', { method: 'GET', path: 'Leads', timeoutMs: '100' }],
        ['signal {}', { method: 'GET', path: 'Leads', signal: {} }],
        ['missing method', { path: 'Leads' }],
        ['unknown method', { method: 'FETCH', path: 'Leads' }],
        ['circular json', { method: 'POST', path: 'Leads', json: circular }],
        ['BigInt json', { method: 'POST', path: 'Leads', json: { n: 1n } }],
        ['lone surrogate value', { method: 'GET', path: 'Leads', query: { word: '\ud800' } }],
        ['lone surrogate key', { method: 'GET', path: 'Leads', query: { ['\udc00']: 'x' } }],
        ['CRLF header value', { method: 'GET', path: 'Leads', headers: { 'X-A': 'a\r\nX-B: b' } }],
        ['NUL header value', { method: 'GET', path: 'Leads', headers: { 'X-A': 'a\u0000' } }],
        ['non-Latin-1 header value', { method: 'GET', path: 'Leads', headers: { 'X-A': 'é€' } }],
        ['bad header name', { method: 'GET', path: 'Leads', headers: { 'X A': '1' } }],
        ['string headers', { method: 'GET', path: 'Leads', headers: 'X-A: 1' }],
        ['raw query with #', { method: 'GET', path: 'Leads', query: 'a=b#c' }],
        ['raw query with space', { method: 'GET', path: 'Leads', query: 'a=b c' }],
        ['raw query with ?', { method: 'GET', path: 'Leads', query: '?a=b' }],
        ['path traversal', { method: 'GET', path: ['Leads', '..'] }],
      ];
      for (const [name, req] of bad) {
        await assert.rejects(h.crm.request(req as ApiRequest), (e: unknown) => e instanceof InvalidInputError, name);
      }
      assert.equal(h.crmRequests().length, 0, 'nothing was sent');
      assert.equal(h.emu.tokenRequests.length, 0, 'no token was fetched for them either');
    }));

  it("drops a caller's Content-Length (the transport computes it) and sends an encoded raw query as is", () =>
    withHarness({}, async (h) => {
      await h.crm.request({ method: 'POST', path: 'Leads', headers: { 'Content-Length': '9999' }, json: { data: [{ Last_Name: 'Len', Company: 'Acme' }] } });
      const [sent] = h.crmRequests();
      assert.equal(sent!.headers['content-length'], String(Buffer.byteLength(String(sent!.body))));
      await h.crm.request({ method: 'GET', path: 'Leads', query: 'per_page=1&fields=Last_Name%2CEmail' });
      assert.equal(h.crmRequests()[1]!.rawQuery, 'per_page=1&fields=Last_Name%2CEmail');
    }));
});

describe('client options', () => {
  const base = { clientId: 'id', clientSecret: 'secret' };
  it('an unknown option is refused with the nearest valid name', () => {
    assert.throws(() => new ZohoCRM({ ...base, datacenter: 'eu' } as never), (e: unknown) => e instanceof ConfigError && /Did you mean 'dataCentre'/.test(e.message) && e.option === 'datacenter');
    assert.throws(() => new ZohoCRM({ ...base, timeout: 5 } as never), /Did you mean 'timeoutMs'/);
  });
  it('bad numbers and missing credentials are ConfigErrors', () => {
    for (const bad of [{ timeoutMs: -5 }, { timeoutMs: Number.NaN }, { maxRetries: -1 }, { maxRetries: 1.5 }, { maxConcurrency: 0 }, { edition: 'gold' }]) {
      assert.throws(() => new ZohoCRM({ ...base, ...bad } as never), ConfigError, JSON.stringify(bad));
    }
    assert.throws(() => new ZohoCRM({ clientId: 'id' } as never), (e: unknown) => e instanceof ConfigError && e.option === 'clientSecret');
  });
  it('every data centre and environment maps to its hosts; v8 is the default version', () => {
    const expected: Record<string, [string, string]> = {
      us: ['https://accounts.zoho.com', 'https://www.zohoapis.com'],
      eu: ['https://accounts.zoho.eu', 'https://www.zohoapis.eu'],
      in: ['https://accounts.zoho.in', 'https://www.zohoapis.in'],
      cn: ['https://accounts.zoho.com.cn', 'https://www.zohoapis.com.cn'],
      au: ['https://accounts.zoho.com.au', 'https://www.zohoapis.com.au'],
      jp: ['https://accounts.zoho.jp', 'https://www.zohoapis.jp'],
      ca: ['https://accounts.zohocloud.ca', 'https://www.zohoapis.ca'],
      sa: ['https://accounts.zoho.sa', 'https://www.zohoapis.sa'],
    };
    for (const [dc, [accounts, api]] of Object.entries(expected)) {
      const crm = new ZohoCRM({ ...base, dataCentre: dc as never });
      assert.deepEqual([crm.config.accountsUrl, crm.config.apiUrl, crm.config.apiVersion], [accounts, api, 'v8']);
      const sandbox = new ZohoCRM({ ...base, dataCentre: dc as never, environment: 'sandbox' });
      assert.equal(sandbox.config.apiUrl, api.replace('www.', 'sandbox.'));
      assert.equal(sandbox.config.accountsUrl, accounts);
      assert.equal(new ZohoCRM({ ...base, dataCentre: dc as never, environment: 'developer' }).config.apiUrl, api.replace('www.', 'developer.'));
    }
  });
  it('refuses http base URLs unless loopback or opted in', () => {
    assert.throws(() => new ZohoCRM({ ...base, apiUrl: 'http://crm.example.com' }), (e: unknown) => e instanceof ConfigError && e.option === 'apiUrl' && /allowInsecureHttp/.test(e.message));
    for (const url of ['http://127.0.0.1:8080', 'http://localhost:1', 'http://[::1]:9', 'http://127.5.0.1']) assert.ok(new ZohoCRM({ ...base, apiUrl: url, accountsUrl: url }));
    assert.ok(new ZohoCRM({ ...base, apiUrl: 'http://crm.example.com', allowInsecureHttp: true }));
  });
});

describe('token flows, users, limiter and hooks', () => {
  it('a caller-supplied access-token provider is used, and asked again once after a 401', () =>
    withHarness({}, async (h) => {
      const real = await h.crm.tokens.getAccessToken('zcrm_default_user');
      const asked: (string | undefined)[] = [];
      const crm = new ZohoCRM({ accountsUrl: h.emu.url, apiUrl: h.emu.url, apiVersion: 'v2', accessToken: ({ rejected }) => (asked.push(rejected), rejected ? real : 'stale-token-value') });
      try {
        const res = await crm.requestJson<{ data: unknown[] }>({ method: 'GET', path: 'Leads', query: { per_page: 1 } });
        assert.equal(res?.data.length, 1);
        assert.deepEqual(asked, [undefined, 'stale-token-value']);
      } finally {
        await crm.close();
      }
    }));

  it('withUser gives a view acting as another user; two users never cross tokens', () =>
    withHarness({}, async (h) => {
      await h.crm.generateTokens(await h.emu.grantToken({ scope: 'ZohoCRM.modules.ALL' }), 'other@example.com');
      const other = h.crm.withUser('other@example.com');
      assert.equal(other.config.userId, 'other@example.com');
      await Promise.all([other.request({ method: 'GET', path: 'Leads' }), h.crm.request({ method: 'GET', path: 'Leads' })]);
      const auths = new Set(h.crmRequests().map((r) => r.headers.authorization));
      assert.equal(auths.size, 2);
      assert.equal(auths.has(redactAuthorization(`Zoho-oauthtoken ${await h.crm.tokens.getAccessToken('other@example.com')}`)), true);
      await other.close(); // a view closes nothing: the parent still works
      assert.equal((await h.crm.request({ method: 'GET', path: 'Leads' })).status, 200);
    }));

  it('edition caps calls in flight so a burst queues instead of collecting 429s; hooks see request, response, retry', async () => {
    const events: string[] = [];
    await withHarness(
      { emulator: { concurrency: 5, latencyMs: 20 }, client: { edition: 'free', hooks: { onRequest: () => events.push('request'), onResponse: (e) => events.push(`response ${e.status}`), onRetry: (e) => events.push(`retry ${e.reason}`) } } },
      async (h) => {
        const replies = await Promise.all(Array.from({ length: 30 }, () => h.crm.request({ method: 'GET', path: 'Leads', query: { per_page: 1 }, maxRetries: 0 })));
        assert.ok(replies.every((r) => r.status === 200), 'no 429 with 30 calls on a free edition');
        h.emu.failNext({ status: 503 });
        await h.crm.request({ method: 'GET', path: 'Leads' });
        assert.ok(events.includes('retry HTTP 503'));
        assert.ok(events.includes('response 503'));
        assert.equal(events.filter((e) => e === 'request').length, 32);
      },
    );
  });

  it('a refresh retries a dropped connection and a 5xx of the token endpoint', () =>
    withHarness({ client: { maxRetries: 0 } }, async (h) => {
      h.emu.expireAccessTokens();
      h.crm.tokens.clearCache();
      h.emu.failNext({ path: '/oauth/v2/token', dropConnection: true });
      h.emu.failNext({ path: '/oauth/v2/token', status: 502 });
      assert.equal((await h.crm.request({ method: 'GET', path: 'Leads' })).status, 200);
      assert.equal(h.emu.tokenRequests.length, 3);
    }));
});

describe('path and query building (property-based)', () => {
  it('never throws anything but InvalidInputError, and encoded queries round-trip', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary' }), { maxLength: 4 }), (segments) => {
        try {
          const out = buildPath(segments);
          assert.deepEqual(out.split('/').map(decodeURIComponent), segments);
        } catch (e) {
          assert.ok(e instanceof InvalidInputError, String(e));
        }
      }),
    );
    fc.assert(
      fc.property(fc.dictionary(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' })), (query) => {
        try {
          const text = encodeQuery(query);
          assert.deepEqual(Object.fromEntries(new URLSearchParams(text)), Object.fromEntries(Object.entries(query)));
        } catch (e) {
          assert.ok(e instanceof ZohoError && e instanceof InvalidInputError, String(e));
        }
      }),
    );
  });
});
