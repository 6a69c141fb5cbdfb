/**
 * `zcrmsdk/lib/js/mysql/mysql_util`: 0.0.x's MySQL token module, kept for code that requires it directly or
 * through `require(ZCRMRestClient.getPersistenceModule())`. Same functions and result shapes, on the pooled,
 * parameterised MySQLTokenStore of the package's ZCRMRestClient.
 */
import type { ZCRMRestClientStatic } from './zcrm-rest-client.js';

interface LegacyTokenObject {
  access_token?: string;
  refresh_token?: string;
  expires_in?: number;
  user_identifier?: string;
}

// Loaded at call time: the package entry requires this file's directory too.
function client(): ZCRMRestClientStatic {
  return require('../index.js') as ZCRMRestClientStatic;
}

/** Replaces the stored tokens of `token.user_identifier` (default: the current user). */
export async function saveOAuthTokens(token: LegacyTokenObject): Promise<void> {
  await client()
    .getMySQLStore()
    .save({
      userId: token.user_identifier || client().getUserIdentifier(),
      accessToken: String(token.access_token ?? ''),
      refreshToken: token.refresh_token,
      expiresAt: Number(token.expires_in ?? 0),
    });
}

/** Updates the access token and expiry of `token.user_identifier` (default: the current user). */
export async function updateOAuthTokens(token: LegacyTokenObject): Promise<void> {
  const userId = token.user_identifier || client().getUserIdentifier();
  const store = client().getMySQLStore();
  const current = await store.get(userId);
  await store.update({
    userId,
    accessToken: String(token.access_token ?? ''),
    refreshToken: token.refresh_token ?? current?.refreshToken,
    expiresAt: Number(token.expires_in ?? 0),
  });
}

/** The stored tokens as 0.0.20 resolved them: `{access_token, refresh_token, expires_in, user_identifier}`, or `[]`. */
export async function getOAuthTokens(userIdentifier?: string): Promise<LegacyTokenObject | []> {
  const userId = userIdentifier || client().getUserIdentifier();
  const token = await client().getMySQLStore().get(userId);
  if (!token) return [];
  const out: LegacyTokenObject = { access_token: token.accessToken };
  if (token.refreshToken !== undefined) out.refresh_token = token.refreshToken;
  out.expires_in = token.expiresAt;
  out.user_identifier = userId;
  return out;
}

/** Deletes the stored tokens of a user (default: the current user). */
export async function deleteOAuthTokens(userIdentifier?: string): Promise<void> {
  await client().getMySQLStore().delete(userIdentifier || client().getUserIdentifier());
}
