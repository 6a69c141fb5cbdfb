/**
 * Fidelity (issue 16): Zoho's @zohocrm/typescript-sdk-8.0, unmodified, makes one call in each area fidelity-a
 * left (data_sharing, digest, email_configuration_options, email_signatures, get_related_records_count: served
 * from our overlay of the description, since Zoho's OAS lacks them; and email_compose's update) against the
 * emulator over HTTPS; each reply
 * must be one the SDK parses into its expected class, and the emulator's request log or state must show the call.
 * Steps: ./typescript-sdk-8.0/steps/more.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertActionSuccess, sdkSession, type StepReply } from './typescript-sdk-8.0/harness.js';

describe('@zohocrm/typescript-sdk-8.0 areas beyond the OAS against the emulator', () => {
  const sdk = sdkSession({ groups: ['more'] });
  const idOf = (module: string, index: number): string => String(sdk.emu.crm.records(module)[index]?.['id']);

  it('data_sharing: the modules’ sharing reads, and a module made public read-only reads back so', async () => {
    const r = await sdk.step('dataSharing', { module: 'Leads' });
    assert.equal(r['got']['ok'], true, JSON.stringify(r));
    assert.ok(r['got']['modules'].length >= 1);
    assertActionSuccess(r);
    assert.deepEqual(sdk.received('PUT', '/crm/v8/settings/data_sharing').json, { data_sharing: [{ module: { api_name: 'Leads' }, share_type: 'public_read_only' }] });
    const again = await sdk.step('dataSharing', { module: 'Leads' });
    assert.ok(again['got']['modules'].some((m: StepReply) => m['module'] === 'Leads' && m['shareType'] === 'public_read_only'), JSON.stringify(again['got']));
  });

  it('digest: a digest of a record is generated and its code handed back', async () => {
    const lead = idOf('Leads', 0);
    const r = await sdk.step('digest', { module: 'Leads', id: lead });
    assertActionSuccess(r);
    assert.equal(typeof r['details']['digest_code'], 'string');
    assert.deepEqual(sdk.received('POST', '/crm/v8/__digest').json, { __digest: [{ record_id: lead, module: 'Leads' }] });
  });

  it('email_configuration_options: the options read, and one written back', async () => {
    const r = await sdk.step('emailConfigurationOptions', { name: 'email_font' });
    assert.equal(r['got']['ok'], true, JSON.stringify(r));
    assert.ok(r['got']['names'].length >= 1);
    assertActionSuccess(r);
    assert.deepEqual(sdk.received('PUT', '/crm/email/v8/settings/compose/configuration_options').json, {
      configuration_options: [{ name: 'email_font', data_type: 'text' }],
    });
  });

  it("email_compose: the composer's default font is set (a flat list of SUCCESS items) and reads back", async () => {
    const family = `Verdana ${process.pid}`;
    const r = await sdk.step('emailComposeUpdate', { family, size: 13 });
    assertActionSuccess(r);
    assert.deepEqual(r['details'], { type: { value: 'default' } }); // the SDK reads details.type as a Choice
    assert.deepEqual(sdk.received('PUT', '/crm/email/v8/settings/compose').json, { email_compose: [{ type: 'default', font: { family, size: 13 } }] });
    assert.deepEqual(r['read'], { status: 200, ok: true, family, size: 13 });
  });

  it('email_signatures: a created signature reads back by its id', async () => {
    const name = `Signature ${process.pid}`;
    const r = await sdk.step('emailSignature', { name, content: 'Regards', userId: sdk.emu.crm.currentUserId });
    assertActionSuccess(r, 201);
    assert.match(String(r['id']), /^\d+$/);
    assert.equal(sdk.received('POST', '/crm/email/v8/settings/compose/email_signatures').query['user_id'], sdk.emu.crm.currentUserId);
    assert.deepEqual(r['read'], { status: 200, ok: true, signatures: [{ id: r['id'], name, content: 'Regards', editorMode: 'plain_text' }] });
  });

  it("get_related_records_count: a contact's related lists are counted", async () => {
    const contact = sdk.emu.crm.records('Contacts')[0];
    assert.ok(contact !== undefined);
    const notes = sdk.emu.crm.records('Notes').filter((n) => (n['Parent_Id'] as { id?: string } | undefined)?.id === contact.id).length;
    const r = await sdk.step('relatedRecordsCount', { module: 'Contacts', id: contact.id, relatedLists: 'Notes,Deals' });
    assert.equal(r['status'], 200, JSON.stringify(r));
    assert.equal(r['counts'][0]['list'], 'Notes');
    assert.equal(r['counts'][0]['count'], notes);
    assert.equal(r['counts'][1]['list'], 'Deals');
    assert.equal(typeof r['counts'][1]['count'], 'number');
    assert.deepEqual(sdk.received('POST', `/crm/v8/Contacts/${contact.id}/actions/get_related_records_count`).json, {
      get_related_records_count: [{ related_list: { api_name: 'Notes' } }, { related_list: { api_name: 'Deals' } }],
    });
  });
});
