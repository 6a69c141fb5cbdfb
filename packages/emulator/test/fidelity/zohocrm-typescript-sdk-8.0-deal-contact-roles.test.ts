/**
 * Fidelity (issue 16): Zoho's @zohocrm/typescript-sdk-8.0, unmodified, gives a contact a role on a deal, reads the
 * deal's contacts with their roles and takes the contact off again (deal_contact_roles, from our overlay of the
 * description) against the emulator over HTTPS; each reply must be one the SDK parses into its expected class, and
 * the emulator's request log and state must show the calls. Steps: ./typescript-sdk-8.0/steps/deal-contact-roles.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertActionSuccess, sdkSession } from './typescript-sdk-8.0/harness.js';

describe('@zohocrm/typescript-sdk-8.0 deal contact roles against the emulator', () => {
  const sdk = sdkSession({ groups: ['deal-contact-roles'] });

  it("deal_contact_roles: a contact's role on a deal is assigned, read back by the SDK and removed", async () => {
    const deal = String(sdk.emu.crm.records('Deals')[0]?.['id']);
    const contact = sdk.emu.crm.records('Contacts')[0];
    assert.ok(contact !== undefined);
    const contactId = String(contact['id']);
    const role = sdk.emu.crm.contactRoles.list()[2];
    assert.ok(role !== undefined);
    const r = await sdk.step('dealContactRoles', { deal, contact: contactId, role: role.id });
    assertActionSuccess(r);
    assert.deepEqual(sdk.received('PUT', `/crm/v8/Deals/${deal}/Contact_Roles/${contactId}`).json, { data: [{ Contact_Role: { id: role.id } }] });
    assert.deepEqual(r['listed'], { status: 200, ok: true, contacts: [{ id: contactId, lastName: contact['Last_Name'], role: role.name, roleId: role.id }] });
    assert.equal(sdk.received('GET', `/crm/v8/Deals/${deal}/Contact_Roles`).query['fields'], 'Last_Name');
    assert.equal(r['removed']['code'], 'SUCCESS', JSON.stringify(r['removed']));
    assert.equal(sdk.emu.crm.dealContactRoles.roleOf(deal, contactId), undefined);
  });
});
