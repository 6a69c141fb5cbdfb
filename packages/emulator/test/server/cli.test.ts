import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runEmulatorCli } from '../../src/cli.js';
import { http, tokenPost } from './helpers.js';

describe('emulator CLI', () => {
  it('prints the URL, the demo client and a working grant code, then closes on the stop signal', async () => {
    const lines: string[] = [];
    let stop!: () => void;
    const stopSignal = new Promise<void>((resolve) => (stop = resolve));
    const exit = runEmulatorCli(['--port', '0', '--seed', '7'], { out: (l) => lines.push(l), err: (l) => lines.push(l), stopSignal });
    let exited = false;
    void exit.then(() => (exited = true));
    while (!lines.some((l) => l.includes('Press Ctrl+C'))) {
      assert.equal(exited, false, lines.join('\n'));
      await new Promise((r) => setTimeout(r, 20));
    }
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(lines[0]!)![1]!;
    const field = (name: string): string => new RegExp(`${name}:\\s+(\\S+)`).exec(lines.join('\n'))![1]!;
    const reply = await tokenPost(url, {
      grant_type: 'authorization_code',
      client_id: field('client id'),
      client_secret: field('client secret'),
      code: field('grant code'),
    });
    assert.match(reply.json.access_token, /^1000\./);
    const leads = await http(`${url}/crm/v2/Leads`, { headers: { authorization: `Zoho-oauthtoken ${reply.json.access_token}` } });
    assert.equal(leads.status, 200);
    stop();
    assert.equal(await exit, 0);
    assert.equal(lines.at(-1), 'Emulator closed.');
    await assert.rejects(http(`${url}/oauth/serverinfo`));
  });

  it('rejects unknown options with exit code 2', async () => {
    const errors: string[] = [];
    assert.equal(await runEmulatorCli(['--bogus'], { out: () => {}, err: (l) => errors.push(l) }), 2);
    assert.match(errors[0]!, /Unknown option '--bogus'/);
    assert.equal(await runEmulatorCli(['--port', 'x'], { out: () => {}, err: () => {} }), 2);
  });
  it('--data-centers serves each data centre at <url>/dc/<dc>; a bad name exits 1 with the list', async () => {
    const lines: string[] = [];
    let stop!: () => void;
    const stopSignal = new Promise<void>((resolve) => (stop = resolve));
    const exit = runEmulatorCli(['--data-centers', 'us,EU', '--grant-code-limit'], { out: (l) => lines.push(l), err: (l) => lines.push(l), stopSignal });
    while (!lines.some((l) => l.includes('Press Ctrl+C'))) await new Promise((r) => setTimeout(r, 20));
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(lines[0]!)![1]!;
    assert.ok(lines.includes(`Data centres: us at ${url}/dc/us, eu at ${url}/dc/eu (the grant code above is us's).`), lines.join('\n'));
    const info = await http(`${url}/dc/eu/oauth/serverinfo`);
    assert.deepEqual(info.json.locations, { us: url, eu: `${url}/dc/eu` });
    stop();
    assert.equal(await exit, 0);
    const errors: string[] = [];
    assert.equal(await runEmulatorCli(['--data-centers', 'mars'], { out: () => {}, err: (l) => errors.push(l) }), 1);
    assert.match(errors[0]!, /unknown data centre 'mars'\. Use one of: us, eu, in, cn, au, jp, ca, sa/);
  });
});
