/**
 * The data-sharing rule summary (`GET /settings/data_sharing/rules/actions/summary`): the OAS gives it no
 * reply schema, so its shape is Zoho's, as its SDK reads it (`sharing_rules_summary`: per module, the
 * module, its rule count and whether a rule computation is running), counted from the rules created
 * through the generic collection.
 */
import type { EmuResponse } from '../../http-types.js';
import { error, MSG } from '../responses.js';
import { isObj, type SpecContext, type SpecHandler } from './context.js';
import { items } from './generic.js';

/** The collection the sharing-rule CRUD operations keep their rules in. */
const RULES = 'settings/data_sharing/rules';

function moduleOfRule(rule: Record<string, unknown>): string | undefined {
  const m = rule['module'];
  if (isObj(m) && typeof m['api_name'] === 'string') return m['api_name'].toLowerCase();
  return typeof m === 'string' ? m.toLowerCase() : undefined;
}

function summary(ctx: SpecContext): EmuResponse {
  const wanted = ctx.req.query['module'];
  const stores = wanted === undefined ? ctx.state.stores() : [ctx.state.store(wanted)];
  if (stores.some((s) => s === undefined)) return error(400, 'INVALID_MODULE', MSG.invalidModule);
  const rules = items(ctx, RULES).all();
  const rows = stores.flatMap((store) => {
    if (store === undefined) return [];
    const name = store.name.toLowerCase();
    const meta = store.def.meta;
    return [{ module: { api_name: store.name, name: meta.module_name, id: meta.id }, rule_count: rules.filter((r) => moduleOfRule(r) === name).length, rule_computation_status: false }];
  });
  return { status: 200, json: { sharing_rules_summary: rows } };
}

/** Sharing-rule operations with behaviour of their own, by operation key. */
export const SHARING_RULE_BEHAVIOURS: readonly [string, SpecHandler][] = [['sharing_rules/Get Rule Summary', summary]];
