import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { call, file, makeState } from './helpers.js';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0x00, 0xc3]);

function setup() {
  const s = makeState({ emptyModules: true });
  const [l] = s.insert('Leads', [{ Last_Name: 'Smith', Company: 'Acme' }]);
  return { s, id: String(l?.['id']) };
}

describe('attachments', () => {
  it('uploads a file, lists it, downloads it with the exact Content-Disposition, deletes it', async () => {
    const { s, id } = setup();
    const up = await call(s, 'POST', `/crm/v2/Leads/${id}/Attachments`, { files: [file('resume file.png', PNG, 'image/png')] });
    assert.equal(up.status, 200);
    assert.equal(up.data.data[0].message, 'attachment uploaded successfully');
    assert.equal(up.data.data[0].code, 'SUCCESS');
    const attId = up.data.data[0].details.id;
    const list = await call(s, 'GET', `/crm/v2/Leads/${id}/Attachments`);
    assert.equal(list.data.data[0].File_Name, 'resume file.png');
    assert.equal(list.data.data[0].Size, String(PNG.length));
    assert.deepEqual(list.data.data[0].Parent_Id, { name: 'Smith', id });
    assert.deepEqual(list.data.info, { per_page: 200, count: 1, page: 1, more_records: false });
    const dl = await call(s, 'GET', `/crm/v2/Leads/${id}/Attachments/${attId}`);
    assert.equal(dl.status, 200);
    assert.equal(dl.headers?.['Content-Disposition'], "attachment;filename*=UTF-8''resume file.png");
    assert.equal(dl.headers?.['Content-Type'], 'image/png');
    assert.ok(dl.body?.equals(PNG));
    const del = await call(s, 'DELETE', `/crm/v2/Leads/${id}/Attachments/${attId}`);
    assert.deepEqual(del.data, { data: [{ code: 'SUCCESS', details: { id: attId }, message: 'record deleted', status: 'success' }] });
    assert.equal((await call(s, 'GET', `/crm/v2/Leads/${id}/Attachments`)).status, 204);
  });

  it('guesses the type of an unnamed octet-stream upload and names it', async () => {
    const { s, id } = setup();
    const up = await call(s, 'POST', `/crm/v2/Leads/${id}/Attachments`, { files: [file(undefined, 'hello')] });
    const attId = up.data.data[0].details.id;
    const dl = await call(s, 'GET', `/crm/v2/Leads/${id}/Attachments/${attId}`);
    assert.equal(dl.headers?.['Content-Type'], 'application/octet-stream');
    assert.match(String(dl.headers?.['Content-Disposition']), /^attachment;filename\*=UTF-8''\w+\.bin$/);
  });

  it('links a URL from the query or a multipart field; a link cannot be downloaded', async () => {
    const { s, id } = setup();
    const up = await call(s, 'POST', `/crm/v2/Leads/${id}/Attachments?attachmentUrl=https://www.zoho.com/x.png`);
    assert.equal(up.status, 200);
    const list = await call(s, 'GET', `/crm/v2/Leads/${id}/Attachments`);
    assert.equal(list.data.data[0].$link_url, 'https://www.zoho.com/x.png');
    assert.equal(list.data.data[0].$type, 'Link URL');
    const dup = await call(s, 'POST', `/crm/v2/Leads/${id}/Attachments`, { files: [], fields: { attachmentUrl: 'https://www.zoho.com/x.png' } });
    assert.equal(dup.data.code, 'INVALID_DATA');
    const dl = await call(s, 'GET', `/crm/v2/Leads/${id}/Attachments/${list.data.data[0].id}`);
    assert.equal(dl.status, 400);
  });

  it('answers 413 over 20 MB and bulk-deletes by ids', async () => {
    const { s, id } = setup();
    const big = await call(s, 'POST', `/crm/v2/Leads/${id}/Attachments`, { files: [file('big.bin', Buffer.alloc(20 * 1024 * 1024 + 1))] });
    assert.equal(big.status, 413);
    const a = await call(s, 'POST', `/crm/v2/Leads/${id}/Attachments`, { files: [file('a.txt', 'a', 'text/plain')] });
    const b = await call(s, 'POST', `/crm/v2/Leads/${id}/Attachments`, { files: [file('b.txt', 'b', 'text/plain')] });
    const del = await call(s, 'DELETE', `/crm/v2/Leads/${id}/Attachments?ids=${a.data.data[0].details.id},${b.data.data[0].details.id}`);
    assert.equal(del.data.data.length, 2);
    assert.equal((await call(s, 'GET', `/crm/v2/Leads/${id}/Attachments/undefined`)).data.code, 'INVALID_DATA');
  });
});

describe('photo', () => {
  it('uploads, downloads and deletes with top-level replies; 204 when none', async () => {
    const { s, id } = setup();
    assert.equal((await call(s, 'GET', `/crm/v2/Leads/${id}/photo`)).status, 204);
    const up = await call(s, 'POST', `/crm/v2/Leads/${id}/photo`, { files: [file('me.png', PNG, 'image/png')] });
    assert.deepEqual(up.data, { code: 'SUCCESS', details: {}, message: 'photo uploaded successfully', status: 'success' });
    const dl = await call(s, 'GET', `/crm/v2/Leads/${id}/photo`);
    assert.equal(dl.headers?.['Content-Type'], 'image/png');
    assert.equal(dl.headers?.['Content-Disposition'], "attachment;filename*=UTF-8''me.png");
    assert.notEqual(s.records('Leads')[0]?.['Record_Image'], null);
    const del = await call(s, 'DELETE', `/crm/v2/Leads/${id}/photo`);
    assert.equal(del.data.message, 'Photo deleted');
    const v8 = await call(s, 'POST', `/crm/v8/Leads/${id}/photo`, { files: [file(undefined, PNG)] });
    assert.equal(v8.data.message, 'Photo uploaded successfully');
  });

  it('is refused on modules without photos', async () => {
    const s = makeState({ emptyModules: true });
    const [d] = s.insert('Deals', [{ Deal_Name: 'D', Stage: 'Qualification', Closing_Date: '2024-12-31' }]);
    const r = await call(s, 'GET', `/crm/v2/Deals/${String(d?.['id'])}/photo`);
    assert.deepEqual([r.status, r.data.code], [400, 'INVALID_MODULE']);
  });
});
