/**
 * `require('zcrmsdk')` returns ZCRMRestClient itself, as zcrmsdk 0.0.x did; the modern API (ZohoCRM, errors,
 * stores) rides on it as non-enumerable properties, so `Object.keys(ZCRMRestClient)` stays as it was and
 * `const { ZohoCRM } = require('zcrmsdk')` works too. `import` gets an ESM wrapper (scripts/build-esm.mjs).
 */
import * as publicApi from './public-api.js';
import { createZCRMRestClient } from './legacy/zcrm-rest-client.js';

/** The default export's type: the legacy client plus every named export. */
export type ZcrmsdkModule = publicApi.ZCRMRestClientStatic & typeof publicApi;

const ZCRMRestClient = createZCRMRestClient() as ZcrmsdkModule;
// Each named export is read from public-api on first use (its modules load then, scripts/lazy-exports.mjs),
// and is a plain writable property from then on.
for (const key of Object.keys(publicApi)) {
  const settle = (value: unknown): void => {
    Object.defineProperty(ZCRMRestClient, key, { value, enumerable: false, writable: true, configurable: true });
  };
  Object.defineProperty(ZCRMRestClient, key, {
    get: () => {
      const value: unknown = (publicApi as Record<string, unknown>)[key];
      settle(value);
      return value;
    },
    set: settle,
    enumerable: false,
    configurable: true,
  });
}
Object.defineProperty(ZCRMRestClient, 'default', { value: ZCRMRestClient, enumerable: false });

export default ZCRMRestClient;
export * from './public-api.js';
module.exports = ZCRMRestClient;
