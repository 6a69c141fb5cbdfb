import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreditMeter, creditCost, type CreditedCall } from '../../src/credits.js';
import { startEmulator, type Emulator } from '../../src/index.js';
import { getTokens, http, type HttpReply } from './helpers.js';

function call(method: string, path: string, json?: unknown): CreditedCall {
  const [pathname = '', qs = ''] = path.split('?');
  const parts = pathname.split('/').filter((s) => s !== '');
  const bulk = parts[0] === 'bulk';
  return { method, bulk, segments: parts.slice(bulk ? 1 : 0), query: Object.fromEntries(new URLSearchParams(qs)), json };
}

const rows = (n: number): { data: Record<string, unknown>[] } => ({ data: Array.from({ length: n }, (_, i) => ({ Last_Name: `R${i}`, Company: 'Acme' })) });

describe("credits: Zoho's table", () => {
  const cases: [string, CreditedCall, string, number][] = [
    ['a record list', call('GET', 'Leads?fields=Last_Name'), 'GET /Leads', 1],
    ['one record', call('GET', 'Leads/3000001000000100001'), 'GET /Leads/{id}', 1],
    ['insert of 1 record', call('POST', 'Leads', rows(1)), 'POST /Leads', 1],
    ['insert of 10 records', call('POST', 'Leads', rows(10)), 'POST /Leads', 1],
    ['insert of 11 records', call('POST', 'Leads', rows(11)), 'POST /Leads', 2],
    ['update of 100 records', call('PUT', 'Contacts', rows(100)), 'PUT /Contacts', 10],
    ['upsert of 25 records', call('POST', 'Leads/upsert', rows(25)), 'POST /Leads/upsert', 3],
    ['convert lead', call('POST', 'Leads/3000001000000100001/actions/convert', { data: [{}] }), 'POST /Leads/{id}/actions/convert', 5],
    ['deleted ids', call('GET', 'Leads/deleted?type=all'), 'GET /Leads/deleted', 2],
    ['records of a custom view', call('GET', 'Leads?cvid=3000001000000100900'), 'GET /Leads', 3],
    ['tags on 120 records', call('POST', `Leads/actions/add_tags?tag_names=a&ids=${Array.from({ length: 120 }, (_, i) => i).join(',')}`), 'POST /Leads/actions/add_tags', 3],
    ['tags on one record', call('POST', 'Leads/3000001000000100001/actions/remove_tags?tag_names=a'), 'POST /Leads/{id}/actions/remove_tags', 1],
    ['bulk read job', call('POST', 'bulk/read', { query: { module: 'Leads' } }), 'POST /bulk/read', 50],
    ['bulk read status', call('GET', 'bulk/read/3000001000000100001'), 'GET /bulk/read/{id}', 1],
    ['bulk write job', call('POST', 'bulk/write', { operation: 'insert' }), 'POST /bulk/write', 500],
    ['COQL (not listed apart: all other APIs)', call('POST', 'coql', { select_query: 'select id from Leads' }), 'POST /coql', 1],
    ['search', call('GET', 'Leads/search?word=x'), 'GET /Leads/search', 1],
    ['settings write (not records)', call('POST', 'settings/tags?module=Leads', { tags: [{ name: 'a' }, { name: 'b' }] }), 'POST /settings/tags', 1],
    ['users (not a module)', call('POST', 'users', rows(30)), 'POST /users', 1],
  ];
  for (const [name, c, operation, credits] of cases) {
    it(`${name}: ${credits}`, () => assert.deepEqual(creditCost(c), { operation, credits }));
  }
});

describe('CreditMeter', () => {
  it('gives credits back 24 hours after the second they were spent in, and keeps no window without a budget', () => {
    let now = Date.UTC(2026, 0, 1, 9, 0, 0, 400);
    const meter = new CreditMeter(() => now, 5);
    assert.equal(meter.charge('GET /Leads', 2), true);
    now += 30 * 60 * 1000;
    assert.equal(meter.charge('POST /Leads', 3), true);
    assert.equal(meter.charge('GET /Leads', 1), false);
    assert.deepEqual([meter.remaining, meter.refused, meter.used], [0, 1, 5]);
    now = Date.UTC(2026, 0, 2, 9, 0, 0, 0); // 24 h after 09:00:00, the second of the first spend
    assert.equal(meter.remaining, 2);
    assert.equal(meter.headers()['X-RATELIMIT-RESET'], String(Date.UTC(2026, 0, 2, 9, 30, 0, 0)));
    now += 30 * 60 * 1000;
    assert.equal(meter.remaining, 5);
    meter.setBudget(undefined);
    for (let i = 0; i < 1000; i += 1) meter.charge('GET /Leads', 1);
    assert.deepEqual([meter.remaining, meter.used, meter.byOperation['GET /Leads']], [undefined, 1005, { calls: 1001, credits: 1002 }]);
    assert.deepEqual(meter.headers(), {});
  });
});

describe('emulator.credits over HTTP', () => {
  let emu: Emulator;
  let token: string;
  const send = (method: string, path: string, body?: unknown): Promise<HttpReply> =>
    http(`${emu.url}${path}`, { method, headers: { authorization: `Zoho-oauthtoken ${token}` }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

  before(async () => {
    emu = await startEmulator({ emptyModules: true });
    token = (await getTokens(emu)).access_token;
  });
  after(() => emu.close());

  it('counts every CRM call as the table says, with no budget by default', async () => {
    emu.credits.reset();
    const created = await send('POST', '/crm/v8/Leads', rows(25));
    assert.equal(created.status, 201);
    const leadId = String(created.json.data[0].details.id);
    assert.equal((await send('GET', `/crm/v8/Leads/${leadId}`)).status, 200);
    assert.equal((await send('POST', `/crm/v8/Leads/${leadId}/actions/convert`, { data: [{}] })).status, 200);
    assert.equal((await send('POST', '/crm/bulk/v8/read', { query: { module: 'Leads' } })).status, 201);
    assert.equal((await send('GET', '/crm/v8/Leads/deleted?type=all')).status, 204);
    assert.deepEqual(emu.credits.byOperation, {
      'POST /Leads': { calls: 1, credits: 3 },
      'GET /Leads/{id}': { calls: 1, credits: 1 },
      'POST /Leads/{id}/actions/convert': { calls: 1, credits: 5 },
      'POST /bulk/read': { calls: 1, credits: 50 },
      'GET /Leads/deleted': { calls: 1, credits: 2 },
    });
    assert.equal(emu.credits.used, 61);
    assert.equal(emu.credits.remaining, undefined);
    assert.equal(emu.credits.budget, undefined);
    // Token requests are Accounts, not CRM: they cost nothing.
    await getTokens(emu);
    assert.equal(emu.credits.used, 61);
    emu.credits.reset();
    assert.equal(emu.credits.used, 0);
    assert.deepEqual(emu.credits.byOperation, {});
  });

  it('refuses a call the budget cannot cover with 429 TOO_MANY_REQUESTS, and gives credits back 24 hours later', async () => {
    emu.setCredits(10);
    try {
      assert.equal((await send('GET', '/crm/v8/Leads?fields=Last_Name')).status, 200);
      const refused = await send('POST', '/crm/bulk/v8/read', { query: { module: 'Leads' } });
      assert.equal(refused.status, 429);
      assert.deepEqual(refused.json, { code: 'TOO_MANY_REQUESTS', details: {}, message: 'You have exceeded the API credits allowed for 24 hours.', status: 'error' });
      assert.equal(emu.credits.refused, 1);
      assert.equal(emu.credits.remaining, 9);
      assert.equal(emu.credits.byOperation['POST /bulk/read'], undefined, 'a refused call spends nothing');
      assert.equal((await send('POST', '/crm/v8/Leads', rows(90))).status, 201);
      assert.equal(emu.credits.remaining, 0);
      assert.equal((await send('GET', '/crm/v8/Leads?fields=Last_Name')).status, 429);
      emu.advanceClock(24 * 60 * 60 * 1000);
      token = (await getTokens(emu)).access_token;
      assert.equal(emu.credits.remaining, 10);
      assert.equal((await send('GET', '/crm/v8/Leads?fields=Last_Name')).status, 200);
    } finally {
      emu.setCredits(undefined);
    }
  });
});
