/**
 * The file token store: one JSON file, mode 0600, written atomically (temp file + rename) under a lock file,
 * so several processes on one machine can share it. Lock files carry a lease: a holder that dies blocks the
 * others no longer than `lockLeaseMs`.
 */
import { randomBytes } from 'node:crypto';
import { lstat, open, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ConfigError, TokenStoreError, ZohoError } from '../errors.js';
import { TokenCodec, type EncryptionOptions, type TokenRow } from './codec.js';
import { DEFAULT_STORE_TIMEOUT_MS, msOption } from './deadline.js';
import { DEFAULT_LOCK_LEASE_MS, DEFAULT_LOCK_TIMEOUT_MS, acquireByPolling, holdLease, keyDigest } from './lock.js';
import { pathFix } from './path-advice.js';
import type { HeldLock, LockOptions, StoredToken, TokenStore, UpdateOptions } from './token-store.js';

/** Options of {@link FileTokenStore}. */
export interface FileTokenStoreOptions extends EncryptionOptions {
  /** The JSON file holding every user's tokens (created with mode 0600). Required. */
  path: string;
  /** How long a read or write waits for another process's write, ms. @default DEFAULT_STORE_TIMEOUT_MS (10 s) */
  timeoutMs?: number;
  /** Lifetime of a lock file unless renewed: a holder that dies blocks others at most this long, ms. @default DEFAULT_LOCK_LEASE_MS (10 s) */
  lockLeaseMs?: number;
  /** How long `withLock` waits for another process's refresh, ms. @default DEFAULT_LOCK_TIMEOUT_MS (20 s) */
  lockTimeoutMs?: number;
}

interface FileContent {
  version: 1;
  tokens: Record<string, TokenRow>;
}

interface LockFile {
  owner: string;
  expiresAt: number;
}

/** A fenced refresh save: the refresh lock it was made under, and the user's tokens it replaces. */
interface FileFence {
  lockPath: string;
  owner: string;
  userId: string;
  replaces: StoredToken | undefined;
}

const STORE = 'FileTokenStore';
const FILE_MODE = 0o600;

/** A {@link TokenStore} in a JSON file. */
export class FileTokenStore implements TokenStore {
  readonly #path: string;
  readonly #timeoutMs: number;
  readonly #leaseMs: number;
  readonly #lockTimeoutMs: number;
  readonly #codec: TokenCodec;
  /** The lock file and owner behind each refresh-lock handle this store gave out, for fenced updates. */
  readonly #leases = new WeakMap<HeldLock, { lockPath: string; owner: string }>();
  /** The clean-up of temp files left by writers that died (kill -9 mid-write), done once per store. */
  #swept: Promise<void> | undefined;

  constructor(options: FileTokenStoreOptions) {
    if (!options || typeof options.path !== 'string' || options.path === '') {
      throw new ConfigError(`${STORE} needs { path: './tokens.json' }: the file to keep tokens in.`, { option: 'path' });
    }
    this.#path = options.path;
    this.#timeoutMs = msOption(options.timeoutMs, DEFAULT_STORE_TIMEOUT_MS, STORE, 'timeoutMs');
    this.#leaseMs = msOption(options.lockLeaseMs, DEFAULT_LOCK_LEASE_MS, STORE, 'lockLeaseMs');
    this.#lockTimeoutMs = msOption(options.lockTimeoutMs, DEFAULT_LOCK_TIMEOUT_MS, STORE, 'lockTimeoutMs');
    this.#codec = new TokenCodec(options, `token file ${options.path}`, 'file');
  }

  async get(userId: string): Promise<StoredToken | null> {
    await this.#sweep();
    // Writers replace the file by rename, so a read never sees half a file and needs no lock.
    return this.#decoded((await this.#read()).tokens, userId);
  }

  async save(token: StoredToken): Promise<void> {
    const row = this.#codec.encode(token);
    await this.#modify('save the tokens of a user', (tokens) => {
      tokens[token.userId] = row;
    });
  }

  async update(token: StoredToken, options: UpdateOptions = {}): Promise<boolean> {
    const row = this.#codec.encode(token);
    const lease = options.lock && this.#leases.get(options.lock);
    if (options.lock && !lease && !(await options.lock.held())) return false;
    return this.#modify(
      'update the tokens of a user',
      (tokens) => {
        const old = ownRow(tokens, token.userId);
        tokens[token.userId] = { ...row, refreshtoken: row.refreshtoken ?? old?.refreshtoken ?? null, apidomain: row.apidomain ?? old?.apidomain ?? null };
      },
      lease && { ...lease, userId: token.userId, replaces: options.replaces },
    );
  }

  async delete(userId: string): Promise<void> {
    await this.#modify('delete the tokens of a user', (tokens) => {
      delete tokens[userId];
    });
  }

  async withLock<T>(key: string, fn: (lock: HeldLock) => Promise<T>, options: LockOptions = {}): Promise<T> {
    const lockPath = `${this.#path}.${keyDigest(key, 16)}.lock`;
    return this.#locked(lockPath, `the refresh lock for '${key}'`, 'lockTimeoutMs', this.#lockTimeoutMs, async (owner, renew) => {
      const lock: HeldLock = { held: renew };
      this.#leases.set(lock, { lockPath, owner });
      return fn(lock);
    }, options.signal);
  }

  /** Checks, without storing anything, that the folder takes a new file and the path is not a directory. */
  async checkWritable(): Promise<void> {
    const target = await lstat(this.#path).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? undefined : Promise.reject(this.#fsError('check the token file', error))));
    if (target?.isDirectory()) throw this.#fsError('check the token file', Object.assign(new Error('is a directory'), { code: 'EISDIR' }));
    const probe = this.#tempPath();
    try {
      await (await open(probe, 'wx', FILE_MODE)).close();
    } catch (error) {
      throw this.#fsError('create a file', error);
    }
    await unlink(probe).catch(() => undefined);
  }

  /**
   * Read-modify-write of the whole file under the write lock, replaced atomically. With `fence`, it writes only
   * while that refresh lock file is still the fence owner's, checked under its steal lock so that no successor
   * can take it between the check and the rename, or while the user's stored tokens are still `fence.replaces`
   * (nobody wrote since: every writer holds the write lock); resolves whether it wrote.
   */
  async #modify(action: string, change: (tokens: Record<string, TokenRow>) => void, fence?: FileFence): Promise<boolean> {
    await this.#sweep();
    return this.#locked(`${this.#path}.lock`, 'the write lock', 'timeoutMs', this.#timeoutMs, async () => {
      if (!fence) {
        await this.#write(action, change);
        return true;
      }
      if (await this.#compareLock(fence.lockPath, fence.owner, () => this.#write(action, change))) return true;
      // The refresh lock was lost: write all the same if nobody has written this user's tokens since.
      const stored = this.#decoded((await this.#read()).tokens, fence.userId);
      if (!fence.replaces || stored?.accessToken !== fence.replaces.accessToken) return false;
      await this.#write(action, change);
      return true;
    });
  }

  /** The stored tokens of `userId` in `tokens`, decoded. */
  #decoded(tokens: Record<string, TokenRow>, userId: string): StoredToken | null {
    return this.#codec.decode(ownRow(tokens, userId), userId);
  }

  async #write(action: string, change: (tokens: Record<string, TokenRow>) => void): Promise<void> {
    const content = await this.#read();
    const tokens: Record<string, TokenRow> = Object.assign(Object.create(null) as Record<string, TokenRow>, content.tokens);
    change(tokens);
    const temp = this.#tempPath();
    try {
      // The temp file gets the token file's mode (a user's 0640 survives the rename), 0600 for a new file.
      const mode = ((await stat(this.#path).catch(() => undefined))?.mode ?? FILE_MODE) & 0o777;
      const handle = await open(temp, 'wx', mode);
      try {
        await handle.chmod(mode);
        await handle.writeFile(JSON.stringify({ version: 1, tokens } satisfies FileContent));
      } finally {
        await handle.close();
      }
      await rename(temp, this.#path);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw this.#fsError(action, error);
    }
  }

  /** `<path>.<pid>.<random>.tmp`: a temp file next to the token file (same file system, so rename is atomic). */
  #tempPath(): string {
    return `${this.#path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  }

  /** Removes, once, temp files (which hold tokens) left by writers that died: their pid is gone or they are older than a lease. */
  #sweep(): Promise<void> {
    this.#swept ??= (async () => {
      const folder = dirname(this.#path);
      const pattern = new RegExp(`^${basename(this.#path).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(\\d+)\\.[0-9a-f]{12}\\.tmp$`);
      const names = await readdir(folder).catch(() => [] as string[]);
      for (const name of names) {
        const pid = Number(pattern.exec(name)?.[1]);
        if (!Number.isSafeInteger(pid)) continue;
        const file = join(folder, name);
        const age = Date.now() - ((await stat(file).catch(() => undefined))?.mtimeMs ?? Date.now());
        if (!alive(pid) || age > this.#leaseMs) await unlink(file).catch(() => undefined);
      }
    })();
    return this.#swept;
  }

  async #read(): Promise<FileContent> {
    let text: string;
    try {
      text = await readFile(this.#path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, tokens: Object.create(null) as Record<string, TokenRow> };
      throw this.#fsError('read the tokens', error);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (cause) {
      throw new TokenStoreError(`The token file ${this.#path} is not valid JSON (corrupt); move it away and generate new tokens.`, { cause });
    }
    const tokens = (parsed as { tokens?: unknown } | null)?.tokens;
    if (!tokens || typeof tokens !== 'object' || Array.isArray(tokens)) {
      throw new TokenStoreError(`The token file ${this.#path} does not hold { "tokens": { ... } } (corrupt or not a token file); move it away and generate new tokens.`);
    }
    return { version: 1, tokens: Object.assign(Object.create(null) as Record<string, TokenRow>, tokens) };
  }

  /**
   * Runs `fn` holding the lock file `lockPath` (O_EXCL create), renewing its lease while `fn` runs. `fn` gets
   * the owner id and `renew`, which resolves whether the lock is still ours (renewing it if so).
   */
  async #locked<T>(
    lockPath: string,
    what: string,
    option: string,
    timeoutMs: number,
    fn: (owner: string, renew: () => Promise<boolean>) => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T> {
    const owner = `${process.pid}:${randomBytes(8).toString('hex')}`;
    const content = () => JSON.stringify({ owner, expiresAt: Date.now() + this.#leaseMs } satisfies LockFile);
    try {
      await acquireByPolling(() => this.#tryLock(lockPath, content()), { timeoutMs, signal, what: `${what} of ${this.#path}`, option });
    } catch (error) {
      throw error instanceof ZohoError ? error : this.#fsError('take a lock', error);
    }
    // Renewal and release compare the owner under the steal lock: a plain read-then-write could replace the
    // lock file of a successor that took over between the two (after this process stalled past its lease).
    const renew = () => this.#compareLock(lockPath, owner, () => writeFile(lockPath, content()));
    return holdLease(() => fn(owner, renew), this.#leaseMs, renew, () => this.#compareLock(lockPath, owner, () => unlink(lockPath)));
  }

  /**
   * Runs `then` if the lock file `lockPath` is still `owner`'s, holding its steal lock so that no waiter can
   * take the lock over between the check and `then`; resolves whether it ran.
   */
  async #compareLock(lockPath: string, owner: string, then: () => Promise<unknown>): Promise<boolean> {
    let ran = false;
    try {
      await acquireByPolling(
        async () => {
          const result = await this.#underStealLock(lockPath, async () => (await this.#readLock(lockPath))?.owner === owner && (await then(), true));
          if (result === undefined) return false;
          ran = result;
          return true;
        },
        { timeoutMs: this.#timeoutMs, what: `the steal lock of ${lockPath}`, option: 'timeoutMs' },
      );
    } catch (error) {
      throw error instanceof ZohoError ? error : this.#fsError('check a lock', error);
    }
    return ran;
  }

  /**
   * Runs `fn` holding the steal lock of `lockPath`, which whoever changes or removes that lock file takes for a
   * few ms; `undefined` (without running `fn`) while another process holds it.
   */
  async #underStealLock<T>(lockPath: string, fn: () => Promise<T>): Promise<T | undefined> {
    const stealPath = `${lockPath}.steal`;
    try {
      await (await open(stealPath, 'wx', FILE_MODE)).close();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // A process that died holding the steal lock.
      const age = await stat(stealPath).then((s) => Date.now() - s.mtimeMs, () => 0);
      if (age > this.#leaseMs) await unlink(stealPath).catch(() => undefined);
      return undefined;
    }
    try {
      return await fn();
    } finally {
      await unlink(stealPath).catch(() => undefined);
    }
  }

  async #tryLock(lockPath: string, content: string): Promise<boolean> {
    try {
      const handle = await open(lockPath, 'wx', FILE_MODE);
      try {
        await handle.writeFile(content);
      } finally {
        await handle.close();
      }
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (!(await this.#expired(lockPath))) return false;
    // The holder's lease ran out (it died or stalled). Only one process may remove an expired lock, and only
    // after checking again under the steal lock that it is still the expired one: else two waiters could both take over.
    await this.#underStealLock(lockPath, async () => {
      if (await this.#expired(lockPath)) await unlink(lockPath).catch(() => undefined);
    });
    return false;
  }

  /** Whether the lock file's lease ran out (an empty or half-written one counts once it is older than a lease). */
  async #expired(lockPath: string): Promise<boolean> {
    const held = await this.#readLock(lockPath);
    if (held) return held.expiresAt <= Date.now();
    const age = await stat(lockPath).then((s) => Date.now() - s.mtimeMs, () => 0);
    return age > this.#leaseMs;
  }

  /** The lock file's content; `null` while it is missing or being written (treated as held). */
  async #readLock(lockPath: string): Promise<LockFile | null> {
    try {
      const parsed = JSON.parse(await readFile(lockPath, 'utf8')) as Partial<LockFile>;
      return typeof parsed.owner === 'string' && typeof parsed.expiresAt === 'number' ? { owner: parsed.owner, expiresAt: parsed.expiresAt } : null;
    } catch {
      return null;
    }
  }

  #fsError(action: string, error: unknown): TokenStoreError {
    if (error instanceof TokenStoreError) return error;
    const code = (error as NodeJS.ErrnoException | null)?.code ?? 'unknown error';
    return new TokenStoreError(`Could not ${action} in the token file ${this.#path} (${code}); ${pathFix(this.#path, code, 'tokens.json')}.`, { cause: error });
  }
}

/** The row of `userId` in `tokens`: its own key only, so a user id such as '__proto__' is just a key. */
function ownRow(tokens: Record<string, TokenRow>, userId: string): TokenRow | undefined {
  return Object.prototype.hasOwnProperty.call(tokens, userId) ? tokens[userId] : undefined;
}

/** Whether process `pid` is running (EPERM: it is, under another user). */
function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
