import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { startModern, type ModernSetup } from '../helpers/modern.js';

const run = promisify(execFile);
const CHILD = join(__dirname, 'fixtures', 'download-child.ts');
const BIG = 128 * 1024 * 1024;
/** Most RSS growth allowed: a buffered download grows by at least BIG (measured: ~200 MB for 64 MB); streaming stays near 40 MB whatever the size. */
const MAX_GROWTH = BIG / 2;

describe('a large attachment downloads as a stream with flat memory', () => {
  let setup: ModernSetup;
  before(async () => {
    setup = await startModern('v8', { emulator: { emptyModules: true } });
  });
  after(() => setup.close());

  it(`${BIG / 1024 / 1024} MB arrive whole while the client's RSS grows by less than ${MAX_GROWTH / 1024 / 1024} MB`, async () => {
    const [lead] = setup.emu.crm.insert('Leads', [{ Last_Name: 'Big', Company: 'Acme' }]);
    const leadId = String(lead?.['id']);
    const att = setup.crm.attachments('Leads', leadId);
    const small = await att.upload(Buffer.from('warm-up'), { filename: 'small.txt' });
    const big = await att.upload(Buffer.from('placeholder'), { filename: 'big export.bin' });
    // Zoho caps uploads at 20 MB; the stored file is swapped for a bigger one to exercise the download side.
    const stored = setup.emu.crm.attachments.get(String(big.id));
    assert.ok(stored);
    const data = Buffer.alloc(BIG);
    for (let i = 0; i < BIG; i += 4096) data[i] = i % 251;
    stored.data = data;
    stored.meta['Size'] = String(BIG);

    const grant = await setup.emu.grantToken();
    const { stdout } = await run(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', CHILD, setup.emu.url, setup.emu.client.clientId, setup.emu.client.clientSecret, grant, leadId, String(small.id), String(big.id), 'v8'],
      { maxBuffer: 1024 * 1024 },
    );
    const out = JSON.parse(stdout) as { bytes: number; baseline: number; peak: number; filename: string; size?: number };
    assert.equal(out.bytes, BIG);
    assert.equal(out.filename, 'big export.bin');
    const growth = out.peak - out.baseline;
    assert.ok(growth < MAX_GROWTH, `RSS grew by ${(growth / 1024 / 1024).toFixed(1)} MB while downloading ${BIG / 1024 / 1024} MB`);
  });
});
