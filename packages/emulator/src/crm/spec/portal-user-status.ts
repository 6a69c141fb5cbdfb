/**
 * Activating and deactivating a portal user (`PUT /settings/portals/{portal}/user_type/{id}/users/{user_id}/actions/change_status?active=`):
 * the user (addressed by personality id) of the user type's collection gets `active` as given, and the reply
 * names them by `personality_id` in Zoho's `change_status` envelope.
 */
import { error, MSG, paramMissing, success } from '../responses.js';
import type { SpecHandler } from './context.js';
import { items, writeReply } from './generic.js';

const changeStatus: SpecHandler = (ctx) => {
  const portal = ctx.params['portal_name'] ?? '';
  const userType = ctx.params['user_type_id'] ?? '';
  const userId = ctx.params['user_id'] ?? '';
  const active = ctx.req.query['active'];
  if (active === undefined) return paramMissing('active');
  const users = items(ctx, ['settings', 'portals', portal, 'user_type', userType, 'users'].join('/').toLowerCase());
  const user = users.all().find((u) => String(u['personality_id'] ?? u.id) === userId) ?? users.get(userId);
  if (user === undefined) return error(400, 'INVALID_DATA', MSG.invalidId, { param_name: 'user_id', id: userId });
  user['active'] = active === 'true';
  return writeReply(ctx, [success('User status changed successfully', { personality_id: String(user['personality_id'] ?? user.id) })]);
};

/** The user_type_users operations with behaviour of their own, by operation key. */
export const PORTAL_USER_STATUS_BEHAVIOURS: readonly [string, SpecHandler][] = [['user_type_users/Change Users Status', changeStatus]];
