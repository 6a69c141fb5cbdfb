import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const ROOT = join(__dirname, '..', '..');
const DRIVERS = ['mysql2', 'pg', 'ioredis', 'better-sqlite3'];

test('a cold require("zcrmsdk") loads no database driver, and building every store still loads none until first use', (t) => {
  if (!existsSync(join(ROOT, 'dist', 'index.js'))) return t.skip('dist/ is missing: run `npm run build` first');
  const script = `
    const sdk = require(${JSON.stringify(join(ROOT, 'dist', 'index.js'))});
    const loaded = () => Object.keys(require.cache).filter((f) => /node_modules[\\\\/](${DRIVERS.join('|')})[\\\\/]/.test(f)).map((f) => f.split(/node_modules[\\\\/]/).pop().split(/[\\\\/]/)[0]);
    const cold = loaded();
    new sdk.MySQLTokenStore({});
    new sdk.PostgresTokenStore({ connectionString: 'postgres://127.0.0.1/x' });
    new sdk.SQLiteTokenStore({ path: '/nonexistent/x.sqlite' });
    new sdk.FileTokenStore({ path: '/nonexistent/x.json' });
    const built = loaded();
    console.log(JSON.stringify({ cold, built: [...new Set(built)] }));
  `;
  const out = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as { cold: string[]; built: string[] };
  assert.deepEqual(out, { cold: [], built: [] });
});
