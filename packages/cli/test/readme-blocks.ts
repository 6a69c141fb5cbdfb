/**
 * The code blocks of the READMEs (the repository's and each package's) that a user would copy, and how to run
 * them against the emulator. The line before each ```js, ```ts and ```sh block says how (an HTML comment,
 * invisible on npm and GitHub):
 *
 * - `<!-- run -->`: a whole script. It gets the emulator's URL, client and a grant code in the variables
 *   `zcrm emulator` prints (`ZCRM_ACCOUNTS_URL`, `ZCRM_API_URL`, `ZCRM_CLIENT_ID`, `ZCRM_CLIENT_SECRET`,
 *   `ZCRM_GRANT_CODE`), so the same text runs against Zoho with Zoho's values. `sh` blocks run in bash with
 *   `npx zcrm` resolving to the built CLI (readme-sh.test.ts).
 * - `<!-- run: node --test -->`: a test file, run with `node --test`.
 * - `<!-- run: with crm -->`: a fragment of a guide section, run after the set-up that section describes
 *   (readme-fragments.test.ts): `crm` (a signed-in v8 client on a seeded emulator, `emu`), `leads`
 *   (`crm.records('Leads')`), record ids `leadId` and `attachmentId` (a fresh lead with an attachment per
 *   fragment), `accountId`, `productId`, `userId`, `clientId`/`clientSecret`, a `metrics` sink, a Zoho function `my_function`,
 *   every export of zcrmsdk, `createWriteStream`, and the files it names (`./proposal.pdf`, `./face.png`,
 *   `./contract.pdf`, `./leads.csv`, `./downloads/`) in the working directory.
 * - `<!-- not run: why -->`: needs what a test cannot have (a Zoho account, the registry, a second terminal).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { startEmulator } from '@zcrmsdk/emulator';

const exec = promisify(execFile);
export const ROOT = resolve(__dirname, '..', '..', '..');
const READMES = ['README.md', 'packages/zcrmsdk/README.md', 'packages/emulator/README.md', 'packages/cli/README.md'];
/** The languages a user copies and runs; every block in one of them needs a marker. */
export const CHECKED = new Set(['js', 'ts', 'sh']);

export interface Block {
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

/** Every fenced block of every README. */
export const blocks: Block[] = READMES.flatMap((f) => blocksOf(f, readFileSync(join(ROOT, f), 'utf8')));

/** The blocks to run with `marker`, in `langs`. */
export function toRun(marker: string, langs: readonly string[]): Block[] {
  return blocks.filter((b) => b.marker === marker && langs.includes(b.lang));
}

/** Runs `args` with a deadline, failing with the output when it exits non-zero. */
export async function run(file: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  try {
    const { stdout } = await exec(file, args, { cwd, env: { ...process.env, ...env }, timeout: 100_000, maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${e.message}\n--- stdout\n${e.stdout ?? ''}\n--- stderr\n${e.stderr ?? ''}`);
  }
}

/**
 * A temporary folder inside the repository (so `zcrmsdk` and `@zcrmsdk/emulator` resolve as installed
 * packages do) and a fresh emulator with its values in the `ZCRM_*` variables; both go away after `body`.
 */
export async function withEmulator<T>(body: (dir: string, env: NodeJS.ProcessEnv) => Promise<T>): Promise<T> {
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
    return await body(dir, env);
  } finally {
    await emu.close();
    await rm(dir, { recursive: true, force: true });
  }
}
