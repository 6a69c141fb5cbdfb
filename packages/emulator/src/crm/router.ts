/**
 * Dispatches a parsed CRM request to its route. v8 goes through the spec router (./spec/dispatch.ts: the
 * route table derived from Zoho's OAS, validation, behaviours, generic collections), which hands the
 * operations served here back to `route`; v2–v7 come straight here: unknown path shapes →
 * INVALID_URL_PATTERN (404), a known path with the wrong method → INVALID_REQUEST_METHOD, an unknown module
 * → INVALID_MODULE, and each route's scope checked before it runs (401 OAUTH_SCOPE_MISMATCH).
 */
import type { CrmRequest, EmuResponse } from '../http-types.js';
import { bulkRoutes } from './bulk.js';
import { uploadRoute } from './bulk-write.js';
import { coqlRoute } from './coql-route.js';
import { compositeRoute } from './composite.js';
import { deleteAttachments, downloadAttachment, listAttachments, photoRoute, uploadAttachment } from './files.js';
import { functionsRoute } from './functions.js';
import {
  convertLead,
  countRecords,
  deletedRecords,
  deleteRecords,
  getRecord,
  insertRecords,
  listRecords,
  massUpdate,
  searchRecords,
  tagRecords,
  updateRecords,
  upsertRecords,
} from './records.js';
import { relatedRoute, resolveRelation } from './related.js';
import { error, invalidMethod, invalidUrl, MSG, SUPPORTED_VERSIONS } from './responses.js';
import { covers } from './scopes.js';
import { specRoute } from './spec/dispatch.js';
import { orgRoute, settingsRoutes, usersCount, usersRoute } from './settings.js';
import type { CrmState } from './state.js';
import type { ModuleStore } from './store-types.js';

const ID = /^\d+$/;

export async function handleCrm(state: CrmState, req: CrmRequest): Promise<EmuResponse> {
  if (!SUPPORTED_VERSIONS.has(req.version)) return invalidUrl();
  try {
    return req.version === 'v8' ? await specRoute(state, req, route) : await route(state, req);
  } catch {
    return error(500, 'INTERNAL_ERROR', MSG.internal);
  }
}

async function route(state: CrmState, req: CrmRequest): Promise<EmuResponse> {
  if (req.space === 'email') return invalidUrl();
  if (req.bulk) return bulkRoutes(state, req);
  const [first, ...rest] = req.segments;
  if (first === undefined) return invalidUrl();
  switch (first.toLowerCase()) {
    case 'settings':
      return settingsRoutes(state, req, rest);
    case 'users':
      if (rest.length === 2 && rest[0] === 'actions' && rest[1] === 'count') return usersCount(state, req);
      return rest.length > 1 ? invalidUrl() : usersRoute(state, req, rest[0]);
    case 'org':
      return orgRoute(state, req, rest);
    case 'coql':
      return rest.length > 0 ? invalidUrl() : coqlRoute(state, req);
    case 'functions':
      return functionsRoute(state, req, rest);
    case 'upload':
      return rest.length > 0 ? invalidUrl() : uploadRoute(state, req);
    case '__composite_requests':
      return rest.length > 0 ? invalidUrl() : compositeRoute(state, req, route);
    case 'actions':
      return rest.length === 1 && rest[0] === 'watch' ? state.notifications.route(req) : invalidUrl();
  }
  const store = state.store(first);
  if (store === undefined) {
    const nonApi = state.seedData.nonApiModules.some((m) => m.api_name.toLowerCase() === first.toLowerCase());
    return error(400, 'INVALID_MODULE', nonApi ? MSG.moduleNotSupported : MSG.invalidModule);
  }
  return moduleRoute(state, store, req, rest);
}

type Op = 'READ' | 'CREATE' | 'UPDATE' | 'DELETE';
const OP_OF: Record<string, Op> = { GET: 'READ', POST: 'CREATE', PUT: 'UPDATE', PATCH: 'UPDATE', DELETE: 'DELETE' };

function allowed(req: CrmRequest, module: string, op?: Op): boolean {
  return covers(req.scopes, { kind: 'module', module, op: op ?? OP_OF[req.method] ?? 'READ' });
}

const mismatch = (): EmuResponse => error(401, 'OAUTH_SCOPE_MISMATCH', MSG.scopeMismatch);

function moduleRoute(state: CrmState, store: ModuleStore, req: CrmRequest, rest: string[]): EmuResponse {
  const m = req.method;
  const [second, third, fourth, fifth] = rest;
  if (second === undefined) {
    if (!allowed(req, store.name)) return mismatch();
    switch (m) {
      case 'GET':
        return listRecords(state, store, req);
      case 'POST':
        return insertRecords(state, store, req);
      case 'PUT':
        return updateRecords(state, store, req);
      case 'DELETE':
        return deleteRecords(state, store, req);
      default:
        return invalidMethod();
    }
  }
  const word = second.toLowerCase();
  if (!ID.test(second)) {
    if (rest.length === 1 && (word === 'search' || word === 'deleted')) {
      if (m !== 'GET') return invalidMethod();
      if (!allowed(req, store.name, 'READ')) return mismatch();
      return word === 'search' ? searchRecords(state, store, req) : deletedRecords(state, store, req);
    }
    if (rest.length === 1 && word === 'upsert') {
      if (m !== 'POST') return invalidMethod();
      if (!allowed(req, store.name, 'CREATE') || !allowed(req, store.name, 'UPDATE')) return mismatch();
      return upsertRecords(state, store, req);
    }
    if (rest.length === 2 && word === 'actions' && third === 'count') {
      if (m !== 'GET') return invalidMethod();
      if (!allowed(req, store.name, 'READ')) return mismatch();
      return countRecords(store, req);
    }
    if (rest.length === 2 && word === 'actions' && third === 'mass_update') {
      if (m !== 'POST' && m !== 'GET') return invalidMethod();
      if (!allowed(req, store.name, m === 'GET' ? 'READ' : 'UPDATE')) return mismatch();
      return massUpdate(state, store, req);
    }
    if (rest.length === 2 && word === 'actions' && (third === 'add_tags' || third === 'remove_tags')) {
      if (m !== 'POST') return invalidMethod();
      if (!allowed(req, store.name, 'UPDATE')) return mismatch();
      return tagRecords(state, store, req, third === 'add_tags' ? 'add' : 'remove');
    }
    return invalidUrl();
  }
  const id = second;
  if (third === undefined) {
    if (!allowed(req, store.name)) return mismatch();
    switch (m) {
      case 'GET':
        return getRecord(store, id, req);
      case 'PUT':
        return updateRecords(state, store, req, id);
      case 'DELETE':
        return deleteRecords(state, store, req, id);
      default:
        return invalidMethod();
    }
  }
  const sub = third.toLowerCase();
  if (sub === 'actions') {
    if (fourth === undefined || fifth !== undefined) return invalidUrl();
    if (fourth === 'convert') {
      if (store.name !== 'Leads') return invalidUrl();
      if (m !== 'POST') return invalidMethod();
      if (!allowed(req, 'Leads', 'CREATE')) return mismatch();
      return convertLead(state, store, id, req);
    }
    if (fourth === 'blueprint') {
      if (!allowed(req, store.name, m === 'GET' ? 'READ' : 'UPDATE')) return mismatch();
      return state.process.blueprintRoute(store, id, req);
    }
    if (fourth === 'merge') {
      if (!allowed(req, store.name, 'UPDATE') || !allowed(req, store.name, 'DELETE')) return mismatch();
      return state.process.mergeRoute(store, id, req);
    }
    if (fourth === 'send_mail') {
      if (!allowed(req, store.name, 'READ')) return mismatch();
      return state.process.sendMailRoute(store, id, req);
    }
    if (fourth === 'add_tags' || fourth === 'remove_tags') {
      if (m !== 'POST') return invalidMethod();
      if (!allowed(req, store.name, 'UPDATE')) return mismatch();
      return tagRecords(state, store, req, fourth === 'add_tags' ? 'add' : 'remove', id);
    }
    return invalidUrl();
  }
  if (sub === 'photo') {
    if (fourth !== undefined) return invalidUrl();
    if (!allowed(req, store.name)) return mismatch();
    return photoRoute(state, store, id, req);
  }
  if (sub === 'attachments') {
    if (fifth !== undefined) return invalidUrl();
    const op = OP_OF[m] ?? 'READ';
    if (!allowed(req, store.name, op === 'CREATE' || op === 'DELETE' ? 'UPDATE' : op) && !covers(req.scopes, { kind: 'module', module: 'attachments', op })) {
      return mismatch();
    }
    if (fourth === undefined) {
      switch (m) {
        case 'GET':
          return listAttachments(state, store, id, req);
        case 'POST':
          return uploadAttachment(state, store, id, req);
        case 'DELETE':
          return deleteAttachments(state, store, id, req);
        default:
          return invalidMethod();
      }
    }
    switch (m) {
      case 'GET':
        return downloadAttachment(state, store, id, fourth);
      case 'DELETE':
        return deleteAttachments(state, store, id, req, fourth);
      default:
        return invalidMethod();
    }
  }
  if (fifth !== undefined) return invalidUrl();
  const relation = resolveRelation(state, store, third);
  if (relation === undefined) return error(400, 'INVALID_DATA', 'The relation name given seems to be invalid');
  const target = relation.targets[0]?.name ?? store.name;
  const readOnly = m === 'GET';
  if (!allowed(req, store.name, readOnly ? 'READ' : 'UPDATE') || (readOnly && !allowed(req, target, 'READ'))) {
    if (!(target === 'Notes' && covers(req.scopes, { kind: 'module', module: 'notes', op: OP_OF[m] ?? 'READ' }))) return mismatch();
  }
  return relatedRoute(state, store, id, relation, req, fourth);
}
