/**
 * Fault injection as data: a queue of rules, each answering (or dropping, or delaying) the next matching
 * requests, so tests exercise retries and error handling without monkey-patching anything.
 */

/** One fault to inject with `emulator.failNext(...)`. */
export interface FaultOptions {
  /** HTTP status to answer with. Default 500, unless only `delayMs` is given (then the request proceeds). */
  status?: number;
  /** Seconds for a `Retry-After` header. Default: none. */
  retryAfter?: number;
  /** How many matching requests this fault applies to. Default 1. */
  times?: number;
  /** Only requests with this method (case-insensitive). Default: any method. */
  method?: string;
  /**
   * Only requests whose path starts with this string, or matches this RegExp (tested against the path
   * without the query). Default: any `/crm/` request (token and accounts calls are not affected unless
   * targeted, e.g. `path: '/oauth/v2/token'`).
   */
  path?: string | RegExp;
  /** The JSON body to answer with. Default: a Zoho error object for `code`/`status`. */
  body?: unknown;
  /** The Zoho error code in the default body. Default by status: 429 TOO_MANY_REQUESTS, 401 INVALID_TOKEN,
   * 400 INVALID_DATA, 404 INVALID_URL_PATTERN, otherwise INTERNAL_ERROR. */
  code?: string;
  /** The message in the default body. Default: Zoho's message for `code`. */
  message?: string;
  /** Extra response headers. */
  headers?: Record<string, string>;
  /** Destroy the socket without any reply. Default false. */
  dropConnection?: boolean;
  /**
   * Handle the request normally (a create is stored), then destroy the socket instead of replying: the
   * client cannot know the outcome. Default false.
   */
  dropAfterHandling?: boolean;
  /** Wait this long before acting (with no status: before handling the request normally). Default 0. */
  delayMs?: number;
}

/** What the server must do for a request that matched a fault. */
export type FaultAction =
  | { kind: 'drop'; delayMs: number }
  | { kind: 'drop-after'; delayMs: number }
  | { kind: 'delay'; delayMs: number }
  | { kind: 'reply'; delayMs: number; status: number; headers: Record<string, string>; json: unknown };

interface FaultRule {
  options: FaultOptions;
  remaining: number;
}

const DEFAULT_CODE_BY_STATUS: Record<number, string> = {
  400: 'INVALID_DATA',
  401: 'INVALID_TOKEN',
  403: 'NO_PERMISSION',
  404: 'INVALID_URL_PATTERN',
  429: 'TOO_MANY_REQUESTS',
};

/** Zoho's wire messages for the codes a fault most often carries. */
export const ERROR_MESSAGES: Record<string, string> = {
  INVALID_TOKEN: 'invalid oauth token',
  AUTHENTICATION_FAILURE: 'Authentication failed',
  OAUTH_SCOPE_MISMATCH: 'invalid oauth scope to access this URL',
  NO_PERMISSION: 'permission denied',
  INVALID_URL_PATTERN: 'Please check if the URL trying to access is a correct one',
  INVALID_REQUEST_METHOD: 'The http request method type is not a valid one',
  INVALID_DATA: 'invalid data',
  TOO_MANY_REQUESTS: 'Many requests fired in concurrent than the allowed limit',
  INTERNAL_ERROR: 'Internal server error occurred.',
};

/** A top-level Zoho error body. */
export function zohoError(code: string, message?: string, details: Record<string, unknown> = {}): Record<string, unknown> {
  return { code, details, message: message ?? ERROR_MESSAGES[code] ?? code.toLowerCase().replace(/_/g, ' '), status: 'error' };
}

function pathMatches(filter: string | RegExp | undefined, path: string): boolean {
  if (filter === undefined) return path.startsWith('/crm/');
  if (typeof filter === 'string') return path.startsWith(filter);
  filter.lastIndex = 0;
  return filter.test(path);
}

/** The queue of pending faults. Rules are tried in the order they were added. */
export class FaultQueue {
  #rules: FaultRule[] = [];

  add(options: FaultOptions): void {
    const times = options.times ?? 1;
    if (!Number.isInteger(times) || times < 1) throw new RangeError('failNext: `times` must be a positive integer.');
    this.#rules.push({ options, remaining: times });
  }

  /** Number of fault occurrences still pending. */
  get pending(): number {
    return this.#rules.reduce((n, r) => n + r.remaining, 0);
  }

  clear(): void {
    this.#rules = [];
  }

  /** Consumes and returns the action for the first rule matching this request, if any. */
  take(method: string, path: string): FaultAction | undefined {
    const index = this.#rules.findIndex(
      (r) =>
        (r.options.method === undefined || r.options.method.toUpperCase() === method.toUpperCase()) &&
        pathMatches(r.options.path, path),
    );
    if (index === -1) return undefined;
    const rule = this.#rules[index]!;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.#rules.splice(index, 1);
    return toAction(rule.options);
  }
}

function toAction(o: FaultOptions): FaultAction {
  const delayMs = o.delayMs ?? 0;
  if (o.dropConnection === true) return { kind: 'drop', delayMs };
  if (o.dropAfterHandling === true) return { kind: 'drop-after', delayMs };
  if (o.status === undefined && o.body === undefined && o.code === undefined && delayMs > 0) {
    return { kind: 'delay', delayMs };
  }
  const status = o.status ?? 500;
  const code = o.code ?? DEFAULT_CODE_BY_STATUS[status] ?? 'INTERNAL_ERROR';
  const headers: Record<string, string> = { ...o.headers };
  if (o.retryAfter !== undefined) headers['Retry-After'] = String(o.retryAfter);
  return { kind: 'reply', delayMs, status, headers, json: o.body !== undefined ? o.body : zohoError(code, o.message) };
}

/** One fault for the emulator's notification deliveries (`emulator.failNextDelivery(...)`). */
export interface DeliveryFaultOptions {
  /** Make no delivery at all (recorded with status `dropped`). Default false. */
  drop?: boolean;
  /** Send the delivery twice (the copy is recorded with `duplicate: true`). Default false. */
  duplicate?: boolean;
  /** Wait this long before the first attempt, ms. Default 0. */
  delayMs?: number;
  /** Only deliveries of this channel id. Default: any channel. */
  channelId?: string;
  /** How many matching deliveries this fault applies to. Default 1. */
  times?: number;
}

/** Pending delivery faults, tried in the order they were added. */
export class DeliveryFaultQueue {
  #rules: { options: DeliveryFaultOptions; remaining: number }[] = [];

  add(options: DeliveryFaultOptions): void {
    const times = options.times ?? 1;
    if (!Number.isInteger(times) || times < 1) throw new RangeError('failNextDelivery: `times` must be a positive integer.');
    this.#rules.push({ options, remaining: times });
  }

  clear(): void {
    this.#rules = [];
  }

  /** Consumes and returns the first fault matching a delivery of `channelId`, if any. */
  take(channelId: string): DeliveryFaultOptions | undefined {
    const index = this.#rules.findIndex((r) => r.options.channelId === undefined || r.options.channelId === channelId);
    if (index === -1) return undefined;
    const rule = this.#rules[index]!;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.#rules.splice(index, 1);
    return rule.options;
  }
}
