/**
 * A zcrmsdk 0.0.x custom token module (`tokenmanagement`) written to a file, since the old package only
 * takes a module path. It holds one token (a valid fake one, unless told to start empty) and logs every
 * call, so tests can compare what two clients asked of their store.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The tokens the legacy capture server issues, in the shape Zoho gives them. */
export const ACCESS_TOKEN = '1000.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
export const REFRESH_TOKEN = '1000.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';

/** One logged call: the function name and its argument. */
export interface TokenModuleCall {
  fn: 'getOAuthTokens' | 'saveOAuthTokens' | 'updateOAuthTokens';
  arg: unknown;
}

/** What the written module exports, beyond the three functions the SDK calls. */
export interface TokenModuleHandle {
  calls: TokenModuleCall[];
  /** What getOAuthTokens resolves now. */
  current(): Record<string, unknown>;
  /** Moves the stored expiry into the past, so the next API call refreshes first. */
  expire(): void;
}

const source = (empty: boolean) => `'use strict';
var current = ${empty ? '{}' : `{ access_token: ${JSON.stringify(ACCESS_TOKEN)}, refresh_token: ${JSON.stringify(REFRESH_TOKEN)}, expires_in: Date.now() + 3600000 }`};
var calls = [];
module.exports = {
  calls: calls,
  current: function () { return Object.assign({}, current); },
  expire: function () { current.expires_in = Date.now() - 1000; },
  getOAuthTokens: function (user) { calls.push({ fn: 'getOAuthTokens', arg: user }); return Promise.resolve(Object.assign({}, current)); },
  saveOAuthTokens: function (obj) { calls.push({ fn: 'saveOAuthTokens', arg: Object.assign({}, obj) }); current = Object.assign({}, current, obj); return Promise.resolve(); },
  updateOAuthTokens: function (obj) { calls.push({ fn: 'updateOAuthTokens', arg: Object.assign({}, obj) }); current = Object.assign({}, current, obj); return Promise.resolve(); },
};
`;

/** Writes the module as `<dir>/<name>.js` and returns its absolute path. */
export async function writeTokenModule(dir: string, name: string, options: { empty?: boolean } = {}): Promise<string> {
  const path = join(dir, `${name}.js`);
  await writeFile(path, source(options.empty === true));
  return path;
}
