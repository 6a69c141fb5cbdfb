/**
 * Refresh storm: 8 processes x 100 concurrent calls start with an expired access token in the shared MySQL
 * table; how many token refreshes does the emulator receive? Ours (the legacy facade on the MySQL store,
 * cross-process GET_LOCK) vs zcrmsdk 0.0.20 (on its MySQL store).
 */
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { ZcrmsdkModule } from 'zcrmsdk';
import { drive } from './lib/ipc.js';

const run = promisify(execFile);

export interface StormResult {
  contender: string;
  processes: number;
  callsEach: number;
  refreshes: number;
  ok: number;
  failed: number;
}

interface EmulatorReady {
  url: string;
  ca: string;
  client: { clientId: string; clientSecret: string; redirectUri: string };
  recordIds: string[];
}

export async function benchStorm(options: { processes: number; calls: number }): Promise<StormResult[]> {
  const emu = await drive<EmulatorReady>(join(__dirname, 'lib/emulator-process.ts'));
  const { url, ca, client, recordIds } = emu.ready;
  const sdk = require('zcrmsdk') as ZcrmsdkModule;
  const results: StormResult[] = [];
  try {
    await sdk.initialize({
      client_id: client.clientId, client_secret: client.clientSecret, redirect_url: client.redirectUri,
      iamurl: url, base_url: url, ca, mysql_username: 'root', mysql_password: '',
    });
    const store = new sdk.MySQLTokenStore({ host: '127.0.0.1', user: 'root', password: '', database: 'zohooauth' });
    for (const contender of ['ours', 'zcrmsdk-0.0.20']) {
      const user = `storm-${contender}-${process.pid}@example.com`;
      await sdk.generateAuthTokens(user, await emu.call<string>('grant'));
      const token = await store.get(user);
      if (!token) throw new Error('storm: the grant did not reach the store');
      // Expired for every worker: in the shared row, and at the emulator.
      await store.save({ ...token, expiresAt: Date.now() - 60_000 });
      await emu.call('expire');
      await emu.call('resetLog');
      const script = join(__dirname, 'lib/storm-worker.ts');
      const args = [contender, url, ca, client.clientId, client.clientSecret, client.redirectUri, user, recordIds[0] as string, String(options.calls)];
      const outs = await Promise.all(
        Array.from({ length: options.processes }, () => run(process.execPath, ['--import', 'tsx', script, ...args], { maxBuffer: 1 << 20, timeout: 120_000 }).then((r) => r.stdout, (e: { stdout?: string }) => e.stdout ?? '')),
      );
      let ok = 0;
      let failed = 0;
      for (const out of outs) {
        const line = out.trim().split('\n').at(-1) ?? '';
        try {
          const r = JSON.parse(line) as { ok: number; failed: number };
          ok += r.ok;
          failed += r.failed;
        } catch {
          failed += options.calls;
        }
      }
      const refreshes = await emu.call<number>('tokenRequests');
      results.push({ contender, processes: options.processes, callsEach: options.calls, refreshes, ok, failed });
      await store.delete(user);
    }
    await store.close?.();
    return results;
  } finally {
    await emu.close();
  }
}

if (require.main === module) {
  benchStorm({ processes: 8, calls: 100 }).then(
    (rows) => {
      for (const r of rows) console.log(`${r.contender.padEnd(16)} ${r.processes}x${r.callsEach}: ${r.refreshes} token refreshes (${r.ok} ok, ${r.failed} failed)`);
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
