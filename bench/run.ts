/**
 * `npm run bench`: every benchmark in one run, a table of ratios on stdout, and bench/RESULTS.md rewritten
 * with the table, the date and the machine. Knobs: BENCH_ROUNDS, BENCH_SECONDS (GET), BENCH_PAIRS (cold
 * require), BENCH_ONLY=get,write,storm,memory,cold,install,emulator (a subset).
 */
import { join } from 'node:path';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, type } from 'node:os';
import { MAX_COLD_REQUIRE_RATIO, benchColdRequire } from './cold-require.js';
import { MIN_VALIDATION_THROUGHPUT_RATIO, benchEmulator } from './emulator-throughput.js';
import { benchGet } from './get.js';
import { MAX_INSTALL_BYTES, MAX_INSTALL_PACKAGES, benchInstall } from './install-footprint.js';
import { benchMemory } from './memory.js';
import { benchStorm } from './refresh-storm.js';
import { benchWrite } from './write.js';

/** `npm run bench` rewrites RESULTS.md above this line and keeps what follows it (earlier runs, other measurements). */
const KEEP_MARKER = '<!-- npm run bench rewrites the part above this line and keeps the rest -->';

interface Row {
  bench: string;
  measured: string;
  ratio: string;
  target: string;
}

const SECTIONS = ['get', 'write', 'storm', 'memory', 'cold', 'install', 'emulator'];
const only = new Set(process.env['BENCH_ONLY']?.split(',') ?? SECTIONS);
const rows: Row[] = [];
const fixed = (n: number, d = 2): string => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');

async function section(name: string, fn: () => Promise<void> | void): Promise<void> {
  if (!only.has(name)) return;
  const started = Date.now();
  try {
    await fn();
  } catch (error) {
    rows.push({ bench: name, measured: `failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`, ratio: 'n/a', target: '' });
  }
  console.error(`bench: ${name} took ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

async function main(): Promise<void> {
  await section('get', async () => {
    const results = await benchGet({ rounds: Number(process.env['BENCH_ROUNDS'] ?? 5), seconds: Number(process.env['BENCH_SECONDS'] ?? 2), concurrencies: [1, 64] });
    for (const r of results) {
      if (r.contender === 'raw') {
        rows.push({ bench: `GET one record, c=${r.concurrency}: raw undici.request (fixed token)`, measured: `${r.perSecond.toFixed(0)} calls/s`, ratio: '1.00', target: '' });
        continue;
      }
      const label = { modern: 'ZohoCRM (modern client)', legacy: 'ZCRMRestClient facade, MySQL store', 'zcrmsdk-0.0.20': 'zcrmsdk 0.0.20, its MySQL store', 'nodejs-sdk-2.0': '@zohocrm/nodejs-sdk-2.0' }[r.contender] ?? r.contender;
      const ours = r.contender === 'modern' || r.contender === 'legacy';
      rows.push({ bench: `GET one record, c=${r.concurrency}: ${label}`, measured: `${r.perSecond.toFixed(0)} calls/s`, ratio: fixed(r.ratio), target: ours ? '≥ 0.90' : '' });
    }
  });
  await section('write', async () => {
    const r = await benchWrite();
    rows.push({ bench: `create ${r.records} records in chunks of 100: ours vs raw`, measured: `${r.oursMs.toFixed(0)} ms vs ${r.rawMs.toFixed(0)} ms`, ratio: fixed(r.ratio), target: '' });
  });
  await section('storm', async () => {
    for (const r of await benchStorm({ processes: 8, calls: 100 })) {
      const who = r.contender === 'ours' ? 'ours (legacy facade, MySQL store)' : 'zcrmsdk 0.0.20';
      rows.push({ bench: `refresh storm ${r.processes}×${r.callsEach}, expired token: ${who}`, measured: `${r.refreshes} token refreshes (${r.ok} ok, ${r.failed} failed)`, ratio: '', target: r.contender === 'ours' ? 'exactly 1' : '' });
    }
  });
  await section('memory', async () => {
    const r = await benchMemory();
    rows.push({ bench: `peak RSS iterating ${r.large} vs ${r.small} records (modern client)`, measured: `${r.largeRssMiB.toFixed(0)} MiB vs ${r.smallRssMiB.toFixed(0)} MiB`, ratio: fixed(r.ratio), target: '≤ 1.20' });
  });
  await section('cold', () => {
    const r = benchColdRequire(Number(process.env['BENCH_PAIRS'] ?? 15));
    rows.push({ bench: "cold require('zcrmsdk') wall time: ours vs zcrmsdk 0.0.20 (paired)", measured: `${r.oursMs.toFixed(0)} ms vs ${r.theirsMs.toFixed(0)} ms`, ratio: fixed(r.timeRatio), target: `≤ ${MAX_COLD_REQUIRE_RATIO.toFixed(2)}` });
    rows.push({ bench: "cold require('zcrmsdk') peak RSS: ours vs zcrmsdk 0.0.20", measured: `${r.oursRssMiB.toFixed(0)} MiB vs ${r.theirsRssMiB.toFixed(0)} MiB (${r.oursModules} vs ${r.theirsModules} modules)`, ratio: fixed(r.rssRatio), target: '' });
  });
  await section('install', () => {
    const r = benchInstall();
    rows.push({ bench: 'fresh npm install of the packed zcrmsdk tarball', measured: `${r.packages} packages, ${(r.bytes / 1e6).toFixed(1)} MB (${(r.diskBytes / 1e6).toFixed(1)} MB on disk)`, ratio: '', target: `≤ ${MAX_INSTALL_PACKAGES} packages, ≤ ${MAX_INSTALL_BYTES / 1e6} MB` });
  });

  await section('emulator', async () => {
    const results = await benchEmulator({ rounds: Number(process.env['BENCH_ROUNDS'] ?? 5), seconds: Number(process.env['BENCH_SECONDS'] ?? 2), concurrencies: [1, 64] });
    for (const r of results) {
      rows.push({ bench: `emulator GET /crm/v8/Leads/{id}, c=${r.concurrency}: validation on vs off (v2 route: ${r.v2.toFixed(0)} req/s)`, measured: `${r.validated.toFixed(0)} vs ${r.unvalidated.toFixed(0)} req/s`, ratio: fixed(r.ratio), target: `≥ ${MIN_VALIDATION_THROUGHPUT_RATIO.toFixed(2)}` });
    }
  });

  const header = '| benchmark | measured | ratio | target |\n|---|---|---|---|';
  const table = [header, ...rows.map((r) => `| ${r.bench} | ${r.measured} | ${r.ratio} | ${r.target} |`)].join('\n');
  console.log(table);
  if (SECTIONS.every((name) => only.has(name))) {
    const cpu = cpus();
    const machine = `${type()} ${process.arch}, ${cpu.length} × ${cpu[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
    // Rewrites the head of RESULTS.md (this run's table); the sections after the marker are kept.
    const file = join(__dirname, 'RESULTS.md');
    const previous = existsSync(file) ? readFileSync(file, 'utf8') : '';
    const at = previous.indexOf(KEEP_MARKER);
    const tail = at === -1 ? `${KEEP_MARKER}\n` : previous.slice(at);
    writeFileSync(
      file,
      `# Benchmark results\n\nLast run: ${new Date().toISOString()} on ${machine}.\nCommand: \`npm run bench\` (medians of alternating rounds; ratios are ours ÷ raw or ours ÷ theirs).\n\n${table}\n\n${tail}`,
    );
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
