/**
 * Core errors speak the modern client's words (`crm.generateTokens(...)`, `clientId`, `dataCentre`); where the
 * legacy facade passes one on, it says the same thing in zcrmsdk 0.0.x's terms (`generateAuthTokens(user,
 * grantToken)`, `crm.clientid`, `crm.iamurl`), keeping the error's class, code and every other field.
 */
import { ConfigError, ZohoError } from '../errors.js';

// Order matters: the longer method name first, and the core's "(legacy: ...)" aside goes before anything else.
const REWORDS: readonly [RegExp, string][] = [
  [/ ?\(legacy: (?:[^()]|\([^()]*\))*\)/g, ''],
  [/\b(?:crm\.)?generateTokensFromRefreshToken\((?:[^()]|\([^()]*\))*\)/g, 'generateAuthTokenfromRefreshToken(user, refreshToken)'],
  [/\b(?:crm\.)?generateTokens\((?:[^()]|\([^()]*\))*\)/g, 'generateAuthTokens(user, grantToken)'],
  [/\bnew ZohoCRM\((?:[^()]|\([^()]*\))*\)/g, 'ZCRMRestClient.initialize(config)'],
  [/\bZohoCRM option\b/g, 'ZCRMRestClient setting'],
];

/** Modern option name → the old package's setting (properties key, or initialize() key where there is none). */
export const LEGACY_OPTION_NAMES: Readonly<Record<string, string>> = {
  clientId: 'crm.clientid',
  clientSecret: 'crm.clientsecret',
  redirectUri: 'crm.redirecturl',
  accountsUrl: 'crm.iamurl',
  apiUrl: 'api.url',
  apiVersion: 'api.version',
  dataCentre: 'datacenter',
  userId: 'user_identifier',
  timeoutMs: 'timeout_ms',
};
const OPTION_WORD = new RegExp(`(?<![\\w.])(${Object.keys(LEGACY_OPTION_NAMES).join('|')})(?![\\w(])`, 'g');

/** `text` in the old package's words. Idempotent, so text already in legacy words is left as it is. */
export function toLegacyWording(text: string): string {
  let out = text;
  for (const [pattern, replacement] of REWORDS) out = out.replace(pattern, replacement);
  return out.replace(OPTION_WORD, (name: string) => LEGACY_OPTION_NAMES[name] ?? name);
}

/**
 * Re-words a core error for legacy callers, in place (so private state such as the tokens of a
 * TokensNotSavedError stays reachable); anything that is not a ZohoError is returned untouched.
 */
export function legacyError(error: unknown): unknown {
  if (!(error instanceof ZohoError)) return error;
  const message = toLegacyWording(error.message);
  if (message !== error.message) {
    const stack = error.stack;
    const old = error.message;
    Object.defineProperty(error, 'message', { value: message, writable: true, configurable: true, enumerable: false });
    if (typeof stack === 'string') Object.defineProperty(error, 'stack', { value: stack.replace(old, message), writable: true, configurable: true, enumerable: false });
  }
  if (error instanceof ConfigError && error.option !== undefined) {
    const option = toLegacyWording(error.option);
    if (option !== error.option) Object.defineProperty(error, 'option', { value: option, writable: true, configurable: true, enumerable: true });
  }
  return error;
}
