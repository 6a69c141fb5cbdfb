/**
 * Org taxes (`/crm/v8/org/taxes`, an area of our overlay): one list of taxes and a preference per org, kept in a
 * behaviour table. A PUT adds a tax (no id: name and value required), updates one (its id) or deletes one (its id
 * and `_delete: true`), and places a tax at its `sequence_number` (1 … the number of taxes, each number once a
 * request); the rest keep their order and are renumbered from 1. Zoho answers one `org_taxes` result naming what
 * happened to the first tax of the request (`tax added`, `tax updated`, `tax deleted`), as its SDKs read it.
 */
import type { EmuResponse } from '../../http-types.js';
import { error, MSG, success, type Details } from '../responses.js';
import { isObj, newId, type SpecContext, type SpecHandler } from './context.js';

const KEY = 'org_taxes';

/** One org tax as Zoho lists it. */
export interface OrgTax {
  id: string;
  name: string;
  display_label: string;
  value: number;
  sequence_number: number;
}

interface TaxTable {
  taxes: OrgTax[];
  preference: { auto_populate_tax: boolean; modify_tax_rates: boolean };
}

const table = (ctx: SpecContext): TaxTable =>
  ctx.store.table<TaxTable>('taxes', () => ({ taxes: [], preference: { auto_populate_tax: false, modify_tax_rates: false } }));

/** Zoho's label: the name and the rate as a Java double prints it (`VAT - 20.0 %`). */
function label(name: string, value: number): string {
  return `${name} - ${Number.isInteger(value) ? value.toFixed(1) : String(value)} %`;
}

/** A refusal of the whole request, naming the tax's place in the body. */
type Refusal = { code: string; message: string; details: Details };
const refuse = (code: string, message: string, details: Details): Refusal => ({ code, message, details });

type Change = { kind: 'added' | 'updated' | 'deleted'; tax: OrgTax; at?: number };

/** Checks every tax of the body against the current list and says what each does; the first refusal wins. */
function plan(current: OrgTax[], input: unknown[]): Change[] | Refusal {
  const changes: Change[] = [];
  const seen = new Set<number>();
  const deleted = new Set<string>();
  for (const [i, raw] of input.entries()) {
    const path = `$.${KEY}.taxes[${i}]`;
    if (!isObj(raw)) return refuse('INVALID_DATA', MSG.invalidData, { json_path: path });
    const id = raw['id'] === undefined || raw['id'] === null ? undefined : String(raw['id']);
    const found = id === undefined ? undefined : current.find((t) => t.id === id);
    if (id !== undefined && found === undefined) return refuse('INVALID_DATA', 'Given ID does not exist', { id, json_path: `${path}.id` });
    if (found !== undefined && raw['_delete'] === true) {
      deleted.add(found.id);
      changes.push({ kind: 'deleted', tax: found });
      continue;
    }
    const name = raw['name'] ?? found?.name;
    const value = raw['value'] ?? found?.value;
    for (const [field, v] of [['name', name], ['value', value]] as const) {
      if (v === undefined || v === null || v === '') return refuse('MANDATORY_NOT_FOUND', MSG.mandatory, { api_name: field, json_path: `${path}.${field}` });
    }
    if (typeof name !== 'string') return refuse('INVALID_DATA', MSG.invalidData, { api_name: 'name', json_path: `${path}.name` });
    if (typeof value !== 'number' || value < 0 || value > 100) return refuse('INVALID_DATA', MSG.invalidData, { api_name: 'value', json_path: `${path}.value` });
    const at = raw['sequence_number'];
    if (at !== undefined) {
      if (typeof at !== 'number' || !Number.isInteger(at)) return refuse('INVALID_DATA', MSG.invalidData, { api_name: 'sequence_number', json_path: `${path}.sequence_number` });
      if (seen.has(at)) return refuse('INVALID_DATA', 'Sequence number cannot be repeated in same request', { api_name: 'sequence_number', json_path: `${path}.sequence_number` });
      seen.add(at);
    }
    const tax = { id: found?.id ?? '', name, display_label: label(name, value), value, sequence_number: found?.sequence_number ?? 0 };
    changes.push({ kind: found === undefined ? 'added' : 'updated', tax, ...(at === undefined ? {} : { at: at as number }) });
  }
  const count = current.length - deleted.size + changes.filter((c) => c.kind === 'added').length;
  for (const [i, c] of changes.entries()) {
    if (c.at !== undefined && (c.at < 1 || c.at > count)) {
      return refuse('INVALID_DATA', 'Sequence number out of range', { api_name: 'sequence_number', json_path: `$.${KEY}.taxes[${i}].sequence_number` });
    }
  }
  return changes;
}

/** Applies a checked plan: deletes, updates in place, appends the new taxes, then moves each placed tax and renumbers. */
function apply(ctx: SpecContext, t: TaxTable, changes: Change[]): void {
  let list = t.taxes.filter((x) => !changes.some((c) => c.kind === 'deleted' && c.tax.id === x.id));
  for (const c of changes) {
    if (c.kind === 'updated') list = list.map((x) => (x.id === c.tax.id ? c.tax : x));
    if (c.kind === 'added') {
      c.tax.id = newId(ctx.state);
      list.push(c.tax);
    }
  }
  for (const c of changes.filter((x) => x.at !== undefined && x.kind !== 'deleted')) {
    list = list.filter((x) => x.id !== c.tax.id);
    list.splice((c.at ?? 1) - 1, 0, c.tax);
  }
  t.taxes = list.map((x, i) => ({ ...x, sequence_number: i + 1 }));
}

const getTaxes: SpecHandler = (ctx) => {
  const t = table(ctx);
  return { status: 200, json: { [KEY]: { taxes: t.taxes, preference: t.preference } } };
};

const getTax: SpecHandler = (ctx) => {
  const id = ctx.params['id'] ?? '';
  const tax = table(ctx).taxes.find((x) => x.id === id);
  if (tax === undefined) return error(400, 'INVALID_DATA', 'Given ID does not exist', { id });
  return { status: 200, json: { [KEY]: { taxes: [tax] } } };
};

const updateTaxes: SpecHandler = (ctx): EmuResponse => {
  const body = isObj(ctx.req.json) && isObj(ctx.req.json[KEY]) ? ctx.req.json[KEY] : {};
  const taxes = Array.isArray(body['taxes']) ? (body['taxes'] as unknown[]) : undefined;
  const preference = isObj(body['preference']) ? body['preference'] : undefined;
  if ((taxes === undefined || taxes.length === 0) && preference === undefined) {
    return error(400, 'EXPECTED_FIELD_MISSING', MSG.paramMissing, {
      expected_fields: [{ api_name: 'taxes', json_path: `$.${KEY}.taxes` }, { api_name: 'preference', json_path: `$.${KEY}.preference` }],
    });
  }
  const t = table(ctx);
  const changes = plan(t.taxes, taxes ?? []);
  if (!Array.isArray(changes)) return error(400, changes.code, changes.message, changes.details);
  apply(ctx, t, changes);
  for (const k of ['auto_populate_tax', 'modify_tax_rates'] as const) if (typeof preference?.[k] === 'boolean') t.preference[k] = preference[k] as boolean;
  const first = changes[0];
  const details = first === undefined ? {} : { id: first.tax.id, name: first.tax.name, value: first.tax.value };
  return { status: 200, json: { [KEY]: success(`tax ${first?.kind ?? 'updated'}`, details) } };
};

export const TAX_BEHAVIOURS: [string, SpecHandler][] = [
  ['taxes/Get Taxes', getTaxes],
  ['taxes/Get Tax', getTax],
  ['taxes/Update Taxes', updateTaxes],
];
