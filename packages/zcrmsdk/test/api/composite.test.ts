import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { InvalidInputError } from '../../src/errors.js';
import { RecordsResource } from '../../src/api/records.js';
import { setup, type Setup } from './helpers.js';

describe('crm.composite through the emulator', () => {
  let s: Setup;
  before(async () => {
    s = await setup('v8', { emptyModules: true });
  });
  after(() => s.close());

  it('five sub-requests with rollback, one failing, leave the state unchanged and report each sub-response', async () => {
    const [kept] = await s.crm.records('Leads').create([{ Last_Name: 'Kept', Company: 'K' }]);
    // A channel on Leads: rolled-back writes must deliver nothing.
    await s.crm.request({ method: 'POST', path: ['actions', 'watch'], json: { watch: [{ channel_id: '1000000068009', events: ['Leads.all', 'Contacts.all'], notify_url: 'http://127.0.0.1:9/hooks' }] } });
    const before = structuredClone(s.emu.crm.tables.snapshot());
    const results = await s.crm.composite(
      [
        { method: 'POST', path: 'Leads', body: { data: [{ Last_Name: 'One', Company: 'C' }] } },
        { method: 'PUT', path: ['Leads', String(kept!.id)], body: { data: [{ Company: 'Changed' }] } },
        { method: 'POST', path: 'Contacts', body: { data: [{ Last_Name: 'Two' }] } },
        { method: 'POST', path: 'Leads', body: { data: [{ Company: 'no last name' }] } },
        { method: 'DELETE', path: ['Leads', String(kept!.id)] },
      ],
      { rollback_on_fail: true },
    );
    assert.deepEqual(
      results.map((r) => [r.code, r.status]),
      [
        ['ROLLBACK_PERFORMED', 'error'],
        ['ROLLBACK_PERFORMED', 'error'],
        ['ROLLBACK_PERFORMED', 'error'],
        ['MANDATORY_NOT_FOUND', 'error'],
        ['PROCESSING_STOPPED', 'error'],
      ],
    );
    assert.equal(results[0]?.details['rollbacked_by_sub_request_index'], 3);
    assert.equal(results[3]?.status_code, 400);
    assert.deepEqual(s.emu.crm.tables.snapshot(), before);
    await s.emu.notificationsIdle();
    assert.deepEqual(s.emu.notifications, []);
    assert.equal((await s.crm.records('Leads').get(String(kept!.id)))['Company'], 'K');
  });

  it('GET sub-requests return what the single calls return; recorded from resource methods', async () => {
    const [lead] = await s.crm.records('Leads').create([{ Last_Name: 'Solo', Company: 'S' }]);
    const id = String(lead!.id);
    const single = await s.crm.request({ method: 'GET', path: ['Leads', id] });
    const before = s.emu.requests.filter((r) => r.path.endsWith('/__composite_requests')).length;
    const sub = await s.crm.subrequest((c) => c.records('Leads').get(id));
    assert.deepEqual(await s.crm.subrequest((c) => new RecordsResource(c, 'Leads').get(id)), sub);
    assert.equal(sub.method, 'GET');
    const [viaComposite, listed] = await s.crm.composite([sub, { method: 'GET', path: 'Leads', params: { fields: 'Last_Name', per_page: 1 } }]);
    assert.equal(viaComposite.status_code, 200);
    assert.deepEqual(viaComposite.body, JSON.parse(single.body.toString('utf8')));
    const listBody = listed.body as { data: unknown[]; info: { per_page: number } };
    assert.equal(listBody.data.length, 1);
    assert.equal(s.emu.requests.filter((r) => r.path.endsWith('/__composite_requests')).length - before, 1);
  });

  it('runs sub-requests at once (concurrent_execution; parallel_execution too) and commits without rollback', async () => {
    const results = await s.crm.composite(
      [
        { method: 'POST', path: 'Leads', body: { data: [{ Last_Name: 'P1', Company: 'C' }] }, sub_request_id: 'first' },
        { method: 'POST', path: 'Leads', body: { data: [{ Last_Name: 'P2', Company: 'C' }] } },
      ],
      { concurrent_execution: true },
    );
    assert.deepEqual(results.map((r) => [r.code, r.status_code, r.sub_request_id]), [
      ['SUCCESS', 201, 'first'],
      ['SUCCESS', 201, '2'],
    ]);
    const raw = await s.crm.request({
      method: 'POST',
      path: ['__composite_requests'],
      json: { parallel_execution: true, rollback_on_fail: true, __composite_requests: [{ method: 'GET', uri: '/crm/v8/Leads', params: { fields: 'Last_Name' }, headers: {}, body: {} }] },
      throwOnError: false,
    });
    assert.equal(raw.status, 400);
    assert.equal(JSON.parse(raw.body.toString('utf8')).code, 'NOT_SUPPORTED');
  });

  it('more than five: refused unless split is allowed, and never with rollback', async () => {
    const six = Array.from({ length: 6 }, () => ({ method: 'GET' as const, path: 'Leads', params: { fields: 'Last_Name' } }));
    await assert.rejects(s.crm.composite(six), (e: unknown) => e instanceof InvalidInputError && /split: true/.test(e.message));
    await assert.rejects(s.crm.composite(six, { rollback_on_fail: true, split: true }), /rollback cannot span several calls/);
    const before = s.emu.requests.filter((r) => r.path.endsWith('/__composite_requests')).length;
    const results = await s.crm.composite(six, { split: true });
    assert.equal(results.length, 6);
    assert.ok(results.every((r) => r.code === 'SUCCESS'));
    assert.equal(s.emu.requests.filter((r) => r.path.endsWith('/__composite_requests')).length - before, 2);
  });
});
