/**
 * Areas our overlay adds, with state: org taxes (add, place by sequence number, update, delete, preference, and
 * the refusals Zoho's SDK names), signal notifications (the signal must be enabled, the record must exist or its
 * email be found; sent ones kept, surviving a snapshot), and web forms listed by module.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CrmState } from '../../src/crm/index.js';
import { sentSignals } from '../../src/crm/spec/signal-behaviours.js';
import { call, FIXED_NOW, makeState } from './helpers.js';

const TAXES = '/crm/v8/org/taxes';
type Tax = { id: string; name: string; value: number; sequence_number: number; display_label: string };
const taxes = async (s: CrmState): Promise<Tax[]> => ((await call(s, 'GET', TAXES)).data as { org_taxes: { taxes: Tax[] } }).org_taxes.taxes;
const put = (s: CrmState, list: unknown[], preference?: unknown) =>
  call(s, 'PUT', TAXES, { body: { org_taxes: { taxes: list, ...(preference === undefined ? {} : { preference }) } } });

describe('org taxes', () => {
  it('adds taxes in order, places one by sequence number, updates, deletes and renumbers', async () => {
    const s = makeState({ emptyModules: true });
    assert.deepEqual(await taxes(s), []);
    const added = await put(s, [{ name: 'VAT', value: 20 }, { name: 'GST', value: 7.5, sequence_number: 1 }]);
    assert.equal(added.status, 200, JSON.stringify(added.data));
    assert.deepEqual((added.data as { org_taxes: { message: string; details: { name: string } } }).org_taxes.message, 'tax added');
    assert.deepEqual((await taxes(s)).map((t) => [t.name, t.sequence_number, t.display_label]), [['GST', 1, 'GST - 7.5 %'], ['VAT', 2, 'VAT - 20.0 %']]);
    const [gst, vat] = await taxes(s);
    const updated = await put(s, [{ id: vat?.id, value: 21, sequence_number: 1 }], { auto_populate_tax: true });
    assert.equal((updated.data as { org_taxes: { message: string } }).org_taxes.message, 'tax updated');
    assert.deepEqual((await taxes(s)).map((t) => [t.name, t.value, t.sequence_number]), [['VAT', 21, 1], ['GST', 7.5, 2]]);
    const deleted = await put(s, [{ id: vat?.id, _delete: true }]);
    assert.equal((deleted.data as { org_taxes: { message: string } }).org_taxes.message, 'tax deleted');
    assert.deepEqual((await taxes(s)).map((t) => [t.id, t.sequence_number]), [[gst?.id, 1]]);
    const read = await call(s, 'GET', `${TAXES}/${gst?.id}`);
    assert.deepEqual((read.data as { org_taxes: { taxes: Tax[] } }).org_taxes.taxes.map((t) => t.name), ['GST']);
    assert.deepEqual(((await call(s, 'GET', TAXES)).data as { org_taxes: { preference: unknown } }).org_taxes.preference, { auto_populate_tax: true, modify_tax_rates: false });
  });

  it('refuses what Zoho refuses, changing nothing', async () => {
    const s = makeState({ emptyModules: true });
    await put(s, [{ name: 'VAT', value: 20 }]);
    const cases: [unknown[], string, string][] = [
      [[{ name: 'X', value: 1, sequence_number: 3 }], 'INVALID_DATA', 'Sequence number out of range'],
      [[{ name: 'X', value: 1, sequence_number: 1 }, { name: 'Y', value: 2, sequence_number: 1 }], 'INVALID_DATA', 'Sequence number cannot be repeated in same request'],
      [[{ id: '123', value: 5 }], 'INVALID_DATA', 'Given ID does not exist'],
      [[{ name: 'X' }], 'MANDATORY_NOT_FOUND', 'required field not found'],
      [[{ name: 'X', value: 101 }], 'INVALID_DATA', 'invalid data'],
      [[], 'EXPECTED_FIELD_MISSING', 'One of the expected parameter is missing'],
    ];
    for (const [list, code, message] of cases) {
      const r = await put(s, list);
      assert.equal(r.status, 400, JSON.stringify(list));
      assert.deepEqual([(r.data as { code: string }).code, (r.data as { message: string }).message], [code, message], JSON.stringify(list));
    }
    assert.deepEqual((await taxes(s)).map((t) => t.name), ['VAT']);
    assert.equal((await call(s, 'GET', `${TAXES}/999`)).status, 400);
  });
});

describe('signal notifications', () => {
  const action = { type: 'link', open_in: 'popup', display_name: 'Open', url: 'https://example.com/x' };
  const notify = (s: CrmState, signals: unknown[]) => call(s, 'POST', '/crm/v8/signals/notifications', { body: { signals } });

  it('notifies by record id or email, refuses a disabled signal and an unknown email, and keeps what was sent across a snapshot', async () => {
    const s = makeState({ emptyModules: true });
    const [lead] = s.insert('Leads', [{ Last_Name: 'Ames', Company: 'Ames Co' }]);
    const [contact] = s.insert('Contacts', [{ Last_Name: 'Bell', Email: 'bell@example.com' }]);
    const base = { signal_namespace: 'zcrmemulator__order_shipped', subject: 'Shipped', message: 'On its way', actions: [action] };
    const r = await notify(s, [
      { ...base, module: 'Leads', id: lead?.['id'] },
      { ...base, email: 'bell@example.com' },
      { ...base, signal_namespace: 'zcrmemulator__invoice_overdue', module: 'Leads', id: lead?.['id'] },
      { ...base, email: 'nobody@example.com' },
      { ...base, module: 'Nope', id: '1' },
    ]);
    assert.equal(r.status, 207);
    const items = (r.data as { signals: { code: string; details: Record<string, unknown> }[] }).signals;
    assert.deepEqual(items.map((i) => i.code), ['SUCCESS', 'SUCCESS', 'INVALID_DATA', 'EMAIL_NOT_FOUND_FOR_MODULE', 'INVALID_MODULE']);
    assert.deepEqual(items[1]?.details, { id: contact?.['id'], api_name: 'Contacts' });
    assert.deepEqual(sentSignals(s).map((n) => [n.module, n.record_id]), [['Leads', lead?.['id']], ['Contacts', contact?.['id']]]);
    const restored = CrmState.restore(JSON.parse(JSON.stringify(s.snapshot())), { seed: 7, now: () => FIXED_NOW });
    assert.deepEqual(sentSignals(restored), sentSignals(s));
  });
});

describe('web forms', () => {
  it("lists one module's forms, and refuses an unknown module", async () => {
    const s = makeState();
    const leads = await call(s, 'GET', '/crm/v8/settings/webforms?module=Leads');
    assert.equal(leads.status, 200, JSON.stringify(leads.data));
    const forms = (leads.data as { webforms: { module: { api_name: string } }[] }).webforms;
    assert.ok(forms.length >= 1 && forms.every((f) => f.module.api_name === 'Leads'));
    const all = (await call(s, 'GET', '/crm/v8/settings/webforms')).data as { webforms: unknown[] };
    assert.ok(all.webforms.length > forms.length);
    assert.equal((await call(s, 'GET', '/crm/v8/settings/webforms?module=Nope')).status, 400);
  });
});
