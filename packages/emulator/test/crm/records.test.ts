import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { call, makeState } from './helpers.js';

const lead = (n: number | string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  Last_Name: `Smith${n}`,
  First_Name: 'Ann',
  Company: `Acme ${n}`,
  Email: `ann${n}@example.com`,
  ...extra,
});

describe('records: insert envelopes', () => {
  it('answers 201 with record added and the system details', async () => {
    const s = makeState({ emptyModules: true });
    const r = await call(s, 'POST', '/crm/v2/Leads', { body: { data: [lead(1)], trigger: ['workflow'] } });
    assert.equal(r.status, 201);
    const item = r.data.data[0];
    assert.equal(item.code, 'SUCCESS');
    assert.equal(item.message, 'record added');
    assert.equal(item.status, 'success');
    assert.match(item.details.id, /^\d{19}$/);
    assert.match(item.details.Created_Time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
    assert.deepEqual(Object.keys(item.details.Created_By).sort(), ['id', 'name']);
  });

  it('reports a missing mandatory field per item, 207 when mixed and 400 when all fail', async () => {
    const s = makeState({ emptyModules: true });
    const mixed = await call(s, 'POST', '/crm/v2/Leads', { body: { data: [lead(1), { First_Name: 'x', Company: 'c' }] } });
    assert.equal(mixed.status, 207);
    assert.deepEqual(mixed.data.data[1], {
      code: 'MANDATORY_NOT_FOUND',
      details: { api_name: 'Last_Name' },
      message: 'required field not found',
      status: 'error',
    });
    const allFail = await call(s, 'POST', '/crm/v2/Leads', { body: { data: [{ Company: 'c' }] } });
    assert.equal(allFail.status, 400);
    assert.equal(allFail.data.data[0].code, 'MANDATORY_NOT_FOUND');
  });

  it('uses 202 for mixed v2 results when configured, 207 on v3+ regardless, and json_path on v3+', async () => {
    const s = makeState({ emptyModules: true, mixedStatus: 202 });
    const body = { data: [lead(1), { Company: 'c' }] };
    assert.equal((await call(s, 'POST', '/crm/v2/Leads', { body })).status, 202);
    const v3 = await call(s, 'POST', '/crm/v3/Leads', { body: { data: [lead(2), { Company: 'c' }] } });
    assert.equal(v3.status, 207);
    assert.deepEqual(v3.data.data[1].details, { api_name: 'Last_Name', json_path: '$.data[1].Last_Name' });
  });

  it('checks types, picklists and lookups', async () => {
    const s = makeState({ emptyModules: true });
    const bad = await call(s, 'POST', '/crm/v2/Leads', { body: { data: [lead(1, { No_of_Employees: 'many' })] } });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.data.data[0], {
      code: 'INVALID_DATA',
      details: { expected_data_type: 'integer', api_name: 'No_of_Employees' },
      message: 'invalid data',
      status: 'error',
    });
    const [account] = s.insert('Accounts', [{ Account_Name: 'Globex' }]);
    const ok = await call(s, 'POST', '/crm/v2/Contacts', { body: { data: [{ Last_Name: 'Doe', Account_Name: account?.['id'] }] } });
    assert.equal(ok.status, 201);
    const got = await call(s, 'GET', `/crm/v2/Contacts/${ok.data.data[0].details.id}`);
    assert.deepEqual(got.data.data[0].Account_Name, { name: 'Globex', id: account?.['id'] });
    const missing = await call(s, 'POST', '/crm/v2/Contacts', { body: { data: [{ Last_Name: 'Doe', Account_Name: { id: '1234567890123456789' } }] } });
    assert.equal(missing.data.data[0].code, 'INVALID_DATA');
    assert.equal(missing.data.data[0].details.api_name, 'Account_Name');
  });

  it('reports DUPLICATE_DATA on unique fields, with duplicate_record on v3+', async () => {
    const s = makeState({ emptyModules: true });
    const store = s.stores().find((m) => m.uniqueFields.some((f) => f.data_type === 'email' || f.data_type === 'text'));
    assert.ok(store, 'the seed has a module with a unique text or email field');
    const field = store.uniqueFields.find((f) => f.data_type === 'email' || f.data_type === 'text');
    assert.ok(field);
    const value = field.data_type === 'email' ? 'dup@example.com' : 'Duplicate Name';
    const base = Object.fromEntries(store.def.fields.filter((f) => f.system_mandatory && f.data_type === 'text').map((f) => [f.api_name, 'x']));
    const [first] = s.insert(store.name, [{ ...base, [field.api_name]: value }]);
    const v2 = await call(s, 'POST', `/crm/v2/${store.name}`, { body: { data: [{ ...base, [field.api_name]: value.toUpperCase() }] } });
    assert.equal(v2.status, 400);
    assert.deepEqual(v2.data.data[0], { code: 'DUPLICATE_DATA', details: { api_name: field.api_name, id: first?.['id'] }, message: 'duplicate data', status: 'error' });
    const v3 = await call(s, 'POST', `/crm/v3/${store.name}`, { body: { data: [{ ...base, [field.api_name]: value }] } });
    assert.equal(v3.data.data[0].details.duplicate_record.id, first?.['id']);
    assert.equal(v3.data.data[0].details.json_path, `$.data[0].${field.api_name}`);
  });

  it('refuses more than 100 records, a body without data and malformed JSON at request level', async () => {
    const s = makeState({ emptyModules: true });
    const many = await call(s, 'POST', '/crm/v2/Leads', { body: { data: Array.from({ length: 101 }, (_, i) => lead(i)) } });
    assert.equal(many.status, 400);
    assert.equal(many.data.code, 'LIMIT_EXCEEDED');
    const noData = await call(s, 'POST', '/crm/v2/Leads', { body: { records: [] } });
    assert.deepEqual([noData.status, noData.data.code, noData.data.status], [400, 'INVALID_DATA', 'error']);
    const broken = await call(s, 'POST', '/crm/v2/Leads', { rawBody: '{"data":[' });
    assert.deepEqual([broken.status, broken.data.code], [400, 'INVALID_DATA']);
  });

  it('ignores system keys on input and computes Full_Name', async () => {
    const s = makeState({ emptyModules: true });
    const r = await call(s, 'POST', '/crm/v2/Leads', { body: { data: [lead(1, { id: '1', Created_Time: 'x', Full_Name: 'nope' })] } });
    const id = r.data.data[0].details.id;
    assert.notEqual(id, '1');
    const got = await call(s, 'GET', `/crm/v2/Leads/${id}`);
    const rec = got.data.data[0];
    assert.equal(rec.Full_Name, 'Ann Smith1');
    for (const key of ['$approved', '$approval', '$editable', '$currency_symbol', '$state', '$process_flow', '$review_process', '$review', '$orchestration', '$in_merge', '$field_states', '$locked_for_me', 'Tag', 'Last_Activity_Time', '$converted', '$converted_detail', 'Record_Image', 'Owner', 'Created_By', 'Modified_By']) {
      assert.ok(key in rec, key);
    }
    assert.deepEqual(Object.keys(rec.Owner).sort(), ['email', 'id', 'name']);
  });
});

describe('records: reads', () => {
  it('lists with paging, projection (+id), 204 when empty and page<1 as 1', async () => {
    const s = makeState({ emptyModules: true });
    assert.equal((await call(s, 'GET', '/crm/v2/Leads')).status, 204);
    s.insert('Leads', [lead(1), lead(2), lead(3)]);
    const r = await call(s, 'GET', '/crm/v2/Leads?page=0&per_page=2&fields=Last_Name');
    assert.equal(r.status, 200);
    assert.deepEqual(r.data.info, { per_page: 2, count: 2, page: 1, more_records: true });
    assert.deepEqual(Object.keys(r.data.data[0]).sort(), ['Last_Name', 'id']);
    const p2 = await call(s, 'GET', '/crm/v2/Leads?page=2&per_page=2');
    assert.deepEqual(p2.data.info, { per_page: 2, count: 1, page: 2, more_records: false });
    assert.equal((await call(s, 'GET', '/crm/v2/Leads?page=3&per_page=2')).status, 204);
  });

  it('sorts, filters by ids and answers 304 for If-Modified-Since with no change', async () => {
    let now = Date.UTC(2024, 0, 1);
    const s = makeState({ emptyModules: true, now: () => now });
    const [a, b] = s.insert('Leads', [lead('b'), lead('a')]);
    const sorted = await call(s, 'GET', '/crm/v2/Leads?sort_by=Last_Name&sort_order=asc');
    assert.deepEqual(sorted.data.data.map((x: { Last_Name: string }) => x.Last_Name), ['Smitha', 'Smithb']);
    const byIds = await call(s, 'GET', `/crm/v2/Leads?ids=${String(b?.['id'])}`);
    assert.equal(byIds.data.data.length, 1);
    const since = { 'If-Modified-Since': '2024-01-01T00:00:00+00:00' };
    assert.equal((await call(s, 'GET', '/crm/v2/Leads', { headers: since })).status, 304);
    now += 60_000;
    await call(s, 'PUT', `/crm/v2/Leads/${String(a?.['id'])}`, { body: { data: [{ Company: 'New' }] } });
    const changed = await call(s, 'GET', '/crm/v2/Leads', { headers: since });
    assert.equal(changed.status, 200);
    assert.deepEqual(changed.data.data.map((x: { id: string }) => x.id), [a?.['id']]);
  });

  it('returns one record as an array of one, 204 for an unknown id', async () => {
    const s = makeState({ emptyModules: true });
    const [a] = s.insert('Leads', [lead(1)]);
    const r = await call(s, 'GET', `/crm/v2/leads/${String(a?.['id'])}`);
    assert.equal(r.data.data.length, 1);
    assert.equal(r.data.info, undefined);
    assert.equal((await call(s, 'GET', '/crm/v2/Leads/1234567890123456789')).status, 204);
  });

  it('v3+ requires fields, caps fields at 50, uses page tokens and the 2,000 offset cap', async () => {
    const s = makeState({ emptyModules: true });
    s.insert('Leads', [lead(1), lead(2), lead(3)]);
    const none = await call(s, 'GET', '/crm/v3/Leads');
    assert.deepEqual(none.data, { code: 'REQUIRED_PARAM_MISSING', details: { param_name: 'fields' }, message: 'One of the expected parameter is missing', status: 'error' });
    const tooMany = await call(s, 'GET', `/crm/v8/Leads?fields=${Array.from({ length: 51 }, () => 'Last_Name').join(',')}`);
    assert.equal(tooMany.data.code, 'LIMIT_EXCEEDED');
    const first = await call(s, 'GET', '/crm/v8/Leads?fields=Last_Name&per_page=2');
    const token = first.data.info.next_page_token;
    assert.equal(typeof token, 'string');
    const second = await call(s, 'GET', `/crm/v8/Leads?fields=Last_Name&per_page=2&page_token=${token}`);
    assert.equal(second.data.data.length, 1);
    assert.equal(second.data.info.next_page_token, null);
    const deep = await call(s, 'GET', '/crm/v3/Leads?fields=Last_Name&page=11&per_page=200');
    assert.deepEqual([deep.status, deep.data.code, deep.data.details], [400, 'DISCRETE_PAGINATION_LIMIT_EXCEEDED', { limit: 2000 }]);
    assert.equal((await call(s, 'GET', '/crm/v2/Leads?page=11&per_page=200')).status, 204);
  });
});

describe('records: update, upsert, delete', () => {
  it('updates partially in bulk (id required) and by id (unknown id per item)', async () => {
    const s = makeState({ emptyModules: true });
    const [a] = s.insert('Leads', [lead(1)]);
    const id = String(a?.['id']);
    const bulk = await call(s, 'PUT', '/crm/v2/Leads', { body: { data: [{ id, Company: 'Initech' }, { Company: 'x' }] } });
    assert.equal(bulk.status, 207);
    assert.equal(bulk.data.data[0].message, 'record updated');
    assert.deepEqual(bulk.data.data[1].details, { api_name: 'id' });
    assert.equal(s.records('Leads')[0]?.['Company'], 'Initech');
    assert.equal(s.records('Leads')[0]?.['Last_Name'], 'Smith1');
    const unknown = await call(s, 'PUT', '/crm/v2/Leads/1234567890123456789', { body: { data: [{ Company: 'x' }] } });
    assert.equal(unknown.status, 400);
    assert.deepEqual(unknown.data.data[0], { code: 'INVALID_DATA', details: { id: '1234567890123456789' }, message: 'the id given seems to be invalid', status: 'error' });
  });

  it('upserts on duplicate_check_fields with action and duplicate_field', async () => {
    const s = makeState({ emptyModules: true });
    s.insert('Leads', [lead(1)]);
    const r = await call(s, 'POST', '/crm/v2/Leads/upsert', {
      body: { data: [lead(1, { Company: 'Changed' }), lead(2)], duplicate_check_fields: ['Email'] },
    });
    assert.equal(r.status, 200);
    assert.equal(r.data.data[0].action, 'update');
    assert.equal(r.data.data[0].duplicate_field, 'Email');
    assert.equal(r.data.data[0].message, 'record updated');
    assert.equal(r.data.data[1].action, 'insert');
    assert.equal(r.data.data[1].duplicate_field, null);
    assert.equal(s.records('Leads').length, 2);
  });

  it('deletes in bulk and by id into the recycle bin; deleted lists by type', async () => {
    const s = makeState({ emptyModules: true });
    const [a, b] = s.insert('Leads', [lead(1), lead(2)]);
    const missing = await call(s, 'DELETE', '/crm/v2/Leads');
    assert.deepEqual(missing.data, { code: 'REQUIRED_PARAM_MISSING', details: { param_name: 'ids' }, message: 'One of the expected parameter is missing', status: 'error' });
    const r = await call(s, 'DELETE', `/crm/v2/Leads?ids=${String(a?.['id'])},999`);
    assert.equal(r.status, 207);
    assert.deepEqual(r.data.data[0], { code: 'SUCCESS', details: { id: a?.['id'] }, message: 'record deleted', status: 'success' });
    assert.deepEqual(r.data.data[1], { code: 'INVALID_DATA', details: { id: '999' }, message: 'record not deleted', status: 'error' });
    assert.equal((await call(s, 'DELETE', `/crm/v2/Leads/${String(b?.['id'])}`)).status, 200);
    const all = await call(s, 'GET', '/crm/v2/Leads/deleted');
    assert.equal(all.data.data.length, 2);
    assert.equal(all.data.data[0].type, 'recycle');
    assert.deepEqual(Object.keys(all.data.data[0]).sort(), ['created_by', 'deleted_by', 'deleted_time', 'display_name', 'id', 'type']);
    assert.equal((await call(s, 'GET', '/crm/v2/Leads/deleted?type=permanent')).status, 204);
    const bad = await call(s, 'GET', '/crm/v2/Leads/deleted?type=bogus');
    assert.deepEqual([bad.status, bad.data.code, bad.data.details], [400, 'PATTERN_NOT_MATCHED', { param_name: 'type' }]);
    assert.equal((await call(s, 'GET', '/crm/v2/Leads')).status, 204);
  });
});

describe('records: mass update', () => {
  it('updates the given ids at once and reports the job counts', async () => {
    const s = makeState({ emptyModules: true });
    const [a, b] = s.insert('Leads', [lead(1), lead(2)]);
    const r = await call(s, 'POST', '/crm/v2/Leads/actions/mass_update', { body: { data: [{ Company: 'Mass' }], ids: [a?.['id'], b?.['id'], '999'] } });
    assert.equal(r.status, 202);
    const jobId = r.data.data[0].details.job_id;
    const status = await call(s, 'GET', `/crm/v2/Leads/actions/mass_update?job_id=${String(jobId)}`);
    assert.deepEqual(status.data.data[0], { Status: 'COMPLETED', Failed_Count: 0, Updated_Count: 2, Not_Updated_Count: 1, Total_Count: 3 });
    assert.deepEqual(s.records('Leads').map((x) => x['Company']), ['Mass', 'Mass']);
  });
});

describe('records: search', () => {
  it('searches by criteria, email, phone and word with precedence; 204 on no hits', async () => {
    const s = makeState({ emptyModules: true });
    s.insert('Leads', [lead(1, { Phone: '+1 (555) 010-2000' }), lead(2, { Last_Name: 'Burns,B' })]);
    const c = await call(s, 'GET', '/crm/v2/Leads/search?criteria=((Last_Name:starts_with:smith)and(Company:equals:Acme 1))');
    assert.equal(c.data.data.length, 1);
    const escaped = await call(s, 'GET', `/crm/v2/Leads/search?criteria=${encodeURIComponent('(Last_Name:equals:Burns\\,B)')}`);
    assert.equal(escaped.data.data.length, 1);
    assert.equal((await call(s, 'GET', '/crm/v2/Leads/search?email=ANN2@example.com')).data.data.length, 1);
    assert.equal((await call(s, 'GET', '/crm/v2/Leads/search?phone=15550102000')).data.data.length, 1);
    assert.equal((await call(s, 'GET', '/crm/v2/Leads/search?word=burns')).data.data.length, 1);
    const both = await call(s, 'GET', '/crm/v2/Leads/search?criteria=(Last_Name:equals:Smith1)&email=ann2@example.com');
    assert.equal(both.data.data[0].Last_Name, 'Smith1');
    assert.equal((await call(s, 'GET', '/crm/v2/Leads/search?word=zzz')).status, 204);
    const none = await call(s, 'GET', '/crm/v2/Leads/search');
    assert.equal(none.data.code, 'REQUIRED_PARAM_MISSING');
  });

  it('accepts v3+ operators only on v3+', async () => {
    const s = makeState({ emptyModules: true });
    s.insert('Leads', [lead(1)]);
    const v2 = await call(s, 'GET', '/crm/v2/Leads/search?criteria=(Last_Name:contains:mith)');
    assert.deepEqual([v2.status, v2.data.code], [400, 'INVALID_QUERY']);
    const v3 = await call(s, 'GET', '/crm/v3/Leads/search?criteria=(Last_Name:contains:mith)');
    assert.equal(v3.data.data.length, 1);
  });
});

describe('records: convert', () => {
  it('creates Contact, Account and Deal; second conversion is ID_ALREADY_CONVERTED; v8 wraps the reply', async () => {
    const s = makeState({ emptyModules: true });
    const [a, b] = s.insert('Leads', [lead(1), lead(2)]);
    const r = await call(s, 'POST', `/crm/v2/Leads/${String(a?.['id'])}/actions/convert`, {
      body: { data: [{ overwrite: true, Deals: { Deal_Name: 'Big', Stage: 'Qualification', Closing_Date: '2024-12-31', Amount: 10 } }] },
    });
    assert.equal(r.status, 200);
    const out = r.data.data[0];
    assert.deepEqual(Object.keys(out).sort(), ['Accounts', 'Contacts', 'Deals']);
    const contact = s.records('Contacts').find((c) => c['id'] === out.Contacts);
    assert.equal(contact?.['Last_Name'], 'Smith1');
    assert.deepEqual(contact?.['Account_Name'], { name: 'Acme 1', id: out.Accounts });
    assert.equal(s.records('Deals')[0]?.['Deal_Name'], 'Big');
    const again = await call(s, 'POST', `/crm/v2/Leads/${String(a?.['id'])}/actions/convert`, { body: { data: [{}] } });
    assert.deepEqual([again.status, again.data.code, again.data.message], [400, 'ID_ALREADY_CONVERTED', 'id already converted']);
    const list = await call(s, 'GET', '/crm/v2/Leads');
    assert.equal(list.data.data.length, 1);
    const both = await call(s, 'GET', '/crm/v2/Leads?converted=both');
    assert.equal(both.data.data.length, 2);
    const v8 = await call(s, 'POST', `/crm/v8/Leads/${String(b?.['id'])}/actions/convert`, { body: { data: [{}] } });
    assert.equal(v8.data.data[0].code, 'SUCCESS');
    assert.equal(v8.data.data[0].Deals, undefined);
    assert.equal(v8.data.data[0].details.Deals, null);
  });
});

describe('records: errors and scopes', () => {
  it('INVALID_MODULE, INVALID_URL_PATTERN, INVALID_REQUEST_METHOD, OAUTH_SCOPE_MISMATCH', async () => {
    const s = makeState({ emptyModules: true });
    const mod = await call(s, 'GET', '/crm/v2/Nope');
    assert.deepEqual(mod.data, { code: 'INVALID_MODULE', details: {}, message: 'the module name given seems to be invalid', status: 'error' });
    const url = await call(s, 'GET', '/crm/v2/Leads/abc/def/ghi/jkl');
    assert.deepEqual([url.status, url.data.code], [404, 'INVALID_URL_PATTERN']);
    const method = await call(s, 'PATCH', '/crm/v2/Leads');
    assert.deepEqual([method.status, method.data.code], [400, 'INVALID_REQUEST_METHOD']);
    const scope = await call(s, 'GET', '/crm/v2/Leads', { scopes: ['ZohoCRM.modules.contacts.READ'] });
    assert.deepEqual([scope.status, scope.data.code, scope.data.message], [401, 'OAUTH_SCOPE_MISMATCH', 'invalid oauth scope to access this URL']);
    const narrow = await call(s, 'GET', '/crm/v2/Leads', { scopes: ['ZohoCRM.modules.leads.READ'] });
    assert.equal(narrow.status, 204);
    const readOnly = await call(s, 'POST', '/crm/v2/Leads', { scopes: ['ZohoCRM.modules.leads.READ'], body: { data: [lead(1)] } });
    assert.equal(readOnly.status, 401);
  });
});
