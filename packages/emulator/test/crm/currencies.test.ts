/**
 * Currencies (`/crm/v8/org/currencies`): the seeded home currency, multi-currency enabled once, currencies
 * added and updated with their rate and format, records of a foreign currency getting its exchange rate, and
 * Zoho's refusals. One test drives the SDK's generated `crm.currencies` against the emulator over HTTP.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from 'zcrmsdk';
import { call, makeState } from './helpers.js';
import { sdkAgainstEmulator } from './sdk-client.js';

const FORMAT = { decimal_separator: 'Period', thousand_separator: 'Comma', decimal_places: '2' } as const;
const HOME = { base_currency: { name: 'US Dollar - USD', iso_code: 'USD', symbol: '$', exchange_rate: '1', format: FORMAT } };
const EURO = { name: 'Euro - EUR', iso_code: 'EUR', symbol: '€', exchange_rate: '0.92', format: FORMAT };

async function enabledWithEuro(): Promise<{ state: ReturnType<typeof makeState>; euro: string }> {
  const state = makeState();
  assert.equal((await call(state, 'POST', '/crm/v8/org/currencies/actions/enable', { body: HOME })).status, 200);
  const added = await call(state, 'POST', '/crm/v8/org/currencies', { body: { currencies: [EURO] } });
  assert.equal(added.status, 200, JSON.stringify(added.json));
  return { state, euro: String(added.data.currencies[0].details.id) };
}

describe('currencies', () => {
  it('lists the org home currency (is_base, rate 1) before anything is enabled, and refuses adds until then', async () => {
    const state = makeState();
    const list = await call(state, 'GET', '/crm/v8/org/currencies');
    assert.equal(list.status, 200);
    assert.equal(list.data.currencies.length, 1);
    assert.deepEqual(
      { iso: list.data.currencies[0].iso_code, base: list.data.currencies[0].is_base, rate: list.data.currencies[0].exchange_rate, symbol: list.data.currencies[0].symbol },
      { iso: 'USD', base: true, rate: '1.000000000', symbol: '$' },
    );
    const refused = await call(state, 'POST', '/crm/v8/org/currencies', { body: { currencies: [EURO] } });
    assert.equal(refused.status, 403);
    assert.equal(refused.data.code, 'FEATURE_NOT_ENABLED');
  });

  it('enables multi-currency once (GET /org then reports mc_status true): a second enable is ALREADY_ENABLED, and the home currency keeps its id', async () => {
    const state = makeState();
    const homeId = (await call(state, 'GET', '/crm/v8/org/currencies')).data.currencies[0].id;
    assert.equal((await call(state, 'GET', '/crm/v8/org')).data.org[0].mc_status, false);
    const enabled = await call(state, 'POST', '/crm/v8/org/currencies/actions/enable', { body: HOME });
    assert.deepEqual(enabled.data, { base_currency: { code: 'SUCCESS', details: { id: homeId }, message: 'Multi-currency enabled successfully', status: 'success' } });
    // The org reports it (the org is the one place the flag lives).
    assert.equal((await call(state, 'GET', '/crm/v8/org')).data.org[0].mc_status, true);
    const again = await call(state, 'POST', '/crm/v8/org/currencies/actions/enable', { body: HOME });
    assert.equal(again.status, 400);
    assert.equal(again.data.base_currency.code, 'ALREADY_ENABLED');
    // The home currency is edited, not replaced.
    const edited = await call(state, 'PUT', '/crm/v8/org/currencies/actions/enable', { body: { base_currency: { ...HOME.base_currency, symbol: 'US$' } } });
    assert.equal(edited.status, 200, JSON.stringify(edited.json));
    const changed = await call(state, 'PUT', '/crm/v8/org/currencies/actions/enable', { body: { base_currency: { ...HOME.base_currency, iso_code: 'EUR' } } });
    assert.equal(changed.status, 400);
    assert.equal(changed.data.base_currency.code, 'NOT_ALLOWED');
    const home = (await call(state, 'GET', `/crm/v8/org/currencies/${String(homeId)}`)).data.currencies[0];
    assert.deepEqual([home.iso_code, home.symbol, home.is_base], ['USD', 'US$', true]);
  });

  it('adds a currency without symbol or format (optional in Zoho\'s v8 docs): its ISO code and the default format stand in', async () => {
    const { state } = await enabledWithEuro();
    const added = await call(state, 'POST', '/crm/v8/org/currencies', { body: { currencies: [{ name: 'Japanese Yen - JPY', iso_code: 'JPY', exchange_rate: '150' }] } });
    assert.equal(added.status, 200, JSON.stringify(added.json));
    const got = (await call(state, 'GET', `/crm/v8/org/currencies/${String(added.data.currencies[0].details.id)}`)).data.currencies[0];
    assert.deepEqual([got.iso_code, got.symbol, got.exchange_rate, got.format], ['JPY', 'JPY', '150.000000000', { decimal_separator: 'Period', thousand_separator: 'Comma', decimal_places: '2' }]);
  });

  it('adds a currency with its rate in nine decimals and format; duplicates, bad ISO codes and bad rates are refused per item', async () => {
    const { state, euro } = await enabledWithEuro();
    const got = (await call(state, 'GET', `/crm/v8/org/currencies/${euro}`)).data.currencies[0];
    assert.deepEqual([got.iso_code, got.exchange_rate, got.is_base, got.is_active, got.format], ['EUR', '0.920000000', false, true, FORMAT]);
    const bad = await call(state, 'POST', '/crm/v8/org/currencies', {
      body: { currencies: [EURO, { ...EURO, iso_code: 'EURO' }, { ...EURO, iso_code: 'GBP', exchange_rate: '-3' }, { ...EURO, iso_code: 'JPY', exchange_rate: '150' }] },
    });
    assert.equal(bad.status, 207);
    assert.deepEqual(
      bad.data.currencies.map((r: { code: string; details: { api_name?: string } }) => [r.code, r.details.api_name]),
      [
        ['DUPLICATE_DATA', 'iso_code'],
        ['INVALID_DATA', 'iso_code'],
        ['INVALID_DATA', 'exchange_rate'],
        ['SUCCESS', undefined],
      ],
    );
    assert.equal((await call(state, 'GET', '/crm/v8/org/currencies')).data.currencies.length, 3);
  });

  it('updates a currency but refuses the home currency by id (NOT_ALLOWED) and keeps name and ISO code', async () => {
    const { state, euro } = await enabledWithEuro();
    const homeId = (await call(state, 'GET', '/crm/v8/org/currencies')).data.currencies[0].id;
    const res = await call(state, 'PUT', '/crm/v8/org/currencies', { body: { currencies: [{ id: euro, exchange_rate: '0.95', iso_code: 'GBP' }, { id: homeId, is_active: false }] } });
    assert.equal(res.status, 207);
    assert.deepEqual(res.data.currencies.map((r: { code: string }) => r.code), ['SUCCESS', 'NOT_ALLOWED']);
    const list = (await call(state, 'GET', '/crm/v8/org/currencies')).data.currencies;
    assert.deepEqual(list.map((c: { iso_code: string; exchange_rate: string; is_active: boolean }) => [c.iso_code, c.exchange_rate, c.is_active]), [
      ['USD', '1.000000000', true],
      ['EUR', '0.950000000', true],
    ]);
  });

  it('gives a record of a foreign currency that currency, its exchange rate and symbol; amounts stay in the record currency', async () => {
    const { state } = await enabledWithEuro();
    const deal = { Deal_Name: 'Euro deal', Stage: 'Qualification', Closing_Date: '2026-03-01', Amount: 1000 };
    const created = await call(state, 'POST', '/crm/v8/Deals', { body: { data: [{ ...deal, Currency: 'EUR' }, { ...deal, Deal_Name: 'Home deal' }] } });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    const [euroId, homeId] = created.data.data.map((r: { details: { id: string } }) => r.details.id);
    const euroDeal = (await call(state, 'GET', `/crm/v8/Deals/${String(euroId)}`)).data.data[0];
    assert.deepEqual([euroDeal.Currency, euroDeal.Exchange_Rate, euroDeal.$currency_symbol, euroDeal.Amount], ['EUR', 0.92, '€', 1000]);
    const homeDeal = (await call(state, 'GET', `/crm/v8/Deals/${String(homeId)}`)).data.data[0];
    assert.deepEqual([homeDeal.Currency, homeDeal.Exchange_Rate], ['USD', 1]);
    // A rate change later does not touch records already made (Zoho snapshots the rate).
    await call(state, 'PUT', '/crm/v8/org/currencies', { body: { currencies: [{ id: (await call(state, 'GET', '/crm/v8/org/currencies')).data.currencies[1].id, exchange_rate: '0.5' }] } });
    assert.equal((await call(state, 'GET', `/crm/v8/Deals/${String(euroId)}`)).data.data[0].Exchange_Rate, 0.92);
  });

  it('refuses a record in an unknown or deactivated currency (INVALID_DATA on Currency)', async () => {
    const { state, euro } = await enabledWithEuro();
    const deal = { Deal_Name: 'D', Stage: 'Qualification', Closing_Date: '2026-03-01', Amount: 5 };
    const unknown = await call(state, 'POST', '/crm/v8/Deals', { body: { data: [{ ...deal, Currency: 'GBP' }] } });
    assert.equal(unknown.status, 400);
    assert.deepEqual([unknown.data.data[0].code, unknown.data.data[0].details.api_name], ['INVALID_DATA', 'Currency']);
    assert.equal((await call(state, 'PUT', `/crm/v8/org/currencies/${euro}`, { body: { currencies: [{ is_active: false }] } })).status, 200);
    const inactive = await call(state, 'POST', '/crm/v8/Deals', { body: { data: [{ ...deal, Currency: 'EUR' }] } });
    assert.equal(inactive.status, 400);
    assert.match(inactive.data.data[0].message, /not active/);
  });

  it('has no delete (Zoho only deactivates): DELETE on a currency is refused as a route Zoho does not have', async () => {
    const { state, euro } = await enabledWithEuro();
    const res = await call(state, 'DELETE', `/crm/v8/org/currencies/${euro}`);
    assert.equal(res.status, 404);
    assert.equal(res.data.code, 'INVALID_URL_PATTERN');
    assert.equal((await call(state, 'GET', '/crm/v8/org/currencies')).data.currencies.length, 2);
  });
});

describe('currencies through the SDK', () => {
  const sdk = sdkAgainstEmulator();

  it('crm.currencies enables, adds and lists; the second enable throws an ApiError with code ALREADY_ENABLED', async () => {
    const enabled = await sdk.crm.currencies.enableBase({ body: HOME });
    assert.equal(enabled.base_currency && 'code' in enabled.base_currency ? enabled.base_currency.code : undefined, 'SUCCESS');
    const [added] = await sdk.crm.currencies.create({ body: { currencies: [EURO] } });
    assert.equal(added?.status, 'success');
    const list = await sdk.crm.currencies.list();
    assert.deepEqual(list?.currencies.map((c) => [c.iso_code, c.is_base, c.exchange_rate]), [
      ['USD', true, '1.000000000'],
      ['EUR', false, '0.920000000'],
    ]);
    const error = await sdk.crm.currencies.enableBase({ body: HOME }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof ApiError, `expected an ApiError, got ${String(error)}`);
    assert.equal(error.status, 400);
    assert.equal(error.code, 'ALREADY_ENABLED');
    // What the emulator received: the SDK's body, as Zoho documents it.
    const seen = sdk.emu.requests.filter((r) => r.path === '/crm/v8/org/currencies/actions/enable');
    assert.equal(seen.length, 2);
  });
});
