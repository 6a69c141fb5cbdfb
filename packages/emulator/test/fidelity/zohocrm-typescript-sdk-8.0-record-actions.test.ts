/**
 * Fidelity (issue 16): Zoho's @zohocrm/typescript-sdk-8.0, unmodified, makes one call in each record-action
 * area (blueprint, bulk_write, cadences_execution, cancel_meetings, change_owner, conversion_option,
 * entity_scores, field_attachments, find_and_merge, inventory_convert, inventory_mass_convert) against the emulator over HTTPS; each reply
 * must be one the SDK parses into its expected class, and the emulator's request log or state must show the call.
 * Steps: ./typescript-sdk-8.0/steps/record-actions.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { zip } from '../../../../test-support/zip.js';
import { assertActionSuccess, sdkSession, type StepReply } from './typescript-sdk-8.0/harness.js';

const TRANSITION_ID = `${process.pid}01`;
const FIELD_FILE_ID = `${process.pid}02`;
const UPLOAD_ID = `${process.pid}03`;
const FIELD_FILE = Buffer.from(`field attachment of ${process.pid} \u00e9`);

describe('@zohocrm/typescript-sdk-8.0 record actions against the emulator', () => {
  const sdk = sdkSession({
    groups: ['record-actions'],
    setup: (emu) => emu.defineBlueprint({ module: 'Leads', name: 'Qualify', field: 'Lead_Status', transitions: [{ id: TRANSITION_ID, name: 'Contact', from: [''], to: 'Contacted' }] }),
  });
  const idOf = (module: string, index: number): string => String(sdk.emu.crm.records(module)[index]?.['id']);

  it('blueprint: the record shows its transition, and taking it moves the record (a bare SuccessResponse)', async () => {
    const lead = sdk.emu.crm.records('Leads').find((r) => r['Lead_Status'] === undefined || r['Lead_Status'] === null || r['Lead_Status'] === '');
    assert.ok(lead !== undefined, 'a lead outside the blueprint states');
    const r = await sdk.step('blueprint', { id: lead.id, module: 'Leads', transitionId: TRANSITION_ID });
    assert.deepEqual(r['got'], { status: 200, ok: true, process: 'Qualify', transitions: [{ id: TRANSITION_ID, name: 'Contact' }] });
    assertActionSuccess(r);
    assert.deepEqual(sdk.received('PUT', `/crm/v8/Leads/${lead.id}/actions/blueprint`).json, { blueprint: [{ data: {}, transition_id: TRANSITION_ID }] });
    assert.equal(sdk.emu.crm.records('Leads').find((x) => x.id === lead.id)?.['Lead_Status'], 'Contacted');
  });

  it('bulk_write: a job over an uploaded CSV inserts its rows, and its details read back', async () => {
    // uploadFile() posts to the hard-coded https://content.zohoapis.com, so the zip is staged in the emulator's uploads.
    const lastName = `Bulk${process.pid}`;
    sdk.emu.crm.uploads.add(UPLOAD_ID, { name: 'leads.zip', data: zip([{ name: 'leads.csv', data: Buffer.from(`Last_Name,Company\n${lastName},Bulk Co\n`) }]), created_time: sdk.emu.crm.nowString() });
    const r = await sdk.step('bulkWriteJob', { module: 'Leads', fileId: UPLOAD_ID });
    assertActionSuccess(r, 201);
    assert.deepEqual(r['job'], { status: 200, ok: true, jobStatus: 'COMPLETED', operation: 'insert', resources: [{ status: 'COMPLETED', module: 'Leads' }] });
    assert.equal(sdk.received('POST', '/crm/bulk/v8/write').json['resource'][0].file_id, UPLOAD_ID);
    assert.equal(sdk.emu.crm.records('Leads').filter((x) => x['Last_Name'] === lastName).length, 1);
  });

  it('cadences_execution: enrolling a record in a cadence', async () => {
    const lead = idOf('Leads', 1);
    const r = await sdk.step('enrollCadences', { module: 'Leads', cadenceId: '4001', id: lead });
    assertActionSuccess(r);
    assert.deepEqual(sdk.received('POST', '/crm/v8/Leads/actions/enrol_in_cadences').json, { ids: [lead], cadences_ids: ['4001'] });
  });

  it('cancel_meetings: cancelling a meeting without mailing its participants', async () => {
    const meeting = idOf('Events', 0);
    const r = await sdk.step('cancelMeeting', { id: meeting, sendMail: false });
    assertActionSuccess(r);
    assert.deepEqual(sdk.received('POST', `/crm/v8/Events/${meeting}/actions/cancel`).json, { data: [{ send_cancelling_mail: false }] });
  });

  it('change_owner: one record gets a new owner (202, data envelope)', async () => {
    const lead = idOf('Leads', 2);
    const owner = sdk.emu.crm.currentUserId;
    const r = await sdk.step('changeOwner', { module: 'Leads', id: lead, ownerId: owner });
    assertActionSuccess(r, 202);
    assert.equal(r['id'], lead);
    assert.equal((sdk.emu.crm.records('Leads').find((x) => x.id === lead)?.['Owner'] as { id: string }).id, owner);
  });

  it('conversion_option: the options for converting a lead (after the SDK fails its own first call)', async () => {
    const lead = idOf('Leads', 3);
    const r = await sdk.step('conversionOptions', { id: lead });
    assert.equal(r['firstError'], 'INVALID_MODULE');
    assert.equal(sdk.requests('/crm/v8/settings/fields').some((x) => x.query['module'] === 'Leads,Contacts,Deals,Accounts'), true);
    assert.equal(r['status'], 200, JSON.stringify(r));
    assert.equal(r['ok'], true);
    sdk.received('GET', `/crm/v8/Leads/${lead}/__conversion_options`);
    assert.equal(typeof r['modulePreference'], 'string');
  });

  it('entity_scores: the scores of records with the fields asked for', async () => {
    const r = await sdk.step('entityScores', { fields: 'Score,Positive_Score' });
    assert.equal(r['status'], 200, JSON.stringify(r));
    assert.equal(sdk.received('GET', '/crm/v8/Entity_Scores__s').query['fields'], 'Score,Positive_Score');
    assert.ok(r['scores'].length >= 1);
    assert.ok(r['scores'].every((s: StepReply) => typeof s['score'] === 'number'));
  });

  it('field_attachments: a file of the record downloads with its name and bytes', async () => {
    const lead = idOf('Leads', 3);
    sdk.emu.crm.attachments.add({ meta: { id: FIELD_FILE_ID, File_Name: 'field.txt' }, parentId: lead, parentModule: 'Leads', data: FIELD_FILE, contentType: 'text/plain' });
    const r = await sdk.step('fieldAttachment', { module: 'Leads', id: lead, attachmentId: FIELD_FILE_ID });
    assert.equal(r['status'], 200, JSON.stringify(r));
    assert.equal(r['name'], 'field.txt');
    assert.deepEqual(Buffer.from(String(r['base64']), 'base64'), FIELD_FILE);
    assert.equal(sdk.received('GET', `/crm/v8/Leads/${lead}/actions/download_fields_attachment`).query['fields_attachment_id'], FIELD_FILE_ID);
  });

  it('find_and_merge: a duplicate contact is merged into the master', async () => {
    const [master, duplicate] = [idOf('Contacts', 0), idOf('Contacts', 1)];
    const r = await sdk.step('merge', { module: 'Contacts', id: master, duplicateId: duplicate });
    assertActionSuccess(r, 201);
    assert.equal(r['id'], master);
    assert.deepEqual(sdk.received('POST', `/crm/v8/Contacts/${master}/actions/merge`).json, { merge: [{ data: [{ id: duplicate }] }] });
    assert.equal(sdk.emu.crm.records('Contacts').some((x) => x.id === duplicate), false);
  });

  it('inventory_convert: a quote converted to a sales order, which has the quote\'s line items, account and a lookup back', async () => {
    const [account] = sdk.emu.crm.insert('Accounts', [{ Account_Name: `Inventory ${process.pid}` }]);
    const product = idOf('Products', 0);
    const subject = `Quote ${process.pid}`;
    const [quote] = sdk.emu.crm.insert('Quotes', [{ Subject: subject, Account_Name: { id: account?.['id'] }, Discount: 4, Product_Details: [{ Product_Name: { id: product }, Quantity: 2 }] }]);
    const r = await sdk.step('inventoryConvert', { module: 'Quotes', id: quote?.['id'], to: 'Sales_Orders' });
    assertActionSuccess(r);
    assert.equal(r['message'], 'The record has been converted successfully');
    assert.deepEqual(sdk.received('POST', `/crm/v8/Quotes/${String(quote?.['id'])}/actions/convert`).json, { data: [{ convert_to: [{ module: { api_name: 'Sales_Orders' }, carry_over_tags: false }] }] });
    const created = r['created'] as { id: string; name: string };
    assert.equal(created.name, subject);
    const order = sdk.emu.crm.records('Sales_Orders').find((o) => o.id === created.id);
    assert.ok(order !== undefined, 'the sales order the SDK was told of exists');
    const refId = (v: unknown): unknown => (v as { id?: unknown } | null)?.id;
    assert.deepEqual([order['Subject'], refId(order['Quote_Name']), refId(order['Account_Name']), order['Discount']], [subject, quote?.['id'], account?.['id'], 4]);
    assert.deepEqual((order['Product_Details'] as { Product_Name: unknown; Quantity: number }[]).map((i) => [refId(i.Product_Name), i.Quantity]), [[product, 2]]);
  });

  it('inventory_mass_convert: quotes converted to invoices as a job whose counts the SDK reads', async () => {
    const quotes = sdk.emu.crm.insert('Quotes', [{ Subject: `Mass A ${process.pid}` }, { Subject: `Mass B ${process.pid}` }]).map((q) => String(q['id']));
    const owner = String(sdk.emu.crm.users().find((u) => u['id'] !== sdk.emu.crm.currentUserId && u['status'] === 'active')?.['id']);
    const toModuleId = String(sdk.emu.crm.requireStore('Invoices').def.meta.id);
    const r = await sdk.step('inventoryMassConvert', { module: 'Quotes', to: 'Invoices', toModuleId, ownerId: owner, ids: quotes.join(',') });
    assert.deepEqual(r, { status: 202, ok: true, code: 'SCHEDULED', message: 'Mass Convert scheduled successfully', jobId: r['jobId'], job: { status: 200, ok: true, data: [{ status: 'COMPLETED', total: 2, converted: 2, notConverted: 0, failed: 0 }] } });
    assert.deepEqual(sdk.received('POST', '/crm/v8/Quotes/actions/mass_convert').json, { convert_to: [{ module: { api_name: 'Invoices', id: toModuleId }, carry_over_tags: false }], assign_to: { id: owner }, ids: quotes });
    assert.equal(sdk.received('GET', '/crm/v8/Quotes/actions/mass_convert').query['job_id'], r['jobId']);
    const invoices = sdk.emu.crm.records('Invoices').filter((i) => String(i['Subject']).startsWith('Mass '));
    assert.deepEqual(invoices.map((i) => [i['Subject'], (i['Owner'] as { id: string }).id]), [[`Mass A ${process.pid}`, owner], [`Mass B ${process.pid}`, owner]]);
  });
});
