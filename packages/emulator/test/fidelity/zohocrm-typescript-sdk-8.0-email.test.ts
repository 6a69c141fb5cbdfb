/**
 * Fidelity (issue 16): Zoho's @zohocrm/typescript-sdk-8.0, unmodified, makes one call in each email area
 * (email_compose, email_related_records, email_sharing_details, from_addresses) against the emulator over HTTPS;
 * each reply must be one the SDK parses into its expected class. Steps: ./typescript-sdk-8.0/steps/email.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sdkSession, type StepReply } from './typescript-sdk-8.0/harness.js';

describe('@zohocrm/typescript-sdk-8.0 email areas against the emulator', () => {
  const sdk = sdkSession({ groups: ['email'] });
  const leadId = (): string => String(sdk.emu.crm.records('Leads')[0]?.['id']);

  it('email_compose: the composer defaults', async () => {
    const r = await sdk.step('emailCompose');
    assert.equal(r['status'], 200, JSON.stringify(r));
    assert.equal(typeof r['family'], 'string');
    sdk.received('GET', '/crm/email/v8/settings/compose');
  });

  it("email_related_records: a record's emails for one owner", async () => {
    const owner = sdk.emu.crm.currentUserId;
    const r = await sdk.step('relatedEmails', { module: 'Leads', id: leadId(), ownerId: owner });
    assert.equal(r['status'], 200, JSON.stringify(r));
    assert.equal(sdk.received('GET', `/crm/v8/Leads/${leadId()}/Emails`).query['owner_id'], owner);
    assert.ok(r['messageIds'].length >= 1);
    assert.ok(r['messageIds'].every((m: unknown) => typeof m === 'string' && m !== ''));
  });

  it("email_sharing_details: who a record's emails are shared with", async () => {
    const r = await sdk.step('emailSharingDetails', { module: 'Leads', id: leadId() });
    assert.equal(r['status'], 200, JSON.stringify(r));
    sdk.received('GET', `/crm/v8/Leads/${leadId()}/__emails_sharing_details`);
    assert.ok(r['count'] >= 1);
  });

  it('from_addresses: the addresses a user may send from', async () => {
    const r = await sdk.step('fromAddresses');
    assert.equal(r['status'], 200, JSON.stringify(r));
    sdk.received('GET', '/crm/v8/settings/emails/actions/from_addresses');
    assert.ok(r['addresses'].length >= 1);
    assert.ok(r['addresses'].every((a: StepReply) => /@/.test(String(a['email']))));
  });
});
