import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';

const run = promisify(execFile);
const REPO = resolve(__dirname, '../../../..');

/**
 * The published tarball, used the way users use it: a CommonJS consumer, an ESM consumer and a TypeScript
 * consumer (both module kinds) install it and type-check against its declarations.
 */
describe('npm pack: the tarball works from require, import and TypeScript', () => {
  let dir = '';
  let packed: string[] = [];
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'zcrm-pack-'));
    // The SDK and the emulator, each packed and unpacked where npm would install them.
    for (const [folder, name] of [['zcrmsdk', 'zcrmsdk'], ['emulator', '@zcrmsdk/emulator']] as const) {
      const { stdout } = await run('npm', ['pack', '--pack-destination', dir, '--json'], { cwd: join(REPO, 'packages', folder) });
      const [info] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
      assert.ok(info);
      if (name === 'zcrmsdk') packed = info.files.map((f) => f.path);
      const target = join(dir, 'node_modules', name);
      await mkdir(target, { recursive: true });
      await run('tar', ['xzf', join(dir, info.filename), '-C', target, '--strip-components=1']);
    }
    // Their runtime dependencies, from this checkout (no registry needed).
    for (const name of await run('ls', [join(REPO, 'node_modules')]).then((r) => r.stdout.split('\n').filter(Boolean))) {
      if (name === 'zcrmsdk' || name === '@zcrmsdk' || name === '.bin') continue;
      await symlink(join(REPO, 'node_modules', name), join(dir, 'node_modules', name)).catch(() => undefined);
    }
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('ships dist, the README and no tests or sources', async () => {
    const files = packed;
    assert.ok(files.includes('dist/index.js'));
    assert.ok(files.includes('dist/index.mjs'));
    assert.ok(files.includes('dist/index.d.ts'));
    assert.ok(files.includes('README.md'));
    assert.ok(!files.some((f) => f.startsWith('test/') || f.startsWith('src/')));
  });

  it('require() returns ZCRMRestClient with the 0.0.20 keys, and the modern exports', async () => {
    await writeFile(
      join(dir, 'cjs.js'),
      `const z = require('zcrmsdk');
       const { ZohoCRM, ZohoError } = require('zcrmsdk');
       const { startEmulator } = require('@zcrmsdk/emulator');
       console.log(JSON.stringify({ type: typeof z, keys: Object.keys(z), api: Object.keys(z.API), zoho: typeof ZohoCRM, err: typeof ZohoError, emu: typeof startEmulator }));`,
    );
    const out = JSON.parse((await run(process.execPath, ['cjs.js'], { cwd: dir })).stdout) as Record<string, unknown>;
    assert.equal(out.type, 'function');
    assert.deepEqual(out.keys, [
      'initialize', 'initializeWithValues', 'generateAuthTokens', 'generateAuthTokenfromRefreshToken', 'getConfig',
      'getConfig_refresh', 'setClientId', 'setClientSecret', 'setRedirectURL', 'setUserIdentifier', 'setIAMUrl',
      'setBaseURL', 'getClientId', 'getClientSecret', 'getRedirectURL', 'getUserIdentifier', 'getPersistenceModule',
      'getAPIURL', 'getVersion', 'getIAMUrl', 'getMySQLUserName', 'getMYSQLPassword', 'parseAndConstructObject', 'API',
    ]);
    assert.deepEqual(out.api, ['MODULES', 'SETTINGS', 'ACTIONS', 'USERS', 'ORG', 'ATTACHMENTS', 'FUNCTIONS']);
    assert.equal(out.zoho, 'function');
    assert.equal(out.err, 'function');
    assert.equal(out.emu, 'function');
  });

  it('import gives the same object as default plus named exports', async () => {
    await writeFile(
      join(dir, 'esm.mjs'),
      `import z, { ZohoCRM, initialize } from 'zcrmsdk';
       import { createRequire } from 'node:module';
       import { startEmulator } from '@zcrmsdk/emulator';
       const cjs = createRequire(import.meta.url)('zcrmsdk');
       console.log(JSON.stringify({ same: z === cjs, zoho: ZohoCRM === cjs.ZohoCRM, init: initialize === cjs.initialize, emu: typeof startEmulator }));`,
    );
    const out = JSON.parse((await run(process.execPath, ['esm.mjs'], { cwd: dir })).stdout) as Record<string, unknown>;
    assert.deepEqual(out, { same: true, zoho: true, init: true, emu: 'function' });
  });

  it('TypeScript consumers type-check in CommonJS and ESM mode', async () => {
    const code = `import ZCRMRestClient, { ZohoCRM, ZohoError, type LegacyResponse } from 'zcrmsdk';
      import { startEmulator } from '@zcrmsdk/emulator';
      async function main(): Promise<void> {
        await ZCRMRestClient.initialize({ client_id: 'a', client_secret: 'b', redirect_url: 'c' });
        const res = await ZCRMRestClient.API.MODULES.get({ module: 'Leads', params: { page: 1 } });
        const body: string = typeof res === 'string' ? res : (res as LegacyResponse).body;
        const client = new ZohoCRM({ clientId: 'a', clientSecret: 'b' });
        const emu = await startEmulator({ port: 0 });
        const grant: string = await emu.grantToken({ scope: 'ZohoCRM.modules.ALL' });
        void body; void client; void grant; void (ZohoError as unknown);
      }
      void main;
    `;
    await writeFile(join(dir, 'consumer.ts'), code);
    await writeFile(join(dir, 'consumer.mts'), code);
    const tsc = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
    const common = ['--noEmit', '--strict', '--module', 'node16', '--moduleResolution', 'node16', '--target', 'es2022', '--types', 'node', '--esModuleInterop'];
    // One program checks both: node16 resolution makes consumer.ts CommonJS and consumer.mts ESM.
    await run(process.execPath, [tsc, ...common, 'consumer.ts', 'consumer.mts'], { cwd: dir }).catch((e: { stdout: string }) => assert.fail(`TypeScript consumers: ${e.stdout}`));
  });
});
