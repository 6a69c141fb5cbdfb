/**
 * Emulator throughput: requests/s for a single-record GET at concurrency 1 and 64 over an undici keep-alive
 * pool, and their ratio. Bounded in count and time. Run: node --import tsx bench/emulator-throughput.ts
 */
import { Pool } from 'undici';
import { startEmulator } from '@zcrmsdk/emulator';

const MAX_REQUESTS = Number(process.env['BENCH_MAX_REQUESTS'] ?? 20_000);
const MAX_SECONDS = Number(process.env['BENCH_MAX_SECONDS'] ?? 4);
const WARMUP_REQUESTS = 200;

async function run(url: string, path: string, token: string, concurrency: number): Promise<number> {
  const pool = new Pool(url, { connections: concurrency, pipelining: 1 });
  const headers = { authorization: `Zoho-oauthtoken ${token}` };
  const once = async (): Promise<void> => {
    const res = await pool.request({ method: 'GET', path, headers });
    await res.body.arrayBuffer();
    if (res.statusCode !== 200) throw new Error(`GET ${path} answered ${res.statusCode}`);
  };
  try {
    for (let i = 0; i < WARMUP_REQUESTS; i++) await once();
    let done = 0;
    const started = performance.now();
    const deadline = started + MAX_SECONDS * 1000;
    const worker = async (): Promise<void> => {
      while (done < MAX_REQUESTS && performance.now() < deadline) {
        done += 1;
        await once();
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const seconds = (performance.now() - started) / 1000;
    return done / seconds;
  } finally {
    await pool.close();
  }
}

async function main(): Promise<void> {
  const emu = await startEmulator({ refreshThrottle: false, maxRecordedRequests: 1000 });
  try {
    const code = await emu.grantToken();
    const pool = new Pool(emu.url);
    const res = await pool.request({
      method: 'POST',
      path: '/oauth/v2/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: emu.client.clientId,
        client_secret: emu.client.clientSecret,
        code,
      }).toString(),
    });
    const { access_token: token } = (await res.body.json()) as { access_token: string };
    await pool.close();
    if (emu.crm.records('Leads').length === 0) emu.crm.generate('Leads', 10);
    const id = String(emu.crm.records('Leads')[0]!['id']);
    const path = `/crm/v2/Leads/${id}`;
    const single = await run(emu.url, path, token, 1);
    const parallel = await run(emu.url, path, token, 64);
    console.log(`single-record GET, concurrency 1:  ${single.toFixed(0)} req/s`);
    console.log(`single-record GET, concurrency 64: ${parallel.toFixed(0)} req/s`);
    console.log(`ratio (64 / 1): ${(parallel / single).toFixed(2)}`);
  } finally {
    await emu.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
