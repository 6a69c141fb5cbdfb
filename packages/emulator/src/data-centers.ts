/**
 * Data centres in the emulator (wire spec §1, https://www.zoho.com/crm/developer/docs/api/v8/multi-dc.html):
 * one emulator serves one or several Zoho data centres, each under its own base URL
 * (`{url}/dc/{dc}`; the bare `url` is the first one). Grant codes, refresh and access tokens belong to the
 * data centre that minted them. Used in another, Zoho answers the token endpoint with `invalid_code` (the
 * code or refresh token is unknown there) or `invalid_client` (the client is not enabled there), and CRM
 * calls with 401 INVALID_TOKEN, which is what the emulator does.
 */

/** Zoho's data centres, by the short names the client's `dataCentre` option uses. */
export const DATA_CENTERS = ['us', 'eu', 'in', 'cn', 'au', 'jp', 'ca', 'sa'] as const;

/** One data centre's short name. */
export type EmulatorDataCenter = (typeof DATA_CENTERS)[number];

/** What an emulator serves unless told otherwise. */
export const DEFAULT_DATA_CENTER: EmulatorDataCenter = 'us';

/** The path prefix of a data centre's base URL (`/dc/eu`). */
export function dataCenterPrefix(dc: EmulatorDataCenter): string {
  return `/dc/${dc}`;
}

/** Validates the `dataCenters` option: a name or a non-empty list of distinct names (default `['us']`). */
export function parseDataCenters(option: EmulatorDataCenter | readonly EmulatorDataCenter[] | undefined): EmulatorDataCenter[] {
  if (option === undefined) return [DEFAULT_DATA_CENTER];
  const list = typeof option === 'string' ? [option] : [...option];
  if (list.length === 0) throw new TypeError(`startEmulator option 'dataCenters' is empty. Give one or more of: ${DATA_CENTERS.join(', ')}.`);
  for (const dc of list) {
    if (!(DATA_CENTERS as readonly string[]).includes(dc)) {
      throw new TypeError(`startEmulator option 'dataCenters' has unknown data centre '${String(dc)}'. Use one of: ${DATA_CENTERS.join(', ')}.`);
    }
  }
  return [...new Set(list)];
}

/**
 * Which served data centre a request path addresses, and the path without the prefix. A bare path is the
 * first data centre's; `/dc/{name}/…` for a data centre this emulator does not serve is undefined (404).
 */
export function routeDataCenter(
  pathname: string,
  served: readonly EmulatorDataCenter[],
): { dataCenter: EmulatorDataCenter; pathname: string; prefixed: boolean } | undefined {
  const match = /^\/dc\/([^/]+)(\/.*)?$/.exec(pathname);
  if (match === null) return { dataCenter: served[0] ?? DEFAULT_DATA_CENTER, pathname, prefixed: false };
  const name = (match[1] ?? '').toLowerCase();
  const dc = served.find((d) => d === name);
  return dc === undefined ? undefined : { dataCenter: dc, pathname: match[2] ?? '/', prefixed: true };
}
