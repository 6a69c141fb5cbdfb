import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { IdGenerator } from '../../src/ids.js';
import { defaultDirectory, defaultOrg, defaultUsers, filterUsersByType } from '../../src/seed/org.js';

const USER_KEYS = ['id', 'first_name', 'last_name', 'full_name', 'email', 'role', 'profile', 'status', 'confirm', 'zuid', 'alias', 'city', 'country', 'country_locale', 'state', 'street', 'zip', 'phone', 'mobile', 'fax', 'website', 'language', 'locale', 'time_zone', 'time_format', 'date_format', 'decimal_separator', 'name_format', 'offset', 'dob', 'signature', 'microsoft', 'personal_account', 'Isonline', 'Currency', 'default_tab_group', 'theme', 'customize_info', 'territories', 'Reporting_To', 'created_by', 'Modified_By', 'created_time', 'Modified_Time'];
const ORG_KEYS = ['id', 'company_name', 'alias', 'primary_email', 'primary_zuid', 'zgid', 'domain_name', 'phone', 'mobile', 'fax', 'website', 'street', 'city', 'state', 'zip', 'country', 'country_code', 'description', 'employee_count', 'currency', 'currency_symbol', 'currency_locale', 'iso_code', 'time_zone', 'mc_status', 'gapps_enabled', 'translation_enabled', 'privacy_settings', 'photo_id', 'zia_portal_id', 'license_details'];

const now = Date.UTC(2025, 5, 1, 12);
const dir = defaultDirectory(new IdGenerator(5), now);
const users = dir.users;
const admin = users[0] as Record<string, unknown>;
const names = (list: Record<string, unknown>[] | null): string[] => (list ?? []).map((u) => String(u['full_name']));

describe('defaultUsers', () => {
  it('starts with the active confirmed admin Patricia Boyle', () => {
    assert.equal(admin['full_name'], 'Patricia Boyle');
    assert.equal(admin['email'], 'admin@emulator.zoho.local');
    assert.equal(admin['status'], 'active');
    assert.equal(admin['confirm'], true);
    assert.equal((admin['role'] as { name: string }).name, 'CEO');
    assert.equal((admin['profile'] as { name: string }).name, 'Administrator');
    assert.match(String(admin['zuid']), /^\d+$/);
    assert.equal(admin['created_time'], '2025-06-01T12:00:00+00:00');
  });

  it('carries every §8 user key with digit-string ids', () => {
    for (const u of users) {
      for (const k of USER_KEYS) assert.ok(k in u, `${String(u['full_name'])} lacks ${k}`);
      assert.match(String(u['id']), /^\d{19}$/);
    }
    assert.equal(new Set(users.map((u) => u['email'])).size, users.length);
  });

  it('builds its own roles and profiles when none are given', () => {
    const alone = defaultUsers(new IdGenerator(5), now);
    assert.equal(alone.length, users.length);
    assert.equal((alone[0]?.['profile'] as { name: string }).name, 'Administrator');
  });
});

describe('filterUsersByType', () => {
  const cases: [string, string[]][] = [
    ['AllUsers', ['Patricia Boyle', 'Sam Rivera', 'Lin Park', 'Dana Okafor']],
    ['ActiveUsers', ['Patricia Boyle', 'Sam Rivera', 'Lin Park']],
    ['DeactiveUsers', ['Dana Okafor']],
    ['ConfirmedUsers', ['Patricia Boyle', 'Sam Rivera', 'Dana Okafor']],
    ['NotConfirmedUsers', ['Lin Park']],
    ['DeletedUsers', ['Chris Nolan']],
    ['ActiveConfirmedUsers', ['Patricia Boyle', 'Sam Rivera']],
    ['AdminUsers', ['Patricia Boyle', 'Dana Okafor']],
    ['ActiveConfirmedAdmins', ['Patricia Boyle']],
    ['CurrentUser', ['Patricia Boyle']],
    ['activeusers', ['Patricia Boyle', 'Sam Rivera', 'Lin Park']],
  ];
  for (const [type, expected] of cases) {
    it(`${type} selects ${expected.join(', ')}`, () => {
      assert.deepEqual(names(filterUsersByType(users, type, String(admin['id']))), expected);
    });
  }

  it('CurrentUser follows the given id', () => {
    assert.deepEqual(names(filterUsersByType(users, 'CurrentUser', String(users[1]?.['id']))), ['Sam Rivera']);
  });

  it('returns null for an unknown type', () => {
    assert.equal(filterUsersByType(users, 'SomeUsers', String(admin['id'])), null);
  });
});

describe('roles, profiles, org', () => {
  it('roles report up to the CEO', () => {
    const [ceo, manager, rep] = dir.roles;
    assert.equal(ceo?.['reporting_to'], null);
    assert.deepEqual(manager?.['reporting_to'], { name: 'CEO', id: ceo?.['id'] });
    assert.deepEqual(rep?.['reporting_to'], { name: 'Manager', id: manager?.['id'] });
    for (const r of dir.roles) for (const k of ['id', 'name', 'display_label', 'reporting_to', 'share_with_peers', 'admin_user', 'forecast_manager', 'description']) assert.ok(k in r);
  });

  it('profiles carry the §8 keys', () => {
    assert.deepEqual(dir.profiles.map((p) => p['name']), ['Administrator', 'Standard']);
    for (const p of dir.profiles) {
      for (const k of ['id', 'name', 'display_label', 'default', 'category', 'description', 'created_by', 'modified_by', 'created_time', 'modified_time', 'permissions_details', 'sections']) assert.ok(k in p);
    }
  });

  it('org carries the §8 keys, a digit zgid and the admin as primary contact', () => {
    for (const k of ORG_KEYS) assert.ok(k in dir.org, `org lacks ${k}`);
    assert.match(String(dir.org['zgid']), /^[1-9]\d+$/);
    assert.equal(dir.org['primary_zuid'], admin['zuid']);
    assert.equal(dir.org['time_zone'], 'UTC');
    const alone = defaultOrg(new IdGenerator(1));
    assert.equal(alone['primary_email'], 'admin@emulator.zoho.local');
    assert.deepEqual(Object.keys(alone['license_details'] as object), ['paid', 'paid_type', 'paid_expiry', 'trial_type', 'trial_expiry', 'users_license_purchased']);
  });
});
