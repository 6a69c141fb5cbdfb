/**
 * Fidelity (issue 16): Zoho's @zohocrm/typescript-sdk-8.0, unmodified, makes one call in each org-settings area
 * (notifications, pick_list_values, pipeline, record_locking_configuration, scoring_rules, service_preference,
 * sharing_rules, shift_hours, territories, territory_users, unsubscribe_links, user_groups, variables,
 * zia_org_enrichment, zia_people_enrichment) against the emulator over HTTPS; each reply must be one the SDK
 * parses into its expected class, and what the emulator received or stored must be what the call meant.
 * Steps: ./typescript-sdk-8.0/steps/org-settings.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertActionSuccess, sdkSession, type StepReply } from './typescript-sdk-8.0/harness.js';

describe('@zohocrm/typescript-sdk-8.0 org-settings areas against the emulator', () => {
  const sdk = sdkSession({ groups: ['org-settings'] });

  /** The items of a generic collection of the emulator (`settings/pipeline`). */
  function stored(key: string): StepReply[] {
    return [...(sdk.emu.crm.spec.collections.get(key)?.values() ?? [])];
  }
  const admin = (): StepReply => sdk.emu.crm.seedData.users.find((u) => u.id === sdk.emu.crm.currentUserId) as StepReply;
  const field = (module: string, apiName: string): StepReply => sdk.emu.crm.store(module)?.def.fields.find((f) => f.api_name === apiName) as unknown as StepReply;
  const layoutId = (module: string): string => String(sdk.emu.crm.store(module)?.def.layouts[0]?.['id']);

  it('notifications: enabling a channel for lead creations', async () => {
    const r = await sdk.step('enableNotification', { channelId: '1000000068001', events: 'Leads.create', notifyUrl: 'https://hooks.example.com/crm', token: 'fidelity-d' });
    assertActionSuccess(r, 201);
    assert.deepEqual(r['details']['events'].map((e: StepReply) => [e['resourceName'], e['channelId']]), [['Leads', '1000000068001']]);
    const channel = sdk.emu.crm.notifications.channels(sdk.emu.crm.currentUserId).find((c) => c.channel_id === '1000000068001');
    assert.deepEqual([channel?.events, channel?.notify_url, channel?.token], [['Leads.create'], 'https://hooks.example.com/crm', 'fidelity-d']);
  });

  it("pick_list_values: a field's own values, in order", async () => {
    const leadSource = field('Leads', 'Lead_Source');
    const r = await sdk.step('pickListValues', { fieldId: leadSource['id'], module: 'Leads' });
    assert.equal(r['ok'], true, JSON.stringify(r));
    assert.equal(sdk.received('GET', `/crm/v8/settings/fields/${String(leadSource['id'])}/pick_list_values`).query['module'], 'Leads');
    assert.deepEqual(
      r['values'],
      leadSource['pick_list_values'].map((v: StepReply) => ({ actual: v['actual_value'], display: v['display_value'] })),
    );
  });

  it('pipeline: a pipeline with one stage on the Deals layout', async () => {
    const layout = layoutId('Deals');
    const r = await sdk.step('createPipeline', { layoutId: layout, name: 'Enterprise', stage: 'Qualification' });
    assertActionSuccess(r, 201);
    assert.equal(sdk.received('POST', '/crm/v8/settings/pipeline').query['layout_id'], layout);
    const saved = stored('settings/pipeline').find((x) => x.id === r['id']);
    assert.equal(saved?.['display_value'], 'Enterprise');
    assert.deepEqual(saved?.['maps'].map((m: StepReply) => [m['actual_value'], m['forecast_type']]), [['Qualification', 'Open']]);
  });

  it('record_locking_configuration: an automatic lock on Leads', async () => {
    const r = await sdk.step('addRecordLockingConfiguration', { module: 'Leads', lockType: 'automatic' });
    assertActionSuccess(r, 201);
    assert.equal(sdk.received('POST', '/crm/v8/settings/record_locking_configurations').query['module'], 'Leads');
    const saved = stored('settings/record_locking_configurations').find((x) => x.id === r['id']);
    assert.deepEqual([saved?.['lock_type'], saved?.['restricted_actions']], ['automatic', ['update']]);
  });

  it('scoring_rules: a field rule scoring leads from advertisements', async () => {
    const r = await sdk.step('createScoringRule', {
      module: 'Leads',
      layoutId: layoutId('Leads'),
      name: 'Hot leads',
      description: 'Leads from advertisements',
      field: 'Lead_Source',
      value: 'Advertisement',
      score: 10,
    });
    assertActionSuccess(r, 201);
    const saved = stored('settings/automation/scoring_rules').find((x) => x.id === r['id']);
    assert.equal(saved?.['name'], 'Hot leads');
    assert.equal(saved?.['module'].api_name, 'Leads');
    const rule = saved?.['field_rules'][0];
    assert.deepEqual([rule.score, rule.criteria.comparator, rule.criteria.field.api_name, rule.criteria.value], [10, 'equal', 'Lead_Source', 'Advertisement']);
  });

  it('service_preference: an update is read back', async () => {
    const r = await sdk.step('servicePreference', { jobSheetEnabled: true });
    assertActionSuccess(r);
    assert.deepEqual(sdk.received('PUT', '/crm/v8/settings/service_preferences').json, { service_preferences: { job_sheet_enabled: true } });
    assert.deepEqual(r['read'], { status: 200, ok: true, jobSheetEnabled: true });
  });

  it('sharing_rules: a criteria-based rule sharing lead records with a role', async () => {
    const role = sdk.emu.crm.seedData.roles[0] as StepReply;
    const r = await sdk.step('createSharingRule', { module: 'Leads', name: 'Advertised leads', field: 'Lead_Source', value: 'Advertisement', roleId: role['id'], roleName: role['name'] });
    assertActionSuccess(r, 201);
    assert.equal(sdk.received('POST', '/crm/v8/settings/data_sharing/rules').query['module'], 'Leads');
    const saved = stored('settings/data_sharing/rules').find((x) => x.id === r['id']);
    assert.deepEqual([saved?.['type'], saved?.['status'], saved?.['permission_type']], ['Criteria_Based', 'active', 'read']);
    assert.deepEqual(saved?.['shared_to'], { resource: { id: role['id'], name: role['name'] }, type: 'roles', subordinates: false });
  });

  it('shift_hours: a shift with its time zone and daily timing is read back', async () => {
    const r = await sdk.step('createShiftHours', { name: 'Morning shift', timezone: 'Asia/Kolkata', days: 'Monday,Tuesday', timing: '09:00,17:00', userId: sdk.emu.crm.currentUserId });
    assertActionSuccess(r, 201);
    const sent = sdk.received('POST', '/crm/v8/settings/business_hours/shift_hours').json['shift_hours'][0];
    assert.equal(sent.timezone, 'Asia/Kolkata');
    assert.deepEqual(sent.users, [{ id: sdk.emu.crm.currentUserId }]);
    assert.equal(r['read']['ok'], true, JSON.stringify(r['read']));
    assert.deepEqual([r['read']['name'], r['read']['timezone'], r['read']['days']], ['Morning shift', 'Asia/Kolkata', ['Monday', 'Tuesday']]);
    assert.deepEqual(r['read']['timing'], ['09:00', '17:00']);
  });

  it('territories: a territory under an existing one, with a manager', async () => {
    const user = admin();
    const r = await sdk.step('createTerritory', { name: 'North', description: 'Northern accounts', managerId: user['id'], managerName: user['full_name'] });
    assertActionSuccess(r, 201);
    const saved = stored('settings/territories').find((x) => x.id === r['id']);
    assert.equal(saved?.['name'], 'North');
    assert.equal(saved?.['reporting_to'].id, r['parentId']);
    assert.equal(saved?.['manager'].id, user['id']);
  });

  it('territory_users: a user assigned to a territory is listed in it', async () => {
    const territory = await sdk.step('createTerritory', { name: 'South', description: 'Southern accounts', managerId: admin()['id'], managerName: admin()['full_name'] });
    assertActionSuccess(territory, 201);
    const r = await sdk.step('assignTerritoryUsers', { territoryId: territory['id'], userId: sdk.emu.crm.currentUserId });
    assertActionSuccess(r);
    assert.deepEqual(sdk.received('PUT', `/crm/v8/settings/territories/${String(territory['id'])}/users`).json, { users: [{ id: sdk.emu.crm.currentUserId }] });
    assert.equal(r['read']['ok'], true, JSON.stringify(r['read']));
    assert.ok(r['read']['userIds'].includes(sdk.emu.crm.currentUserId), JSON.stringify(r['read']));
    // One relation, two sides: the territory is among the user's territories too.
    assert.ok(sdk.emu.crm.territoryUsers.territoriesOf(sdk.emu.crm.currentUserId).includes(String(territory['id'])));
    const counts = await sdk.step('territoryUserCounts');
    assert.equal(counts['ok'], true, JSON.stringify(counts));
    assert.equal(counts['counts'][String(territory['id'])], '1');
  });

  it('unsubscribe_links: a standard page link', async () => {
    const r = await sdk.step('createUnsubscribeLink', { name: 'Newsletter', message: 'Unsubscribe from our newsletter?', landingUrl: 'https://www.example.com/bye' });
    assertActionSuccess(r, 201);
    const saved = stored('settings/unsubscribe_links').find((x) => x.id === r['id']);
    assert.deepEqual([saved?.['name'], saved?.['page_type'], saved?.['submission_action_type']], ['Newsletter', 'standard', 'display_message']);
  });

  it('user_groups: a group of one user (createGroups; the v8 GETs are unsupported)', async () => {
    const user = admin();
    const r = await sdk.step('createUserGroup', { name: 'Field sales', description: 'Sales reps on the road', userId: user['id'], userName: user['full_name'] });
    assertActionSuccess(r, 201);
    const saved = stored('settings/user_groups').find((x) => x.id === r['id']);
    assert.equal(saved?.['name'], 'Field sales');
    assert.deepEqual(saved?.['sources'].map((s: StepReply) => [s['type'], s['source']]), [['users', { id: user['id'], name: user['full_name'] }]]);
  });

  it('variables: an integer variable in the first variable group', async () => {
    const r = await sdk.step('createVariable', { name: 'Quota', apiName: 'Quota', value: 5 });
    assertActionSuccess(r, 201);
    const saved = stored('settings/variables').find((x) => x.id === r['id']);
    assert.deepEqual([saved?.['api_name'], saved?.['type'], saved?.['value'], saved?.['variable_group'].id], ['Quota', 'integer', 5, r['groupId']]);
  });

  it('zia_org_enrichment: an enrichment request for an account', async () => {
    const r = await sdk.step('ziaOrgEnrichment', { module: 'Accounts', company: 'Zylker', website: 'www.zylker.com' });
    assertActionSuccess(r, 202);
    const sent = sdk.received('POST', '/crm/v8/__zia_org_enrichment');
    assert.equal(sent.query['module'], 'Accounts');
    assert.deepEqual(sent.json, { __zia_org_enrichment: [{ enrich_based_on: { website: 'www.zylker.com', name: 'Zylker' } }] });
  });

  it('zia_people_enrichment: an enrichment request for a contact', async () => {
    const r = await sdk.step('ziaPeopleEnrichment', { module: 'Contacts', name: 'Ann Lee', email: 'ann@zylker.com' });
    assertActionSuccess(r, 202);
    const sent = sdk.received('POST', '/crm/v8/__zia_people_enrichment');
    assert.equal(sent.query['module'], 'Contacts');
    assert.deepEqual(sent.json, { __zia_people_enrichment: [{ enrich_based_on: { name: 'Ann Lee', email: 'ann@zylker.com' } }] });
  });
});
