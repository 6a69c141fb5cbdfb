/**
 * Fidelity (issue 16): Zoho's @zohocrm/typescript-sdk-8.0, unmodified, reads a record's emails with their files
 * and associates one: download_attachments and download_inline_images answer files the SDK parses as
 * FileBodyWrapper, associate_email's reply parses as ActionWrapper and the email is then among the record's emails.
 * Steps: ./typescript-sdk-8.0/steps/email-files.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertActionSuccess, sdkSession, type StepReply } from './typescript-sdk-8.0/harness.js';

describe("@zohocrm/typescript-sdk-8.0 a record's emails and their files against the emulator", () => {
  const sdk = sdkSession({ groups: ['email-files'] });
  const lead = (): string => String(sdk.emu.crm.records('Leads')[1]?.['id']);
  const owner = (): string => sdk.emu.crm.currentUserId;
  /** The lead's first email, as the SDK lists it. */
  const firstEmail = async (): Promise<StepReply> => {
    const r = await sdk.step('recordEmails', { module: 'Leads', id: lead(), ownerId: owner() });
    assert.equal(r['status'], 200, JSON.stringify(r));
    const email = r['emails'][0] as StepReply;
    assert.ok(email !== undefined, JSON.stringify(r));
    return email;
  };

  it('download_attachments: an attachment of the email downloads with its name, type and bytes', async () => {
    const email = await firstEmail();
    assert.equal(email['hasAttachment'], true);
    const attachment = email['attachments'][0] as StepReply;
    const r = await sdk.step('emailAttachment', { module: 'Leads', id: lead(), userId: owner(), messageId: email['messageId'], fileId: attachment['id'], name: attachment['name'] });
    assert.equal(r['ok'], true, JSON.stringify(r));
    assert.equal(r['status'], 200);
    assert.equal(r['name'], attachment['name']);
    const bytes = Buffer.from(String(r['base64']), 'base64');
    assert.equal(String(bytes.length), attachment['size']);
    assert.equal(bytes.toString(), `Proposal for record ${lead()}\n`);
    // Text downloads as a file, not a document the SDK would parse.
    assert.equal(r['contentType'], 'application/octet-stream');
    const got = sdk.received('GET', `/crm/v8/Leads/${lead()}/Emails/actions/download_attachments`).query;
    assert.deepEqual(got, { user_id: owner(), message_id: email['messageId'], id: attachment['id'], name: attachment['name'] });
  });

  it('download_inline_images: the image the content names by img_id downloads as a PNG', async () => {
    const email = await firstEmail();
    const image = String(email['inlineImages'][0]);
    const r = await sdk.step('emailInlineImage', { module: 'Leads', id: lead(), userId: owner(), messageId: email['messageId'], fileId: image });
    assert.equal(r['ok'], true, JSON.stringify(r));
    assert.equal(r['contentType'], 'image/png');
    assert.equal(r['name'], 'logo.png');
    assert.deepEqual(Buffer.from(String(r['base64']), 'base64').subarray(1, 4).toString(), 'PNG');
    assert.equal(sdk.received('GET', `/crm/v8/Leads/${lead()}/Emails/actions/download_inline_images`).query['id'], image);
  });

  it("associate_email: a received email with an attachment joins the record's emails", async () => {
    const data = Buffer.from(`terms ${process.pid}\n`);
    const fileId = `fidelity${process.pid}`;
    const by = sdk.emu.crm.userRef(owner(), false);
    sdk.emu.crm.files.add({ id: fileId, name: 'terms.txt', contentType: 'text/plain', data, inline: false, created_time: sdk.emu.crm.nowString(), created_by: by });
    const moduleId = String(sdk.emu.crm.store('Leads')?.def.meta.id);
    const subject = `Terms ${process.pid}`;
    const r = await sdk.step('associateEmail', {
      module: 'Leads', id: lead(), moduleId, fileId, subject,
      from: 'charles@zoho.com', to: 'patrick@zoho.com', originalMessageId: `<terms-${process.pid}@mail.example>`, dateTime: '2026-03-01T10:00:00+05:30',
    });
    assertActionSuccess(r, 201);
    const messageId = String(r['details']['message_id']);
    assert.match(messageId, /^[0-9a-f]{32}$/);
    const sent = sdk.received('POST', `/crm/v8/Leads/${lead()}/actions/associate_email`).json['Emails'][0] as StepReply;
    assert.equal(sent['subject'], subject);
    assert.deepEqual(sent['attachments'], [{ id: fileId }]);
    assert.deepEqual(sent['linked_record'], { module: { api_name: 'Leads', id: moduleId }, id: lead() });

    const listed = await sdk.step('recordEmails', { module: 'Leads', id: lead(), ownerId: owner() });
    const email = (listed['emails'] as StepReply[]).find((e) => e['messageId'] === messageId);
    assert.ok(email !== undefined, JSON.stringify(listed));
    assert.equal(email['subject'], subject);
    assert.equal(email['from'], 'charles@zoho.com');
    assert.deepEqual(email['to'], ['patrick@zoho.com']);
    assert.deepEqual(email['attachments'], [{ id: fileId, name: 'terms.txt', size: String(data.length) }]);
  });
});
