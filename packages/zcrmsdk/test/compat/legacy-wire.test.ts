/**
 * Differential test: the same inputs through the real zcrmsdk 0.0.20 (`zcrmsdk-legacy`) and through our
 * built package (`dist`), against one capturing HTTPS server. Every request must match on method, decoded
 * path, parsed query and parsed body, except for the documented fixes, which are asserted explicitly on
 * both sides (what 0.0.20 sent, what we send instead).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createReadStream, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type * as PublicApi from '../../src/public-api.js';
import {
  ACCESS_TOKEN,
  CRM_REPLY,
  DOWNLOAD_BYTES,
  REFRESH_TOKEN,
  STATUS_HEADER,
  normalize,
  startCaptureServer,
  type CaptureServer,
  type CapturedRequest,
  type NormalizedRequest,
} from './capture-server.js';
import { writeTokenModule, type TokenModuleHandle } from '../../../../test-support/token-module.js';

const ROOT = resolve(__dirname, '../..');

// 0.0.20 throws inside .then() on its error paths; record instead of crashing, and fail the file at the end.
const unhandled: unknown[] = [];
process.on('unhandledRejection', (reason) => unhandled.push(reason));

type ApiFn = (input?: Record<string, unknown>) => Promise<unknown>;
type Api = Record<string, Record<string, ApiFn>>;
interface AuthResult {
  [key: string]: unknown;
  expires_in: number;
}
/** The slice of zcrmsdk 0.0.20 this test drives (it ships no types). */
interface OldClient {
  initialize(config: Record<string, unknown>): Promise<void>;
  generateAuthTokens(user: string, grant: string): Promise<AuthResult>;
  generateAuthTokenfromRefreshToken(user: string, refresh: string): Promise<AuthResult>;
  getUserIdentifier(): string;
  API: Api;
}

/** Old-package calls that never settle would hang the file: give up after this long. */
const OLD_CALL_GIVE_UP_MS = 5_000;

let server: CaptureServer;
let dir: string;
let certPath: string;
let oldClient: OldClient;
let ours: PublicApi.ZCRMRestClientStatic;
let dist: typeof PublicApi;
let oldStore: TokenModuleHandle;
let oursStore: TokenModuleHandle;

/** Runs a 0.0.20 call with certificate checks off (it hard-codes https:// and has no CA option). */
async function runOld<T>(fn: () => Promise<T>): Promise<T> {
  const previous = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      fn(),
      new Promise<never>((_, fail) => {
        timer = setTimeout(() => fail(new Error('zcrmsdk 0.0.20 call never settled')), OLD_CALL_GIVE_UP_MS);
      }),
    ]);
  } finally {
    clearTimeout(timer);
    if (previous === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    else process.env.NODE_TLS_REJECT_UNAUTHORIZED = previous;
  }
}

/** Runs `fn` and returns what it resolved plus the requests the server received meanwhile. */
async function captured<T>(fn: () => Promise<T>): Promise<{ result: T; requests: CapturedRequest[] }> {
  const start = server.requests.length;
  const result = await fn();
  return { result, requests: server.requests.slice(start) };
}

/** `API.<group>.<name>` of either client (both are driven with the same untyped inputs). */
function apiFn(api: object, call: string): ApiFn {
  const [group = '', name = ''] = call.split('.');
  const f = (api as Api)[group]?.[name];
  assert.ok(f, `no API.${call}`);
  return f;
}

/** The parts of a resolved value users read: the 204 string, or status, body, content type, download name/bytes. */
function resultShape(result: unknown): unknown {
  if (typeof result === 'string') return { string: result };
  const r = result as { statusCode: number; headers: Record<string, string>; body: string; filename?: string };
  const shape: Record<string, unknown> = {
    statusCode: r.statusCode,
    bodyType: typeof r.body,
    body: r.body,
    contentType: r.headers['content-type'],
  };
  if ('filename' in r) {
    shape.filename = r.filename;
    shape.bytes = Buffer.from(r.body, 'binary').toString('hex');
  }
  return shape;
}

/** A documented difference: what 0.0.20 sent and what we send (or that we reject the input). */
interface Fix {
  why: string;
  legacy: Partial<NormalizedRequest>;
  ours: Partial<NormalizedRequest> | 'InvalidInputError';
}

interface Vector {
  call: string;
  /** Shown instead of the input (for inputs that open files). */
  label?: string;
  /** A fresh input per client (the old package mutates its input); absent = called with no argument. */
  input?: () => Record<string, unknown>;
  fix?: Fix;
}

const upload = (x: () => unknown, extra: Record<string, unknown> = {}) => () => ({ module: 'Leads', id: '1', x_file_content: x(), ...extra });

// §11.2 of zcrmsdk-legacy-observed.md, plus the README sample, in that order.
const VECTORS: Vector[] = [
  { call: 'MODULES.get', input: () => ({ module: 'Leads', params: { page: 0, per_page: 5 } }) }, // README sample
  { call: 'ORG.get' },
  {
    call: 'ORG.get',
    input: () => ({}),
    fix: { why: 'no module=undefined', legacy: { query: [['module', 'undefined']] }, ours: { query: [] } },
  },
  {
    call: 'MODULES.get',
    input: () => ({ module: 'Leads', params: { page: 1, per_page: 5, fields: 'Last_Name,Email' }, headers: { 'If-Modified-Since': '2019-07-25T15:26:49+05:30' } }),
  },
  { call: 'MODULES.get', input: () => ({ module: 'Leads', id: '1234567890' }) },
  {
    call: 'MODULES.get',
    input: () => ({ module: 'Leads', id: 0 }),
    fix: { why: 'a given id must be a record id: 0 was dropped and the call went to the module (issue 6)', legacy: { path: '/crm/v2/Leads' }, ours: 'InvalidInputError' },
  },
  { call: 'MODULES.get', input: () => ({ module: 'My_Module', id: 1234567890123456789 }) },
  {
    call: 'MODULES.get',
    input: () => ({ module: 'My Module', id: 1234567890123456789 }),
    fix: { why: "a module API name has no spaces: rejected, not sent as 'My%20Module'", legacy: { path: '/crm/v2/My Module/1234567890123456800' }, ours: 'InvalidInputError' },
  },
  {
    call: 'MODULES.get',
    input: () => ({ module: 'Leads', params: {} }),
    fix: { why: 'params: {} sends no ?undefined', legacy: { query: [['undefined', '']] }, ours: { query: [] } },
  },
  {
    call: 'MODULES.get',
    input: () => ({ module: 'Leads', params: { ids: [1, 2], o: { a: 1 }, n: null, u: undefined, b: false } }),
    fix: {
      why: 'undefined/null values are left out; an object value is sent as JSON, not [object Object]',
      legacy: { query: [['ids', '1,2'], ['o', '[object Object]'], ['n', 'null'], ['u', 'undefined'], ['b', 'false']] },
      ours: { query: [['ids', '1,2'], ['o', '{"a":1}'], ['b', 'false']] },
    },
  },
  {
    call: 'MODULES.get',
    input: () => ({ module: 'Leads', params: { criteria: '(Last_Name:equals:O Brien&Co)', cvid: 5 } }),
    fix: {
      why: 'values are URL-encoded: a raw & split the criteria',
      legacy: { query: [['criteria', '(Last_Name:equals:O Brien'], ['Co)', ''], ['cvid', '5']] },
      ours: { query: [['criteria', '(Last_Name:equals:O Brien&Co)'], ['cvid', '5']] },
    },
  },
  {
    call: 'MODULES.search',
    input: () => ({ module: 'Leads', params: { criteria: '(Email:equals:a+b@x.com)', x: 'a#b', page: 1 } }),
    fix: {
      why: 'values are URL-encoded: a raw + read as a space, a raw # cut the rest of the query',
      legacy: { query: [['criteria', '(Email:equals:a b@x.com)'], ['x', 'a']] },
      ours: { query: [['criteria', '(Email:equals:a+b@x.com)'], ['x', 'a#b'], ['page', '1']] },
    },
  },
  { call: 'MODULES.get', input: () => ({ module: 'Leads', headers: { 'X-Custom': 'y', Authorization: 'mine', 'User-Agent': 'me' } }) },
  { call: 'MODULES.get', input: () => ({ module: 'Leads', body: { a: 1 } }) },
  { call: 'MODULES.post', input: () => ({ module: 'Leads', body: { data: [{ Last_Name: 'Smith', Company: 'Acme é' }], trigger: ['workflow'] } }) },
  {
    call: 'MODULES.post',
    input: () => ({ module: 'Leads', body: '{"data":[]}' }),
    fix: { why: 'a string body is sent as it is, not JSON-encoded twice', legacy: { body: { json: '{"data":[]}' } }, ours: { body: { json: { data: [] } } } },
  },
  { call: 'MODULES.post', input: () => ({ module: 'Leads', id: 'upsert', body: { data: [] } }) },
  { call: 'MODULES.put', input: () => ({ module: 'Leads', id: '111', body: { data: [{ Last_Name: 'X' }] } }) },
  { call: 'MODULES.put', input: () => ({ module: 'Leads', body: { data: [{ id: '111', Last_Name: 'X' }] } }) },
  { call: 'MODULES.delete', input: () => ({ module: 'Leads', id: '111', body: { ignored: true } }) },
  { call: 'MODULES.delete', input: () => ({ module: 'Leads', params: { ids: '1,2,3' } }) },
  { call: 'MODULES.getAllDeletedRecords', input: () => ({ module: 'Leads', params: { page: 2 } }) },
  { call: 'MODULES.getAllDeletedRecords', input: () => ({ module: 'Leads' }) },
  {
    call: 'MODULES.getRecycleBinRecords',
    input: () => ({ module: 'Leads', params: { page: 2 } }),
    fix: { why: 'type is always sent', legacy: { query: [['page', '2']] }, ours: { query: [['page', '2'], ['type', 'recycle']] } },
  },
  { call: 'MODULES.getRecycleBinRecords', input: () => ({ module: 'Leads' }) },
  {
    call: 'MODULES.getPermanentlyDeletedRecords',
    input: () => ({ module: 'Leads', params: { page: 1 } }),
    fix: { why: 'type is always sent', legacy: { query: [['page', '1']] }, ours: { query: [['page', '1'], ['type', 'permanent']] } },
  },
  { call: 'MODULES.getPermanentlyDeletedRecords', input: () => ({ module: 'Leads' }) },
  { call: 'MODULES.search', input: () => ({ module: 'Leads', params: { email: 'a@b.com' } }) },
  { call: 'MODULES.search', input: () => ({ module: 'Contacts', params: { word: 'foo bar' } }) },
  { call: 'SETTINGS.getFields', input: () => ({ module: 'Leads' }) },
  { call: 'SETTINGS.getFields', input: () => ({ module: 'Leads', id: '99' }) },
  { call: 'SETTINGS.getFields', input: () => ({ module: 'Leads', params: { type: 'unused' } }) },
  { call: 'SETTINGS.getLayouts', input: () => ({ module: 'Leads', id: '55' }) },
  { call: 'SETTINGS.getCustomViews', input: () => ({ module: 'Leads' }) },
  { call: 'SETTINGS.updateCustomViews', input: () => ({ module: 'Leads', id: '77', body: { custom_views: [{ settings: { sort_by: 'Email', sort_order: 'asc' } }] } }) },
  { call: 'SETTINGS.getModules' },
  { call: 'SETTINGS.getModules', input: () => ({ module: 'Leads' }) },
  {
    call: 'SETTINGS.getRoles',
    fix: { why: '{id} is never sent literally', legacy: { path: '/crm/v2/settings/roles/{id}' }, ours: { path: '/crm/v2/settings/roles' } },
  },
  {
    call: 'SETTINGS.getRoles',
    input: () => ({}),
    fix: { why: 'no module=undefined', legacy: { query: [['module', 'undefined']] }, ours: { query: [] } },
  },
  {
    call: 'SETTINGS.getRoles',
    input: () => ({ id: '12' }),
    fix: { why: 'no module=undefined', legacy: { query: [['module', 'undefined']] }, ours: { query: [] } },
  },
  {
    call: 'SETTINGS.getProfiles',
    input: () => ({ id: '13' }),
    fix: { why: 'no module=undefined', legacy: { query: [['module', 'undefined']] }, ours: { query: [] } },
  },
  { call: 'SETTINGS.getRelatedLists', input: () => ({ module: 'Leads' }) },
  { call: 'ACTIONS.convert', input: () => ({ id: '555', body: { data: [{ overwrite: true }] } }) },
  { call: 'ACTIONS.convert', input: () => ({ module: 'Contacts', id: '555' }) },
  {
    call: 'USERS.get',
    fix: { why: '{id} is never sent literally', legacy: { path: '/crm/v2/users/{id}' }, ours: { path: '/crm/v2/users' } },
  },
  { call: 'USERS.get', input: () => ({ params: { type: 'AllUsers' } }) },
  {
    call: 'USERS.get',
    input: () => ({ id: '42' }),
    fix: { why: 'no module=undefined', legacy: { query: [['module', 'undefined']] }, ours: { query: [] } },
  },
  { call: 'ATTACHMENTS.uploadFile', input: upload(() => createReadStream(certPath)), label: "{ module: 'Leads', id: '1', x_file_content: fs.createReadStream('cert.pem') }" },
  { call: 'ATTACHMENTS.uploadFile', input: upload(() => Buffer.from('hello')) },
  { call: 'ATTACHMENTS.uploadFile', input: upload(() => 'plain string', { headers: { 'X-Custom': 'v' } }) },
  { call: 'ATTACHMENTS.uploadLink', input: () => ({ module: 'Leads', id: '1', params: { attachmentUrl: 'https://www.zoho.com/x.png' } }) },
  { call: 'ATTACHMENTS.deleteFile', input: () => ({ module: 'Leads', id: '1', relatedId: '2' }) },
  {
    call: 'ATTACHMENTS.deleteFile',
    input: () => ({ module: 'Leads', id: '1' }),
    fix: { why: 'a missing relatedId is rejected, not sent as /Attachments/undefined', legacy: { path: '/crm/v2/Leads/1/Attachments/undefined' }, ours: 'InvalidInputError' },
  },
  { call: 'ATTACHMENTS.downloadFile', input: () => ({ module: 'Leads', id: '1', relatedId: '2' }) },
  {
    call: 'ATTACHMENTS.uploadPhoto',
    input: () => ({ module: 'Contacts', id: '3', x_file_content: createReadStream(certPath) }),
    label: "{ module: 'Contacts', id: '3', x_file_content: fs.createReadStream('cert.pem') }",
  },
  { call: 'ATTACHMENTS.downloadPhoto', input: () => ({ module: 'Contacts', id: '3' }) },
  { call: 'ATTACHMENTS.deletePhoto', input: () => ({ module: 'Contacts', id: '3' }) },
  { call: 'FUNCTIONS.executeFunctionsInGet', input: () => ({ api_name: 'myfn', params: { arg1: 'v 1' } }) },
  { call: 'FUNCTIONS.executeFunctionsInGet', input: () => ({ api_name: 'myfn' }) },
  { call: 'FUNCTIONS.executeFunctionsInPost', input: () => ({ api_name: 'myfn', body: { arguments: { a: 1 } } }) },
  { call: 'FUNCTIONS.executeFunctionsInPost', input: () => ({ api_name: 'myfn', module: 'Leads' }) },
  // Reply variants: the 204 string and a 4xx response resolve the same way in both.
  { call: 'MODULES.get', input: () => ({ module: 'Leads', headers: { [STATUS_HEADER]: '204' } }) },
  { call: 'MODULES.get', input: () => ({ module: 'Leads', headers: { [STATUS_HEADER]: '400' } }) },
];

const label = (v: Vector) => `${v.call}(${v.label ?? (v.input ? JSON.stringify(v.input(), (_, x: unknown) => (Buffer.isBuffer(x) ? '<Buffer>' : x)) : '')})`;

describe('zcrmsdk 0.0.20 and ours send the same requests for the same inputs', () => {
  before(async () => {
    server = await startCaptureServer();
    dir = await mkdtemp(join(tmpdir(), 'zcrm-compat-'));
    certPath = join(dir, 'cert.pem');
    await writeFile(certPath, server.ca);
    const oldStorePath = await writeTokenModule(dir, 'old-store');
    const oursStorePath = await writeTokenModule(dir, 'ours-store');
    oldStore = require(oldStorePath) as TokenModuleHandle;
    oursStore = require(oursStorePath) as TokenModuleHandle;
    const config = { client_id: 'cid', client_secret: 'csec', redirect_url: 'https://example.com/cb', iamurl: server.host, base_url: server.host };
    oldClient = require('zcrmsdk-legacy') as OldClient;
    await oldClient.initialize({ ...config, tokenmanagement: oldStorePath });
    // The built package, as users get it (`npm test` builds first).
    if (!existsSync(join(ROOT, 'dist/index.js'))) throw new Error('dist/ is missing: run `npm run build` before this test.');
    dist = require(join(ROOT, 'dist')) as typeof PublicApi;
    ours = dist.createZCRMRestClient({ logger: dist.silentLogger });
    // We trust the certificate instead of switching verification off.
    await ours.initialize({ ...config, tokenmanagement: oursStorePath, ca: server.ca });
  });
  after(async () => {
    await ours?.close();
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('token requests: generateAuthTokens and generateAuthTokenfromRefreshToken', async () => {
    const oldGrant = await captured(() => runOld(() => oldClient.generateAuthTokens('user@x.com', 'grant123')));
    const oursGrant = await captured(() => ours.generateAuthTokens('user@x.com', 'grant123'));
    const oldRefresh = await captured(() => runOld(() => oldClient.generateAuthTokenfromRefreshToken('user@x.com', 'RT-1')));
    const oursRefresh = await captured(() => ours.generateAuthTokenfromRefreshToken('user@x.com', 'RT-1'));
    const expected = {
      grant: [['client_id', 'cid'], ['client_secret', 'csec'], ['code', 'grant123'], ['redirect_uri', 'https://example.com/cb'], ['grant_type', 'authorization_code']],
      refresh: [['client_id', 'cid'], ['client_secret', 'csec'], ['refresh_token', 'RT-1'], ['grant_type', 'refresh_token']],
    };
    for (const [kind, oldRun, oursRun] of [['grant', oldGrant, oursGrant], ['refresh', oldRefresh, oursRefresh]] as const) {
      for (const [who, run] of [['0.0.20', oldRun], ['ours', oursRun]] as const) {
        assert.equal(run.requests.length, 1, `${who} ${kind}: one token request`);
        const req = run.requests[0] as CapturedRequest;
        assert.deepEqual(await normalize(req), { method: 'POST', path: '/oauth/v2/token', query: expected[kind], body: null }, `${who} ${kind} request`);
        assert.equal(req.headers['content-length'], '0', `${who} ${kind}: empty body`);
        // The query string must be encoded the way querystring.stringify did it.
        assert.match(req.url, kind === 'grant' ? /redirect_uri=https%3A%2F%2Fexample\.com%2Fcb&/ : /refresh_token=RT-1&/);
      }
      const oldObj = oldRun.result;
      const oursObj = oursRun.result as unknown as AuthResult;
      assert.deepEqual(Object.keys(oursObj).sort(), Object.keys(oldObj).sort(), `${kind}: same keys`);
      for (const obj of [oldObj, oursObj]) {
        assert.equal(obj.access_token, ACCESS_TOKEN);
        assert.equal(obj.user_identifier, 'user@x.com');
        assert.ok(Math.abs(obj.expires_in - (Date.now() + 3_600_000)) < 60_000, `${kind}: expires_in ≈ now + 3600000 ms (${obj.expires_in})`);
      }
      assert.equal(oldObj.refresh_token, kind === 'grant' ? REFRESH_TOKEN : 'RT-1');
      assert.equal(oursObj.refresh_token, oldObj.refresh_token);
    }
    assert.equal(oldClient.getUserIdentifier(), 'user@x.com');
    assert.equal(ours.getUserIdentifier(), 'user@x.com');
    // Both handed the token module the same records to save.
    const saved = (h: TokenModuleHandle) =>
      h.calls.filter((c) => c.fn === 'saveOAuthTokens').map((c) => {
        const { expires_in: _, ...rest } = c.arg as Record<string, unknown>;
        return rest;
      });
    assert.deepEqual(saved(oursStore), saved(oldStore));
    assert.equal(saved(oldStore).length, 2);
  });

  for (const v of VECTORS) {
    it(`${label(v)}${v.fix ? ` — fix: ${v.fix.why}` : ''}`, async () => {
      const old = await captured(() => runOld(() => apiFn(oldClient.API, v.call)(v.input?.())));
      assert.equal(old.requests.length, 1, '0.0.20 sent one request');
      const oldReq = await normalize(old.requests[0] as CapturedRequest);

      if (v.fix?.ours === 'InvalidInputError') {
        for (const [key, value] of Object.entries(v.fix.legacy)) assert.deepEqual(oldReq[key as keyof NormalizedRequest], value, `0.0.20 ${key}`);
        const start = server.requests.length;
        await assert.rejects(apiFn(ours.API, v.call)(v.input?.()), (e: Error) => e instanceof dist.InvalidInputError);
        assert.equal(server.requests.length, start, 'ours sent nothing');
        return;
      }

      const mine = await captured(() => apiFn(ours.API, v.call)(v.input?.()));
      assert.equal(mine.requests.length, 1, 'ours sent one request');
      const oursRaw = mine.requests[0] as CapturedRequest;
      const oursReq = await normalize(oursRaw);
      const oldRaw = old.requests[0] as CapturedRequest;

      const fixed = new Set<string>();
      if (v.fix) {
        for (const [key, value] of Object.entries(v.fix.legacy)) {
          assert.deepEqual(oldReq[key as keyof NormalizedRequest], value, `0.0.20 ${key} (the documented bug)`);
          fixed.add(key);
        }
        for (const [key, value] of Object.entries(v.fix.ours)) {
          assert.deepEqual(oursReq[key as keyof NormalizedRequest], value, `ours ${key} (the fix)`);
          fixed.add(key);
        }
        assert.ok(fixed.size > 0);
      }
      for (const key of ['method', 'path', 'query', 'body'] as const) {
        if (!fixed.has(key)) assert.deepEqual(oursReq[key], oldReq[key], `same ${key}`);
      }

      for (const [who, raw] of [['0.0.20', oldRaw], ['ours', oursRaw]] as const) {
        assert.equal(raw.headers.authorization, `Zoho-oauthtoken ${ACCESS_TOKEN}`, `${who} authorization`);
        assert.equal(raw.headers['user-agent'], 'Zoho CRM Node SDK', `${who} user-agent`);
        const input = v.input?.() as { headers?: Record<string, string> } | undefined;
        for (const [name, value] of Object.entries(input?.headers ?? {})) {
          if (!/^(authorization|user-agent)$/i.test(name)) assert.equal(raw.headers[name.toLowerCase()], value, `${who} keeps ${name}`);
        }
      }
      // Fix: JSON bodies carry a content type (0.0.20 sent none).
      if (oursReq.body && 'json' in oursReq.body) {
        assert.equal(oldRaw.headers['content-type'], undefined);
        assert.match(String(oursRaw.headers['content-type']), /^application\/json/);
      }
      if (oursReq.body && 'multipart' in oursReq.body) {
        assert.deepEqual(oursReq.body.multipart.map((p) => p.field), ['file']);
        assert.ok(oursReq.body.multipart.every((p) => p.hex.length > 0), 'the part carries the bytes');
      }

      assert.deepEqual(resultShape(mine.result), resultShape(old.result), 'same resolved value');
    });
  }

  it('the resolved values: response object, 204 string, download name and bytes', async () => {
    const get = await apiFn(ours.API, 'MODULES.get')({ module: 'Leads' });
    const oldGet = await runOld(() => apiFn(oldClient.API, 'MODULES.get')({ module: 'Leads' }));
    for (const r of [get, oldGet] as { statusCode: number; headers: Record<string, string>; body: string }[]) {
      assert.equal(r.statusCode, 200);
      assert.equal(typeof r.headers, 'object');
      assert.deepEqual(JSON.parse(r.body), CRM_REPLY);
    }
    const no = { module: 'Leads', headers: { [STATUS_HEADER]: '204' } };
    assert.equal(await apiFn(ours.API, 'MODULES.get')(no), '{"message":"no data","status_code":"204"}');
    assert.equal(await runOld(() => apiFn(oldClient.API, 'MODULES.get')({ ...no })), '{"message":"no data","status_code":"204"}');
    const dl = (await apiFn(ours.API, 'ATTACHMENTS.downloadFile')({ module: 'Leads', id: '1', relatedId: '2' })) as { filename: string; body: string };
    const oldDl = (await runOld(() => apiFn(oldClient.API, 'ATTACHMENTS.downloadFile')({ module: 'Leads', id: '1', relatedId: '2' }))) as typeof dl;
    for (const r of [dl, oldDl]) {
      assert.equal(r.filename, 'a b.png');
      assert.deepEqual(Buffer.from(r.body, 'binary'), DOWNLOAD_BYTES);
    }
  });

  it('a call without input: 0.0.20 throws a TypeError synchronously, ours rejects with InvalidInputError', async () => {
    assert.throws(() => apiFn(oldClient.API, 'MODULES.get')(), TypeError);
    const start = server.requests.length;
    await assert.rejects(apiFn(ours.API, 'MODULES.get')(), (e: Error) => e instanceof dist.InvalidInputError);
    assert.equal(server.requests.length, start);
  });

  it('left no unhandled rejection behind', () => {
    assert.deepEqual(unhandled, []);
  });
});
