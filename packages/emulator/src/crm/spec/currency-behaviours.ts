/**
 * `/org/currencies`: the home currency the org starts with, multi-currency enabled once
 * (`actions/enable`: ALREADY_ENABLED after), currencies added and updated with their exchange rate and
 * format. Zoho has no delete: a currency is deactivated (`is_active: false`), and the home currency can only
 * be edited through `actions/enable` (NOT_ALLOWED by id), never replaced.
 */
import type { EmuResponse } from '../../http-types.js';
import { error, errorBody, MSG, success, type ItemResult } from '../responses.js';
import { DEFAULT_CURRENCY_FORMAT, HOME_EXCHANGE_RATE, type Currency, type CurrencyFormat } from '../stores/currencies.js';
import { isObj, reply, type SpecContext, type SpecHandler } from './context.js';
import { writeReply } from './generic.js';

/** Active currencies an org may have at once (Zoho: "Allowed active currency limit 10 reached"). @default 10 */
export const MAX_ACTIVE_CURRENCIES = 10;

const ISO_CODES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));
const CURRENCY_NAMES = new Intl.DisplayNames(['en'], { type: 'currency' });
/** Zoho's rate: a positive decimal of up to nine digits and nine decimal places. */
const RATE = /^\d{1,9}(\.\d{1,9})?$/;
const SEPARATORS: Record<keyof CurrencyFormat, readonly string[]> = {
  decimal_separator: ['Comma', 'Period'],
  thousand_separator: ['Space', 'Comma', 'Period'],
  decimal_places: ['0', '2', '3'],
};

type Refusal = { refused: ItemResult };
type Fields = Partial<Omit<Currency, 'id' | 'created_time' | 'created_by' | 'modified_time' | 'modified_by' | 'is_base'>>;

const featureNotEnabled = (): EmuResponse => error(403, 'FEATURE_NOT_ENABLED', 'the multi-currency feature is not enabled; enable it with POST /crm/v8/org/currencies/actions/enable');

function at(r: ItemResult, path: string): ItemResult {
  return { ...r, details: { ...r.details, json_path: path } };
}

/** The nine-decimal form Zoho lists rates in ("20" → "20.000000000"). */
function rateOf(raw: unknown): string | undefined {
  const s = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
  if (!RATE.test(s) || Number(s) <= 0) return undefined;
  const [whole = '0', frac = ''] = s.split('.');
  return `${String(Number(whole))}.${frac.padEnd(9, '0')}`;
}

/** The writable values of one currency item, or why it is refused (`path` is its json_path). */
function fieldsOf(input: Record<string, unknown>, path: string): Fields | Refusal {
  const out: Fields = {};
  const invalid = (api: string, expected?: string): Refusal => ({ refused: at(errorBody('INVALID_DATA', MSG.invalidData, { api_name: api, ...(expected === undefined ? {} : { expected_data_type: expected }) }), `${path}.${api}`) });
  if (input['iso_code'] !== undefined) {
    const iso = typeof input['iso_code'] === 'string' ? input['iso_code'].toUpperCase() : '';
    if (!ISO_CODES.has(iso)) return invalid('iso_code');
    out.iso_code = iso;
  }
  for (const key of ['name', 'symbol'] as const) {
    const v = input[key];
    if (v === undefined) continue;
    if (typeof v !== 'string' || v.trim() === '') return invalid(key, 'string');
    out[key] = v;
  }
  for (const key of ['is_active', 'prefix_symbol'] as const) {
    const v = input[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'boolean') return invalid(key, 'boolean');
    out[key] = v;
  }
  if (input['exchange_rate'] !== undefined) {
    const rate = rateOf(input['exchange_rate']);
    if (rate === undefined) return invalid('exchange_rate');
    out.exchange_rate = rate;
  }
  const format = input['format'];
  if (format !== undefined && format !== null) {
    if (!isObj(format)) return invalid('format', 'jsonobject');
    const f: Record<string, string> = {};
    for (const [key, allowed] of Object.entries(SEPARATORS)) {
      const v = format[key] === undefined ? undefined : String(format[key]);
      if (v !== undefined && !allowed.includes(v)) return { refused: at(errorBody('INVALID_DATA', MSG.invalidData, { api_name: key }), `${path}.format.${key}`) };
      if (v !== undefined) f[key] = v;
    }
    out.format = { ...DEFAULT_CURRENCY_FORMAT, ...f } as CurrencyFormat;
    if (out.format.decimal_separator === out.format.thousand_separator) {
      return { refused: at(errorBody('NOT_ALLOWED', 'thousand separator and decimal separator should not be equal', { api_name: 'thousand_separator' }), `${path}.format`) };
    }
  }
  return out;
}

function items(ctx: SpecContext, key: string): unknown[] | undefined {
  const body = ctx.req.json;
  if (!isObj(body)) return undefined;
  const v = body[key];
  return Array.isArray(v) ? v : isObj(v) ? [v] : undefined;
}

function mandatory(key: string, path: string): ItemResult {
  return at(errorBody('MANDATORY_NOT_FOUND', MSG.mandatory, { api_name: key }), `${path}.${key}`);
}

function activeCount(ctx: SpecContext): number {
  return ctx.state.currencies.list().filter((c) => c.is_active).length;
}

const limitReached = (path: string): ItemResult =>
  at(errorBody('ACTIVE_STATE_LIMIT_EXCEEDED', `allowed active currency limit ${MAX_ACTIVE_CURRENCIES} reached; deactivate a currency first`, { api_name: 'is_active' }), path);

const list: SpecHandler = (ctx) => reply(ctx, { currencies: ctx.state.currencies.list() });

const getOne: SpecHandler = (ctx) => {
  const hit = ctx.state.currencies.get(ctx.params['id'] ?? '');
  return hit === undefined ? { status: 204 } : reply(ctx, { currencies: [hit] });
};

const add: SpecHandler = (ctx) => {
  const { currencies } = ctx.state;
  if (!currencies.enabled) return featureNotEnabled();
  const given = items(ctx, 'currencies') ?? [];
  const by = ctx.state.userRef(ctx.req.userId, false);
  const results = given.map((raw, i): ItemResult => {
    const path = `$.currencies[${i}]`;
    const input = isObj(raw) ? raw : {};
    for (const key of ['name', 'iso_code', 'exchange_rate']) if (input[key] === undefined || input[key] === null || input[key] === '') return mandatory(key, path);
    const fields = fieldsOf(input, path);
    if ('refused' in fields) return fields.refused;
    const iso = fields.iso_code ?? '';
    const dup = currencies.byIso(iso);
    if (dup !== undefined) return at(errorBody('DUPLICATE_DATA', MSG.duplicate, { api_name: 'iso_code', id: dup.id }), `${path}.iso_code`);
    const active = fields.is_active ?? true;
    if (active && activeCount(ctx) >= MAX_ACTIVE_CURRENCIES) return limitReached(path);
    const made = currencies.add(
      {
        name: fields.name ?? `${CURRENCY_NAMES.of(iso) ?? iso} - ${iso}`,
        iso_code: iso,
        symbol: fields.symbol ?? iso,
        exchange_rate: fields.exchange_rate ?? HOME_EXCHANGE_RATE,
        is_active: active,
        prefix_symbol: fields.prefix_symbol ?? true,
        format: fields.format ?? { ...DEFAULT_CURRENCY_FORMAT },
      },
      by,
    );
    return success('Currency added successfully', { id: made.id });
  });
  return writeReply(ctx, results);
};

/** Updates one currency (not the home one: Zoho edits that through `actions/enable`); name and ISO code stay. */
function updateOne(ctx: SpecContext, id: string, input: Record<string, unknown>, path: string): ItemResult {
  const { currencies } = ctx.state;
  const current = currencies.get(id);
  if (current === undefined) return at(errorBody('INVALID_DATA', MSG.invalidId, { api_name: 'id', id }), `${path}.id`);
  if (current.is_base) return at(errorBody('NOT_ALLOWED', 'base currency id is not allowed here; edit the home currency with PUT /crm/v8/org/currencies/actions/enable', { api_name: 'id', id }), `${path}.id`);
  const fields = fieldsOf(input, path);
  if ('refused' in fields) return fields.refused;
  const { name: _name, iso_code: _iso, ...changes } = fields;
  if (changes.is_active === true && !current.is_active && activeCount(ctx) >= MAX_ACTIVE_CURRENCIES) return limitReached(path);
  currencies.update(id, changes, ctx.state.userRef(ctx.req.userId, false));
  return success('Currency updated successfully', { id });
}

const updateMany: SpecHandler = (ctx) => {
  if (!ctx.state.currencies.enabled) return featureNotEnabled();
  const results = (items(ctx, 'currencies') ?? []).map((raw, i) => {
    const path = `$.currencies[${i}]`;
    const input = isObj(raw) ? raw : {};
    const id = input['id'];
    if (typeof id !== 'string' && typeof id !== 'number') return mandatory('id', path);
    return updateOne(ctx, String(id), input, path);
  });
  return writeReply(ctx, results);
};

const updateById: SpecHandler = (ctx) => {
  if (!ctx.state.currencies.enabled) return featureNotEnabled();
  const first = (items(ctx, 'currencies') ?? [])[0];
  return writeReply(ctx, [updateOne(ctx, ctx.params['id'] ?? '', isObj(first) ? first : {}, '$.currencies[0]')]);
};

function baseReply(status: number, result: ItemResult): EmuResponse {
  return { status, json: { base_currency: result } };
}

/** POST enables multi-currency with the home currency it names; PUT edits the home currency's properties. */
function baseHandler(enable: boolean): SpecHandler {
  return (ctx) => {
    const { currencies } = ctx.state;
    if (enable && currencies.enabled) return baseReply(400, errorBody('ALREADY_ENABLED', 'multi-currency is already enabled; edit the home currency with PUT instead', {}));
    if (!enable && !currencies.enabled) return featureNotEnabled();
    const input = items(ctx, 'base_currency')?.[0];
    if (!isObj(input)) return baseReply(400, mandatory('base_currency', '$'));
    const path = '$.base_currency';
    if (enable && (input['iso_code'] === undefined || input['iso_code'] === null)) return baseReply(400, mandatory('iso_code', path));
    const fields = fieldsOf({ ...input, exchange_rate: undefined }, path);
    if ('refused' in fields) return baseReply(400, fields.refused);
    const home = currencies.home();
    if (!enable && fields.iso_code !== undefined && fields.iso_code !== home.iso_code) {
      return baseReply(400, at(errorBody('NOT_ALLOWED', 'the home currency cannot be changed, only edited', { api_name: 'iso_code' }), `${path}.iso_code`));
    }
    const iso = fields.iso_code ?? home.iso_code;
    const clash = currencies.byIso(iso);
    if (clash !== undefined && !clash.is_base) return baseReply(400, at(errorBody('DUPLICATE_DATA', MSG.duplicate, { api_name: 'iso_code', id: clash.id }), `${path}.iso_code`));
    const by = ctx.state.userRef(ctx.req.userId, false);
    const values = { ...fields, ...(fields.name === undefined && fields.iso_code !== undefined && fields.iso_code !== home.iso_code ? { name: `${CURRENCY_NAMES.of(iso) ?? iso} - ${iso}` } : {}) };
    const saved = enable ? currencies.enable(values, by) : currencies.update(home.id, { ...values, is_active: true }, by);
    return baseReply(200, success(enable ? 'Multi-currency enabled successfully' : 'Home currency updated successfully', { id: saved.id }));
  };
}

export const CURRENCY_BEHAVIOURS: [string, SpecHandler][] = [
  ['currencies/Get Currencies', list],
  ['currencies/Get Currency', getOne],
  ['currencies/Add Currencies', add],
  ['currencies/Update Currencies', updateMany],
  ['currencies/Update Currency', updateById],
  ['currencies/Enable Base Currency', baseHandler(true)],
  ['currencies/Update Base Currency', baseHandler(false)],
];
