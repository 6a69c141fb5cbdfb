/**
 * Writes: 1,000 Leads created in chunks of 100, the modern client (`crm.records('Leads').create(records)`)
 * vs raw `undici.request` POSTs of the same chunks with a fixed token; alternating rounds, median ratio.
 */
import { join } from 'node:path';
import { Agent, request } from 'undici';
import type { ZcrmsdkModule } from 'zcrmsdk';
import { drive, median } from './lib/ipc.js';

export interface WriteResult {
  records: number;
  oursMs: number;
  rawMs: number;
  ratio: number;
}

interface EmulatorReady {
  url: string;
  ca: string;
  client: { clientId: string; clientSecret: string };
}

const leads = (round: number, n: number): Record<string, string>[] =>
  Array.from({ length: n }, (_, i) => ({ Last_Name: `Bench${round}-${i}`, Company: 'Bench Inc', Email: `bench${round}-${i}@example.com` }));

export async function benchWrite(rounds = 5, records = 1_000): Promise<WriteResult> {
  const emu = await drive<EmulatorReady>(join(__dirname, 'lib/emulator-process.ts'), [], { BENCH_RECORDS: '10' });
  const { ZohoCRM } = require('zcrmsdk') as ZcrmsdkModule;
  const { url, ca, client } = emu.ready;
  const crm = new ZohoCRM({ clientId: client.clientId, clientSecret: client.clientSecret, accountsUrl: url, apiUrl: url, ca, apiVersion: 'v8' });
  const dispatcher = new Agent({ connections: 8, connect: { ca } });
  try {
    await crm.generateTokens(await emu.call<string>('grant'));
    const tokenReply = await request(`${url}/oauth/v2/token`, {
      method: 'POST',
      dispatcher,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', client_id: client.clientId, client_secret: client.clientSecret, code: await emu.call<string>('grant') }).toString(),
    });
    const { access_token: token } = (await tokenReply.body.json()) as { access_token: string };
    const ours: number[] = [];
    const raw: number[] = [];
    const runOurs = async (round: number): Promise<void> => {
      const t = performance.now();
      const results = await crm.records('Leads').create(leads(round, records));
      if (results.filter((r) => r.status === 'success').length !== records) throw new Error('ours: some creates failed');
      ours.push(performance.now() - t);
    };
    const runRaw = async (round: number): Promise<void> => {
      const all = leads(round + 1000, records);
      const t = performance.now();
      for (let i = 0; i < all.length; i += 100) {
        const res = await request(`${url}/crm/v8/Leads`, {
          method: 'POST',
          dispatcher,
          headers: { authorization: `Zoho-oauthtoken ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ data: all.slice(i, i + 100) }),
        });
        await res.body.json();
        if (res.statusCode !== 201) throw new Error(`raw: HTTP ${res.statusCode}`);
      }
      raw.push(performance.now() - t);
    };
    await runOurs(-1);
    await runRaw(-1);
    for (let round = 0; round < rounds; round++) {
      if (round % 2) {
        await runRaw(round);
        await runOurs(round);
      } else {
        await runOurs(round);
        await runRaw(round);
      }
    }
    const oursMs = median(ours);
    const rawMs = median(raw);
    // Throughput ratio (ours ÷ raw, higher is better) = raw time ÷ our time.
    return { records, oursMs, rawMs, ratio: rawMs / oursMs };
  } finally {
    await crm.close();
    await dispatcher.close();
    await emu.close();
  }
}

if (require.main === module) {
  benchWrite().then(
    (r) => console.log(`create ${r.records} in chunks of 100: ours ${r.oursMs.toFixed(0)} ms, raw ${r.rawMs.toFixed(0)} ms, ratio ${r.ratio.toFixed(2)}`),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
