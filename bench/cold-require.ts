/**
 * Cold `require('zcrmsdk')` (packages/zcrmsdk's build, through the workspace link) vs `require('zcrmsdk')`
 * 0.0.20: wall time of a fresh `node` process that only requires the package, and its peak RSS, in paired runs
 * (ours, theirs, ours, ...); medians and ratios. Target (issue 14): time ratio ≤ 0.6.
 */
import { spawnSync } from 'node:child_process';
import { median } from './lib/ipc.js';

/** The speed bar: ours ÷ 0.0.20's cold-require wall time. */
export const MAX_COLD_REQUIRE_RATIO = 0.6;

export interface ColdResult {
  oursMs: number;
  theirsMs: number;
  timeRatio: number;
  oursRssMiB: number;
  theirsRssMiB: number;
  rssRatio: number;
  oursModules: number;
  theirsModules: number;
}

const resolve = require.resolve;

function once(path: string): { ms: number; rssMiB: number; modules: number } {
  const code = `require(${JSON.stringify(path)}); const r = process.resourceUsage(); console.log(JSON.stringify({ rss: r.maxRSS, modules: Object.keys(require.cache).length }));`;
  const started = process.hrtime.bigint();
  const out = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (out.status !== 0) throw new Error(`require(${path}) failed: ${out.stderr}`);
  const { rss, modules } = JSON.parse(out.stdout.trim()) as { rss: number; modules: number };
  return { ms, rssMiB: rss / 1024, modules };
}

export function benchColdRequire(pairs: number): ColdResult {
  const ours = require.resolve('zcrmsdk');
  const theirs = resolve('zcrmsdk-legacy');
  once(ours);
  once(theirs);
  const o: ReturnType<typeof once>[] = [];
  const t: ReturnType<typeof once>[] = [];
  for (let i = 0; i < pairs; i++) {
    // Alternate which goes first, so neither always gets the warmer file cache.
    if (i % 2) {
      t.push(once(theirs));
      o.push(once(ours));
    } else {
      o.push(once(ours));
      t.push(once(theirs));
    }
  }
  const oursMs = median(o.map((x) => x.ms));
  const theirsMs = median(t.map((x) => x.ms));
  const oursRssMiB = median(o.map((x) => x.rssMiB));
  const theirsRssMiB = median(t.map((x) => x.rssMiB));
  return {
    oursMs, theirsMs, timeRatio: median(o.map((x, i) => x.ms / (t[i] as typeof x).ms)),
    oursRssMiB, theirsRssMiB, rssRatio: oursRssMiB / theirsRssMiB,
    oursModules: o[0]?.modules ?? 0, theirsModules: t[0]?.modules ?? 0,
  };
}

if (require.main === module) {
  const r = benchColdRequire(Number(process.env['BENCH_PAIRS'] ?? 15));
  if (r.timeRatio > MAX_COLD_REQUIRE_RATIO) process.exitCode = 1;
  console.log(`cold require: ours ${r.oursMs.toFixed(0)} ms / ${r.oursRssMiB.toFixed(0)} MiB / ${r.oursModules} modules; zcrmsdk 0.0.20 ${r.theirsMs.toFixed(0)} ms / ${r.theirsRssMiB.toFixed(0)} MiB / ${r.theirsModules} modules; time ratio ${r.timeRatio.toFixed(2)} (bar ≤ ${MAX_COLD_REQUIRE_RATIO}), RSS ratio ${r.rssRatio.toFixed(2)}`);
}
