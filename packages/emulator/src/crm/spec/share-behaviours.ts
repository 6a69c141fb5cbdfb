/**
 * Record sharing (`/{module}/{record_id}/actions/share`): POST shares a record with active, confirmed users
 * (not its owner, not twice, at most 10), PUT sets the whole list (users it leaves out lose access, as Zoho
 * documents), DELETE revokes every share, GET lists the shares and the users the record can still be shared with.
 */
import type { EmuResponse } from '../../http-types.js';
import type { CrmRecord } from '../../seed/types.js';
import { error, errorBody, MSG, success, type ItemResult } from '../responses.js';
import { isObject } from '../state.js';
import type { ModuleStore } from '../store-types.js';
import { SHARE_PERMISSIONS, type Share, type SharePermission } from '../stores/shares.js';
import { isObj, reply, type SpecContext, type SpecHandler } from './context.js';
import { writeReply } from './generic.js';
import { moduleOf } from './record-behaviours.js';

/** Users one record can be shared with (Zoho: "A record can be shared only with 10 users"). @default 10 */
export const MAX_SHARED_USERS = 10;

type Target = { store: ModuleStore; record: CrmRecord };

/** The module and record a share request names, or Zoho's refusal. */
function target(ctx: SpecContext): Target | EmuResponse {
  const store = moduleOf(ctx);
  if (store === undefined) return error(400, 'INVALID_MODULE', MSG.invalidModule, { param_name: 'module_api_name' });
  const id = ctx.params['record_id'] ?? '';
  const record = store.records.get(id);
  if (record === undefined) return error(400, 'ENTITY_ID_INVALID', 'the record id given seems to be invalid', { param_name: 'record_id', id });
  return { store, record };
}

function ownerOf(record: CrmRecord): string | undefined {
  const owner = record['Owner'];
  return isObject(owner) && owner['id'] !== undefined ? String(owner['id']) : undefined;
}

/** A user can be given access when active and confirmed (Zoho's conditions for sharing). */
function shareable(ctx: SpecContext, userId: string): boolean {
  const u = ctx.state.user(userId);
  return u !== undefined && u['status'] === 'active' && u['confirm'] !== false;
}

function view(ctx: SpecContext, { store, record }: Target, s: Share): Record<string, unknown> {
  const user = ctx.state.userRef(s.user);
  return {
    shared_with: user,
    user,
    permission: s.permission,
    share_related_records: s.share_related_records,
    shared_time: s.shared_time,
    shared_by: s.shared_by,
    shared_through: { module: { name: store.def.meta.module_name, api_name: store.name, id: store.def.meta.id }, id: record.id, entity_name: ctx.state.displayName(store, record) },
    type: 'private',
  };
}

const list: SpecHandler = (ctx) => {
  const t = target(ctx);
  if (!('record' in t)) return t;
  const shares = ctx.state.shares.of(t.record.id);
  const only = ctx.req.query['sharedTo'];
  const shown = only === undefined ? shares : shares.filter((s) => s.user === only);
  const owner = ownerOf(t.record);
  const others = ctx.state.directory.users
    .map((u) => String(u['id']))
    .filter((id) => id !== owner && shareable(ctx, id) && !shares.some((s) => s.user === id))
    .map((id) => ctx.state.userRef(id));
  return reply(ctx, { share: shown.map((s) => view(ctx, t, s)), shareable_user: others });
};

/** A share item checked, or why it is refused (`$.share[i]`). */
function shareOf(ctx: SpecContext, t: Target, raw: unknown, i: number): Share | ItemResult {
  const path = `$.share[${i}]`;
  const input = isObj(raw) ? raw : {};
  const user = input['user'] ?? input['shared_with'];
  const userId = isObject(user) && user['id'] !== undefined && user['id'] !== null ? String(user['id']) : undefined;
  if (userId === undefined) return errorBody('MANDATORY_NOT_FOUND', MSG.mandatory, { api_name: 'user', json_path: `${path}.user` });
  if (!shareable(ctx, userId)) {
    return errorBody('INVALID_DATA', 'the user given is not an active, confirmed user of the org', { api_name: 'user', id: userId, json_path: `${path}.user` });
  }
  if (userId === ownerOf(t.record)) {
    return errorBody('INVALID_DATA', 'the record cannot be shared with its owner, who already has access', { api_name: 'user', id: userId, json_path: `${path}.user` });
  }
  const permission = input['permission'];
  if (permission === undefined || permission === null) return errorBody('MANDATORY_NOT_FOUND', MSG.mandatory, { api_name: 'permission', json_path: `${path}.permission` });
  if (typeof permission !== 'string' || !(SHARE_PERMISSIONS as readonly string[]).includes(permission)) {
    return errorBody('INVALID_DATA', `permission must be one of ${SHARE_PERMISSIONS.join(', ')}`, { api_name: 'permission', json_path: `${path}.permission` });
  }
  const related = input['share_related_records'];
  return {
    user: userId,
    permission: permission as SharePermission,
    share_related_records: related === true,
    shared_time: ctx.state.nowString(),
    shared_by: ctx.state.userRef(ctx.req.userId),
  };
}

function items(ctx: SpecContext): unknown[] {
  const body = ctx.req.json;
  return isObj(body) && Array.isArray(body['share']) ? body['share'] : [];
}

/** POST adds to the shares; PUT replaces them (the users it leaves out lose access). */
function write(replace: boolean): SpecHandler {
  return (ctx) => {
    const t = target(ctx);
    if (!('record' in t)) return t;
    const before = ctx.state.shares.of(t.record.id);
    const next: Share[] = replace ? [] : [...before];
    const results = items(ctx).map((raw, i): ItemResult => {
      const share = shareOf(ctx, t, raw, i);
      if ('status' in share) return share;
      const existing = next.findIndex((s) => s.user === share.user);
      if (existing >= 0) {
        return errorBody('DUPLICATE_DATA', 'the record is already shared with this user', { api_name: 'user', id: share.user, json_path: `$.share[${i}].user` });
      }
      if (next.length >= MAX_SHARED_USERS) return errorBody('SHARE_LIMIT_EXCEEDED', `a record can be shared with at most ${MAX_SHARED_USERS} users`, { json_path: `$.share[${i}]` });
      // An update keeps when the user was first given access.
      const kept = before.find((s) => s.user === share.user);
      next.push(kept === undefined ? share : { ...share, shared_time: kept.shared_time, shared_by: kept.shared_by });
      return success(replace ? 'sharing permissions updated successfully' : 'record shared successfully', { id: t.record.id });
    });
    if (results.some((r) => r.status === 'success') || (replace && results.length === 0)) ctx.state.shares.set(t.record.id, next);
    return writeReply(ctx, results);
  };
}

const revoke: SpecHandler = (ctx) => {
  const t = target(ctx);
  if (!('record' in t)) return t;
  ctx.state.shares.set(t.record.id, []);
  return reply(ctx, { share: success('sharing revoked successfully', { id: t.record.id }) });
};

export const SHARE_BEHAVIOURS: [string, SpecHandler][] = [
  ['share_records/Get Shared Record Details', list],
  ['share_records/Share Record', write(false)],
  ['share_records/Update Share Permissions', write(true)],
  ['share_records/Revoke Shared Record', revoke],
];
