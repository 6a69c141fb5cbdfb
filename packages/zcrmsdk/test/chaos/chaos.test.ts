/**
 * Chaos (issue 6, "Suites to add"): 3,000 calls through the modern client and the legacy facade while the
 * emulator injects seeded 429s, 5xx, latency, timeouts, dropped connections and replies, token expiry and
 * token-endpoint failures. The scenario runs in a child process, so "no open handles" means: it exits by
 * itself once both clients and the emulator are closed.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startEmulator } from '@zcrmsdk/emulator';
import { ZohoCRM } from '../../src/client.js';
import { ALL_SCOPES } from '../helpers/legacy.js';

interface Summary {
  calls: number;
  outcomes: Record<'modern' | 'legacy', { ok: number; 'typed-error': number; 'untyped-error': number }>;
  untyped: string[];
  faults: Record<string, number>;
  creates: { attempted: number; created: number; unknown: number; unknownStored: number; refusedBeforeSending: number; records: number };
  postsSeen: number;
  duplicates: string[];
  createdButMissing: string[];
  unknownResent: string[];
  afterwards: { modern: number | string; legacy: number | string; modernRefreshToken: boolean; legacyRefreshToken: boolean };
}

/** A bound on the child's life: a scenario still running after it has a hung promise or an open handle. */
const EXIT_BOUND_MS = 100_000;

describe('chaos: thousands of calls under random faults', () => {
  it('every call settles with a result or a ZohoError, nothing is created twice, no token is lost, the process exits', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'scenario.ts')], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CHAOS_SEED: '6' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), EXIT_BOUND_MS);
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('exit', (c, s) => resolve([c, s])));
    clearTimeout(killer);
    assert.equal(signal, null, `the scenario did not exit by itself (hung promise or open handle)\n${stdout}\n${stderr}`);
    assert.equal(code, 0, stderr);
    const summary = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as Summary;

    assert.equal(summary.calls, 3000);
    for (const face of ['modern', 'legacy'] as const) {
      const o = summary.outcomes[face];
      assert.equal(o['untyped-error'], 0, `${face}: every failure is a ZohoError: ${summary.untyped.join('; ')}`);
      assert.ok(o.ok > 0 && o['typed-error'] > 0, `${face}: the faults were felt: ${JSON.stringify(o)}`);
    }
    for (const kind of ['429', '5xx', 'drop', 'latency', 'slow', 'reply-lost', 'token-expiry', 'token-endpoint-5xx', 'token-endpoint-drop']) {
      assert.ok((summary.faults[kind] ?? 0) > 0, `fault kind ${kind} was injected`);
    }
    assert.deepEqual(summary.duplicates, [], 'no record is created twice');
    assert.deepEqual(summary.createdButMissing, [], 'every create the client saw succeed is stored once');
    assert.ok(summary.creates.unknownStored > 0, 'some creates were carried out while their reply was lost');
    assert.deepEqual(summary.unknownResent, [], 'a create whose outcome was unknown was not sent again');
    assert.equal(summary.creates.records, summary.creates.created + summary.creates.unknownStored, 'every stored record is accounted for');
    assert.ok(summary.postsSeen >= summary.creates.attempted - summary.creates.refusedBeforeSending, 'the emulator saw the creates (the resend check is not vacuous)');
    assert.deepEqual(summary.afterwards, { modern: 200, legacy: 200, modernRefreshToken: true, legacyRefreshToken: true }, 'both stores keep a working refresh token');
  });

  // Issue 6 item 8 (core's refresh retry, 8b18db0): a refresh is idempotent until Zoho answers.
  it(
    'one 5xx or dropped connection on a refresh does not fail the calls waiting on it',
    async () => {
      const emu = await startEmulator({ port: 0, emptyModules: true, refreshThrottle: false });
      const crm = new ZohoCRM({ clientId: emu.client.clientId, clientSecret: emu.client.clientSecret, accountsUrl: emu.url, apiUrl: emu.url });
      try {
        await crm.generateTokens(await emu.grantToken({ scope: ALL_SCOPES }));
        for (const fault of [{ status: 503 }, { dropConnection: true }]) {
          emu.expireAccessTokens();
          emu.failNext({ path: '/oauth/v2/token', ...fault });
          const results = await Promise.allSettled(Array.from({ length: 5 }, () => crm.request({ method: 'GET', path: ['users'], query: { type: 'CurrentUser' } })));
          assert.deepEqual(
            results.map((r) => r.status),
            ['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled'],
            JSON.stringify(results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'ok'))),
          );
        }
      } finally {
        await crm.close();
        await emu.close();
      }
    },
  );
});
