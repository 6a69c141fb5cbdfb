/**
 * Tag mass delete: `POST /crm/v8/settings/tags/actions/mass_delete` deletes the module's tags it names and
 * takes them off the module's records, answering 202 with a job whose counts `GET ?job_id=` reports; tags
 * the module does not have count as failed; bad input is refused as Zoho documents; the SDK's
 * `massDeleteTags.massDelete` / `getMassDeleteStatus` drive it over HTTP.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ZohoCRM } from 'zcrmsdk';
import { startEmulator } from '../../src/index.js';
import { call, makeState } from './helpers.js';

const PATH = '/crm/v8/settings/tags/actions/mass_delete';

function setup() {
  const s = makeState({ emptyModules: true });
  const [lead] = s.insert('Leads', [{ Last_Name: 'Ames', Company: 'Ames Co' }]);
  const [contact] = s.insert('Contacts', [{ Last_Name: 'Bell' }]);
  return { s, lead: String(lead?.['id']), contact: String(contact?.['id']) };
}

describe('mass delete of tags', () => {
  it("deletes the module's tags, takes them off its records, and reports the job", async () => {
    const { s, lead, contact } = setup();
    for (const [module, id, names] of [['Leads', lead, ['old', 'stale', 'keep']], ['Contacts', contact, ['old']]] as const) {
      const added = await call(s, 'POST', `/crm/v8/${module}/${id}/actions/add_tags`, { body: { tags: names.map((name) => ({ name })) } });
      assert.equal(added.status, 200, JSON.stringify(added.data));
    }
    const leadTag = (name: string): string => String(s.tags.ofModule('Leads').get(name)?.id);
    const contactOld = String(s.tags.ofModule('Contacts').get('old')?.id);

    const res = await call(s, 'POST', PATH, { body: { mass_delete: [{ module: { api_name: 'Leads' }, tags: [{ id: leadTag('old') }, { id: leadTag('stale') }, { id: contactOld }, { id: '999' }] }] } });
    assert.equal(res.status, 202, JSON.stringify(res.data));
    assert.equal(res.data.code, 'SCHEDULED');
    assert.equal(res.data.status, 'success');
    const jobId = String(res.data.details.job_id);
    assert.match(jobId, /^\d+$/);

    const status = await call(s, 'GET', `${PATH}?job_id=${jobId}`);
    assert.deepEqual(status.data, { mass_delete: [{ job_id: jobId, total_count: 4, failed_count: 2, deleted_count: 2, status: 'COMPLETED' }] });
    assert.deepEqual([...s.tags.ofModule('Leads').keys()], ['keep']);
    assert.deepEqual((s.records('Leads')[0]?.['Tag'] as { name: string }[]).map((t) => t.name), ['keep']);
    // Another module's tag of the same name is not this call's to delete.
    assert.deepEqual((s.records('Contacts')[0]?.['Tag'] as { id: string }[]).map((t) => t.id), [contactOld]);
  });

  it('refuses a module without api_name, an ambiguous or unknown module, several modules, no tags, over 200 tags and an unknown job', async () => {
    const { s } = setup();
    const leadsId = String(s.requireStore('Leads').def.meta.id);
    const both = await call(s, 'POST', PATH, { body: { mass_delete: [{ module: { id: leadsId, api_name: 'Leads' }, tags: [{ id: '1' }] }] } });
    assert.equal(both.status, 202, JSON.stringify(both.data));

    const send = async (entries: unknown[]) => {
      const r = await call(s, 'POST', PATH, { body: { mass_delete: entries } });
      return [r.status, r.data.code, r.data.details];
    };
    const tags = [{ id: '1' }];
    assert.deepEqual(await send([{ module: { id: leadsId }, tags }]), [400, 'MANDATORY_NOT_FOUND', { api_name: 'api_name', json_path: '$.mass_delete[0].module.api_name' }]);
    assert.deepEqual(await send([{ module: { id: leadsId, api_name: 'Contacts' }, tags }]), [
      400,
      'AMBIGUITY_DURING_PROCESSING',
      { ambiguity_due_to: [{ api_name: 'id', json_path: '$.mass_delete[0].module.id' }, { api_name: 'api_name', json_path: '$.mass_delete[0].module.api_name' }] },
    ]);
    assert.deepEqual(await send([{ module: { api_name: 'Nowhere' }, tags }]), [400, 'INVALID_DATA', { api_name: 'api_name', json_path: '$.mass_delete[0].module.api_name' }]);
    assert.deepEqual(await send([{ module: { api_name: 'Leads' }, tags }, { module: { api_name: 'Contacts' }, tags }]), [400, 'NOT_ALLOWED', { api_name: 'mass_delete', json_path: '$.mass_delete[1]' }]);
    assert.deepEqual(await send([{ module: { api_name: 'Leads' }, tags: [] }]), [400, 'MANDATORY_NOT_FOUND', { api_name: 'tags', json_path: '$.mass_delete[0].tags' }]);
    const many = Array.from({ length: 201 }, (_, i) => ({ id: String(i + 1) }));
    assert.deepEqual(await send([{ module: { api_name: 'Leads' }, tags: many }]), [400, 'INVALID_DATA', { api_name: 'tags', json_path: '$.mass_delete[0].tags', maximum_length: 200 }]);
    const job = await call(s, 'GET', `${PATH}?job_id=42`);
    assert.deepEqual([job.status, job.data.code, job.data.details], [400, 'INVALID_DATA', { job_id: '42' }]);
  });

  it("the SDK's massDeleteTags.massDelete and getMassDeleteStatus drive the job over HTTP", async () => {
    const emu = await startEmulator({ port: 0, emptyModules: true });
    const crm = new ZohoCRM({ clientId: emu.client.clientId, clientSecret: emu.client.clientSecret, accountsUrl: emu.url, apiUrl: emu.url, apiVersion: 'v8', maxRetries: 0 });
    try {
      await crm.generateTokens(await emu.grantToken());
      const tag = emu.crm.tags.create('Leads', 'sdk', emu.crm.currentUserId);
      const module = { id: String(emu.crm.requireStore('Leads').def.meta.id), api_name: 'Leads' };
      const scheduled = await crm.massDeleteTags.massDelete({ body: { mass_delete: [{ module, tags: [{ id: tag.id }] }] } });
      assert.equal(scheduled.code, 'SCHEDULED');
      const jobId = scheduled.details.job_id;
      const status = await crm.massDeleteTags.getMassDeleteStatus({ job_id: jobId });
      assert.deepEqual(status.mass_delete, [{ job_id: jobId, total_count: 1, failed_count: 0, deleted_count: 1, status: 'COMPLETED' }]);
      assert.equal(emu.crm.tags.find(tag.id), undefined);
      const seen = emu.requests.filter((r) => r.path.startsWith(PATH));
      assert.deepEqual(seen.map((r) => [r.method, r.query['job_id']]), [['POST', undefined], ['GET', jobId]]);
    } finally {
      await crm.close();
      await emu.close();
    }
  });
});
