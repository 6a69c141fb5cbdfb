/**
 * Instant notifications (`/crm/{version}/actions/watch`): channels kept per user and expiring on the emulator
 * clock, and the deliveries Zoho would POST to each channel's `notify_url` after record writes.
 *
 * Facts used (Zoho's v8 API documentation and its OAS, see api-description/v8/notifications.json):
 * - GET lists channels (`watch` + `info`), POST enables (adds events to a channel), PUT replaces a channel's
 *   details, PATCH changes some details or, with `_delete_events: true`, disables the given events, DELETE
 *   `?channel_ids=` removes channels;
 * - `token` is at most 50 characters; `channel_expiry` defaults to one hour from now and may be at most one
 *   week ahead (v4 and later; one day on v2/v3);
 * - events are `Module.create|edit|delete|all`; the callback body carries `server_time`, `query_params`,
 *   `module`, `resource_uri`, `ids`, `affected_fields`, `operation` (insert/update/delete), `channel_id` and
 *   `token`, plus `affected_values` when `return_affected_field_values` is set.
 * Zoho does not document how it retries a failed delivery: the emulator tries a bounded number of times
 * (DEFAULT_DELIVERY_ATTEMPTS) with a doubling pause, so tests see a retry without waiting long.
 */
import type { CrmRequest, EmuResponse } from '../http-types.js';
import { formatZohoDateTime, parseZohoDateTime } from '../time.js';
import { DeliveryFaultQueue, type DeliveryFaultOptions } from '../faults.js';
import { error, errorBody, invalidMethod, json, MSG, noContent, success, type ItemResult } from './responses.js';
import { versionNumber } from './versions.js';
import type { CrmState } from './state.js';
import type { RecordChange } from './stores/records.js';
import type { StateTable } from './stores/registry.js';

/** Default lifetime of a channel enabled without `channel_expiry`, ms (one hour). */
export const DEFAULT_CHANNEL_EXPIRY_MS = 60 * 60 * 1000;
/** Longest `channel_expiry` ahead of now on v4 and later, ms (one week). */
export const MAX_CHANNEL_EXPIRY_MS = 7 * 24 * 60 * 60 * 1000;
/** Longest `channel_expiry` ahead of now on v2 and v3, ms (one day). */
export const MAX_CHANNEL_EXPIRY_V3_MS = 24 * 60 * 60 * 1000;
/** Longest channel token, characters. */
export const MAX_CHANNEL_TOKEN_LENGTH = 50;
/** Attempts per delivery (the first one included) before it is marked failed. */
export const DEFAULT_DELIVERY_ATTEMPTS = 3;
/** Pause before the first retry of a delivery, ms; doubled for each further one. */
export const DEFAULT_DELIVERY_RETRY_DELAY_MS = 50;
/** How long one delivery attempt may take, ms. */
export const DEFAULT_DELIVERY_TIMEOUT_MS = 5_000;
/** Deliveries `emulator.notifications` keeps (oldest dropped first). */
export const MAX_RECORDED_DELIVERIES = 10_000;

const OPERATIONS = { create: 'insert', edit: 'update', delete: 'delete' } as const;
type EventOp = keyof typeof OPERATIONS;

/** One channel as the emulator keeps it. */
export interface Channel {
  channel_id: string;
  userId: string;
  /** `Module.op` with the module's canonical api name. */
  events: string[];
  token: string | null;
  notify_url: string;
  /** Epoch ms (emulator clock). */
  expiresAt: number;
  return_affected_field_values: boolean;
  notify_on_related_action: boolean;
  /** Field api names per module that must change for an update to be notified (from `notification_condition`). */
  conditions: Record<string, string[]>;
}

/** One POST to a `notify_url`, as `emulator.notifications` reports it. */
export interface NotificationDelivery {
  /** Sequence number, from 1. */
  seq: number;
  channel_id: string;
  url: string;
  /** The callback body (token included, as Zoho sends it). */
  body: Record<string, unknown>;
  /** `pending` while attempts remain, `delivered` on a 2xx, `failed` after the last attempt, `dropped` by a fault. */
  status: 'pending' | 'delivered' | 'failed' | 'dropped';
  attempts: number;
  /** The HTTP status of the last attempt, or undefined when it got none (connection error, timeout). */
  responseStatus?: number;
  /** A copy sent by a `duplicate` fault. */
  duplicate: boolean;
}

/** Delivery behaviour, for tests. */
export interface NotificationOptions {
  /** Attempts per delivery. @default DEFAULT_DELIVERY_ATTEMPTS (3) */
  attempts?: number;
  /** First retry pause, ms (doubles). @default DEFAULT_DELIVERY_RETRY_DELAY_MS (50) */
  retryDelayMs?: number;
}

const ID = /^\d{1,19}$/;

function allowedScope(req: CrmRequest, write: boolean): boolean {
  const scopes = new Set(req.scopes.flatMap((s) => s.split(/[,\s]+/)).map((s) => s.trim().toLowerCase()));
  const ops = write ? ['all', 'write', 'create', 'update', 'delete'] : ['all', 'read'];
  return scopes.has('zohocrm.modules.all') || ops.some((o) => scopes.has(`zohocrm.notifications.${o}`));
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The channels, deliveries and delivery faults of one emulator. */
export class NotificationCenter implements StateTable {
  readonly name = 'notification_channels';
  readonly #state: CrmState;
  /** userId → channel_id → channel. */
  #channels = new Map<string, Map<string, Channel>>();
  readonly #deliveries: NotificationDelivery[] = [];
  readonly #inFlight = new Set<Promise<void>>();
  readonly faults = new DeliveryFaultQueue();
  #seq = 0;
  #pending: RecordChange[] = [];
  #flushScheduled = false;
  /** While a composite request with rollback runs, its writes wait here (dropped when it rolls back). */
  #held: RecordChange[] | undefined;
  attempts = DEFAULT_DELIVERY_ATTEMPTS;
  retryDelayMs = DEFAULT_DELIVERY_RETRY_DELAY_MS;
  /** Base URL of the API, for `resource_uri` (set by the server once it listens). */
  apiBase = 'https://www.zohoapis.com';

  constructor(state: CrmState) {
    this.#state = state;
  }

  /** Every delivery made so far, oldest first (copies). */
  get deliveries(): NotificationDelivery[] {
    return this.#deliveries.map((d) => ({ ...d, body: structuredClone(d.body) }));
  }

  /** Resolves when every delivery scheduled so far (retries included) has finished. */
  async idle(): Promise<void> {
    for (;;) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.#inFlight.size === 0 && this.#pending.length === 0) return;
      await Promise.all([...this.#inFlight]);
    }
  }

  /** Queues a fault for the next matching deliveries. */
  failNextDelivery(fault: DeliveryFaultOptions): void {
    this.faults.add(fault);
  }

  channels(userId: string): Channel[] {
    const now = this.#state.options.now();
    return [...(this.#channels.get(userId)?.values() ?? [])].filter((c) => c.expiresAt > now);
  }

  /** Plain data for the state file. */
  snapshot(): Channel[] {
    return [...this.#channels.values()].flatMap((m) => [...m.values()]);
  }

  restore(data: unknown): void {
    this.#channels = new Map();
    for (const c of Array.isArray(data) ? (data as Channel[]) : []) this.#userChannels(c.userId).set(c.channel_id, { ...c });
  }

  reset(): void {
    this.#channels = new Map();
    this.#pending = [];
  }

  #userChannels(userId: string): Map<string, Channel> {
    let m = this.#channels.get(userId);
    if (m === undefined) {
      m = new Map();
      this.#channels.set(userId, m);
    }
    return m;
  }

  // ------------------------------------------------------------------ route

  route(req: CrmRequest): EmuResponse {
    if (!allowedScope(req, req.method !== 'GET')) return error(401, 'OAUTH_SCOPE_MISMATCH', MSG.scopeMismatch);
    switch (req.method) {
      case 'GET':
        return this.#list(req);
      case 'POST':
        return this.#write(req, 'enable');
      case 'PUT':
        return this.#write(req, 'update');
      case 'PATCH':
        return this.#write(req, 'patch');
      case 'DELETE':
        return this.#delete(req);
      default:
        return invalidMethod();
    }
  }

  #present(c: Channel): Record<string, unknown> {
    const out: Record<string, unknown> = {
      notify_on_related_action: c.notify_on_related_action,
      channel_expiry: formatZohoDateTime(c.expiresAt, this.#state.offset),
      resource_uri: `${this.apiBase}/crm/v8/${c.events[0]?.split('.')[0] ?? ''}`,
      resource_id: this.#state.store(c.events[0]?.split('.')[0] ?? '')?.def.meta.id ?? null,
      return_affected_field_values: c.return_affected_field_values,
      resource_name: c.events[0]?.split('.')[0] ?? null,
      channel_id: c.channel_id,
      events: [...c.events],
      notify_url: c.notify_url,
      token: c.token,
    };
    const conditions = Object.entries(c.conditions);
    if (conditions.length > 0) {
      out['notification_condition'] = conditions.map(([module, fields]) => ({
        type: 'field_selection',
        module: { api_name: module, id: this.#state.store(module)?.def.meta.id ?? null },
        field_selection: { group_operator: 'or', group: fields.map((f) => ({ field: { api_name: f, id: this.#state.store(module)?.fields.get(f)?.id ?? null } })) },
      }));
    }
    return out;
  }

  #list(req: CrmRequest): EmuResponse {
    let list = this.channels(req.userId);
    const channelId = req.query['channel_id'];
    if (channelId !== undefined) list = list.filter((c) => c.channel_id === channelId);
    const module = req.query['module'];
    if (module !== undefined) list = list.filter((c) => c.events.some((e) => e.split('.')[0]?.toLowerCase() === module.toLowerCase()));
    if (list.length === 0) return noContent();
    const perPage = Math.min(Math.max(Number(req.query['per_page'] ?? 200) || 200, 1), 200);
    const page = Math.max(Number(req.query['page'] ?? 1) || 1, 1);
    const slice = list.slice((page - 1) * perPage, page * perPage);
    return json(200, {
      watch: slice.map((c) => this.#present(c)),
      info: { per_page: perPage, count: slice.length, page, more_records: page * perPage < list.length },
    });
  }

  /** Validates `events` into canonical `Module.op` names, or says which item is wrong. */
  #events(raw: unknown): string[] | ItemResult {
    if (!Array.isArray(raw) || raw.length === 0) return errorBody('MANDATORY_NOT_FOUND', MSG.mandatory, { api_name: 'events' });
    const out: string[] = [];
    for (const e of raw) {
      const [moduleName, op, extra] = typeof e === 'string' ? e.split('.') : [];
      const store = moduleName === undefined ? undefined : this.#state.store(moduleName);
      const ops: string[] = op === 'all' ? Object.keys(OPERATIONS) : op !== undefined && op in OPERATIONS ? [op] : [];
      if (store === undefined || ops.length === 0 || extra !== undefined) {
        return errorBody('INVALID_DATA', MSG.invalidData, { api_name: 'events', value: typeof e === 'string' ? e : null });
      }
      for (const o of ops) {
        const name = `${store.name}.${o}`;
        if (!out.includes(name)) out.push(name);
      }
    }
    return out;
  }

  #write(req: CrmRequest, mode: 'enable' | 'update' | 'patch'): EmuResponse {
    const body = req.json;
    if (!isObject(body) || !Array.isArray(body['watch']) || body['watch'].length === 0) {
      return error(400, 'MANDATORY_NOT_FOUND', MSG.mandatory, { api_name: 'watch' });
    }
    const now = this.#state.options.now();
    const maxAhead = versionNumber(req.version) >= 4 ? MAX_CHANNEL_EXPIRY_MS : MAX_CHANNEL_EXPIRY_V3_MS;
    const results: ItemResult[] = [];
    const mine = this.#userChannels(req.userId);
    // Validate every item first: Zoho applies all or nothing.
    const planned: Channel[] = [];
    for (const item of body['watch']) {
      const fail = (r: ItemResult): EmuResponse => json(400, { watch: [r] });
      if (!isObject(item)) return fail(errorBody('INVALID_DATA', MSG.invalidData, {}));
      const rawId = item['channel_id'];
      const channelId = typeof rawId === 'number' ? String(rawId) : rawId;
      if (channelId === undefined || channelId === null) return fail(errorBody('MANDATORY_NOT_FOUND', MSG.mandatory, { api_name: 'channel_id' }));
      if (typeof channelId !== 'string' || !ID.test(channelId)) return fail(errorBody('INVALID_DATA', MSG.invalidData, { api_name: 'channel_id' }));
      const existing = mine.get(channelId);
      const live = existing !== undefined && existing.expiresAt > now ? existing : undefined;
      if (mode !== 'enable' && live === undefined) return fail(errorBody('NOT_SUBSCRIBED', 'the channel is not subscribed', { channel_id: channelId }));
      const disabling = mode === 'patch' && item['_delete_events'] === true;
      const eventsGiven = item['events'] !== undefined || mode !== 'patch';
      const events = eventsGiven ? this.#events(item['events']) : (live?.events ?? []);
      if (!Array.isArray(events)) return fail(events);
      const needsUrl = mode !== 'patch' || item['notify_url'] !== undefined;
      const url = item['notify_url'] ?? (mode === 'patch' ? live?.notify_url : undefined);
      if (needsUrl && (typeof url !== 'string' || url === '')) return fail(errorBody('MANDATORY_NOT_FOUND', MSG.mandatory, { api_name: 'notify_url' }));
      if (typeof url !== 'string' || !/^https?:\/\/[^\s]+$/.test(url)) return fail(errorBody('INVALID_DATA', MSG.invalidData, { api_name: 'notify_url' }));
      const token = item['token'] === undefined ? (mode === 'update' ? null : (live?.token ?? null)) : item['token'];
      if (token !== null && (typeof token !== 'string' || token.length > MAX_CHANNEL_TOKEN_LENGTH)) {
        return fail(errorBody('INVALID_DATA', MSG.invalidData, { api_name: 'token', maximum_length: MAX_CHANNEL_TOKEN_LENGTH }));
      }
      let expiresAt = mode === 'patch' && live !== undefined ? live.expiresAt : now + DEFAULT_CHANNEL_EXPIRY_MS;
      if (item['channel_expiry'] !== undefined && item['channel_expiry'] !== null) {
        const at = typeof item['channel_expiry'] === 'string' ? parseZohoDateTime(item['channel_expiry']) : undefined;
        if (at === undefined || at <= now || at > now + maxAhead) {
          return fail(errorBody('INVALID_DATA', MSG.invalidData, { api_name: 'channel_expiry' }));
        }
        expiresAt = at;
      }
      const parsedConditions = this.#conditions(item['notification_condition']);
      if ('error' in parsedConditions) return fail(parsedConditions.error);
      const conditions = parsedConditions.value;
      let merged = events;
      if (mode === 'enable' && live !== undefined) merged = [...new Set([...live.events, ...events])];
      if (disabling) merged = (live?.events ?? []).filter((e) => !events.includes(e));
      const flag = (key: string, fallback: boolean): boolean => (typeof item[key] === 'boolean' ? (item[key] as boolean) : mode === 'update' ? fallback : ((live?.[key as 'notify_on_related_action'] as boolean | undefined) ?? fallback));
      planned.push({
        channel_id: channelId,
        userId: req.userId,
        events: merged,
        token,
        notify_url: url,
        expiresAt,
        return_affected_field_values: flag('return_affected_field_values', false),
        notify_on_related_action: flag('notify_on_related_action', true),
        conditions: item['notification_condition'] === undefined && live !== undefined && mode !== 'update' ? live.conditions : conditions,
      });
    }
    for (const c of planned) {
      if (c.events.length === 0) mine.delete(c.channel_id);
      else mine.set(c.channel_id, c);
      const modules = [...new Set(c.events.map((e) => e.split('.')[0] ?? ''))];
      results.push(
        success(
          mode === 'enable' ? 'Successfully subscribed for actions-watch of the given module' : mode === 'update' ? 'Successfully updated the subscribe details' : 'Successfully unsubscribed from actions-watch of the given module',
          {
            events: modules.map((m) => ({
              channel_expiry: formatZohoDateTime(c.expiresAt, this.#state.offset),
              resource_uri: `${this.apiBase}/crm/v8/${m}`,
              resource_id: this.#state.store(m)?.def.meta.id ?? null,
              resource_name: m,
              channel_id: c.channel_id,
            })),
          },
        ),
      );
    }
    // An enable subscribes: Zoho answers 201 Created (its v2.1 Postman collection; the v8 OAS lists 201 and 202).
    return json(mode === 'enable' ? 201 : 200, { watch: results });
  }

  #conditions(raw: unknown): { value: Record<string, string[]> } | { error: ItemResult } {
    const invalid = { error: errorBody('INVALID_DATA', MSG.invalidData, { api_name: 'notification_condition' }) };
    if (raw === undefined || raw === null) return { value: {} };
    if (!Array.isArray(raw)) return invalid;
    const out: Record<string, string[]> = {};
    for (const c of raw) {
      const module = isObject(c) && isObject(c['module']) ? c['module']['api_name'] : undefined;
      const store = typeof module === 'string' ? this.#state.store(module) : undefined;
      if (store === undefined || !isObject(c)) return invalid;
      const fields: string[] = [];
      const visit = (node: unknown): void => {
        if (!isObject(node)) return;
        const f = isObject(node['field']) ? node['field']['api_name'] : undefined;
        if (typeof f === 'string') fields.push(f);
        if (Array.isArray(node['group'])) node['group'].forEach(visit);
      };
      visit(c['field_selection']);
      if (fields.some((f) => !store.fields.has(f))) return invalid;
      out[store.name] = fields;
    }
    return { value: out };
  }

  #delete(req: CrmRequest): EmuResponse {
    const raw = req.query['channel_ids'];
    if (raw === undefined || raw === '') return error(400, 'REQUIRED_PARAM_MISSING', MSG.paramMissing, { param_name: 'channel_ids' });
    const mine = this.#userChannels(req.userId);
    const ids = raw.split(',').map((s) => s.trim());
    const unknown = ids.find((id) => !mine.has(id));
    if (unknown !== undefined) return json(400, { watch: [errorBody('NOT_SUBSCRIBED', 'the channel is not subscribed', { channel_id: unknown })] });
    for (const id of ids) mine.delete(id);
    return json(200, { watch: ids.map((id) => success('Successfully unsubscribed from actions-watch of the given module', { channel_id: id })) });
  }

  // ------------------------------------------------------------------ deliveries

  /** Called by the CRM state for each record write; writes of one turn are delivered together. */
  recordChanged(change: RecordChange): void {
    if (this.#channels.size === 0) return;
    if (this.#held !== undefined) {
      this.#held.push(change);
      return;
    }
    this.#pending.push(change);
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    setImmediate(() => {
      this.#flushScheduled = false;
      const changes = this.#pending;
      this.#pending = [];
      this.#dispatch(changes);
    });
  }

  /** Holds deliveries of the writes that follow until `release`. */
  hold(): void {
    this.#held ??= [];
  }

  /** Delivers the held writes (`commit`) or forgets them (a rollback). */
  release(commit: boolean): void {
    const held = this.#held ?? [];
    this.#held = undefined;
    if (commit) for (const change of held) this.recordChanged(change);
  }

  #dispatch(changes: RecordChange[]): void {
    const now = this.#state.options.now();
    // One callback per channel, module and operation, ids in write order.
    const groups = new Map<string, RecordChange[]>();
    for (const c of changes) {
      const key = `${c.module}\u0000${c.operation}`;
      const list = groups.get(key) ?? [];
      list.push(c);
      groups.set(key, list);
    }
    for (const userChannels of this.#channels.values()) {
      for (const channel of userChannels.values()) {
        if (channel.expiresAt <= now) continue;
        for (const list of groups.values()) {
          const { module, operation } = list[0]!;
          const op = (Object.keys(OPERATIONS) as EventOp[]).find((k) => OPERATIONS[k] === operation)!;
          if (!channel.events.includes(`${module}.${op}`)) continue;
          const watched = channel.conditions[module];
          const hits = operation === 'update' && watched !== undefined ? list.filter((c) => c.fields.some((f) => watched.includes(f))) : list;
          if (hits.length === 0) continue;
          this.#send(channel, this.#body(channel, module, operation, hits, now));
        }
      }
    }
  }

  #body(channel: Channel, module: string, operation: RecordChange['operation'], changes: RecordChange[], now: number): Record<string, unknown> {
    const query: Record<string, string> = {};
    try {
      new URL(channel.notify_url).searchParams.forEach((v, k) => (query[k] = v));
    } catch {
      // notify_url was validated on enable; a URL the WHATWG parser refuses simply has no query.
    }
    const ids = [...new Set(changes.map((c) => c.id))];
    const body: Record<string, unknown> = {
      server_time: now,
      query_params: query,
      module,
      resource_uri: `${this.apiBase}/crm/v8/${module}`,
      ids,
      affected_fields: operation === 'update' ? changes.map((c) => ({ [c.id]: c.fields })) : [],
      operation,
      channel_id: channel.channel_id,
      token: channel.token,
    };
    if (channel.return_affected_field_values && operation !== 'delete') {
      body['affected_values'] = changes.map((c) => ({ record_id: c.id, values: c.values }));
    }
    return body;
  }

  #record(entry: Omit<NotificationDelivery, 'seq'>): NotificationDelivery {
    const delivery = { seq: ++this.#seq, ...entry };
    this.#deliveries.push(delivery);
    if (this.#deliveries.length > MAX_RECORDED_DELIVERIES) this.#deliveries.shift();
    return delivery;
  }

  #send(channel: Channel, body: Record<string, unknown>): void {
    const fault = this.faults.take(channel.channel_id);
    const delivery = this.#record({ channel_id: channel.channel_id, url: channel.notify_url, body, status: 'pending', attempts: 0, duplicate: false });
    if (fault?.drop === true) {
      delivery.status = 'dropped';
      return;
    }
    const copies = [delivery];
    if (fault?.duplicate === true) {
      copies.push(this.#record({ channel_id: channel.channel_id, url: channel.notify_url, body: structuredClone(body), status: 'pending', attempts: 0, duplicate: true }));
    }
    for (const d of copies) {
      const task = this.#attempt(d, fault?.delayMs ?? 0).finally(() => this.#inFlight.delete(task));
      this.#inFlight.add(task);
    }
  }

  async #attempt(delivery: NotificationDelivery, delayMs: number): Promise<void> {
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    for (let attempt = 1; attempt <= this.attempts; attempt += 1) {
      delivery.attempts = attempt;
      try {
        const res = await fetch(delivery.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(delivery.body),
          signal: AbortSignal.timeout(DEFAULT_DELIVERY_TIMEOUT_MS),
          redirect: 'manual',
        });
        await res.arrayBuffer().catch(() => undefined);
        delivery.responseStatus = res.status;
        if (res.status >= 200 && res.status < 300) {
          delivery.status = 'delivered';
          return;
        }
      } catch {
        delete delivery.responseStatus;
      }
      if (attempt < this.attempts) await new Promise((resolve) => setTimeout(resolve, this.retryDelayMs * 2 ** (attempt - 1)));
    }
    delivery.status = 'failed';
  }
}
