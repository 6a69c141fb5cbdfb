/**
 * Related records count (`POST /crm/v8/{module}/{id}/actions/get_related_records_count`, an area of our overlay):
 * for each related list asked for, how many records of the related list the record has (../related.ts), as
 * `{ count, related_list }` in the order asked; a list the module does not have is an INVALID_DATA item.
 */
import { relatedRecords, resolveRelation } from '../related.js';
import { error, errorBody, MSG } from '../responses.js';
import { isObj, type SpecHandler } from './context.js';

const KEY = 'get_related_records_count';

const countRelated: SpecHandler = ({ state, req, params }) => {
  const store = state.store(params['module'] ?? '');
  if (store === undefined) return error(400, 'INVALID_MODULE', MSG.invalidModule, { api_name: params['module'] ?? '' });
  const id = params['id'] ?? '';
  if (!store.records.has(id)) return error(400, 'INVALID_DATA', MSG.invalidId, { id });
  const asked = isObj(req.json) && Array.isArray(req.json[KEY]) ? (req.json[KEY] as unknown[]) : [];
  if (asked.length === 0) return error(400, 'MANDATORY_NOT_FOUND', MSG.mandatory, { api_name: KEY, json_path: `$.${KEY}` });
  let failed = 0;
  const items = asked.map((item, i) => {
    const list = isObj(item) && isObj(item['related_list']) ? item['related_list'] : undefined;
    const name = typeof list?.['api_name'] === 'string' ? list['api_name'] : undefined;
    const relation = name === undefined ? undefined : resolveRelation(state, store, name);
    if (list === undefined || relation === undefined) {
      failed += 1;
      return errorBody('INVALID_DATA', MSG.invalidData, { api_name: 'api_name', json_path: `$.${KEY}[${i}].related_list.api_name` });
    }
    const entry = store.def.relatedLists.find((r) => String(r['api_name']) === relation.apiName);
    const listRef = { api_name: relation.apiName, id: String(entry?.['id'] ?? list['id'] ?? '') };
    return { count: relatedRecords(state, id, relation).length, related_list: listRef };
  });
  const status = failed === 0 ? 200 : failed === items.length ? 400 : 207;
  return { status, json: { [KEY]: items } };
};

export const RELATED_COUNT_BEHAVIOURS: [string, SpecHandler][] = [['get_related_records_count/Get Related Records Count', countRelated]];
