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

  /** Read-modify-write of the whole file under the write lock, replaced atomically. */
  async #modify(action: string, change: (tokens: Record<string, TokenRow>) => void): Promise<void> {
    await this.#sweep();
    await this.#locked(`${this.#path}.lock`, 'the write lock', 'timeoutMs', this.#timeoutMs, async () => {
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
    });
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
    const folder = dirname(this.#path);
    const fix =
      code === 'EISDIR'
        ? `${this.#path} is a directory, not a file: set the path option to a file in it, e.g. ${join(this.#path, 'tokens.json')}`
        : code === 'ENOENT'
          ? `the folder ${folder} does not exist: create it or change the path option`
          : code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
            ? `this process may not write in ${folder}: make it writable or change the path option`
            : 'check the path option and that this process may write its folder';
    return new TokenStoreError(`Could not ${action} in the token file ${this.#path} (${code}); ${fix}.`, { cause: error });
  }
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
