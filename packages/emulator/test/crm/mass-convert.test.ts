/**
 * Lead mass convert: `POST /crm/v8/Leads/actions/mass_convert` converts the leads it names (the single-record
 * conversion's contacts, accounts and deals), carries their tags, hands their activities and the new records
 * to `assign_to`, moves attachments, and answers a job whose counts `GET ?job_id=` reports; bad input is
 * refused as Zoho does; the SDK's `records('Leads').massConvert` / `getMassConvertStatus` agree.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ZohoCRM } from 'zcrmsdk';
import { startEmulator } from '../../src/index.js';
import { call, file, makeState } from './helpers.js';

function setup() {
  const s = makeState({ emptyModules: true });
  const [a, b, done] = s.insert('Leads', [
    { Last_Name: 'Ames', Company: 'Ames Co', Email: 'ames@example.com' },
    { Last_Name: 'Bell', Company: 'Bell Co' },
    { Last_Name: 'Done', Company: 'Done Co' },
  ]).map((r) => String(r['id']));
  const other = String(s.users().find((u) => u['id'] !== s.currentUserId)?.['id']);
  return { s, a: String(a), b: String(b), done: String(done), other };
}

describe('mass convert of leads', () => {
  it('converts the named leads, carries tags, reassigns activities, moves attachments and reports the job', async () => {
    const { s, a, b, done, other } = setup();
    assert.equal((await call(s, 'POST', `/crm/v8/Leads/${a}/actions/add_tags`, { body: { tags: [{ name: 'vip' }], ids: [a] } })).status, 200);
    const [task] = s.insert('Tasks', [{ Subject: 'Call Ames', What_Id: { id: a }, $se_module: 'Leads' }]);
    const att = await call(s, 'POST', `/crm/v8/Leads/${a}/Attachments`, { files: [file('brief.txt', 'brief', 'text/plain')] });
    const attId = String(att.data.data[0].details.id);
    assert.equal((await call(s, 'POST', `/crm/v8/Leads/${done}/actions/convert`, { body: { data: [{}] } })).status, 200);

    const res = await call(s, 'POST', '/crm/v8/Leads/actions/mass_convert', {
      body: {
        ids: [a, b, done, '999'],
        assign_to: { id: other },
        carry_over_tags: [{ api_name: 'Contacts', id: String(s.requireStore('Contacts').def.meta.id) }],
        related_modules: [{ api_name: 'Tasks' }],
        move_attachments_to: { api_name: 'Accounts' },
      },
    });
    assert.equal(res.status, 200, JSON.stringify(res.data));
    assert.equal(res.data.code, 'SCHEDULED');
    assert.equal(res.data.status, 'success');
    const jobId = String(res.data.details.job_id);

    const status = await call(s, 'GET', `/crm/v8/Leads/actions/mass_convert?job_id=${jobId}`);
    assert.deepEqual(status.data, { data: [{ Status: 'COMPLETED', Failed_Count: 2, Not_Converted_Count: 0, Total_Count: 4, Converted_Count: 2 }] });

    const leads = new Map(s.records('Leads').map((l) => [l['id'], l]));
    for (const id of [a, b]) assert.equal(leads.get(id)?.['$converted'], true);
    const detail = leads.get(a)?.['$converted_detail'] as { contact: string; account: string };
    const contact = s.records('Contacts').find((c) => c['id'] === detail.contact);
    assert.equal(contact?.['Last_Name'], 'Ames');
    assert.equal(contact?.['Email'], 'ames@example.com');
    assert.equal((contact?.['Owner'] as { id: string }).id, other);
    assert.deepEqual((contact?.['Tag'] as { name: string }[]).map((t) => t.name), ['vip']);
    assert.equal((s.records('Tasks').find((t) => t['id'] === task?.['id'])?.['Owner'] as { id: string }).id, other);
    assert.equal(s.attachments.get(attId)?.parentId, detail.account);
    assert.equal(s.attachments.get(attId)?.parentModule, 'Accounts');
    const bell = leads.get(b)?.['$converted_detail'] as { contact: string };
    assert.equal(s.records('Contacts').find((c) => c['id'] === bell.contact)?.['Last_Name'], 'Bell');
  });

  it('creates the deal named in Deals for a converted lead', async () => {
    const { s, a } = setup();
    const res = await call(s, 'POST', '/crm/v8/Leads/actions/mass_convert', { body: { ids: [a], Deals: { Deal_Name: 'Ames deal', Stage: 'Qualification', Closing_Date: '2024-03-01' } } });
    assert.equal(res.status, 200, JSON.stringify(res.data));
    const [deal] = s.records('Deals');
    assert.equal(deal?.['Deal_Name'], 'Ames deal');
    const detail = s.records('Leads').find((l) => l['id'] === a)?.['$converted_detail'] as { deal: string; contact: string };
    assert.equal(detail.deal, deal?.['id']);
    assert.equal((deal?.['Contact_Name'] as { id: string }).id, detail.contact);
  });

  it('refuses a call without ids, over 50 ids, an unknown assign_to or module, and an unknown job', async () => {
    const { s, a } = setup();
    const none = await call(s, 'POST', '/crm/v8/Leads/actions/mass_convert', { body: { ids: [] } });
    assert.deepEqual([none.status, none.data.code, none.data.details], [400, 'MANDATORY_NOT_FOUND', { api_name: 'ids', json_path: '$.ids' }]);
    const many = await call(s, 'POST', '/crm/v8/Leads/actions/mass_convert', { body: { ids: Array.from({ length: 51 }, (_, i) => String(i + 1)) } });
    assert.deepEqual([many.status, many.data.code, many.data.details], [400, 'INVALID_DATA', { api_name: 'ids', json_path: '$.ids', limit: 50 }]);
    const who = await call(s, 'POST', '/crm/v8/Leads/actions/mass_convert', { body: { ids: [a], assign_to: { id: '111' } } });
    assert.deepEqual([who.status, who.data.details], [400, { api_name: 'assign_to', json_path: '$.assign_to' }]);
    const where = await call(s, 'POST', '/crm/v8/Leads/actions/mass_convert', { body: { ids: [a], carry_over_tags: [{ api_name: 'Tasks' }] } });
    assert.deepEqual(where.data.details, { api_name: 'carry_over_tags[0]', json_path: '$.carry_over_tags[0]' });
    assert.equal(s.records('Leads').find((l) => l['id'] === a)?.['$converted'], false);
    const job = await call(s, 'GET', '/crm/v8/Leads/actions/mass_convert?job_id=42');
    assert.deepEqual([job.status, job.data.code, job.data.details], [400, 'INVALID_DATA', { param_name: 'job_id' }]);
  });

  it("the SDK's records('Leads').massConvert and getMassConvertStatus drive the job over HTTP", async () => {
    const emu = await startEmulator({ port: 0, emptyModules: true });
    const crm = new ZohoCRM({ clientId: emu.client.clientId, clientSecret: emu.client.clientSecret, accountsUrl: emu.url, apiUrl: emu.url, apiVersion: 'v8', maxRetries: 0 });
    try {
      await crm.generateTokens(await emu.grantToken());
      const ids = emu.crm.insert('Leads', [{ Last_Name: 'Sdk', Company: 'Sdk Co' }]).map((r) => String(r['id']));
      const scheduled = (await crm.records('Leads').massConvert({ body: { ids } })) as { code?: string; details?: { job_id?: string } };
      assert.equal(scheduled.code, 'SCHEDULED');
      const status = (await crm.records('Leads').getMassConvertStatus({ job_id: String(scheduled.details?.job_id) })) as { data?: { Converted_Count?: number }[] };
      assert.equal(status.data?.[0]?.Converted_Count, 1);
      assert.equal(emu.crm.records('Leads')[0]?.['$converted'], true);
      const seen = emu.requests.filter((r) => r.path.startsWith('/crm/v8/Leads/actions/mass_convert'));
      assert.deepEqual(seen.map((r) => r.method), ['POST', 'GET']);
    } finally {
      await crm.close();
      await emu.close();
    }
  });
});
