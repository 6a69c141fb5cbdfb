import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ConfigError, InvalidInputError, MetadataCache, SettingsResource, ZohoCRM } from '../../src/index.js';
import { startModern, type ModernSetup } from '../helpers/modern.js';

const settingsCalls = (setup: ModernSetup): string[] =>
  setup.emu.requests.filter((r) => r.path.includes('/settings/')).map((r) => `${r.path}${r.rawQuery ? `?${r.rawQuery}` : ''}`);

for (const version of ['v2', 'v8']) {
  describe(`crm.settings on ${version}`, () => {
    let setup: ModernSetup;
    before(async () => {
      setup = await startModern(version);
    });
    after(() => setup.close());

    it('lists modules once: the second call is answered from the cache', async () => {
      setup.emu.clearRequests();
      const first = await setup.crm.settings.modules();
      assert.ok(first.some((m) => m.api_name === 'Leads' && m.api_supported === true));
      const second = await setup.crm.settings.modules();
      assert.deepEqual(second, first);
      assert.deepEqual(settingsCalls(setup), [`/crm/${version}/settings/modules`]);
      // Callers get their own copy: mutating it does not poison the cache.
      first.length = 0;
      assert.ok((await setup.crm.settings.modules()).length > 0);
    });

    it('caches fields, layouts, custom views and related lists per module, and concurrent misses share one request', async () => {
      setup.emu.clearRequests();
      const [a, b] = await Promise.all([setup.crm.settings.fields('Leads'), setup.crm.settings.fields('Leads')]);
      assert.deepEqual(a, b);
      const lastName = a.find((f) => f.api_name === 'Last_Name');
      assert.equal(lastName?.data_type, 'text');
      const contactFields = await setup.crm.settings.fields('Contacts');
      assert.ok(contactFields.some((f) => f.api_name === 'Email'));
      const layouts = await setup.crm.settings.layouts('Leads');
      assert.ok(layouts.length > 0 && typeof layouts[0]?.id === 'string');
      const views = await setup.crm.settings.customViews('Leads');
      assert.ok(views.length > 0 && typeof views[0]?.id === 'string');
      const related = await setup.crm.settings.relatedLists('Leads');
      assert.ok(related.some((r) => typeof r.api_name === 'string'));
      await setup.crm.settings.fields('Leads');
      await setup.crm.settings.layouts('Leads');
      await setup.crm.settings.customViews('Leads');
      await setup.crm.settings.relatedLists('Leads');
      assert.deepEqual(settingsCalls(setup), [
        `/crm/${version}/settings/fields?module=Leads`,
        `/crm/${version}/settings/fields?module=Contacts`,
        `/crm/${version}/settings/layouts?module=Leads`,
        `/crm/${version}/settings/custom_views?module=Leads&page=1&per_page=200`,
        `/crm/${version}/settings/related_lists?module=Leads`,
      ]);
    });

    it('roles and profiles are fetched once', async () => {
      setup.emu.clearRequests();
      const roles = await setup.crm.settings.roles();
      const profiles = await setup.crm.settings.profiles();
      assert.ok(roles.length > 0 && typeof roles[0]?.name === 'string');
      assert.ok(profiles.length > 0 && typeof profiles[0]?.name === 'string');
      await setup.crm.settings.roles();
      await setup.crm.settings.profiles();
      assert.deepEqual(settingsCalls(setup), [`/crm/${version}/settings/roles`, `/crm/${version}/settings/profiles`]);
    });

    it('invalidate(module) drops that module and the modules list only; invalidate() drops everything; fresh asks again', async () => {
      const s = setup.crm.settings;
      await Promise.all([s.fields('Leads'), s.fields('Contacts'), s.modules(), s.roles()]);
      setup.emu.clearRequests();
      s.invalidate('leads');
      await Promise.all([s.fields('Leads'), s.fields('Contacts'), s.roles()]);
      await s.modules();
      assert.deepEqual(settingsCalls(setup), [`/crm/${version}/settings/fields?module=Leads`, `/crm/${version}/settings/modules`]);
      setup.emu.clearRequests();
      s.invalidate();
      await s.fields('Contacts');
      await s.roles({ fresh: true });
      await s.roles();
      assert.deepEqual(settingsCalls(setup), [`/crm/${version}/settings/fields?module=Contacts`, `/crm/${version}/settings/roles`]);
    });

    it('one module by API name; a bad module name is refused before any request', async () => {
      const leads = await setup.crm.settings.module('Leads');
      assert.equal(leads?.api_name, 'Leads');
      setup.emu.clearRequests();
      await assert.rejects(setup.crm.settings.fields('Leads/../x'), InvalidInputError);
      assert.throws(() => setup.crm.settings.invalidate('no such!'), InvalidInputError);
      assert.equal(setup.emu.requests.length, 0);
    });

    it('a Zoho error is thrown and not cached', async () => {
      setup.emu.clearRequests();
      await assert.rejects(setup.crm.settings.fields('No_Such_Module'), (e: unknown) => (e as { code?: string }).code === 'INVALID_MODULE');
      await assert.rejects(setup.crm.settings.fields('No_Such_Module'));
      assert.equal(settingsCalls(setup).length, 2);
    });
  });
}

describe('metadata cache options', () => {
  it('caches per user: another user of the same client asks Zoho itself', async () => {
    const setup = await startModern('v8');
    try {
      const other = setup.emu.crm.users().find((u) => u['id'] !== setup.emu.crm.currentUserId);
      assert.ok(other);
      await setup.crm.generateTokens(await setup.emu.grantToken({ userId: String(other['id']) }), 'other@example.com');
      const asOther = new ZohoCRM({
        clientId: setup.emu.client.clientId,
        clientSecret: setup.emu.client.clientSecret,
        accountsUrl: setup.emu.url,
        apiUrl: setup.emu.url,
        apiVersion: 'v8',
        userId: 'other@example.com',
        tokenStore: setup.crm.tokens.store,
      });
      // One cache shared by two senders acting as different users.
      const cache = new MetadataCache();
      const mine = new SettingsResource(setup.crm, cache);
      const theirs = new SettingsResource(asOther, cache);
      setup.emu.clearRequests();
      await mine.fields('Leads');
      await theirs.fields('Leads');
      await mine.fields('Leads');
      await theirs.roles();
      await mine.roles();
      const auth = setup.emu.requests.map((r) => `${r.path} ${String(r.headers.authorization).slice(-6)}`);
      assert.equal(auth.length, 3, auth.join('\n'));
      assert.notEqual(auth[0]?.slice(-6), auth[1]?.slice(-6));
      await asOther.close();
    } finally {
      await setup.close();
    }
  });

  it('TTL: a reply older than ttlMs is asked again; metadataCacheTtlMs: 0 turns the cache off', async () => {
    const setup = await startModern('v2', { client: { metadataCacheTtlMs: 0 } });
    try {
      let now = 1_000;
      const timed = new SettingsResource(setup.crm, new MetadataCache({ ttlMs: 10_000, now: () => now }));
      setup.emu.clearRequests();
      await timed.roles();
      now += 9_999;
      await timed.roles();
      now += 1;
      await timed.roles();
      assert.equal(setup.emu.requests.length, 2);
      setup.emu.clearRequests();
      await setup.crm.settings.roles();
      await setup.crm.settings.roles();
      assert.equal(setup.emu.requests.length, 2);
    } finally {
      await setup.close();
    }
  });

  it('a bad TTL is a ConfigError naming the option', () => {
    assert.throws(
      () => new ZohoCRM({ clientId: 'a', clientSecret: 'b', metadataCacheTtlMs: -1 }),
      (e: unknown) => e instanceof ConfigError && e.option === 'metadataCacheTtlMs' && /metadataCacheTtlMs/.test(e.message),
    );
  });
});
