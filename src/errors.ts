import { redact } from './internal/redact.js';
import { parseRetryAfterMs } from './internal/retry-after.js';

const BRAND = Symbol.for('zcrmsdk.ZohoError');

/** Options every ZohoError accepts. */
export interface ZohoErrorOptions {
  cause?: unknown;
}

/**
 * Base class of every error the SDK throws. `instanceof ZohoError` works across several copies of the
 * package (the brand is a global symbol), and the message is redacted in the constructor.
 */
export class ZohoError extends Error {
  /** A stable, machine-readable code, e.g. `INVALID_TOKEN`, `CONFIG_MISSING`, `invalid_code`. */
  readonly code: string;

  constructor(message: string, code: string, options: ZohoErrorOptions = {}) {
    super(redact(message), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    Object.defineProperty(this, BRAND, { value: true });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== ZohoError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }
}

/** Bad or missing configuration: the message names the option (or properties file and key) to fix. */
export class ConfigError extends ZohoError {
  /** The option or properties key at fault, when there is one. */
  readonly option: string | undefined;
  constructor(message: string, options: ZohoErrorOptions & { option?: string; code?: string } = {}) {
    super(message, options.code ?? 'CONFIG_INVALID', options);
    this.option = options.option;
  }
}

/** Bad input to an SDK call (an invalid module name, id, path segment...). */
export class InvalidInputError extends ZohoError {
  constructor(message: string, options: ZohoErrorOptions = {}) {
    super(message, 'INVALID_INPUT', options);
  }
}

/**
 * The Zoho Accounts token endpoint refused: Zoho answers with HTTP 200 and `{"error": "invalid_code"}`,
 * so `code` is Zoho's `error` value (`invalid_code`, `invalid_client`, `Access Denied` ...).
 */
export class OAuthError extends ZohoError {
  /** HTTP status of the token endpoint reply (usually 200), when a reply arrived. */
  readonly status: number | undefined;
  /** Zoho's `error_description`, when it sent one. */
  readonly description: string | undefined;
  constructor(
    message: string,
    code: string,
    options: ZohoErrorOptions & { status?: number | undefined; description?: string | undefined } = {},
  ) {
    super(message, code, options);
    this.status = options.status;
    this.description = options.description === undefined ? undefined : redact(options.description);
  }
}

/** Zoho's refresh throttle ("Access Denied": too many access tokens from one refresh token in 10 minutes). */
export class OAuthThrottleError extends OAuthError {}

/** There are no usable tokens for a user: nothing stored, or no refresh token to renew an expired one. */
export class NoTokenError extends ZohoError {
  readonly userId: string;
  constructor(message: string, userId: string, options: ZohoErrorOptions = {}) {
    super(message, 'NO_TOKEN', options);
    this.userId = userId;
  }
}

/** A token store failed (database down, bad credentials, a custom module rejected). */
export class TokenStoreError extends ZohoError {
  constructor(message: string, options: ZohoErrorOptions = {}) {
    super(message, 'TOKEN_STORE', options);
  }
}

/** The request never got an HTTP reply: DNS, refused or reset connection, TLS failure. */
export class ConnectionError extends ZohoError {
  constructor(message: string, options: ZohoErrorOptions & { code?: string } = {}) {
    super(message, options.code ?? 'CONNECTION_FAILED', options);
  }
}

/** The request took longer than its timeout. */
export class TimeoutError extends ConnectionError {
  readonly timeoutMs: number;
  constructor(message: string, timeoutMs: number, options: ZohoErrorOptions = {}) {
    super(message, { ...options, code: 'TIMEOUT' });
    this.timeoutMs = timeoutMs;
  }
}

/** The caller's AbortSignal fired. Never retried. */
export class AbortedError extends ZohoError {
  constructor(message: string, options: ZohoErrorOptions = {}) {
    super(message, 'ABORTED', options);
  }
}

/** Details of a Zoho CRM error reply. */
export interface ApiErrorInit {
  status: number;
  code: string;
  message: string;
  details?: Record<string, unknown> | undefined;
  requestId?: string | undefined;
  retryAfterMs?: number | undefined;
}

/** Zoho CRM answered with an error status. `code` is Zoho's code (`INVALID_MODULE`, `INVALID_TOKEN` ...). */
export class ApiError extends ZohoError {
  readonly status: number;
  readonly details: Record<string, unknown>;
  constructor(init: ApiErrorInit, options: ZohoErrorOptions = {}) {
    super(init.message, init.code, options);
    this.status = init.status;
    this.details = init.details ?? {};
  }
}
/** 400: the request was refused as invalid. */
export class BadRequestError extends ApiError {}
/** 401: the token is missing, invalid, expired, revoked or lacks the scope. */
export class AuthenticationError extends ApiError {}
/** 403: the user or edition may not do this. */
export class PermissionError extends ApiError {}
/** 404: no such URL. */
export class NotFoundError extends ApiError {}
/** 429: too many requests or API credits exhausted. */
export class RateLimitError extends ApiError {
  /** How long Zoho asked to wait (Retry-After), in milliseconds. */
  readonly retryAfterMs: number | undefined;
  constructor(init: ApiErrorInit, options: ZohoErrorOptions = {}) {
    super(init, options);
    this.retryAfterMs = init.retryAfterMs;
  }
}
/** 5xx: Zoho failed. */
export class ServerError extends ApiError {}

/** The one factory that maps an HTTP error reply to an ApiError subclass. */
export function apiErrorFromResponse(
  status: number,
  bodyText: string,
  headers: Record<string, string> = {},
): ApiError {
  let code = `HTTP_${status}`;
  let message = `Zoho CRM answered HTTP ${status}.`;
  let details: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = JSON.parse(bodyText);
    const obj = pickErrorObject(parsed);
    if (obj) {
      if (typeof obj.code === 'string') code = obj.code;
      if (typeof obj.message === 'string') message = `${obj.message} (${code}, HTTP ${status})`;
      if (obj.details && typeof obj.details === 'object') details = obj.details as Record<string, unknown>;
    }
  } catch {
    // Not JSON (an HTML error page, an empty body): keep the generic message.
  }
  const retryAfterMs = parseRetryAfterMs(headers['retry-after']);
  const init: ApiErrorInit = { status, code, message, details, retryAfterMs };
  if (status === 401) return new AuthenticationError(init);
  if (status === 403) return new PermissionError(init);
  if (status === 404) return new NotFoundError(init);
  if (status === 429) return new RateLimitError(init);
  if (status >= 500) return new ServerError(init);
  if (status >= 400) return new BadRequestError(init);
  return new ApiError(init);
}

function pickErrorObject(parsed: unknown): Record<string, unknown> | undefined {
  if (!parsed || typeof parsed !== 'object') return undefined;
  const obj = parsed as Record<string, unknown>;
  if (typeof obj.code === 'string') return obj;
  // Write envelopes carry the error inside data[0].
  const data = obj.data;
  if (Array.isArray(data) && data[0] && typeof data[0] === 'object') return data[0] as Record<string, unknown>;
  return undefined;
}
