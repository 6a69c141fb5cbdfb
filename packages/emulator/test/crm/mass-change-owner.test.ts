/**
 * Mass change owner (`POST /crm/v8/{module}/actions/mass_change_owner`): the custom view's criteria select the
 * records, narrowed by the body's `criteria` (one condition or a group) and `territory`; an unknown view, a
 * criteria field the module lacks and a criteria node that is neither condition nor group are refused; the
 * job's counts are read back.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { call, makeState } from './helpers.js';

const PATH = '/crm/v8/Leads/actions/mass_change_owner';

function setup() {
  const s = makeState({ emptyModules: true });
  const territory = { id: 't1', name: 'North' };
  const [junkA, junkB, open] = s.insert('Leads', [
    { Last_Name: 'Ames', Company: 'A', Lead_Status: 'Junk Lead' },
    { Last_Name: 'Bell', Company: 'B', Lead_Status: 'Junk Lead' },
    { Last_Name: 'Cole', Company: 'C', Lead_Status: 'Contacted' },
  ]).map((r) => String(r['id']));
  // Ames and Cole are in the North territory (as assigning territories to records leaves them).
  const leads = s.requireStore('Leads');
  for (const id of [junkA, open]) {
    const lead = leads.records.get(String(id));
    if (lead !== undefined) s.recordStore.setSystem(leads, lead, { Territories: [territory] });
  }
  const view = String(s.requireStore('Leads').def.customViews.find((v) => v['name'] === 'Junk Leads')?.['id']);
  const other = String(s.users().find((u) => u['id'] !== s.currentUserId && u['status'] === 'active')?.['id']);
  const ownerOf = (id: string | undefined): string => (s.records('Leads').find((l) => l['id'] === id)?.['Owner'] as { id: string }).id;
  return { s, junkA, junkB, open, view, other, ownerOf };
}

describe('mass change owner', () => {
  it("changes the owner of the records the view's criteria select, and reports the job", async () => {
    const { s, junkA, junkB, open, view, other, ownerOf } = setup();
    const res = await call(s, 'POST', PATH, { body: { cvid: view, owner: { id: other } } });
    assert.equal(res.status, 200, JSON.stringify(res.data));
    assert.deepEqual([junkA, junkB, open].map(ownerOf), [other, other, s.currentUserId]);
    const job = await call(s, 'GET', `${PATH}?job_id=${String(res.data.data[0].details.job_id)}`);
    assert.deepEqual([job.data.data[0].total_count, job.data.data[0].updated_count], [2, 2]);
  });

  it("narrows the view to a territory's records, and refuses an unknown view", async () => {
    const { s, junkA, junkB, open, view, other, ownerOf } = setup();
    const byTerritory = await call(s, 'POST', PATH, { body: { cvid: view, owner: { id: other }, territory: { id: 't1' } } });
    assert.equal(byTerritory.status, 200, JSON.stringify(byTerritory.data));
    assert.deepEqual([junkA, junkB, open].map(ownerOf), [other, s.currentUserId, s.currentUserId]);
    const unknown = await call(s, 'POST', PATH, { body: { cvid: '42', owner: { id: other } } });
    assert.deepEqual([unknown.status, unknown.data.code, unknown.data.details], [400, 'INVALID_DATA', { api_name: 'cvid', json_path: '$.cvid' }]);
  });

  it('narrows the view by a plain single condition in the body (no group, no group_operator)', async () => {
    const { s, junkA, junkB, open, view, other, ownerOf } = setup();
    const criteria = { field: { api_name: 'Company' }, comparator: 'equal', value: 'B' };
    const res = await call(s, 'POST', PATH, { body: { cvid: view, owner: { id: other }, criteria } });
    assert.equal(res.status, 200, JSON.stringify(res.data));
    assert.deepEqual([junkA, junkB, open].map(ownerOf), [s.currentUserId, other, s.currentUserId]);
    const job = await call(s, 'GET', `${PATH}?job_id=${String(res.data.data[0].details.job_id)}`);
    assert.deepEqual([job.data.data[0].total_count, job.data.data[0].updated_count], [1, 1]);
  });

  it('narrows the view by a group of conditions', async () => {
    const { s, junkA, junkB, open, view, other, ownerOf } = setup();
    const criteria = {
      group_operator: 'or',
      group: [
        { field: { api_name: 'Last_Name' }, comparator: 'equal', value: 'Ames' },
        { field: { api_name: 'Last_Name' }, comparator: 'equal', value: 'Cole' },
      ],
    };
    const res = await call(s, 'POST', PATH, { body: { cvid: view, owner: { id: other }, criteria } });
    assert.equal(res.status, 200, JSON.stringify(res.data));
    // Cole is not in the Junk Leads view: the body's criteria narrow the view, never widen it.
    assert.deepEqual([junkA, junkB, open].map(ownerOf), [other, s.currentUserId, s.currentUserId]);
  });

  it('refuses a criteria field the module lacks, and a node that is neither a condition nor a group, changing nothing', async () => {
    const { s, junkA, junkB, open, view, other, ownerOf } = setup();
    const unknownField = { group_operator: 'and', group: [{ field: { api_name: 'Company' }, comparator: 'equal', value: 'A' }, { field: { api_name: 'No_Such' }, comparator: 'equal', value: 'x' }] };
    const bad = await call(s, 'POST', PATH, { body: { cvid: view, owner: { id: other }, criteria: unknownField } });
    assert.deepEqual([bad.status, bad.data.code, bad.data.details], [400, 'INVALID_DATA', { api_name: 'criteria', json_path: '$.criteria.group[1].field' }]);
    const neither = await call(s, 'POST', PATH, { body: { cvid: view, owner: { id: other }, criteria: { comparator: 'equal', value: 'A' } } });
    // The request validator names what a condition lacks (a group would need group_operator and group).
    assert.deepEqual([neither.status, neither.data.code, neither.data.details], [400, 'MANDATORY_NOT_FOUND', { api_name: 'field', json_path: '$.criteria.field' }]);
    assert.deepEqual([junkA, junkB, open].map(ownerOf), [s.currentUserId, s.currentUserId, s.currentUserId]);
  });
});
