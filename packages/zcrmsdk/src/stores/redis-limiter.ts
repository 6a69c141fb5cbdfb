/**
 * A concurrency budget shared by every process (on every machine) that uses the same Redis: N workers
 * together keep at most `limit` calls in flight, so they respect Zoho's per-edition concurrency limit.
 * Implements the pipeline's ConcurrencyLimiter (pass it as the client's `limiter` option).
 */
import { randomBytes } from 'node:crypto';
import { AbortedError, ConfigError, TokenStoreError, ZohoError } from '../errors.js';
import type { ConcurrencyLimiter } from '../http/limiter.js';
import { DEFAULT_STORE_TIMEOUT_MS, msOption, pause, withDeadline } from './deadline.js';
import { DEFAULT_LOCK_LEASE_MS, holdLease } from './lock.js';
import { DEFAULT_REDIS_PREFIX, redisClient, type RedisClientLike, type RedisConnectionOptions } from './redis-client.js';

/** Options of {@link RedisConcurrencyLimiter}. */
export interface RedisConcurrencyLimiterOptions extends RedisConnectionOptions {
  /** Calls in flight allowed across every process sharing the budget (Zoho: Free 5 … Ultimate 25). Required. */
  limit: number;
  /** Name of the budget, so several Zoho orgs can share one Redis. @default 'default' */
  name?: string;
  /** A slot not renewed for this long is freed (its process died), ms. @default DEFAULT_LOCK_LEASE_MS (10 s) */
  leaseMs?: number;
  /** Deadline of each Redis command, ms. @default DEFAULT_STORE_TIMEOUT_MS (10 s) */
  timeoutMs?: number;
}

const OWNER = 'RedisConcurrencyLimiter';
const FIRST_POLL_MS = 5;
const MAX_POLL_MS = 50;
// Slots are members of a sorted set scored by their expiry (server clock, so machines need not agree).
const ACQUIRE = `
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0`;
const RENEW = `
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
if redis.call('ZSCORE', KEYS[1], ARGV[2]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[2])
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return 1`;
const RELEASE = "return redis.call('ZREM', KEYS[1], ARGV[1])";

/** A {@link ConcurrencyLimiter} whose slots live in Redis, shared across processes. */
export class RedisConcurrencyLimiter implements ConcurrencyLimiter {
  readonly #client: RedisClientLike;
  readonly #owned: boolean;
  readonly #where: string;
  readonly #key: string;
  readonly #limit: number;
  readonly #leaseMs: number;
  readonly #timeoutMs: number;

  constructor(options: RedisConcurrencyLimiterOptions) {
    if (!options || !Number.isInteger(options.limit) || options.limit < 1) {
      throw new ConfigError(`${OWNER} option 'limit' must be a whole number of at least 1 (your edition's concurrency limit, e.g. 10).`, { option: 'limit' });
    }
    if (options.name !== undefined && (typeof options.name !== 'string' || options.name === '')) {
      throw new ConfigError(`${OWNER} option 'name' must be a non-empty string.`, { option: 'name' });
    }
    this.#limit = options.limit;
    this.#leaseMs = msOption(options.leaseMs, DEFAULT_LOCK_LEASE_MS, OWNER, 'leaseMs');
    this.#timeoutMs = msOption(options.timeoutMs, DEFAULT_STORE_TIMEOUT_MS, OWNER, 'timeoutMs');
    const { client, owned, where } = redisClient(options, OWNER, this.#timeoutMs);
    this.#client = client;
    this.#owned = owned;
    this.#where = where;
    this.#key = `${options.prefix ?? DEFAULT_REDIS_PREFIX}limiter:${options.name ?? 'default'}`;
  }

  async acquire(signal?: AbortSignal): Promise<() => void> {
    const member = `${process.pid}:${randomBytes(8).toString('hex')}`;
    const aborted = () => new AbortedError('The call was aborted by the caller while waiting for a slot of the shared Redis concurrency budget.', { cause: signal?.reason });
    let wait = FIRST_POLL_MS;
    for (;;) {
      if (signal?.aborted) throw aborted();
      if (Number(await this.#eval(ACQUIRE, this.#limit, this.#leaseMs, member)) === 1) break;
      await pause(wait * (0.5 + Math.random()), signal, aborted);
      wait = Math.min(wait * 2, MAX_POLL_MS);
    }
    // A long call keeps its slot by renewing it; the release frees it at once.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    void holdLease(
      () => released,
      this.#leaseMs,
      () => this.#eval(RENEW, this.#leaseMs, member),
      () => this.#eval(RELEASE, member),
    );
    let done = false;
    return () => {
      if (done) return;
      done = true;
      release();
    };
  }

  async close(): Promise<void> {
    if (this.#owned) await this.#client.quit().catch(() => undefined);
  }

  async #eval(script: string, ...args: (string | number)[]): Promise<unknown> {
    try {
      return await withDeadline(this.#client.eval(script, 1, this.#key, ...args), this.#timeoutMs, () => new Error(`timed out after ${this.#timeoutMs} ms`));
    } catch (error) {
      if (error instanceof ZohoError) throw error;
      throw new TokenStoreError(
        `${this.#where} did not serve the shared concurrency budget '${this.#key}' (${error instanceof Error ? error.message.slice(0, 200) : String(error)}). Check that Redis is up and the url option.`,
        { cause: error },
      );
    }
  }
}
