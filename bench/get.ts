/**
 * Single-record GET calls per second at concurrency 1 and 64, every contender against the same HTTPS
 * emulator (its own process), in one run, alternating contenders round by round; medians, as ratios to raw
 * `undici.request` with a fixed token (the limit for any client).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Driven, drive, median } from './lib/ipc.js';

export interface GetResult {
  contender: string;
  concurrency: number;
  perSecond: number;
  ratio: number;
}

interface EmulatorReady {
  url: string;
  ca: string;
  client: { clientId: string; clientSecret: string; redirectUri: string };
  recordIds: string[];
}

export const CONTENDERS = ['raw', 'modern', 'legacy', 'zcrmsdk-0.0.20', 'nodejs-sdk-2.0'] as const;

export async function benchGet(options: { rounds: number; seconds: number; concurrencies: number[]; contenders?: readonly string[] }): Promise<GetResult[]> {
  const names = options.contenders ?? CONTENDERS;
  const dir = await mkdtemp(join(tmpdir(), 'zcrm-bench-'));
  const emu = await drive<EmulatorReady>(join(__dirname, 'lib/emulator-process.ts'));
  const workers: [string, Driven][] = [];
  try {
    const { url, ca, client, recordIds } = emu.ready;
    for (const name of names) {
      const w = await drive(join(__dirname, 'lib/get-contender.ts'), [name]);
      workers.push([name, w]);
      const grant = await emu.call<string>('grant');
      const wdir = join(dir, name);
      await import('node:fs/promises').then((fs) => fs.mkdir(wdir));
      await w.call('setup', { url, ca, ...client, grant, recordId: recordIds[0], user: `bench-${name}@example.com`, dir: wdir });
    }
    const samples = new Map<string, number[]>();
    for (const concurrency of options.concurrencies) {
      for (let round = 0; round < options.rounds; round++) {
        // Rotate the order each round so no contender always runs first or last.
        const order = workers.map((_, i) => workers[(i + round) % workers.length] as [string, Driven]);
        for (const [name, w] of order) {
          const r = await w.call<{ perSecond: number; failed: number }>('round', { concurrency, seconds: options.seconds });
          if (r.failed > 0) console.error(`bench: ${name} at concurrency ${concurrency}: ${r.failed} failed calls`);
          const key = `${name}@${concurrency}`;
          samples.set(key, [...(samples.get(key) ?? []), r.perSecond]);
        }
      }
    }
    const results: GetResult[] = [];
    for (const concurrency of options.concurrencies) {
      const raw = median(samples.get(`raw@${concurrency}`) ?? [NaN]);
      for (const [name] of workers) {
        const perSecond = median(samples.get(`${name}@${concurrency}`) ?? [NaN]);
        results.push({ contender: name, concurrency, perSecond, ratio: perSecond / raw });
      }
    }
    return results;
  } finally {
    for (const [, w] of workers) await w.close();
    await emu.close();
    await rm(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const rounds = Number(process.env['BENCH_ROUNDS'] ?? 5);
  const seconds = Number(process.env['BENCH_SECONDS'] ?? 2);
  benchGet({ rounds, seconds, concurrencies: [1, 64] }).then(
    (rows) => {
      for (const r of rows) console.log(`${r.contender.padEnd(16)} c=${String(r.concurrency).padEnd(3)} ${r.perSecond.toFixed(0).padStart(6)}/s  ${r.ratio.toFixed(2)}x raw`);
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
