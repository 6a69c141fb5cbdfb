/**
 * Fidelity (issue 16): Zoho's @zohocrm/typescript-sdk-8.0, unmodified, makes one call in each org/module
 * settings area (apis … inventory_templates) against the emulator over HTTPS; each reply must be one the SDK
 * parses into its expected class, and what the emulator received or stored must be what the call meant.
 * Steps: ./typescript-sdk-8.0/steps/settings.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertActionSuccess, sdkSession, type StepReply } from './typescript-sdk-8.0/harness.js';

describe('@zohocrm/typescript-sdk-8.0 settings areas against the emulator', () => {
  const sdk = sdkSession({ groups: ['settings'] });

  /** The items of a generic collection of the emulator (`settings/holidays`). */
  function stored(key: string): StepReply[] {
    return [...(sdk.emu.crm.spec.collections.get(key)?.values() ?? [])];
  }

  it('apis: getSupportedAPI lists the supported paths with their operation types', async () => {
    const r = await sdk.step('supportedApis');
    assert.equal(r['status'], 200, JSON.stringify(r));
    assert.deepEqual(r['paths'], stored('__apis').map((a) => a['path']));
    assert.ok(r['methods'].length >= 1);
  });

  it('appointment_preference: an update is read back', async () => {
    const r = await sdk.step('appointmentPreference', { showJobSheet: true, whenDurationExceeds: 'extend_automatically' });
    assertActionSuccess(r);
    assert.deepEqual(sdk.received('PUT', '/crm/v8/settings/appointment_preferences').json, { appointment_preferences: { show_job_sheet: true, when_duration_exceeds: 'extend_automatically' } });
    assert.deepEqual(r['read'], { status: 200, ok: true, showJobSheet: true, whenDurationExceeds: 'extend_automatically' });
  });

  it('assignment_rules: the rules of a module', async () => {
    const r = await sdk.step('assignmentRules', { module: 'Leads' });
    assert.equal(r['status'], 200, JSON.stringify(r));
    assert.equal(sdk.received('GET', '/crm/v8/settings/automation/assignment_rules').query['module'], 'Leads');
    assert.deepEqual(r['rules'], stored('settings/automation/assignment_rules').map((x) => ({ id: x.id, name: x['name'] })));
  });

  it('audit_log_export: an export job for a criteria group', async () => {
    const r = await sdk.step('auditLogExport', { action: 'added', userId: sdk.emu.crm.currentUserId });
    assertActionSuccess(r);
    const criteria = sdk.received('POST', '/crm/v8/settings/audit_log_export').json['audit_log_export'][0].criteria;
    assert.equal(criteria.group_operator, 'and');
    assert.deepEqual(criteria.group[0], { comparator: 'equal', field: { api_name: 'action' }, value: 'added' });
    const job = stored('settings/audit_log_export').find((x) => x.id === r['id']);
    assert.deepEqual((job?.['criteria'] as StepReply)['group'].map((c: StepReply) => c['field'].api_name), ['action', 'done_by']);
  });

  it('available_currencies: the ISO codes', async () => {
    const r = await sdk.step('availableCurrencies');
    assert.equal(r['status'], 200, JSON.stringify(r));
    assert.ok(r['isoCodes'].length >= 1);
    assert.ok(r['isoCodes'].every((c: unknown) => typeof c === 'string'));
  });

  it('backup: scheduling a weekly backup (Zoho fills in the schedule date, status and requester)', async () => {
    const r = await sdk.step('backup', { rrule: 'RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=SU', startDate: '2026-02-01' });
    assertActionSuccess(r);
    const sent = sdk.received('POST', '/crm/bulk/v8/backup').json;
    assert.equal(sent['backup'].rrule, 'RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=SU');
    assert.match(sent['backup'].start_date, /^2026-02-01T/);
  });

  it('business_hours: an update is read back', async () => {
    const r = await sdk.step('businessHours', { days: 'Monday,Tuesday', timing: '09:00,17:00' });
    assertActionSuccess(r);
    assert.deepEqual(sdk.received('PUT', '/crm/v8/settings/business_hours').json['business_hours'].daily_timing, ['09:00', '17:00']);
    assert.deepEqual(r['read'], { status: 200, ok: true, type: 'custom', businessDays: ['Monday', 'Tuesday'], dailyTiming: ['09:00', '17:00'] });
  });

  it('cadences: the cadences and their modules', async () => {
    const r = await sdk.step('cadences');
    assert.equal(r['status'], 200, JSON.stringify(r));
    assert.deepEqual(r['cadences'].map((c: StepReply) => c['id']), stored('settings/automation/cadences').map((x) => x.id));
  });

  it('call_preferences: an update is read back', async () => {
    const r = await sdk.step('callPreferences', { showFromNumber: true, showToNumber: false });
    assertActionSuccess(r);
    assert.deepEqual(sdk.received('PUT', '/crm/v8/settings/call_preferences').json, { call_preferences: { show_from_number: true, show_to_number: false } });
    assert.deepEqual(r['read'], { status: 200, ok: true, showFromNumber: true, showToNumber: false });
  });

  it('duplicate_check_preference: Leads checked against Contacts by Email', async () => {
    const r = await sdk.step('duplicateCheckPreference');
    assertActionSuccess(r);
    const sent = sdk.received('POST', '/crm/v8/settings/duplicate_check_preference');
    assert.equal(sent.query['module'], 'Leads');
    assert.equal(sent.json['duplicate_check_preference'].type, 'mapped_module_records');
    assert.equal(sent.json['duplicate_check_preference'].type_configurations[0].mapped_module.api_name, 'Contacts');
  });

  it('email_templates: the templates of a module', async () => {
    const r = await sdk.step('emailTemplates', { module: 'Leads' });
    assert.equal(r['status'], 200, JSON.stringify(r));
    assert.equal(sdk.received('GET', '/crm/v8/settings/email_templates').query['module'], 'Leads');
    assert.ok(r['templates'].length >= 1);
    assert.ok(r['templates'].every((t: StepReply) => /^\d+$/.test(t['id']) && typeof t['name'] === 'string'));
  });

  it('features: the feature api names', async () => {
    const r = await sdk.step('features');
    assert.equal(r['status'], 200, JSON.stringify(r));
    assert.deepEqual(r['apiNames'], stored('__features').map((f) => f['api_name']));
  });

  it('field_map_dependency: a picklist dependency on a layout', async () => {
    const layoutId = String(sdk.emu.crm.store('Leads')?.def.layouts[0]?.['id']);
    const r = await sdk.step('fieldMapDependency', { layoutId, parent: 'Lead_Source', child: 'Lead_Status', parentValue: 'Advertisement', childValue: 'Contacted' });
    assertActionSuccess(r, 201);
    const path = `/crm/v8/settings/layouts/${layoutId}/map_dependency`;
    assert.equal(sdk.received('POST', path).query['module'], 'Leads');
    const saved = stored(`settings/layouts/${layoutId}/map_dependency`).find((x) => x.id === r['id']);
    assert.deepEqual([saved?.['parent'], saved?.['child']], [{ api_name: 'Lead_Source' }, { api_name: 'Lead_Status' }]);
  });

  it('fiscal_year: an update is read back', async () => {
    const r = await sdk.step('fiscalYear', { startMonth: 'April', displayBasedOn: 'start_month' });
    assertActionSuccess(r);
    assert.deepEqual(sdk.received('PUT', '/crm/v8/settings/fiscal_year').json, { fiscal_year: { start_month: 'April', display_based_on: 'start_month' } });
    assert.deepEqual(r['read'], { status: 200, ok: true, startMonth: 'April', displayBasedOn: 'start_month' });
  });

  it('global_picklists: a created picklist is read back by id', async () => {
    const r = await sdk.step('globalPicklist', { label: 'Regions', apiName: 'Regions', values: 'North,South' });
    assertActionSuccess(r, 201);
    assert.deepEqual(r['read'], { status: 200, ok: true, label: 'Regions', values: ['North', 'South'] });
    assert.equal(stored('settings/global_picklists').find((x) => x.id === r['id'])?.['display_label'], 'Regions');
  });

  it('holidays: a business holiday is created', async () => {
    const r = await sdk.step('holidays', { name: 'Founders Day', date: '2026-03-02' });
    assertActionSuccess(r, 201);
    assert.deepEqual(sdk.received('POST', '/crm/v8/settings/holidays').json, { holidays: [{ date: '2026-03-02', name: 'Founders Day', type: 'business_holiday' }] });
    assert.equal(stored('settings/holidays').find((x) => x.id === r['id'])?.['name'], 'Founders Day');
  });

  it('inventory_templates: the templates of a module', async () => {
    const r = await sdk.step('inventoryTemplates', { module: 'Quotes' });
    assert.equal(r['status'], 200, JSON.stringify(r));
    assert.equal(sdk.received('GET', '/crm/v8/settings/inventory_templates').query['module'], 'Quotes');
    assert.deepEqual(r['templates'].map((t: StepReply) => t['id']), stored('settings/inventory_templates').map((x) => x.id));
  });
});
