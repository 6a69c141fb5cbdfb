import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BadRequestError } from '../../src/errors.js';
import { setup, type Setup } from './helpers.js';

const codeOf = (code: string) => (e: unknown) => e instanceof BadRequestError && e.code === code;

describe('blueprint and send mail through the emulator', () => {
  let s: Setup;
  let email: string;
  before(async () => {
    s = await setup('v8', { emptyModules: true });
    email = String(s.emu.crm.users()[0]?.['email']);
    s.emu.defineBlueprint({
      module: 'Leads',
      name: 'Lead process',
      field: 'Lead_Status',
      transitions: [
        { id: '1001', name: 'Contact', from: ['Not Contacted'], to: 'Contacted', fields: [{ api_name: 'Phone', mandatory: true }] },
        { id: '1002', name: 'Qualify', from: ['Contacted'], to: 'Pre-Qualified' },
      ],
    });
    s.emu.addEmailTemplate({ id: '2001', name: 'Welcome', subject: 'Welcome aboard', content: '<p>Hello</p>' });
  });
  after(() => s.close());

  it('reads the blueprint, refuses a plain update of its field and a transition without its mandatory field, performs a transition', async () => {
    const [lead] = await s.crm.records('Leads').create([{ Last_Name: 'Blue', Company: 'B', Lead_Status: 'Not Contacted' }]);
    const id = String(lead!.id);
    const bp = s.crm.records('Leads').blueprint(id);
    const read = (await bp.get()) as { blueprint: { process_info: { field_value: string; api_name: string }; transitions: Array<{ id: number | string; name: string; fields: Array<{ api_name: string; mandatory: boolean }> }> } };
    assert.deepEqual([read.blueprint.process_info.api_name, read.blueprint.process_info.field_value], ['Lead_Status', 'Not Contacted']);
    assert.deepEqual(read.blueprint.transitions.map((t) => [String(t.id), t.name, t.fields.map((f) => [f.api_name, f.mandatory])]), [['1001', 'Contact', [['Phone', true]]]]);

    const [refused] = await s.crm.records('Leads').update([{ id, Lead_Status: 'Contacted' }]);
    assert.equal(refused?.code, 'RECORD_IN_BLUEPRINT');
    await assert.rejects(bp.update({ body: { blueprint: [{ transition_id: '1001', data: {} }] } } as never), codeOf('MANDATORY_NOT_FOUND'));
    await assert.rejects(bp.update({ body: { blueprint: [{ transition_id: '1002', data: {} }] } } as never), codeOf('INVALID_DATA'));
    await bp.update({ body: { blueprint: [{ transition_id: '1001', data: { Phone: '555-0100' } }] } } as never);
    const after = await s.crm.records('Leads').get(id);
    assert.deepEqual([after['Lead_Status'], after['Phone']], ['Contacted', '555-0100']);
    const next = (await bp.get()) as { blueprint: { transitions: Array<{ name: string }> } };
    assert.deepEqual(next.blueprint.transitions.map((t) => t.name), ['Qualify']);
    const [other] = await s.crm.records('Contacts').create([{ Last_Name: 'NoProcess' }]);
    await assert.rejects(s.crm.records('Contacts').blueprint(String(other!.id)).get(), codeOf('RECORD_NOT_IN_PROCESS'));
  });

  it('sends mail from a user address, with content or a template, into the outbox', async () => {
    const [lead] = await s.crm.records('Leads').create([{ Last_Name: 'Mail', Company: 'M', Email: 'mail@example.com' }]);
    const id = String(lead!.id);
    const [sent] = (await s.crm.records('Leads').sendMail(id, {
      body: { data: [{ from: { user_name: 'Admin', email }, to: [{ user_name: 'Mail', email: 'mail@example.com' }], subject: 'Hi', content: 'Plain body', mail_format: 'text' }] },
    } as never)) as unknown as Array<{ code: string; details: { message_id: string } }>;
    assert.equal(sent?.code, 'SUCCESS');
    await s.crm.records('Leads').sendMail(id, { body: { data: [{ from: { email }, to: [{ email: 'mail@example.com' }], template: { id: '2001' } }] } } as never);
    assert.deepEqual(
      s.emu.outbox.map((m) => [m.record_id, m.to[0]?.email, m.subject, m.content, m.template_id]),
      [
        [id, 'mail@example.com', 'Hi', 'Plain body', null],
        [id, 'mail@example.com', 'Welcome aboard', '<p>Hello</p>', '2001'],
      ],
    );
    assert.equal(s.emu.outbox[0]?.message_id, sent?.details.message_id);
    // A refused mail is a per-item result, as for every multi-item write.
    const codes = async (data: unknown): Promise<string[]> =>
      ((await s.crm.records('Leads').sendMail(id, { body: { data: [data] } } as never)) as unknown as Array<{ code: string }>).map((r) => r.code);
    assert.deepEqual(await codes({ from: { email: 'stranger@example.com' }, to: [{ email: 'mail@example.com' }], subject: 's', content: 'c' }), ['INVALID_DATA']);
    assert.deepEqual(await codes({ from: { email }, subject: 's', content: 'c' }), ['MANDATORY_NOT_FOUND']);
    assert.equal(s.emu.outbox.length, 2);
  });
});

describe("the emulator's sample blueprint on a fresh org", () => {
  let s: Setup;
  before(async () => {
    s = await setup('v8', { emptyModules: true });
  });
  after(() => s.close());

  it('puts leads in "Lead rating" for GET/PUT actions/blueprint, yet a plain update of Rating still works', async () => {
    const [lead] = await s.crm.records('Leads').create([{ Last_Name: 'Sample', Company: 'S' }]);
    const id = String(lead!.id);
    const bp = s.crm.records('Leads').blueprint(id);
    const read = (await bp.get()) as { blueprint: { process_info: { api_name: string; name: string }; transitions: Array<{ name: string }> } };
    assert.deepEqual([read.blueprint.process_info.api_name, read.blueprint.transitions.map((t) => t.name)], ['Rating', ['Activate']]);
    const [updated] = await s.crm.records('Leads').update([{ id, Rating: 'Acquired' }]);
    assert.equal(updated?.code, 'SUCCESS');
    assert.equal((await s.crm.records('Leads').get(id))['Rating'], 'Acquired');
  });
});
