/**
 * Fidelity (issue 16): Zoho's @zohocrm/typescript-sdk-8.0, unmodified, makes one call in each users and portals
 * area (portals, portal_user_type, user_type_users, users_territories, users_transfer_delete, users_unavailability,
 * variable_groups, wizards) against the emulator over HTTPS; each reply must be one the SDK parses into its
 * expected class, and what the emulator received or stored must be what the call meant.
 * Steps: ./typescript-sdk-8.0/steps/users-portals.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertActionSuccess, sdkSession, type StepReply } from './typescript-sdk-8.0/harness.js';

describe('@zohocrm/typescript-sdk-8.0 users and portals areas against the emulator', () => {
  const sdk = sdkSession({ groups: ['users-portals'] });
  const me = (): string => sdk.emu.crm.currentUserId;

  /** The items of a generic collection of the emulator (`settings/portals`). */
  function stored(key: string): StepReply[] {
    return [...(sdk.emu.crm.spec.collections.get(key.toLowerCase())?.values() ?? [])];
  }

  it('portals: createPortal posts the name; getPortals lists it', async () => {
    const name = `Partners${process.pid}`;
    const r = await sdk.step('createPortal', { name });
    assertActionSuccess(r);
    assert.deepEqual(sdk.received('POST', '/crm/v8/settings/portals').json, { portals: [{ name }] });
    assert.ok(r['list']['portals'].some((p: StepReply) => p['name'] === name), JSON.stringify(r['list']));
    assert.equal(stored('settings/portals').find((p) => p['id'] === r['id'])?.['name'], name);
  });

  it('portal_user_type and user_type_users: a user type is renamed and deactivated, and one of its users deactivated', async () => {
    const portal = String(stored('settings/portals')[0]?.['name']);
    const types = await sdk.step('userTypes', { portal });
    assert.equal(types['ok'], true, JSON.stringify(types));
    const userType = String(types['userTypes'][0]?.['id']);
    const r = await sdk.step('updateUserType', { portal, userType, name: 'Resellers', active: false });
    assertActionSuccess(r);
    assert.deepEqual(sdk.received('PUT', `/crm/v8/settings/portals/${encodeURIComponent(portal)}/user_type/${userType}`).json, { user_type: [{ name: 'Resellers', active: false }] });
    assert.deepEqual(r['read'], { status: 200, ok: true, id: userType, name: 'Resellers', active: false });

    const s = await sdk.step('changePortalUserStatus', { portal, userType, active: false });
    assert.equal(s['ok'], true, JSON.stringify(s));
    assert.equal(s['itemClass'], 'SuccessResponse');
    const user = String(s['users']['users'][0]?.['id']);
    assert.equal(s['details']['personality_id'], user);
    const usersPath = `/crm/v8/settings/portals/${encodeURIComponent(portal)}/user_type/${userType}/users`;
    assert.equal(sdk.received('GET', usersPath).query['type'], 'all');
    assert.deepEqual(sdk.received('PUT', `${usersPath}/${user}/actions/change_status`).query, { active: 'false' });
    const after = stored(`settings/portals/${portal}/user_type/${userType}/users`).find((u) => String(u['personality_id'] ?? u['id']) === user);
    assert.equal(after?.['active'], false);
  });

  it('users_territories: an org territory is associated with the user and listed as theirs', async () => {
    const org = await sdk.step('territoryIds');
    assert.equal(org['ok'], true, JSON.stringify(org));
    const territory = String(org['ids'][0]);
    const r = await sdk.step('associateTerritories', { user: me(), territory });
    assertActionSuccess(r);
    assert.deepEqual(sdk.received('PUT', `/crm/v8/users/${me()}/territories`).json, { territories: [{ id: territory }] });
    const name = stored('settings/territories').find((t) => t['id'] === territory)?.['name'];
    assert.deepEqual(r['list']['territories'], [{ id: territory, name }]);
    assert.deepEqual(sdk.emu.crm.territoryUsers.territoriesOf(me()), [territory]);
  });

  it('users_transfer_delete: the user is deleted, their records and subordinates go to the named user', async () => {
    const [leaving, subordinate] = sdk.emu.crm.directory.users.filter((u) => u['id'] !== me() && u['status'] === 'active');
    const id = String(leaving?.['id']);
    // The seed's leads all belong to the current user: give the leaving user two, and a report.
    const owned = [...(sdk.emu.crm.store('Leads')?.records.values() ?? [])].slice(0, 2);
    for (const lead of owned) lead['Owner'] = sdk.emu.crm.userRef(id);
    if (subordinate !== undefined) subordinate['Reporting_To'] = { name: String(leaving?.['full_name']), id };
    const r = await sdk.step('transferAndDeleteUser', { user: id, to: me() });
    assertActionSuccess(r);
    assert.equal(r['id'], id);
    assert.match(String(r['details']['jobId']), /^\d+$/);
    const sent = sdk.received('POST', `/crm/v8/users/${id}/actions/transfer_and_delete`).json;
    assert.deepEqual(sent['transfer_and_delete'][0]['transfer'], { records: true, assignment: true, criteria: true, id: me() });
    assert.equal(sdk.emu.crm.users().find((u) => u['id'] === id)?.['status'], 'deleted');
    assert.deepEqual(owned.map((l) => (l['Owner'] as { id: string }).id), [me(), me()]);
    assert.equal((subordinate?.['Reporting_To'] as { id: string }).id, me());
  });

  it('users_unavailability: an absence is created for the user and read back by id', async () => {
    const user = sdk.emu.crm.users().find((u) => u['id'] === me());
    const r = await sdk.step('createUnavailability', {
      user: me(),
      userName: String(user?.['full_name']),
      zuid: String(user?.['zuid']),
      from: '2026-03-01T09:00:00Z',
      to: '2026-03-01T17:00:00Z',
      title: 'Conference',
      comments: 'Offsite',
      service: 'crm',
    });
    assertActionSuccess(r, 201);
    const sent = sdk.received('POST', '/crm/v8/settings/users_unavailability').json['users_unavailability'][0];
    assert.deepEqual([sent.title, sent.from, sent.to, sent.user.id], ['Conference', '2026-03-01T09:00:00Z', '2026-03-01T17:00:00Z', me()]);
    assert.deepEqual(r['read'], { status: 200, ok: true, id: r['id'], title: 'Conference', comments: 'Offsite', user: me(), service: 'crm' });
  });

  it('variable_groups: the groups with their api names', async () => {
    const r = await sdk.step('variableGroups');
    assert.equal(r['ok'], true, JSON.stringify(r));
    assert.deepEqual(r['groups'], stored('settings/variable_groups').map((g) => ({ id: g['id'], apiName: g['api_name'], name: g['name'] })));
  });

  it('wizards: the list, then one wizard for a layout', async () => {
    const layout = String(sdk.emu.crm.store('Leads')?.def.layouts[0]?.['id']);
    const r = await sdk.step('wizards', { layout });
    assert.equal(r['ok'], true, JSON.stringify(r));
    assert.deepEqual(r['wizards'].map((w: StepReply) => w['id']), stored('settings/wizards').map((w) => w['id']));
    assert.equal(r['one']['ok'], true, JSON.stringify(r['one']));
    assert.equal(r['one']['id'], r['wizards'][0]['id']);
    assert.equal(sdk.received('GET', `/crm/v8/settings/wizards/${r['one']['id']}`).query['layout_id'], layout);
  });
});
