/** The Redis connection shared by the Redis token store and the Redis rate budget: ioredis, loaded on first use. */
import { ConfigError } from '../errors.js';
import { requireIoredis } from './drivers.js';

/**
 * The part of an ioredis client the SDK uses (so this package's types do not need ioredis installed). Pass an
 * `ioredis` `Redis` instance.
 */
export interface RedisClientLike {
  hgetall(key: string): Promise<Record<string, string>>;
  eval(script: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>;
  incr(key: string): Promise<number>;
  quit(): Promise<unknown>;
}

/** Connection options shared by the Redis store and the Redis limiter. */
export interface RedisConnectionOptions {
  /** `redis://[:password@]host:6379[/db]` (or `rediss://`). Required unless `client` is given. The password is never logged. */
  url?: string;
  /** An existing ioredis client to use instead; `close()` then leaves it open. @default the SDK creates its own */
  client?: RedisClientLike;
  /** Prefix of every key the SDK writes. @default 'zcrmsdk:' */
  prefix?: string;
}

export const DEFAULT_REDIS_PREFIX = 'zcrmsdk:';

/** Creates (or adopts) the client; `owned` says whether `close()` should quit it. */
export function redisClient(options: RedisConnectionOptions, owner: string, timeoutMs: number): { client: RedisClientLike; owned: boolean; where: string } {
  if (!options || typeof options !== 'object' || (options.client === undefined && typeof options.url !== 'string')) {
    throw new ConfigError(`${owner} needs { url: 'redis://127.0.0.1:6379' } or { client } (an ioredis client).`, { option: 'url' });
  }
  if (options.prefix !== undefined && typeof options.prefix !== 'string') {
    throw new ConfigError(`${owner} option 'prefix' must be a string, e.g. 'myapp:zcrmsdk:'.`, { option: 'prefix' });
  }
  if (options.client) return { client: options.client, owned: false, where: 'Redis (the client passed in the client option)' };
  const url = options.url!;
  let where = 'Redis (url)';
  try {
    const parsed = new URL(url);
    where = `Redis at ${parsed.hostname}:${parsed.port || '6379'}`;
  } catch {
    throw new ConfigError(`${owner} option 'url' is not a URL; use redis://host:6379.`, { option: 'url' });
  }
  const { Redis } = requireIoredis<{ Redis: new (url: string, options: Record<string, unknown>) => RedisClientLike & { on(event: string, fn: (e: Error) => void): void } }>(owner);
  const client = new Redis(url, {
    // Each command fails after the deadline instead of waiting in the offline queue for a server that is down.
    commandTimeout: timeoutMs,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 1,
    // Reconnect for ever with a capped backoff, so the store recovers when Redis is back.
    retryStrategy: (times: number) => Math.min(50 * times, 1000),
  });
  // Connection errors reach callers through their commands; the event alone must not crash the process.
  client.on('error', () => undefined);
  return { client, owned: true, where };
}
