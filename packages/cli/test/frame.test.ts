import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { startEmulator } from '@zcrmsdk/emulator';
import { FileTokenStore } from 'zcrmsdk';
import { ALL_SCOPES, CLI, sandbox } from './helpers.js';

test('zcrm --help, and --help on a subcommand, exit 0; an unknown command or option exits 2', async () => {
  const box = await sandbox();
  try {
    const help = await box.run(['--help']);
    assert.equal(help.code, 0);
    for (const cmd of ['demo', 'emulator', 'auth']) assert.match(help.stdout, new RegExp(`\\n  ${cmd}\\b`));
    const sub = await box.run(['auth', 'grant', '--help']);
    assert.equal(sub.code, 0);
    assert.match(sub.stdout, /Usage: zcrm auth grant \[options\] <code>/);
    const bad = await box.run(['no-such-command']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown command 'no-such-command'/);
    const missing = await box.run(['auth', 'grant']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /missing required argument 'code'/);
  } finally {
    await box.close();
  }
});

test('no client configured: exit 2 and a message naming the flag, the variable and the properties key', async () => {
  const box = await sandbox();
  try {
    const res = await box.run(['auth', 'grant', 'x']);
    assert.equal(res.code, 2);
    assert.match(res.stderr, /--client-id, set ZCRM_CLIENT_ID, or put \[zoho\] crm.clientid in resources\/oauth_configuration.properties/);
  } finally {
    await box.close();
  }
});

test('auth grant / status / refresh / revoke against the emulator; tokens never printed; store file is 0600', async () => {
  const emu = await startEmulator({ port: 0 });
  const box = await sandbox(emu);
  try {
    const none = await box.json<{ stored: boolean }>(['auth', 'status'], { expectCode: 1 });
    assert.equal(none.stored, false);
    const granted = await box.run(['--json', 'auth', 'grant', await emu.grantToken({ scope: ALL_SCOPES })]);
    assert.equal(granted.code, 0, granted.stderr);
    const status = JSON.parse(granted.stdout) as { userId: string; hasRefreshToken: boolean; expired: boolean; store: string };
    assert.equal(status.userId, 'zcrm_default_user');
    assert.equal(status.hasRefreshToken, true);
    assert.equal(status.expired, false);
    const file = join(box.dir, 'config', 'tokens.json');
    assert.equal(status.store, `file:${file}`);
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    const tokens = (await new FileTokenStore({ path: file }).get('zcrm_default_user'))!;
    assert.ok(!granted.stdout.includes(tokens.accessToken) && !granted.stdout.includes(tokens.refreshToken!));

    emu.clearRequests();
    const refreshed = await box.json<{ expired: boolean }>(['auth', 'refresh']);
    assert.equal(refreshed.expired, false);
    const tokenCalls = emu.tokenRequests;
    assert.equal(tokenCalls.length, 1, 'one refresh at the token endpoint');

    const revoked = await box.json<{ revoked: boolean; deleted: boolean }>(['auth', 'revoke']);
    assert.deepEqual(revoked, { userId: 'zcrm_default_user', revoked: true, deleted: true });
    assert.ok(emu.requests.some((r) => r.path === '/oauth/v2/token/revoke' || r.path === '/oauth/v2/revoke/token'));
    assert.equal((await box.json<{ stored: boolean }>(['auth', 'status'], { expectCode: 1 })).stored, false);

    const reused = await box.run(['auth', 'grant', 'not-a-code']);
    assert.equal(reused.code, 1, 'an OAuth refusal is an API error');
    assert.match(reused.stderr, /invalid_code/);
  } finally {
    await box.close();
    await emu.close();
  }
});

test('configuration precedence: flag over ZCRM_* over resources/*.properties', async () => {
  const emu = await startEmulator({ port: 0 });
  const box = await sandbox();
  try {
    await mkdir(join(box.dir, 'resources'));
    await writeFile(
      join(box.dir, 'resources', 'oauth_configuration.properties'),
      `[zoho]\ncrm.iamurl=${emu.url}\ncrm.clientid=${emu.client.clientId}\ncrm.clientsecret=${emu.client.clientSecret}\ncrm.redirecturl=${emu.client.redirectUri}\n`,
    );
    await writeFile(join(box.dir, 'resources', 'configuration.properties'), `[crm]\napi.url=${emu.url}\napi.user_identifier=props@example.com\n`);
    const fromProps = await box.json<{ userId: string }>(['auth', 'grant', await emu.grantToken({ scope: ALL_SCOPES })]);
    assert.equal(fromProps.userId, 'props@example.com');
    const fromEnv = await box.run(['--json', 'auth', 'status'], { env: { ZCRM_USER: 'env@example.com' } });
    assert.equal((JSON.parse(fromEnv.stdout) as { userId: string }).userId, 'env@example.com');
    const fromFlag = await box.run(['--json', '--user', 'flag@example.com', 'auth', 'status'], { env: { ZCRM_USER: 'env@example.com' } });
    assert.equal((JSON.parse(fromFlag.stdout) as { userId: string }).userId, 'flag@example.com');
  } finally {
    await box.close();
    await emu.close();
  }
});

test('zcrm demo runs the tour against an in-process emulator and reports every step', async () => {
  const box = await sandbox();
  try {
    const demo = await box.json<{ steps: { step: string; result: string }[] }>(['demo']);
    assert.deepEqual(
      demo.steps.map((s) => s.step),
      ['Emulator', 'Grant code', 'Tokens', 'List Leads', 'Create', 'Search', 'Attachment', 'COQL', 'Delete', 'Requests'],
    );
    assert.match(demo.steps.find((s) => s.step === 'Attachment')!.result, /identical/);
    assert.match(demo.steps.find((s) => s.step === 'Delete')!.result, /success/);
    const human = await box.run(['demo']);
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /✓ COQL: .*Lovelace at Analytical Engines/);
    assert.doesNotMatch(human.stdout, /\u001b\[/, 'no colour when not a terminal');
  } finally {
    await box.close();
  }
});

test('zcrm emulator prints the export lines; they work, and `zcrm emulator grant` mints more codes', async () => {
  const box = await sandbox();
  const child = spawn(process.execPath, [CLI, 'emulator', '--port', '0', '--seed', '3'], { env: box.env, cwd: box.dir });
  try {
    let banner = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        banner += d;
        if (banner.includes('emulator.grantToken()')) resolve();
      });
      child.on('exit', (code) => reject(new Error(`emulator exited ${code}: ${banner}`)));
    });
    const exports: NodeJS.ProcessEnv = {};
    for (const m of banner.matchAll(/^ {2}export (ZCRM_\w+)=(\S+)/gm)) exports[m[1]!] = m[2]!;
    assert.deepEqual(Object.keys(exports).sort(), [
      'ZCRM_ACCOUNTS_URL', 'ZCRM_API_URL', 'ZCRM_CLIENT_ID', 'ZCRM_CLIENT_SECRET', 'ZCRM_GRANT_CODE', 'ZCRM_TOKEN_STORE',
    ]);
    assert.match(banner, /zcrm records list Leads/);
    const minted = await box.run(['emulator', 'grant'], { env: exports });
    assert.equal(minted.code, 0, minted.stderr);
    const code = minted.stdout.trim();
    assert.match(code, /^1000\.[0-9a-f]+\.[0-9a-f]+$/);
    const granted = await box.run(['--json', 'auth', 'grant', code], { env: exports });
    assert.equal(granted.code, 0, granted.stderr);
    const again = await box.run(['auth', 'grant', code], { env: exports });
    assert.equal(again.code, 1, 'a grant code is single use');
  } finally {
    child.kill('SIGINT');
    await new Promise((resolve) => child.once('close', resolve));
    await box.close();
  }
});

