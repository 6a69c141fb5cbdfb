/** examples/legacy-api.js runs as a user would run it (`node examples/legacy-api.js` on the built package). */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = join(__dirname, '..', '..', '..');

test('examples/legacy-api.js: zcrmsdk 0.0.x code against the emulator, then the modern client', async () => {
  const { stdout } = await run(process.execPath, [join('examples', 'legacy-api.js')], { cwd: root });
  assert.match(stdout, /^First 5 leads:$/m);
  assert.match(stdout, /^Search found Ada Lovelace, status Contacted$/m);
  assert.match(stdout, /^Modern client error: NotFoundError|^Modern client error: \w+Error/m);
  assert.match(stdout, /Demo complete\.$/m);
});
