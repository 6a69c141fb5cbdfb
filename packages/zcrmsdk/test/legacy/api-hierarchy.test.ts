import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { InvalidInputError } from '../../src/errors.js';
import type { LegacyResponse } from '../../src/legacy/response.js';
import { type LegacyHarness, lastCrmRequest, legacyHarness } from '../helpers/legacy.js';

function response(result: unknown): LegacyResponse {
  assert.equal(typeof result, 'object', `expected a response object, got ${String(result)}`);
  return result as LegacyResponse;
}

function json(result: unknown): Record<string, unknown> {
  return JSON.parse(response(result).body) as Record<string, unknown>;
}

describe('legacy API hierarchy against the emulator', () => {
  let h: LegacyHarness;
  let leadId = '';
  let contactId = '';

  before(async () => {
    h = await legacyHarness();
    const created = await h.client.API.MODULES.post({
      module: 'Leads',
      body: { data: [{ Last_Name: 'Hierarchy', Company: 'Acme', Email: 'hierarchy@example.com' }], trigger: ['workflow'] },
    });
    assert.equal(response(created).statusCode, 201);
    leadId = String(((json(created).data as Record<string, unknown>[])[0]?.details as Record<string, unknown>).id);
    const contact = await h.client.API.MODULES.post({ module: 'Contacts', body: { data: [{ Last_Name: 'Photo' }] } });
    contactId = String(((json(contact).data as Record<string, unknown>[])[0]?.details as Record<string, unknown>).id);
  });
  after(() => h.close());

  const expectRequest = (method: string, path: string, rawQuery = '') => {
    const req = lastCrmRequest(h.emu);
    assert.equal(req.method, method);
    assert.equal(req.path, path);
    assert.equal(req.rawQuery, rawQuery);
    return req;
  };

  it('MODULES.post sends the JSON body and the Zoho token; resolves statusCode, headers and a string body', async () => {
    const req = h.emu.requests.find((r) => r.method === 'POST' && r.path === '/crm/v2/Leads');
    assert.ok(req);
    assert.deepEqual(JSON.parse(String(req.body)), {
      data: [{ Last_Name: 'Hierarchy', Company: 'Acme', Email: 'hierarchy@example.com' }],
      trigger: ['workflow'],
    });
    assert.match(String(req.headers.authorization), /^Zoho-oauthtoken 1000\./);
    assert.equal(req.headers['user-agent'], 'Zoho CRM Node SDK');
  });

  it('MODULES.get with params, headers and the README paging', async () => {
    const res = response(
      await h.client.API.MODULES.get({ module: 'Leads', params: { page: 1, per_page: 5, fields: 'Last_Name,Email' }, headers: { 'X-Custom': 'y', Authorization: 'mine' } }),
    );
    assert.equal(res.statusCode, 200);
    assert.equal(typeof res.headers['content-type'], 'string');
    const req = expectRequest('GET', '/crm/v2/Leads', 'page=1&per_page=5&fields=Last_Name%2CEmail&');
    assert.equal(req.headers['x-custom'], 'y');
    assert.match(String(req.headers.authorization), /^Zoho-oauthtoken /);
    const data = JSON.parse(res.body).data as unknown[];
    assert.ok(data.length > 0 && data.length <= 5);
  });

  it('MODULES.get by id, put by id, put bulk, delete by id and bulk', async () => {
    assert.equal(response(await h.client.API.MODULES.get({ module: 'Leads', id: leadId })).statusCode, 200);
    expectRequest('GET', `/crm/v2/Leads/${leadId}`);
    const put = await h.client.API.MODULES.put({ module: 'Leads', id: leadId, body: { data: [{ Last_Name: 'Renamed' }] } });
    assert.equal(response(put).statusCode, 200);
    expectRequest('PUT', `/crm/v2/Leads/${leadId}`);
    assert.equal(h.emu.crm.records('Leads').find((r) => r.id === leadId)?.Last_Name, 'Renamed');
    await h.client.API.MODULES.put({ module: 'Leads', body: { data: [{ id: leadId, First_Name: 'Bulk' }] } });
    expectRequest('PUT', '/crm/v2/Leads');
    const extra = json(await h.client.API.MODULES.post({ module: 'Leads', body: { data: [{ Last_Name: 'A', Company: 'B' }, { Last_Name: 'C', Company: 'D' }] } }));
    const ids = (extra.data as { details: { id: string } }[]).map((d) => d.details.id);
    const bulk = await h.client.API.MODULES.delete({ module: 'Leads', params: { ids: ids.join(',') } });
    assert.equal(response(bulk).statusCode, 200);
    expectRequest('DELETE', '/crm/v2/Leads', `ids=${ids.join('%2C')}&`);
    const one = json(await h.client.API.MODULES.post({ module: 'Leads', body: { data: [{ Last_Name: 'E', Company: 'F' }] } }));
    const oneId = (one.data as { details: { id: string } }[])[0]?.details.id ?? '';
    await h.client.API.MODULES.delete({ module: 'Leads', id: oneId, body: { ignored: true } });
    const del = expectRequest('DELETE', `/crm/v2/Leads/${oneId}`);
    assert.equal(String(del.body), '');
  });

  it('deleted records always send type (the old package dropped it when params were given)', async () => {
    await h.client.API.MODULES.getAllDeletedRecords({ module: 'Leads', params: { page: 1 } });
    expectRequest('GET', '/crm/v2/Leads/deleted', 'page=1&type=all&');
    const input = { module: 'Leads', params: { page: 1 } };
    await h.client.API.MODULES.getRecycleBinRecords(input);
    expectRequest('GET', '/crm/v2/Leads/deleted', 'page=1&type=recycle&');
    assert.deepEqual(input, { module: 'Leads', params: { page: 1 } }, 'the caller input is not mutated');
    await h.client.API.MODULES.getPermanentlyDeletedRecords({ module: 'Leads' });
    expectRequest('GET', '/crm/v2/Leads/deleted', 'type=permanent&');
  });

  it('MODULES.search encodes criteria values, keeping pre-encoded escapes', async () => {
    const res = response(await h.client.API.MODULES.search({ module: 'Leads', params: { criteria: '(Last_Name:equals:Renamed)' } }));
    assert.equal(res.statusCode, 200);
    expectRequest('GET', '/crm/v2/Leads/search', 'criteria=(Last_Name%3Aequals%3ARenamed)&');
    await h.client.API.MODULES.search({ module: 'Leads', params: { email: 'a+b@x.com', word: 'O%27Brien' } });
    const req = expectRequest('GET', '/crm/v2/Leads/search', 'email=a%2Bb%40x.com&word=O%27Brien&');
    assert.equal(req.query.email, 'a+b@x.com');
  });

  it('SETTINGS.* paths and the module parameter', async () => {
    const fields = response(await h.client.API.SETTINGS.getFields({ module: 'Leads' }));
    assert.equal(fields.statusCode, 200);
    assert.ok(Array.isArray(JSON.parse(fields.body).fields));
    expectRequest('GET', '/crm/v2/settings/fields', 'module=Leads');
    await h.client.API.SETTINGS.getFields({ module: 'Leads', params: { type: 'unused' } });
    expectRequest('GET', '/crm/v2/settings/fields', 'type=unused&module=Leads');
    await h.client.API.SETTINGS.getLayouts({ module: 'Leads' });
    expectRequest('GET', '/crm/v2/settings/layouts', 'module=Leads');
    const views = json(await h.client.API.SETTINGS.getCustomViews({ module: 'Leads' }));
    const viewId = String((views.custom_views as { id: string }[])[0]?.id);
    const upd = await h.client.API.SETTINGS.updateCustomViews({ module: 'Leads', id: viewId, body: { custom_views: [{ settings: { sort_by: 'Email', sort_order: 'asc' } }] } });
    assert.equal(response(upd).statusCode, 200);
    expectRequest('PUT', `/crm/v2/settings/custom_views/${viewId}`, 'module=Leads');
    await h.client.API.SETTINGS.getModules();
    expectRequest('GET', '/crm/v2/settings/modules');
    await h.client.API.SETTINGS.getModules({ module: 'Leads' });
    expectRequest('GET', '/crm/v2/settings/modules/Leads');
    assert.equal(response(await h.client.API.SETTINGS.getRoles()).statusCode, 200);
    expectRequest('GET', '/crm/v2/settings/roles');
    assert.equal(response(await h.client.API.SETTINGS.getProfiles({})).statusCode, 200);
    expectRequest('GET', '/crm/v2/settings/profiles');
    await h.client.API.SETTINGS.getRelatedLists({ module: 'Leads' });
    expectRequest('GET', '/crm/v2/settings/related_lists', 'module=Leads');
  });

  it('USERS.get and ORG.get', async () => {
    const users = json(await h.client.API.USERS.get({ params: { type: 'AllUsers' } }));
    assert.ok(Array.isArray(users.users));
    expectRequest('GET', '/crm/v2/users', 'type=AllUsers&');
    const userId = String((users.users as { id: string }[])[0]?.id);
    await h.client.API.USERS.get({ id: userId });
    expectRequest('GET', `/crm/v2/users/${userId}`);
    const org = json(await h.client.API.ORG.get());
    assert.ok(Array.isArray(org.org));
    expectRequest('GET', '/crm/v2/org');
  });

  it('ATTACHMENTS: upload a file, list, download the bytes with the filename, delete', async () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff, 0x00, 0xc3]);
    const up = await h.client.API.ATTACHMENTS.uploadFile({ module: 'Leads', id: leadId, x_file_content: bytes });
    assert.equal(response(up).statusCode, 200);
    const upReq = expectRequest('POST', `/crm/v2/Leads/${leadId}/Attachments`);
    assert.match(String(upReq.headers['content-type']), /^multipart\/form-data; boundary=/);
    const list = json(await h.client.API.ATTACHMENTS.getAttachments({ module: 'Leads', id: leadId }));
    expectRequest('GET', `/crm/v2/Leads/${leadId}/Attachments`);
    const attachmentId = String((list.data as { id: string }[])[0]?.id);
    const down = response(await h.client.API.ATTACHMENTS.downloadFile({ module: 'Leads', id: leadId, relatedId: attachmentId }));
    expectRequest('GET', `/crm/v2/Leads/${leadId}/Attachments/${attachmentId}`);
    assert.equal(down.statusCode, 200);
    assert.deepEqual(Buffer.from(down.body, 'binary'), bytes);
    assert.equal(typeof down.filename, 'string');
    const del = await h.client.API.ATTACHMENTS.deleteFile({ module: 'Leads', id: leadId, relatedId: attachmentId });
    assert.equal(response(del).statusCode, 200);
    expectRequest('DELETE', `/crm/v2/Leads/${leadId}/Attachments/${attachmentId}`);
  });

  it('ATTACHMENTS: a file stream is streamed as multipart with its name and type, and comes back intact', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zcrm-upload-'));
    const file = join(dir, 'résumé report.pdf');
    const bytes = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(300_000, 7)]);
    await writeFile(file, bytes);
    try {
      const up = await h.client.API.ATTACHMENTS.uploadFile({ module: 'Leads', id: leadId, x_file_content: createReadStream(file) });
      assert.equal(response(up).statusCode, 200);
      const req = expectRequest('POST', `/crm/v2/Leads/${leadId}/Attachments`);
      const raw = Buffer.isBuffer(req.body) ? req.body.toString('latin1') : String(req.body);
      assert.match(raw, /Content-Disposition: form-data; name="file"; filename=/);
      assert.match(raw, /Content-Type: application\/pdf/);
      const list = json(await h.client.API.ATTACHMENTS.getAttachments({ module: 'Leads', id: leadId }));
      const item = (list.data as { id: string; File_Name: string }[]).find((a) => a.File_Name === 'résumé report.pdf');
      assert.ok(item, 'the attachment keeps its file name');
      const down = response(await h.client.API.ATTACHMENTS.downloadFile({ module: 'Leads', id: leadId, relatedId: item.id }));
      assert.equal(down.filename, 'résumé report.pdf');
      assert.ok(Buffer.from(down.body, 'binary').equals(bytes));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('ATTACHMENTS: upload a link and the photo round trip', async () => {
    const link = await h.client.API.ATTACHMENTS.uploadLink({ module: 'Leads', id: leadId, params: { attachmentUrl: 'https://www.zoho.com/x.png' } });
    assert.equal(response(link).statusCode, 200);
    expectRequest('POST', `/crm/v2/Leads/${leadId}/Attachments`, 'attachmentUrl=https%3A%2F%2Fwww.zoho.com%2Fx.png&');
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const up = await h.client.API.ATTACHMENTS.uploadPhoto({ module: 'Contacts', id: contactId, x_file_content: png });
    assert.equal(response(up).statusCode, 200);
    expectRequest('POST', `/crm/v2/Contacts/${contactId}/photo`);
    const photo = response(await h.client.API.ATTACHMENTS.downloadPhoto({ module: 'Contacts', id: contactId }));
    assert.deepEqual(Buffer.from(photo.body, 'binary'), png);
    const del = await h.client.API.ATTACHMENTS.deletePhoto({ module: 'Contacts', id: contactId });
    assert.equal(response(del).statusCode, 200);
    expectRequest('DELETE', `/crm/v2/Contacts/${contactId}/photo`);
    const none = await h.client.API.ATTACHMENTS.downloadPhoto({ module: 'Contacts', id: contactId });
    assert.equal(none, '{"message":"no data","status_code":"204"}');
  });

  it('FUNCTIONS: GET and POST with auth_type=oauth', async () => {
    h.emu.registerFunction('greet', ({ arguments: args }) => `hello ${String(args.name ?? 'nobody')}`);
    const get = json(await h.client.API.FUNCTIONS.executeFunctionsInGet({ api_name: 'greet', params: { name: 'v 1' } }));
    expectRequest('GET', '/crm/v2/functions/greet/actions/execute', 'name=v%201&auth_type=oauth&');
    assert.equal((get.details as { output: string }).output, 'hello v 1');
    await h.client.API.FUNCTIONS.executeFunctionsInPost({ api_name: 'greet', module: 'Leads', body: { arguments: { name: 'post' } } });
    const req = expectRequest('POST', '/crm/v2/functions/greet/actions/execute', 'auth_type=oauth&module=Leads');
    assert.deepEqual(JSON.parse(String(req.body)), { arguments: { name: 'post' } });
  });

  it('ACTIONS.convert converts the lead', async () => {
    const res = await h.client.API.ACTIONS.convert({ id: leadId, body: { data: [{ overwrite: true }] } });
    assert.equal(response(res).statusCode, 200);
    expectRequest('POST', `/crm/v2/Leads/${leadId}/actions/convert`);
    const data = (json(res).data as Record<string, unknown>[])[0];
    assert.match(String(data?.Contacts), /^\d{19}$/);
  });

  it('Zoho error statuses resolve with the response, as the old package did', async () => {
    const res = response(await h.client.API.MODULES.get({ module: 'NoSuchModule' }));
    assert.equal(res.statusCode, 400);
    assert.equal(JSON.parse(res.body).code, 'INVALID_MODULE');
  });

  it('bad input rejects with InvalidInputError instead of sending a broken URL', async () => {
    await assert.rejects(h.client.API.MODULES.get(), InvalidInputError);
    await assert.rejects(h.client.API.MODULES.get({ module: '../org' }), InvalidInputError);
    await assert.rejects(h.client.API.MODULES.get({ module: 'Leads', id: '1?x=y' }), InvalidInputError);
    await assert.rejects(h.client.API.ATTACHMENTS.deleteFile({ module: 'Leads', id: '1' }), /input\.relatedId/);
    await assert.rejects(h.client.API.FUNCTIONS.executeFunctionsInGet({}), /api_name/);
  });

  it('related lists through the id path trick keep working', async () => {
    const res = await h.client.API.MODULES.get({ module: 'Leads', id: `${leadId}/Notes` });
    expectRequest('GET', `/crm/v2/Leads/${leadId}/Notes`);
    assert.ok(typeof res === 'string' || [200, 204].includes(res.statusCode));
  });
});
