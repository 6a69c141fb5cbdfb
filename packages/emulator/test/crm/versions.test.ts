/**
 * The version table over real HTTP: the same emulator answers v2 and v8 with the shapes each version has
 * (mandatory `fields`, users' `__s` keys, v8 org and field-metadata keys), and nowhere else differs.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type Emulator } from '../../src/index.js';
import { MANDATORY_PARAMS, REPLY_KEYS, SINCE, has, shapeReply } from '../../src/crm/versions.js';

interface Reply {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

describe('emulator version table (v2 vs v8)', () => {
  let emu: Emulator;
  let token: string;
  let leadId: string;

  const api = async (method: string, path: string, body?: string | FormData): Promise<Reply> => {
    const res = await fetch(`${emu.url}${path}`, { method, headers: { Authorization: `Zoho-oauthtoken ${token}` }, ...(body === undefined ? {} : { body }) });
    const text = await res.text();
    return { status: res.status, json: text === '' ? undefined : JSON.parse(text) };
  };

  before(async () => {
    emu = await startEmulator({ seed: 5 });
    const code = await emu.grantToken();
    const params = new URLSearchParams({ grant_type: 'authorization_code', client_id: emu.client.clientId, client_secret: emu.client.clientSecret, code });
    const res = await fetch(`${emu.url}/oauth/v2/token`, { method: 'POST', body: params });
    token = ((await res.json()) as { access_token: string }).access_token;
    leadId = String(emu.crm.records('Leads')[0]?.['id']);
    const form = new FormData();
    form.append('file', new Blob([Buffer.from('hello')]), 'hello.txt');
    assert.equal((await api('POST', `/crm/v8/Leads/${leadId}/Attachments`, form)).status, 200);
  });
  after(() => emu.close());

  it('attachments list: fields is optional on v2 and mandatory on v8 (REQUIRED_PARAM_MISSING param_name fields)', async () => {
    const v2 = await api('GET', `/crm/v2/Leads/${leadId}/Attachments`);
    assert.equal(v2.status, 200);
    assert.equal(v2.json.data[0].File_Name, 'hello.txt');
    const v8 = await api('GET', `/crm/v8/Leads/${leadId}/Attachments`);
    assert.equal(v8.status, 400);
    assert.deepEqual(v8.json, { code: 'REQUIRED_PARAM_MISSING', details: { param_name: 'fields' }, message: 'One of the expected parameter is missing', status: 'error' });
    const v8ok = await api('GET', `/crm/v8/Leads/${leadId}/Attachments?fields=File_Name`);
    assert.equal(v8ok.status, 200);
    assert.deepEqual(Object.keys(v8ok.json.data[0]).sort(), ['File_Name', 'id']);
    // The record list keeps the same rule (one table entry each).
    assert.equal((await api('GET', '/crm/v8/Leads')).json.details.param_name, 'fields');
    assert.equal((await api('GET', '/crm/v2/Leads?per_page=1')).status, 200);
  });

  it('record notes and related records: fields optional on v2, mandatory on v8; v8 tags take ids in the body', async () => {
    const account = String(emu.crm.records('Accounts')[0]?.['id']);
    assert.notEqual((await api('GET', `/crm/v2/Accounts/${account}/Contacts`)).status, 400);
    assert.notEqual((await api('GET', `/crm/v2/Accounts/${account}/Notes`)).status, 400);
    for (const list of ['Contacts', 'Notes']) {
      const v8 = await api('GET', `/crm/v8/Accounts/${account}/${list}`);
      assert.equal(v8.status, 400, list);
      assert.deepEqual(v8.json.details, { param_name: 'fields' });
      assert.notEqual((await api('GET', `/crm/v8/Accounts/${account}/${list}?fields=id`)).status, 400, list);
    }
    const ids = emu.crm.records('Leads').slice(1, 3).map((r) => String(r['id']));
    const tagged = await api('POST', '/crm/v8/Leads/actions/add_tags', JSON.stringify({ tags: [{ name: 'Eight' }], ids, over_write: true }));
    assert.equal(tagged.status, 200, JSON.stringify(tagged.json));
    assert.deepEqual(tagged.json.data.map((d: { details: { id: string } }) => d.details.id), ids);
    for (const id of ids) assert.deepEqual((emu.crm.records('Leads').find((r) => r['id'] === id)?.['Tag'] as { name: string }[]).map((t) => t.name), ['Eight']);
  });

  it('users: v2 has name_format and territories; v8 has the __s keys instead', async () => {
    const v2 = (await api('GET', '/crm/v2/users?type=CurrentUser')).json.users[0];
    assert.equal(v2.name_format, 'Salutation,First Name,Last Name');
    assert.deepEqual(v2.territories, []);
    assert.equal('name_format__s' in v2, false);
    const v8 = (await api('GET', '/crm/v8/users?type=CurrentUser')).json.users[0];
    assert.equal(v8.name_format__s, 'Salutation,First Name,Last Name');
    assert.equal(v8.sort_order_preference__s, 'First Name,Last Name');
    assert.equal(v8.status_reason__s, null);
    assert.equal('name_format' in v8, false);
    assert.equal('territories' in v8, false);
    assert.equal(v8.email, v2.email);
    // Single-user GET is shaped the same way; the stored user is untouched.
    const one = (await api('GET', `/crm/v8/users/${String(v2.id)}`)).json.users[0];
    assert.equal(one.name_format__s, 'Salutation,First Name,Last Name');
    assert.equal(emu.crm.users()[0]?.['name_format'], 'Salutation,First Name,Last Name');
  });

  it('org: v8 adds type, max_per_page and hipaa_compliance_enabled; v2 has none of them; zgid is the same', async () => {
    const v2 = (await api('GET', '/crm/v2/org')).json.org[0];
    const v8 = (await api('GET', '/crm/v8/org')).json.org[0];
    for (const key of ['type', 'max_per_page', 'hipaa_compliance_enabled', 'created_time']) assert.equal(key in v2, false, key);
    assert.equal(v8.type, 'production');
    assert.equal(v8.max_per_page, 200);
    assert.equal(v8.hipaa_compliance_enabled, false);
    assert.equal(v8.zgid, v2.zgid);
    assert.match(String(v8.zgid), /^\d+$/);
  });

  it('fields: v8 drops section_id / transition_sequence / personality_name / mandatory and adds the v8 keys', async () => {
    const v2 = (await api('GET', '/crm/v2/settings/fields?module=Leads')).json.fields.find((f: { api_name: string }) => f.api_name === 'Last_Name');
    assert.equal(v2.section_id, 1);
    assert.equal(v2.mandatory, true);
    assert.equal('ui_type' in v2, false);
    const v8 = (await api('GET', '/crm/v8/settings/fields?module=Leads')).json.fields.find((f: { api_name: string }) => f.api_name === 'Last_Name');
    for (const key of ['section_id', 'transition_sequence', 'personality_name', 'mandatory']) assert.equal(key in v8, false, key);
    assert.equal(v8.display_type, -1);
    assert.equal(v8.ui_type, 1);
    assert.equal(v8.sortable, true);
    assert.equal(v8.filterable, true);
    assert.equal(v8.searchable, true);
    assert.equal(v8.created_time, null);
    assert.equal(v8.system_mandatory, true);
    const layout = emu.crm.store('Leads')?.def.layouts[0];
    assert.deepEqual(v8.layout_associations, [{ api_name: 'Standard__s', name: 'Standard', id: String(layout?.['id']) }]);
    // Layouts still carry their fields' section ids on v8, as Zoho's v8 layouts do.
    const v8Layout = (await api('GET', '/crm/v8/settings/layouts?module=Leads')).json.layouts[0];
    assert.equal(typeof v8Layout.sections[0].fields[0].section_id, 'number');
  });

  it('v8 names modules as objects in related-list and field metadata; v2 keeps the names', async () => {
    const leadsModuleId = String(emu.crm.store('Notes')?.def.meta.id);
    const v2 = (await api('GET', '/crm/v2/settings/related_lists?module=Leads')).json.related_lists.find((r: { api_name: string }) => r.api_name === 'Notes');
    assert.equal(v2.module, 'Notes');
    const v8 = (await api('GET', '/crm/v8/settings/related_lists?module=Leads')).json.related_lists.find((r: { api_name: string }) => r.api_name === 'Notes');
    assert.deepEqual(v8.module, { api_name: 'Notes', id: leadsModuleId });
    assert.equal(v8.customize_sort, false);
    const lookupV2 = (await api('GET', '/crm/v2/settings/fields?module=Contacts')).json.fields.find((f: { api_name: string }) => f.api_name === 'Account_Name');
    assert.equal(lookupV2.lookup.module, 'Accounts');
    const lookupV8 = (await api('GET', '/crm/v8/settings/fields?module=Contacts')).json.fields.find((f: { api_name: string }) => f.api_name === 'Account_Name');
    assert.deepEqual(lookupV8.lookup.module, { api_name: 'Accounts', id: String(emu.crm.store('Accounts')?.def.meta.id) });
    assert.equal(lookupV8.associated_module, null);
    // The stored metadata the routes use is untouched.
    assert.equal(emu.crm.store('Contacts')?.def.fields.find((f) => f.api_name === 'Account_Name')?.['lookup']?.['module' as never], 'Accounts');
  });

  it('record and user counts: GET /{module}/actions/count and /users/actions/count', async () => {
    const all = await api('GET', '/crm/v8/Leads/actions/count');
    assert.deepEqual(all, { status: 200, json: { count: emu.crm.records('Leads').length } });
    const name = String(emu.crm.records('Leads')[0]?.['Last_Name']);
    const some = await api('GET', `/crm/v8/Leads/actions/count?criteria=${encodeURIComponent(`(Last_Name:equals:${name})`)}`);
    assert.equal(some.json.count, emu.crm.records('Leads').filter((r) => r['Last_Name'] === name).length);
    const users = await api('GET', '/crm/v8/users/actions/count?type=ActiveUsers');
    assert.equal(users.json.count, emu.crm.users().filter((u) => u['status'] === 'active').length);
  });

  it('v8 tags on one record name it in the path (the body needs no ids; several records still do), results name tags as {name, id}', async () => {
    const post = (path: string, tags: string[]) => api('POST', `/crm/v8/Leads/${path}`, JSON.stringify({ tags: tags.map((name) => ({ name })) }));
    const added = await post(`${leadId}/actions/add_tags`, ['PathOnly']);
    assert.equal(added.status, 200);
    assert.deepEqual([added.json.data[0].code, added.json.data[0].details.id], ['SUCCESS', leadId]);
    // v8 names the record's tags as {name, id} (v2 lists names: test/crm/misc.test.ts).
    const [tag] = added.json.data[0].details.tags;
    assert.deepEqual([tag.name, typeof tag.id], ['PathOnly', 'string']);
    assert.equal((await post(`${leadId}/actions/remove_tags`, ['PathOnly'])).json.data[0].code, 'SUCCESS');
    const several = await post('actions/add_tags', ['PathOnly']);
    assert.deepEqual([several.status, several.json.code, several.json.details], [400, 'REQUIRED_PARAM_MISSING', { param_name: 'ids' }]);
  });

  it('the table itself: thresholds are named, shapeReply copies, and unknown endpoints pass through', () => {
    assert.equal(has('pageToken', 'v2'), false);
    assert.equal(has('pageToken', 'v3'), true);
    assert.equal(has('coql2000', 'v3'), false);
    assert.equal(has('coql2000', 'v4'), true);
    assert.equal(SINCE.wrappedConvert, 8);
    assert.deepEqual(MANDATORY_PARAMS['attachments.list'], [{ param: 'fields', since: 3 }]);
    assert.ok((REPLY_KEYS.users ?? []).every((r) => r.since === 7));
    const user = { name_format: 'X', territories: [] };
    const shaped = shapeReply('users', 'v7', user);
    assert.deepEqual(user, { name_format: 'X', territories: [] });
    assert.equal(shaped['name_format__s'], 'X');
    assert.equal(shapeReply('users', 'v6', user), user);
  });
});
