/** README code blocks (see readme-blocks.ts): every one is marked; whole scripts and test files run as written. */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CHECKED, blocks, run, toRun, withEmulator } from './readme-blocks.js';

describe('README code blocks', () => {
  it('every js, ts and sh block says how it runs (or why it cannot)', () => {
    const unmarked = blocks.filter((b) => CHECKED.has(b.lang) && !/^(run(: (node --test|with crm))?|not run: .{10,})$/.test(b.marker ?? ''));
    assert.deepEqual(
      unmarked.map((b) => `${b.file}:${b.line} (${b.marker ?? 'no marker'})`),
      [],
      'put <!-- run -->, <!-- run: with crm -->, <!-- run: node --test --> or <!-- not run: why --> on the line before',
    );
  });

  for (const block of [...toRun('run', ['js', 'ts']), ...toRun('run: node --test', ['js', 'ts'])]) {
    it(`${block.file}:${block.line} runs as written (${block.marker})`, async () => {
      await withEmulator(async (dir, env) => {
        const file = `block.${block.lang === 'ts' ? 'mts' : 'mjs'}`;
        await writeFile(join(dir, file), block.code);
        const args = block.marker === 'run: node --test' ? ['--test', '--test-reporter=dot'] : [];
        await run(process.execPath, [...(block.lang === 'ts' ? ['--import', 'tsx'] : []), ...args, file], dir, env);
      });
    });
  }
});
