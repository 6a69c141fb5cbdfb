import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '..');

test('npm pack keeps `zcrm` (the bin) executable with its shebang', async () => {
  const dir = await mkdtemp(join(tmpdir(), `zcrm-bin-${process.pid}-`));
  try {
    const manifest = (JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin;
    assert.deepEqual(manifest, { zcrm: './dist/index.js' });
    const { stdout } = await run('npm', ['pack', '--pack-destination', dir, '--json'], { cwd: ROOT });
    const [info] = JSON.parse(stdout) as { filename: string }[];
    await run('tar', ['xzf', join(dir, info!.filename), '-C', dir]);
    const bin = join(dir, 'package', 'dist', 'index.js');
    assert.equal((await stat(bin)).mode & 0o111, 0o111, 'executable');
    assert.equal((await readFile(bin, 'utf8')).split('\n')[0], '#!/usr/bin/env node');
    // The built bin runs through its shebang (exec bit set by `npm run build`).
    const version = await run(join(ROOT, 'dist', 'index.js'), ['--version']);
    assert.match(version.stdout, /^\d+\.\d+\.\d+/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
