/**
 * Memory while iterating: peak RSS of a process that iterates 10,000 and then 100,000 records with the
 * modern client (`for await`), against an emulator holding 100,000 Leads; the ratio 100k / 10k.
 */
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { drive } from './lib/ipc.js';

const run = promisify(execFile);

export interface MemoryResult {
  small: number;
  large: number;
  smallRssMiB: number;
  largeRssMiB: number;
  ratio: number;
}

interface EmulatorReady {
  url: string;
  ca: string;
  client: { clientId: string; clientSecret: string };
}

export async function benchMemory(small = 10_000, large = 100_000): Promise<MemoryResult> {
  const emu = await drive<EmulatorReady>(join(__dirname, 'lib/emulator-process.ts'), [], { BENCH_RECORDS: String(large) });
  try {
    const { url, ca, client } = emu.ready;
    const once = async (count: number): Promise<number> => {
      const grant = await emu.call<string>('grant');
      const script = join(__dirname, 'lib/iterate-worker.ts');
      const { stdout } = await run(process.execPath, ['--import', 'tsx', script, url, ca, client.clientId, client.clientSecret, grant, String(count)], { timeout: 600_000 });
      const r = JSON.parse(stdout.trim().split('\n').at(-1) as string) as { seen: number; maxRssMiB: number };
      if (r.seen !== count) throw new Error(`iterated ${r.seen} of ${count} records`);
      return r.maxRssMiB;
    };
    const smallRssMiB = await once(small);
    const largeRssMiB = await once(large);
    return { small, large, smallRssMiB, largeRssMiB, ratio: largeRssMiB / smallRssMiB };
  } finally {
    await emu.close();
  }
}

if (require.main === module) {
  benchMemory().then(
    (r) => console.log(`iterate ${r.small}: ${r.smallRssMiB.toFixed(0)} MiB, ${r.large}: ${r.largeRssMiB.toFixed(0)} MiB peak RSS; ratio ${r.ratio.toFixed(2)}`),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
