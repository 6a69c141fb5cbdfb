/**
 * Emulator throughput on `GET /crm/v8/Leads/{id}`: the same request against two emulators, each in a process of
 * its own, one validating requests (the default) and one with `validateRequests: false`; rounds alternate
 * between them at concurrency 1 and 64 over an undici keep-alive pool, and the ratio of the medians is the
 * cost of validation (issue 16: a drop of at most 10%). A third emulator column, `GET /crm/v2/Leads/{id}`
 * on the validating one, shows the hand-written router the v8 spec router hands the read to.
 * Run alone: node --import tsx bench/emulator-throughput.ts (or BENCH_ONLY=emulator npm run bench).
 */
import { join } from 'node:path';
import { Pool } from 'undici';
import { drive, median, type Driven } from './lib/ipc.js';

/** The budget: throughput with validation on ÷ throughput with it off. */
export const MIN_VALIDATION_THROUGHPUT_RATIO = 0.9;

const WARMUP_REQUESTS = 300;

interface EmulatorReady {
  url: string;
  client: { clientId: string; clientSecret: string };
  recordIds: string[];
}

interface Target {
  label: 'validated' | 'unvalidated' | 'v2';
  url: string;
  path: string;
  token: string;
}

export interface EmulatorThroughput {
  concurrency: number;
  /** Median requests/s by target. */
  validated: number;
  unvalidated: number;
  v2: number;
  /** validated ÷ unvalidated. */
  ratio: number;
}

async function accessToken(emu: Driven<EmulatorReady>): Promise<string> {
  const code = await emu.call<string>('grant');
  const { url, client } = emu.ready;
  const body = new URLSearchParams({ grant_type: 'authorization_code', client_id: client.clientId, client_secret: client.clientSecret, code });
  const res = await fetch(`${url}/oauth/v2/token`, { method: 'POST', body });
  return ((await res.json()) as { access_token: string }).access_token;
}

/** Requests/s of one target for `seconds` at `concurrency`, after a warm-up; any non-200 fails the bench. */
async function round(target: Target, concurrency: number, seconds: number): Promise<number> {
  const pool = new Pool(target.url, { connections: concurrency, pipelining: 1 });
  const headers = { authorization: `Zoho-oauthtoken ${target.token}` };
  const once = async (): Promise<void> => {
    const res = await pool.request({ method: 'GET', path: target.path, headers });
    await res.body.arrayBuffer();
    if (res.statusCode !== 200) throw new Error(`GET ${target.path} answered ${res.statusCode}`);
  };
  try {
    for (let i = 0; i < WARMUP_REQUESTS; i++) await once();
    let done = 0;
    const started = performance.now();
    const deadline = started + seconds * 1000;
    const worker = async (): Promise<void> => {
      while (performance.now() < deadline) {
        await once();
        done += 1;
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return done / ((performance.now() - started) / 1000);
  } finally {
    await pool.close();
  }
}

export async function benchEmulator(options: { rounds: number; seconds: number; concurrencies: number[] }): Promise<EmulatorThroughput[]> {
  const script = join(__dirname, 'lib/emulator-process.ts');
  const on = await drive<EmulatorReady>(script, [], { BENCH_HTTP: '1', BENCH_VALIDATE: '1' });
  const off = await drive<EmulatorReady>(script, [], { BENCH_HTTP: '1', BENCH_VALIDATE: '0' });
  try {
    const targets: Target[] = [
      { label: 'validated', url: on.ready.url, path: `/crm/v8/Leads/${on.ready.recordIds[0]}`, token: await accessToken(on) },
      { label: 'unvalidated', url: off.ready.url, path: `/crm/v8/Leads/${off.ready.recordIds[0]}`, token: await accessToken(off) },
    ];
    targets.push({ ...targets[0]!, label: 'v2', path: `/crm/v2/Leads/${on.ready.recordIds[0]}` });
    const results: EmulatorThroughput[] = [];
    for (const concurrency of options.concurrencies) {
      const samples = new Map<Target['label'], number[]>();
      for (let r = 0; r < options.rounds; r++) {
        // Rotate the order each round so neither emulator always runs first.
        for (let i = 0; i < targets.length; i++) {
          const target = targets[(i + r) % targets.length]!;
          samples.set(target.label, [...(samples.get(target.label) ?? []), await round(target, concurrency, options.seconds)]);
        }
      }
      const validated = median(samples.get('validated') ?? [NaN]);
      const unvalidated = median(samples.get('unvalidated') ?? [NaN]);
      results.push({ concurrency, validated, unvalidated, v2: median(samples.get('v2') ?? [NaN]), ratio: validated / unvalidated });
    }
    return results;
  } finally {
    await Promise.all([on.close(), off.close()]);
  }
}

if (require.main === module) {
  benchEmulator({ rounds: Number(process.env['BENCH_ROUNDS'] ?? 5), seconds: Number(process.env['BENCH_SECONDS'] ?? 2), concurrencies: [1, 64] }).then(
    (results) => {
      for (const r of results) {
        console.log(`GET /crm/v8/Leads/{id}, c=${r.concurrency}: validated ${r.validated.toFixed(0)} req/s, unvalidated ${r.unvalidated.toFixed(0)} req/s, ratio ${r.ratio.toFixed(2)} (bar ≥ ${MIN_VALIDATION_THROUGHPUT_RATIO}); v2 route ${r.v2.toFixed(0)} req/s`);
        if (r.ratio < MIN_VALIDATION_THROUGHPUT_RATIO) process.exitCode = 1;
      }
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
