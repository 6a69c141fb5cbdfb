/**
 * Tag mass delete (`POST /settings/tags/actions/mass_delete`): up to 200 tags of one module, named by id, are
 * deleted and taken off the module's records (../settings.ts deleteTag, as one tag's DELETE does). Zoho runs it
 * as a job: the reply is 202 `{code: SCHEDULED, details: {job_id}}`, and `GET …?job_id=` reports
 * `{mass_delete: [{job_id, total_count, deleted_count, failed_count, status}]}`. The emulator's job runs at
 * once; a tag the module does not have counts as failed.
 */
import type { EmuResponse } from '../../http-types.js';
import { isResponse } from '../records.js';
import { error, MSG } from '../responses.js';
import { deleteTag } from '../settings.js';
import type { CrmState } from '../state.js';
import type { ModuleStore } from '../store-types.js';
import { isObj, type SpecHandler } from './context.js';

/** Zoho's limit of tags per mass-delete call. */
export const MAX_MASS_DELETE_TAGS = 200;

const at = (index: number, key: string): string => `$.mass_delete[${index}].${key}`;

/**
 * The module an entry names by `api_name` (required: the request validator refuses an entry without it), and by
 * `id` too when given, which must be the same module.
 */
function moduleOf(state: CrmState, raw: unknown, index: number): ModuleStore | EmuResponse {
  const m = isObj(raw) ? raw : {};
  const store = state.store(String(m['api_name'] ?? ''));
  if (store === undefined) return error(400, 'INVALID_DATA', MSG.invalidData, { api_name: 'api_name', json_path: at(index, 'module.api_name') });
  const id = m['id'];
  if (id !== undefined && id !== null && String(id) !== String(store.def.meta.id)) {
    return error(400, 'AMBIGUITY_DURING_PROCESSING', 'the module id and api_name name different modules', {
      ambiguity_due_to: [{ api_name: 'id', json_path: at(index, 'module.id') }, { api_name: 'api_name', json_path: at(index, 'module.api_name') }],
    });
  }
  return store;
}

const massDeleteTags: SpecHandler = ({ state, req }) => {
  const list = isObj(req.json) ? req.json['mass_delete'] : undefined;
  if (!Array.isArray(list) || list.length === 0) return error(400, 'MANDATORY_NOT_FOUND', MSG.mandatory, { api_name: 'mass_delete', json_path: '$.mass_delete' });
  // One module a call, as Zoho documents.
  if (list.length > 1) return error(400, 'NOT_ALLOWED', 'tags of one module can be deleted per call', { api_name: 'mass_delete', json_path: '$.mass_delete[1]' });
  const entry = isObj(list[0]) ? list[0] : {};
  const store = moduleOf(state, entry['module'], 0);
  if (isResponse(store)) return store;
  const tags = entry['tags'];
  if (!Array.isArray(tags) || tags.length === 0) return error(400, 'MANDATORY_NOT_FOUND', MSG.mandatory, { api_name: 'tags', json_path: at(0, 'tags') });
  if (tags.length > MAX_MASS_DELETE_TAGS) return error(400, 'INVALID_DATA', MSG.limitExceeded, { api_name: 'tags', json_path: at(0, 'tags'), maximum_length: MAX_MASS_DELETE_TAGS });
  const ids = [...new Set(tags.map((t) => (isObj(t) ? String(t['id'] ?? '') : String(t))))];
  let deleted = 0;
  for (const id of ids) {
    const hit = state.tags.find(id);
    if (hit === undefined || hit.module !== store.name) continue;
    deleteTag(state, hit.module, hit.tag);
    deleted += 1;
  }
  const job = state.massDeleteTagsJobs.add({ job_id: state.nextId(), total_count: ids.length, deleted_count: deleted, failed_count: ids.length - deleted, status: 'COMPLETED' });
  return { status: 202, json: { code: 'SCHEDULED', details: { job_id: job.job_id }, message: 'mass delete of tags scheduled', status: 'success' } };
};

const jobStatus: SpecHandler = ({ state, req }) => {
  const id = req.query['job_id'] ?? '';
  const job = state.massDeleteTagsJobs.get(id);
  if (job === undefined) return error(400, 'INVALID_DATA', MSG.invalidId, { job_id: id });
  return { status: 200, json: { mass_delete: [job] } };
};

export const TAG_MASS_DELETE_BEHAVIOURS: [string, SpecHandler][] = [
  ['mass_delete_tags/Mass Delete Tags', massDeleteTags],
  ['mass_delete_tags/Get Status', jobStatus],
];
