/**
 * Guards that held under the issue-6 probe, kept for the modern client (the legacy facade's are in
 * test/legacy/hardening.test.ts): a hostile id (`/..`, `%`, `?`, `#`, whitespace, control characters) is
 * refused with an InvalidInputError before any request reaches the emulator, as a path segment of
 * `request()` and as a record id of `crm.records()`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { startEmulator, type Emulator } from '@zcrmsdk/emulator';
import { ZohoCRM } from '../../src/client.js';
import { InvalidInputError } from '../../src/errors.js';
import { ALL_SCOPES } from '../helpers/legacy.js';

const HOSTILE = ['123/../org', '..', '12%2F3', '1?fields=x', '1#x', '1 2', ' 1', '1\t', '1\n', '1\u0007', '1\u0000', '1\u007f'];

describe('hostile ids never reach the wire (modern client)', () => {
  let emu: Emulator;
  let crm: ZohoCRM;
  const crmCalls = (): number => emu.requests.filter((r) => r.path.startsWith('/crm/')).length;

  before(async () => {
    emu = await startEmulator({ port: 0, emptyModules: true });
    crm = new ZohoCRM({ clientId: emu.client.clientId, clientSecret: emu.client.clientSecret, accountsUrl: emu.url, apiUrl: emu.url });
    await crm.generateTokens(await emu.grantToken({ scope: ALL_SCOPES }));
  });
  after(async () => {
    await crm.close();
    await emu.close();
  });

  for (const id of HOSTILE) {
    it(`refuses ${JSON.stringify(id)} as a path segment and as a record id`, async () => {
      const before = crmCalls();
      await assert.rejects(crm.request({ method: 'GET', path: ['Leads', id] }), InvalidInputError);
      await assert.rejects(crm.request({ method: 'DELETE', path: ['Leads', id] }), InvalidInputError);
      await assert.rejects(Promise.resolve().then(() => crm.records('Leads').get(id)), InvalidInputError);
      assert.equal(crmCalls(), before, 'no request may reach the emulator');
    });
  }

  it('refuses any id holding a hostile character (property)', async () => {
    const bad = fc.constantFrom('/', '%', '?', '#', ' ', '\t', '\r', '\n', '\u0000', '\u0007', '\u007f');
    const id = fc.tuple(fc.stringMatching(/^[0-9]{0,6}$/), bad, fc.stringMatching(/^[0-9a-z.]{0,6}$/)).map(([a, b, c]) => `${a}${b}${c}`);
    const before = crmCalls();
    await fc.assert(
      fc.asyncProperty(id, async (x) => {
        await assert.rejects(crm.request({ method: 'GET', path: ['Leads', x] }), InvalidInputError);
      }),
      { seed: 6, numRuns: 300 },
    );
    assert.equal(crmCalls(), before, 'no request may reach the emulator');
    // And an ordinary id still goes out.
    const ok = await crm.request({ method: 'GET', path: ['Leads', '3000001000000123456'], throwOnError: false });
    assert.equal(ok.status, 204);
  });
});
