/**
 * The one row codec of the persistent stores: how a StoredToken becomes columns (or a JSON value) and back,
 * with optional AES-256-GCM encryption of the token values.
 *
 * Encrypted values (`zcrmenc2:`) carry the user id, the store's table (or key prefix) and the column as
 * associated data, so a value copied to another user's row, another table or the other column fails to decrypt.
 * Values written by earlier versions (`zcrmenc1:`, no associated data) still read, and are written bound on the
 * user's next save (the next token refresh, within the hour); `strictEncryption` refuses them instead.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { ConfigError, TokenStoreError } from '../errors.js';
import { parseLegacyTokens } from './legacy-module-store.js';
import type { StoredToken } from './token-store.js';

/** A 32-byte key: a Buffer or its base64 text. */
export type EncryptionKey = Buffer | Uint8Array | string;

/** Encryption options every persistent store accepts. */
export interface EncryptionOptions {
  /**
   * Encrypts access and refresh tokens at rest with AES-256-GCM (a random nonce per write). Rows written
   * without a key still read. @default none (tokens stored as Zoho issued them)
   */
  encryptionKey?: EncryptionKey | undefined;
  /**
   * Former keys, still used to read rows written with them (rotation: put the new key in `encryptionKey`, the
   * old one here; rows are re-encrypted with the new key on their next write). @default []
   */
  previousEncryptionKeys?: readonly EncryptionKey[] | undefined;
  /**
   * With `encryptionKey`: refuse (TokenStoreError) rows whose tokens are in clear, and rows encrypted by zcrmsdk
   * before values were bound to their user (`zcrmenc1:`), instead of reading them. @default false
   */
  strictEncryption?: boolean | undefined;
}

/** The columns of a token row, as every SQL store names them (zcrmsdk 0.0.x's `oauthtokens` plus `apidomain`). */
export interface TokenRow {
  accesstoken: string | null;
  refreshtoken: string | null;
  expirytime: number | string | bigint | null;
  apidomain?: string | null | undefined;
}

/** Values bound to their user, table and column (associated data). */
const PREFIX = 'zcrmenc2:';
/** Values of earlier versions, encrypted without associated data: read (unless strict), never written. */
const UNBOUND_PREFIX = 'zcrmenc1:';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID_BYTES = 4;

interface Key {
  id: string;
  key: Buffer;
}

/** Turns tokens into row values and back; encrypts when given a key. */
export class TokenCodec {
  readonly #current: Key | undefined;
  readonly #keys: Map<string, Buffer>;
  readonly #store: string;
  readonly #scope: string;
  readonly #strict: boolean;

  /**
   * `store` names the store in messages; `scope` (the table or key prefix) is bound into every encrypted value,
   * so rows copied between tables do not decrypt.
   */
  constructor(options: EncryptionOptions, store: string, scope: string) {
    this.#store = store;
    this.#scope = scope;
    this.#current = options.encryptionKey === undefined ? undefined : toKey(options.encryptionKey, 'encryptionKey', store);
    const previous = options.previousEncryptionKeys ?? [];
    if (!Array.isArray(previous)) {
      throw new ConfigError(`${store} option 'previousEncryptionKeys' must be an array of 32-byte keys.`, { option: 'previousEncryptionKeys' });
    }
    this.#keys = new Map<string, Buffer>();
    for (const k of [...(this.#current ? [this.#current] : []), ...previous.map((p) => toKey(p, 'previousEncryptionKeys', store))]) {
      if (!this.#keys.has(k.id)) this.#keys.set(k.id, k.key);
    }
    if (options.strictEncryption !== undefined && typeof options.strictEncryption !== 'boolean') {
      throw new ConfigError(`${store} option 'strictEncryption' must be true or false.`, { option: 'strictEncryption' });
    }
    this.#strict = options.strictEncryption === true;
    if (this.#strict && this.#current === undefined) {
      throw new ConfigError(`${store} option 'strictEncryption' needs the encryptionKey option (the key the tokens are encrypted with).`, { option: 'strictEncryption' });
    }
  }

  /** The row of `token`, token values encrypted when the store has a key. */
  encode(token: StoredToken): { accesstoken: string; refreshtoken: string | null; expirytime: number; apidomain: string | null } {
    return {
      accesstoken: this.seal(token.accessToken, token.userId, 'accesstoken'),
      refreshtoken: token.refreshToken === undefined ? null : this.seal(token.refreshToken, token.userId, 'refreshtoken'),
      expirytime: token.expiresAt,
      apidomain: token.apiDomain ?? null,
    };
  }

  /** The StoredToken of a row (or `null` when it holds no token); plain and encrypted values both read. */
  decode(row: TokenRow | undefined | null, userId: string): StoredToken | null {
    if (!row) return null;
    const opened = {
      accesstoken: row.accesstoken === null || row.accesstoken === undefined ? null : this.open(String(row.accesstoken), userId, 'accesstoken'),
      refreshtoken: row.refreshtoken === null || row.refreshtoken === undefined ? null : this.open(String(row.refreshtoken), userId, 'refreshtoken'),
      expirytime: typeof row.expirytime === 'bigint' ? Number(row.expirytime) : row.expirytime,
    };
    const token = parseLegacyTokens(opened, userId, this.#store);
    if (token && typeof row.apidomain === 'string' && row.apidomain !== '') token.apiDomain = row.apidomain;
    return token;
  }

  /** Encrypts one column's value for `userId` (in clear when the store has no key). */
  seal(value: string, userId: string, column: Column): string {
    const current = this.#current;
    if (!current) return value;
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', current.key, nonce);
    cipher.setAAD(this.#aad(userId, column));
    const body = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
    return `${PREFIX}${current.id}:${Buffer.concat([nonce, cipher.getAuthTag(), body]).toString('base64')}`;
  }

  /** Decrypts one column's value of `userId`'s row (a value in clear is returned as is, unless strict). */
  open(value: string, userId: string, column: Column): string {
    const bound = value.startsWith(PREFIX);
    if (!bound && !value.startsWith(UNBOUND_PREFIX)) {
      if (this.#strict) {
        throw new TokenStoreError(
          `The tokens of user '${userId}' in the ${this.#store} are stored in clear, and strictEncryption refuses them; generate new tokens for this user (they are saved encrypted), or turn strictEncryption off until every row was rewritten.`,
        );
      }
      return value;
    }
    if (!bound && this.#strict) {
      throw new TokenStoreError(
        `The tokens of user '${userId}' in the ${this.#store} were encrypted by an earlier zcrmsdk without being bound to their user, and strictEncryption refuses them; turn strictEncryption off until the user's next token refresh rewrites them, or generate new tokens for this user.`,
      );
    }
    const [id, payload] = value.slice(PREFIX.length).split(':');
    const key = id === undefined ? undefined : this.#keys.get(id);
    if (!key) {
      const fix = this.#keys.size === 0 ? 'set the encryptionKey option' : 'add the key it was written with to previousEncryptionKeys';
      throw new TokenStoreError(`The tokens of user '${userId}' in the ${this.#store} are encrypted with a key this store does not have (key id ${id}); ${fix}.`);
    }
    const raw = Buffer.from(payload ?? '', 'base64');
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, NONCE_BYTES));
      if (bound) decipher.setAAD(this.#aad(userId, column));
      decipher.setAuthTag(raw.subarray(NONCE_BYTES, NONCE_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(raw.subarray(NONCE_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch (cause) {
      throw new TokenStoreError(
        `The encrypted tokens of user '${userId}' in the ${this.#store} do not decrypt for this user: they were written for another user or table (a copied row), or are corrupt. Generate new tokens for this user.`,
        { cause },
      );
    }
  }

  /** The associated data: user, table and column, as a JSON array so no two tuples give the same bytes. */
  #aad(userId: string, column: Column): Buffer {
    return Buffer.from(JSON.stringify(['zcrmsdk-token', this.#scope, userId, column]), 'utf8');
  }
}

/** The token columns that hold encrypted values. */
type Column = 'accesstoken' | 'refreshtoken';

function toKey(value: EncryptionKey, option: string, store: string): Key {
  let key: Buffer | undefined;
  if (typeof value === 'string') key = /^[A-Za-z0-9+/_-]+={0,2}$/.test(value) ? Buffer.from(value, 'base64') : undefined;
  else if (value instanceof Uint8Array) key = Buffer.from(value);
  if (!key || key.length !== 32) {
    throw new ConfigError(
      `${store} option '${option}' must be a 32-byte key, as a Buffer or base64 text (e.g. crypto.randomBytes(32).toString('base64')).`,
      { option },
    );
  }
  return { id: createHash('sha256').update(key).digest('hex').slice(0, KEY_ID_BYTES * 2), key };
}
