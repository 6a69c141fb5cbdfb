/**
 * The file token store: one JSON file, mode 0600, written atomically (temp file + rename) under a lock file,
 * so several processes on one machine can share it. Lock files carry a lease: a holder that dies blocks the
 * others no longer than `lockLeaseMs`.
 */
import { randomBytes } from 'node:crypto';
import { open, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { ConfigError, TokenStoreError, ZohoError } from '../errors.js';
import { TokenCodec, type EncryptionOptions, type TokenRow } from './codec.js';
import { DEFAULT_STORE_TIMEOUT_MS, msOption } from './deadline.js';
import { DEFAULT_LOCK_LEASE_MS, DEFAULT_LOCK_TIMEOUT_MS, acquireByPolling, holdLease, keyDigest } from './lock.js';
import type { LockOptions, StoredToken, TokenStore } from './token-store.js';

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

const STORE = 'FileTokenStore';
const FILE_MODE = 0o600;

/** A {@link TokenStore} in a JSON file. */
export class FileTokenStore implements TokenStore {
  readonly #path: string;
  readonly #timeoutMs: number;
  readonly #leaseMs: number;
  readonly #lockTimeoutMs: number;
  readonly #codec: TokenCodec;

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
    // Writers replace the file by rename, so a read never sees half a file and needs no lock.
    const content = await this.#read();
    const row = Object.prototype.hasOwnProperty.call(content.tokens, userId) ? content.tokens[userId] : undefined;
    return this.#codec.decode(row, userId);
  }

  async save(token: StoredToken): Promise<void> {
    const row = this.#codec.encode(token);
    await this.#modify('save the tokens of a user', (tokens) => {
      tokens[token.userId] = row;
    });
  }

  async update(token: StoredToken): Promise<void> {
    const row = this.#codec.encode(token);
    await this.#modify('update the tokens of a user', (tokens) => {
      const old = Object.prototype.hasOwnProperty.call(tokens, token.userId) ? tokens[token.userId] : undefined;
      tokens[token.userId] = { ...row, refreshtoken: row.refreshtoken ?? old?.refreshtoken ?? null, apidomain: row.apidomain ?? old?.apidomain ?? null };
    });
  }

  async delete(userId: string): Promise<void> {
    await this.#modify('delete the tokens of a user', (tokens) => {
      delete tokens[userId];
    });
  }

  async withLock<T>(key: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
    return this.#locked(`${this.#path}.${keyDigest(key, 16)}.lock`, `the refresh lock for '${key}'`, 'lockTimeoutMs', this.#lockTimeoutMs, fn, options.signal);
  }

  /** Read-modify-write of the whole file under the write lock, replaced atomically. */
  async #modify(action: string, change: (tokens: Record<string, TokenRow>) => void): Promise<void> {
    await this.#locked(`${this.#path}.lock`, 'the write lock', 'timeoutMs', this.#timeoutMs, async () => {
      const content = await this.#read();
      const tokens: Record<string, TokenRow> = Object.assign(Object.create(null) as Record<string, TokenRow>, content.tokens);
      change(tokens);
      const temp = `${this.#path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
      try {
        await writeFile(temp, JSON.stringify({ version: 1, tokens } satisfies FileContent), { mode: FILE_MODE, flag: 'wx' });
        await rename(temp, this.#path);
      } catch (error) {
        await unlink(temp).catch(() => undefined);
        throw this.#fsError(action, error);
      }
    });
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

  /** Runs `fn` holding the lock file `lockPath` (O_EXCL create), renewing its lease while `fn` runs. */
  async #locked<T>(lockPath: string, what: string, option: string, timeoutMs: number, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const owner = `${process.pid}:${randomBytes(8).toString('hex')}`;
    const content = () => JSON.stringify({ owner, expiresAt: Date.now() + this.#leaseMs } satisfies LockFile);
    try {
      await acquireByPolling(() => this.#tryLock(lockPath, content()), { timeoutMs, signal, what: `${what} of ${this.#path}`, option });
    } catch (error) {
      throw error instanceof ZohoError ? error : this.#fsError('take a lock', error);
    }
    const ours = async () => (await this.#readLock(lockPath))?.owner === owner;
    return holdLease(
      fn,
      this.#leaseMs,
      async () => (await ours()) && writeFile(lockPath, content()),
      async () => (await ours()) && unlink(lockPath),
    );
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
    // The holder's lease ran out (it died). Only one process may remove a dead lock, and only after checking
    // again under the steal lock that it is still the dead one: else two waiters could both take over.
    const stealPath = `${lockPath}.steal`;
    try {
      await (await open(stealPath, 'wx', FILE_MODE)).close();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // A stealer that died holding the steal lock (it is held for a few ms only).
      const age = await stat(stealPath).then((s) => Date.now() - s.mtimeMs, () => 0);
      if (age > this.#leaseMs) await unlink(stealPath).catch(() => undefined);
      return false;
    }
    try {
      if (await this.#expired(lockPath)) await unlink(lockPath).catch(() => undefined);
    } finally {
      await unlink(stealPath).catch(() => undefined);
    }
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
    return new TokenStoreError(`Could not ${action} in the token file ${this.#path} (${code}). Check the path option and that this process may write its folder.`, {
      cause: error,
    });
  }
}
