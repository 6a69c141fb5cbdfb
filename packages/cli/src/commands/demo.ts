/**
 * `zcrm demo`: the guided tour. Starts the emulator in this process, takes a grant code, exchanges it,
 * keeps the tokens in an embedded file store (FileTokenStore), then lists Leads, creates one, searches it, uploads and
 * downloads an attachment, runs COQL and deletes it, printing each step.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import type * as EmulatorPackage from '@zcrmsdk/emulator';
import { FileTokenStore, ZohoCRM } from 'zcrmsdk';
import type { Runner } from '../program.js';
import { DEFAULT_CLI_SCOPES } from './emulator.js';

interface Step {
  step: string;
  result: string;
}

export function registerDemo(program: Command, run: Runner): void {
  program
    .command('demo')
    .description('a guided tour of the SDK against an in-process Zoho emulator (no account, no setup)')
    .option('--seed <n>', 'seed of the generated records', '1')
    .action((flags: { seed: string }, cmd: Command) =>
      run(cmd, async (ctx) => {
        const out = ctx.out;
        const steps: Step[] = [];
        const say = (step: string, result: string) => {
          steps.push({ step, result });
          out.line(`${out.style('green', '✓')} ${out.style('bold', step)}: ${result}`);
        };
        const { startEmulator } = require('@zcrmsdk/emulator') as typeof EmulatorPackage;
        const emu = await startEmulator({ port: 0, seed: Number(flags.seed) || 1 });
        const dir = await mkdtemp(join(tmpdir(), 'zcrm-demo-'));
        const crm = new ZohoCRM({
          clientId: emu.client.clientId,
          clientSecret: emu.client.clientSecret,
          accountsUrl: emu.url,
          apiUrl: emu.url,
          userId: 'demo@example.com',
          tokenStore: new FileTokenStore({ path: join(dir, 'tokens.json') }),
        });
        try {
          say('Emulator', `Zoho Accounts + CRM listening on ${emu.url} (in this process)`);
          const grant = await emu.grantToken({ scope: DEFAULT_CLI_SCOPES });
          say('Grant code', 'issued by the emulator, as the Zoho API console issues a self-client code');
          const token = await crm.generateTokens(grant);
          say('Tokens', `exchanged and stored in an embedded file store (${join(dir, 'tokens.json')}, mode 0600, no server); access token valid until ${new Date(token.expiresAt).toISOString()}`);

          const leads = (await crm.records('Leads').list({ per_page: 5, fields: ['Full_Name', 'Company', 'Email'] })).data;
          say('List Leads', `${leads.length} of the seeded leads:`);
          out.table(leads, ['id', 'Full_Name', 'Company', 'Email']);

          const email = `ada.${Date.now()}@example.com`;
          const [created] = await crm.records('Leads').create([{ First_Name: 'Ada', Last_Name: 'Lovelace', Company: 'Analytical Engines', Email: email }]);
          if (!created || created.status !== 'success' || !created.id) throw new Error(`Creating the demo lead failed: ${created?.code} ${created?.message}`);
          const id = created.id;
          say('Create', `lead ${id} (Ada Lovelace, ${email})`);

          const found = await crm.records('Leads').search({ email });
          say('Search', `email ${email} found ${found.data.length} record: ${String(found.data[0]?.['Full_Name'] ?? 'none')}`);

          const content = Buffer.from('Notes on the Analytical Engine\n');
          const attachments = crm.attachments('Leads', id);
          const uploaded = await attachments.upload(content, { filename: 'engine-notes.txt', contentType: 'text/plain' });
          const attachmentId = uploaded.id;
          const download = await attachments.download(attachmentId ?? '');
          const chunks: Buffer[] = [];
          for await (const chunk of download.body) chunks.push(Buffer.from(chunk as Uint8Array));
          const same = Buffer.concat(chunks).equals(content);
          say('Attachment', `uploaded engine-notes.txt (${content.length} bytes) as ${attachmentId}, downloaded ${download.filename ?? 'it'} back: ${same ? 'identical' : 'DIFFERENT'}`);

          const row = (await crm.coql(`select Last_Name, Company, Email from Leads where Email = '${email}'`)).data[0];
          say('COQL', `select Last_Name, Company from Leads where Email = '…' → ${row ? `${String(row['Last_Name'])} at ${String(row['Company'])}` : 'no row'}`);

          const [deleted] = await crm.records('Leads').delete([id]);
          say('Delete', `lead ${id}: ${deleted?.status ?? 'no reply'}`);
          say('Requests', `the emulator received ${emu.requests.length} requests (emulator.requests lists them)`);
          if (out.json) out.result({ emulator: emu.url, steps });
          else {
            out.line('');
            out.line('Next: `zcrm emulator` runs one to point the CLI and your code at; `zcrm --help` lists the commands.');
          }
        } finally {
          await crm.close();
          await emu.close();
          await rm(dir, { recursive: true, force: true });
        }
      }),
    );
}
