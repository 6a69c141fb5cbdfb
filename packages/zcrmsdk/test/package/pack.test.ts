import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';

const run = promisify(execFile);
const REPO = resolve(__dirname, '../../../..');
const PACKAGES = [['zcrmsdk', 'zcrmsdk'], ['emulator', '@zcrmsdk/emulator'], ['cli', '@zcrmsdk/cli']] as const;

/**
 * The published tarballs, used the way users use them: attw and publint check each one; CommonJS and ESM
 * consumers install them. (TypeScript consumers: consumer-*.test.ts, split so each file fits the suite's timeout.)
 */
describe('npm pack: the tarballs pass attw and publint and work from require and import', () => {
  let dir = '';
  let packed: string[] = [];
  const tarballs = new Map<string, string>();
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'zcrm-pack-'));
    // Each package packed once and unpacked where npm would install it.
    await Promise.all(
      PACKAGES.map(async ([folder, name]) => {
        const { stdout } = await run('npm', ['pack', '--pack-destination', dir, '--json'], { cwd: join(REPO, 'packages', folder) });
        const [info] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
        assert.ok(info);
        if (name === 'zcrmsdk') packed = info.files.map((f) => f.path);
        tarballs.set(name, join(dir, info.filename));
        const target = join(dir, 'node_modules', name);
        await mkdir(target, { recursive: true });
        await run('tar', ['xzf', join(dir, info.filename), '-C', target, '--strip-components=1']);
      }),
    );
    // Their runtime dependencies, from this checkout (no registry needed).
    for (const name of await readdir(join(REPO, 'node_modules'))) {
      if (name === 'zcrmsdk' || name === '@zcrmsdk' || name === '.bin') continue;
      await symlink(join(REPO, 'node_modules', name), join(dir, 'node_modules', name)).catch(() => undefined);
    }
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('attw and publint find no problem in any package', async () => {
    const bin = (pkg: string, file: string) => join(REPO, 'node_modules', pkg, file);
    const reports = await Promise.all(
      [...tarballs].flatMap(([name, tarball]) => [
        run(process.execPath, [bin('@arethetypeswrong/cli', 'dist/index.js'), tarball, '--format', 'ascii'], { cwd: dir }).then(
          (r) => ({ name, tool: 'attw', ok: r.stdout.includes('No problems found'), out: r.stdout }),
          (e: { stdout: string }) => ({ name, tool: 'attw', ok: false, out: e.stdout }),
        ),
        run(process.execPath, [bin('publint', 'src/cli.js'), 'run', tarball, '--strict'], { cwd: dir }).then(
          (r) => ({ name, tool: 'publint', ok: r.stdout.includes('All good!'), out: r.stdout }),
          (e: { stdout: string }) => ({ name, tool: 'publint', ok: false, out: e.stdout }),
        ),
      ]),
    );
    for (const r of reports) assert.ok(r.ok, `${r.tool} ${r.name}:\n${r.out}`);
  });

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
       import legacy, { ZohoCRM as ZohoCRM2 } from 'zcrmsdk/lib/js/ZCRMRestClient';
       import { getOAuthTokens } from 'zcrmsdk/lib/js/mysql/mysql_util.js';
       import { operations } from 'zcrmsdk/operations';
       import { startEmulator } from '@zcrmsdk/emulator';
       const cjs = createRequire(import.meta.url)('zcrmsdk');
       console.log(JSON.stringify({ same: z === cjs && legacy === cjs, zoho: ZohoCRM === cjs.ZohoCRM && ZohoCRM2 === ZohoCRM, init: initialize === cjs.initialize, util: typeof getOAuthTokens, ops: operations.length > 400, emu: typeof startEmulator }));`,
    );
    const out = JSON.parse((await run(process.execPath, ['esm.mjs'], { cwd: dir })).stdout) as Record<string, unknown>;
    assert.deepEqual(out, { same: true, zoho: true, init: true, util: 'function', ops: true, emu: 'function' });
  });

  it('the CLI package runs its bin: zcrm --help', async () => {
    const { stdout } = await run(process.execPath, [join(dir, 'node_modules', '@zcrmsdk', 'cli', 'dist', 'index.js'), '--help'], { cwd: dir });
    assert.match(stdout, /Usage: zcrm/);
  });
});
