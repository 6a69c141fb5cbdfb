import { ConfigError } from './errors.js';

/** Zoho data centres and their hosts (wire spec §1.1). */
export const DATA_CENTRES = {
  us: { accounts: 'https://accounts.zoho.com', api: 'https://www.zohoapis.com' },
  eu: { accounts: 'https://accounts.zoho.eu', api: 'https://www.zohoapis.eu' },
  in: { accounts: 'https://accounts.zoho.in', api: 'https://www.zohoapis.in' },
  cn: { accounts: 'https://accounts.zoho.com.cn', api: 'https://www.zohoapis.com.cn' },
  au: { accounts: 'https://accounts.zoho.com.au', api: 'https://www.zohoapis.com.au' },
  jp: { accounts: 'https://accounts.zoho.jp', api: 'https://www.zohoapis.jp' },
  ca: { accounts: 'https://accounts.zohocloud.ca', api: 'https://www.zohoapis.ca' },
  sa: { accounts: 'https://accounts.zoho.sa', api: 'https://www.zohoapis.sa' },
} as const;

/** A data-centre shorthand. */
export type DataCentre = keyof typeof DATA_CENTRES;

/** Default data centre: US, as the old package. */
export const DEFAULT_DATA_CENTRE: DataCentre = 'us';
/** Default CRM API version of the modern client: Zoho's current one. */
export const DEFAULT_API_VERSION = 'v8';
/** API version of the legacy ZCRMRestClient facade, as zcrmsdk 0.0.x. */
export const DEFAULT_LEGACY_API_VERSION = 'v2';
/** Default Zoho environment: the production org. */
export const DEFAULT_ENVIRONMENT: ZohoEnvironment = 'production';
/** Default retries of a request (network errors, 408, 429, 5xx; see the retry policy). */
export const DEFAULT_MAX_RETRIES = 2;
/** Default retries of a token refresh on network errors and 5xx (a refresh is idempotent until Zoho answers). */
export const DEFAULT_TOKEN_MAX_RETRIES = 2;
/** Default user key, as zcrmsdk 0.0.x. */
export const DEFAULT_USER_ID = 'zcrm_default_user';
/** Default per-request timeout (whole request, headers and body). */
export const DEFAULT_TIMEOUT_MS = 60_000;
/** Access tokens are refreshed this long before Zoho says they expire. */
export const DEFAULT_REFRESH_SKEW_MS = 60_000;
/** Keep-alive connections per origin. */
export const DEFAULT_MAX_CONNECTIONS = 64;
/** How long an idle keep-alive connection stays open. */
export const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 30_000;

/** A Zoho CRM environment: the production org, a sandbox, or a developer edition org. */
export type ZohoEnvironment = 'production' | 'sandbox' | 'developer';

/** CRM API base URL of a data centre's environment (wire spec §1.1): sandbox.zohoapis.* / developer.zohoapis.*. */
export function apiUrlFor(dc: DataCentre, environment: ZohoEnvironment): string {
  const api = DATA_CENTRES[dc].api;
  return environment === 'production' ? api : api.replace('https://www.', `https://${environment}.`);
}

/** Validates an environment name. */
export function parseEnvironment(value: unknown, option: string): ZohoEnvironment | undefined {
  if (value === undefined) return undefined;
  if (value === 'production' || value === 'sandbox' || value === 'developer') return value;
  throw new ConfigError(`${option} must be 'production', 'sandbox' or 'developer', not ${JSON.stringify(value)}.`, { option });
}

/**
 * Refuses a base URL that is not https, unless it points at this machine (127.0.0.0/8, ::1, localhost: the
 * emulator) or the caller opted in: tokens and data must not cross a network in clear text by accident.
 */
export function assertSecureUrl(url: string, option: string, allowInsecureHttp: boolean): string {
  const parsed = new URL(url);
  if (parsed.protocol === 'https:' || allowInsecureHttp || isLoopback(parsed.hostname)) return url;
  throw new ConfigError(
    `${option} '${url}' is not https: tokens would cross the network in clear text. Use https, a loopback address, or set allowInsecureHttp: true if you really mean it.`,
    { option },
  );
}

/** Whether a host name is this machine. */
export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

/** Validates a data-centre shorthand; `undefined` stays undefined. */
export function parseDataCentre(value: string | undefined, option: string): DataCentre | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new ConfigError(`${option} must be a data centre name like 'eu', not ${typeof value}.`, { option });
  const key = value.trim().toLowerCase();
  if (key in DATA_CENTRES) return key as DataCentre;
  throw new ConfigError(
    `Unknown data centre '${value}' in ${option}. Use one of: ${Object.keys(DATA_CENTRES).join(', ')}.`,
    { option },
  );
}

/**
 * Turns a configured host into a base URL: a bare host (`accounts.zoho.eu`, as zcrmsdk 0.0.x took) means
 * https; a full URL (`http://127.0.0.1:8080`) is used as given, so the SDK can point at a local emulator.
 */
export function toBaseUrl(hostOrUrl: string, option: string): string {
  if (typeof hostOrUrl !== 'string' || hostOrUrl.trim() === '') {
    throw new ConfigError(`${option} must be a host name or URL string, e.g. 'https://www.zohoapis.eu'.`, { option });
  }
  const trimmed = hostOrUrl.trim().replace(/\/+$/, '');
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch (cause) {
    throw new ConfigError(`${option} '${hostOrUrl}' is not a host name or URL.`, { option, cause });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(`${option} must be an http(s) URL or a host name, not '${hostOrUrl}'.`, { option });
  }
  if (url.search || url.hash) {
    throw new ConfigError(`${option} must not contain a query or fragment: '${hostOrUrl}'.`, { option });
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** API versions Zoho serves: v2, v2.1, v3 ... v8. */
export function validateApiVersion(version: string, option: string): string {
  if (typeof version !== 'string' || !/^v\d+(\.\d+)?$/.test(version)) {
    throw new ConfigError(`${option} '${version}' is not an API version like 'v2' or 'v8'.`, { option });
  }
  return version;
}
