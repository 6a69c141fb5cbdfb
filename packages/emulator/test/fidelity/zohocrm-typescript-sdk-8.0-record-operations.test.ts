/**
 * Fidelity: Zoho's @zohocrm/typescript-sdk-8.0, unmodified, against the emulator over HTTPS: one call through
 * each operations class that acts on records (./typescript-sdk-8.0/steps/record-operations.ts). Each reply must be
 * parsed into the SDK's success class, and the emulator must have received the request the SDK means.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sdkSession } from './typescript-sdk-8.0/harness.js';

const TAG = `Fid${process.pid}`;

describe('@zohocrm/typescript-sdk-8.0 record operations (mass jobs, locks, mail, recycle bin) against the emulator', () => {
  const sdk = sdkSession({ groups: ['record-operations'] });
  const step = sdk.step;
  const leads = (): Record<string, unknown>[] => sdk.emu.crm.records('Leads');
  const last = (path: string) => sdk.requests(path).at(-1);
  const me = (): Record<string, unknown> | undefined => sdk.emu.crm.users().find((u) => u['id'] === sdk.emu.crm.currentUserId);

  it('mail merge: sendMailMerge posts the template and addresses; the SDK reads an ActionWrapper', async () => {
    const lead = String(leads()[0]?.['id']);
    const r = await step('sendMailMerge', { module: 'Leads', id: lead, template: 'Welcome', to: 'reader@example.com', subject: 'Hi' });
    assert.equal(r['ok'], true, JSON.stringify(r));
    assert.deepEqual(r['items'], ['SuccessResponse']);
    const sent = last(`/crm/v8/Leads/${lead}/actions/send_mail_merge`);
    assert.equal(sent?.method, 'POST');
    const body = JSON.parse(String(sent?.body)) as { send_mail_merge: { mail_merge_template: { name: string }; to_address: { value: string }[] }[] };
    assert.equal(body.send_mail_merge[0]?.mail_merge_template.name, 'Welcome');
    assert.deepEqual(body.send_mail_merge[0]?.to_address.map((a) => a.value), ['reader@example.com']);
  });

  it("mass change owner: the accounts the view's criteria select get the new owner, the others keep theirs, and the job id comes back", async () => {
    const store = sdk.emu.crm.requireStore('Accounts');
    // The seed's 'Key Accounts' view shows the accounts rated Active.
    const view = store.def.customViews.find((v) => v['name'] === 'Key Accounts');
    const owner = String(sdk.emu.crm.users().find((u) => u['id'] !== sdk.emu.crm.currentUserId && u['status'] === 'active')?.['id']);
    const ownerOf = (a: Record<string, unknown>): string => (a['Owner'] as { id: string }).id;
    const before = new Map(sdk.emu.crm.records('Accounts').map((a) => [a['id'], ownerOf(a)]));
    const selected = sdk.emu.crm.records('Accounts').filter((a) => a['Rating'] === 'Active').map((a) => a['id']);
    assert.ok(selected.length > 0 && selected.length < before.size, 'the seed has accounts in and out of the view');
    const r = await step('massChangeOwner', { module: 'Accounts', cvid: String(view?.['id']), owner });
    assert.equal(r['ok'], true, JSON.stringify(r));
    assert.equal(r['code'], 'SUCCESS');
    assert.match(String(r['details']['job_id']), /^\d+$/);
    assert.deepEqual(JSON.parse(String(last('/crm/v8/Accounts/actions/mass_change_owner')?.body)), { cvid: String(view?.['id']), owner: { id: owner } });
    for (const account of sdk.emu.crm.records('Accounts')) {
      assert.equal(ownerOf(account), selected.includes(account['id']) ? owner : before.get(account['id']), String(account['Account_Name']));
    }
  });

  it("mass change owner with one plain condition in the body: only the view's account it names changes owner", async () => {
    const store = sdk.emu.crm.requireStore('Accounts');
    const view = store.def.customViews.find((v) => v['name'] === 'Key Accounts');
    const users = sdk.emu.crm.users().filter((u) => u['status'] === 'active').map((u) => String(u['id']));
    const ownerOf = (a: Record<string, unknown>): string => (a['Owner'] as { id: string }).id;
    const [target] = sdk.emu.crm.records('Accounts').filter((a) => a['Rating'] === 'Active');
    // An owner the account does not have yet, so the change shows.
    const owner = users.find((u) => u !== ownerOf(target ?? {})) ?? '';
    const before = new Map(sdk.emu.crm.records('Accounts').map((a) => [a['id'], ownerOf(a)]));
    const name = String(target?.['Account_Name']);
    const r = await step('massChangeOwner', { module: 'Accounts', cvid: String(view?.['id']), owner, criteriaField: 'Account_Name', comparator: 'equal', value: name });
    assert.equal(r['ok'], true, JSON.stringify(r));
    const sent = JSON.parse(String(last('/crm/v8/Accounts/actions/mass_change_owner')?.body)) as { criteria: unknown };
    assert.deepEqual(sent.criteria, { field: { api_name: 'Account_Name' }, comparator: 'equal', value: name });
    for (const account of sdk.emu.crm.records('Accounts')) {
      assert.equal(ownerOf(account), account['id'] === target?.['id'] ? owner : before.get(account['id']), String(account['Account_Name']));
    }
  });

  it('mass delete: massDeleteByRecordId deletes the lead, and the recycle bin lists it', async () => {
    const victim = leads().at(-1);
    const r = await step('massDeleteByIds', { module: 'Leads', ids: String(victim?.['id']) });
    assert.equal(r['ok'], true, JSON.stringify(r));
    assert.equal(r['code'], 'SUCCESS');
    assert.equal(leads().some((l) => l['id'] === victim?.['id']), false);
    const bin = await step('recycleBin', { module: 'Leads' });
    assert.equal(bin['ok'], true, JSON.stringify(bin));
    assert.ok(bin['records'].some((x: { id: string }) => x.id === victim?.['id']), JSON.stringify(bin['records']));
    assert.match(String(last('/crm/v8/settings/recycle_bin')?.query['filters']), /"value":"Leads"/);
  });

  it('mass delete tags: the job deletes the tag and takes it off the lead; its status counts it as the SDK MassDeleteDetails', async () => {
    const tag = sdk.emu.crm.tags.create('Leads', TAG, sdk.emu.crm.currentUserId);
    const store = sdk.emu.crm.requireStore('Leads');
    const lead = store.records.get(String(leads()[1]?.['id']));
    assert.ok(lead);
    sdk.emu.crm.recordStore.setSystem(store, lead, { Tag: [{ name: TAG, id: tag.id }] });
    const r = await step('massDeleteTags', { module: 'Leads', tag: tag.id });
    assert.equal(r['ok'], true, JSON.stringify(r));
    assert.equal(r['status'], 202);
    assert.equal(r['code'], 'SCHEDULED');
    assert.deepEqual(JSON.parse(String(sdk.requests('/crm/v8/settings/tags/actions/mass_delete').find((q) => q.method === 'POST')?.body)), { mass_delete: [{ module: { api_name: 'Leads' }, tags: [{ id: tag.id }] }] });
    assert.deepEqual(r['job'], { status: 200, ok: true, itemClass: 'MassDeleteDetails', jobId: r['jobId'], jobStatus: 'COMPLETED', total: 1, deleted: 1, failed: 0 });
    assert.equal(last('/crm/v8/settings/tags/actions/mass_delete')?.query['job_id'], r['jobId']);
    assert.equal(sdk.emu.crm.tags.find(tag.id), undefined, 'the tag is deleted');
    assert.deepEqual(leads().find((l) => l['id'] === lead.id)?.['Tag'], [], 'the lead no longer carries it');
  });

  it('record locking: a lock is created with its reason and read back as the SDK RecordLock', async () => {
    const lead = String(leads()[2]?.['id']);
    const r = await step('lockRecord', { module: 'Leads', id: lead, reason: 'Under audit' });
    assert.equal(r['ok'], true, JSON.stringify(r));
    assert.equal(r['code'], 'SUCCESS');
    assert.deepEqual(r['list']['locks'], [{ id: r['id'], reason: 'Under audit', source: 'Manual' }]);
    assert.equal(leads().find((l) => l['id'] === lead)?.['Locked__s'], true);
    // The SDK reads the lock module's fields before it writes one.
    assert.equal(last('/crm/v8/settings/fields')?.query['module'], 'Locking_Information__s');
  });

  it('e-mail sharing, unblocking and send mail', async () => {
    const lead = String(leads()[3]?.['id']);
    const shared = await step('shareEmails', { module: 'Leads', id: lead });
    assert.equal(shared['ok'], true, JSON.stringify(shared));
    assert.equal(shared['id'], lead);
    assert.equal(last(`/crm/v8/Leads/${lead}/actions/share_emails`)?.method, 'POST');

    const unblocked = await step('unblockEmails', { module: 'Leads', ids: lead });
    assert.equal(unblocked['ok'], true, JSON.stringify(unblocked));
    assert.deepEqual(JSON.parse(String(last('/crm/v8/Leads/actions/unblock_email')?.body)), { ids: [lead], unblock_fields: ['Email'] });

    const mail = await step('sendMail', { module: 'Leads', id: lead, to: 'reader@example.com', subject: `Fidelity ${process.pid}` });
    assert.equal(mail['ok'], true, JSON.stringify(mail));
    assert.equal(mail['code'], 'SUCCESS');
    assert.ok(sdk.emu.outbox.some((m) => m.subject === `Fidelity ${process.pid}`), 'the mail is in the outbox');
  });

  it('portal invite: inviteUsers sends the user type and invite type as query parameters', async () => {
    const contact = String(sdk.emu.crm.records('Contacts')[0]?.['id']);
    const r = await step('inviteToPortal', { module: 'Contacts', id: contact, userType: '4000001' });
    assert.equal(r['ok'], true, JSON.stringify(r));
    assert.equal(r['itemClass'], 'SuccessResponse');
    assert.deepEqual(last(`/crm/v8/Contacts/${contact}/actions/portal_invite`)?.query, { user_type_id: '4000001', type: 'invite' });
  });

  it('reschedule history and timelines', async () => {
    const appointment = '4000002';
    const r = await step('rescheduleHistory', {
      reason: 'Customer asked',
      from: '2026-02-01T10:00:00Z',
      to: '2026-02-02T10:00:00Z',
      appointment,
      appointmentName: 'Install',
      user: sdk.emu.crm.currentUserId,
      userName: String(me()?.['full_name']),
      userEmail: String(me()?.['email']),
    });
    assert.equal(r['ok'], true, JSON.stringify(r));
    assert.equal(r['code'], 'SUCCESS');
    const posted = JSON.parse(String(last('/crm/v8/Appointments_Rescheduled_History__s')?.body)) as { data: Record<string, unknown>[] };
    assert.equal(posted.data[0]?.['Reschedule_Reason'], 'Customer asked');

    const lead = String(leads()[0]?.['id']);
    const timeline = await step('timeline', { module: 'Leads', id: lead });
    assert.equal(timeline['ok'], true, JSON.stringify(timeline));
    assert.equal(last(`/crm/v8/Leads/${lead}/__timeline`)?.method, 'GET');
  });
});
