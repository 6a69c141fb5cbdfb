/**
 * `keepChannelAlive`: re-enables an instant-notification channel (`crm.notifications`, generated from Zoho's
 * description) before its `channel_expiry` (Zoho caps it at one week ahead on v4+, one hour by default), once
 * across processes (under the token store's lock) and across restarts (the expiry is kept in the store).
 */
import { ConfigError, InvalidInputError } from '../errors.js';
import { isObject } from '../internal/is-object.js';
import { SingleFlight } from '../internal/single-flight.js';
import type { StoredToken, TokenStore } from '../stores/token-store.js';
import type { RequestSender } from '../api/resource.js';
import { MAX_CHANNEL_TOKEN_LENGTH } from './handler.js';

/** A channel's lifetime when `keepChannelAlive` is given none, ms (Zoho's default expiry, one hour). */
export const DEFAULT_CHANNEL_LIFETIME_MS = 60 * 60 * 1000;
/** The longest `channel_expiry` Zoho accepts ahead of now on v4 and later, ms (one week). */
export const MAX_CHANNEL_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;
/** How long before expiry `keepChannelAlive` renews, ms (capped at half the lifetime). */
export const DEFAULT_CHANNEL_RENEW_BEFORE_MS = 5 * 60 * 1000;

/** One channel to enable or change (Zoho's `watch` item). */
export interface WatchInput {
  /** Your id for the channel (digits); Zoho sends it back in every delivery. */
  channel_id: string;
  /** `Module.create`, `Module.edit`, `Module.delete` or `Module.all`, e.g. `['Leads.all']`. */
  events?: string[];
  /** Sent back in every delivery so the receiver can check it (at most 50 characters). */
  token?: string;
  /** Where Zoho POSTs the deliveries. */
  notify_url?: string;
  /** When the channel stops (ISO 8601, at most a week ahead). Zoho's default: one hour from now. */
  channel_expiry?: string;
  /** Include the changed fields' values in update deliveries. */
  return_affected_field_values?: boolean;
  /** Also notify when a related record changes this one. */
  notify_on_related_action?: boolean;
  /** Only notify updates of these fields (Zoho's `notification_condition`). */
  notification_condition?: Array<{ type: 'field_selection'; module: { api_name: string; id?: string }; field_selection: Record<string, unknown> }>;
}

function checkChannel(item: unknown): void {
  if (!isObject(item) || typeof item['channel_id'] !== 'string' || !/^\d{1,19}$/.test(item['channel_id'])) {
    throw new InvalidInputError("keepChannelAlive: channel needs channel_id, a string of digits such as '1000000068001'.");
  }
  const token = item['token'];
  if (token !== undefined && (typeof token !== 'string' || token.length > MAX_CHANNEL_TOKEN_LENGTH)) {
    throw new InvalidInputError(`keepChannelAlive: channel ${item['channel_id']}'s token must be a string of at most ${MAX_CHANNEL_TOKEN_LENGTH} characters.`);
  }
}

/** Zoho's `channel_expiry` format: ISO 8601, seconds, UTC offset. */
export function formatChannelExpiry(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/** Options of {@link keepChannelAlive}. */
export interface KeepChannelAliveOptions {
  /** The channel to keep enabled: channel_id, events, notify_url and token. */
  channel: WatchInput & { events: string[]; notify_url: string };
  /** How long each renewal extends the channel, ms (at most a week). @default DEFAULT_CHANNEL_LIFETIME_MS (1 h) */
  lifetimeMs?: number;
  /** Renew when less than this is left, ms (capped at half of `lifetimeMs`). @default DEFAULT_CHANNEL_RENEW_BEFORE_MS (5 min) */
  renewBeforeMs?: number;
  /**
   * Where the channel's expiry is kept (an entry `channel:<channel_id>`), shared by processes and restarts;
   * its `withLock` makes one process renew. @default the client's token store
   */
  store?: TokenStore;
  /** How often the keeper checks, ms; `0` disables the timer (call `check()` yourself). @default a tenth of the lifetime, at most a minute */
  checkIntervalMs?: number;
  /** The clock, epoch ms (e.g. the emulator's). @default Date.now */
  now?: () => number;
  /** Called when a scheduled check fails (the next one tries again). @default ignore */
  onError?: (error: unknown) => void;
}

/** What `keepChannelAlive` returns. */
export interface ChannelKeeper {
  /** Renews the channel when it is due (or unknown); resolves true when this call renewed it. */
  check(): Promise<boolean>;
  /** The expiry known to this process, epoch ms (0 before the first check). */
  readonly expiresAt: number;
  /** Stops the timer (the channel stays enabled until it expires). */
  stop(): void;
}

const IN_FLIGHT = new WeakMap<TokenStore, SingleFlight<string, boolean>>();

/** The token-store key under which a channel's expiry is kept. */
export function channelStateKey(channelId: string): string {
  return `channel:${channelId}`;
}

/**
 * Keeps a notification channel enabled: renews it before `channel_expiry`, once across processes and restarts.
 *
 * ```ts
 * const keeper = keepChannelAlive(crm, { channel: { channel_id: '1000000068001', events: ['Leads.all'], notify_url, token } });
 * await keeper.check(); // enables now; a timer renews from then on
 * ```
 */
export function keepChannelAlive(
  crm: RequestSender & { readonly tokens: { readonly store: TokenStore } },
  options: KeepChannelAliveOptions,
): ChannelKeeper {
  const channel = options?.channel;
  checkChannel(channel);
  if (!Array.isArray(channel.events) || channel.events.length === 0 || typeof channel.notify_url !== 'string') {
    throw new ConfigError('keepChannelAlive needs channel.events (e.g. [\'Leads.all\']) and channel.notify_url.', { option: 'channel' });
  }
  const lifetime = options.lifetimeMs ?? DEFAULT_CHANNEL_LIFETIME_MS;
  if (!(lifetime > 0 && lifetime <= MAX_CHANNEL_LIFETIME_MS)) {
    throw new ConfigError(`keepChannelAlive option 'lifetimeMs' must be more than 0 and at most ${MAX_CHANNEL_LIFETIME_MS} (one week, Zoho's cap); got ${String(lifetime)}.`, {
      option: 'lifetimeMs',
    });
  }
  const renewBefore = Math.min(options.renewBeforeMs ?? DEFAULT_CHANNEL_RENEW_BEFORE_MS, lifetime / 2);
  const store = options.store ?? crm.tokens.store;
  const now = options.now ?? Date.now;
  const key = channelStateKey(channel.channel_id);
  let expiresAt = 0;

  const renewIfDue = async (): Promise<boolean> => {
    const saved = await store.get(key);
    if (saved !== null && saved.expiresAt - now() > renewBefore) {
      expiresAt = saved.expiresAt;
      return false;
    }
    const until = now() + lifetime;
    // POST /actions/watch (crm.notifications.enable): enabling an enabled channel renews it.
    await crm.requestJson({ method: 'POST', path: ['actions', 'watch'], json: { watch: [{ ...channel, channel_expiry: formatChannelExpiry(until) }] } });
    const entry: StoredToken = { userId: key, accessToken: '-', expiresAt: until };
    await store.save(entry);
    expiresAt = until;
    return true;
  };

  const check = (): Promise<boolean> => {
    // Fast path: this process knows the channel has long to live.
    if (expiresAt - now() > renewBefore) return Promise.resolve(false);
    // One renewal in flight per store and channel in this process; the store's lock covers other processes.
    let flights = IN_FLIGHT.get(store);
    if (flights === undefined) IN_FLIGHT.set(store, (flights = new SingleFlight()));
    const joining = flights.has(key);
    const renewal = flights.run(key, () => (store.withLock ? store.withLock(`${key}:renew`, renewIfDue) : renewIfDue()));
    return joining ? renewal.then(() => false) : renewal;
  };

  const interval = options.checkIntervalMs ?? Math.min(lifetime / 10, 60_000);
  const timer =
    interval > 0
      ? setInterval(() => {
          check().catch((error: unknown) => options.onError?.(error));
        }, interval)
      : undefined;
  timer?.unref();

  return {
    check,
    get expiresAt() {
      return expiresAt;
    },
    stop: () => {
      if (timer !== undefined) clearInterval(timer);
    },
  };
}
