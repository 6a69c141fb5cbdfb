/**
 * Record sharing (`/crm/v8/{module}/{id}/actions/share`): share with users and a permission, list, replace
 * (PUT revokes who it leaves out), revoke all; unknown, inactive and owner users refused with Zoho's codes.
 * One test drives the SDK's generated `crm.records(module).sharing(id)` over HTTP.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { call, makeState } from './helpers.js';
import { sdkAgainstEmulator } from './sdk-client.js';

type State = ReturnType<typeof makeState>;

/** A fresh state, a lead owned by the current user, and users by status. */
async function setup(): Promise<{ state: State; lead: string; sam: string; lin: string; dana: string; owner: string }> {
  const state = makeState();
  const created = await call(state, 'POST', '/crm/v8/Leads', { body: { data: [{ Last_Name: 'Shared', Company: 'Acme' }] } });
  const byName = (name: string): string => String(state.directory.users.find((u) => u['full_name'] === name)?.['id']);
  // Seed users: Sam Rivera active and confirmed, Lin Park unconfirmed, Dana Okafor disabled.
  return { state, lead: String(created.data.data[0].details.id), sam: byName('Sam Rivera'), lin: byName('Lin Park'), dana: byName('Dana Okafor'), owner: state.currentUserId };
}

const share = (user: string, permission = 'read_only', related = false) => ({ user: { id: user }, permission, share_related_records: related });

describe('record sharing', () => {
  it('shares a record with a user and lists the share with its permission, author and record', async () => {
    const { state, lead, sam, owner } = await setup();
    const res = await call(state, 'POST', `/crm/v8/Leads/${lead}/actions/share`, { body: { share: [share(sam, 'read_write', true)] } });
    assert.equal(res.status, 200, JSON.stringify(res.json));
    assert.deepEqual([res.data.share[0].code, res.data.share[0].details.id], ['SUCCESS', lead]);
    const got = await call(state, 'GET', `/crm/v8/Leads/${lead}/actions/share`);
    assert.equal(got.status, 200);
    const [only] = got.data.share;
    assert.deepEqual(
      [only.user.id, only.permission, only.share_related_records, only.shared_by.id, only.shared_through.id, only.shared_through.entity_name, only.shared_through.module.api_name],
      [sam, 'read_write', true, owner, lead, 'Shared', 'Leads'],
    );
    // Sam has access now; the owner never appears among the users the record can be shared with.
    const shareable = got.data.shareable_user.map((u: { id: string }) => u.id);
    assert.ok(!shareable.includes(sam) && !shareable.includes(owner));
  });

  it("refuses unknown, inactive and unconfirmed users, the record's owner, a second share and a bad permission, per item", async () => {
    const { state, lead, sam, lin, dana, owner } = await setup();
    await call(state, 'POST', `/crm/v8/Leads/${lead}/actions/share`, { body: { share: [share(sam)] } });
    const res = await call(state, 'POST', `/crm/v8/Leads/${lead}/actions/share`, {
      body: { share: [share('111111111'), share(dana), share(lin), share(owner), share(sam), { user: { id: sam }, permission: 'admin' }] },
    });
    assert.equal(res.status, 400);
    assert.deepEqual(
      res.data.share.map((r: { code: string; details: { api_name?: string } }) => `${r.code}:${String(r.details.api_name)}`),
      ['INVALID_DATA:user', 'INVALID_DATA:user', 'INVALID_DATA:user', 'INVALID_DATA:user', 'DUPLICATE_DATA:user', 'INVALID_DATA:permission'],
    );
    const noUser = await call(state, 'POST', `/crm/v8/Leads/${lead}/actions/share`, { body: { share: [{ permission: 'read_only' }] } });
    assert.deepEqual([noUser.status, noUser.data.code, noUser.data.details.json_path], [400, 'MANDATORY_NOT_FOUND', '$.share[0].user']);
    assert.match(res.data.share[3].message, /owner/);
    assert.equal((await call(state, 'GET', `/crm/v8/Leads/${lead}/actions/share`)).data.share.length, 1);
  });

  it('PUT sets the whole list (who it leaves out loses access); DELETE revokes every share', async () => {
    const { state, lead, sam } = await setup();
    const admin = String(state.directory.users.find((u) => u['id'] !== state.currentUserId && u['id'] !== sam && u['status'] === 'active' && u['confirm'] !== false)?.['id'] ?? '');
    await call(state, 'POST', `/crm/v8/Leads/${lead}/actions/share`, { body: { share: [share(sam)] } });
    const put = await call(state, 'PUT', `/crm/v8/Leads/${lead}/actions/share`, { body: { share: [share(sam, 'full_access')] } });
    assert.equal(put.status, 200, JSON.stringify(put.json));
    assert.deepEqual((await call(state, 'GET', `/crm/v8/Leads/${lead}/actions/share`)).data.share.map((s: { permission: string }) => s.permission), ['full_access']);
    if (admin !== '') {
      await call(state, 'PUT', `/crm/v8/Leads/${lead}/actions/share`, { body: { share: [share(admin)] } });
      assert.deepEqual((await call(state, 'GET', `/crm/v8/Leads/${lead}/actions/share`)).data.share.map((s: { user: { id: string } }) => s.user.id), [admin]);
    }
    const del = await call(state, 'DELETE', `/crm/v8/Leads/${lead}/actions/share`);
    assert.equal(del.status, 200);
    assert.deepEqual([del.data.share.code, del.data.share.details.id], ['SUCCESS', lead]);
    assert.deepEqual((await call(state, 'GET', `/crm/v8/Leads/${lead}/actions/share`)).data.share, []);
  });

  it('refuses an unknown record (ENTITY_ID_INVALID) and module (INVALID_MODULE)', async () => {
    const { state, sam } = await setup();
    const record = await call(state, 'POST', '/crm/v8/Leads/123456789/actions/share', { body: { share: [share(sam)] } });
    assert.deepEqual([record.status, record.data.code], [400, 'ENTITY_ID_INVALID']);
    const module = await call(state, 'GET', '/crm/v8/Nope/123/actions/share');
    assert.equal(module.data.code, 'INVALID_MODULE');
  });
});

describe('record sharing through the SDK', () => {
  const sdk = sdkAgainstEmulator();

  it('crm.records(module).sharing(id) shares, lists and revokes; a refused user is a result, not a throw', async () => {
    const [lead] = await sdk.crm.records('Leads').create([{ Last_Name: 'Via SDK', Company: 'Acme' }]);
    const id = String(lead?.id);
    const sam = String(sdk.emu.crm.users().find((u) => u['full_name'] === 'Sam Rivera')?.['id']);
    const sharing = sdk.crm.records('Leads').sharing(id);
    const results = await sharing.create({ body: { share: [{ user: { id: sam }, permission: 'read_write' }, { user: { id: sdk.emu.crm.currentUserId }, permission: 'read_only' }] } });
    assert.deepEqual(results.map((r) => [r.status, r.code]), [
      ['success', 'SUCCESS'],
      ['error', 'INVALID_DATA'],
    ]);
    const listed = await sharing.get();
    assert.ok(listed !== undefined && 'share' in listed && Array.isArray(listed.share));
    assert.deepEqual(listed.share.map((s) => [s.user?.id, s.permission]), [[sam, 'read_write']]);
    await sharing.delete();
    // What the emulator holds after the revoke.
    assert.deepEqual(sdk.emu.crm.shares.of(id), []);
  });
});
