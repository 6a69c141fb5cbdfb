import { channel } from 'node:diagnostics_channel';
import { SAFE_ERROR, redact, redactError, redactHeaders, redactValue } from './internal/redact.js';
import { parseRetryAfterMs } from './internal/retry-after.js';

const BRAND = Symbol.for('zcrmsdk.ZohoError');

/**
 * Every ZohoError the SDK constructs is published here (after redaction), for tests and tracing that want
 * to see errors even when the caller swallows them. Publishing costs nothing when nobody subscribes.
 */
export const ERROR_CHANNEL = 'zcrmsdk:error';
const errorChannel = channel(ERROR_CHANNEL);

/** Options every ZohoError accepts. */
export interface ZohoErrorOptions {
  cause?: unknown;
}

/**
 * Base class of every error the SDK throws. `instanceof ZohoError` works across several copies of the
 * package (the brand is a global symbol). Redaction happens in the constructor: the message, and the `cause`
 * chain, which is replaced by a redacted copy keeping its class, `name` and `code` (a custom store's error
 * that quotes a token cannot leak it through `util.inspect(err)`). Subclasses redact their own fields.
 */
export class ZohoError extends Error {
  /** A stable, machine-readable code, e.g. `INVALID_TOKEN`, `CONFIG_MISSING`, `invalid_code`. */
  readonly code: string;

  constructor(message: string, code: string, options: ZohoErrorOptions = {}) {
    super(redact(message), options.cause === undefined ? undefined : { cause: redactError(options.cause) });
    this.name = new.target.name;
    this.code = code;
    Object.defineProperty(this, BRAND, { value: true });
    Object.defineProperty(this, SAFE_ERROR, { value: true });
    if (errorChannel.hasSubscribers) errorChannel.publish(this);
  }

  /** What `JSON.stringify(err)` shows: name, code, message, the subclass's fields and the (redacted) cause. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { name: this.name, code: this.code, message: this.message };
    for (const [key, value] of Object.entries(this)) out[key] = value;
    if (this.cause !== undefined) out.cause = causeToJSON(this.cause);
    return out;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== ZohoError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }
}

function causeToJSON(cause: unknown): unknown {
  if (cause instanceof ZohoError) return cause.toJSON();
  if (cause instanceof Error) {
    const out: Record<string, unknown> = { name: cause.name, message: cause.message };
    const code = (cause as { code?: unknown }).code;
    if (code !== undefined) out.code = code;
    if (cause.cause !== undefined) out.cause = causeToJSON(cause.cause);
    return out;
  }
  return cause;
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
  /** Response headers (lower-case names); credentials are redacted. */
  headers?: Record<string, string> | undefined;
  requestId?: string | undefined;
  retryAfterMs?: number | undefined;
}

/**
 * Zoho CRM answered with an error status. `code` is Zoho's code (`INVALID_MODULE`, `INVALID_TOKEN` ...);
 * `details`, `headers` and the message are redacted copies of what Zoho sent.
 */
export class ApiError extends ZohoError {
  /** The HTTP status of the reply. */
  readonly status: number;
  /** Zoho's `details` object (`{"api_name":"Last_Name"}`, `{"param_name":"ids"}` ...), `{}` when absent. */
  readonly details: Record<string, unknown>;
  /** The reply's headers, lower-case names, credentials redacted. */
  readonly headers: Record<string, string>;
  /** The request id of the reply (see `REQUEST_ID_HEADERS`), to quote to Zoho support. */
  readonly requestId: string | undefined;
  /** How long Zoho asked to wait (Retry-After), in milliseconds, when it said. */
  readonly retryAfterMs: number | undefined;
  constructor(init: ApiErrorInit, options: ZohoErrorOptions = {}) {
    super(init.message, init.code, options);
    this.status = init.status;
    this.details = (redactValue(init.details ?? {}) ?? {}) as Record<string, unknown>;
    this.headers = redactHeaders(init.headers ?? {});
    this.requestId = init.requestId;
    this.retryAfterMs = init.retryAfterMs;
  }
}
/** 400 (and other 4xx without a class of their own): the request was refused as invalid. */
export class BadRequestError extends ApiError {}
/** 401: the token is missing, invalid, expired, revoked or lacks the scope. */
export class AuthenticationError extends ApiError {}
/** 403: the user or edition may not do this. */
export class PermissionError extends ApiError {}
/** 404: no such URL. */
export class NotFoundError extends ApiError {}
/** 429: too many requests or API credits exhausted; `retryAfterMs` says how long to wait when Zoho said. */
export class RateLimitError extends ApiError {}
/** 5xx: Zoho failed. */
export class ServerError extends ApiError {}

/** 400 `INVALID_DATA`: a value, id or field name is invalid (`details` names it). */
export class InvalidDataError extends BadRequestError {}
/** 400 `DUPLICATE_DATA`: a unique field already holds this value (`details.id` is the existing record). */
export class DuplicateDataError extends BadRequestError {}
/** 400 `MANDATORY_NOT_FOUND`: a required field is missing (`details.api_name`). */
export class MandatoryNotFoundError extends BadRequestError {}
/** 400 `REQUIRED_PARAM_MISSING`: a required parameter is missing (`details.param_name`). */
export class RequiredParamMissingError extends BadRequestError {}
/** 400 `LIMIT_EXCEEDED` / `DISCRETE_PAGINATION_LIMIT_EXCEEDED` / `LICENSE_LIMIT_EXCEEDED`: a Zoho limit was hit. */
export class LimitExceededError extends BadRequestError {}
/** 400 `INVALID_MODULE`: no such module, or the module is not supported in the API. */
export class InvalidModuleError extends BadRequestError {}
/** 400 `INVALID_QUERY` / `SYNTAX_ERROR`: a COQL query or search criteria Zoho could not read. */
export class InvalidQueryError extends BadRequestError {}
/** 400 `PATTERN_NOT_MATCHED`: a parameter value is not one Zoho accepts (`details.param_name`). */
export class PatternNotMatchedError extends BadRequestError {}
/** 400 `INVALID_REQUEST_METHOD`: this URL does not take this HTTP method. */
export class InvalidRequestMethodError extends BadRequestError {}
/** 400 `ID_ALREADY_CONVERTED`: the lead is already converted. */
export class AlreadyConvertedError extends BadRequestError {}
/** 413 `FILE_SIZE_MORE_THAN_ALLOWED_SIZE`: the upload is too large. */
export class FileTooLargeError extends BadRequestError {}
/** 401 `INVALID_TOKEN`: the access token is unknown, expired or revoked. */
export class InvalidTokenError extends AuthenticationError {}
/** 401 `OAUTH_SCOPE_MISMATCH`: the token lacks the OAuth scope this URL needs. */
export class OAuthScopeMismatchError extends AuthenticationError {}
/** 403 `NO_PERMISSION`: the user's profile lacks the permission (`details.permissions`). */
export class NoPermissionError extends PermissionError {}
/** 403 `FEATURE_NOT_SUPPORTED`: the edition does not have this feature. */
export class FeatureNotSupportedError extends PermissionError {}

type ApiErrorClass = new (init: ApiErrorInit, options?: ZohoErrorOptions) => ApiError;

/** Zoho `code` → class and what to tell the caller. A code's class is used only when the status agrees. */
const BY_CODE: Readonly<Record<string, { cls: ApiErrorClass; hint: string }>> = {
  INVALID_DATA: { cls: InvalidDataError, hint: 'Check the value, id or field named in error.details.' },
  DUPLICATE_DATA: { cls: DuplicateDataError, hint: 'A record with this unique value exists (error.details.id): update it, or upsert.' },
  MANDATORY_NOT_FOUND: { cls: MandatoryNotFoundError, hint: 'Add the field named in error.details.api_name.' },
  REQUIRED_PARAM_MISSING: { cls: RequiredParamMissingError, hint: 'Add the parameter named in error.details.param_name.' },
  LIMIT_EXCEEDED: { cls: LimitExceededError, hint: 'Send fewer items in one call (error.details says the limit).' },
  DISCRETE_PAGINATION_LIMIT_EXCEEDED: { cls: LimitExceededError, hint: 'Past 2,000 records page with page_token (records().list() iteration does it).' },
  LICENSE_LIMIT_EXCEEDED: { cls: LimitExceededError, hint: "The edition's licence limit is reached." },
  INVALID_MODULE: { cls: InvalidModuleError, hint: 'Use the module API name (GET settings/modules lists them).' },
  INVALID_QUERY: { cls: InvalidQueryError, hint: 'Check the query or criteria (error.details names the column or clause).' },
  SYNTAX_ERROR: { cls: InvalidQueryError, hint: 'Check the query syntax near error.details.near.' },
  PATTERN_NOT_MATCHED: { cls: PatternNotMatchedError, hint: 'Check the value of the parameter named in error.details.param_name.' },
  INVALID_REQUEST_METHOD: { cls: InvalidRequestMethodError, hint: 'This URL does not take this HTTP method.' },
  ID_ALREADY_CONVERTED: { cls: AlreadyConvertedError, hint: 'The lead is already converted.' },
  FILE_SIZE_MORE_THAN_ALLOWED_SIZE: { cls: FileTooLargeError, hint: 'Upload a smaller file.' },
  INVALID_TOKEN: {
    cls: InvalidTokenError,
    hint: 'The access token was refused after one refresh: the refresh token may be revoked; generate new tokens with crm.generateTokens(grantCode).',
  },
  OAUTH_SCOPE_MISMATCH: { cls: OAuthScopeMismatchError, hint: 'Generate a grant code with the scope this call needs (e.g. ZohoCRM.modules.ALL).' },
  NO_PERMISSION: { cls: NoPermissionError, hint: "The user's profile lacks the permission in error.details.permissions." },
  FEATURE_NOT_SUPPORTED: { cls: FeatureNotSupportedError, hint: "The CRM edition doesn't support this feature." },
};

/**
 * Response headers that carry a request id, first match wins. The wire spec names none for Zoho CRM, so the
 * common names are read.
 */
export const REQUEST_ID_HEADERS: readonly string[] = ['x-request-id', 'x-zoho-request-id', 'request-id', 'x-correlation-id'];

/** A Zoho CRM error body, read by `parseZohoErrorBody`. */
export interface ZohoErrorBody {
  code: string | undefined;
  message: string | undefined;
  details: Record<string, unknown> | undefined;
}

/**
 * The one parser of Zoho CRM error bodies: the top-level `{"code","details","message","status"}` object, the
 * first item of a write envelope's `data` (how an all-failed write answers), or a wrapper's one error object
 * (`{"base_currency": {...}}`). `undefined` when the body is
 * not JSON or carries no error object.
 */
export function parseZohoErrorBody(body: string | Uint8Array): ZohoErrorBody | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof body === 'string' ? body : Buffer.from(body).toString('utf8'));
  } catch {
    return undefined;
  }
  const obj = pickErrorObject(parsed);
  if (!obj) return undefined;
  return {
    code: typeof obj.code === 'string' ? obj.code : undefined,
    message: typeof obj.message === 'string' ? obj.message : undefined,
    details: obj.details && typeof obj.details === 'object' && !Array.isArray(obj.details) ? (obj.details as Record<string, unknown>) : undefined,
  };
}

/** What the request was, for the error message (the URL's query is left out). */
export interface ApiErrorRequest {
  method?: string | undefined;
  url?: string | undefined;
}

/**
 * The one factory that maps an HTTP error reply to an ApiError subclass, by status and then by Zoho `code`
 * (a code's class is a subclass of its status's class, so `instanceof BadRequestError` keeps working).
 */
export function apiErrorFromResponse(
  status: number,
  bodyText: string,
  headers: Record<string, string> = {},
  request: ApiErrorRequest = {},
): ApiError {
  const lower: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) lower[name.toLowerCase()] = value;
  const body = parseZohoErrorBody(bodyText);
  const code = body?.code ?? `HTTP_${status}`;
  const base = classForStatus(status);
  const known = BY_CODE[code];
  const cls = known && known.cls.prototype instanceof base ? known.cls : base;
  const where = describeRequest(request);
  const what = body?.message ?? (status >= 500 ? 'Zoho failed' : 'the request was refused');
  const retryAfterMs = parseRetryAfterMs(lower['retry-after']);
  const hint = known?.hint ?? statusHint(status, retryAfterMs);
  const requestId = REQUEST_ID_HEADERS.map((name) => lower[name]).find((value) => value !== undefined && value !== '');
  const message = `${where}${what} (${code}, HTTP ${status}).${hint ? ` ${hint}` : ''}${requestId ? ` Request id: ${requestId}.` : ''}`;
  return new cls({ status, code, message, details: body?.details, headers: lower, requestId, retryAfterMs });
}

function classForStatus(status: number): ApiErrorClass {
  if (status === 401) return AuthenticationError;
  if (status === 403) return PermissionError;
  if (status === 404) return NotFoundError;
  if (status === 429) return RateLimitError;
  if (status >= 500) return ServerError;
  if (status >= 400) return BadRequestError;
  return ApiError;
}

function statusHint(status: number, retryAfterMs: number | undefined): string {
  if (status === 429) return retryAfterMs === undefined ? 'Too many requests: slow down and retry.' : `Too many requests: retry after ${retryAfterMs} ms.`;
  if (status === 404) return 'Check the path and the apiUrl/apiVersion of the client.';
  if (status === 401) return 'Check the tokens of this user.';
  if (status >= 500) return 'Zoho failed; retry later.';
  return '';
}

function describeRequest(request: ApiErrorRequest): string {
  if (!request.method && !request.url) return 'Zoho CRM: ';
  let path = request.url ?? '';
  try {
    if (request.url) path = new URL(request.url).pathname;
  } catch {
    path = request.url?.split('?')[0] ?? '';
  }
  return `${[request.method, path].filter(Boolean).join(' ')}: `;
}

function pickErrorObject(parsed: unknown): Record<string, unknown> | undefined {
  if (!parsed || typeof parsed !== 'object') return undefined;
  const obj = parsed as Record<string, unknown>;
  if (typeof obj.code === 'string') return obj;
  // Write envelopes carry the error inside data[0].
  const data = obj.data;
  if (Array.isArray(data) && data[0] && typeof data[0] === 'object') return data[0] as Record<string, unknown>;
  // Other wrappers carry it in their first item (`watch`, `users`, ...) or as their one object (`base_currency`, `share`).
  for (const value of Object.values(obj)) {
    const first: unknown = Array.isArray(value) ? value[0] : value;
    if (first && typeof first === 'object' && typeof (first as Record<string, unknown>).code === 'string') return first as Record<string, unknown>;
  }
  return undefined;
}
