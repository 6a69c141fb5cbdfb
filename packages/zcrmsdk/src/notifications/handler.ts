/**
 * The receiving end of Zoho CRM's instant notifications (`/actions/watch`): checks the channel and its token,
 * answers Zoho at once, then hands each delivery to `onEvent`, once, even when it arrives twice.
 *
 * Works as a plain Node `(req, res)` listener, as Express middleware (`req.body` already parsed, or the raw
 * stream), and anywhere else through `handler.handle(body)`, e.g. Fastify:
 * `fastify.post('/hooks', (req, reply) => handler.handle(req.body).then((r) => reply.code(r.status).send()))`.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ConfigError } from '../errors.js';
import { isObject } from '../internal/is-object.js';
import { DEFAULT_DEDUPE_TTL_MS, MemoryDedupeStore, type DedupeStore } from './dedupe.js';

/** Largest callback body the handler reads, bytes. */
export const DEFAULT_NOTIFICATION_MAX_BODY_BYTES = 1024 * 1024;
/** Longest token Zoho accepts for a channel (characters). */
export const MAX_CHANNEL_TOKEN_LENGTH = 50;

/** What Zoho did to the records: the callback's `operation`. */
export type NotificationOperation = 'insert' | 'update' | 'delete';

/**
 * One delivery, as Zoho posts it to `notify_url` (minus the `token`, which the handler has checked).
 * `Module` is the module's API name; `Fields` the module's record type (e.g. from `zcrm typegen`).
 */
export interface NotificationEvent<Module extends string = string, Fields extends object = Record<string, unknown>> {
  /** When Zoho sent the delivery, epoch ms. */
  server_time: number;
  /** The module's API name, e.g. `Leads`. */
  module: Module;
  /** The module's API URL at Zoho. */
  resource_uri: string;
  /** The ids of the records the operation touched. */
  ids: string[];
  /** For updates: per record id, the API names of the fields that changed. */
  affected_fields: Array<Record<string, string[]>>;
  /** The changed fields' new values, when the channel asked for them (`return_affected_field_values`). */
  affected_values?: Array<{ record_id: string; values: Partial<Fields> }>;
  operation: NotificationOperation;
  /** The channel the delivery belongs to. */
  channel_id: string;
  /** The query parameters of `notify_url`, as Zoho echoes them. */
  query_params: Record<string, string>;
}

/** The union of events for a map of module names to record types: `NotificationEventOf<{ Leads: Leads }>`. */
export type NotificationEventOf<Modules extends Record<string, object>> = {
  [M in keyof Modules & string]: NotificationEvent<M, Modules[M]>;
}[keyof Modules & string];

/** What the handler expects of one channel. */
export interface ChannelExpectation {
  /** The token given when the channel was enabled; a delivery with another (or none) is refused with 401. */
  token: string;
}

/** Options of {@link createNotificationHandler}. */
export interface NotificationHandlerOptions<Modules extends Record<string, object> = Record<string, Record<string, unknown>>> {
  /** Channel id → what its deliveries must carry. A delivery for a channel not listed is refused with 403. */
  channels: Record<string, ChannelExpectation>;
  /** Runs after Zoho has been answered, once per delivery. */
  onEvent: (event: NotificationEventOf<Modules>) => void | Promise<void>;
  /**
   * Where handled deliveries are remembered so a repeat is dropped; share a Redis or SQL store between
   * processes, or `false` to hand every delivery to `onEvent`. @default a MemoryDedupeStore
   */
  dedupe?: DedupeStore | false;
  /** How long a handled delivery is remembered, ms. @default DEFAULT_DEDUPE_TTL_MS (24 h) */
  dedupeTtlMs?: number;
  /** Called instead of `onEvent` for a delivery already handled (metrics, logs). @default ignore */
  onDuplicate?: (event: NotificationEventOf<Modules>) => void;
  /** Called when `onEvent` throws or the dedupe store fails (the delivery was already answered). @default ignore */
  onError?: (error: unknown, event: NotificationEventOf<Modules>) => void;
  /** Largest body read from a stream, bytes; a larger one gets 413. @default DEFAULT_NOTIFICATION_MAX_BODY_BYTES (1 MiB) */
  maxBodyBytes?: number;
}

/** How the handler answered one delivery. */
export interface NotificationResult {
  /** 200 accepted, 400 not a Zoho callback, 401 wrong or missing token, 403 unknown channel, 405 not a POST, 413 too large. */
  status: 200 | 400 | 401 | 403 | 405 | 413;
  /** Why it was refused (no secret in it). */
  error?: string;
}

/** A Node/Express request listener with the framework-free parts exposed. */
export interface NotificationHandler {
  /** Node `(req, res)` listener and Express middleware (answers; never calls `next`, except with a read error). */
  (req: IncomingMessage & { body?: unknown }, res: ServerResponse, next?: (error?: unknown) => void): void;
  /** Checks one callback body (a parsed object, a JSON string or a Buffer) and schedules `onEvent`. */
  handle(body: unknown): Promise<NotificationResult>;
  /** Resolves when every `onEvent` scheduled so far has finished (tests, graceful shutdown). */
  idle(): Promise<void>;
  /** Waits for pending events, then closes the dedupe store. */
  close(): Promise<void>;
}

const OPERATIONS = new Set<string>(['insert', 'update', 'delete']);

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** Constant-time comparison of a received token with the expected one (hashes first, so lengths leak nothing). */
function tokenMatches(received: unknown, expected: string): boolean {
  if (typeof received !== 'string') return false;
  return timingSafeEqual(digest(received), digest(expected));
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The key of a delivery: a digest of everything Zoho sent except the token. */
export function deliveryKey(body: Record<string, unknown>): string {
  const { token: _token, ...rest } = body;
  return digest(canonical(rest)).toString('hex');
}

function stringMap(value: unknown): Record<string, string> {
  if (!isObject(value)) return {};
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
}

/**
 * Reads Zoho's callback body into an event, or says what is wrong with it. The one parser of callbacks:
 * `ids` and `channel_id` arrive as numbers or strings and leave as strings.
 */
export function parseNotification(body: unknown): { event: NotificationEvent; raw: Record<string, unknown> } | { error: string } {
  let raw: unknown = body;
  if (Buffer.isBuffer(raw)) raw = raw.toString('utf8');
  if (typeof raw === 'string') {
    try {
      raw = JSON.parse(raw);
    } catch {
      return { error: 'The body is not JSON.' };
    }
  }
  if (!isObject(raw)) return { error: 'The body is not a JSON object.' };
  const channel = raw['channel_id'];
  if (typeof channel !== 'string' && typeof channel !== 'number') return { error: 'channel_id is missing.' };
  const operation = raw['operation'];
  if (typeof operation !== 'string' || !OPERATIONS.has(operation)) return { error: 'operation must be insert, update or delete.' };
  const module = raw['module'];
  if (typeof module !== 'string' || module === '') return { error: 'module is missing.' };
  const ids = raw['ids'];
  if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string' || typeof id === 'number')) return { error: 'ids must be a list of record ids.' };
  const serverTime = Number(raw['server_time']);
  const event: NotificationEvent = {
    server_time: Number.isFinite(serverTime) ? serverTime : 0,
    module,
    resource_uri: typeof raw['resource_uri'] === 'string' ? raw['resource_uri'] : '',
    ids: ids.map(String),
    affected_fields: Array.isArray(raw['affected_fields']) ? (raw['affected_fields'].filter(isObject) as Array<Record<string, string[]>>) : [],
    operation: operation as NotificationOperation,
    channel_id: String(channel),
    query_params: stringMap(raw['query_params']),
  };
  if (Array.isArray(raw['affected_values'])) {
    event.affected_values = raw['affected_values']
      .filter(isObject)
      .map((v) => ({ record_id: String(v['record_id'] ?? ''), values: isObject(v['values']) ? v['values'] : {} }));
  }
  return { event, raw };
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) over = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(over ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * Creates a receiver for Zoho CRM notifications.
 *
 * ```ts
 * const handler = createNotificationHandler({ channels: { '1000000068001': { token: process.env.ZOHO_CHANNEL_TOKEN! } }, onEvent: (e) => sync(e) });
 * http.createServer(handler).listen(3000);          // or app.post('/hooks', express.json(), handler)
 * ```
 */
export function createNotificationHandler<Modules extends Record<string, object> = Record<string, Record<string, unknown>>>(
  options: NotificationHandlerOptions<Modules>,
): NotificationHandler {
  if (!isObject(options) || !isObject(options.channels)) {
    throw new ConfigError("createNotificationHandler needs { channels: { '<channel id>': { token: '...' } }, onEvent }.", { option: 'channels' });
  }
  if (typeof options.onEvent !== 'function') throw new ConfigError('createNotificationHandler needs an onEvent function.', { option: 'onEvent' });
  const channels = new Map<string, string>();
  for (const [id, expectation] of Object.entries(options.channels)) {
    const token = isObject(expectation) ? expectation['token'] : undefined;
    if (typeof token !== 'string' || token === '' || token.length > MAX_CHANNEL_TOKEN_LENGTH) {
      throw new ConfigError(`Channel '${id}' needs a token of 1 to ${MAX_CHANNEL_TOKEN_LENGTH} characters (the one given when enabling the channel).`, {
        option: 'channels',
      });
    }
    channels.set(id, token);
  }
  const ttlMs = options.dedupeTtlMs ?? DEFAULT_DEDUPE_TTL_MS;
  if (!(ttlMs > 0)) throw new ConfigError(`createNotificationHandler option 'dedupeTtlMs' must be a positive number of ms (got ${String(ttlMs)}).`, { option: 'dedupeTtlMs' });
  const maxBody = options.maxBodyBytes ?? DEFAULT_NOTIFICATION_MAX_BODY_BYTES;
  const dedupe: DedupeStore | undefined = options.dedupe === false ? undefined : (options.dedupe ?? new MemoryDedupeStore());
  const pending = new Set<Promise<void>>();

  const deliver = async (event: NotificationEventOf<Modules>, raw: Record<string, unknown>): Promise<void> => {
    try {
      if (dedupe !== undefined && !(await dedupe.claim(deliveryKey(raw), ttlMs))) return options.onDuplicate?.(event);
      await options.onEvent(event);
    } catch (error) {
      options.onError?.(error, event);
    }
  };

  const handle = async (body: unknown): Promise<NotificationResult> => {
    const parsed = parseNotification(body);
    if ('error' in parsed) return { status: 400, error: parsed.error };
    const expected = channels.get(parsed.event.channel_id);
    if (expected === undefined) return { status: 403, error: `Channel ${parsed.event.channel_id} is not one this receiver expects.` };
    if (!tokenMatches(parsed.raw['token'], expected)) return { status: 401, error: 'The token is missing or wrong.' };
    // Answer first: onEvent runs on a later turn, so a slow handler never makes Zoho time out.
    const task = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => deliver(parsed.event as NotificationEventOf<Modules>, parsed.raw))
      .finally(() => pending.delete(task));
    pending.add(task);
    return { status: 200 };
  };

  const listener = (req: IncomingMessage & { body?: unknown }, res: ServerResponse, next?: (error?: unknown) => void): void => {
    const reply = (result: NotificationResult): void => {
      res.statusCode = result.status;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(result.status === 200 ? { status: 'ok' } : { status: 'error', message: result.error }));
    };
    if (req.method !== 'POST') return reply({ status: 405, error: 'Zoho posts notifications; use POST.' });
    const body: Promise<unknown> =
      req.body !== undefined && !(isObject(req.body) && Object.keys(req.body).length === 0 && req.readable) ? Promise.resolve(req.body) : readBody(req, maxBody);
    body
      .then((b) => (b === 'too-large' ? { status: 413 as const, error: `The body is over ${maxBody} bytes.` } : handle(b)))
      .then(reply, (error: unknown) => (next ? next(error) : reply({ status: 400, error: 'The body could not be read.' })));
  };

  return Object.assign(listener, {
    handle,
    idle: async (): Promise<void> => {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    close: async (): Promise<void> => {
      while (pending.size > 0) await Promise.all([...pending]);
      await dedupe?.close?.();
    },
  });
}
