/**
 * `node --import tsx bench/cli-export-memory.ts`: peak RSS of `zcrm export` (the built CLI, its own process)
 * for 10,000 and 100,000 Leads to CSV, against one emulator in this process. Flat memory means the ratio
 * stays near 1 (target: within 1.2x). BENCH_SMALL / BENCH_LARGE change the sizes.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startEmulator } from '@zcrmsdk/emulator';

const ROOT = resolve(__dirname, '..');
const CLI = join(ROOT, 'packages', 'cli', 'dist', 'index.js');

function exportRss(env: NodeJS.ProcessEnv, out: string): Promise<number> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['-r', join(ROOT, 'bench', 'lib', 'print-max-rss.cjs'), CLI, 'export', 'Leads', '--out', out, '--fields', 'Last_Name,Email,Company,Owner'], { env });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => {
      const kb = /MAX_RSS_KB=(\d+)/.exec(stderr)?.[1];
      if (code !== 0 || kb === undefined) fail(new Error(`zcrm export exited ${code}: ${stderr}`));
      else done(Number(kb) / 1024);
    });
  });
}

async function main(): Promise<void> {
  const small = Number(process.env['BENCH_SMALL'] ?? 10_000);
  const large = Number(process.env['BENCH_LARGE'] ?? 100_000);
  const emu = await startEmulator({ port: 0, emptyModules: true, refreshThrottle: false, maxRecordedRequests: 100 });
  const dir = await mkdtemp(join(tmpdir(), 'zcrm-bench-export-'));
  try {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env['PATH'],
      ZCRM_CONFIG_DIR: dir,
      ZCRM_ACCOUNTS_URL: emu.url,
      ZCRM_API_URL: emu.url,
      ZCRM_CLIENT_ID: emu.client.clientId,
      ZCRM_CLIENT_SECRET: emu.client.clientSecret,
      ZCRM_API_VERSION: 'v8',
    };
    env['ZCRM_GRANT_CODE'] = await emu.grantToken({ scope: 'ZohoCRM.modules.ALL,ZohoCRM.settings.ALL' });
    const results: { records: number; rssMiB: number; fileMiB: number }[] = [];
    let have = 0;
    for (const n of [small, large]) {
      emu.crm.generate('Leads', n - have);
      have = n;
      const out = join(dir, `leads-${n}.csv`);
      const rssMiB = await exportRss(env, out);
      results.push({ records: n, rssMiB, fileMiB: (await stat(out)).size / 1024 / 1024 });
    }
    for (const r of results) console.log(`zcrm export ${r.records.toLocaleString('en-US')} Leads: peak RSS ${r.rssMiB.toFixed(1)} MiB (CSV ${r.fileMiB.toFixed(1)} MiB)`);
    const ratio = results[1]!.rssMiB / results[0]!.rssMiB;
    console.log(`ratio ${large.toLocaleString('en-US')} / ${small.toLocaleString('en-US')}: ${ratio.toFixed(2)}x (target <= 1.20x)`);
  } finally {
    await rm(dir, { recursive: true, force: true });
    await emu.close();
  }
}

void main();
