/**
 * The CLI's configuration: each setting from its flag, else its `ZCRM_*` environment variable, else the
 * zcrmsdk 0.0.x `resources/*.properties` files in the working directory (read by the legacy loader), else
 * the SDK's default. `sources` says where each value came from, for `zcrm doctor`.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import {
  ConfigError,
  DATA_CENTRES,
  DEFAULT_USER_ID,
  OAUTH_FILE,
  settingsFromProperties,
  type DataCentre,
  type LegacySettings,
} from 'zcrmsdk';

/** The global flags every command accepts (commander's camelCased names). */
export interface GlobalFlags {
  clientId?: string;
  clientSecret?: string;
  redirectUri?: string;
  dc?: string;
  accountsUrl?: string;
  apiUrl?: string;
  apiVersion?: string;
  user?: string;
  store?: string;
  ca?: string;
  json?: boolean;
  color?: boolean;
}

/** Where a setting came from. */
export type Source = 'flag' | 'env' | 'properties' | 'default';

/** The settings the CLI resolves, with where each came from. */
export interface CliConfig {
  clientId: string | undefined;
  clientSecret: string | undefined;
  redirectUri: string | undefined;
  /** The data centre named by `--dc` / `ZCRM_DC`, if any. */
  dataCentre: DataCentre | string | undefined;
  accountsUrl: string;
  apiUrl: string;
  /** undefined: the client's default version. */
  apiVersion: string | undefined;
  userId: string;
  /** Token store spec (`file:PATH`, `sqlite:PATH`, `mysql://...`, `module:PATH`, `memory`); undefined: the default file. */
  store: string | undefined;
  /** Path of a PEM file with an extra CA to trust (the emulator's in HTTPS mode). */
  caFile: string | undefined;
  /** The folder for the default token store: `ZCRM_CONFIG_DIR`, else `$XDG_CONFIG_HOME/zcrm` or `~/.config/zcrm`. */
  configDir: string;
  sources: Record<'clientId' | 'clientSecret' | 'redirectUri' | 'accountsUrl' | 'apiUrl' | 'apiVersion' | 'userId' | 'store', Source>;
  /** The properties file read, when one was. */
  propertiesFile: string | undefined;
}

/** Environment variables the CLI reads (and `zcrm emulator` prints). */
export const ENV = {
  clientId: 'ZCRM_CLIENT_ID',
  clientSecret: 'ZCRM_CLIENT_SECRET',
  redirectUri: 'ZCRM_REDIRECT_URI',
  dc: 'ZCRM_DC',
  accountsUrl: 'ZCRM_ACCOUNTS_URL',
  apiUrl: 'ZCRM_API_URL',
  apiVersion: 'ZCRM_API_VERSION',
  user: 'ZCRM_USER',
  store: 'ZCRM_TOKEN_STORE',
  ca: 'ZCRM_CA_FILE',
  configDir: 'ZCRM_CONFIG_DIR',
} as const;

/** Resolves the configuration from flags, environment and `resources/*.properties` in `cwd`. */
export async function resolveConfig(flags: GlobalFlags, env: NodeJS.ProcessEnv, cwd: string): Promise<CliConfig> {
  const fromEnv = (name: string): string | undefined => (env[name] === undefined || env[name] === '' ? undefined : env[name]);
  const props = await readProperties(cwd, flags, fromEnv);
  const sources = {} as CliConfig['sources'];
  const pick = (key: keyof CliConfig['sources'], flag: string | undefined, envName: string, prop: string | undefined | null, fallback?: string) => {
    if (flag !== undefined && flag !== '') return (sources[key] = 'flag'), flag;
    const e = fromEnv(envName);
    if (e !== undefined) return (sources[key] = 'env'), e;
    if (prop !== undefined && prop !== null && prop !== '') return (sources[key] = 'properties'), prop;
    sources[key] = 'default';
    return fallback;
  };
  const dataCentre = flags.dc ?? fromEnv(ENV.dc);
  const dc = dataCentre === undefined ? undefined : DATA_CENTRES[dataCentre.trim().toLowerCase() as DataCentre];
  if (dataCentre !== undefined && dc === undefined) {
    throw new ConfigError(`Unknown data centre '${dataCentre}' in --dc / ${ENV.dc}. Use one of: ${Object.keys(DATA_CENTRES).join(', ')}.`, { option: '--dc' });
  }
  // A data centre named by flag or environment outranks hosts from the properties files.
  const hostProp = (value: string | undefined) => (dc === undefined ? value : undefined);
  const config: CliConfig = {
    clientId: pick('clientId', flags.clientId, ENV.clientId, props?.clientId),
    clientSecret: pick('clientSecret', flags.clientSecret, ENV.clientSecret, props?.clientSecret),
    redirectUri: pick('redirectUri', flags.redirectUri, ENV.redirectUri, props?.redirectUrl),
    dataCentre,
    accountsUrl: pick('accountsUrl', flags.accountsUrl, ENV.accountsUrl, hostProp(props?.iamUrl), dc?.accounts ?? DATA_CENTRES.us.accounts)!,
    apiUrl: pick('apiUrl', flags.apiUrl, ENV.apiUrl, hostProp(props?.baseUrl), dc?.api ?? DATA_CENTRES.us.api)!,
    apiVersion: pick('apiVersion', flags.apiVersion, ENV.apiVersion, props?.version),
    userId: pick('userId', flags.user, ENV.user, props?.userIdentifier, DEFAULT_USER_ID)!,
    store: pick('store', flags.store, ENV.store, props?.tokenManagement ? `module:${props.tokenManagement}` : undefined),
    caFile: flags.ca ?? fromEnv(ENV.ca),
    configDir: configDir(env),
    sources,
    propertiesFile: props === undefined ? undefined : join(cwd, OAUTH_FILE),
  };
  return config;
}

/** The folder the default token store lives in. */
export function configDir(env: NodeJS.ProcessEnv): string {
  if (env[ENV.configDir]) return env[ENV.configDir]!;
  if (process.platform === 'win32' && env['APPDATA']) return join(env['APPDATA'], 'zcrm');
  return join(env['XDG_CONFIG_HOME'] || join(homedir(), '.config'), 'zcrm');
}

/** The client id and secret, or a ConfigError saying the three ways to give them. */
export function requireClient(config: CliConfig): { clientId: string; clientSecret: string } {
  for (const [key, flag, envName, prop] of [
    ['clientId', '--client-id', ENV.clientId, 'crm.clientid'],
    ['clientSecret', '--client-secret', ENV.clientSecret, 'crm.clientsecret'],
  ] as const) {
    if (!config[key]) {
      throw new ConfigError(
        `No OAuth ${key === 'clientId' ? 'client id' : 'client secret'}: pass ${flag}, set ${envName}, or put [zoho] ${prop} in ${OAUTH_FILE}. ` +
          'Copy it from the Zoho API console (https://api-console.zoho.com), or run `zcrm emulator` and use the export lines it prints.',
        { option: flag, code: 'CONFIG_MISSING' },
      );
    }
  }
  return { clientId: config.clientId!, clientSecret: config.clientSecret! };
}

async function readProperties(
  cwd: string,
  flags: GlobalFlags,
  fromEnv: (name: string) => string | undefined,
): Promise<LegacySettings | undefined> {
  if (!existsSync(join(cwd, OAUTH_FILE))) return undefined;
  try {
    return await settingsFromProperties(cwd);
  } catch (error) {
    // Incomplete properties files are fine when flags or the environment give the client.
    const given = (flags.clientId ?? fromEnv(ENV.clientId)) && (flags.clientSecret ?? fromEnv(ENV.clientSecret));
    if (error instanceof ConfigError && error.code === 'CONFIG_MISSING' && given) return undefined;
    throw error;
  }
}
