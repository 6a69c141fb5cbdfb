/** README ```sh blocks marked `<!-- run -->` (see readme-blocks.ts), in bash, `npx zcrm` being the built CLI. */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { it } from 'node:test';
import { CLI } from './helpers.js';
import { run, toRun, withEmulator } from './readme-blocks.js';

for (const block of toRun('run', ['sh'])) {
  it(`${block.file}:${block.line} runs as written`, async () => {
    await withEmulator(async (dir, env) => {
      const bin = join(dir, 'bin');
      await mkdir(bin);
      // `npx zcrm` as an install of @zcrmsdk/cli resolves it: the built bin of this repository.
      await writeFile(join(bin, 'npx'), `#!/bin/sh\n[ "$1" = zcrm ] || exit 127\nshift\nexec "${process.execPath}" "${CLI}" "$@"\n`);
      await chmod(join(bin, 'npx'), 0o755);
      await run('bash', ['-euo', 'pipefail', '-c', block.code], dir, { ...env, PATH: `${bin}:${process.env['PATH'] ?? ''}` });
    });
  });
}
