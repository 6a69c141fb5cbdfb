import type { StoredToken, TokenStore } from './token-store.js';

/** Keeps tokens in this process only: for tests, scripts and single-process apps. */
export class MemoryTokenStore implements TokenStore {
  readonly #tokens = new Map<string, StoredToken>();

  async get(userId: string): Promise<StoredToken | null> {
    const token = this.#tokens.get(userId);
    return token ? { ...token } : null;
  }

  async save(token: StoredToken): Promise<void> {
    this.#tokens.set(token.userId, { ...token });
  }

  async delete(userId: string): Promise<void> {
    this.#tokens.delete(userId);
  }
}
