/**
 * `/crm/v8/files` (Zoho's file system): a multipart upload of several files answers each one's encrypted id,
 * `GET ?id=` gives the bytes back with their type and name, an unknown id and an oversized file are refused
 * with Zoho's codes, and the SDK's generated `crm.files.upload` / `crm.files.download` agree with the emulator.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FormData, request } from 'undici';
import { ZohoCRM } from 'zcrmsdk';
import { startEmulator, type Emulator } from '../../src/index.js';
import { getTokens } from '../server/helpers.js';
import { call, file, makeState } from './helpers.js';

const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.from([0, 0xff, 0xc3, 0x28])]);

describe('/crm/v8/files over HTTP', () => {
  let emu: Emulator;
  let token: string;
  before(async () => {
    emu = await startEmulator({ port: 0, emptyModules: true });
    token = (await getTokens(emu)).access_token;
  });
  after(() => emu.close());

  async function send(method: string, path: string, body?: FormData): Promise<{ status: number; headers: Record<string, unknown>; bytes: Buffer }> {
    const res = await request(`${emu.url}${path}`, { method: method as 'GET', headers: { authorization: `Zoho-oauthtoken ${token}` }, ...(body === undefined ? {} : { body }) });
    return { status: res.statusCode, headers: res.headers, bytes: Buffer.from(await res.body.arrayBuffer()) };
  }

  it('uploads two files in one request, answers each encrypted id and downloads each as sent', async () => {
    const form = new FormData();
    form.append('file', new Blob(['hello zfs'], { type: 'text/plain' }), 'notes.txt');
    form.append('file', new Blob([PNG], { type: 'image/png' }), 'logo.png');
    const up = await send('POST', '/crm/v8/files', form);
    assert.equal(up.status, 200, up.bytes.toString());
    const reply = JSON.parse(up.bytes.toString()) as { data: { code: string; status: string; message: string; details: { name: string; id: string } }[] };
    assert.deepEqual(
      reply.data.map((d) => [d.code, d.status, d.message, d.details.name]),
      [
        ['SUCCESS', 'success', 'notes.txt uploaded Succeessfully', 'notes.txt'],
        ['SUCCESS', 'success', 'logo.png uploaded Succeessfully', 'logo.png'],
      ],
    );
    const [txt, png] = reply.data.map((d) => d.details.id);
    assert.match(String(txt), /^[0-9a-f]{64}$/);
    assert.notEqual(txt, png);
    assert.deepEqual(emu.crm.files.get(String(png))?.data, PNG);

    const got = await send('GET', `/crm/v8/files?id=${String(png)}`);
    assert.equal(got.status, 200);
    assert.equal(got.headers['content-type'], 'image/png');
    assert.equal(got.headers['content-disposition'], "attachment;filename*=UTF-8''logo.png");
    assert.deepEqual(got.bytes, PNG);
    const text = await send('GET', `/crm/v8/files?id=${String(txt)}`);
    assert.equal(text.bytes.toString(), 'hello zfs');
  });

  it('refuses an unknown id with INVALID_DATA and a missing id with REQUIRED_PARAM_MISSING', async () => {
    const unknown = await send('GET', '/crm/v8/files?id=0123abcd');
    assert.equal(unknown.status, 400);
    assert.deepEqual(JSON.parse(unknown.bytes.toString()), { code: 'INVALID_DATA', details: { param_name: 'id', id: '0123abcd' }, message: 'the id given seems to be invalid', status: 'error' });
    const missing = await send('GET', '/crm/v8/files');
    assert.equal(JSON.parse(missing.bytes.toString()).code, 'REQUIRED_PARAM_MISSING');
  });

  it("the SDK's crm.files.upload and crm.files.download round-trip a file through the emulator", async () => {
    const crm = new ZohoCRM({ clientId: emu.client.clientId, clientSecret: emu.client.clientSecret, accountsUrl: emu.url, apiUrl: emu.url, apiVersion: 'v8', maxRetries: 0 });
    try {
      await crm.generateTokens(await emu.grantToken());
      const up = await crm.files.upload({ type: 'inline', body: { file: new File([PNG], 'inline.png', { type: 'image/png' }) } });
      const id = String(up.data?.[0]?.details?.id);
      assert.equal(emu.crm.files.get(id)?.inline, true);
      const down = await crm.files.download({ id });
      const chunks: Buffer[] = [];
      for await (const c of down.body) chunks.push(Buffer.from(c as Uint8Array));
      assert.equal(down.filename, 'inline.png');
      assert.equal(down.contentType, 'image/png');
      assert.deepEqual(Buffer.concat(chunks), PNG);
    } finally {
      await crm.close();
    }
  });
});

describe('/crm/v8/files refusals', () => {
  it('refuses a file over 20 MB with FILE_SIZE_MORE_THAN_ALLOWED_SIZE and stores nothing', async () => {
    const s = makeState({ emptyModules: true });
    const big = await call(s, 'POST', '/crm/v8/files', { files: [file('big.bin', Buffer.alloc(20 * 1024 * 1024 + 1))] });
    assert.equal(big.status, 400);
    assert.equal(big.data.code, 'FILE_SIZE_MORE_THAN_ALLOWED_SIZE');
    assert.equal(s.files.size, 0);
  });

  it('refuses an upload without a file part, and a type other than inline', async () => {
    const s = makeState({ emptyModules: true });
    const none = await call(s, 'POST', '/crm/v8/files', { files: [file('x.txt', 'x', 'text/plain', 'attachment')] });
    assert.equal(none.status, 400);
    assert.equal(none.data.code, 'failure_in_attachment_handling');
    const type = await call(s, 'POST', '/crm/v8/files?type=banner', { files: [file('x.txt', 'x', 'text/plain')] });
    assert.deepEqual(type.data.details, { param_name: 'type' });
  });
});
