import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { build } from 'esbuild';
import mysql from 'mysql2/promise';
import { startEmulator, type Emulator } from '@zcrmsdk/emulator';
import { ALL_SCOPES } from '../helpers/legacy.js';

const run = promisify(execFile);
const REPO = resolve(__dirname, '../../../..');

/** The one addition an ESM bundle needs (for undici, which is CommonJS); the README's Bundling section shows it. */
const ESM_BANNER = "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

/** A modern-client script; it also asks for a store whose driver (pg) the bundle leaves out. */
const MODERN_APP = `import { ZohoCRM, PostgresTokenStore } from 'zcrmsdk';
async function main() {
  const [url, clientId, clientSecret, code] = process.argv.slice(2);
  const crm = new ZohoCRM({ clientId, clientSecret, accountsUrl: url, apiUrl: url });
  await crm.generateTokens(code);
  const [created] = await crm.records('Leads').create([{ Last_Name: 'Bundled', Company: 'Esbuild' }]);
  await crm.close();
  const missing = await new PostgresTokenStore({ connectionString: 'postgres://127.0.0.1:5432/none' }).get('x').catch((e) => e);
  console.log(JSON.stringify({ created, missing: { name: missing.name, code: missing.code, message: missing.message } }));
}
main();
`;

/** zcrmsdk 0.0.x code as its README had it: resources/*.properties, the default MySQL token store. */
const LEGACY_APP = `var ZCRMRestClient = require('zcrmsdk');
ZCRMRestClient.initialize().then(function () {
  return ZCRMRestClient.generateAuthTokens(process.argv[2], process.argv[3]);
}).then(function () {
  return ZCRMRestClient.API.MODULES.get({ module: 'Leads', params: { page: 1, per_page: 2 } });
}).then(function (response) {
  console.log(JSON.stringify({ status: response.statusCode, leads: JSON.parse(response.body).data.length, persistence: ZCRMRestClient.getPersistenceModule() }));
});
`;

/**
 * esbuild --bundle --platform=node of a modern script and of 0.0.x code, as CommonJS and as ESM, each run from a
 * folder with no node_modules against the emulator (and MariaDB for the legacy default store).
 */
describe('bundles: esbuild --platform=node, cjs and esm, run without node_modules', () => {
  let emu: Emulator;
  let dir = '';
  const database = `zcrm_bundle_${process.pid}_${Date.now()}`;
  const bundles = new Map<string, string>();
  before(async () => {
    emu = await startEmulator({ port: 0 });
    dir = await mkdtemp(join(tmpdir(), 'zcrm-bundle-'));
    await mkdir(join(dir, 'src'));
    await mkdir(join(dir, 'app', 'resources'), { recursive: true });
    await writeFile(join(dir, 'src', 'modern.mjs'), MODERN_APP);
    await writeFile(join(dir, 'src', 'legacy.js'), LEGACY_APP);
    const builds = (['cjs', 'esm'] as const).flatMap((format) =>
      (['modern.mjs', 'legacy.js'] as const).map(async (entry) => {
        const name = `${entry.split('.')[0]}-${format}`;
        const outfile = join(dir, 'app', `${name}.${format === 'esm' ? 'mjs' : 'cjs'}`);
        const result = await build({
          entryPoints: [join(dir, 'src', entry)],
          outfile,
          bundle: true,
          platform: 'node',
          format,
          // zcrmsdk resolves as an installed package would (this workspace's node_modules); the optional peers are
          // left out, as they are for a user who did not install them.
          nodePaths: [join(REPO, 'node_modules')],
          external: ['pg', 'ioredis', 'better-sqlite3'],
          logLevel: 'silent',
          ...(format === 'esm' ? { banner: { js: ESM_BANNER } } : {}),
        });
        assert.deepEqual(result.errors, []);
        bundles.set(name, outfile);
      }),
    );
    await Promise.all(builds);
    await writeFile(
      join(dir, 'app', 'resources', 'oauth_configuration.properties'),
      `[zoho]\ncrm.iamurl=${emu.url}\ncrm.clientid=${emu.client.clientId}\ncrm.clientsecret=${emu.client.clientSecret}\ncrm.redirecturl=${emu.client.redirectUri}\n`,
    );
    await writeFile(join(dir, 'app', 'resources', 'configuration.properties'), `[crm]\napi.url=${emu.url}\n[mysql]\nusername=root\npassword=\nhost=127.0.0.1\nport=3306\ndatabase=${database}\n`);
  });
  after(async () => {
    const db = await mysql.createConnection({ host: '127.0.0.1', user: 'root' });
    await db.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await db.end();
    await emu.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('the bundles carry everything: the folder they run from has no node_modules', async () => {
    assert.deepEqual((await readdir(join(dir, 'app'))).sort(), ['legacy-cjs.cjs', 'legacy-esm.mjs', 'modern-cjs.cjs', 'modern-esm.mjs', 'resources']);
  });

  for (const format of ['cjs', 'esm']) {
    it(`modern client, ${format}: creates a lead; a left-out driver says the bundle left it out`, async () => {
      const code = await emu.grantToken({ scope: ALL_SCOPES });
      const bundle = bundles.get(`modern-${format}`)!;
      const { stdout } = await run(process.execPath, [bundle, emu.url, emu.client.clientId, emu.client.clientSecret, code], { cwd: join(dir, 'app'), timeout: 60_000 });
      const out = JSON.parse(stdout) as { created: { status: string; id?: string }; missing: { name: string; code: string; message: string } };
      assert.equal(out.created.status, 'success');
      assert.ok(emu.requests.some((r) => r.method === 'POST' && r.path.endsWith('/Leads') && String(r.body).includes('Esbuild')));
      assert.equal(out.missing.name, 'ConfigError');
      assert.equal(out.missing.code, 'DRIVER_MISSING');
      assert.match(out.missing.message, /^PostgresTokenStore needs the 'pg' package, which this bundle left out/);
    });

    it(`0.0.x code with the default MySQL store, ${format}: tokens in MySQL, leads listed`, async () => {
      const user = `bundle-${format}-${process.pid}@example.com`;
      const grant = await emu.grantToken({ scope: ALL_SCOPES });
      const bundle = bundles.get(`legacy-${format}`)!;
      const { stdout } = await run(process.execPath, [bundle, user, grant], { cwd: join(dir, 'app'), timeout: 60_000 });
      assert.deepEqual(JSON.parse(stdout), { status: 200, leads: 2, persistence: 'zcrmsdk/lib/js/mysql/mysql_util' });
      const db = await mysql.createConnection({ host: '127.0.0.1', user: 'root', database });
      const [rows] = await db.execute('SELECT accesstoken FROM oauthtokens WHERE useridentifier = ?', [user]);
      await db.end();
      const list = rows as { accesstoken: string }[];
      assert.equal(list.length, 1);
      assert.match(list[0]?.accesstoken ?? '', /^1000\./);
    });
  }
});
