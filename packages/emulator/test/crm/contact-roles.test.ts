/**
 * Contact roles (`/crm/v8/Contacts/roles`): seeded with the standard roles, created, renamed and deleted, names
 * unique (DUPLICATE_DATA), unknown ids INVALID_DATA. One test drives the SDK's `crm.records('Contacts')` role methods.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { STANDARD_CONTACT_ROLES } from '../../src/crm/stores/contact-roles.js';
import { call, makeState } from './helpers.js';
import { sdkAgainstEmulator } from './sdk-client.js';

const names = (reply: { data: { contact_roles: { name: string }[] } }): string[] => reply.data.contact_roles.map((r) => r.name);

describe('contact roles', () => {
  it('starts with the standard roles, in sequence order', async () => {
    const state = makeState();
    const list = await call(state, 'GET', '/crm/v8/Contacts/roles');
    assert.equal(list.status, 200);
    assert.deepEqual(names(list), STANDARD_CONTACT_ROLES);
    assert.deepEqual(list.data.contact_roles.map((r: { sequence_number: number }) => r.sequence_number), STANDARD_CONTACT_ROLES.map((_, i) => i + 1));
  });

  it('creates a role at the end; a name already taken (any case) is DUPLICATE_DATA naming the holder', async () => {
    const state = makeState();
    const purchasing = (await call(state, 'GET', '/crm/v8/Contacts/roles')).data.contact_roles[0];
    const res = await call(state, 'POST', '/crm/v8/Contacts/roles', { body: { contact_roles: [{ name: 'Champion' }, { name: 'PURCHASING' }] } });
    assert.equal(res.status, 207);
    assert.equal(res.data.contact_roles[0].code, 'SUCCESS');
    assert.deepEqual(res.data.contact_roles[1], {
      code: 'DUPLICATE_DATA',
      details: { api_name: 'name', id: purchasing.id, json_path: '$.contact_roles[1].name' },
      message: 'duplicate data',
      status: 'error',
    });
    const created = (await call(state, 'GET', `/crm/v8/Contacts/roles/${String(res.data.contact_roles[0].details.id)}`)).data.contact_roles[0];
    assert.deepEqual([created.name, created.sequence_number], ['Champion', STANDARD_CONTACT_ROLES.length + 1]);
  });

  it('renames a role (its own name again is fine, another role’s is DUPLICATE_DATA) and refuses unknown ids', async () => {
    const state = makeState();
    const [first, second] = (await call(state, 'GET', '/crm/v8/Contacts/roles')).data.contact_roles;
    const res = await call(state, 'PUT', '/crm/v8/Contacts/roles', {
      body: { contact_roles: [{ id: first.id, name: 'Buyer' }, { id: second.id, name: second.name }, { id: second.id, name: 'buyer' }, { id: '42', name: 'Ghost' }] },
    });
    assert.deepEqual(res.data.contact_roles.map((r: { code: string }) => r.code), ['SUCCESS', 'SUCCESS', 'DUPLICATE_DATA', 'INVALID_DATA']);
    assert.equal((await call(state, 'GET', `/crm/v8/Contacts/roles/${String(first.id)}`)).data.contact_roles[0].name, 'Buyer');
    const unknown = await call(state, 'GET', '/crm/v8/Contacts/roles/42');
    assert.deepEqual([unknown.status, unknown.data.code], [400, 'INVALID_DATA']);
  });

  it('deletes roles by id (one or ?ids=); an unknown id is a per-item INVALID_DATA', async () => {
    const state = makeState();
    const [a, b, c] = (await call(state, 'GET', '/crm/v8/Contacts/roles')).data.contact_roles;
    assert.equal((await call(state, 'DELETE', `/crm/v8/Contacts/roles/${String(a.id)}`)).status, 200);
    const many = await call(state, 'DELETE', `/crm/v8/Contacts/roles?ids=${String(b.id)},${String(a.id)}`);
    assert.deepEqual(many.data.contact_roles.map((r: { code: string }) => r.code), ['SUCCESS', 'INVALID_DATA']);
    const left = names(await call(state, 'GET', '/crm/v8/Contacts/roles'));
    assert.equal(left[0], c.name);
    assert.equal(left.length, STANDARD_CONTACT_ROLES.length - 2);
  });
});

describe('contact roles through the SDK', () => {
  const sdk = sdkAgainstEmulator();

  it("crm.records('Contacts') lists, creates and deletes roles; the emulator holds what the SDK sent", async () => {
    const contacts = sdk.crm.records('Contacts');
    const [made] = await contacts.createContactRoles({ body: { contact_roles: [{ name: 'Via SDK' }] } });
    assert.equal(made?.status, 'success');
    const listed = await contacts.listContactRoles();
    assert.deepEqual(listed?.contact_roles.map((r) => r.name).slice(-1), ['Via SDK']);
    await contacts.deleteContactRole(String(made?.id));
    assert.equal(sdk.emu.crm.contactRoles.named('Via SDK'), undefined);
  });
});
