/**
 * Signals (areas of our overlay): `GET /crm/v8/settings/signals` lists the org's signals (one extension's, fixed:
 * an enabled one and a disabled one), and `POST /crm/v8/signals/notifications` notifies a record's owner of one:
 * the signal must exist and be enabled, and the record is named by its module and id, or by an email that a
 * record of the module (Leads, then Contacts, when no module is named) has. Each notification sent is kept in the
 * spec store's `signals/notifications` collection, which `emulator.signals` shows.
 */
import { error, errorBody, MSG, success, type ItemResult } from '../responses.js';
import type { CrmState } from '../state.js';
import type { ModuleStore } from '../store-types.js';
import { isObj, newId, type SpecContext, type SpecHandler } from './context.js';
import type { Item } from './store.js';

const KEY = 'signals';
/** Where sent notifications are kept (a spec store collection, so `--persist` and `reset()` cover them). */
const SENT = 'signals/notifications';
/** Modules searched for an email when a notification names no module. */
const EMAIL_MODULES = ['Leads', 'Contacts'];

/** The org's signals: one extension's, fixed, with stable ids. */
export const SIGNALS: readonly Record<string, unknown>[] = [
  { namespace: 'zcrmemulator__order_shipped', display_label: 'Order shipped', enabled: true, id: '4150868000000590001' },
  { namespace: 'zcrmemulator__invoice_overdue', display_label: 'Invoice overdue', enabled: false, id: '4150868000000590002' },
].map((s) => ({
  ...s,
  chat_enabled: false,
  extension: { id: '4150868000000589001', namespace: 'zcrmemulator', display_label: 'zcrmsdk emulator', type: 1 },
  feature_availability: { scoring: true, signals: true },
}));

/** One notification the emulator received, as `emulator.signals` shows it. */
export interface SignalNotification {
  id: string;
  signal_namespace: string;
  module: string;
  record_id: string;
  subject: string;
  message: string;
  actions: unknown[];
  notified_time: string;
}

/** The notifications sent so far, oldest first. */
export function sentSignals(state: CrmState): SignalNotification[] {
  const sent = state.spec.collections.get(SENT);
  return sent === undefined ? [] : structuredClone([...sent.values()] as unknown as SignalNotification[]);
}

const getSignals: SpecHandler = () => ({ status: 200, json: { [KEY]: SIGNALS } });

/** The record a notification names: by id in its module, else by email; or why none. */
function recordOf(state: CrmState, input: Record<string, unknown>, path: string): { store: ModuleStore; id: string } | ItemResult {
  const module = typeof input['module'] === 'string' ? input['module'] : undefined;
  const store = module === undefined ? undefined : state.store(module);
  if (module !== undefined && store === undefined) return errorBody('INVALID_MODULE', 'There given module is invalid', { api_name: 'module', json_path: `${path}.module` });
  const id = input['id'] === undefined || input['id'] === null ? undefined : String(input['id']);
  if (id !== undefined) {
    if (store === undefined) return errorBody('MANDATORY_NOT_FOUND', MSG.mandatory, { api_name: 'module', json_path: `${path}.module` });
    return store.records.has(id) ? { store, id } : errorBody('INVALID_DATA', MSG.invalidId, { api_name: 'id', json_path: `${path}.id` });
  }
  const email = typeof input['email'] === 'string' ? input['email'] : undefined;
  if (email === undefined) return errorBody('MANDATORY_NOT_FOUND', MSG.mandatory, { api_name: 'email', json_path: `${path}.email` });
  const stores = store === undefined ? EMAIL_MODULES.map((m) => state.store(m)).filter((s): s is ModuleStore => s !== undefined) : [store];
  for (const s of stores) {
    const hit = state.findBy(s, 'Email', email);
    if (hit !== undefined) return { store: s, id: String(hit['id']) };
  }
  return errorBody('EMAIL_NOT_FOUND_FOR_MODULE', 'There is no email for the given module', { api_name: 'email', json_path: `${path}.email` });
}

const notify: SpecHandler = (ctx: SpecContext) => {
  const list = isObj(ctx.req.json) && Array.isArray(ctx.req.json[KEY]) ? (ctx.req.json[KEY] as unknown[]) : [];
  if (list.length === 0) return error(400, 'MANDATORY_NOT_FOUND', MSG.mandatory, { api_name: KEY, json_path: `$.${KEY}` });
  const sent = ctx.store.collection(SENT);
  const results = list.map((input, i): ItemResult => {
    const path = `$.${KEY}[${i}]`;
    if (!isObj(input)) return errorBody('INVALID_DATA', MSG.invalidData, { json_path: path });
    const namespace = input['signal_namespace'];
    if (!SIGNALS.some((s) => s['namespace'] === namespace && s['enabled'] === true)) {
      return errorBody('INVALID_DATA', MSG.invalidData, { api_name: 'signal_namespace', json_path: `${path}.signal_namespace` });
    }
    const target = recordOf(ctx.state, input, path);
    if ('status' in target) return target;
    const item: Item & SignalNotification = {
      id: newId(ctx.state),
      signal_namespace: String(namespace),
      module: target.store.name,
      record_id: target.id,
      subject: String(input['subject'] ?? ''),
      message: String(input['message'] ?? ''),
      actions: Array.isArray(input['actions']) ? input['actions'] : [],
      notified_time: ctx.state.nowString(),
    };
    sent.set(item.id, item);
    return success('Signal notified successfully', { id: target.id, api_name: target.store.name });
  });
  const failed = results.filter((r) => r.status === 'error').length;
  return { status: failed === 0 ? 200 : failed === results.length ? 400 : 207, json: { [KEY]: results } };
};

export const SIGNAL_BEHAVIOURS: [string, SpecHandler][] = [
  ['signals/Get Signals', getSignals],
  ['signals_notifications/Create Signal Notifications', notify],
];
