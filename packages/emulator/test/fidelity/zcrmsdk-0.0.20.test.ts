/**
 * Fidelity: Zoho's own zcrmsdk 0.0.20, unmodified, against our emulator over HTTPS. A user's whole day:
 * grant → refresh (explicit and automatic) → list → create → update → search → attachments (upload, list,
 * download, delete) → convert → delete, each checked against the emulator's state and request log.
 */
import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { redactAuthorization, secretFingerprint, startEmulator, type Emulator } from '../../src/index.js';
import { writeTokenModule, type TokenModuleHandle } from '../../../../test-support/token-module.js';

// 0.0.20 hard-codes https:// and has no CA option; this file's process runs only that client.
process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';

// 0.0.20 throws inside .then() on its error paths: record instead of crashing, fail at the end.
const unhandled: unknown[] = [];
process.on('unhandledRejection', (reason) => unhandled.push(reason));

const SCOPE = 'ZohoCRM.modules.ALL,ZohoCRM.settings.ALL,ZohoCRM.users.ALL,ZohoCRM.org.ALL';
const USER = 'fidelity-legacy@example.com';
const LAST_NAME = `Fidelity${process.pid}`;
const FILE_BYTES = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.from([0, 0xff, 0xc3, 0x28]), Buffer.from('fidelity')]);

interface OldResponse {
  statusCode: number;
  body: string;
  filename?: string;
}
type OldFn = (input?: Record<string, unknown>) => Promise<OldResponse | string>;
interface OldClient {
  initialize(config: Record<string, unknown>): Promise<void>;
  generateAuthTokens(user: string, grant: string): Promise<Record<string, unknown>>;
  generateAuthTokenfromRefreshToken(user: string, refresh: string): Promise<Record<string, unknown>>;
  API: Record<string, Record<string, OldFn>>;
}

/** Old-package calls that never settle would hang the file: give up after this long. */
const GIVE_UP_MS = 5_000;

async function settle<T>(promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, fail) => (timer = setTimeout(() => fail(new Error('zcrmsdk 0.0.20 call never settled')), GIVE_UP_MS)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** Calls `API.<group>.<name>(input)` and expects a response object with `status`; returns its parsed body. */
async function call(group: string, name: string, input: Record<string, unknown>, status = 200): Promise<Record<string, unknown>> {
  const fn = sdk.API[group]?.[name];
  assert.ok(fn, `API.${group}.${name}`);
  const res = await settle(fn(input));
  assert.equal(typeof res, 'object', `API.${group}.${name} resolved ${String(res)}`);
  const r = res as OldResponse;
  assert.equal(r.statusCode, status, `API.${group}.${name}: ${r.body}`);
  return JSON.parse(r.body) as Record<string, unknown>;
}

const firstData = (body: Record<string, unknown>) => (body.data as Record<string, unknown>[])[0] as Record<string, unknown>;
const detailsId = (body: Record<string, unknown>) => String((firstData(body).details as { id: string }).id);

let emu: Emulator;
let dir: string;
let sdk: OldClient;
let store: TokenModuleHandle;
let refreshToken = '';
let leadId = '';
let attachmentId = '';
let contactId = '';

describe('zcrmsdk 0.0.20 (unmodified) against the emulator over HTTPS', () => {
  before(async () => {
    emu = await startEmulator({ port: 0, https: true });
    dir = await mkdtemp(join(tmpdir(), 'zcrm-fidelity-legacy-'));
    const storePath = await writeTokenModule(dir, 'token-store', { empty: true });
    store = require(storePath) as TokenModuleHandle;
    sdk = require('zcrmsdk-legacy') as OldClient;
    const host = new URL(emu.url).host;
    await sdk.initialize({
      client_id: emu.client.clientId,
      client_secret: emu.client.clientSecret,
      redirect_url: emu.client.redirectUri,
      iamurl: host,
      base_url: host,
      tokenmanagement: storePath,
    });
  });
  after(async () => {
    await emu?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('grant: generateAuthTokens exchanges a grant code (query-string params, empty body)', async () => {
    const grant = await emu.grantToken({ scope: SCOPE });
    const auth = await settle(sdk.generateAuthTokens(USER, grant));
    assert.match(String(auth.access_token), /^1000\./);
    assert.match(String(auth.refresh_token), /^1000\./);
    assert.ok(Math.abs(Number(auth.expires_in) - (Date.now() + 3_600_000)) < 60_000);
    refreshToken = String(auth.refresh_token);
    const req = emu.tokenRequests.at(-1);
    assert.equal(req?.method, 'POST');
    assert.equal(req?.query.grant_type, 'authorization_code');
    assert.equal(req?.query.code, secretFingerprint(grant)); // the log keeps a fingerprint, not the code
    assert.equal(store.current().access_token, auth.access_token);
  });

  it('refresh: generateAuthTokenfromRefreshToken, then an expired stored token is refreshed inside a call', async () => {
    const before = store.current().access_token;
    const auth = await settle(sdk.generateAuthTokenfromRefreshToken(USER, refreshToken));
    assert.notEqual(auth.access_token, before);
    assert.equal(auth.refresh_token, refreshToken);
    assert.equal(emu.tokenRequests.at(-1)?.query.grant_type, 'refresh_token');

    store.expire();
    const tokenCalls = emu.tokenRequests.length;
    const org = await call('ORG', 'get', {});
    assert.ok(Array.isArray(org.org));
    assert.equal(emu.tokenRequests.length, tokenCalls + 1, 'one refresh before the call');
    assert.ok(store.calls.some((c) => c.fn === 'updateOAuthTokens'));
    assert.equal(emu.requests.at(-1)?.headers.authorization, redactAuthorization(`Zoho-oauthtoken ${String(store.current().access_token)}`));
  });

  it('list: MODULES.get pages through Leads', async () => {
    const body = await call('MODULES', 'get', { module: 'Leads', params: { page: 1, per_page: 3 } });
    assert.equal((body.data as unknown[]).length, 3);
    assert.equal((body.info as { per_page: number }).per_page, 3);
  });

  it('create: MODULES.post inserts a lead (JSON body without Content-Type)', async () => {
    const body = await call('MODULES', 'post', { module: 'Leads', body: { data: [{ Last_Name: LAST_NAME, Company: 'Acme é', Email: `${LAST_NAME.toLowerCase()}@example.com` }] } }, 201);
    assert.equal(firstData(body).code, 'SUCCESS');
    leadId = detailsId(body);
    const stored = emu.crm.records('Leads').find((r) => r.id === leadId);
    assert.equal(stored?.Last_Name, LAST_NAME);
    assert.equal(stored?.Company, 'Acme é');
  });

  it('update: MODULES.put changes the lead', async () => {
    const body = await call('MODULES', 'put', { module: 'Leads', id: leadId, body: { data: [{ Company: 'Acme Two' }] } });
    assert.equal(firstData(body).code, 'SUCCESS');
    assert.equal(emu.crm.records('Leads').find((r) => r.id === leadId)?.Company, 'Acme Two');
  });

  it('search: MODULES.search by criteria and by email', async () => {
    const byCriteria = await call('MODULES', 'search', { module: 'Leads', params: { criteria: `(Last_Name:equals:${LAST_NAME})` } });
    assert.deepEqual((byCriteria.data as { id: string }[]).map((r) => r.id), [leadId]);
    const byEmail = await call('MODULES', 'search', { module: 'Leads', params: { email: `${LAST_NAME.toLowerCase()}@example.com` } });
    assert.deepEqual((byEmail.data as { id: string }[]).map((r) => r.id), [leadId]);
  });

  it('attachments: upload a file stream (chunked multipart), list, download, delete', async () => {
    const path = join(dir, 'fidelity.png');
    await writeFile(path, FILE_BYTES);
    const up = await call('ATTACHMENTS', 'uploadFile', { module: 'Leads', id: leadId, x_file_content: createReadStream(path) });
    assert.equal(firstData(up).code, 'SUCCESS');
    attachmentId = detailsId(up);
    const entry = emu.crm.attachments.get(attachmentId);
    assert.equal(entry?.parentId, leadId);
    assert.deepEqual(entry?.data, FILE_BYTES);

    // 0.0.20 has no getAttachments: users list them with the related-list id trick.
    const list = await call('MODULES', 'get', { module: 'Leads', id: `${leadId}/Attachments` });
    const listed = (list.data as { id: string; File_Name: string }[]).find((a) => a.id === attachmentId);
    assert.equal(listed?.File_Name, 'fidelity.png');

    const dl = (await settle(sdk.API.ATTACHMENTS!.downloadFile!({ module: 'Leads', id: leadId, relatedId: attachmentId }))) as OldResponse;
    assert.equal(dl.statusCode, 200);
    assert.equal(dl.filename, 'fidelity.png');
    assert.deepEqual(Buffer.from(dl.body, 'binary'), FILE_BYTES);

    const del = await call('ATTACHMENTS', 'deleteFile', { module: 'Leads', id: leadId, relatedId: attachmentId });
    assert.equal(firstData(del).code, 'SUCCESS');
    assert.equal(emu.crm.attachments.has(attachmentId), false);
  });

  it('convert: ACTIONS.convert turns the lead into a contact (and an account)', async () => {
    const body = await call('ACTIONS', 'convert', { id: leadId, body: { data: [{ overwrite: true }] } });
    contactId = String(firstData(body).Contacts);
    const contact = emu.crm.records('Contacts').find((r) => r.id === contactId);
    assert.equal(contact?.Last_Name, LAST_NAME);
    assert.ok(firstData(body).Accounts, 'an account from the Company');
  });

  it('delete: MODULES.delete moves the contact to the recycle bin', async () => {
    const body = await call('MODULES', 'delete', { module: 'Contacts', id: contactId });
    assert.equal(firstData(body).code, 'SUCCESS');
    assert.equal(emu.crm.records('Contacts').some((r) => r.id === contactId), false);
    const bin = await call('MODULES', 'getRecycleBinRecords', { module: 'Contacts' });
    assert.ok((bin.data as { id: string }[]).some((r) => r.id === contactId));
  });

  it('every CRM request carried the SDK token and User-Agent; no unhandled rejection', () => {
    const crm = emu.requests.filter((r) => r.path.startsWith('/crm/'));
    assert.ok(crm.length >= 12);
    for (const r of crm) {
      assert.match(String(r.headers.authorization), /^Zoho-oauthtoken 1000\./);
      assert.equal(r.headers['user-agent'], 'Zoho CRM Node SDK');
    }
    assert.deepEqual(unhandled, []);
  });
});
