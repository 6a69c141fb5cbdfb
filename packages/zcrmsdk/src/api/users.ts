/**
 * Users (`crm.users()`, `crm.user(id)`) and the org (`crm.org()`), wire spec §8: replies wrap rows in `users`
 * and `org` instead of `data`.
 */
import { ApiError, NotFoundError } from '../errors.js';
import { isObject } from '../internal/is-object.js';
import { listPages, PagePromise } from './pagination.js';
import { assertRecordId, pagingQuery, withModifiedSince, type PagingParams } from './records.js';
import { requestFields, type RequestOptions } from './request-options.js';
import type { RequestSender } from './resource.js';

/** Which users to list (Zoho's `type`). */
export type UserType =
  | 'AllUsers'
  | 'ActiveUsers'
  | 'DeactiveUsers'
  | 'ConfirmedUsers'
  | 'NotConfirmedUsers'
  | 'DeletedUsers'
  | 'ActiveConfirmedUsers'
  | 'AdminUsers'
  | 'ActiveConfirmedAdmins'
  | 'CurrentUser';

/** A CRM user (Zoho's keys; mixed case as Zoho spells them). */
export interface ZohoUser {
  id: string;
  full_name?: string;
  first_name?: string | null;
  last_name?: string;
  email?: string;
  status?: string;
  role?: { name: string; id: string };
  profile?: { name: string; id: string };
  zuid?: string;
  time_zone?: string;
  [key: string]: unknown;
}

/** The CRM org (Zoho's keys). */
export interface ZohoOrg {
  id: string;
  company_name?: string;
  primary_email?: string;
  zgid?: string;
  domain_name?: string;
  time_zone?: string;
  currency?: string;
  [key: string]: unknown;
}

/** Parameters of `crm.users()`. */
export interface UsersParams extends PagingParams, RequestOptions {
  /** Default: Zoho's (`AllUsers`). */
  type?: UserType;
  modifiedSince?: Date | string;
}

/** Lists users: awaitable first page, `for await` over all. */
export function listUsers(client: RequestSender, params: UsersParams = {}): PagePromise<ZohoUser> {
  return PagePromise.defer(() =>
    listPages<ZohoUser>(client, {
      path: ['users'],
      query: { type: params.type, ...pagingQuery(params) },
      dataKey: 'users',
      ...withModifiedSince(params, requestFields(params)),
    }),
  );
}

/** One user; NotFoundError (`USER_NOT_FOUND`) when there is none with this id. */
export async function getUser(client: RequestSender, userId: string, options: RequestOptions = {}): Promise<ZohoUser> {
  const id = assertRecordId(userId, 'user id');
  const body = await client.requestJson<{ users?: unknown }>({ method: 'GET', path: ['users', id], ...requestFields(options) });
  const user = Array.isArray(body?.users) ? body.users[0] : undefined;
  if (!isObject(user)) {
    throw new NotFoundError({ status: 204, code: 'USER_NOT_FOUND', message: `No CRM user has id '${id}'. List them with crm.users().`, details: { id } });
  }
  return user as ZohoUser;
}

/** The org the client's user belongs to. */
export async function getOrg(client: RequestSender, options: RequestOptions = {}): Promise<ZohoOrg> {
  const body = await client.requestJson<{ org?: unknown }>({ method: 'GET', path: ['org'], ...requestFields(options) });
  const org = Array.isArray(body?.org) ? body.org[0] : undefined;
  if (!isObject(org)) throw new ApiError({ status: 200, code: 'INVALID_RESPONSE', message: 'Zoho answered GET /org without an org object.' });
  return org as ZohoOrg;
}
