/**
 * Inventory conversion: `POST /{Quotes|Sales_Orders}/{id}/actions/convert` creates the sales order or invoice
 * from its parent (line items, account, contact, deal, totals, a lookup back, the owner, the tags) and answers
 * its id and name; `POST /{module}/actions/mass_convert` does that per record as a job (202 SCHEDULED) whose
 * counts `GET ?job_id=` reports in a data list; bad input is refused as Zoho does; the SDK's generated
 * `records('Quotes').convertInventory` / `massConvert` / `getMassConvertStatus` agree over HTTP.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ZohoCRM } from 'zcrmsdk';
import { startEmulator } from '../../src/index.js';
import type { CrmState } from '../../src/crm/index.js';
import { call, makeState } from './helpers.js';

const ref = (v: unknown): string | undefined => (v !== null && typeof v === 'object' ? String((v as { id?: unknown }).id) : undefined);

function setup() {
  const s = makeState({ emptyModules: true });
  const [account] = s.insert('Accounts', [{ Account_Name: 'Quote Co' }]);
  const [contact] = s.insert('Contacts', [{ Last_Name: 'Buyer', Account_Name: { id: account?.['id'] } }]);
  const [product] = s.insert('Products', [{ Product_Name: 'Widget' }]);
  const other = String(s.users().find((u) => u['id'] !== s.currentUserId)?.['id']);
  return { s, account: String(account?.['id']), contact: String(contact?.['id']), product: String(product?.['id']), other };
}

type Ctx = ReturnType<typeof setup>;

function quote({ s, account, contact, product }: Ctx, subject: string): string {
  const [q] = s.insert('Quotes', [
    {
      Subject: subject,
      Account_Name: { id: account },
      Contact_Name: { id: contact },
      Billing_City: 'Leeds',
      Discount: 5,
      Tax: 2.5,
      Adjustment: 1,
      Product_Details: [{ id: '77', Product_Name: { id: product }, Quantity: 3, List_Price: 10 }],
    },
  ]);
  return String(q?.['id']);
}

const find = (s: CrmState, module: string, id: unknown): Record<string, unknown> | undefined => s.records(module).find((r) => r['id'] === id);

describe('inventory convert', () => {
  it('a quote becomes a sales order with its line items, account, contact, totals, owner and tags, pointing back at the quote', async () => {
    const ctx = setup();
    const { s, account, contact, product } = ctx;
    const q = quote(ctx, 'Q1');
    assert.equal((await call(s, 'POST', `/crm/v8/Quotes/${q}/actions/add_tags`, { body: { tags: [{ name: 'big' }] } })).status, 200);
    const soModule = String(s.requireStore('Sales_Orders').def.meta.id);

    const res = await call(s, 'POST', `/crm/v8/Quotes/${q}/actions/convert`, { body: { data: [{ convert_to: [{ module: { api_name: 'Sales_Orders', id: soModule } }] }] } });
    assert.equal(res.status, 200, JSON.stringify(res.data));
    const item = res.data.data[0];
    assert.deepEqual([item.code, item.status, item.message], ['SUCCESS', 'success', 'The record has been converted successfully']);
    const so = find(s, 'Sales_Orders', item.details.Sales_Orders.id);
    assert.ok(so !== undefined, 'the sales order exists');
    assert.deepEqual(item.details, { Sales_Orders: { name: 'Q1', id: so['id'] } });
    assert.equal(so['Subject'], 'Q1');
    assert.equal(ref(so['Quote_Name']), q);
    assert.equal(ref(so['Account_Name']), account);
    assert.equal(ref(so['Contact_Name']), contact);
    assert.equal(so['Billing_City'], 'Leeds');
    assert.deepEqual([so['Discount'], so['Tax'], so['Adjustment']], [5, 2.5, 1]);
    // The line item is the quote's, without the quote row's id.
    const items = so['Product_Details'] as Record<string, unknown>[];
    assert.equal(items.length, 1);
    assert.deepEqual({ ...items[0], Product_Name: ref(items[0]?.['Product_Name']) }, { Product_Name: product, Quantity: 3, List_Price: 10 });
    assert.equal(ref(so['Owner']), ref(find(s, 'Quotes', q)?.['Owner']));
    assert.deepEqual((so['Tag'] as { name: string }[]).map((t) => t.name), ['big']);
    // The quote is unchanged, and reads the order in its Sales_Orders related list.
    assert.equal(find(s, 'Quotes', q)?.['Subject'], 'Q1');
    const related = await call(s, 'GET', `/crm/v8/Quotes/${q}/Sales_Orders?fields=Subject`);
    assert.deepEqual(related.data.data.map((r: { id: string }) => r.id), [so['id']]);
  });

  it('a sales order becomes an invoice (Sales_Order lookup), tags left behind when carry_over_tags is false', async () => {
    const ctx = setup();
    const { s } = ctx;
    const q = quote(ctx, 'Q2');
    const first = await call(s, 'POST', `/crm/v8/Quotes/${q}/actions/convert`, { body: { data: [{ convert_to: [{ module: { api_name: 'Sales_Orders' } }] }] } });
    const soId = String(first.data.data[0].details.Sales_Orders.id);
    await call(s, 'POST', `/crm/v8/Sales_Orders/${soId}/actions/add_tags`, { body: { tags: [{ name: 'keep' }] } });
    const res = await call(s, 'POST', `/crm/v8/Sales_Orders/${soId}/actions/convert`, { body: { data: [{ convert_to: [{ module: { api_name: 'Invoices' }, carry_over_tags: false }] }] } });
    assert.equal(res.status, 200, JSON.stringify(res.data));
    const invoice = find(s, 'Invoices', res.data.data[0].details.Invoices.id);
    assert.equal(ref(invoice?.['Sales_Order']), soId);
    assert.deepEqual(invoice?.['Tag'], []);
    assert.equal((invoice?.['Product_Details'] as unknown[]).length, 1);
  });

  it('refuses an unknown record, a module the parent does not convert into, a missing convert_to and a non-inventory module', async () => {
    const ctx = setup();
    const { s } = ctx;
    const q = quote(ctx, 'Q3');
    const before = s.records('Sales_Orders').length + s.records('Invoices').length;
    const unknown = await call(s, 'POST', '/crm/v8/Quotes/999/actions/convert', { body: { data: [{ convert_to: [{ module: { api_name: 'Invoices' } }] }] } });
    assert.deepEqual([unknown.status, unknown.data.code], [400, 'INVALID_DATA']);
    const wrong = await call(s, 'POST', `/crm/v8/Quotes/${q}/actions/convert`, { body: { data: [{ convert_to: [{ module: { api_name: 'Quotes' } }] }] } });
    assert.deepEqual([wrong.status, wrong.data.code, wrong.data.details], [400, 'INVALID_DATA', { api_name: 'api_name', json_path: '$.data[0].convert_to[0].module.api_name', supported_values: ['Sales_Orders', 'Invoices'] }]);
    const badId = await call(s, 'POST', `/crm/v8/Quotes/${q}/actions/convert`, { body: { data: [{ convert_to: [{ module: { api_name: 'Invoices', id: '1' } }] }] } });
    assert.deepEqual([badId.status, badId.data.details], [400, { api_name: 'id', json_path: '$.data[0].convert_to[0].module.id' }]);
    const none = await call(s, 'POST', `/crm/v8/Quotes/${q}/actions/convert`, { body: { data: [{}] } });
    assert.deepEqual([none.status, none.data.code], [400, 'MANDATORY_NOT_FOUND']);
    const invoiceBack = await call(s, 'POST', `/crm/v8/Invoices/${q}/actions/convert`, { body: { data: [{ convert_to: [{ module: { api_name: 'Sales_Orders' } }] }] } });
    assert.equal(invoiceBack.status, 400);
    assert.equal(s.records('Sales_Orders').length + s.records('Invoices').length, before);
  });
});

describe('inventory mass convert', () => {
  it('converts the named quotes as one job, hands the new orders and related tasks to assign_to, and reports the counts', async () => {
    const ctx = setup();
    const { s, other } = ctx;
    const a = quote(ctx, 'MA');
    const b = quote(ctx, 'MB');
    await call(s, 'POST', `/crm/v8/Quotes/${a}/actions/add_tags`, { body: { tags: [{ name: 'carry' }] } });
    const [task] = s.insert('Tasks', [{ Subject: 'Chase MA', What_Id: { id: a }, $se_module: 'Quotes' }]);
    const res = await call(s, 'POST', '/crm/v8/Quotes/actions/mass_convert', {
      body: { ids: [a, b, '999'], convert_to: [{ module: { api_name: 'Sales_Orders' }, carry_over_tags: true }], assign_to: { id: other }, related_modules: [{ api_name: 'Tasks' }] },
    });
    assert.equal(res.status, 202, JSON.stringify(res.data));
    assert.deepEqual([res.data.code, res.data.status, res.data.message], ['SCHEDULED', 'success', 'Mass Convert scheduled successfully']);
    const jobId = String(res.data.details.job_id);

    const orders = s.records('Sales_Orders');
    assert.deepEqual(orders.map((o) => [o['Subject'], ref(o['Quote_Name']), ref(o['Owner'])]), [['MA', a, other], ['MB', b, other]]);
    assert.deepEqual((orders[0]?.['Tag'] as { name: string }[]).map((t) => t.name), ['carry']);
    assert.equal(ref(find(s, 'Tasks', task?.['id'])?.['Owner']), other);

    const status = await call(s, 'GET', `/crm/v8/Quotes/actions/mass_convert?job_id=${jobId}`);
    assert.deepEqual([status.status, status.data], [200, { data: [{ total_count: 3, converted_count: 2, not_converted_count: 0, failed_count: 1, status: 'COMPLETED' }] }]);
    const elsewhere = await call(s, 'GET', `/crm/v8/Sales_Orders/actions/mass_convert?job_id=${jobId}`);
    assert.deepEqual([elsewhere.status, elsewhere.data.code, elsewhere.data.details], [400, 'INVALID_DATA', { param_name: 'job_id' }]);
  });

  it('refuses over 50 ids, a target the module does not convert into and an unknown assign_to, converting nothing', async () => {
    const ctx = setup();
    const { s } = ctx;
    const a = quote(ctx, 'R');
    const to = [{ module: { api_name: 'Invoices' }, carry_over_tags: false }];
    const many = await call(s, 'POST', '/crm/v8/Quotes/actions/mass_convert', { body: { ids: Array.from({ length: 51 }, (_, i) => String(i + 1)), convert_to: to } });
    assert.deepEqual([many.status, many.data.code, many.data.details.limit], [400, 'LIMIT_EXCEEDED', 50]);
    const wrong = await call(s, 'POST', '/crm/v8/Sales_Orders/actions/mass_convert', { body: { ids: [a], convert_to: [{ module: { api_name: 'Sales_Orders' }, carry_over_tags: false }] } });
    assert.deepEqual([wrong.status, wrong.data.details.json_path], [400, '$.convert_to[0].module.api_name']);
    const who = await call(s, 'POST', '/crm/v8/Quotes/actions/mass_convert', { body: { ids: [a], convert_to: to, assign_to: { id: '111' } } });
    assert.deepEqual([who.status, who.data.details], [400, { api_name: 'assign_to', json_path: '$.assign_to' }]);
    assert.equal(s.records('Invoices').length, 0);
  });

  it("the SDK's generated records('Quotes').convertInventory, massConvert and getMassConvertStatus drive it over HTTP", async () => {
    const emu = await startEmulator({ port: 0, emptyModules: true });
    const crm = new ZohoCRM({ clientId: emu.client.clientId, clientSecret: emu.client.clientSecret, accountsUrl: emu.url, apiUrl: emu.url, apiVersion: 'v8', maxRetries: 0 });
    try {
      await crm.generateTokens(await emu.grantToken());
      const [one, two] = emu.crm.insert('Quotes', [{ Subject: 'Sdk one' }, { Subject: 'Sdk two' }]).map((r) => String(r['id']));
      const [result] = await crm.records('Quotes').convertInventory(String(one), { body: { data: [{ convert_to: [{ module: { api_name: 'Invoices' } }] }] } });
      assert.equal(result?.status, 'success');
      const invoiceRef = result?.details['Invoices'] as { id: string; name: string };
      assert.equal(invoiceRef.name, 'Sdk one');
      assert.equal(emu.crm.records('Invoices').find((i) => i['id'] === invoiceRef.id)?.['Subject'], 'Sdk one');

      const scheduled = await crm.records('Quotes').massConvert({ body: { ids: [String(two)], convert_to: [{ module: { api_name: 'Sales_Orders', id: String(emu.crm.requireStore('Sales_Orders').def.meta.id) }, carry_over_tags: false }] } });
      assert.equal(scheduled.code, 'SCHEDULED');
      // Zoho answers the counts in a data list (its documentation and typescript-sdk-8.0); the OAS, and so this type, has them flat.
      const status = (await crm.records('Quotes').getMassConvertStatus({ job_id: String(scheduled.details?.job_id) })) as { data?: { converted_count?: number }[] };
      assert.equal(status.data?.[0]?.converted_count, 1);
      assert.deepEqual(emu.crm.records('Sales_Orders').map((o) => [o['Subject'], ref(o['Quote_Name'])]), [['Sdk two', two]]);
      const seen = emu.requests.filter((r) => r.path.startsWith('/crm/v8/Quotes/'));
      assert.deepEqual(seen.map((r) => r.method), ['POST', 'POST', 'GET']);
    } finally {
      await crm.close();
      await emu.close();
    }
  });
});
