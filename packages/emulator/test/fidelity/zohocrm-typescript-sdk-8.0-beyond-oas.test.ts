/**
 * Fidelity (issue 16): Zoho's @zohocrm/typescript-sdk-8.0, unmodified, makes one call in each of signals,
 * signals_notifications, taxes, webforms and zia_enrichment (served from our overlay of the description, since Zoho's
 * OAS lacks them) against the emulator over HTTPS; each reply must be one the SDK parses into its expected class,
 * and the emulator's request log or state must show the call. Steps: ./typescript-sdk-8.0/steps/beyond-oas.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertActionSuccess, sdkSession, type StepReply } from './typescript-sdk-8.0/harness.js';

describe('@zohocrm/typescript-sdk-8.0 signals, taxes, web forms and Zia enrichment against the emulator', () => {
  const sdk = sdkSession({ groups: ['beyond-oas'] });

  it("signals: the org's signals list, the enabled one with its extension", async () => {
    const r = await sdk.step('signals');
    assert.equal(r['ok'], true, JSON.stringify(r));
    const shipped = r['signals'].find((s: StepReply) => s['namespace'] === 'zcrmemulator__order_shipped');
    assert.deepEqual(shipped, { id: shipped?.['id'], namespace: 'zcrmemulator__order_shipped', enabled: true, extension: 'zcrmemulator', signalsAvailable: true });
    assert.match(String(shipped?.['id']), /^\d+$/);
    assert.equal(sdk.requests('/crm/v8/settings/signals').length, 1);
  });

  it("signals_notifications: a lead's owner is notified of a signal, and the emulator keeps the notification", async () => {
    const lead = String(sdk.emu.crm.records('Leads')[0]?.['id']);
    const subject = `Order ${process.pid} shipped`;
    const url = 'https://example.com/orders/1';
    const r = await sdk.step('signalNotification', { namespace: 'zcrmemulator__order_shipped', subject, message: 'Your order left the warehouse', module: 'Leads', id: lead, url });
    assertActionSuccess(r);
    assert.equal(r['message'], 'Signal notified successfully');
    assert.deepEqual(r['details'], { id: lead, api_name: 'Leads' });
    const action = { type: 'link', open_in: 'tab', display_name: 'Open order', url };
    const sent = sdk.received('POST', '/crm/v8/signals/notifications').json;
    assert.equal(String(sent['signals'][0]['id']), lead);
    assert.deepEqual({ ...sent['signals'][0], id: lead }, { signal_namespace: 'zcrmemulator__order_shipped', subject, message: 'Your order left the warehouse', module: 'Leads', id: lead, actions: [action] });
    const kept = sdk.emu.signals.find((s) => s.subject === subject);
    assert.deepEqual(kept && { ...kept, id: '', notified_time: '' }, {
      id: '', signal_namespace: 'zcrmemulator__order_shipped', module: 'Leads', record_id: lead, subject, message: 'Your order left the warehouse', actions: [action], notified_time: '',
    });
  });

  it('taxes: a tax added at the head of the list reads back by its id', async () => {
    const name = `VAT ${process.pid}`;
    const r = await sdk.step('addTax', { name, value: 20 });
    assertActionSuccess(r);
    assert.equal(r['message'], 'tax added');
    assert.match(String(r['id']), /^\d+$/);
    assert.deepEqual(sdk.received('PUT', '/crm/v8/org/taxes').json, { org_taxes: { taxes: [{ name, value: 20, sequence_number: 1 }] } });
    assert.deepEqual(r['read'], { status: 200, ok: true, taxes: [{ id: r['id'], name, value: 20, sequenceNumber: 1, displayLabel: `${name} - 20.0 %` }] });
  });

  it("webforms: a module's web forms list, and the first reads back by its id", async () => {
    const r = await sdk.step('webforms', { module: 'Leads' });
    assert.equal(r['ok'], true, JSON.stringify(r));
    assert.ok(r['forms'].length >= 1);
    assert.ok(r['forms'].every((f: StepReply) => f['module'] === 'Leads'), JSON.stringify(r['forms']));
    assert.equal(sdk.received('GET', '/crm/v8/settings/webforms').query['module'], 'Leads');
    assert.deepEqual(r['read'], { status: 200, ok: true, forms: [r['forms'][0]] });
    assert.ok(r['forms'][0]['fields'].includes('Last_Name'));
  });

  it('zia_enrichment: the data enrichment configurations read', async () => {
    const r = await sdk.step('ziaEnrichment');
    assert.equal(r['ok'], true, JSON.stringify(r));
    assert.ok(r['enrichments'].length >= 1);
    for (const e of r['enrichments']) assert.match(String(e['id']), /^\d+$/);
    assert.equal(sdk.requests('/crm/v8/settings/zia/data_enrichment').length, 1);
  });
});
