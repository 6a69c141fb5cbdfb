/**
 * Fidelity: Zoho's official @zohocrm/nodejs-sdk-2.0, unmodified, against our emulator. It is driven as its
 * README shows (InitializeBuilder, UserSignature, OAuthBuilder with a grant token, FileStore, a custom
 * Environment pointing both the API and Accounts at the emulator), through grant → refresh → list → create →
 * update → search → attachments (upload, list, download, delete) → convert → delete, each step checked
 * against the emulator's state and request log.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { redactAuthorization, startEmulator, type Emulator } from '../../src/index.js';
import { readAll } from '../../../../test-support/read-all.js';

const SCOPE = 'ZohoCRM.modules.ALL,ZohoCRM.settings.ALL,ZohoCRM.users.ALL,ZohoCRM.org.ALL';
const USER = 'fidelity-official@example.com';
const LAST_NAME = `Official${process.pid}`;
const FILE_BYTES = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.from([0, 0xff, 0xc3, 0x28]), Buffer.from('official')]);

// The SDK is untyped JavaScript, driven as its README does.
type Sdk = any;
const sdk = (path: string, name: string): Sdk => (require(`@zohocrm/nodejs-sdk-2.0/${path}`) as Record<string, Sdk>)[name];

const InitializeBuilder = sdk('routes/initialize_builder', 'InitializeBuilder');
const Initializer = sdk('routes/initializer', 'Initializer');
const OAuthBuilder = sdk('models/authenticator/oauth_builder', 'OAuthBuilder');
const UserSignature = sdk('routes/user_signature', 'UserSignature');
const Environment = sdk('routes/dc/environment', 'Environment');
const FileStore = sdk('models/authenticator/store/file_store', 'FileStore');
const LogBuilder = sdk('routes/logger/log_builder', 'LogBuilder');
const Levels = sdk('routes/logger/logger', 'Levels');
const SDKConfigBuilder = sdk('routes/sdk_config_builder', 'SDKConfigBuilder');
const ParameterMap = sdk('routes/parameter_map', 'ParameterMap');
const StreamWrapper = sdk('utils/util/stream_wrapper', 'StreamWrapper');
const RECORD = 'core/com/zoho/crm/api/record/';
const { RecordOperations, GetRecordsParam, SearchRecordsParam } = require(`@zohocrm/nodejs-sdk-2.0/${RECORD}record_operations`) as Record<string, Sdk>;
const ZCRMRecord = sdk(`${RECORD}record`, 'MasterModel');
const BodyWrapper = sdk(`${RECORD}body_wrapper`, 'MasterModel');
const Field = sdk(`${RECORD}field`, 'Field');
const ResponseWrapper = sdk(`${RECORD}response_wrapper`, 'MasterModel');
const ActionWrapper = sdk(`${RECORD}action_wrapper`, 'MasterModel');
const SuccessResponse = sdk(`${RECORD}success_response`, 'MasterModel');
const ConvertBodyWrapper = sdk(`${RECORD}convert_body_wrapper`, 'MasterModel');
const ConvertActionWrapper = sdk(`${RECORD}convert_action_wrapper`, 'MasterModel');
const LeadConverter = sdk(`${RECORD}lead_converter`, 'MasterModel');
const SuccessfulConvert = sdk(`${RECORD}successful_convert`, 'MasterModel');
const ATT = 'core/com/zoho/crm/api/attachments/';
const { AttachmentsOperations, GetAttachmentsParam } = require(`@zohocrm/nodejs-sdk-2.0/${ATT}attachments_operations`) as Record<string, Sdk>;
const AttFileBodyWrapper = sdk(`${ATT}file_body_wrapper`, 'MasterModel');
const AttResponseWrapper = sdk(`${ATT}response_wrapper`, 'MasterModel');
const AttActionWrapper = sdk(`${ATT}action_wrapper`, 'MasterModel');
const AttSuccessResponse = sdk(`${ATT}success_response`, 'MasterModel');

/** The SDK's APIResponse: status and the parsed object; fails with what Zoho (the emulator) answered otherwise. */
function expectObject(response: Sdk, status: number, cls: Sdk, what: string): Sdk {
  assert.ok(response, `${what}: no response`);
  const object = response.getObject();
  const detail = object && typeof object.getCode === 'function' ? `${object.getCode()?.getValue?.()} ${object.getMessage?.()?.getValue?.()}` : String(object?.constructor?.name);
  assert.equal(response.getStatusCode(), status, `${what}: ${detail}`);
  assert.ok(object instanceof cls, `${what}: got ${object?.constructor?.name} (${detail})`);
  return object;
}

/** The first item of an action reply, which must be a SUCCESS; returns its details map. */
function expectSuccess(wrapper: Sdk, cls: Sdk, what: string): Map<string, unknown> {
  const item = wrapper.getData()[0];
  if (!(item instanceof cls)) {
    const details = [...(item?.getDetails?.() ?? new Map())].map(([k, v]) => `${k}=${String(v)}`).join(' ');
    assert.fail(`${what}: ${item?.getCode?.()?.getValue?.()} ${item?.getMessage?.()?.getValue?.()} ${details}`);
  }
  assert.equal(item.getCode().getValue(), 'SUCCESS', what);
  return item.getDetails() as Map<string, unknown>;
}

/** The multipart fields of a recorded token request (the SDK posts form-data, not a query). */
function formFields(body: string | Buffer): Record<string, string> {
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : body;
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/name="([^"]+)"\r\n\r\n([^\r]*)\r\n/g)) out[m[1] as string] = m[2] as string;
  return out;
}

let emu: Emulator;
let dir: string;
let token: Sdk;
let leadId = '';
let attachmentId = '';
let contactId = '';

describe('@zohocrm/nodejs-sdk-2.0 (unmodified) against the emulator', () => {
  before(async () => {
    emu = await startEmulator({ port: 0 });
    dir = await mkdtemp(join(tmpdir(), 'zcrm-fidelity-official-'));
    await writeFile(join(dir, 'tokens.txt'), '');
    const grant = await emu.grantToken({ scope: SCOPE });
    token = new OAuthBuilder().clientId(emu.client.clientId).clientSecret(emu.client.clientSecret).grantToken(grant).redirectURL(emu.client.redirectUri).build();
    // InitializeBuilder validates the pieces; its initialize() does not await Initializer.initialize, so we do.
    const builder = (await new InitializeBuilder())
      .user(new UserSignature(USER))
      .environment(new Environment(emu.url, `${emu.url}/oauth/v2/token`, emu.url, 'emulator'))
      .token(token)
      .store(new FileStore(join(dir, 'tokens.txt')))
      .SDKConfig(new SDKConfigBuilder().pickListValidation(false).autoRefreshFields(false).build())
      .resourcePath(dir)
      .logger(new LogBuilder().level(Levels.ERROR).filePath(join(dir, 'sdk.log')).build());
    await Initializer.initialize(builder._user, builder._environment, builder._token, builder._store, builder._sdkConfig, builder._resourcePath, builder._logger);
    assert.ok(await Initializer.getInitializer(), 'initialized');
  });
  after(async () => {
    await emu?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('grant: the first call exchanges the grant token (multipart form) and stores the tokens in the FileStore', async () => {
    const response = await new RecordOperations().getRecords('Leads', new ParameterMap());
    expectObject(response, 200, ResponseWrapper, 'getRecords after grant');
    const req = emu.tokenRequests[0];
    assert.ok(req, 'a token request');
    assert.match(String(req.headers['content-type']), /^multipart\/form-data/);
    const fields = formFields(req.body);
    assert.equal(fields.grant_type, 'authorization_code');
    assert.equal(fields.client_id, emu.client.clientId);
    const stored = await readFile(join(dir, 'tokens.txt'), 'utf8');
    assert.ok(stored.split('\n').some((line) => line.includes(`,${USER},${emu.client.clientId},`) && line.includes(`,${token.getAccessToken()},`)), stored.split('\n')[0]);
    assert.match(String(emu.requests.at(-1)?.headers.authorization), /^Zoho-oauthtoken 1000\./);
  });

  it('refresh: a token about to expire is refreshed before the next call', async () => {
    const before = token.getAccessToken();
    // The SDK refreshes when fewer than 5 s remain.
    token.setExpiresIn(String(Date.now()));
    const count = emu.tokenRequests.length;
    const param = new ParameterMap();
    await param.add(GetRecordsParam.PER_PAGE, 1);
    expectObject(await new RecordOperations().getRecords('Leads', param), 200, ResponseWrapper, 'getRecords after refresh');
    assert.equal(emu.tokenRequests.length, count + 1);
    assert.equal(formFields(emu.tokenRequests.at(-1)?.body ?? '').grant_type, 'refresh_token');
    assert.notEqual(token.getAccessToken(), before);
    assert.equal(emu.requests.at(-1)?.headers.authorization, redactAuthorization(`Zoho-oauthtoken ${token.getAccessToken()}`));
  });

  it('list: getRecords pages through Leads', async () => {
    const param = new ParameterMap();
    await param.add(GetRecordsParam.PAGE, 1);
    await param.add(GetRecordsParam.PER_PAGE, 3);
    const wrapper = expectObject(await new RecordOperations().getRecords('Leads', param), 200, ResponseWrapper, 'getRecords');
    const records = wrapper.getData();
    assert.equal(records.length, 3);
    assert.equal(typeof records[0].getId(), 'bigint');
    assert.equal(wrapper.getInfo().getPerPage(), 3);
  });

  it('create: createRecords inserts a lead', async () => {
    const record = new ZCRMRecord();
    record.addFieldValue(Field.Leads.LAST_NAME, LAST_NAME);
    record.addFieldValue(Field.Leads.COMPANY, 'Acme é');
    record.addFieldValue(Field.Leads.EMAIL, `${LAST_NAME.toLowerCase()}@example.com`);
    const request = new BodyWrapper();
    request.setData([record]);
    const wrapper = expectObject(await new RecordOperations().createRecords('Leads', request), 201, ActionWrapper, 'createRecords');
    leadId = String(expectSuccess(wrapper, SuccessResponse, 'createRecords').get('id'));
    const stored = emu.crm.records('Leads').find((r) => r.id === leadId);
    assert.equal(stored?.Last_Name, LAST_NAME);
    assert.equal(stored?.Company, 'Acme é');
  });

  it('update: updateRecord changes the lead', async () => {
    const record = new ZCRMRecord();
    record.addFieldValue(Field.Leads.COMPANY, 'Acme Two');
    const request = new BodyWrapper();
    request.setData([record]);
    const wrapper = expectObject(await new RecordOperations().updateRecord(BigInt(leadId), 'Leads', request), 200, ActionWrapper, 'updateRecord');
    expectSuccess(wrapper, SuccessResponse, 'updateRecord');
    assert.equal(emu.crm.records('Leads').find((r) => r.id === leadId)?.Company, 'Acme Two');
  });

  it('search: searchRecords by criteria and by email', async () => {
    const byCriteria = new ParameterMap();
    await byCriteria.add(SearchRecordsParam.CRITERIA, `(Last_Name:equals:${LAST_NAME})`);
    const found = expectObject(await new RecordOperations().searchRecords('Leads', byCriteria), 200, ResponseWrapper, 'searchRecords criteria');
    assert.deepEqual(found.getData().map((r: Sdk) => String(r.getId())), [leadId]);
    const byEmail = new ParameterMap();
    await byEmail.add(SearchRecordsParam.EMAIL, `${LAST_NAME.toLowerCase()}@example.com`);
    const again = expectObject(await new RecordOperations().searchRecords('Leads', byEmail), 200, ResponseWrapper, 'searchRecords email');
    assert.deepEqual(again.getData().map((r: Sdk) => String(r.getId())), [leadId]);
  });

  it('attachments: uploadAttachment, getAttachments, downloadAttachment, deleteAttachment', async () => {
    const path = join(dir, 'official.png');
    await writeFile(path, FILE_BYTES);
    const ops = new AttachmentsOperations('Leads', BigInt(leadId));
    const body = new AttFileBodyWrapper();
    body.setFile(new StreamWrapper(null, null, path));
    const up = expectObject(await ops.uploadAttachment(body), 200, AttActionWrapper, 'uploadAttachment');
    attachmentId = String(expectSuccess(up, AttSuccessResponse, 'uploadAttachment').get('id'));
    const entry = emu.crm.attachments.get(attachmentId);
    assert.equal(entry?.parentId, leadId);
    assert.deepEqual(entry?.data, FILE_BYTES);

    const param = new ParameterMap();
    await param.add(GetAttachmentsParam.FIELDS, 'id,File_Name,Size');
    const list = expectObject(await ops.getAttachments(param), 200, AttResponseWrapper, 'getAttachments');
    const listed = list.getData().find((a: Sdk) => String(a.getId()) === attachmentId);
    assert.equal(listed?.getFileName(), 'official.png');

    const dl = expectObject(await ops.downloadAttachment(BigInt(attachmentId)), 200, AttFileBodyWrapper, 'downloadAttachment');
    assert.equal(dl.getFile().getName(), 'official.png');
    assert.deepEqual(await readAll(dl.getFile().getStream()), FILE_BYTES);

    const del = expectObject(await ops.deleteAttachment(BigInt(attachmentId)), 200, AttActionWrapper, 'deleteAttachment');
    expectSuccess(del, AttSuccessResponse, 'deleteAttachment');
    assert.equal(emu.crm.attachments.has(attachmentId), false);
  });

  it('convert: convertLead turns the lead into a contact and an account', async () => {
    const converter = new LeadConverter();
    converter.setOverwrite(true);
    const request = new ConvertBodyWrapper();
    request.setData([converter]);
    const wrapper = expectObject(await new RecordOperations().convertLead(BigInt(leadId), request), 200, ConvertActionWrapper, 'convertLead');
    const result = wrapper.getData()[0];
    assert.ok(result instanceof SuccessfulConvert, `convertLead: ${result?.getCode?.()?.getValue?.()} ${result?.getMessage?.()?.getValue?.()}`);
    contactId = String(result.getContacts());
    assert.ok(result.getAccounts(), 'an account from the Company');
    assert.equal(emu.crm.records('Contacts').find((r) => r.id === contactId)?.Last_Name, LAST_NAME);
  });

  it('delete: deleteRecord moves the contact to the recycle bin', async () => {
    const wrapper = expectObject(await new RecordOperations().deleteRecord(BigInt(contactId), 'Contacts'), 200, ActionWrapper, 'deleteRecord');
    expectSuccess(wrapper, SuccessResponse, 'deleteRecord');
    assert.equal(emu.crm.records('Contacts').some((r) => r.id === contactId), false);
  });

  it('every CRM request carried the OAuth token and the SDK header', () => {
    const crm = emu.requests.filter((r) => r.path.startsWith('/crm/'));
    assert.ok(crm.length >= 10);
    for (const r of crm) {
      assert.match(String(r.headers.authorization), /^Zoho-oauthtoken 1000\./);
      assert.match(String(r.headers['x-zoho-sdk']), /nodejs/);
    }
  });
});
