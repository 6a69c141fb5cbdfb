import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inflateRawSync } from 'node:zlib';
import { CrmState } from '../../src/crm/index.js';
import { zip } from '../../src/crm/zip.js';
import { call, file, FIXED_NOW, makeState } from './helpers.js';

describe('users, org, settings', () => {
  it('lists users with info, filters by type, gets by id', async () => {
    const s = makeState();
    const all = await call(s, 'GET', '/crm/v2/users?type=AllUsers');
    assert.equal(all.status, 200);
    assert.ok(Array.isArray(all.data.users));
    assert.equal(all.data.info.page, 1);
    const current = await call(s, 'GET', '/crm/v2/users?type=CurrentUser');
    assert.deepEqual(current.data.users.map((u: { id: string }) => u.id), [s.currentUserId]);
    const one = await call(s, 'GET', `/crm/v2/users/${s.currentUserId}?module=undefined`);
    assert.equal(one.data.users[0].id, s.currentUserId);
    const bad = await call(s, 'GET', '/crm/v2/users?type=Bogus');
    assert.equal(bad.status, 400);
    const scope = await call(s, 'GET', '/crm/v2/users', { scopes: ['ZohoCRM.modules.ALL'] });
    assert.equal(scope.data.code, 'OAUTH_SCOPE_MISMATCH');
  });

  it('adds, updates and deletes users in the users wrapper', async () => {
    const s = makeState({ emptyModules: true });
    const add = await call(s, 'POST', '/crm/v2/users', {
      body: { users: [{ first_name: 'Al', last_name: 'Stone', email: 'al@example.com', role: { id: '1' }, profile: { id: '2' } }] },
    });
    assert.equal(add.status, 201);
    assert.equal(add.data.users[0].message, 'User added');
    const newId = add.data.users[0].details.id;
    const upd = await call(s, 'PUT', `/crm/v2/users/${String(newId)}`, { body: { users: [{ last_name: 'Rock' }] } });
    assert.equal(upd.data.users[0].message, 'User updated');
    assert.equal(s.user(String(newId))?.['full_name'], 'Al Rock');
    const missing = await call(s, 'POST', '/crm/v2/users', { body: { users: [{ last_name: 'X' }] } });
    assert.deepEqual([missing.status, missing.data.users[0].code], [400, 'MANDATORY_NOT_FOUND']);
    assert.equal((await call(s, 'DELETE', `/crm/v2/users/${String(newId)}`)).data.users[0].message, 'User deleted');
    assert.equal(s.user(String(newId)), undefined);
  });

  it('answers org and metadata with their wrapper keys', async () => {
    const s = makeState();
    const org = await call(s, 'GET', '/crm/v2/org');
    assert.equal(org.data.org.length, 1);
    const modules = await call(s, 'GET', '/crm/v2/settings/modules');
    const leads = modules.data.modules.find((m: { api_name: string }) => m.api_name === 'Leads');
    assert.equal(leads.api_supported, true);
    assert.ok(leads.generated_type);
    assert.equal((await call(s, 'GET', '/crm/v2/settings/modules/leads')).data.modules[0].api_name, 'Leads');
    const fields = await call(s, 'GET', '/crm/v2/settings/fields?module=Leads');
    const last = fields.data.fields.find((f: { api_name: string }) => f.api_name === 'Last_Name');
    assert.equal(last.system_mandatory, true);
    assert.equal((await call(s, 'GET', `/crm/v2/settings/fields/${String(last.id)}?module=Leads`)).data.fields[0].api_name, 'Last_Name');
    const missing = await call(s, 'GET', '/crm/v2/settings/fields');
    assert.deepEqual(missing.data.details, { param_name: 'module' });
    assert.equal((await call(s, 'GET', '/crm/v2/settings/fields?module=Nope')).data.code, 'INVALID_MODULE');
    assert.ok(Array.isArray((await call(s, 'GET', '/crm/v2/settings/layouts?module=Leads')).data.layouts));
    assert.ok(Array.isArray((await call(s, 'GET', '/crm/v2/settings/related_lists?module=Leads')).data.related_lists));
    assert.ok(Array.isArray((await call(s, 'GET', '/crm/v2/settings/roles')).data.roles));
    assert.ok(Array.isArray((await call(s, 'GET', '/crm/v2/settings/profiles')).data.profiles));
  });

  it('updates a custom view sort and lists by cvid with it', async () => {
    const s = makeState({ emptyModules: true });
    s.insert('Leads', [{ Last_Name: 'B', Company: 'x' }, { Last_Name: 'A', Company: 'x' }]);
    const cvs = await call(s, 'GET', '/crm/v2/settings/custom_views?module=Leads');
    const cvid = String(cvs.data.custom_views[0].id);
    assert.ok('default' in cvs.data.info);
    const put = await call(s, 'PUT', `/crm/v2/settings/custom_views/${cvid}?module=Leads`, {
      body: { custom_views: [{ settings: { sort_by: 'Last_Name', sort_order: 'asc' } }] },
    });
    assert.equal(put.data.custom_views[0].code, 'SUCCESS');
    const list = await call(s, 'GET', `/crm/v2/Leads?cvid=${cvid}`);
    assert.deepEqual(list.data.data.map((r: { Last_Name: string }) => r.Last_Name), ['A', 'B']);
  });
});

describe('functions', () => {
  it('executes registered handlers with query, arguments= and body arguments', async () => {
    const s = makeState({ emptyModules: true });
    const seen: Record<string, unknown>[] = [];
    s.registerFunction('echo', (input) => {
      seen.push(input.arguments);
      return `hi ${String(input.arguments['name'])}`;
    });
    const get = await call(s, 'GET', '/crm/v2/functions/echo/actions/execute?auth_type=oauth&name=Ann');
    assert.deepEqual(get.data, {
      code: 'success',
      details: { output: 'hi Ann', output_type: 'string', id: s.currentUserId },
      message: 'function executed successfully',
    });
    await call(s, 'GET', `/crm/v2/functions/echo/actions/execute?auth_type=apikey&arguments=${encodeURIComponent('{"name":"Bo"}')}`);
    await call(s, 'POST', '/crm/v2/functions/echo/actions/execute?auth_type=oauth', { body: { arguments: { name: 'Cy' } } });
    assert.deepEqual(seen.map((a) => a['name']), ['Ann', 'Bo', 'Cy']);
    assert.equal((await call(s, 'GET', '/crm/v2/functions/nope/actions/execute?auth_type=oauth')).data.code, 'INVALID_DATA');
    assert.equal((await call(s, 'GET', '/crm/v2/functions/echo/actions/execute')).data.code, 'REQUIRED_PARAM_MISSING');
  });
});

describe('notes, related records, tags', () => {
  it('creates notes with se_module or $se_module and Parent_Id as string or object', async () => {
    const s = makeState({ emptyModules: true });
    const [l] = s.insert('Leads', [{ Last_Name: 'Smith', Company: 'x' }]);
    const id = String(l?.['id']);
    const r = await call(s, 'POST', '/crm/v2/Notes', {
      body: { data: [{ Note_Content: 'a', Parent_Id: id, se_module: 'Leads' }, { Note_Content: 'b', Parent_Id: { id }, $se_module: 'Leads' }] },
    });
    assert.equal(r.status, 201);
    const sub = await call(s, 'POST', `/crm/v2/Leads/${id}/Notes`, { body: { data: [{ Note_Title: 't', Note_Content: 'c' }] } });
    assert.equal(sub.status, 201);
    const list = await call(s, 'GET', `/crm/v2/Leads/${id}/Notes`);
    assert.equal(list.data.data.length, 3);
    assert.deepEqual(list.data.data[0].Parent_Id, { name: 'Smith', id });
    assert.equal(list.data.data[0].$se_module, 'Leads');
  });

  it('relates by lookup (Accounts → Contacts) and by link, answering relation added/removed', async () => {
    const s = makeState({ emptyModules: true });
    const [acc] = s.insert('Accounts', [{ Account_Name: 'Globex' }]);
    const [c] = s.insert('Contacts', [{ Last_Name: 'Doe' }]);
    const [l] = s.insert('Leads', [{ Last_Name: 'L', Company: 'x' }]);
    const [p] = s.insert('Products', [{ Product_Name: 'Widget' }]);
    const accId = String(acc?.['id']);
    const put = await call(s, 'PUT', `/crm/v2/Accounts/${accId}/Contacts/${String(c?.['id'])}`);
    assert.deepEqual(put.data.data[0], { code: 'SUCCESS', details: { id: c?.['id'] }, message: 'relation added', status: 'success' });
    assert.equal((await call(s, 'GET', `/crm/v2/Accounts/${accId}/Contacts`)).data.data[0].id, c?.['id']);
    const link = await call(s, 'PUT', `/crm/v2/Leads/${String(l?.['id'])}/Products`, { body: { data: [{ id: p?.['id'] }] } });
    assert.equal(link.status, 200);
    assert.equal((await call(s, 'GET', `/crm/v2/Leads/${String(l?.['id'])}/Products`)).data.data[0].Product_Name, 'Widget');
    const del = await call(s, 'DELETE', `/crm/v2/Leads/${String(l?.['id'])}/Products/${String(p?.['id'])}`);
    assert.equal(del.data.data[0].message, 'relation removed');
    assert.equal((await call(s, 'GET', `/crm/v2/Leads/${String(l?.['id'])}/Products`)).status, 204);
    const unlink = await call(s, 'DELETE', `/crm/v2/Accounts/${accId}/Contacts?ids=${String(c?.['id'])}`);
    assert.equal(unlink.data.data[0].message, 'relation removed');
    assert.equal((await call(s, 'GET', `/crm/v2/Accounts/${accId}/Contacts`)).status, 204);
  });

  it('adds and removes tags on records and manages them in settings', async () => {
    const s = makeState({ emptyModules: true });
    const [l] = s.insert('Leads', [{ Last_Name: 'L', Company: 'x' }]);
    const id = String(l?.['id']);
    const add = await call(s, 'POST', `/crm/v2/Leads/${id}/actions/add_tags?tag_names=vip,hot`);
    assert.deepEqual(add.data.data[0], { code: 'SUCCESS', details: { id, tags: ['vip', 'hot'] }, message: 'tags updated successfully', status: 'success' });
    const rec = s.records('Leads')[0];
    assert.deepEqual((rec?.['Tag'] as { name: string }[]).map((t) => t.name), ['vip', 'hot']);
    const tags = await call(s, 'GET', '/crm/v2/settings/tags?module=Leads');
    assert.equal(tags.data.tags.length, 2);
    const vip = tags.data.tags.find((t: { name: string }) => t.name === 'vip');
    const count = await call(s, 'GET', `/crm/v2/settings/tags/${String(vip.id)}/actions/records_count?module=Leads`);
    assert.deepEqual(count.data, { count: '1' });
    await call(s, 'POST', `/crm/v2/Leads/${id}/actions/remove_tags?tag_names=hot`);
    assert.deepEqual((s.records('Leads')[0]?.['Tag'] as { name: string }[]).map((t) => t.name), ['vip']);
    const created = await call(s, 'POST', '/crm/v2/settings/tags?module=Leads', { body: { tags: [{ name: 'cold' }] } });
    assert.equal(created.data.tags[0].message, 'tags created successfully');
    const removed = await call(s, 'DELETE', `/crm/v2/settings/tags/${String(vip.id)}`);
    assert.equal(removed.data.tags[0].message, 'tags deleted successfully');
    assert.deepEqual(s.records('Leads')[0]?.['Tag'], []);
  });
});

describe('COQL and bulk read', () => {
  it('selects with where/order/limit; 204 on no rows; limit caps per version', async () => {
    const s = makeState({ emptyModules: true });
    s.insert('Leads', [{ Last_Name: 'B', Company: 'x' }, { Last_Name: 'A', Company: 'y' }]);
    const r = await call(s, 'POST', '/crm/v2/coql', {
      body: { select_query: "select Last_Name, Company from Leads where (Company = 'x' or Company = 'y') order by Last_Name asc limit 0, 10" },
    });
    assert.deepEqual(r.data.data.map((x: { Last_Name: string }) => x.Last_Name), ['A', 'B']);
    assert.ok(r.data.data[0].id);
    assert.deepEqual(r.data.info, { count: 2, more_records: false });
    const none = await call(s, 'POST', '/crm/v2/coql', { body: { select_query: "select Last_Name from Leads where Last_Name = 'Z'" } });
    assert.equal(none.status, 204);
    assert.equal((await call(s, 'POST', '/crm/v2/coql', { body: { select_query: 'select Last_Name from Leads limit 500' } })).data.code, 'LIMIT_EXCEEDED');
    assert.equal((await call(s, 'POST', '/crm/v4/coql', { body: { select_query: 'select Last_Name from Leads limit 500' } })).status, 200);
    assert.equal((await call(s, 'POST', '/crm/v2/coql', { body: { select_query: 'select from' } })).data.code, 'SYNTAX_ERROR');
  });

  it('creates a bulk read job that completes and yields a zip with {job_id}.csv', async () => {
    const s = makeState({ emptyModules: true });
    s.insert('Leads', [{ Last_Name: 'A', Company: 'x, y' }]);
    const job = await call(s, 'POST', '/crm/bulk/v2/read', { body: { query: { module: 'Leads', fields: ['Last_Name', 'Company'] } } });
    assert.equal(job.status, 201);
    const jobId = job.data.data[0].details.id;
    assert.equal(job.data.data[0].details.state, 'ADDED');
    const status = await call(s, 'GET', `/crm/bulk/v2/read/${jobId}`);
    assert.equal(status.data.data[0].state, 'COMPLETED');
    assert.equal(status.data.data[0].result.count, 1);
    const result = await call(s, 'GET', `/crm/bulk/v2/read/${jobId}/result`);
    assert.equal(result.headers?.['Content-Type'], 'application/zip');
    const zip = result.body as Buffer;
    assert.equal(zip.readUInt32LE(0), 0x04034b50);
    const nameLen = zip.readUInt16LE(26);
    assert.equal(zip.subarray(30, 30 + nameLen).toString(), `${jobId}.csv`);
    const packed = zip.subarray(30 + nameLen, 30 + nameLen + zip.readUInt32LE(18));
    const csv = inflateRawSync(packed).toString();
    assert.match(csv, /^Id,Last_Name,Company\n\d+,A,"x, y"\n$/);
  });

  it('answers a module named as an object (v8) as {api_name, id}, and a name (v2) as the name', async () => {
    const s = makeState({ emptyModules: true });
    s.insert('Leads', [{ Last_Name: 'A', Company: 'x' }]);
    const leadsId = String(s.store('Leads')?.def.meta.id);
    const v8 = await call(s, 'POST', '/crm/bulk/v8/read', { body: { query: { module: { api_name: 'leads' }, fields: ['Last_Name'] } } });
    const v8Job = (await call(s, 'GET', `/crm/bulk/v8/read/${v8.data.data[0].details.id}`)).data.data[0];
    assert.deepEqual(v8Job.query.module, { api_name: 'Leads', id: leadsId });
    assert.equal(v8Job.result.count, 1);
    const v2 = await call(s, 'POST', '/crm/bulk/v2/read', { body: { query: { module: 'Leads', fields: ['Last_Name'] } } });
    assert.equal((await call(s, 'GET', `/crm/bulk/v2/read/${v2.data.data[0].details.id}`)).data.data[0].query.module, 'Leads');
  });
});

describe('bulk write', () => {
  it('uploads a zipped CSV, runs an upsert job and reports counts and a result file', async () => {
    const s = makeState({ emptyModules: true });
    s.insert('Leads', [{ Last_Name: 'Old', Company: 'x', Email: 'old@example.com' }]);
    const csv = 'Last_Name,Company,Email\nNew,"A, Inc",old@example.com\nFresh,B,fresh@example.com\n,C,bad@example.com\n';
    const org = String(s.seedData.org['zgid'] ?? s.seedData.org['id']);
    const noHeaders = await call(s, 'POST', '/crm/v2/upload', { files: [file('leads.zip', zip([{ name: 'leads.csv', data: Buffer.from(csv) }]))] });
    assert.equal(noHeaders.status, 400);
    const up = await call(s, 'POST', '/crm/v2/upload', {
      headers: { feature: 'bulk-write', 'X-CRM-ORG': org },
      files: [file('leads.zip', zip([{ name: 'leads.csv', data: Buffer.from(csv) }]))],
    });
    assert.equal(up.data.code, 'FILE_UPLOAD_SUCCESS');
    const job = await call(s, 'POST', '/crm/bulk/v2/write', {
      body: {
        operation: 'upsert',
        resource: [{ type: 'data', module: 'Leads', file_id: up.data.details.file_id, find_by: 'Email', field_mappings: [{ api_name: 'Last_Name', index: 0 }, { api_name: 'Company', index: 1 }, { api_name: 'Email', index: 2 }] }],
      },
    });
    assert.equal(job.status, 201);
    const status = await call(s, 'GET', `/crm/bulk/v2/write/${String(job.data.details.id)}`);
    assert.equal(status.data.status, 'COMPLETED');
    assert.deepEqual(status.data.resource[0].file, { status: 'COMPLETED', name: 'leads.zip', added_count: 1, skipped_count: 1, updated_count: 1, total_count: 3 });
    assert.equal(s.records('Leads').find((r) => r['Email'] === 'old@example.com')?.['Company'], 'A, Inc');
    const result = await call(s, 'GET', `/crm/bulk/v2/write/${String(job.data.details.id)}/result`);
    assert.equal(result.headers?.['Content-Type'], 'application/zip');
  });
});

describe('state API', () => {
  it('seeds records whose $ref lookups resolve to {name,id} of seeded records', () => {
    const s = makeState();
    const accounts = new Map(s.records('Accounts').map((a) => [a['id'], a['Account_Name']]));
    const linked = s.records('Contacts').filter((c) => c['Account_Name'] !== null && c['Account_Name'] !== undefined);
    assert.ok(linked.length > 0);
    for (const c of linked) {
      const ref = c['Account_Name'] as { name: string; id: string };
      assert.equal(ref.name, accounts.get(ref.id));
    }
  });

  it('generates 100,000 Leads quickly and pages through them', async () => {
    const s = makeState({ emptyModules: true });
    s.generate('Leads', 100_000);
    const r = await call(s, 'GET', '/crm/v2/Leads?page=500&per_page=200');
    assert.equal(r.data.data.length, 200);
    assert.equal(r.data.info.more_records, false);
  });

  it('snapshots to JSON and restores the same records, attachments and counters', async () => {
    const s = makeState({ emptyModules: true });
    const [l] = s.insert('Leads', [{ Last_Name: 'Keep', Company: 'x' }]);
    await call(s, 'POST', `/crm/v2/Leads/${String(l?.['id'])}/Attachments`, {
      files: [{ field: 'file', filename: 'a.txt', contentType: 'text/plain', data: Buffer.from('abc') }],
    });
    const snap = JSON.parse(JSON.stringify(s.snapshot())) as unknown;
    const r = CrmState.restore(snap, { seed: 7, now: () => FIXED_NOW, emptyModules: true });
    assert.deepEqual(r.records('Leads'), s.records('Leads'));
    const list = await call(r, 'GET', `/crm/v2/Leads/${String(l?.['id'])}/Attachments`);
    const dl = await call(r, 'GET', `/crm/v2/Leads/${String(l?.['id'])}/Attachments/${String(list.data.data[0].id)}`);
    assert.equal(dl.body?.toString(), 'abc');
    const [next] = r.insert('Leads', [{ Last_Name: 'New', Company: 'x' }]);
    assert.ok(String(next?.['id']) > String(l?.['id']));
    r.reset();
    assert.equal(r.records('Leads').length, 0);
  });
});
