/**
 * The hand-written layer under generated methods, end to end through the emulator: a paged list walked with
 * `for await`, per-record results of a multi-record write, a download streamed, an upload from a file path,
 * and `withResponse()` on a call and on a page.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { after, before, describe, it } from 'node:test';
import { Page } from '../../src/api/pagination.js';
import { crmRequests, setup, type Setup } from './helpers.js';

describe('generated methods through the hand-written layer', () => {
  let s: Setup;
  let dir: string;
  before(async () => {
    s = await setup('v8');
    dir = mkdtempSync(join(tmpdir(), 'zcrm-generated-'));
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await s.close();
  });

  it('pages: crm.users.list() awaits the first page and `for await` walks every page', async () => {
    s.emu.clearRequests();
    const first = await s.crm.users.list({ per_page: 1 });
    assert.ok(first instanceof Page);
    assert.equal(first.data.length, 1);
    const all: string[] = [];
    for await (const user of s.crm.users.list({ per_page: 1 })) all.push(user.id ?? '');
    assert.ok(all.length > 1, 'more than one page of users');
    assert.equal(new Set(all).size, all.length);
    const pages = crmRequests(s.emu, 'GET', '/users').map((r) => r.query['page'] ?? '1');
    assert.deepEqual(pages.slice(1), ['1', ...all.slice(1).map((_, i) => String(i + 2))]);
  });

  it('per-record results: crm.tags.create() answers one result per tag, a refused one included', async () => {
    const results = await s.crm.tags.create({ module: 'Leads', body: { tags: [{ name: 'Generated VIP' }, { name: '' }] } });
    assert.deepEqual(
      results.map((r) => [r.status, r.code]),
      [
        ['success', 'SUCCESS'],
        ['error', 'MANDATORY_NOT_FOUND'],
      ],
    );
    assert.match(results[0]!.id ?? '', /^\d+$/);
    const listed = await s.crm.tags.list({ module: 'Leads' });
    assert.ok(listed?.tags?.some((t) => t.name === 'Generated VIP'));
  });

  it('uploads from a path and downloads as a stream: records(module).uploadPhoto / getPhoto', async () => {
    const [lead] = await s.crm.records('Leads').create([{ Last_Name: 'Photo', Company: 'Acme' }]);
    const id = lead!.id!;
    const file = join(dir, 'face.png');
    const bytes = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('generated photo')]);
    writeFileSync(file, bytes);
    await s.crm.records('Leads').uploadPhoto(id, { body: { file: { path: file } } });
    const upload = crmRequests(s.emu, 'POST', `/Leads/${id}/photo`).at(-1)!;
    assert.match(String(upload.headers['content-type']), /^multipart\/form-data; boundary=/);
    const download = await s.crm.records('Leads').getPhoto(id);
    assert.equal(Buffer.from(await text(download.body), 'latin1').length > 0, true);
    const again = await s.crm.records('Leads').getPhoto(id);
    const chunks: Buffer[] = [];
    for await (const chunk of again.body) chunks.push(chunk as Buffer);
    assert.deepEqual(Buffer.concat(chunks), bytes);
  });

  it('withResponse(): status and headers of a call and of a page', async () => {
    const { data, response } = await s.crm.org.get().withResponse();
    assert.equal(response.status, 200);
    assert.match(response.headers['content-type'] ?? '', /application\/json/);
    assert.ok(Array.isArray((data as { org?: unknown[] }).org));
    const page = await s.crm.users.list({ per_page: 2 }).withResponse();
    assert.equal(page.response.status, 200);
    assert.equal(page.data.data.length, 2);
    assert.equal(page.data.response.status, 200);
  });
});
