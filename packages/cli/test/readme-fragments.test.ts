/**
 * README fragments marked `<!-- run: with crm -->` (see readme-blocks.ts): one process sets up what the guide's
 * sections describe, then imports each fragment in turn (so its own imports work) and reports each result.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { run, toRun, withEmulator } from './readme-blocks.js';

const RUNNER = `
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
const firstId = async (module) => (await crm.records(module).list({ fields: ['id'], per_page: 1 })).data[0].id;
await mkdir('downloads', { recursive: true });
await writeFile('proposal.pdf', '%PDF-1.4 readme');
await writeFile('contract.pdf', '%PDF-1.4 contract');
await writeFile('face.png', Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'));
await writeFile('leads.csv', 'Last_Name,Company,Email\\nNew,Acme,new@example.com\\n');
const counters = [];
Object.assign(globalThis, zcrmsdk, {
  emu, crm, leads, createWriteStream,
  accountId: await firstId('Accounts'), productId: await firstId('Products'),
  userId: (await crm.users({ type: 'CurrentUser' })).data[0].id,
  clientId: emu.client.clientId, clientSecret: emu.client.clientSecret,
  metrics: { increment: (...a) => counters.push(a), timing: (...a) => counters.push(a) },
});
const results = [];
for (const [i, file] of process.argv.slice(2).entries()) {
  // Each fragment gets a lead (with an attachment) of its own: one converts it, another deletes records.
  globalThis.leadId = (await leads.create([{ Last_Name: 'Readme ' + i, Company: 'Acme' }]))[0].id;
  globalThis.attachmentId = (await crm.attachments('Leads', globalThis.leadId).upload(Buffer.from('hello'), { filename: 'hello.txt' })).id;
  try {
    await import(pathToFileURL(file).href);
    results.push({ ok: true });
  } catch (error) {
    results.push({ ok: false, error: String(error?.stack ?? error) });
  }
}
await writeFile('results.json', JSON.stringify(results));
await crm.close();
await emu.close();
// Fragments are the middle of a program: what they leave open (their own emulator, a timer) ends here.
process.exit(0);
`;

const fragments = toRun('run: with crm', ['js', 'ts']);

describe('README fragments, run after the set-up their section describes', () => {
  let results: { ok: boolean; error?: string }[] = [];

  before(async () => {
    await withEmulator(async (dir, env) => {
      const files = await Promise.all(
        fragments.map(async (b, i) => {
          const file = join(dir, `fragment-${i}.${b.lang === 'ts' ? 'mts' : 'mjs'}`);
          await writeFile(file, b.code);
          return file;
        }),
      );
      await writeFile(join(dir, 'runner.mjs'), RUNNER);
      await run(process.execPath, ['--import', 'tsx', 'runner.mjs', ...files], dir, env);
      results = JSON.parse(await readFile(join(dir, 'results.json'), 'utf8')) as typeof results;
    });
  });

  for (const [i, block] of fragments.entries()) {
    it(`${block.file}:${block.line} runs`, () => {
      const result = results[i];
      assert.ok(result?.ok, result?.error ?? 'the runner did not get to it');
    });
  }
});
