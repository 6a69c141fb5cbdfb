/**
 * Fidelity: Zoho's newest official SDK, @zohocrm/typescript-sdk-8.0 (it calls `/crm/v8`), unmodified, against
 * the emulator over HTTPS with real certificate checking: the SDK runs in a child process that trusts the
 * emulator's CA through NODE_EXTRA_CA_CERTS (./typescript-sdk-8.0/harness.ts; the steps are in
 * ./typescript-sdk-8.0/steps/records.ts). Grant → list with `page_token` → create → update → get → search → COQL → attachments (upload, list, download) → users → org → fields →
 * upsert → related records, notes, tags → convert → settings → photo → mass update, bulk read, functions, counts
 * → delete (and the recycle bin) → refresh → a 401, each checked against the emulator's state and request log.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { redactAuthorization } from '../../src/index.js';
import { sdkSession, type StepReply as Reply } from './typescript-sdk-8.0/harness.js';

const LAST_NAME = `Eight${process.pid}`;
const EMAIL = `${LAST_NAME.toLowerCase()}@example.com`;
const FILE_BYTES = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.from([0, 0xff, 0xc3, 0x28]), Buffer.from('eight')]);

let leadId = '';
let attachmentId = '';

describe('@zohocrm/typescript-sdk-8.0 (unmodified) against the emulator over HTTPS', () => {
  const sdk = sdkSession({ groups: ['records'], setup: (emu) => emu.registerFunction('greet_eight', (input) => `Hello ${input.method} ${input.userId}`) });
  const step = sdk.step;
  const crmRequests = sdk.requests;

  it('grant: the first call exchanges the grant code, learns the user as <email>:<org zgid> and stores the tokens', async () => {
    const page = await step('list', { fields: 'Last_Name,Company', perPage: 5 });
    assert.equal(page['status'], 200, JSON.stringify(page));
    assert.equal(page['ok'], true);
    assert.equal(sdk.emu.tokenRequests.length, 1);
    assert.match(String(sdk.emu.tokenRequests[0]?.headers['content-type']), /^multipart\/form-data/);
    // The SDK asks who it is (v8 users?type=CurrentUser, then the org) right after the grant.
    assert.ok(crmRequests('/crm/v8/users').some((r) => r.query['type'] === 'CurrentUser'));
    assert.ok(crmRequests('/crm/v8/org').length >= 1);
    const admin = sdk.emu.crm.users().find((u) => u['id'] === sdk.emu.crm.currentUserId);
    const zgid = String(sdk.emu.crm.seedData.org['zgid']);
    const tokens = await step('token');
    assert.equal(tokens['userSignature'], `${String(admin?.['email'])}:${zgid}`);
    const file = await step('tokenFile', { tokenFile: sdk.tokenFile });
    assert.ok(String(file['text']).includes(`${String(admin?.['email'])}:${zgid}`), 'the FileStore row names the user');
    assert.ok(String(file['text']).includes(String(tokens['refreshToken'])));
  });

  it('list: page_token pagination walks past the first page with the token the emulator issued', async () => {
    const first = await step('list', { fields: 'Last_Name', perPage: 3 });
    assert.equal(first['status'], 200);
    assert.deepEqual(first['ids'].length, 3);
    assert.equal(first['idType'], 'bigint');
    assert.equal(first['info'].moreRecords, true);
    const token = first['info'].nextPageToken;
    assert.equal(typeof token, 'string');
    const second = await step('list', { fields: 'Last_Name', perPage: 3, pageToken: token });
    assert.equal(second['status'], 200);
    assert.equal(crmRequests('/crm/v8/Leads').at(-1)?.query['page_token'], token);
    const leads = [...sdk.emu.crm.records('Leads')].map((r) => r.id);
    assert.deepEqual(second['ids'], leads.slice(3, 6));
    // Without `fields` v8 refuses, as Zoho does.
    const bare = await step('list', { perPage: 3 });
    assert.equal(bare['status'], 400);
    assert.equal(bare['code'], 'REQUIRED_PARAM_MISSING');
    assert.deepEqual(bare['details'], { param_name: 'fields' });
  });

  it('create, update, get: a lead is written and read back', async () => {
    const created = await step('create', { lastName: LAST_NAME, company: 'Acme é', email: EMAIL });
    assert.equal(created['status'], 201, JSON.stringify(created));
    assert.equal(created['code'], 'SUCCESS');
    leadId = String(created['id']);
    assert.equal(sdk.emu.crm.records('Leads').find((r) => r.id === leadId)?.Company, 'Acme é');

    const updated = await step('update', { id: leadId, company: 'Acme Eight' });
    assert.equal(updated['status'], 200, JSON.stringify(updated));
    assert.equal(updated['code'], 'SUCCESS');
    assert.equal(sdk.emu.crm.records('Leads').find((r) => r.id === leadId)?.Company, 'Acme Eight');

    const got = await step('get', { id: leadId });
    assert.equal(got['status'], 200);
    assert.deepEqual({ id: got['id'], Last_Name: got['Last_Name'], Company: got['Company'] }, { id: leadId, Last_Name: LAST_NAME, Company: 'Acme Eight' });
  });

  it('search and COQL find the lead', async () => {
    const byCriteria = await step('search', { criteria: `(Last_Name:equals:${LAST_NAME})` });
    assert.deepEqual(byCriteria['ids'], [leadId], JSON.stringify(byCriteria));
    const byEmail = await step('search', { email: EMAIL });
    assert.deepEqual(byEmail['ids'], [leadId]);
    const coql = await step('coql', { query: `select Last_Name from Leads where Last_Name = '${LAST_NAME}' limit 10` });
    assert.equal(coql['status'], 200, JSON.stringify(coql));
    assert.deepEqual(coql['rows'], [{ id: leadId, Last_Name: LAST_NAME }]);
    assert.equal(crmRequests('/crm/v8/coql').at(-1)?.method, 'POST');
  });

  it('attachments: upload, list (fields is mandatory on v8), download', async () => {
    const path = join(sdk.dir, 'eight.png');
    await writeFile(path, FILE_BYTES);
    const up = await step('uploadAttachment', { id: leadId, path });
    assert.equal(up['status'], 200, JSON.stringify(up));
    assert.equal(up['code'], 'SUCCESS');
    attachmentId = String(up['id']);
    assert.deepEqual(sdk.emu.crm.attachments.get(attachmentId)?.data, FILE_BYTES);

    const bare = await step('listAttachments', { id: leadId });
    assert.equal(bare['status'], 400);
    assert.equal(bare['code'], 'REQUIRED_PARAM_MISSING');
    assert.deepEqual(bare['details'], { param_name: 'fields' });

    const list = await step('listAttachments', { id: leadId, fields: 'id,File_Name,Size' });
    assert.equal(list['status'], 200, JSON.stringify(list));
    assert.deepEqual(list['attachments'].map((x: Reply) => [x['id'], x['fileName']]), [[attachmentId, 'eight.png']]);

    const dl = await step('downloadAttachment', { id: leadId, attachmentId });
    assert.equal(dl['status'], 200, JSON.stringify(dl));
    assert.equal(dl['name'], 'eight.png');
    assert.deepEqual(Buffer.from(String(dl['base64']), 'base64'), FILE_BYTES);
  });

  it('users: v8 users carry the __s keys the SDK reads', async () => {
    const users = await step('users', { type: 'ActiveUsers' });
    assert.equal(users['status'], 200, JSON.stringify(users));
    assert.ok(users['users'].length >= 1);
    for (const u of users['users']) {
      assert.equal(u['nameFormatS'], 'Salutation,First Name,Last Name');
      assert.equal(u['sortOrderPreferenceS'], 'First Name,Last Name');
      assert.equal(u['status'], 'active');
    }
  });

  it('org: the v8 org reply has a stable zgid and the v8 keys', async () => {
    const org = await step('org');
    assert.equal(org['status'], 200, JSON.stringify(org));
    assert.equal(org['zgid'], String(sdk.emu.crm.seedData.org['zgid']));
    assert.equal(org['maxPerPage'], 200);
    assert.equal(org['hipaa'], false);
    assert.equal(org['type'], 'production');
    const again = await step('org');
    assert.equal(again['zgid'], org['zgid']);
  });

  it('fields: v8 field metadata carries display_type, ui_type, sortable, filterable, searchable', async () => {
    const res = await step('fields', { module: 'Leads' });
    assert.equal(res['status'], 200, JSON.stringify(res));
    const lastName = res['fields'].find((f: Reply) => f['apiName'] === 'Last_Name');
    assert.deepEqual(lastName, {
      apiName: 'Last_Name',
      dataType: 'text',
      displayType: -1,
      uiType: 1,
      sortable: true,
      filterable: true,
      searchable: true,
      systemMandatory: true,
    });
    assert.equal(res['count'], sdk.emu.crm.store('Leads')?.def.fields.length);
  });

  it('upsert: the same Email twice inserts once, then updates that record', async () => {
    const email = `upsert${process.pid}@example.com`;
    const first = await step('upsert', { lastName: `Up${process.pid}`, email });
    assert.equal(first['code'], 'SUCCESS', JSON.stringify(first));
    const second = await step('upsert', { lastName: `Up${process.pid}b`, email });
    assert.equal(second['code'], 'SUCCESS', JSON.stringify(second));
    assert.equal(second['id'], first['id']);
    const matching = sdk.emu.crm.records('Leads').filter((r) => r['Email'] === email);
    assert.deepEqual(matching.map((r) => [r['id'], r['Last_Name']]), [[first['id'], `Up${process.pid}b`]]);
  });

  it('related records, notes and tags of records', async () => {
    const contact = sdk.emu.crm.records('Contacts').find((c) => typeof c['Account_Name'] === 'object' && c['Account_Name'] !== null);
    const accountId = String((contact?.['Account_Name'] as { id: string }).id);
    const related = await step('related', { module: 'Accounts', id: accountId, list: 'Contacts', fields: 'Last_Name' });
    assert.equal(related['status'], 200, JSON.stringify(related));
    const expected = sdk.emu.crm.records('Contacts').filter((c) => (c['Account_Name'] as { id?: string } | null)?.id === accountId).map((c) => String(c['id']));
    assert.deepEqual([...related['ids']].sort(), expected.sort());

    const note = await step('note', { id: leadId, content: `Called ${process.pid}` });
    assert.equal(note['code'], 'SUCCESS', JSON.stringify(note));
    const stored = sdk.emu.crm.records('Notes').find((n) => n['id'] === note['id']);
    assert.equal((stored?.['Parent_Id'] as { id: string }).id, leadId);
    assert.ok(note['notes'].some((n: Reply) => n['id'] === note['id'] && n['content'] === `Called ${process.pid}`));

    const ids = sdk.emu.crm.records('Leads').slice(0, 2).map((r) => String(r['id']));
    const tagged = await step('tags', { ids: ids.join(','), name: 'Eight' });
    assert.equal(tagged['status'], 200, JSON.stringify(tagged));
    assert.deepEqual(tagged['codes'], ['SUCCESS', 'SUCCESS']);
    for (const id of ids) assert.ok((sdk.emu.crm.records('Leads').find((r) => r['id'] === id)?.['Tag'] as { name: string }[]).some((t) => t.name === 'Eight'));
  });

  it('convert: ConvertLeadOperations turns a lead into a contact and an account', async () => {
    const lead = sdk.emu.crm.records('Leads').find((r) => r['$converted'] !== true && r['id'] !== leadId && typeof r['Company'] === 'string');
    const converted = await step('convert', { id: String(lead?.['id']) });
    assert.equal(converted['status'], 200, JSON.stringify(converted));
    assert.equal(converted['code'], 'SUCCESS');
    assert.equal(sdk.emu.crm.records('Contacts').find((c) => c['id'] === converted['contact'])?.['Last_Name'], lead?.['Last_Name']);
    assert.ok(sdk.emu.crm.records('Accounts').some((a) => a['id'] === converted['account']));
  });

  it('settings: modules, layouts, custom views, related lists, roles and profiles', async () => {
    const settings = await step('settings');
    assert.ok(Array.isArray(settings['modules']) && settings['modules'].includes('Leads'), JSON.stringify(settings['modules']));
    assert.deepEqual(settings['layouts'], sdk.emu.crm.store('Leads')?.def.layouts.map((l) => l['name']));
    assert.equal(settings['customViews'].length, sdk.emu.crm.store('Leads')?.def.customViews.length);
    assert.deepEqual(settings['relatedLists'], sdk.emu.crm.store('Leads')?.def.relatedLists.map((r) => r['api_name']));
    assert.deepEqual(settings['roles'], sdk.emu.crm.seedData.roles.map((r) => r['name']));
    assert.deepEqual(settings['profiles'], sdk.emu.crm.seedData.profiles.map((p) => p['name']));
  });

  it('photo: upload and download a record photo', async () => {
    const path = join(sdk.dir, 'photo.png');
    await writeFile(path, FILE_BYTES);
    const photo = await step('photo', { id: leadId, path });
    assert.equal(photo['uploadStatus'], 200);
    assert.equal(photo['status'], 200, JSON.stringify(photo));
    assert.deepEqual(Buffer.from(String(photo['base64']), 'base64'), FILE_BYTES);
    assert.deepEqual(sdk.emu.crm.photos.get(leadId)?.data, FILE_BYTES);
  });

  it('files: FilesOperations uploads to /crm/v8/files, parses the encrypted id and downloads the bytes', async () => {
    const path = join(sdk.dir, 'zfs.png');
    await writeFile(path, FILE_BYTES);
    const r = await step('zfsFiles', { path });
    assert.equal(r['status'], 200, JSON.stringify(r));
    assert.equal(r['upload']['itemClass'], 'SuccessResponse');
    assert.equal(r['upload']['details']['name'], 'zfs.png');
    assert.deepEqual(sdk.emu.crm.files.get(String(r['upload']['id']))?.data, FILE_BYTES);
    assert.equal(r['name'], 'zfs.png');
    assert.deepEqual(Buffer.from(String(r['base64']), 'base64'), FILE_BYTES);
  });

  it('mass update, bulk read, functions and counts', async () => {
    const ids = sdk.emu.crm.records('Leads').slice(2, 4).map((r) => String(r['id']));
    const mass = await step('massUpdate', { ids: ids.join(','), company: 'Mass Eight' });
    assert.equal(mass['status'], 202, JSON.stringify(mass));
    assert.equal(mass['jobStatus'], 'COMPLETED');
    for (const id of ids) assert.equal(sdk.emu.crm.records('Leads').find((r) => r['id'] === id)?.['Company'], 'Mass Eight');

    const bulk = await step('bulkRead');
    assert.equal(bulk['status'], 201, JSON.stringify(bulk));
    assert.equal(bulk['state'], 'COMPLETED');
    // Converted leads are not exported, as they are not listed.
    assert.equal(bulk['count'], sdk.emu.crm.records('Leads').filter((r) => r['$converted'] !== true).length);
    assert.equal(bulk['downloadStatus'], 200);
    assert.equal(bulk['fileName'], `${String(bulk['jobId'])}.zip`);
    assert.equal(Buffer.from(String(bulk['zipBase64']), 'base64').subarray(0, 2).toString('latin1'), 'PK');

    // The SDK's arguments Map goes out as "[object Object]", so the function is called without arguments.
    const fn = await step('execute', { function: 'greet_eight' });
    assert.equal(fn['status'], 200, JSON.stringify(fn));
    assert.equal(fn['output'], `Hello GET ${sdk.emu.crm.currentUserId}`);
    assert.equal(crmRequests('/crm/v8/functions/greet_eight/actions/execute').at(-1)?.query['auth_type'], 'oauth');

    const counts = await step('counts');
    assert.equal(counts['records'], String(sdk.emu.crm.records('Leads').length));
    assert.equal(counts['users'], String(sdk.emu.crm.users().filter((u) => u['status'] !== 'deleted').length));
  });

  it('delete: deleteRecord moves the lead to the recycle bin', async () => {
    const del = await step('delete', { id: leadId });
    assert.equal(del['status'], 200, JSON.stringify(del));
    assert.equal(del['code'], 'SUCCESS');
    assert.equal(sdk.emu.crm.records('Leads').some((r) => r.id === leadId), false);
    const deleted = await step('deleted');
    assert.equal(deleted['status'], 200, JSON.stringify(deleted));
    assert.deepEqual(deleted['records'].find((d: Reply) => d['id'] === leadId), { id: leadId, type: 'recycle', name: LAST_NAME });
  });

  it('refresh: a token about to expire is refreshed before the next call (multipart refresh_token grant)', async () => {
    const before = sdk.emu.requests.filter((r) => r.path.startsWith('/crm/')).at(-1)?.headers.authorization;
    await step('expireSoon', { tokenFile: sdk.tokenFile });
    const count = sdk.emu.tokenRequests.length;
    const page = await step('list', { fields: 'Last_Name', perPage: 1 });
    assert.equal(page['status'], 200, JSON.stringify(page));
    assert.equal(sdk.emu.tokenRequests.length, count + 1);
    assert.match(String(sdk.emu.tokenRequests.at(-1)?.body), /name="grant_type"\r\n\r\nrefresh_token\r\n/);
    const used = sdk.emu.requests.at(-1)?.headers.authorization;
    assert.notEqual(used, before);
    // The refreshed access token is what the SDK saved in its FileStore and sent.
    const file = await step('tokenFile', { tokenFile: sdk.tokenFile });
    // The log keeps a fingerprint of the token: one of the file's tokens has it.
    assert.ok((String(file['text']).match(/1000\.[0-9a-f.]+/g) ?? []).some((t) => redactAuthorization(`Zoho-oauthtoken ${t}`) === used));
  });

  it('401: a token the emulator no longer knows comes back as the SDK APIException INVALID_TOKEN', async () => {
    sdk.emu.expireAccessTokens();
    const page = await step('list', { fields: 'Last_Name', perPage: 1 });
    assert.equal(page['status'], 401, JSON.stringify(page));
    assert.equal(page['code'], 'INVALID_TOKEN');
    assert.equal(page['class'], 'APIException');
  });

  it('every CRM request went to /crm/v8 with the OAuth header and the SDK header', () => {
    const crm = sdk.emu.requests.filter((r) => r.path.startsWith('/crm/'));
    assert.ok(crm.length >= 15);
    for (const r of crm) {
      assert.match(r.path, /^\/crm\/(?:bulk\/)?v8\//);
      assert.match(String(r.headers.authorization), /^Zoho-oauthtoken 1000\./);
      assert.match(String(r.headers['x-zoho-sdk']), /typescript/i);
    }
  });
});
