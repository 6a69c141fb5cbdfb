/**
 * A deal's contact roles (`/crm/v8/Deals/{deal}/Contact_Roles`): a contact is put on a deal with a role (by id or
 * name), listed with the fields asked for and its role, given another role and taken off; unknown deals, contacts
 * and roles are refused; a deleted role leaves its contacts on the deal without a role. One test drives the SDK's
 * `crm.records('Deals')` methods.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CrmState } from '../../src/crm/index.js';
import { call, makeState } from './helpers.js';
import { sdkAgainstEmulator } from './sdk-client.js';

function ids(state: CrmState): { deal: string; contacts: string[]; roles: { id: string; name: string }[] } {
  const deal = String(state.records('Deals')[0]?.['id']);
  const contacts = state.records('Contacts').slice(0, 2).map((c) => String(c['id']));
  return { deal, contacts, roles: state.contactRoles.list() };
}

const assign = (state: CrmState, deal: string, contact: string, role: unknown) =>
  call(state, 'PUT', `/crm/v8/Deals/${deal}/Contact_Roles/${contact}`, { body: { data: [{ Contact_Role: role }] } });

describe('deal contact roles', () => {
  it('puts contacts on a deal with a role (by id or by name) and lists them with the fields asked for', async () => {
    const state = makeState();
    const { deal, contacts, roles } = ids(state);
    const [first, second] = contacts as [string, string];
    const [buyer, evaluator] = [roles[0], roles.find((r) => r.name === 'Evaluator')] as [{ id: string; name: string }, { id: string; name: string }];
    const put = await assign(state, deal, first, { id: buyer.id, name: buyer.name });
    assert.equal(put.status, 200, JSON.stringify(put.data));
    assert.deepEqual(put.data.data, [{ code: 'SUCCESS', details: { id: first }, message: 'record updated', status: 'success' }]);
    assert.equal((await assign(state, deal, second, { name: 'evaluator' })).status, 200);

    const list = await call(state, 'GET', `/crm/v8/Deals/${deal}/Contact_Roles?fields=Last_Name,Email`);
    assert.equal(list.status, 200);
    const contact = state.records('Contacts')[0] as Record<string, unknown>;
    assert.deepEqual(list.data.data[0], { Last_Name: contact['Last_Name'], Email: contact['Email'], id: first, Contact_Role: { name: buyer.name, id: buyer.id } });
    assert.deepEqual(list.data.data.map((r: { Contact_Role: { id: string } }) => r.Contact_Role.id), [buyer.id, evaluator.id]);
    assert.deepEqual(list.data.info, { per_page: 2, count: 2, page: 1, more_records: false });

    const only = await call(state, 'GET', `/crm/v8/Deals/${deal}/Contact_Roles?fields=Last_Name&ids=${second}`);
    assert.deepEqual(only.data.data.map((r: { id: string }) => r.id), [second]);
    const one = await call(state, 'GET', `/crm/v8/Deals/${deal}/Contact_Roles/${second}`);
    assert.deepEqual(one.data.data[0].Contact_Role, { name: evaluator.name, id: evaluator.id });
  });

  it('changes a contact’s role, then takes contacts off (one, or several by ids); a contact not on the deal is INVALID_DATA', async () => {
    const state = makeState();
    const { deal, contacts, roles } = ids(state);
    const [first, second] = contacts as [string, string];
    await assign(state, deal, first, { id: roles[0]?.id });
    await assign(state, deal, first, { id: roles[1]?.id });
    await assign(state, deal, second, { id: roles[2]?.id });
    assert.equal(state.dealContactRoles.roleOf(deal, first), roles[1]?.id);

    const removed = await call(state, 'DELETE', `/crm/v8/Deals/${deal}/Contact_Roles/${first}`);
    assert.deepEqual([removed.status, removed.data.data[0].code], [200, 'SUCCESS']);
    const again = await call(state, 'DELETE', `/crm/v8/Deals/${deal}/Contact_Roles/${first}`);
    assert.deepEqual([again.status, again.data.data[0].code, again.data.data[0].details], [400, 'INVALID_DATA', { id: first }]);
    const many = await call(state, 'DELETE', `/crm/v8/Deals/${deal}/Contact_Roles?ids=${second},${first}`);
    assert.deepEqual([many.status, many.data.data.map((r: { code: string }) => r.code)], [207, ['SUCCESS', 'INVALID_DATA']]);
    assert.equal((await call(state, 'GET', `/crm/v8/Deals/${deal}/Contact_Roles?fields=Last_Name`)).status, 204);
  });

  it('refuses an unknown deal, contact or role, a missing role, and a listing without fields', async () => {
    const state = makeState();
    const { deal, contacts, roles } = ids(state);
    const contact = contacts[0] ?? '';
    const noDeal = await assign(state, '111', contact, { id: roles[0]?.id });
    assert.deepEqual([noDeal.status, noDeal.data.code, noDeal.data.details], [400, 'INVALID_DATA', { resource_path_index: 1 }]);
    const noContact = await assign(state, deal, '222', { id: roles[0]?.id });
    assert.deepEqual([noContact.status, noContact.data.code, noContact.data.details], [400, 'INVALID_DATA', { resource_path_index: 3 }]);
    const noRole = await assign(state, deal, contact, { id: '333' });
    assert.deepEqual([noRole.status, noRole.data.data[0].code, noRole.data.data[0].details], [400, 'INVALID_DATA', { api_name: 'Contact_Role', json_path: '$.data[0].Contact_Role' }]);
    const missing = await call(state, 'PUT', `/crm/v8/Deals/${deal}/Contact_Roles/${contact}`, { body: { data: [{}] } });
    assert.deepEqual([missing.status, missing.data.data[0].code], [400, 'MANDATORY_NOT_FOUND']);
    const noFields = await call(state, 'GET', `/crm/v8/Deals/${deal}/Contact_Roles`);
    assert.deepEqual([noFields.status, noFields.data.code, noFields.data.details], [400, 'REQUIRED_PARAM_MISSING', { param_name: 'fields' }]);
    assert.equal(state.dealContactRoles.list(deal).length, 0);
  });

  it('deleting a role in use keeps its contacts on their deals, without a role (Zoho documents no refusal)', async () => {
    const state = makeState();
    const { deal, contacts } = ids(state);
    const made = await call(state, 'POST', '/crm/v8/Contacts/roles', { body: { contact_roles: [{ name: 'Champion' }] } });
    const role = String(made.data.contact_roles[0].details.id);
    await assign(state, deal, contacts[0] ?? '', { id: role });
    const deleted = await call(state, 'DELETE', `/crm/v8/Contacts/roles/${role}`);
    assert.equal(deleted.status, 200);
    const list = await call(state, 'GET', `/crm/v8/Deals/${deal}/Contact_Roles?fields=Last_Name`);
    assert.deepEqual(list.data.data.map((r: { id: string; Contact_Role: unknown }) => [r.id, r.Contact_Role]), [[contacts[0], null]]);
  });

  it('a deal deleted takes its contact roles with it', async () => {
    const state = makeState();
    const { deal, contacts, roles } = ids(state);
    await assign(state, deal, contacts[0] ?? '', { id: roles[0]?.id });
    assert.equal((await call(state, 'DELETE', `/crm/v8/Deals/${deal}`)).status, 200);
    assert.deepEqual(state.dealContactRoles.list(deal), []);
  });
});

describe('deal contact roles through the SDK', () => {
  const sdk = sdkAgainstEmulator();

  it("crm.records('Deals') assigns, lists and removes a contact's role; the emulator holds what the SDK sent", async () => {
    const deal = String(sdk.emu.crm.records('Deals')[0]?.['id']);
    const contact = String(sdk.emu.crm.records('Contacts')[0]?.['id']);
    const role = sdk.emu.crm.contactRoles.list()[3];
    const deals = sdk.crm.records('Deals');
    const [done] = await deals.updateDealContactRole(deal, contact, { body: { data: [{ Contact_Role: { id: String(role?.id) } }] } });
    assert.equal(done?.status, 'success');
    assert.equal(sdk.emu.crm.dealContactRoles.roleOf(deal, contact), role?.id);
    const listed = await deals.listDealContactRoles(deal, { fields: 'Last_Name' });
    assert.deepEqual(listed?.data.map((r) => [r.id, r.Contact_Role?.name]), [[contact, role?.name]]);
    await deals.deleteDealContactRole(deal, contact);
    assert.equal(sdk.emu.crm.dealContactRoles.roleOf(deal, contact), undefined);
  });
});
