import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FormData } from 'undici';
import type { EmulatorServer } from '../../src/server.js';
import { crmGet, getTokens, http, startStub, type StubCrm } from './helpers.js';

describe('CRM routing and authentication', () => {
  let emu: EmulatorServer<StubCrm>;
  let token: string;
  before(async () => {
    emu = await startStub();
    token = (await getTokens(emu)).access_token;
  });
  after(() => emu.close());

  it('rejects a missing or malformed Authorization header with AUTHENTICATION_FAILURE', async () => {
    for (const headers of [{}, { authorization: 'Basic abc' }, { authorization: 'Zoho-oauthtoken' }]) {
      const reply = await http(`${emu.url}/crm/v2/Leads`, { headers });
      assert.equal(reply.status, 401);
      assert.deepEqual(reply.json, { code: 'AUTHENTICATION_FAILURE', details: {}, message: 'Authentication failed', status: 'error' });
    }
  });

  it('rejects an unknown token with INVALID_TOKEN', async () => {
    const reply = await crmGet(emu, '/crm/v2/Leads', '1000.0123456789abcdef0123456789abcdef.0123456789abcdef0123456789abcdef');
    assert.equal(reply.status, 401);
    assert.equal(reply.headers['content-type'], 'application/json;charset=UTF-8');
    assert.equal(reply.text, '{"code":"INVALID_TOKEN","details":{},"message":"invalid oauth token","status":"error"}');
  });

  it('accepts Bearer as well as Zoho-oauthtoken', async () => {
    const reply = await http(`${emu.url}/crm/v2/Leads`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(reply.status, 200);
  });

  it('hands the CRM routes a parsed request', async () => {
    const reply = await crmGet(
      emu,
      '/crm/v2/Leads/search?criteria=((Last_Name:equals:O%27Brien)and(Email:equals:a+b@x.com))&page=0&module=undefined&bad=%zz&',
      token,
    );
    const seen = reply.json.data[0];
    assert.equal(seen.version, 'v2');
    assert.equal(seen.bulk, false);
    assert.deepEqual(seen.segments, ['Leads', 'search']);
    assert.deepEqual(seen.query, {
      criteria: "((Last_Name:equals:O'Brien)and(Email:equals:a+b@x.com))",
      page: '0',
      bad: '%zz',
    });
    assert.equal(seen.userId, '3000001000000100001');
  });

  it('decodes path segments and routes bulk and later versions', async () => {
    const bulk = await crmGet(emu, '/crm/bulk/v2/read/123', token);
    assert.deepEqual([bulk.json.data[0].version, bulk.json.data[0].bulk, bulk.json.data[0].segments], ['v2', true, ['read', '123']]);
    const v8 = await crmGet(emu, '/crm/v8/settings/fields%20x', token);
    assert.deepEqual([v8.json.data[0].version, v8.json.data[0].segments], ['v8', ['settings', 'fields x']]);
    const v21 = await crmGet(emu, '/crm/v2.1/Leads', token);
    assert.equal(v21.json.data[0].version, 'v2.1');
  });

  it('parses JSON bodies without a Content-Type, and flags bodies that are not JSON', async () => {
    const body = JSON.stringify({ data: [{ Last_Name: 'Doe' }] });
    const reply = await http(`${emu.url}/crm/v2/Leads`, { method: 'POST', headers: { authorization: `Zoho-oauthtoken ${token}` }, body });
    assert.deepEqual(reply.json.data[0].json, { data: [{ Last_Name: 'Doe' }] });
    assert.deepEqual(emu.crm.records.at(-1), { data: [{ Last_Name: 'Doe' }] });
    const bad = await http(`${emu.url}/crm/v2/Leads`, { method: 'PUT', headers: { authorization: `Zoho-oauthtoken ${token}` }, body: '{oops' });
    assert.equal(bad.json.data[0].invalidBody, true);
  });

  it('parses multipart uploads into files and fields', async () => {
    const form = new FormData();
    form.append('file', new Blob([Buffer.from('hello world')], { type: 'text/plain' }), 'hello.txt');
    form.append('attachmentUrl', 'https://example.com/x');
    const reply = await http(`${emu.url}/crm/v2/Leads/1/Attachments`, {
      method: 'POST',
      headers: { authorization: `Zoho-oauthtoken ${token}` },
      body: form,
    });
    assert.deepEqual(reply.json.data[0].files, [{ field: 'file', filename: 'hello.txt', size: 11 }]);
    assert.deepEqual(reply.json.data[0].fields, { attachmentUrl: 'https://example.com/x' });
  });

  it('sends 204 without a body or Content-Type', async () => {
    const reply = await crmGet(emu, '/crm/v2/empty', token);
    assert.equal(reply.status, 204);
    assert.equal(reply.text, '');
    assert.equal(reply.headers['content-type'], undefined);
  });

  it('answers unknown URLs with INVALID_URL_PATTERN', async () => {
    for (const path of ['/', '/nothing', '/crm/v9/Leads', '/crm', '/oauth/v2/nope']) {
      const reply = await http(`${emu.url}${path}`);
      assert.equal(reply.status, 404, path);
      assert.deepEqual(reply.json, {
        code: 'INVALID_URL_PATTERN',
        details: {},
        message: 'Please check if the URL trying to access is a correct one',
        status: 'error',
      });
    }
  });

  it('turns a CRM route exception into INTERNAL_ERROR', async () => {
    const reply = await crmGet(emu, '/crm/v2/throw', token);
    assert.equal(reply.status, 500);
    assert.equal(reply.json.code, 'INTERNAL_ERROR');
  });

  it('resets the CRM and every token', async () => {
    emu.reset();
    assert.deepEqual(emu.crm.records, []);
    assert.equal((await crmGet(emu, '/crm/v2/Leads', token)).json.code, 'INVALID_TOKEN');
    assert.equal(emu.requests.length, 1);
    token = (await getTokens(emu)).access_token;
  });
});
