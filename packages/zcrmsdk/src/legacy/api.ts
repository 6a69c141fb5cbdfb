import type { LegacyResponse } from './response.js';
import {
  type LegacyCallSpec,
  type LegacyInput,
  moduleOf,
  optionalId,
  requiredId,
  segmentOf,
} from './request-builder.js';
import { InvalidInputError } from '../errors.js';

/** What every hierarchy function resolves: the response object, or the old 204 string. */
export type LegacyResult = LegacyResponse | string;

/** One `API.*` function. */
export type LegacyApiFunction = (input?: LegacyInput) => Promise<LegacyResult>;

/** Runs a call spec as the current (or the input's) user. */
export type LegacyExecutor = (input: LegacyInput | undefined, spec: LegacyCallSpec) => Promise<LegacyResult>;

export interface LegacyApi {
  MODULES: {
    get: LegacyApiFunction;
    post: LegacyApiFunction;
    put: LegacyApiFunction;
    delete: LegacyApiFunction;
    getAllDeletedRecords: LegacyApiFunction;
    getRecycleBinRecords: LegacyApiFunction;
    getPermanentlyDeletedRecords: LegacyApiFunction;
    search: LegacyApiFunction;
  };
  SETTINGS: {
    getFields: LegacyApiFunction;
    getLayouts: LegacyApiFunction;
    getCustomViews: LegacyApiFunction;
    updateCustomViews: LegacyApiFunction;
    getModules: LegacyApiFunction;
    getRoles: LegacyApiFunction;
    getProfiles: LegacyApiFunction;
    getRelatedLists: LegacyApiFunction;
  };
  ACTIONS: { convert: LegacyApiFunction };
  USERS: { get: LegacyApiFunction };
  ORG: { get: LegacyApiFunction };
  ATTACHMENTS: {
    uploadFile: LegacyApiFunction;
    deleteFile: LegacyApiFunction;
    downloadFile: LegacyApiFunction;
    uploadLink: LegacyApiFunction;
    uploadPhoto: LegacyApiFunction;
    downloadPhoto: LegacyApiFunction;
    deletePhoto: LegacyApiFunction;
    getAttachments: LegacyApiFunction;
  };
  FUNCTIONS: { executeFunctionsInGet: LegacyApiFunction; executeFunctionsInPost: LegacyApiFunction };
}

/**
 * Builds the `API` hierarchy of zcrmsdk 0.0.20 (+ `getAttachments` of 0.0.21): same groups, functions,
 * methods, paths and query order. Bad input rejects with an InvalidInputError instead of throwing.
 */
export function createLegacyApi(run: LegacyExecutor): LegacyApi {
  // Spec builders run inside the promise so that bad input rejects rather than throws synchronously.
  const fn =
    (build: (input: LegacyInput | undefined) => LegacyCallSpec): LegacyApiFunction =>
    (input) => {
      try {
        if (input !== undefined && (input === null || typeof input !== 'object')) {
          throw new InvalidInputError('API functions take one input object, e.g. { module: "Leads", params: { page: 1 } }.');
        }
        return run(input, build(input));
      } catch (error) {
        return Promise.reject(error);
      }
    };
  const moduleRecord = (method: LegacyCallSpec['method'], name: string) =>
    fn((input) => ({ method, path: moduleOf(input, name) + optionalId(input) }));
  const deleted = (name: string, type: string) =>
    fn((input) => ({ method: 'GET', path: `${moduleOf(input, name)}/deleted`, extraParams: { type } }));
  const settings = (method: LegacyCallSpec['method'], what: string) =>
    fn((input) => ({ method, path: `settings/${what}${optionalId(input)}`, moduleParam: true }));
  const recordPart = (method: LegacyCallSpec['method'], name: string, suffix: string, download = false) =>
    fn((input) => ({ method, path: `${moduleOf(input, name)}/${requiredId(input, name)}/${suffix}`, download }));
  const attachment = (method: LegacyCallSpec['method'], name: string, download = false) =>
    fn((input) => ({
      method,
      path: `${moduleOf(input, name)}/${requiredId(input, name)}/Attachments/${requiredId(input, name, 'relatedId')}`,
      download,
    }));
  const execute = (method: LegacyCallSpec['method'], name: string) =>
    fn((input) => {
      if (input?.api_name === undefined || input.api_name === null || input.api_name === '') {
        throw new InvalidInputError(`${name}(input) needs input.api_name, the function's API name.`);
      }
      return { method, path: `functions/${segmentOf(input.api_name, 'input.api_name')}/actions/execute`, moduleParam: true, extraParams: { auth_type: 'oauth' } };
    });

  return {
    MODULES: {
      get: moduleRecord('GET', 'API.MODULES.get'),
      post: moduleRecord('POST', 'API.MODULES.post'),
      put: moduleRecord('PUT', 'API.MODULES.put'),
      delete: moduleRecord('DELETE', 'API.MODULES.delete'),
      getAllDeletedRecords: deleted('API.MODULES.getAllDeletedRecords', 'all'),
      getRecycleBinRecords: deleted('API.MODULES.getRecycleBinRecords', 'recycle'),
      getPermanentlyDeletedRecords: deleted('API.MODULES.getPermanentlyDeletedRecords', 'permanent'),
      search: fn((input) => ({ method: 'GET', path: `${moduleOf(input, 'API.MODULES.search')}/search` })),
    },
    SETTINGS: {
      getFields: settings('GET', 'fields'),
      getLayouts: settings('GET', 'layouts'),
      getCustomViews: settings('GET', 'custom_views'),
      updateCustomViews: settings('PUT', 'custom_views'),
      getModules: fn((input) => ({
        method: 'GET',
        path: `settings/modules${input?.module !== undefined && input.module !== null && input.module !== '' ? `/${moduleOf(input, 'API.SETTINGS.getModules')}` : ''}`,
      })),
      getRoles: settings('GET', 'roles'),
      getProfiles: settings('GET', 'profiles'),
      getRelatedLists: settings('GET', 'related_lists'),
    },
    ACTIONS: {
      // The old package hard-coded Leads: only leads convert.
      convert: fn((input) => ({ method: 'POST', path: `Leads/${requiredId(input, 'API.ACTIONS.convert')}/actions/convert` })),
    },
    USERS: { get: fn((input) => ({ method: 'GET', path: `users${optionalId(input)}`, moduleParam: true })) },
    ORG: { get: fn(() => ({ method: 'GET', path: 'org', moduleParam: true })) },
    ATTACHMENTS: {
      uploadFile: recordPart('POST', 'API.ATTACHMENTS.uploadFile', 'Attachments'),
      deleteFile: attachment('DELETE', 'API.ATTACHMENTS.deleteFile'),
      downloadFile: attachment('GET', 'API.ATTACHMENTS.downloadFile', true),
      uploadLink: recordPart('POST', 'API.ATTACHMENTS.uploadLink', 'Attachments'),
      uploadPhoto: recordPart('POST', 'API.ATTACHMENTS.uploadPhoto', 'photo'),
      downloadPhoto: recordPart('GET', 'API.ATTACHMENTS.downloadPhoto', 'photo', true),
      deletePhoto: recordPart('DELETE', 'API.ATTACHMENTS.deletePhoto', 'photo'),
      getAttachments: recordPart('GET', 'API.ATTACHMENTS.getAttachments', 'Attachments'),
    },
    FUNCTIONS: {
      executeFunctionsInGet: execute('GET', 'API.FUNCTIONS.executeFunctionsInGet'),
      executeFunctionsInPost: execute('POST', 'API.FUNCTIONS.executeFunctionsInPost'),
    },
  };
}
