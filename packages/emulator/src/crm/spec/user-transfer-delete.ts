/**
 * Transfer and delete users (`POST /users/{id}/actions/transfer_and_delete`, `POST /users/actions/transfer_and_delete`):
 * the user's records go to `transfer.id` (unless `transfer.records` is false), the users reporting to them
 * report to `move_subordinate.id`, and the user ends up deleted (status `deleted`, as Zoho lists them under
 * DeletedUsers). The work is done at once; the reply names a job (`details.jobId`) whose status
 * `GET /users/actions/transfer_and_delete?job_id=` reads back as `completed`.
 */
import { error, errorBody, MSG, success, type ItemResult } from '../responses.js';
import { isObj, newId, reply, type SpecContext, type SpecHandler } from './context.js';
import { bodyItems, writeReply } from './generic.js';

const ENVELOPE = 'transfer_and_delete';

function jobs(ctx: SpecContext): Record<string, { status: string }> {
  return ctx.store.table<Record<string, { status: string }>>('userTransferJobs', () => ({}));
}

function refId(value: unknown): string | undefined {
  if (!isObj(value)) return undefined;
  const id = value['id'];
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
}

/** An active user other than `not`, else undefined. */
function activeUser(ctx: SpecContext, id: string | undefined, not: string): Record<string, unknown> | undefined {
  const u = id === undefined || id === not ? undefined : ctx.state.user(id);
  return u !== undefined && u['status'] === 'active' ? u : undefined;
}

function transferAndDelete(ctx: SpecContext, userId: string | undefined, entry: unknown, i: number): ItemResult {
  const at = (field: string): string => `$.${ENVELOPE}[${i}].${field}`;
  if (userId === undefined) return errorBody('MANDATORY_NOT_FOUND', MSG.mandatory, { api_name: 'id', json_path: at('id') });
  const user = ctx.state.user(userId);
  if (user === undefined || user['status'] === 'deleted' || userId === ctx.state.currentUserId) return errorBody('INVALID_DATA', MSG.invalidId, { id: userId, json_path: at('id') });
  const transfer = isObj(entry) ? entry['transfer'] : undefined;
  const to = refId(transfer);
  if (to === undefined) return errorBody('MANDATORY_NOT_FOUND', MSG.mandatory, { api_name: 'transfer', json_path: at('transfer.id') });
  if (activeUser(ctx, to, userId) === undefined) return errorBody('INVALID_DATA', MSG.invalidId, { id: to, json_path: at('transfer.id') });
  const moveTo = refId(isObj(entry) ? entry['move_subordinate'] : undefined);
  if (moveTo !== undefined && activeUser(ctx, moveTo, userId) === undefined) return errorBody('INVALID_DATA', MSG.invalidId, { id: moveTo, json_path: at('move_subordinate.id') });

  if (isObj(transfer) && transfer['records'] !== false) {
    for (const store of ctx.state.stores()) {
      for (const record of store.records.values()) {
        if (refId(record['Owner']) !== userId) continue;
        record['Owner'] = ctx.state.userRef(to);
        ctx.state.touch(store, record, ctx.req.userId);
      }
    }
  }
  if (moveTo !== undefined) {
    const ref = ctx.state.userRef(moveTo, false);
    for (const u of ctx.state.directory.users) if (refId(u['Reporting_To']) === userId) u['Reporting_To'] = { name: ref.name, id: ref.id };
  }
  user['status'] = 'deleted';
  const jobId = newId(ctx.state);
  jobs(ctx)[jobId] = { status: 'completed' };
  return success('User deleted', { id: userId, jobId });
}

const one: SpecHandler = (ctx) => {
  const { list } = bodyItems(ctx);
  if (list.length === 0) return error(400, 'MANDATORY_NOT_FOUND', MSG.mandatory, { api_name: ENVELOPE, json_path: `$.${ENVELOPE}` });
  return writeReply(ctx, [transferAndDelete(ctx, ctx.params['id'], list[0], 0)]);
};

const many: SpecHandler = (ctx) => {
  const { list } = bodyItems(ctx);
  if (list.length === 0) return error(400, 'MANDATORY_NOT_FOUND', MSG.mandatory, { api_name: ENVELOPE, json_path: `$.${ENVELOPE}` });
  return writeReply(ctx, list.map((entry, i) => transferAndDelete(ctx, isObj(entry) ? refId(entry) : undefined, entry, i)));
};

const status: SpecHandler = (ctx) => {
  const id = ctx.req.query['job_id'] ?? '';
  const job = jobs(ctx)[id];
  if (job === undefined) return error(400, 'INVALID_DATA', MSG.invalidId, { param_name: 'job_id', id });
  return reply(ctx, { [ENVELOPE]: [job] });
};

/** The users_transfer_delete operations, by operation key. */
export const USER_TRANSFER_DELETE_BEHAVIOURS: readonly [string, SpecHandler][] = [
  ['users_transfer_delete/Users Transfer and Delete', many],
  ['users_transfer_delete/User Transfer and Delete', one],
  ['users_transfer_delete/Get Status', status],
];
