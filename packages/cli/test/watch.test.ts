import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { authedSandbox, CLI } from './helpers.js';

describe('zcrm watch', () => {
  let ctx: Awaited<ReturnType<typeof authedSandbox>>;
  before(async () => {
    ctx = await authedSandbox({ emptyModules: true });
  });
  after(() => ctx.close());

  it('enables a channel, prints each event, forwards it, and deletes the channel when done', async () => {
    const forwarded: unknown[] = [];
    const target = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        forwarded.push(JSON.parse(body));
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    const forward = `http://127.0.0.1:${(target.address() as AddressInfo).port}/hooks`;
    const child = spawn(process.execPath, [CLI, '--json', 'watch', 'Leads', '--forward', forward, '--max-events', '2', '--channel-id', '1000000068001'], {
      env: ctx.box.env,
      cwd: ctx.box.dir,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    const listening = new Promise<void>((resolve) =>
      child.stderr.setEncoding('utf8').on('data', (d: string) => {
        stderr += d;
        if (stderr.includes('Listening on')) resolve();
      }),
    );
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await Promise.race([listening, exited]);
    assert.match(stderr, /Listening on http:\/\/127\.0\.0\.1:\d+\/ for Leads \(all\), channel 1000000068001/);
    const [lead] = ctx.emu.crm.insert('Leads', [{ Last_Name: 'Watched', Company: 'W' }]);
    await ctx.emu.notificationsIdle();
    ctx.emu.crm.insert('Leads', [{ Last_Name: 'Watched 2', Company: 'W' }]);
    const code = await exited;
    target.close();
    assert.equal(code, 0, stderr);
    const events = stdout.trim().split('\n').map((l) => JSON.parse(l) as { operation: string; ids: string[]; channel_id: string; token?: string });
    assert.equal(events.length, 2);
    assert.deepEqual([events[0]?.operation, events[0]?.ids, events[0]?.channel_id, events[0]?.token], ['insert', [String(lead!['id'])], '1000000068001', undefined]);
    assert.equal(forwarded.length, 2);
    assert.deepEqual(forwarded[0], events[0]);
    assert.match(stderr, /Channel 1000000068001 deleted/);
    assert.deepEqual(ctx.emu.crm.notifications.snapshot(), []);
  });
});
