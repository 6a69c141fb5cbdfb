/**
 * Metadata routes (wire spec §8, §9.3): `/settings/{modules,fields,layouts,custom_views,related_lists,roles,
 * profiles,tags}`, `/users` and `/org`. Wrapper keys are the resource names, not `data`.
 */
import type { CrmRequest, EmuResponse } from '../http-types.js';
import { filterUsers } from './seed-adapter.js';
import {
  error,
  errorBody,
  invalidData,
  invalidMethod,
  invalidUrl,
  json,
  MSG,
  noContent,
  paramMissing,
  patternNotMatched,
  success,
  type ItemResult,
} from './responses.js';
import { paging } from './query.js';
import { isResponse } from './records.js';
import { covers } from './scopes.js';
import { isObject, type CrmState } from './state.js';
import type { ModuleStore, TagEntry } from './store-types.js';
import { shapeReply } from './versions.js';
import { systemModuleFields } from '../seed/modules.js';
import type { FieldMeta } from '../seed/types.js';

const scopeMismatch = (): EmuResponse => error(401, 'OAUTH_SCOPE_MISMATCH', MSG.scopeMismatch);
const MAX_SETTINGS_TAGS = 50;

function moduleParam(state: CrmState, req: CrmRequest): ModuleStore | EmuResponse {
  const name = req.query['module'];
  if (name === undefined || name === '') return paramMissing('module');
  const store = state.store(name);
  if (store === undefined) return error(400, 'INVALID_MODULE', MSG.invalidModule);
  return store;
}

/** The id of a module by API name (for v8's `{api_name, id}` module objects), or null. */
function moduleIdOf(state: CrmState, name: unknown): string | null {
  const target = typeof name === 'string' ? state.store(name) : undefined;
  return target === undefined ? null : String(target.def.meta.id);
}

function byId(list: Record<string, unknown>[], id: string | undefined, key: string): EmuResponse {
  if (id === undefined) return json(200, { [key]: list });
  const hit = list.find((x) => String(x['id']) === id);
  return hit === undefined ? noContent() : json(200, { [key]: [hit] });
}

/** The fields of a system module without a store (record locks), made once per state so their ids stay put. */
function systemFields(state: CrmState, name: string | undefined): FieldMeta[] | undefined {
  if (name === undefined || state.store(name) !== undefined) return undefined;
  const known = state.spec.table<Record<string, FieldMeta[]>>('system_module_fields', () => ({}));
  const key = name.toLowerCase();
  const made = known[key] ?? systemModuleFields({ next: () => state.nextId() }, name);
  if (made !== undefined) known[key] = made;
  return made;
}

export function settingsRoutes(state: CrmState, req: CrmRequest, rest: string[]): EmuResponse {
  const [area, id, action, actionName] = rest;
  if (area === undefined) return invalidUrl();
  const lower = area.toLowerCase();
  const write = req.method !== 'GET';
  const known = ['modules', 'fields', 'layouts', 'custom_views', 'related_lists', 'roles', 'profiles', 'tags'];
  if (!known.includes(lower)) return invalidUrl();
  if (!covers(req.scopes, { kind: 'settings', area: lower, write })) return scopeMismatch();
  if (lower === 'tags') return tagsRoute(state, req, id, action, actionName);
  if (action !== undefined) return invalidUrl();
  const editable = lower === 'custom_views' && req.method === 'PUT' && id !== undefined;
  if (req.method !== 'GET' && !editable) return invalidMethod();
  switch (lower) {
    case 'modules': {
      const all = [...state.stores().map((s) => s.def.meta), ...state.seedData.nonApiModules];
      if (id === undefined) return json(200, { modules: all });
      const hit = all.find((m) => m.api_name.toLowerCase() === id.toLowerCase());
      return hit === undefined ? error(400, 'INVALID_MODULE', MSG.invalidModule) : json(200, { modules: [hit] });
    }
    case 'roles':
      return byId(state.seedData.roles, id, 'roles');
    case 'profiles':
      return byId(state.seedData.profiles, id, 'profiles');
  }
  if (lower === 'fields') {
    const system = systemFields(state, req.query['module']);
    if (system !== undefined) return byId(system.map((f) => shapeReply('settings.fields', req.version, f, { moduleId: () => null })), id, 'fields');
  }
  const store = moduleParam(state, req);
  if (isResponse(store)) return store;
  switch (lower) {
    case 'fields': {
      const type = req.query['type']?.toLowerCase();
      if (type !== undefined && type !== 'all' && type !== 'unused') return patternNotMatched('type');
      const list = type === 'unused' ? store.def.fields.filter((f) => f.visible === false) : store.def.fields;
      const first = store.def.layouts[0];
      const layout = first === undefined ? undefined : { id: String(first['id']), name: String(first['name']) };
      const context = { layout, moduleId: (name: unknown) => moduleIdOf(state, name) };
      return byId(list.map((f) => shapeReply('settings.fields', req.version, f, context)), id, 'fields');
    }
    case 'layouts':
      return byId(store.def.layouts, id, 'layouts');
    case 'related_lists': {
      const moduleId = (name: unknown): string | null => moduleIdOf(state, name);
      const shaped = store.def.relatedLists.map((rl) => shapeReply('settings.related_lists', req.version, rl, { moduleId }));
      return byId(shaped, id, 'related_lists');
    }
    default:
      return customViews(state, store, req, id);
  }
}

function customViews(state: CrmState, store: ModuleStore, req: CrmRequest, id: string | undefined): EmuResponse {
  const views = store.def.customViews;
  if (req.method === 'PUT' && id !== undefined) {
    const cv = views.find((v) => String(v['id']) === id);
    if (cv === undefined) return invalidData({ id }, MSG.invalidId);
    const body = req.json;
    const list = isObject(body) ? body['custom_views'] : undefined;
    const first: unknown = Array.isArray(list) ? list[0] : undefined;
    if (!isObject(first)) return invalidData();
    const settings = isObject(first['settings']) ? first['settings'] : first;
    const sortBy = settings['sort_by'];
    if (sortBy !== undefined && sortBy !== null && (typeof sortBy !== 'string' || (sortBy !== 'id' && !store.fields.has(sortBy)))) {
      return json(400, { custom_views: [errorBody('INVALID_DATA', MSG.invalidData, { api_name: 'sort_by' })] });
    }
    const order = settings['sort_order'];
    if (order !== undefined && order !== null && order !== 'asc' && order !== 'desc') {
      return json(400, { custom_views: [errorBody('INVALID_DATA', MSG.invalidData, { api_name: 'sort_order' })] });
    }
    for (const [k, v] of Object.entries(settings)) if (k !== 'id') cv[k] = v;
    return json(200, { custom_views: [success('custom view updated successfully', { id })] });
  }
  if (id !== undefined) return byId(views, id, 'custom_views');
  const p = paging(req);
  if (isResponse(p)) return p;
  const items = views.slice(p.offset, p.offset + p.perPage);
  const def = views.find((v) => v['default'] === true) ?? views[0];
  return json(200, {
    custom_views: items,
    info: {
      per_page: p.perPage,
      count: items.length,
      page: p.page,
      default: def === undefined ? null : String(def['id']),
      more_records: views.length > p.offset + p.perPage,
      translation: { public_views: 'Public Views', other_users_views: 'Other Users Views', shared_with_me: 'Shared With Me', created_by_me: 'Created By Me' },
    },
  });
}

// ---------------------------------------------------------------- tags

function tagsRoute(state: CrmState, req: CrmRequest, id: string | undefined, action: string | undefined, actionName: string | undefined): EmuResponse {
  const moduleName = req.query['module'];
  const storeOrErr = moduleName === undefined ? undefined : moduleParam(state, req);
  if (isResponse(storeOrErr)) return storeOrErr;
  // Tag ids are unique across modules, so /settings/tags/{id} works without `module`.
  const find = (tagId: string): { module: string; tag: TagEntry } | undefined => state.tags.find(tagId);
  if (action !== undefined) {
    if (action.toLowerCase() !== 'actions' || id === undefined) return invalidUrl();
    const hit = find(id);
    if (actionName === 'records_count' && req.method === 'GET') {
      if (hit === undefined) return invalidData({ id }, MSG.invalidId);
      const store = state.store(hit.module);
      let count = 0;
      for (const r of store?.records.values() ?? []) if (Array.isArray(r['Tag']) && r['Tag'].some((t) => isObject(t) && t['id'] === id)) count += 1;
      return json(200, { count: String(count) });
    }
    if (actionName === 'merge' && req.method === 'POST') {
      if (hit === undefined) return invalidData({ id }, MSG.invalidId);
      const body = req.json;
      const list = isObject(body) && Array.isArray(body['tags']) ? body['tags'] : [];
      const conflict = isObject(list[0]) ? String(list[0]['conflict_id'] ?? '') : '';
      const other = find(conflict);
      if (other === undefined) return invalidData({ id: conflict }, MSG.invalidId);
      // Records tagged with `id` get the conflict tag instead, and `id` disappears.
      renameOnRecords(state, hit.module, id, other.tag);
      state.tags.delete(hit.module, hit.tag);
      return json(200, { tags: [success('tags merged successfully', { id: other.tag.id })] });
    }
    return invalidUrl();
  }
  switch (req.method) {
    case 'GET': {
      if (id !== undefined) {
        const hit = find(id);
        return hit === undefined ? noContent() : json(200, { tags: [hit.tag] });
      }
      if (storeOrErr === undefined) return paramMissing('module');
      const tags = [...state.tags.ofModule(storeOrErr.name).values()];
      return json(200, { tags, info: { count: tags.length, allowed_count: 100 } });
    }
    case 'POST': {
      if (id !== undefined) return invalidMethod();
      if (storeOrErr === undefined) return paramMissing('module');
      const list = tagList(req);
      if (isResponse(list)) return list;
      const existing = state.tags.ofModule(storeOrErr.name);
      const items: ItemResult[] = list.map((t) => {
        const name = isObject(t) && typeof t['name'] === 'string' ? t['name'].trim() : '';
        if (name === '') return errorBody('MANDATORY_NOT_FOUND', MSG.mandatory, { api_name: 'name' });
        if (existing.has(name.toLowerCase())) return errorBody('DUPLICATE_DATA', MSG.duplicate, { api_name: 'name', id: existing.get(name.toLowerCase())?.id });
        const tag = state.tags.create(storeOrErr.name, name, req.userId);
        return success('tags created successfully', { ...tag });
      });
      return json(items.every((i) => i.status === 'success') ? 201 : 400, { tags: items });
    }
    case 'PUT': {
      const list = tagList(req);
      if (isResponse(list)) return list;
      const items: ItemResult[] = list.map((t) => {
        const tagId = id ?? (isObject(t) ? String(t['id'] ?? '') : '');
        const hit = find(tagId);
        const name = isObject(t) && typeof t['name'] === 'string' ? t['name'].trim() : '';
        if (hit === undefined) return errorBody('INVALID_DATA', MSG.invalidId, { id: tagId });
        if (name === '') return errorBody('MANDATORY_NOT_FOUND', MSG.mandatory, { api_name: 'name' });
        state.tags.rename(hit.module, hit.tag, name, req.userId);
        renameOnRecords(state, hit.module, hit.tag.id, hit.tag);
        return success('tags updated successfully', { ...hit.tag });
      });
      return json(items.every((i) => i.status === 'success') ? 200 : 400, { tags: items });
    }
    case 'DELETE': {
      if (id === undefined) return paramMissing('id');
      const hit = find(id);
      if (hit === undefined) return invalidData({ id }, MSG.invalidId);
      deleteTag(state, hit.module, hit.tag);
      return json(200, { tags: [success('tags deleted successfully', { id })] });
    }
    default:
      return invalidMethod();
  }
}

function tagList(req: CrmRequest): unknown[] | EmuResponse {
  const body = req.json;
  const list = isObject(body) ? body['tags'] : undefined;
  if (!Array.isArray(list) || list.length === 0) return invalidData();
  if (list.length > MAX_SETTINGS_TAGS) return error(400, 'LIMIT_EXCEEDED', MSG.limitExceeded, { limit: MAX_SETTINGS_TAGS });
  return list;
}

/** Deletes a module's tag and takes it off every record of the module (the tag route's DELETE and the mass delete job). */
export function deleteTag(state: CrmState, module: string, tag: TagEntry): void {
  state.tags.delete(module, tag);
  renameOnRecords(state, module, tag.id, undefined);
}

/** Replaces (or, without `to`, removes) tag `fromId` on every record of the module. */
function renameOnRecords(state: CrmState, module: string, fromId: string, to: TagEntry | undefined): void {
  const store = state.store(module);
  if (store === undefined) return;
  for (const r of store.records.values()) {
    const tags = r['Tag'];
    if (!Array.isArray(tags) || !tags.some((t) => isObject(t) && t['id'] === fromId)) continue;
    const next: { name: string; id: string }[] = [];
    for (const t of tags as { name: string; id: string }[]) {
      const mapped = t.id === fromId ? (to === undefined ? undefined : { name: to.name, id: to.id }) : t;
      if (mapped !== undefined && !next.some((n) => n.id === mapped.id)) next.push(mapped);
    }
    state.recordStore.setSystem(store, r, { Tag: next });
  }
}

// ---------------------------------------------------------------- users and org

export function usersRoute(state: CrmState, req: CrmRequest, id: string | undefined): EmuResponse {
  if (!covers(req.scopes, { kind: 'users', write: req.method !== 'GET' })) return scopeMismatch();
  if (req.method !== 'GET') return writeUsers(state, req, id);
  if (id !== undefined) {
    if (!/^\d+$/.test(id)) return invalidUrl();
    const u = state.user(id);
    return u === undefined ? noContent() : json(200, { users: [shapeReply('users', req.version, u)] });
  }
  const type = req.query['type'];
  const list = type === undefined ? filterUsers(state.seedData.users, 'AllUsers', state.currentUserId) : filterUsers(state.seedData.users, type, req.userId);
  if (list === undefined) return invalidData({ param_name: 'type' });
  const p = paging(req);
  if (isResponse(p)) return p;
  const items = list.slice(p.offset, p.offset + p.perPage);
  if (items.length === 0) return noContent();
  return json(200, { users: items.map((u) => shapeReply('users', req.version, u)), info: { per_page: p.perPage, count: items.length, page: p.page, more_records: list.length > p.offset + p.perPage } });
}

/** `GET /users/actions/count[?type=]` (v3+ Users Count): `{"count": N}` of the users the type selects. */
export function usersCount(state: CrmState, req: CrmRequest): EmuResponse {
  if (!covers(req.scopes, { kind: 'users', write: false })) return scopeMismatch();
  if (req.method !== 'GET') return invalidMethod();
  const type = req.query['type'] ?? 'AllUsers';
  const list = filterUsers(state.seedData.users, type, req.userId);
  if (list === undefined) return invalidData({ param_name: 'type' });
  return json(200, { count: list.length });
}

export function orgRoute(state: CrmState, req: CrmRequest, rest: string[]): EmuResponse {
  if (!covers(req.scopes, { kind: 'org', write: req.method !== 'GET' })) return scopeMismatch();
  if (rest.length > 0) return invalidUrl();
  if (req.method !== 'GET') return invalidMethod();
  // The org was created with its first (admin) user.
  const createdTime = state.seedData.users[0]?.['created_time'];
  const context = typeof createdTime === 'string' ? { createdTime } : {};
  return json(200, { org: [shapeReply('org', req.version, state.seedData.org, context)] });
}

/** POST/PUT/DELETE on `/users` (body `{"users":[…]}`), answered in the `users` wrapper. */
function writeUsers(state: CrmState, req: CrmRequest, id: string | undefined): EmuResponse {
  const users = state.directory;
  if (req.method === 'DELETE') {
    if (id === undefined) return invalidMethod();
    if (users.user(id) === undefined) return invalidData({ id }, MSG.invalidId);
    if (id === state.currentUserId) return error(400, 'CANNOT_DELETE', 'cannot delete the current user', { id });
    users.deleteUser(id);
    return json(200, { users: [success('User deleted', { id })] });
  }
  if (req.method !== 'POST' && req.method !== 'PUT') return invalidMethod();
  if (req.method === 'POST' && id !== undefined) return invalidMethod();
  const list = isObject(req.json) ? req.json['users'] : undefined;
  if (req.invalidBody || !Array.isArray(list) || list.length === 0) return invalidData();
  const items: ItemResult[] = list.map((raw) => {
    if (!isObject(raw)) return errorBody('INVALID_DATA', MSG.invalidData, {});
    if (req.method === 'POST') {
      for (const key of ['last_name', 'email', 'role', 'profile']) {
        if (raw[key] === undefined || raw[key] === null || raw[key] === '') return errorBody('MANDATORY_NOT_FOUND', MSG.mandatory, { api_name: key });
      }
      if (users.userByEmail(String(raw['email'])) !== undefined) {
        return errorBody('DUPLICATE_DATA', MSG.duplicate, { api_name: 'email' });
      }
      const newId = state.nextId();
      const first = typeof raw['first_name'] === 'string' ? raw['first_name'] : '';
      const full = `${first} ${String(raw['last_name'])}`.trim();
      users.addUser({ ...raw, id: newId, full_name: full, name: full, status: 'active', confirm: false, zuid: null });
      return success('User added', { id: newId });
    }
    const userId = id ?? String(raw['id'] ?? '');
    if (!users.updateUser(userId, raw)) return errorBody('INVALID_DATA', MSG.invalidId, { id: userId });
    return success('User updated', { id: userId });
  });
  const ok = items.filter((i) => i.status === 'success').length;
  const status = ok === items.length ? (req.method === 'POST' ? 201 : 200) : ok === 0 ? 400 : 207;
  return json(status, { users: items });
}
