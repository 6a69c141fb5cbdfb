import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { AbortedError, ApiError, AuthenticationError } from '../../src/errors.js';
import type { MultipartValue } from '../../src/http/multipart.js';
import { type ModernHarness, withHarness } from './harness.js';

function leadId(h: ModernHarness): string {
  const [lead] = h.emu.crm.insert('Leads', [{ Last_Name: 'Uploads', Company: 'Acme' }]);
  return String(lead!.id);
}

async function attachments(h: ModernHarness, id: string): Promise<{ id: string; File_Name: string; Size: string }[]> {
  const res = await h.crm.requestJson<{ data: { id: string; File_Name: string; Size: string }[] }>({ method: 'GET', path: ['Leads', id, 'Attachments'] });
  return res?.data ?? [];
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('uploads stream every kind of source; downloads stream', () => {
  it('uploads a Buffer, a string, a Node Readable, a Blob, a web ReadableStream and { path }, bytes intact', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zcrm-core-up-'));
    const file = join(dir, 'report.pdf');
    const fileBytes = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(200_000, 3)]);
    await writeFile(file, fileBytes);
    try {
      await withHarness({}, async (h) => {
        const id = leadId(h);
        const bytes = Buffer.from([0, 1, 2, 255, 13, 10]);
        const cases: [string, MultipartValue, Buffer, string | undefined][] = [
          ['buffer.bin', bytes, bytes, undefined],
          ['text.txt', 'héllo', Buffer.from('héllo'), undefined],
          ['node.bin', Readable.from([bytes, bytes]), Buffer.concat([bytes, bytes]), undefined],
          ['blob.bin', new Blob([bytes]), bytes, undefined],
          ['web.bin', Readable.toWeb(Readable.from([bytes])) as unknown as MultipartValue, bytes, undefined],
          ['report.pdf', { path: file }, fileBytes, 'application/pdf'],
        ];
        for (const [filename, value, expected, type] of cases) {
          h.emu.clearRequests();
          await h.crm.request({ method: 'POST', path: ['Leads', id, 'Attachments'], multipart: [{ field: 'file', value, filename }] });
          const [sent] = h.crmRequests();
          const raw = sent!.body as Buffer;
          assert.ok(Buffer.isBuffer(raw));
          assert.match(String(sent!.headers['content-type']), /^multipart\/form-data; boundary=----zcrmsdk/);
          assert.ok(raw.includes(expected), `${filename}: the bytes arrive intact`);
          assert.ok(raw.includes(Buffer.from(`filename="${filename}"`)), `${filename}: the file name is sent`);
          if (type) assert.ok(raw.includes(Buffer.from(`Content-Type: ${type}`)), `${filename}: type looked up from the name`);
        }
        const names = (await attachments(h, id)).map((a) => a.File_Name).sort();
        assert.deepEqual(names, cases.map((c) => c[0]).sort());
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a file stream is re-opened for the 401 replay; a one-shot stream is not replayed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zcrm-core-replay-'));
    const file = join(dir, 'notes.txt');
    await writeFile(file, 'replayed bytes');
    try {
      await withHarness({}, async (h) => {
        const id = leadId(h);
        h.emu.expireAccessTokens();
        await h.crm.request({ method: 'POST', path: ['Leads', id, 'Attachments'], multipart: [{ field: 'file', value: createReadStream(file) }] });
        const sent = h.crmRequests();
        assert.equal(sent.length, 2, 'refused, then replayed with a new token');
        assert.ok((sent[1]!.body as Buffer).includes(Buffer.from('replayed bytes')), 'the replay carries the whole file again');
        assert.equal((await attachments(h, id)).filter((a) => a.File_Name === 'notes.txt').length, 1);

        // A one-shot stream cannot be sent twice: the 401 surfaces instead of a replay with a half-read stream.
        h.emu.clearRequests();
        h.emu.expireAccessTokens();
        await assert.rejects(
          h.crm.request({ method: 'POST', path: ['Leads', id, 'Attachments'], multipart: [{ field: 'file', value: Readable.from([Buffer.from('once')]), filename: 'once.txt' }] }),
          (e: unknown) => e instanceof AuthenticationError && e.code === 'INVALID_TOKEN',
        );
        assert.equal(h.crmRequests().length, 1);
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('requestStream hands over the body as a stream and throws typed errors for error statuses', () =>
    withHarness({}, async (h) => {
      const id = leadId(h);
      const big = Buffer.alloc(3 * 1024 * 1024, 7);
      await h.crm.request({ method: 'POST', path: ['Leads', id, 'Attachments'], multipart: [{ field: 'file', value: big, filename: 'big.bin' }] });
      const [att] = await attachments(h, id);
      const res = await h.crm.requestStream({ method: 'GET', path: ['Leads', id, 'Attachments', att!.id] });
      assert.equal(res.status, 200);
      let chunks = 0;
      let size = 0;
      for await (const chunk of res.body) {
        chunks++;
        size += (chunk as Buffer).length;
      }
      assert.equal(size, big.length);
      assert.ok(chunks > 1, 'arrived in many chunks, not one buffer');
      await assert.rejects(h.crm.requestStream({ method: 'GET', path: ['Leads', id, 'Attachments', '999'] }), (e: unknown) => e instanceof ApiError && e.status >= 400);
    }));

  it('a caller abort in the middle of a streamed download ends the stream with an AbortedError; destroying it early frees the connection', () =>
    withHarness({}, async (h) => {
      const id = leadId(h);
      const big = Buffer.alloc(16 * 1024 * 1024, 9);
      await h.crm.request({ method: 'POST', path: ['Leads', id, 'Attachments'], multipart: [{ field: 'file', value: big, filename: 'big.bin' }] });
      const [att] = await attachments(h, id);
      const controller = new AbortController();
      const res = await h.crm.requestStream({ method: 'GET', path: ['Leads', id, 'Attachments', att!.id], signal: controller.signal });
      let size = 0;
      await assert.rejects(
        (async () => {
          for await (const chunk of res.body) {
            size += (chunk as Buffer).length;
            if (size > 1024 * 1024) controller.abort();
          }
        })(),
        (e: unknown) => e instanceof AbortedError && /aborted by the caller/.test(e.message),
      );
      assert.ok(size < big.length, 'stopped before the end');
      // A consumer that gives up (destroy) must not leave the connection busy: the next calls still work.
      for (let i = 0; i < 3; i++) {
        const again = await h.crm.requestStream({ method: 'GET', path: ['Leads', id, 'Attachments', att!.id] });
        for await (const _chunk of again.body) break;
      }
      const org = await h.crm.requestJson<{ org: unknown[] }>({ method: 'GET', path: ['org'] });
      assert.ok(Array.isArray(org?.org));
    }));

  it('a user-supplied fetch stays a supported seam, buffered and streamed', async () => {
    const seen: string[] = [];
    await withHarness({ client: { fetch: (url, init) => (seen.push(`${init.method} ${url}`), fetch(url, init as RequestInit)) } }, async (h) => {
      const res = await h.crm.requestJson<{ data: unknown[] }>({ method: 'GET', path: 'Leads', query: { per_page: 2 } });
      assert.equal(res?.data.length, 2);
      const stream = await h.crm.requestStream({ method: 'GET', path: 'Leads', query: { per_page: 1 } });
      assert.equal(JSON.parse((await readAll(stream.body)).toString()).data.length, 1);
      assert.ok(seen.some((s) => s.includes('/crm/v2/Leads?per_page=2')));
    });
  });
});
