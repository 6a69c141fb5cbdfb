/** The README's records/search/COQL examples run as a user would run them: `node examples/x.mjs` on the built package. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { it } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = join(__dirname, '..', '..', '..', '..');

it('examples/records.mjs: writes with per-record failures, iteration, search, COQL', async () => {
  const { stdout } = await run(process.execPath, [join('examples', 'records.mjs')], { cwd: root });
  assert.deepEqual(stdout.trim().split('\n'), [
    'created 249, failed #7 MANDATORY_NOT_FOUND Last_Name',
    'first page: 100 records, more: true',
    'listed 249 leads',
    'search: 124 leads at Acme, Inc.',
    'coql: 125 Globex rows',
    'updated: Contacted',
    'deleted: RECORD_NOT_FOUND',
  ]);
});

it('examples/record-actions.mjs: notes, tags, related records, conversion, users, org', async () => {
  const { stdout } = await run(process.execPath, [join('examples', 'record-actions.mjs')], { cwd: root });
  const lines = stdout.trim().split('\n');
  assert.deepEqual(lines.slice(0, 4), ['notes: Wants a demo on Monday', 'tags: VIP', 'related products: Reactor', 'converted: contact true, account true, deal true']);
  assert.match(lines[4] ?? '', /^active users: \d+; org: \S/);
});
