/**
 * Cold start: `require('zcrmsdk')` loads what the legacy client needs to start and nothing more (issue 14's bar
 * is a cold require at most 0.6× zcrmsdk 0.0.20's; `npm run bench` measures the time, this checks the cause:
 * how many of our modules load). Every named export still resolves, from the default export and from the
 * module object, and naming one loads its module then.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const DIST = join(__dirname, '..', '..', 'dist');

/** Our modules a cold require may load (48 today: the client, its transport, records, legacy facade). */
const MAX_COLD_MODULES = 50;

/** Layers a program only pays for when it names them. */
const DEFERRED = ['stores/mysql-store.js', 'stores/file-store.js', 'stores/redis-store.js', 'notifications/handler.js', 'notifications/dedupe.js', 'api/bulk.js', 'api/composite.js', 'internal/zip.js'];

function run(script: string): unknown {
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
}

test('a cold require("zcrmsdk") loads at most MAX_COLD_MODULES of our modules and none of the deferred layers', (t) => {
  if (!existsSync(join(DIST, 'index.js'))) return t.skip('dist/ is missing: run `npm run build` first');
  const ours = `Object.keys(require.cache).filter((f) => f.startsWith(${JSON.stringify(DIST)})).map((f) => f.slice(${DIST.length + 1}).split('\\\\').join('/'))`;
  const loaded = run(`require(${JSON.stringify(join(DIST, 'index.js'))}); console.log(JSON.stringify(${ours}))`) as string[];
  assert.ok(loaded.length <= MAX_COLD_MODULES, `${loaded.length} modules: ${loaded.join(' ')}`);
  assert.deepEqual(DEFERRED.filter((m) => loaded.includes(m)), []);
});

test('every named export resolves on both faces of the package, and naming one loads its module', (t) => {
  if (!existsSync(join(DIST, 'index.js'))) return t.skip('dist/ is missing: run `npm run build` first');
  const out = run(`
    const index = ${JSON.stringify(join(DIST, 'index.js'))};
    const before = Object.keys(require.cache).some((f) => f.endsWith('redis-store.js'));
    const sdk = require(index);
    const { RedisTokenStore } = sdk;
    const after = Object.keys(require.cache).some((f) => f.endsWith('redis-store.js'));
    const api = require(${JSON.stringify(join(DIST, 'public-api.js'))});
    const names = Object.keys(api);
    const missing = names.filter((n) => sdk[n] === undefined || sdk[n] !== api[n]);
    sdk.ZohoCRM = sdk.ZohoCRM;
    console.log(JSON.stringify({ before, after, isClass: typeof RedisTokenStore, count: names.length, missing, hidden: Object.keys(sdk).filter((k) => names.includes(k)) }));
  `) as { before: boolean; after: boolean; isClass: string; count: number; missing: string[]; hidden: string[] };
  assert.deepEqual(out.missing, []);
  assert.ok(out.count > 100, `only ${out.count} named exports`);
  assert.deepEqual({ before: out.before, after: out.after, isClass: out.isClass, hidden: out.hidden }, { before: false, after: true, isClass: 'function', hidden: [] });
});
