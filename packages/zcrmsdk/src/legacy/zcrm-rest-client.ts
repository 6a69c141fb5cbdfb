import { join } from 'node:path';
import { ZohoCRM } from '../client.js';
import { toBaseUrl } from '../config.js';
import { ConfigError, InvalidInputError } from '../errors.js';
import { registerSecret } from '../internal/redact.js';
import { type Logger, consoleLogger } from '../logger.js';
import { RUNNING_FROM_BUNDLE } from '../stores/drivers.js';
import type { MySQLTokenStore } from '../stores/mysql-store.js';
import type { TokenStore } from '../stores/token-store.js';
import { type LegacyApi, type LegacyResult, createLegacyApi } from './api.js';
import {
  type LegacyConfigObject,
  type LegacySettings,
  defaultSettings,
  settingsFromObject,
  settingsFromProperties,
} from './legacy-config.js';
import { type LegacyCallSpec, type LegacyInput, toApiRequest } from './request-builder.js';
import { toLegacyResult } from './response.js';
import { legacyError } from './wording.js';

/** Runs `work`, re-wording a core error in the old package's terms (class and code kept). */
async function inLegacyWords<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw legacyError(error);
  }
}

/** What `generateAuthTokens` and `generateAuthTokenfromRefreshToken` resolve. */
export interface LegacyAuthResponse {
  access_token: string;
  refresh_token?: string;
  /** Absolute expiry, epoch milliseconds (not seconds: the old package's naming). */
  expires_in: number;
  user_identifier: string;
}

/** The `ZCRMRestClient` object `require('zcrmsdk')` returns, as zcrmsdk 0.0.20 had it. */
export interface ZCRMRestClientStatic {
  (): void;
  initialize(config?: LegacyConfigObject): Promise<void>;
  initializeWithValues(config: LegacyConfigObject): void;
  generateAuthTokens(userIdentifier: string | null | undefined, grantToken: string): Promise<LegacyAuthResponse>;
  generateAuthTokenfromRefreshToken(userIdentifier: string | null | undefined, refreshToken: string): Promise<LegacyAuthResponse>;
  getConfig(grantToken: string): { client_id: string | null; client_secret: string | null; code: string; redirect_uri: string | null; grant_type: 'authorization_code' };
  getConfig_refresh(refreshToken: string): { client_id: string | null; client_secret: string | null; refresh_token: string; grant_type: 'refresh_token' };
  setClientId(value: string): void;
  setClientSecret(value: string): void;
  setRedirectURL(value: string): void;
  setUserIdentifier(value: string): void;
  setIAMUrl(value: string): void;
  setBaseURL(value: string): void;
  getClientId(): string | null;
  getClientSecret(): string | null;
  getRedirectURL(): string | null;
  getUserIdentifier(): string;
  getPersistenceModule(): string;
  getAPIURL(): string;
  getVersion(): string;
  getIAMUrl(): string;
  getMySQLUserName(): string;
  getMYSQLPassword(): string;
  parseAndConstructObject(response: { body?: string }): { access_token?: string; refresh_token?: string; expires_in?: number };
  API: LegacyApi;
  /** The same `API` hierarchy, every call made as `userIdentifier`; the global user is left alone. */
  forUser(userIdentifier: string): { API: LegacyApi };
  /** The core client the facade runs on (built from the current settings). */
  getClient(): ZohoCRM;
  /** Uses this token store instead of the configured MySQL store or custom module. */
  setTokenStore(store: TokenStore | null): void;
  /** Closes pooled HTTP and MySQL connections. */
  close(): Promise<void>;
  /** The built-in MySQL store for the current `[mysql]` settings (what `lib/js/mysql/mysql_util` uses). */
  getMySQLStore(): MySQLTokenStore;
}

/**
 * What `getPersistenceModule()` reports when the built-in MySQL store is used: the path of the 0.0.x-compatible
 * module, as the old package did; inside a bundle, which has no such file (and no `__dirname` in ESM), the
 * package subpath of the same module.
 */
export const DEFAULT_PERSISTENCE_MODULE = RUNNING_FROM_BUNDLE ? 'zcrmsdk/lib/js/mysql/mysql_util' : join(__dirname, 'mysql-util.js');

/** Creates an independent ZCRMRestClient (the package exports one; tests make their own). */
export function createZCRMRestClient(options: { logger?: Logger; cwd?: () => string } = {}): ZCRMRestClientStatic {
  let settings: LegacySettings = defaultSettings();
  let core: ZohoCRM | undefined;
  let customStore: TokenStore | null = null;
  const logger = options.logger ?? consoleLogger('warn');
  const cwd = options.cwd ?? (() => process.cwd());

  const invalidate = () => {
    const old = core;
    core = undefined;
    const oldStore = mysqlStore;
    mysqlStore = undefined;
    if (oldStore) setTimeout(() => void oldStore.close().catch(() => undefined), 60_000).unref();
    // Let in-flight calls finish on the old client before its pools close.
    if (old) setTimeout(() => void old.close().catch(() => undefined), 60_000).unref();
  };

  let mysqlStore: MySQLTokenStore | undefined;
  // The stores load when first used: a custom token module never loads the MySQL one, and the reverse.
  const mysqlStoreFor = (): MySQLTokenStore => {
    if (mysqlStore) return mysqlStore;
    const { MySQLTokenStore: Store } = require('../stores/mysql-store.js') as typeof import('../stores/mysql-store.js');
    mysqlStore = new Store({
      host: settings.mysql.host,
      port: settings.mysql.port,
      user: settings.mysql.username,
      password: settings.mysql.password,
      database: settings.mysql.database,
      logger,
    });
    return mysqlStore;
  };

  const buildStore = (): TokenStore => {
    if (customStore) return customStore;
    if (settings.tokenManagement) {
      const { LegacyModuleTokenStore } = require('../stores/legacy-module-store.js') as typeof import('../stores/legacy-module-store.js');
      return LegacyModuleTokenStore.load(settings.tokenManagement, { cwd: cwd() });
    }
    return mysqlStoreFor();
  };

  const client = (): ZohoCRM => {
    if (core) return core;
    if (!settings.clientId || !settings.clientSecret) {
      throw new ConfigError(
        'ZCRMRestClient is not initialized: call ZCRMRestClient.initialize() (reads resources/*.properties) or initialize({ client_id, client_secret, redirect_url }) first.',
        { code: 'CONFIG_MISSING' },
      );
    }
    core = new ZohoCRM({
      clientId: settings.clientId,
      clientSecret: settings.clientSecret,
      redirectUri: settings.redirectUrl ?? undefined,
      accountsUrl: toBaseUrl(settings.iamUrl, 'iamurl'),
      apiUrl: toBaseUrl(settings.baseUrl, 'base_url'),
      apiVersion: settings.version,
      userId: self.getUserIdentifier(),
      tokenStore: buildStore(),
      userAgent: 'Zoho CRM Node SDK',
      // The old package never retried; its users check statusCode themselves.
      maxRetries: 0,
      tokenParamsIn: 'query',
      timeoutMs: settings.timeoutMs,
      ca: settings.ca,
      logger,
    });
    return core;
  };

  const run = (input: LegacyInput | undefined, spec: LegacyCallSpec, userId: string): Promise<LegacyResult> =>
    inLegacyWords(async () => {
      const res = await client().request(toApiRequest(input, spec, userId));
      return toLegacyResult(res, spec.download === true);
    });

  const toAuthResponse = (userId: string, token: { accessToken: string; refreshToken?: string | undefined; expiresAt: number }): LegacyAuthResponse => {
    const out: LegacyAuthResponse = { access_token: token.accessToken, expires_in: token.expiresAt, user_identifier: userId };
    if (token.refreshToken !== undefined) return { access_token: token.accessToken, refresh_token: token.refreshToken, expires_in: token.expiresAt, user_identifier: userId };
    return out;
  };

  const requireString = (value: unknown, fn: string, what: string): string => {
    if (typeof value !== 'string' || value === '') {
      throw new InvalidInputError(`${fn} needs ${what} as a non-empty string.`);
    }
    return value;
  };

  const self = function ZCRMRestClient(): void {} as unknown as ZCRMRestClientStatic;
  const statics: Omit<ZCRMRestClientStatic, never> = {
    initialize: async (config?: LegacyConfigObject) => {
      settings = config ? settingsFromObject(config, settings) : await settingsFromProperties(cwd());
      registerSecret(settings.clientSecret);
      registerSecret(settings.mysql.password);
      invalidate();
    },
    initializeWithValues: (config: LegacyConfigObject) => {
      settings = settingsFromObject(config, settings);
      registerSecret(settings.clientSecret);
      invalidate();
    },
    generateAuthTokens: (userIdentifier, grantToken) =>
      inLegacyWords(async () => {
        const userId = userIdentifier || self.getUserIdentifier();
        const code = requireString(grantToken, 'generateAuthTokens(user_identifier, grant_token)', 'a grant token');
        const token = await client().tokens.generateFromGrant(userId, code);
        self.setUserIdentifier(userId);
        return toAuthResponse(userId, token);
      }),
    generateAuthTokenfromRefreshToken: (userIdentifier, refreshToken) =>
      inLegacyWords(async () => {
        const userId = userIdentifier || self.getUserIdentifier();
        const rt = requireString(refreshToken, 'generateAuthTokenfromRefreshToken(user_identifier, refresh_token)', 'a refresh token');
        const token = await client().tokens.generateFromRefreshToken(userId, rt);
        self.setUserIdentifier(userId);
        return toAuthResponse(userId, token);
      }),
    getConfig: (grantToken) => ({
      client_id: settings.clientId,
      client_secret: settings.clientSecret,
      code: grantToken,
      redirect_uri: settings.redirectUrl,
      grant_type: 'authorization_code',
    }),
    getConfig_refresh: (refreshToken) => ({
      client_id: settings.clientId,
      client_secret: settings.clientSecret,
      refresh_token: refreshToken,
      grant_type: 'refresh_token',
    }),
    setClientId: (v) => {
      settings.clientId = v;
      invalidate();
    },
    setClientSecret: (v) => {
      settings.clientSecret = v;
      registerSecret(v);
      invalidate();
    },
    setRedirectURL: (v) => {
      settings.redirectUrl = v;
      invalidate();
    },
    // The user only picks tokens per call: no client rebuild needed.
    setUserIdentifier: (v) => {
      settings.userIdentifier = v;
    },
    setIAMUrl: (v) => {
      settings.iamUrl = v;
      invalidate();
    },
    setBaseURL: (v) => {
      settings.baseUrl = v;
      invalidate();
    },
    getClientId: () => settings.clientId,
    getClientSecret: () => settings.clientSecret,
    getRedirectURL: () => settings.redirectUrl,
    getUserIdentifier: () => settings.userIdentifier || 'zcrm_default_user',
    getPersistenceModule: () => settings.tokenManagement ?? DEFAULT_PERSISTENCE_MODULE,
    getAPIURL: () => settings.baseUrl,
    getVersion: () => settings.version,
    getIAMUrl: () => settings.iamUrl,
    getMySQLUserName: () => settings.mysql.username,
    getMYSQLPassword: () => settings.mysql.password,
    parseAndConstructObject: (response) => {
      const body = JSON.parse(String(response.body)) as Record<string, unknown>;
      if (typeof body.access_token !== 'string') return {};
      const out: { access_token?: string; refresh_token?: string; expires_in?: number } = { access_token: body.access_token };
      if (typeof body.refresh_token === 'string') out.refresh_token = body.refresh_token;
      const expires = Number(body.expires_in);
      out.expires_in = Date.now() + (body.expires_in_sec ? expires : expires * 1000);
      return out;
    },
    // The user is read synchronously when the call starts, so a later setUserIdentifier can't change it.
    API: createLegacyApi((input, spec) => run(input, spec, input?.user_identifier || self.getUserIdentifier())),
    forUser: (userIdentifier: string) => {
      const userId = requireString(userIdentifier, 'forUser(user_identifier)', 'a user identifier');
      return { API: createLegacyApi((input, spec) => run(input, spec, userId)) };
    },
    getClient: () => client(),
    setTokenStore: (store) => {
      customStore = store;
      invalidate();
    },
    close: async () => {
      const old = core;
      const oldStore = mysqlStore;
      core = undefined;
      mysqlStore = undefined;
      await old?.close();
      if (oldStore && old?.tokens.store !== oldStore) await oldStore.close();
    },
    getMySQLStore: () => mysqlStoreFor(),
  };
  // Own keys in 0.0.20's order first; our additions are non-enumerable so Object.keys() matches the old package.
  const LEGACY_KEYS = [
    'initialize', 'initializeWithValues', 'generateAuthTokens', 'generateAuthTokenfromRefreshToken', 'getConfig',
    'getConfig_refresh', 'setClientId', 'setClientSecret', 'setRedirectURL', 'setUserIdentifier', 'setIAMUrl',
    'setBaseURL', 'getClientId', 'getClientSecret', 'getRedirectURL', 'getUserIdentifier', 'getPersistenceModule',
    'getAPIURL', 'getVersion', 'getIAMUrl', 'getMySQLUserName', 'getMYSQLPassword', 'parseAndConstructObject', 'API',
  ] as const;
  for (const key of LEGACY_KEYS) Object.defineProperty(self, key, { value: statics[key], enumerable: true, writable: true, configurable: true });
  for (const key of ['forUser', 'getClient', 'setTokenStore', 'close', 'getMySQLStore'] as const) {
    Object.defineProperty(self, key, { value: statics[key], enumerable: false, writable: true, configurable: true });
  }
  return self;
}
