/**
 * Fidelity: the original zcrmsdk 0.0.20 (installed as zcrmsdk-legacy), unmodified, over HTTPS against the
 * emulator: unencoded query strings with trailing `&`, bodies without Content-Type, chunked multipart
 * uploads, `module=undefined`, binary downloads named from Content-Disposition.
 */
import assert from 'node:assert/strict';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type Emulator } from '../../src/index.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
const requireLegacy = createRequire(__filename);

describe('zcrmsdk 0.0.20 against the emulator over HTTPS', () => {
  let emu: Emulator;
  let dir: string;
  let Z: any;
  let previousTls: string | undefined;

  const body = (r: any): any => (typeof r === 'string' ? JSON.parse(r) : JSON.parse(r.body));

  before(async () => {
    previousTls = process.env['NODE_TLS_REJECT_UNAUTHORIZED'];
    // The old SDK hard-codes https:// and has no CA option; this process only talks to the emulator.
    process.env['NODE_TLS_REJECT_UNAUTHORIZED'] = '0';
    dir = mkdtempSync(join(tmpdir(), 'zcrm-legacy-sdk-'));
    const store = join(dir, 'store.js');
    writeFileSync(
      store,
      'let tok = {};\nmodule.exports = { saveOAuthTokens: async (o) => { tok = o; }, getOAuthTokens: async () => tok, updateOAuthTokens: async (o) => { Object.assign(tok, o); } };\n',
    );
    emu = await startEmulator({ seed: 23, https: true });
    const host = new URL(emu.url).host;
    Z = requireLegacy('zcrmsdk-legacy');
    await Z.initialize({ client_id: emu.client.clientId, client_secret: emu.client.clientSecret, redirect_url: 'https://example.com/cb', iamurl: host, base_url: host, tokenmanagement: store });
    const code = await emu.grantToken({ scope: 'ZohoCRM.modules.ALL,ZohoCRM.settings.ALL,ZohoCRM.users.ALL,ZohoCRM.org.ALL' });
    await Z.generateAuthTokens('legacy@example.com', code);
  });
  after(async () => {
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
    if (previousTls === undefined) delete process.env['NODE_TLS_REJECT_UNAUTHORIZED'];
    else process.env['NODE_TLS_REJECT_UNAUTHORIZED'] = previousTls;
  });

  it('runs list, create, update, search, attachments, photo, convert and delete', async () => {
    let r = await Z.API.MODULES.get({ module: 'Leads', params: { page: 0, per_page: 2 } });
    assert.equal(r.statusCode, 200);
    assert.equal(body(r).data.length, 2);
    r = await Z.API.MODULES.post({ module: 'Leads', body: { data: [{ Last_Name: 'Old', Company: 'Acme é' }], trigger: ['workflow'] } });
    assert.equal(r.statusCode, 201);
    const id = body(r).data[0].details.id as string;
    r = await Z.API.MODULES.put({ module: 'Leads', id, body: { data: [{ First_Name: 'Sdk' }] } });
    assert.equal(body(r).data[0].message, 'record updated');
    r = await Z.API.MODULES.search({ module: 'Leads', params: { criteria: '(Last_Name:equals:Old)' } });
    assert.equal(body(r).data[0].Company, 'Acme é');
    r = await Z.API.MODULES.search({ module: 'Leads', params: { word: 'nothing like this' } });
    assert.equal(r, '{"message":"no data","status_code":"204"}');

    const png = join(dir, 'a.png');
    writeFileSync(png, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff, 0x00, 0xc3]));
    r = await Z.API.ATTACHMENTS.uploadFile({ module: 'Leads', id, x_file_content: createReadStream(png) });
    const attId = body(r).data[0].details.id as string;
    r = await Z.API.ATTACHMENTS.downloadFile({ module: 'Leads', id, relatedId: attId });
    assert.equal(r.filename, 'a.png');
    assert.equal(Buffer.from(r.body, 'binary').toString('hex'), '89504e47ff00c3');
    r = await Z.API.ATTACHMENTS.uploadLink({ module: 'Leads', id, params: { attachmentUrl: 'https://www.zoho.com/x.png' } });
    assert.equal(r.statusCode, 200);
    r = await Z.API.ATTACHMENTS.uploadPhoto({ module: 'Leads', id, x_file_content: createReadStream(png) });
    assert.equal(body(r).message, 'photo uploaded successfully');
    r = await Z.API.ATTACHMENTS.downloadPhoto({ module: 'Leads', id });
    assert.equal(r.filename, 'a.png');
    r = await Z.API.ATTACHMENTS.deletePhoto({ module: 'Leads', id });
    assert.equal(body(r).message, 'Photo deleted');

    r = await Z.API.ACTIONS.convert({ id, body: { data: [{ overwrite: true }] } });
    assert.match(body(r).data[0].Contacts, /^\d+$/);
    r = await Z.API.MODULES.delete({ module: 'Leads', params: { ids: id } });
    assert.equal(body(r).data[0].message, 'record deleted');
    r = await Z.API.MODULES.getRecycleBinRecords({ module: 'Leads' });
    assert.equal(body(r).data[0].id, id);
  });

  it('reads users, org, settings and runs functions', async () => {
    let r = await Z.API.USERS.get({ params: { type: 'AllUsers' } });
    assert.ok(body(r).users.length > 0);
    r = await Z.API.ORG.get({});
    assert.equal(body(r).org.length, 1);
    r = await Z.API.SETTINGS.getModules({ module: 'Leads' });
    assert.equal(body(r).modules[0].api_name, 'Leads');
    r = await Z.API.SETTINGS.getFields({ module: 'Leads' });
    assert.ok(body(r).fields.length > 0);
    r = await Z.API.SETTINGS.getCustomViews({ module: 'Leads' });
    const cvid = body(r).custom_views[0].id as string;
    r = await Z.API.SETTINGS.updateCustomViews({ module: 'Leads', id: cvid, body: { custom_views: [{ settings: { sort_by: 'Last_Name', sort_order: 'asc' } }] } });
    assert.equal(body(r).custom_views[0].code, 'SUCCESS');
    emu.registerFunction('legacy_fn', (input) => `got ${JSON.stringify(input.arguments)}`);
    r = await Z.API.FUNCTIONS.executeFunctionsInGet({ api_name: 'legacy_fn', params: { arg1: 'v 1' } });
    assert.equal(body(r).details.output, 'got {"arg1":"v 1"}');
    r = await Z.API.FUNCTIONS.executeFunctionsInPost({ api_name: 'legacy_fn', body: { arguments: { a: 1 } } });
    assert.equal(body(r).details.output, 'got {"a":1}');
  });
});
