/**
 * Every ```js, ```ts and ```sh block of the READMEs (the repository's and each package's) that a user would
 * copy runs here, against the emulator. The line before each block says how (an HTML comment, invisible on
 * npm and GitHub):
 *
 * - `<!-- run -->`: a whole script. It gets the emulator's URL, client and a grant code in the variables
 *   `zcrm emulator` prints (`ZCRM_ACCOUNTS_URL`, `ZCRM_API_URL`, `ZCRM_CLIENT_ID`, `ZCRM_CLIENT_SECRET`,
 *   `ZCRM_GRANT_CODE`), so the same text runs against Zoho with Zoho's values. `sh` blocks run in bash with
 *   `npx zcrm` resolving to the built CLI.
 * - `<!-- run: node --test -->`: a test file, run with `node --test`.
 * - `<!-- run: with crm -->`: a fragment of a guide section, run after the set-up that section describes:
 *   `crm` (a signed-in v8 client on a seeded emulator, `emu`), `leads` (`crm.records('Leads')`), record ids
 *   `leadId`, `accountId`, `productId`, `userId`, `attachmentId`, `clientId`/`clientSecret`, a `metrics` sink,
 *   a Zoho function `my_function`,
 *   every export of zcrmsdk, `createWriteStream`, and the files it names (`./proposal.pdf`, `./face.png`, `./contract.pdf`,
 *   `./leads.csv`, `./downloads/`) in the working directory.
 * - `<!-- not run: why -->`: needs what a test cannot have (a Zoho account, a registry, a second terminal).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { startEmulator } from '@zcrmsdk/emulator';
import { CLI } from './helpers.js';

const exec = promisify(execFile);
const ROOT = resolve(__dirname, '..', '..', '..');
const READMES = ['README.md', 'packages/zcrmsdk/README.md', 'packages/emulator/README.md', 'packages/cli/README.md'];
const CHECKED = new Set(['js', 'ts', 'sh']);

interface Block {
  file: string;
  line: number;
  lang: string;
  code: string;
  marker: string | undefined;
}

/** The fenced blocks of a Markdown file, each with the HTML comment on the line before it (if any). */
function blocksOf(file: string, text: string): Block[] {
  const lines = text.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const end = lines.indexOf('```', i + 1);
    assert.ok(end > i, `${file}:${i + 1}: a code block that is never closed`);
    const marker = /^<!--\s*(.*?)\s*-->$/.exec(lines[i - 1]?.trim() ?? '')?.[1];
    blocks.push({ file, line: i + 1, lang: open[1]!, code: lines.slice(i + 1, end).join('\n'), marker });
    i = end;
  }
  return blocks;
}

/** Runs `args` with a deadline, failing with the output when it exits non-zero. */
async function run(file: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  try {
    const { stdout } = await exec(file, args, { cwd, env: { ...process.env, ...env }, timeout: 90_000, maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${e.message}\n--- stdout\n${e.stdout ?? ''}\n--- stderr\n${e.stderr ?? ''}`);
  }
}

/** The set-up a `with crm` fragment runs after, then the fragment (imported, so its own imports work). */
const FRAGMENT_RUNNER = `
import { createWriteStream } from 'node:fs';
import { writeFile, mkdir } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import * as zcrmsdk from 'zcrmsdk';
import { startEmulator } from '@zcrmsdk/emulator';

const emu = await startEmulator({ seed: 7 });
const crm = new zcrmsdk.ZohoCRM({ clientId: emu.client.clientId, clientSecret: emu.client.clientSecret, accountsUrl: emu.url, apiUrl: emu.url, apiVersion: 'v8' });
await crm.generateTokens(await emu.grantToken());
emu.registerFunction('my_function', ({ arguments: args }) => ({ echo: args }));
const leads = crm.records('Leads');
const [lead] = await leads.create([{ Last_Name: 'Readme', Company: 'Acme', Email: 'readme@example.com' }]);
const firstId = async (module) => (await crm.records(module).list({ fields: ['id'], per_page: 1 })).data[0].id;
const attachment = await crm.attachments('Leads', lead.id).upload(Buffer.from('hello'), { filename: 'hello.txt' });
await mkdir('downloads', { recursive: true });
await writeFile('proposal.pdf', '%PDF-1.4 readme');
await writeFile('contract.pdf', '%PDF-1.4 contract');
await writeFile('face.png', Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'));
await writeFile('leads.csv', 'Last_Name,Company,Email\\nNew,Acme,new@example.com\\n');
const counters = [];
Object.assign(globalThis, zcrmsdk, {
  emu, crm, leads, createWriteStream,
  leadId: lead.id, accountId: await firstId('Accounts'), productId: await firstId('Products'),
  userId: (await crm.users({ type: 'CurrentUser' })).data[0].id, attachmentId: attachment.id,
  clientId: emu.client.clientId, clientSecret: emu.client.clientSecret,
  metrics: { increment: (...a) => counters.push(a), timing: (...a) => counters.push(a) },
});
try {
  await import(pathToFileURL(process.argv[2]).href);
} finally {
  await crm.close();
  await emu.close();
}
// A fragment is the middle of a program: what it leaves open (its own emulator, a timer) ends here.
process.exit();
`;

const blocks = READMES.flatMap((f) => blocksOf(f, readFileSync(join(ROOT, f), 'utf8')));

describe('README code blocks', () => {
  it('every js, ts and sh block says how it runs (or why it cannot)', () => {
    const unmarked = blocks.filter((b) => CHECKED.has(b.lang) && !/^(run(: (node --test|with crm))?|not run: .{10,})$/.test(b.marker ?? ''));
    assert.deepEqual(
      unmarked.map((b) => `${b.file}:${b.line} (${b.marker ?? 'no marker'})`),
      [],
      'put <!-- run -->, <!-- run: with crm -->, <!-- run: node --test --> or <!-- not run: why --> on the line before',
    );
  });

  for (const block of blocks.filter((b) => CHECKED.has(b.lang) && b.marker?.startsWith('run'))) {
    it(`${block.file}:${block.line} runs as written (${block.marker})`, async () => {
      const dir = await mkdtemp(join(ROOT, '.readme-run-'));
      const emu = await startEmulator({ seed: 7 });
      try {
        const env = {
          ZCRM_ACCOUNTS_URL: emu.url,
          ZCRM_API_URL: emu.url,
          ZCRM_CLIENT_ID: emu.client.clientId,
          ZCRM_CLIENT_SECRET: emu.client.clientSecret,
          ZCRM_GRANT_CODE: await emu.grantToken(),
          ZCRM_CONFIG_DIR: dir,
          NO_COLOR: '1',
        };
        const ext = block.lang === 'ts' ? 'mts' : 'mjs';
        if (block.lang === 'sh') {
          const bin = join(dir, 'bin');
          await mkdir(bin);
          // `npx zcrm` as an install of @zcrmsdk/cli resolves it: the built bin of this repository.
          await writeFile(join(bin, 'npx'), `#!/bin/sh\n[ "$1" = zcrm ] || exit 127\nshift\nexec "${process.execPath}" "${CLI}" "$@"\n`);
          await chmod(join(bin, 'npx'), 0o755);
          await run('bash', ['-euo', 'pipefail', '-c', block.code], dir, { ...env, PATH: `${bin}:${process.env['PATH'] ?? ''}` });
        } else if (block.marker === 'run: with crm') {
          await writeFile(join(dir, `fragment.${ext}`), block.code);
          await writeFile(join(dir, 'runner.mjs'), FRAGMENT_RUNNER);
          await run(process.execPath, ['--import', 'tsx', 'runner.mjs', join(dir, `fragment.${ext}`)], dir, env);
        } else {
          await writeFile(join(dir, `block.${ext}`), block.code);
          const args = block.marker === 'run: node --test' ? ['--test', '--test-reporter=dot'] : [];
          await run(process.execPath, ['--import', 'tsx', ...args, `block.${ext}`], dir, env);
        }
      } finally {
        await emu.close();
        await rm(dir, { recursive: true, force: true });
      }
    });
  }
});
