/**
 * Fidelity (issue 16): Zoho's @zohocrm/typescript-sdk-8.0, unmodified, shares a lead with a user, reads the
 * shares and revokes them through ShareRecordsOperations against the emulator over HTTPS; each reply must be one
 * the SDK parses into its expected class, and the emulator's request log must show the calls.
 * Steps: ./typescript-sdk-8.0/steps/share-records.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertActionSuccess, sdkSession } from './typescript-sdk-8.0/harness.js';

describe('@zohocrm/typescript-sdk-8.0 share_records against the emulator', () => {
  const sdk = sdkSession({ groups: ['share-records'] });

  it('share_records: a lead shared read_write with a user lists that share, and revoking empties it', async () => {
    const lead = sdk.emu.crm.records('Leads')[0]!;
    const owner = String((lead['Owner'] as { id: string }).id);
    const user = sdk.emu.crm.users().find((u) => String(u['id']) !== owner && u['status'] === 'active');
    assert.ok(user, 'the seed has a second active user');
    const path = `/crm/v8/Leads/${String(lead['id'])}/actions/share`;
    const r = await sdk.step('shareRecord', { module: 'Leads', id: String(lead['id']), user: String(user['id']) });
    assertActionSuccess(r);
    assert.deepEqual(sdk.received('POST', path).json, { share: [{ user: { id: String(user['id']) }, permission: 'read_write', share_related_records: true }] });
    assert.equal(r['listed']['ok'], true, JSON.stringify(r['listed']));
    assert.deepEqual(
      r['listed']['shares'].map((s: Record<string, unknown>) => [s['user'], s['permission'], s['related']]),
      [[String(user['id']), 'read_write', true]],
    );
    assert.equal(sdk.received('GET', path).query['view'], 'summary');
    assert.equal(r['revoked']['ok'], true, JSON.stringify(r['revoked']));
    assert.equal(r['revoked']['code'], 'SUCCESS');
    assert.deepEqual(r['after'], { status: 200, ok: true, shares: [] });
    assert.deepEqual(sdk.requests(path).map((q) => q.method), ['POST', 'GET', 'DELETE', 'GET']);
  });
});
