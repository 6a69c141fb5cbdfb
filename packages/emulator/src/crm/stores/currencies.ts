/**
 * The org's currencies: the home currency (seeded from the org, `is_base`) and the ones an administrator adds
 * once multi-currency is enabled. Zoho never deletes a currency; it only deactivates one, and the home
 * currency can be edited but not changed for another.
 */
import { errorBody, MSG, type ItemResult } from '../responses.js';
import type { ModuleStore, UserRef } from '../store-types.js';
import type { StateTable } from './registry.js';

/** Zoho's display format of a currency. */
export interface CurrencyFormat {
  decimal_separator: 'Comma' | 'Period';
  thousand_separator: 'Space' | 'Comma' | 'Period';
  decimal_places: '0' | '2' | '3';
}

/** One currency as `GET /org/currencies` lists it. */
export interface Currency {
  id: string;
  name: string;
  iso_code: string;
  symbol: string;
  /** Units of this currency per unit of the home currency, with nine decimals ("1.000000000" for home). */
  exchange_rate: string;
  is_active: boolean;
  is_base: boolean;
  prefix_symbol: boolean;
  format: CurrencyFormat;
  created_time: string;
  created_by: UserRef;
  modified_time: string;
  modified_by: UserRef;
}

/** The home currency's exchange rate, as Zoho writes it. */
export const HOME_EXCHANGE_RATE = '1.000000000';

/** Format of a currency nobody gave one. @default Period, Comma, 2 places */
export const DEFAULT_CURRENCY_FORMAT: CurrencyFormat = { decimal_separator: 'Period', thousand_separator: 'Comma', decimal_places: '2' };

export interface CurrencyContext {
  nextId(): string;
  nowString(): string;
  /** The user the seeded home currency names as its author. */
  firstUser(): UserRef;
  /** The org (its home currency, and `mc_status`: whether multi-currency is on). */
  org(): Record<string, unknown>;
  /** Turns multi-currency on in the org, its one owner. */
  enableMultiCurrency(): void;
}

interface CurrenciesSnapshot {
  /** Only in snapshots written before the org held the flag (`mc_status`). */
  enabled?: boolean;
  currencies: Currency[];
}

export class Currencies implements StateTable {
  readonly name = 'currencies';
  #list: Currency[] = [];

  constructor(private readonly ctx: CurrencyContext) {}

  /** Whether multi-currency is enabled (`POST /org/currencies/actions/enable`); it cannot be disabled. */
  get enabled(): boolean {
    return this.ctx.org()['mc_status'] === true;
  }

  list(): readonly Currency[] {
    this.#seedHome();
    return this.#list;
  }

  get(id: string): Currency | undefined {
    return this.list().find((c) => c.id === id);
  }

  /** The currency with this ISO code (case-insensitive). */
  byIso(iso: string): Currency | undefined {
    const want = iso.toUpperCase();
    return this.list().find((c) => c.iso_code === want);
  }

  home(): Currency {
    const home = this.list().find((c) => c.is_base);
    if (home === undefined) throw new Error('The org has no home currency. Reset the emulator state.');
    return home;
  }

  /** Enables multi-currency with this home currency (its id is kept: the org had one before). */
  enable(values: Partial<Currency>, by: UserRef): Currency {
    this.ctx.enableMultiCurrency();
    return this.update(this.home().id, { ...values, exchange_rate: HOME_EXCHANGE_RATE, is_active: true }, by);
  }

  add(values: Omit<Currency, 'id' | 'created_time' | 'created_by' | 'modified_time' | 'modified_by' | 'is_base'>, by: UserRef): Currency {
    const now = this.ctx.nowString();
    const currency: Currency = { ...values, id: this.ctx.nextId(), is_base: false, created_time: now, created_by: by, modified_time: now, modified_by: by };
    this.#list.push(currency);
    return currency;
  }

  /** Sets a currency's values (never its id, is_base or authorship). */
  update(id: string, values: Partial<Currency>, by: UserRef): Currency {
    const currency = this.get(id);
    if (currency === undefined) throw new Error(`No currency with id '${id}'. List them with GET /crm/v8/org/currencies.`);
    const { id: _id, is_base: _base, created_time: _ct, created_by: _cb, ...rest } = values;
    Object.assign(currency, rest, { modified_time: this.ctx.nowString(), modified_by: by });
    return currency;
  }

  /**
   * The currency keys a record write gets in a multi-currency org, for modules with currency fields: the
   * record's `Currency` (the home one when an insert names none), its `Exchange_Rate` taken from that currency
   * unless the write gives one, and its `$currency_symbol`. Amounts stay in the record's currency, as Zoho keeps
   * them. An unknown or deactivated currency is refused (Zoho: a deactivated currency takes no new records).
   */
  forRecord(store: ModuleStore, input: Record<string, unknown>, mode: 'insert' | 'update'): { values: Record<string, unknown> } | { error: ItemResult; key: string } {
    if (!this.enabled || !store.def.fields.some((f) => f.data_type === 'currency')) return { values: {} };
    const given = input['Currency'];
    if (given === undefined && mode === 'update' && input['Exchange_Rate'] === undefined) return { values: {} };
    const currency = typeof given === 'string' ? this.byIso(given) : given === undefined || given === null ? (mode === 'insert' ? this.home() : undefined) : undefined;
    if (given !== undefined && (currency === undefined || !currency.is_active)) {
      const why = currency === undefined ? MSG.invalidData : 'the currency is not active; activate it with PUT /crm/v8/org/currencies/{id}';
      return { error: errorBody('INVALID_DATA', why, { api_name: 'Currency' }), key: 'Currency' };
    }
    const values: Record<string, unknown> = {};
    if (currency !== undefined) Object.assign(values, { Currency: currency.iso_code, Exchange_Rate: Number(currency.exchange_rate), $currency_symbol: currency.symbol });
    const rate = input['Exchange_Rate'];
    if (rate !== undefined) {
      const n = typeof rate === 'number' ? rate : typeof rate === 'string' && rate.trim() !== '' ? Number(rate) : NaN;
      if (!Number.isFinite(n) || n <= 0) return { error: errorBody('INVALID_DATA', MSG.invalidData, { api_name: 'Exchange_Rate', expected_data_type: 'double' }), key: 'Exchange_Rate' };
      values['Exchange_Rate'] = n;
    }
    return { values };
  }

  /** The home currency an org has before anyone touches currencies: its own (`org.iso_code`). */
  #seedHome(): void {
    if (this.#list.length > 0) return;
    const org = this.ctx.org();
    const iso = String(org['iso_code'] ?? 'USD');
    const by = this.ctx.firstUser();
    const now = this.ctx.nowString();
    this.#list.push({
      id: this.ctx.nextId(),
      name: String(org['currency'] ?? iso),
      iso_code: iso,
      symbol: String(org['currency_symbol'] ?? iso),
      exchange_rate: HOME_EXCHANGE_RATE,
      is_active: true,
      is_base: true,
      prefix_symbol: true,
      format: { ...DEFAULT_CURRENCY_FORMAT },
      created_time: now,
      created_by: by,
      modified_time: now,
      modified_by: by,
    });
  }

  snapshot(): CurrenciesSnapshot {
    return { currencies: this.#list };
  }

  restore(data: unknown): void {
    const snap = (data ?? {}) as Partial<CurrenciesSnapshot>;
    if (snap.enabled === true) this.ctx.enableMultiCurrency();
    this.#list = Array.isArray(snap.currencies) ? snap.currencies : [];
  }

  reset(): void {
    this.#list = [];
  }
}
