/** The README's settings/files/bulk examples run as a user would run them: `node examples/x.mjs` on the built package. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { it } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = join(__dirname, '..', '..', '..', '..');

it('examples/settings-files-bulk.mjs: cached metadata, attachments and photos as streams, bulk write and read', async () => {
  const { stdout } = await run(process.execPath, [join('examples', 'settings-files-bulk.mjs')], { cwd: root });
  assert.deepEqual(stdout.trim().split('\n'), [
    'fields: 34, mandatory: Company, Last_Name, requests: 1',
    'attachments: proposal.txt, numbers.csv',
    'downloaded proposal.txt (application/octet-stream), 22 bytes',
    'photo: image/png, then FILE_NOT_FOUND',
    'bulk write: COMPLETED, added 500',
    'bulk read: COMPLETED, 250 rows at Acme, Inc.',
  ]);
});
