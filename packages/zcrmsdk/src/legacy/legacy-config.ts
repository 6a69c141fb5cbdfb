import { join } from 'node:path';
import { DATA_CENTRES, DEFAULT_LEGACY_API_VERSION, DEFAULT_USER_ID, parseDataCentre } from '../config.js';
import { ConfigError } from '../errors.js';
import { readPropertiesFile } from './properties.js';

/** The old package's configuration object keys, plus our additions. */
export interface LegacyConfigObject {
  client_id?: string;
  client_secret?: string;
  redirect_url?: string;
  /** Zoho Accounts host (`accounts.zoho.eu`) or URL. Default `accounts.zoho.com`. */
  iamurl?: string;
  /** CRM API host (`www.zohoapis.eu`) or URL. Default `www.zohoapis.com`. */
  base_url?: string;
  /** API version. Default `v2`. */
  version?: string;
  /** Default user key. Default `zcrm_default_user`. */
  user_identifier?: string;
  /** Path or package name of a custom token module. Default: the MySQL store. */
  tokenmanagement?: string;
  mysql_username?: string;
  mysql_password?: string;
  /** MySQL host. Default `localhost`. */
  mysql_host?: string;
  /** MySQL port. Default 3306. */
  mysql_port?: number | string;
  /** MySQL database. Default `zohooauth`. */
  mysql_database?: string;
  /** Data-centre shorthand (us, eu, in, cn, au, jp, ca, sa) setting both hosts. Default `us`. */
  datacenter?: string;
  /** Alias of `datacenter`. */
  dc?: string;
  /** Extra CA certificate (PEM) to trust, e.g. the emulator's self-signed one. */
  ca?: string | Buffer;
  /** Per-request timeout in ms. Default 60,000. */
  timeout_ms?: number;
  [key: string]: unknown;
}

/** Settings the legacy facade keeps (module-global, as the old package). */
export interface LegacySettings {
  clientId: string | null;
  clientSecret: string | null;
  redirectUrl: string | null;
  iamUrl: string;
  baseUrl: string;
  version: string;
  userIdentifier: string | null;
  tokenManagement: string | null;
  mysql: { username: string; password: string; host: string; port: number; database: string };
  ca: string | Buffer | undefined;
  timeoutMs: number | undefined;
}

export const DEFAULT_IAM_HOST = 'accounts.zoho.com';
export const DEFAULT_API_HOST = 'www.zohoapis.com';

export function defaultSettings(): LegacySettings {
  return {
    clientId: null,
    clientSecret: null,
    redirectUrl: null,
    iamUrl: DEFAULT_IAM_HOST,
    baseUrl: DEFAULT_API_HOST,
    version: DEFAULT_LEGACY_API_VERSION,
    userIdentifier: null,
    tokenManagement: null,
    mysql: { username: 'root', password: '', host: 'localhost', port: 3306, database: 'zohooauth' },
    ca: undefined,
    timeoutMs: undefined,
  };
}

const MANDATORY = ['client_id', 'client_secret', 'redirect_url'] as const;

/** Applies a config object as zcrmsdk 0.0.20's `initializeWithValues` did; the properties files are NOT read. */
export function settingsFromObject(config: LegacyConfigObject, previous: LegacySettings): LegacySettings {
  if (!config || typeof config !== 'object') {
    throw new ConfigError('initialize(config) needs an object with client_id, client_secret and redirect_url.');
  }
  for (const key of MANDATORY) {
    if (!config[key]) {
      throw new ConfigError(
        `Missing configuration for Zoho OAuth service: ${key}. Pass it in initialize({ ${key}: ... }) (copy it from the Zoho API console).`,
        { option: key, code: 'CONFIG_MISSING' },
      );
    }
  }
  const dc = parseDataCentre(str(config.datacenter) ?? str(config.dc), 'datacenter');
  const next = defaultSettings();
  next.clientId = String(config.client_id);
  next.clientSecret = String(config.client_secret);
  next.redirectUrl = String(config.redirect_url);
  next.iamUrl = str(config.iamurl) ?? (dc ? DATA_CENTRES[dc].accounts : DEFAULT_IAM_HOST);
  next.baseUrl = str(config.base_url) ?? str(config.baseurl) ?? (dc ? DATA_CENTRES[dc].api : DEFAULT_API_HOST);
  next.version = str(config.version) ?? previous.version;
  next.userIdentifier = str(config.user_identifier) ?? DEFAULT_USER_ID;
  next.tokenManagement = str(config.tokenmanagement) ?? str(config.mysql_module) ?? null;
  next.mysql = {
    username: str(config.mysql_username) ?? 'root',
    password: str(config.mysql_password) ?? '',
    host: str(config.mysql_host) ?? 'localhost',
    port: port(config.mysql_port, 'mysql_port') ?? 3306,
    database: str(config.mysql_database) ?? 'zohooauth',
  };
  next.ca = typeof config.ca === 'string' || Buffer.isBuffer(config.ca) ? config.ca : undefined;
  next.timeoutMs = typeof config.timeout_ms === 'number' ? config.timeout_ms : undefined;
  return next;
}

export const OAUTH_FILE = 'resources/oauth_configuration.properties';
export const CONFIG_FILE = 'resources/configuration.properties';

/** Reads `resources/*.properties` relative to `cwd`, as zcrmsdk 0.0.x's `initialize()` did. */
export async function settingsFromProperties(cwd: string): Promise<LegacySettings> {
  const oauth = await readPropertiesFile(join(cwd, OAUTH_FILE), OAUTH_FILE);
  const conf = await readPropertiesFile(join(cwd, CONFIG_FILE), CONFIG_FILE);
  const get = (props: Map<string, string>, key: string) => {
    const value = props.get(key);
    return value === undefined || value === '' ? undefined : value;
  };
  for (const [key, label] of [
    ['zoho.crm.clientid', 'crm.clientid'],
    ['zoho.crm.clientsecret', 'crm.clientsecret'],
    ['zoho.crm.redirecturl', 'crm.redirecturl'],
  ] as const) {
    if (!get(oauth, key)) {
      throw new ConfigError(
        `Populate the oauth_configuration.properties file: ${OAUTH_FILE} (in ${cwd}) has no value for ${label} under [zoho].`,
        { option: `${OAUTH_FILE}: [zoho] ${label}`, code: 'CONFIG_MISSING' },
      );
    }
  }
  const dc = parseDataCentre(get(conf, 'crm.api.datacenter') ?? get(oauth, 'zoho.crm.datacenter'), `${CONFIG_FILE}: [crm] api.datacenter`);
  const next = defaultSettings();
  next.clientId = get(oauth, 'zoho.crm.clientid') ?? null;
  next.clientSecret = get(oauth, 'zoho.crm.clientsecret') ?? null;
  next.redirectUrl = get(oauth, 'zoho.crm.redirecturl') ?? null;
  next.iamUrl = get(oauth, 'zoho.crm.iamurl') ?? (dc ? DATA_CENTRES[dc].accounts : DEFAULT_IAM_HOST);
  next.baseUrl = get(conf, 'crm.api.url') ?? (dc ? DATA_CENTRES[dc].api : DEFAULT_API_HOST);
  next.version = get(conf, 'crm.api.version') ?? DEFAULT_LEGACY_API_VERSION;
  next.userIdentifier = get(conf, 'crm.api.user_identifier') ?? DEFAULT_USER_ID;
  next.tokenManagement = get(conf, 'crm.api.tokenmanagement') ?? null;
  next.mysql = {
    username: get(conf, 'mysql.username') ?? 'root',
    password: get(conf, 'mysql.password') ?? '',
    host: get(conf, 'mysql.host') ?? 'localhost',
    port: port(get(conf, 'mysql.port'), `${CONFIG_FILE}: [mysql] port`) ?? 3306,
    database: get(conf, 'mysql.database') ?? 'zohooauth',
  };
  return next;
}

function str(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  return String(value);
}

function port(value: unknown, option: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0 || n > 65535) throw new ConfigError(`${option} '${String(value)}' is not a TCP port.`, { option });
  return n;
}
