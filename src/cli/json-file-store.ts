/**
 * The CLI's default token store until the package's FileTokenStore lands: one JSON file (mode 0600, in a
 * 0700 folder), rewritten atomically (write a temp file, rename). One CLI process at a time uses it.
 */
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { TokenStoreError, type StoredToken, type TokenStore } from '../public-api.js';

export class JsonFileTokenStore implements TokenStore {
  readonly path: string;

  constructor(options: { path: string }) {
    this.path = options.path;
  }

  async get(userId: string): Promise<StoredToken | null> {
    return (await this.#read())[userId] ?? null;
  }

  async save(token: StoredToken): Promise<void> {
    const all = await this.#read();
    all[token.userId] = { ...token };
    await this.#write(all);
  }

  async delete(userId: string): Promise<void> {
    const all = await this.#read();
    if (!(userId in all)) return;
    delete all[userId];
    await this.#write(all);
  }

  async #read(): Promise<Record<string, StoredToken>> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw new TokenStoreError(`Cannot read the token file ${this.path}: ${(error as Error).message}`, { cause: error });
    }
    try {
      const parsed = JSON.parse(text) as unknown;
      return parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, StoredToken>) : {};
    } catch (cause) {
      throw new TokenStoreError(`The token file ${this.path} is not JSON; delete it and run \`zcrm auth grant <code>\` again.`, { cause });
    }
  }

  async #write(all: Record<string, StoredToken>): Promise<void> {
    try {
      await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
      const temp = `${this.path}.${process.pid}.tmp`;
      await writeFile(temp, JSON.stringify(all, null, 2), { mode: 0o600 });
      await chmod(temp, 0o600);
      await rename(temp, this.path);
    } catch (error) {
      throw new TokenStoreError(`Cannot write the token file ${this.path}: ${(error as Error).message}`, { cause: error });
    }
  }
}
