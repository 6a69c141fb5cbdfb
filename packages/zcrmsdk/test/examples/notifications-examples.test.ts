/** The README's notifications/composite example runs as a user would run it: `node examples/notifications.mjs` on the built package. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { it } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = join(__dirname, '..', '..', '..', '..');

it('examples/notifications.mjs: receiver, channel kept alive, deliveries, composite with rollback', async () => {
  const { stdout } = await run(process.execPath, [join('examples', 'notifications.mjs')], { cwd: root });
  assert.deepEqual(stdout.trim().split('\n'), [
    'channels: 1000000068001 Leads.create,Leads.edit,Leads.delete',
    'event: Leads.insert 1 record(s)',
    'event: Leads.update 1 record(s)',
    'deliveries: insert delivered, update delivered',
    'composite: ROLLBACK_PERFORMED, MANDATORY_NOT_FOUND',
    'composite get: 200 555-0100',
  ]);
});
