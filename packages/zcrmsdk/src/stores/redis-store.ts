/**
 * The Redis token store (ioredis, an optional peer dependency loaded on first use): one hash per user under a
 * prefix; refreshes serialised across processes and machines with SET NX PX, a fencing token and a
 * compare-and-delete release.
 */
import { TokenStoreError, ZohoError } from '../errors.js';
import { TokenCodec, type EncryptionOptions, type TokenRow } from './codec.js';
import { DEFAULT_STORE_TIMEOUT_MS, msOption, withDeadline } from './deadline.js';
import { DEFAULT_LOCK_LEASE_MS, DEFAULT_LOCK_TIMEOUT_MS, acquireByPolling, holdLease } from './lock.js';
import { DEFAULT_REDIS_PREFIX, redisClient, type RedisClientLike, type RedisConnectionOptions } from './redis-client.js';
import type { HeldLock, LockOptions, StoredToken, TokenStore, UpdateOptions } from './token-store.js';

/** Options of {@link RedisTokenStore}. */
export interface RedisTokenStoreOptions extends RedisConnectionOptions, EncryptionOptions {
  /** Deadline of each store operation, ms. @default DEFAULT_STORE_TIMEOUT_MS (10 s) */
  timeoutMs?: number;
  /** Lifetime of a refresh lock unless renewed: a holder that dies blocks others at most this long, ms. @default DEFAULT_LOCK_LEASE_MS (10 s) */
  lockLeaseMs?: number;
  /** How long `withLock` waits for another process's lock, ms. @default DEFAULT_LOCK_TIMEOUT_MS (20 s) */
  lockTimeoutMs?: number;
}

const STORE = 'RedisTokenStore';
const SAVE = "redis.call('DEL', KEYS[1]) redis.call('HSET', KEYS[1], unpack(ARGV)) return 1";
const UPDATE = "redis.call('HSET', KEYS[1], unpack(ARGV)) return 1";
const DELETE = "return redis.call('DEL', KEYS[1])";
const ACQUIRE = "if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end return 0";
// Only the holder of fencing token ARGV[1] may renew or release: a late holder cannot free another's lock.
const RENEW = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0";
const RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";
// A fenced refresh save, in one step: writes while lock KEYS[2] still holds fencing token ARGV[1], or while the
// tokens still expire at ARGV[2] (the ones the refresh replaces: nobody has written since).
const FENCED_UPDATE =
  "if redis.call('GET', KEYS[2]) ~= ARGV[1] and redis.call('HGET', KEYS[1], 'expirytime') ~= ARGV[2] then return 0 end " +
  "redis.call('HSET', KEYS[1], unpack(ARGV, 3)) return 1";

/** A {@link TokenStore} in Redis: `HSET <prefix>token:<userId> accesstoken … refreshtoken … expirytime …`. */
export class RedisTokenStore implements TokenStore {
  readonly #client: RedisClientLike;
  readonly #owned: boolean;
  readonly #where: string;
  readonly #prefix: string;
  readonly #timeoutMs: number;
  readonly #leaseMs: number;
  readonly #lockTimeoutMs: number;
  readonly #codec: TokenCodec;
  /** The lock key and fencing token behind each refresh-lock handle this store gave out, for fenced updates. */
  readonly #leases = new WeakMap<HeldLock, { lockKey: string; fence: string }>();
  #closed = false;

  constructor(options: RedisTokenStoreOptions) {
    this.#timeoutMs = msOption(options?.timeoutMs, DEFAULT_STORE_TIMEOUT_MS, STORE, 'timeoutMs');
    this.#leaseMs = msOption(options?.lockLeaseMs, DEFAULT_LOCK_LEASE_MS, STORE, 'lockLeaseMs');
    this.#lockTimeoutMs = msOption(options?.lockTimeoutMs, DEFAULT_LOCK_TIMEOUT_MS, STORE, 'lockTimeoutMs');
    this.#codec = new TokenCodec(options ?? {}, 'Redis token store', options?.prefix ?? DEFAULT_REDIS_PREFIX);
    const { client, owned, where } = redisClient(options, STORE, this.#timeoutMs);
    this.#client = client;
    this.#owned = owned;
    this.#where = where;
    this.#prefix = options.prefix ?? DEFAULT_REDIS_PREFIX;
  }

  /** The Redis key holding the tokens of `userId`. */
  keyOf(userId: string): string {
    return `${this.#prefix}token:${userId}`;
  }

  async get(userId: string): Promise<StoredToken | null> {
    const hash = await this.#call('read the tokens of a user', () => this.#client.hgetall(this.keyOf(userId)));
    if (!hash || Object.keys(hash).length === 0) return null;
    return this.#codec.decode(hash as unknown as TokenRow, userId);
  }

  async save(token: StoredToken): Promise<void> {
    await this.#call('save the tokens of a user', () => this.#client.eval(SAVE, 1, this.keyOf(token.userId), ...this.#fields(token)));
  }

  async update(token: StoredToken, options: UpdateOptions = {}): Promise<boolean> {
    // HSET of the given fields only: a refresh without a refresh token keeps the stored one.
    const lease = options.lock && this.#leases.get(options.lock);
    if (lease) {
      const written = await this.#call('update the tokens of a user', () =>
        this.#client.eval(FENCED_UPDATE, 2, this.keyOf(token.userId), lease.lockKey, lease.fence, options.replaces ? String(options.replaces.expiresAt) : '', ...this.#fields(token)),
      );
      return Number(written) === 1;
    }
    if (options.lock && !(await options.lock.held())) return false;
    await this.#call('update the tokens of a user', () => this.#client.eval(UPDATE, 1, this.keyOf(token.userId), ...this.#fields(token)));
    return true;
  }

  async delete(userId: string): Promise<void> {
    await this.#call('delete the tokens of a user', () => this.#client.eval(DELETE, 1, this.keyOf(userId)));
  }

  async withLock<T>(key: string, fn: (lock: HeldLock) => Promise<T>, options: LockOptions = {}): Promise<T> {
    const lockKey = `${this.#prefix}lock:${key}`;
    const fence = String(await this.#call('take a lock', () => this.#client.incr(`${this.#prefix}fence`)));
    try {
      await acquireByPolling(
        async () => Number(await this.#call('take a lock', () => this.#client.eval(ACQUIRE, 1, lockKey, fence, this.#leaseMs))) === 1,
        { timeoutMs: this.#lockTimeoutMs, signal: options.signal, what: `the Redis lock '${lockKey}'`, option: 'lockTimeoutMs' },
      );
    } catch (error) {
      throw error instanceof ZohoError ? error : new TokenStoreError(`Could not take the Redis lock '${lockKey}'.`, { cause: error });
    }
    const renew = async () => Number(await this.#call('renew a lock', () => this.#client.eval(RENEW, 1, lockKey, fence, this.#leaseMs))) === 1;
    const lock: HeldLock = { held: renew };
    this.#leases.set(lock, { lockKey, fence });
    return holdLease(
      () => fn(lock),
      this.#leaseMs,
      renew,
      () => this.#call('release a lock', () => this.#client.eval(RELEASE, 1, lockKey, fence)),
    );
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#owned) await this.#client.quit().catch(() => undefined);
  }

  #fields(token: StoredToken): string[] {
    const row = this.#codec.encode(token);
    const fields = ['accesstoken', row.accesstoken, 'expirytime', String(row.expirytime)];
    if (row.refreshtoken !== null) fields.push('refreshtoken', row.refreshtoken);
    if (row.apidomain !== null) fields.push('apidomain', row.apidomain);
    return fields;
  }

  async #call<T>(action: string, run: () => Promise<T>): Promise<T> {
    if (this.#closed) throw new TokenStoreError(`The ${STORE} is closed; create a new one.`);
    try {
      return await withDeadline(Promise.resolve().then(run), this.#timeoutMs, () => new Error(`timed out after ${this.#timeoutMs} ms`));
    } catch (error) {
      if (error instanceof ZohoError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      const timeout = /timed? ?out/i.test(reason);
      const message = timeout
        ? `${this.#where} did not answer within ${this.#timeoutMs} ms when asked to ${action} (timeoutMs). Check that Redis is up and reachable.`
        : `Could not ${action} in ${this.#where}: ${reason.slice(0, 200)}. Check that Redis is up and the url option.`;
      throw new TokenStoreError(message, { cause: error });
    }
  }
}
