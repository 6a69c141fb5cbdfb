import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { after, before, describe, it } from 'node:test';
import { BadRequestError, InvalidInputError, NotFoundError, type FileDownload } from '../../src/index.js';
import { filenameFromContentDisposition } from '../../src/internal/content-disposition.js';
import { startModern, type ModernSetup } from '../helpers/modern.js';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]);

async function bytes(download: FileDownload): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of download.body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The multipart part headers of the last upload the emulator received. */
function lastUploadPartHeader(setup: ModernSetup): string {
  const last = [...setup.emu.requests].reverse().find((r) => r.method === 'POST');
  const body = Buffer.isBuffer(last?.body) ? last.body.toString('latin1') : String(last?.body);
  return /Content-Disposition: form-data;[^\r\n]*\r\nContent-Type: [^\r\n]*/i.exec(body)?.[0] ?? body.slice(0, 300);
}

for (const version of ['v2', 'v8']) {
  describe(`crm.attachments and crm.photos on ${version}`, () => {
    let setup: ModernSetup;
    let leadId: string;
    let dir: string;
    before(async () => {
      setup = await startModern(version, { emulator: { emptyModules: true } });
      const [lead] = setup.emu.crm.insert('Leads', [{ Last_Name: 'Files', Company: 'Acme' }]);
      leadId = String(lead?.['id']);
      dir = await mkdtemp(join(tmpdir(), `zcrmsdk-files-${process.pid}-`));
    });
    after(async () => {
      await setup.close();
      await rm(dir, { recursive: true, force: true });
    });

    it('uploads from a Buffer, a Blob, a File, a Node stream, a Web stream and a path; downloads each back as a stream', async () => {
      const att = setup.crm.attachments('Leads', leadId);
      const path = join(dir, 'from disk.txt');
      await writeFile(path, 'bytes from disk');
      const sources = [
        { source: Buffer.from('a buffer'), opts: { filename: 'buffer.txt' }, name: 'buffer.txt', content: 'a buffer' },
        { source: new Blob(['a blob'], { type: 'text/csv' }), opts: { filename: 'blob.csv' }, name: 'blob.csv', content: 'a blob' },
        { source: new File(['a file'], 'named.csv', { type: 'text/csv' }), opts: {}, name: 'named.csv', content: 'a file' },
        { source: Readable.from([Buffer.from('node '), Buffer.from('stream')]), opts: { filename: 'node.bin' }, name: 'node.bin', content: 'node stream' },
        { source: Readable.toWeb(Readable.from([Buffer.from('web stream')])) as ReadableStream<Uint8Array>, opts: { filename: 'web.bin' }, name: 'web.bin', content: 'web stream' },
        { source: { path }, opts: {}, name: 'from disk.txt', content: 'bytes from disk' },
      ];
      const ids: string[] = [];
      for (const s of sources) {
        const result = await att.upload(s.source, s.opts);
        assert.equal(result.status, 'success');
        assert.equal(result.code, 'SUCCESS');
        assert.equal(result.message, 'attachment uploaded successfully');
        assert.match(String(result.id), /^\d{10,}$/);
        ids.push(String(result.id));
        assert.match(lastUploadPartHeader(setup), new RegExp(`name="file"; filename="${s.name}"`));
      }
      const listed = await att.list();
      assert.deepEqual(listed.data.map((a) => a.File_Name), sources.map((s) => s.name));
      assert.deepEqual(listed.data.map((a) => a.Size), sources.map((s) => String(Buffer.byteLength(s.content))));
      for (const [i, s] of sources.entries()) {
        const dl = await att.download(ids[i] as string);
        assert.ok(dl.body instanceof Readable);
        assert.equal(dl.filename, s.name);
        assert.equal((await bytes(dl)).toString('utf8'), s.content);
      }
      const csv = await att.download(ids[1] as string);
      assert.equal(csv.contentType, 'text/csv');
      assert.equal(await text(csv.body), 'a blob');
    });

    it('lists every attachment page by page with for await', async () => {
      const [lead] = setup.emu.crm.insert('Leads', [{ Last_Name: 'Many', Company: 'Acme' }]);
      const att = setup.crm.attachments('Leads', String(lead?.['id']));
      for (let i = 0; i < 5; i++) await att.upload(Buffer.from(`n${i}`), { filename: `n${i}.txt` });
      setup.emu.clearRequests();
      const names: string[] = [];
      for await (const a of att.list({ per_page: 2 })) names.push(a.File_Name);
      assert.deepEqual(names, ['n0.txt', 'n1.txt', 'n2.txt', 'n3.txt', 'n4.txt']);
      assert.deepEqual(setup.emu.requests.map((r) => r.query['page'] ?? '1'), ['1', '2', '3']);
      if (version === 'v8') assert.match(String(setup.emu.requests[0]?.query['fields']), /File_Name/);
      const page = await att.list({ per_page: 2 });
      assert.equal(page.hasNextPage(), true);
    });

    it('attaches a link, refuses to download it, deletes attachments', async () => {
      const [lead] = setup.emu.crm.insert('Leads', [{ Last_Name: 'Link', Company: 'Acme' }]);
      const att = setup.crm.attachments('Leads', String(lead?.['id']));
      const link = await att.uploadLink('https://www.zoho.com/logo.png', { title: 'Logo' });
      assert.equal(link.status, 'success');
      assert.equal(setup.emu.requests.at(-1)?.query['attachmentUrl'], 'https://www.zoho.com/logo.png');
      const [listed] = (await att.list()).data;
      assert.equal(listed?.$type, 'Link URL');
      await assert.rejects(att.download(String(link.id)), BadRequestError);
      const removed = await att.delete(String(link.id));
      assert.deepEqual(removed, { status: 'success', code: 'SUCCESS', message: 'record deleted', details: { id: link.id }, id: link.id });
      assert.deepEqual((await att.list()).data, []);
      await assert.rejects(att.uploadLink('javascript:alert(1)'), InvalidInputError);
    });

    it('uploads, downloads and deletes a record photo', async () => {
      const photo = setup.crm.photos('Leads', leadId);
      const up = await photo.upload(PNG, { filename: 'face.png', contentType: 'image/png' });
      assert.equal(up.status, 'success');
      assert.equal(up.message, version === 'v2' ? 'photo uploaded successfully' : 'Photo uploaded successfully');
      const dl = await photo.download();
      assert.equal(dl.contentType, 'image/png');
      assert.equal(dl.filename, 'face.png');
      assert.ok((await bytes(dl)).equals(PNG));
      const del = await photo.delete();
      assert.equal(del.status, 'success');
      await assert.rejects(photo.download(), (e: unknown) => e instanceof NotFoundError && e.code === 'FILE_NOT_FOUND' && /photo of Leads record/.test(e.message));
    });

    it('bad input is refused before any request is sent', async () => {
      setup.emu.clearRequests();
      assert.throws(() => setup.crm.attachments('Leads', '../x'), InvalidInputError);
      assert.throws(() => setup.crm.attachments('Leads?x', leadId), InvalidInputError);
      assert.throws(() => setup.crm.photos('Leads', ''), InvalidInputError);
      const att = setup.crm.attachments('Leads', leadId);
      await assert.rejects(att.upload('not a source' as unknown as Buffer), (e: unknown) => e instanceof InvalidInputError && /Buffer\.from\(text\) or \{ path \}/.test(e.message));
      await assert.rejects(att.upload({ path: join(dir, 'missing.bin') }), (e: unknown) => e instanceof InvalidInputError && /missing\.bin/.test(e.message));
      await assert.rejects(att.upload({ path: dir }), (e: unknown) => e instanceof InvalidInputError && /not a file/.test(e.message));
      await assert.rejects(att.upload(Buffer.from('x'), { filename: 'a"\r\nX-Evil: 1' }), InvalidInputError);
      await assert.rejects(att.upload(Buffer.from('x'), { contentType: 'text/plain\r\nX-Evil: 1' }), InvalidInputError);
      await assert.rejects(att.download('1/../2'), InvalidInputError);
      assert.equal(setup.emu.requests.length, 0);
    });
  });
}

describe('Content-Disposition file names (RFC 6266)', () => {
  const cases: [string | undefined, string | undefined][] = [
    ["attachment;filename*=UTF-8''resume file.png", 'resume file.png'],
    ["attachment; filename*=UTF-8''%e2%82%ac%20rates.pdf", '€ rates.pdf'],
    ['attachment; filename="plain.txt"; filename*=UTF-8\'\'na%C3%AFve.txt', 'naïve.txt'],
    ['attachment; filename="quoted \\"name\\"; with semi.txt"', 'quoted "name"; with semi.txt'],
    ['attachment; filename=token.csv', 'token.csv'],
    ["attachment; filename*=iso-8859-1'en'%A3%20rates", '£ rates'],
    ['attachment; filename="../../etc/passwd"', 'passwd'],
    ['attachment; filename="C:\\\\Users\\\\x.txt"', 'x.txt'],
    ['attachment; filename=".."', undefined],
    ['attachment', undefined],
    ['', undefined],
    [undefined, undefined],
  ];
  for (const [header, expected] of cases) {
    it(`${JSON.stringify(header)} → ${JSON.stringify(expected)}`, () => {
      assert.equal(filenameFromContentDisposition(header), expected);
    });
  }
});
