/**
 * Fidelity: Zoho's own @zohocrm/nodejs-sdk-2.0, unmodified, runs the record scenario against the emulator
 * (it picks response classes by exact keys and messages, fetches metadata itself and needs BigInt-able ids).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type Emulator } from '../../src/index.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
const requireSdk = createRequire(__filename);
const P = '@zohocrm/nodejs-sdk-2.0';
const sdk = (path: string): any => requireSdk(`${P}/${path}`);

describe('@zohocrm/nodejs-sdk-2.0 against the emulator', () => {
  let emu: Emulator;
  let dir: string;
  let ops: any;
  const { ParameterMap } = sdk('routes/parameter_map');
  const recordOps = sdk('core/com/zoho/crm/api/record/record_operations');
  const ZRecord = sdk('core/com/zoho/crm/api/record/record').MasterModel;
  const { Field } = sdk('core/com/zoho/crm/api/record/field');
  const BodyWrapper = sdk('core/com/zoho/crm/api/record/body_wrapper').MasterModel;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'zcrm-official-sdk-'));
    emu = await startEmulator({ seed: 21 });
    const code = await emu.grantToken({ scope: 'ZohoCRM.modules.ALL,ZohoCRM.settings.ALL,ZohoCRM.users.ALL,ZohoCRM.org.ALL,ZohoCRM.bulk.ALL' });
    const { DataCenter } = sdk('routes/dc/data_center');
    const env = DataCenter.setEnvironment(emu.url, `${emu.url}/oauth/v2/token`, emu.url, 'us_prd');
    const token = new (sdk('models/authenticator/oauth_builder').OAuthBuilder)()
      .clientId(emu.client.clientId)
      .clientSecret(emu.client.clientSecret)
      .grantToken(code)
      .redirectURL('https://example.com/cb')
      .build();
    const { LogBuilder } = sdk('routes/logger/log_builder');
    const { Levels } = sdk('routes/logger/logger');
    await (await new (sdk('routes/initialize_builder').InitializeBuilder)())
      .user(new (sdk('routes/user_signature').UserSignature)('abc@zoho.com'))
      .environment(env)
      .token(token)
      .store(new (sdk('models/authenticator/store/file_store').FileStore)(join(dir, 'tokens.txt')))
      .SDKConfig(new (sdk('routes/sdk_config_builder').SDKConfigBuilder)().pickListValidation(false).autoRefreshFields(false).build())
      .resourcePath(dir)
      .logger(new LogBuilder().level(Levels.OFF).filePath(join(dir, 'sdk.log')).build())
      .initialize();
    ops = new recordOps.RecordOperations();
  });
  after(async () => {
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists, creates, updates, searches, attaches, converts and deletes', async () => {
    const pm = new ParameterMap();
    await pm.add(recordOps.GetRecordsParam.PER_PAGE, 2);
    let r = await ops.getRecords('Leads', pm);
    assert.equal(r.getStatusCode(), 200);
    assert.equal(r.getObject().getData().length, 2);

    const rec = new ZRecord();
    rec.addFieldValue(Field.Leads.LAST_NAME, 'Sdk');
    rec.addFieldValue(Field.Leads.COMPANY, 'Acme');
    const body = new BodyWrapper();
    body.setData([rec]);
    r = await ops.createRecords('Leads', body);
    assert.equal(r.getStatusCode(), 201);
    const created = r.getObject().getData()[0];
    assert.equal(created.constructor.name, 'SuccessResponse');
    assert.equal(created.getMessage().getValue(), 'record added');
    const id = BigInt(created.getDetails().get('id'));

    const up = new ZRecord();
    up.addFieldValue(Field.Leads.FIRST_NAME, 'Zed');
    const ub = new BodyWrapper();
    ub.setData([up]);
    r = await ops.updateRecord(id, 'Leads', ub);
    assert.equal(r.getObject().getData()[0].getMessage().getValue(), 'record updated');

    const sp = new ParameterMap();
    await sp.add(recordOps.SearchRecordsParam.CRITERIA, '(Last_Name:equals:Sdk)');
    r = await ops.searchRecords('Leads', sp);
    assert.equal(r.getObject().getData()[0].getKeyValue('Full_Name'), 'Zed Sdk');

    const { AttachmentsOperations } = sdk('core/com/zoho/crm/api/attachments/attachments_operations');
    const FileBody = sdk('core/com/zoho/crm/api/attachments/file_body_wrapper').MasterModel;
    const { StreamWrapper } = sdk('utils/util/stream_wrapper');
    const path = join(dir, 'note.txt');
    writeFileSync(path, 'hello');
    const fb = new FileBody();
    fb.setFile(new StreamWrapper(null, null, path));
    const aops = new AttachmentsOperations('Leads', id);
    r = await aops.uploadAttachment(fb);
    assert.equal(r.getObject().getData()[0].getMessage().getValue(), 'attachment uploaded successfully');
    r = await aops.downloadAttachment(BigInt(r.getObject().getData()[0].getDetails().get('id')));
    assert.equal(r.getObject().getFile().getName(), 'note.txt');

    const LeadConverter = sdk('core/com/zoho/crm/api/record/lead_converter').MasterModel;
    const ConvertBody = sdk('core/com/zoho/crm/api/record/convert_body_wrapper').MasterModel;
    const lc = new LeadConverter();
    lc.setOverwrite(true);
    const cb = new ConvertBody();
    cb.setData([lc]);
    r = await ops.convertLead(id, cb);
    const conv = r.getObject().getData()[0];
    assert.equal(conv.constructor.name, 'SuccessfulConvert');
    r = await ops.convertLead(id, cb);
    assert.equal(r.getObject().getCode().getValue(), 'ID_ALREADY_CONVERTED');

    const dp = new ParameterMap();
    await dp.add(recordOps.DeleteRecordsParam.IDS, String(conv.getContacts()));
    r = await ops.deleteRecords('Contacts', dp);
    assert.equal(r.getObject().getData()[0].getMessage().getValue(), 'record deleted');
    r = await ops.getRecord(BigInt('1234567890123456789'), 'Leads');
    assert.equal(r.getStatusCode(), 204);
  });

  it('reads users, org, COQL, notes, tags, photos and bulk-read results', async () => {
    const usersOps = sdk('core/com/zoho/crm/api/users/users_operations');
    const up = new ParameterMap();
    await up.add(usersOps.GetUsersParam.TYPE, 'ActiveUsers');
    assert.ok((await new usersOps.UsersOperations().getUsers(up)).getObject().getUsers().length > 0);
    const org = await new (sdk('core/com/zoho/crm/api/org/org_operations').OrgOperations)().getOrganization();
    assert.equal(org.getObject().getOrg().length, 1);
    const QBody = sdk('core/com/zoho/crm/api/query/body_wrapper').MasterModel;
    const qb = new QBody();
    qb.setSelectQuery('select Last_Name from Leads where Last_Name is not null limit 2');
    assert.equal((await new (sdk('core/com/zoho/crm/api/query/query_operations').QueryOperations)().getRecords(qb)).getObject().getData().length, 2);

    const leadId = (await ops.getRecords('Leads')).getObject().getData()[0].getId();
    const Note = sdk('core/com/zoho/crm/api/notes/note').MasterModel;
    const NBody = sdk('core/com/zoho/crm/api/notes/body_wrapper').MasterModel;
    const n = new Note();
    n.setNoteContent('c');
    const parent = new ZRecord();
    parent.setId(leadId);
    n.setParentId(parent);
    n.setSeModule('Leads');
    const nb = new NBody();
    nb.setData([n]);
    assert.equal((await new (sdk('core/com/zoho/crm/api/notes/notes_operations').NotesOperations)().createNotes(nb)).getStatusCode(), 201);
    const rel = sdk('core/com/zoho/crm/api/related_records/related_records_operations');
    assert.equal((await new rel.RelatedRecordsOperations('Notes', 'Leads').getRelatedRecords(leadId)).getObject().getData().length, 1);

    const tags = sdk('core/com/zoho/crm/api/tags/tags_operations');
    const tp = new ParameterMap();
    await tp.add(tags.AddTagsToRecordParam.TAG_NAMES, 'vip');
    const tagged = await new tags.TagsOperations().addTagsToRecord(leadId, 'Leads', tp);
    assert.equal(tagged.getObject().getData()[0].getMessage().getValue(), 'tags updated successfully');

    const png = join(dir, 'p.png');
    writeFileSync(png, Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'));
    const FBW = sdk('core/com/zoho/crm/api/record/file_body_wrapper').MasterModel;
    const { StreamWrapper } = sdk('utils/util/stream_wrapper');
    const pb = new FBW();
    pb.setFile(new StreamWrapper(null, null, png));
    assert.equal((await ops.uploadPhoto(leadId, 'Leads', pb)).getObject().getMessage().getValue(), 'photo uploaded successfully');
    assert.equal((await ops.getPhoto(leadId, 'Leads')).getObject().getFile().getName(), 'p.png');
    assert.equal((await ops.deletePhoto(leadId, 'Leads')).getObject().getMessage().getValue(), 'Photo deleted');

    const bulk = sdk('core/com/zoho/crm/api/bulk_read/bulk_read_operations');
    const RB = sdk('core/com/zoho/crm/api/bulk_read/request_wrapper').MasterModel;
    const Q = sdk('core/com/zoho/crm/api/bulk_read/query').MasterModel;
    const q = new Q();
    q.setModule('Leads');
    q.setFields(['Last_Name']);
    const rb = new RB();
    rb.setQuery(q);
    const bro = new bulk.BulkReadOperations();
    const job = await bro.createBulkReadJob(rb);
    const jobId = BigInt(job.getObject().getData()[0].getDetails().get('id'));
    assert.equal((await bro.getBulkReadJobDetails(jobId)).getObject().getData()[0].getState().getValue(), 'COMPLETED');
    assert.equal((await bro.downloadResult(jobId)).getObject().getFile().getName(), `${jobId}.zip`);
  });
});
