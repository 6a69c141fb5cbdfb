/**
 * Users in territories: `/users/{user}/territories` (5 operations) and `/settings/territories/{id}/users`
 * (6 operations) are two sides of one relation, so a link made on either side is read on the other, and an
 * unlink on either side is gone from both.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { call, makeState } from './helpers.js';

type State = ReturnType<typeof makeState>;

/** A fresh state, two org territories and two active users of the org. */
async function setup(): Promise<{ state: State; north: string; south: string; sam: string; me: string }> {
  const state = makeState();
  const org = await call(state, 'GET', '/crm/v8/settings/territories');
  assert.equal(org.status, 200, JSON.stringify(org.json));
  const [north, south] = (org.data.territories as { id: string }[]).map((t) => String(t.id));
  const sam = String(state.directory.users.find((u) => u['full_name'] === 'Sam Rivera')?.['id']);
  assert.ok(north !== undefined && south !== undefined);
  return { state, north, south, sam, me: state.currentUserId };
}

const ids = (reply: { status: number; data: Record<string, { id: string }[]> }, key: string): string[] => (reply.status === 204 ? [] : (reply.data[key] ?? []).map((x) => String(x.id)));

describe('users in territories: one relation, two sides', () => {
  it('a user associated with territories is listed among each territory’s users', async () => {
    const { state, north, south, me } = await setup();
    const put = await call(state, 'PUT', `/crm/v8/users/${me}/territories`, { body: { territories: [{ id: north }, { id: south }] } });
    assert.equal(put.status, 200, JSON.stringify(put.json));
    assert.deepEqual(ids(await call(state, 'GET', `/crm/v8/settings/territories/${north}/users`), 'users'), [me]);
    const one = await call(state, 'GET', `/crm/v8/settings/territories/${south}/users/${me}`);
    assert.equal(one.status, 200, JSON.stringify(one.json));
    assert.equal(one.data.users[0].id, me);
    assert.deepEqual(state.territoryUsers.snapshot(), [{ user: me, territory: north }, { user: me, territory: south }]);
  });

  it('users assigned to a territory (both PUTs) have it among their territories, in the user-territory shape', async () => {
    const { state, north, sam, me } = await setup();
    assert.equal((await call(state, 'PUT', `/crm/v8/settings/territories/${north}/users`, { body: { users: [{ id: sam }] } })).status, 200);
    assert.equal((await call(state, 'PUT', `/crm/v8/settings/territories/${north}/users/${me}`)).status, 200);
    assert.deepEqual(ids(await call(state, 'GET', `/crm/v8/settings/territories/${north}/users`), 'users'), [sam, me]);
    const theirs = await call(state, 'GET', `/crm/v8/users/${sam}/territories`);
    assert.equal(theirs.status, 200, JSON.stringify(theirs.json));
    const name = (await call(state, 'GET', `/crm/v8/settings/territories/${north}`)).data.territories[0].name;
    assert.deepEqual([theirs.data.territories.length, theirs.data.territories[0].id, theirs.data.territories[0].Name], [1, north, name]);
    assert.equal((await call(state, 'GET', `/crm/v8/users/${me}/territories/${north}`)).data.territories[0].id, north);
  });

  it('an unlink on either side is gone from both', async () => {
    const { state, north, south, sam, me } = await setup();
    await call(state, 'PUT', `/crm/v8/users/${me}/territories`, { body: { territories: [{ id: north }, { id: south }] } });
    await call(state, 'PUT', `/crm/v8/settings/territories/${north}/users`, { body: { users: [{ id: sam }] } });
    // From the territory's side: one user, then a list of users.
    assert.equal((await call(state, 'DELETE', `/crm/v8/settings/territories/${north}/users/${sam}`)).status, 200);
    assert.equal((await call(state, 'GET', `/crm/v8/users/${sam}/territories`)).status, 204);
    assert.equal((await call(state, 'DELETE', `/crm/v8/settings/territories/${south}/users?ids=${me}`)).status, 200);
    assert.deepEqual(ids(await call(state, 'GET', `/crm/v8/users/${me}/territories`), 'territories'), [north]);
    // From the user's side: one territory, then a list.
    assert.equal((await call(state, 'DELETE', `/crm/v8/users/${me}/territories/${north}`)).status, 200);
    assert.equal((await call(state, 'GET', `/crm/v8/settings/territories/${north}/users`)).status, 204);
    await call(state, 'PUT', `/crm/v8/settings/territories/${south}/users`, { body: { users: [{ id: me }] } });
    assert.equal((await call(state, 'DELETE', `/crm/v8/users/${me}/territories?ids=${south}`)).status, 200);
    assert.equal((await call(state, 'GET', `/crm/v8/settings/territories/${south}/users`)).status, 204);
    assert.deepEqual(state.territoryUsers.snapshot(), []);
  });

  it('refuses an unknown user or territory, on either side, without linking anything', async () => {
    const { state, north, me } = await setup();
    const noUser = await call(state, 'PUT', `/crm/v8/settings/territories/${north}/users`, { body: { users: [{ id: '111111111' }] } });
    assert.deepEqual([noUser.status, noUser.data.users[0].code, noUser.data.users[0].details.json_path], [400, 'INVALID_DATA', '$.users[0].id']);
    const noTerritory = await call(state, 'GET', '/crm/v8/settings/territories/222222222/users');
    assert.deepEqual([noTerritory.status, noTerritory.data.code, noTerritory.data.details.param_name], [400, 'INVALID_DATA', 'territory']);
    const badRef = await call(state, 'PUT', `/crm/v8/users/${me}/territories`, { body: { territories: [{ id: '222222222' }] } });
    assert.deepEqual([badRef.status, badRef.data.territories[0].details.json_path], [400, '$.territories[0].id']);
    assert.equal((await call(state, 'GET', '/crm/v8/users/111111111/territories')).data.details.param_name, 'user');
    assert.deepEqual(state.territoryUsers.snapshot(), []);
  });

  it('counts each territory’s users from the same pairs', async () => {
    const { state, north, south, sam, me } = await setup();
    await call(state, 'PUT', `/crm/v8/users/${me}/territories`, { body: { territories: [{ id: north }] } });
    await call(state, 'PUT', `/crm/v8/settings/territories/${north}/users`, { body: { users: [{ id: sam }] } });
    const res = await call(state, 'GET', '/crm/v8/settings/territories/actions/associated_users_count');
    assert.equal(res.status, 200, JSON.stringify(res.json));
    const counts = new Map((res.data.associated_users_count as { count: string; territory: { id: string } }[]).map((c) => [c.territory.id, c.count]));
    assert.deepEqual([counts.get(north), counts.get(south)], ['2', '0']);
  });
});
