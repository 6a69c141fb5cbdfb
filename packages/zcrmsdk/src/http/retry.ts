import { parseRetryAfterMs } from '../internal/retry-after.js';

/**
 * Retry policy as pure functions (the transport loop only asks them), so the math is table-testable.
 */

/** Longest wait honoured from a Retry-After header. */
export const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;
/** First backoff step. */
export const DEFAULT_RETRY_BASE_MS = 250;
/** Backoff ceiling. */
export const DEFAULT_RETRY_MAX_BACKOFF_MS = 8_000;

export interface RetryDecisionInput {
  /** 0 for the first retry. */
  attempt: number;
  maxRetries: number;
  method: string;
  /** HTTP status, when a reply arrived. */
  status?: number | undefined;
  /** Network error code (ECONNREFUSED, ECONNRESET, TIMEOUT ...), when no reply arrived. */
  errorCode?: string | undefined;
  /** The caller aborted: never retried. */
  aborted?: boolean | undefined;
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
// Errors raised before a request could reach Zoho: safe to retry even for POST.
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

/** Whether a network error code means the request never reached the server (safe to send again, even a write). */
export function neverSent(code: string | undefined): boolean {
  return code !== undefined && NOT_SENT.has(code);
}

/** Whether to try again. POST is retried only where it cannot create a duplicate: 429 and never-sent errors. */
export function shouldRetry(input: RetryDecisionInput): boolean {
  if (input.aborted || input.attempt >= input.maxRetries) return false;
  const idempotent = IDEMPOTENT.has(input.method.toUpperCase());
  if (input.status !== undefined) {
    if (input.status === 429) return true;
    if (input.status === 408 || input.status >= 500) return idempotent;
    return false;
  }
  if (input.errorCode === undefined) return false;
  return idempotent || NOT_SENT.has(input.errorCode);
}

/**
 * How long to wait before retry number `attempt` (0-based): Retry-After (seconds or HTTP date) when given,
 * capped; else exponential backoff with full jitter.
 */
export function retryDelayMs(
  attempt: number,
  retryAfter: string | undefined,
  options: { baseMs?: number; maxBackoffMs?: number; maxRetryAfterMs?: number; random?: () => number; now?: number } = {},
): number {
  const maxRetryAfter = options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
  const waitMs = parseRetryAfterMs(retryAfter, options.now);
  if (waitMs !== undefined) return Math.min(waitMs, maxRetryAfter);
  const base = options.baseMs ?? DEFAULT_RETRY_BASE_MS;
  const cap = Math.min(options.maxBackoffMs ?? DEFAULT_RETRY_MAX_BACKOFF_MS, base * 2 ** attempt);
  return Math.round((options.random ?? Math.random)() * cap);
}
