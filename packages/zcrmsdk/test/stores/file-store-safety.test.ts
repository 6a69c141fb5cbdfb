import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { mkdtemp, readdir, rm, stat, utimes, writeFile, chmod, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type Emulator } from '@zcrmsdk/emulator';
import { ZohoCRM } from '../../src/client.js';
import { TokenStoreError } from '../../src/errors.js';
import { FileTokenStore } from '../../src/stores/file-store.js';

describe('file store: a grant code is spent only when the store can save', () => {
  let emu: Emulator;
  let dir: string;
  before(async () => {
    emu = await startEmulator({ port: 0 });
    dir = await mkdtemp(join(tmpdir(), `zcrm-filesafety-${process.pid}-`));
  });
  after(async () => {
    await emu.close();
    await rm(dir, { recursive: true, force: true });
  });

  const tokenRequests = () => emu.tokenRequests.length;
  async function grantWith(path: string): Promise<unknown> {
    const crm = new ZohoCRM({ clientId: emu.client.clientId, clientSecret: emu.client.clientSecret, accountsUrl: emu.url, apiUrl: emu.url, tokenStore: new FileTokenStore({ path }) });
    try {
      return await crm.generateTokens(await emu.grantToken(), 'ann@x').then(() => assert.fail('must reject'), (e: unknown) => e);
    } finally {
      await crm.close();
    }
  }

  it('a missing folder fails before the code is exchanged: the emulator got no token request', async () => {
    const before = tokenRequests();
    const error = await grantWith(join(dir, 'no-such-folder', 'tokens.json'));
    assert.ok(error instanceof TokenStoreError, String(error));
    assert.match(error.message, /cannot save tokens, so the grant code was not used.*the folder .*no-such-folder does not exist: create it or change the path option/);
    assert.equal(tokenRequests(), before, 'no token request');
  });

  it('a read-only file system fails before the code is exchanged', async () => {
    const before = tokenRequests();
    const error = await grantWith(`/proc/zcrm-${process.pid}-tokens.json`);
    assert.ok(error instanceof TokenStoreError, String(error));
    assert.match(error.message, /the grant code was not used/);
    assert.equal(tokenRequests(), before, 'no token request');
  });

  it('a path that is a directory says so (not "not answering"), before the code is exchanged', async () => {
    const folder = join(dir, 'a-folder');
    await mkdir(folder);
    const before = tokenRequests();
    const error = await grantWith(folder);
    assert.ok(error instanceof TokenStoreError, String(error));
    assert.match(error.message, /The token store cannot be used, so the grant code was not used.*a-folder is a directory, not a file: set the path option to a file in it, e\.g\. .*a-folder\/tokens\.json/);
    assert.doesNotMatch(error.message, /not answering/);
    assert.equal(tokenRequests(), before, 'no token request');
  });

  it('a writable folder: the code is exchanged once and the tokens saved', async () => {
    const path = join(dir, 'ok', 'tokens.json');
    await mkdir(join(dir, 'ok'));
    const crm = new ZohoCRM({ clientId: emu.client.clientId, clientSecret: emu.client.clientSecret, accountsUrl: emu.url, apiUrl: emu.url, tokenStore: new FileTokenStore({ path }) });
    try {
      const before = tokenRequests();
      const token = await crm.generateTokens(await emu.grantToken(), 'ann@x');
      assert.equal(tokenRequests(), before + 1);
      assert.equal((await new FileTokenStore({ path }).get('ann@x'))?.accessToken, token.accessToken);
      assert.deepEqual((await readdir(join(dir, 'ok'))).filter((n) => n.endsWith('.tmp')), [], 'the write check leaves no file behind');
    } finally {
      await crm.close();
    }
  });
});

describe('file store temp files', () => {
  it('the next open removes temp files of dead writers and old ones, keeps a live writer\'s fresh one', async () => {
    const dir = await mkdtemp(join(tmpdir(), `zcrm-filetmp-${process.pid}-`));
    try {
      const path = join(dir, 'tokens.json');
      await new FileTokenStore({ path }).save({ userId: 'a@x', accessToken: 'AT', refreshToken: 'RT', expiresAt: 1 });
      // A pid that surely is dead: a child that has exited.
      const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
      const tokens = '{"version":1,"tokens":{"a@x":{"accesstoken":"AT-left","refreshtoken":"RT-left","expirytime":1}}}';
      const deadTemp = join(dir, `tokens.json.${dead}.0123456789ab.tmp`);
      const oldTemp = join(dir, `tokens.json.${process.ppid}.aaaaaaaaaaaa.tmp`);
      const liveTemp = join(dir, `tokens.json.${process.ppid}.bbbbbbbbbbbb.tmp`);
      const other = join(dir, 'other.json.1.cccccccccccc.tmp');
      for (const file of [deadTemp, oldTemp, liveTemp, other]) await writeFile(file, tokens, { mode: 0o600 });
      const past = new Date(Date.now() - 60 * 60_000);
      await utimes(oldTemp, past, past);
      assert.equal((await new FileTokenStore({ path, lockLeaseMs: 30_000 }).get('a@x'))?.accessToken, 'AT');
      assert.deepEqual((await readdir(dir)).filter((n) => n.endsWith('.tmp')).sort(), ['other.json.1.cccccccccccc.tmp', `tokens.json.${process.ppid}.bbbbbbbbbbbb.tmp`]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('kill -9 mid-write: the file stays valid JSON and the next open removes the dead writer\'s temp files', async () => {
    const dir = await mkdtemp(join(tmpdir(), `zcrm-filekill-${process.pid}-`));
    try {
      const path = join(dir, 'tokens.json');
      for (let round = 0; round < 3; round++) {
        const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'file-writer-worker.ts'), path], { stdio: 'ignore' });
        const exited = new Promise((resolve) => child.on('exit', resolve));
        // Kill once it has written a few times (polling the file, no fixed sleep).
        for (;;) {
          const text = await readFile(path, 'utf8').catch(() => '');
          if (/AT-\d{2,}/.test(text)) break;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        child.kill('SIGKILL');
        await exited;
        const content = JSON.parse(await readFile(path, 'utf8')) as { tokens: Record<string, unknown> };
        assert.ok(Object.keys(content.tokens).length > 0);
        assert.ok((await new FileTokenStore({ path }).get('u0@x'))?.accessToken.startsWith('AT-'));
        assert.deepEqual((await readdir(dir)).filter((n) => n.endsWith('.tmp')), [], 'no temp file of the dead writer left after the next open');
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a save keeps the token file\'s mode (temp files are created with it); a new file is 0600', async () => {
    const dir = await mkdtemp(join(tmpdir(), `zcrm-filemode-${process.pid}-`));
    try {
      const path = join(dir, 'tokens.json');
      const store = new FileTokenStore({ path });
      await store.save({ userId: 'a@x', accessToken: 'AT', expiresAt: 1 });
      assert.equal((await stat(path)).mode & 0o777, 0o600);
      await chmod(path, 0o640);
      await store.save({ userId: 'b@x', accessToken: 'AT2', expiresAt: 1 });
      assert.equal((await stat(path)).mode & 0o777, 0o640);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
