import assert from 'node:assert/strict';
import { test } from 'node:test';
import { authedSandbox, sandbox } from './helpers.js';

interface Check {
  check: string;
  status: string;
  detail: string;
  fix?: string;
}

test('doctor: all ok against the emulator; no tokens, a data-centre mismatch and a refused token each get a fix', async () => {
  const { emu, box, close } = await authedSandbox();
  try {
    const ok = await box.json<Check[]>(['doctor']);
    assert.deepEqual(ok.filter((c) => c.status === 'fail'), []);
    assert.ok(ok.some((c) => c.check === 'API access' && c.status === 'ok'));
    assert.ok(ok.some((c) => c.check === 'clock' && c.status === 'ok'));
    assert.ok(ok.some((c) => c.check === 'refresh budget'));

    const other = await sandbox(emu);
    const none = await other.run(['--json', 'doctor']);
    assert.equal(none.code, 1);
    const noTokens = (JSON.parse(none.stdout) as Check[]).find((c) => c.check === 'tokens')!;
    assert.equal(noTokens.status, 'fail');
    assert.match(noTokens.fix!, /zcrm auth grant/);

    const mixed = await other.run(['--json', '--accounts-url', 'https://accounts.zoho.eu', '--api-url', 'https://www.zohoapis.com', 'doctor']);
    const dc = (JSON.parse(mixed.stdout) as Check[]).find((c) => c.check === 'data centre')!;
    assert.equal(dc.status, 'fail');
    assert.match(dc.fix!, /--dc eu/);
    await other.close();

    emu.expireAccessTokens();
    emu.reset();
    const refused = await box.run(['--json', 'doctor']);
    assert.equal(refused.code, 1);
    const access = (JSON.parse(refused.stdout) as Check[]).find((c) => c.check === 'API access')!;
    assert.equal(access.status, 'fail');
    assert.ok(access.fix);
    const human = await box.run(['doctor']);
    assert.match(human.stdout, /FAIL {2}API access/);
    assert.match(human.stdout, /fix: /);
  } finally {
    await close();
  }
});
