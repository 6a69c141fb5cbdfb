/**
 * Steps of the first fidelity suite (zohocrm-typescript-sdk-8.0.test.ts): records, attachments, users, org,
 * fields, notes, tags, convert, settings metadata, photo, mass update, bulk read, functions, counts.
 */
import { readAll } from '../../../../../../test-support/read-all.js';
import { actionItem, outcome, params, strip, Z, type Reply, type Sdk, type Steps } from '../sdk.js';

export const steps: Steps = {
  async list(a) {
    const R = Z.Record;
    const p = await params([
      [R.GetRecordsParam.FIELDS, a['fields']],
      [R.GetRecordsParam.PER_PAGE, a['perPage']],
      [R.GetRecordsParam.PAGE, a['page']],
      [R.GetRecordsParam.PAGE_TOKEN, a['pageToken']],
    ]);
    const r = outcome(await new R.RecordOperations(String(a['module'] ?? 'Leads')).getRecords(p), R.ResponseWrapper);
    if (r['ok'] !== true) return strip(r);
    const w = r['object'] as Sdk;
    const info = w.getInfo();
    return {
      status: r['status'],
      ok: true,
      ids: w.getData().map((rec: Sdk) => String(rec.getId())),
      idType: typeof w.getData()[0]?.getId(),
      info: {
        count: info.getCount(),
        moreRecords: info.getMoreRecords(),
        nextPageToken: info.getNextPageToken(),
        perPage: info.getPerPage(),
      },
    };
  },

  async create(a) {
    const R = Z.Record;
    const record = new R.Record();
    record.addKeyValue('Last_Name', a['lastName']);
    record.addKeyValue('Company', a['company']);
    record.addKeyValue('Email', a['email']);
    const body = new R.BodyWrapper();
    body.setData([record]);
    const r = outcome(await new R.RecordOperations('Leads').createRecords(body), R.ActionWrapper);
    return r['ok'] === true ? { status: r['status'], ok: true, ...actionItem(r['object']) } : strip(r);
  },

  async update(a) {
    const R = Z.Record;
    const record = new R.Record();
    record.addKeyValue('Company', a['company']);
    const body = new R.BodyWrapper();
    body.setData([record]);
    const r = outcome(await new R.RecordOperations('Leads').updateRecord(BigInt(String(a['id'])), body), R.ActionWrapper);
    return r['ok'] === true ? { status: r['status'], ok: true, ...actionItem(r['object']) } : strip(r);
  },

  async get(a) {
    const R = Z.Record;
    const r = outcome(await new R.RecordOperations(String(a['module'] ?? 'Leads')).getRecord(BigInt(String(a['id']))), R.ResponseWrapper);
    if (r['ok'] !== true) return strip(r);
    const rec = (r['object'] as Sdk).getData()[0];
    return { status: r['status'], ok: true, id: String(rec.getId()), Last_Name: rec.getKeyValue('Last_Name'), Company: rec.getKeyValue('Company') };
  },

  async search(a) {
    const R = Z.Record;
    const p = await params([
      [R.SearchRecordsParam.CRITERIA, a['criteria']],
      [R.SearchRecordsParam.EMAIL, a['email']],
    ]);
    const r = outcome(await new R.RecordOperations('Leads').searchRecords(p), R.ResponseWrapper);
    return r['ok'] === true ? { status: r['status'], ok: true, ids: (r['object'] as Sdk).getData().map((x: Sdk) => String(x.getId())) } : strip(r);
  },

  async coql(a) {
    const C = Z.Coql;
    const body = new C.BodyWrapper();
    body.setSelectQuery(a['query']);
    const r = outcome(await new C.CoqlOperations().getRecords(body), C.ResponseWrapper);
    if (r['ok'] !== true) return strip(r);
    const w = r['object'] as Sdk;
    return {
      status: r['status'],
      ok: true,
      rows: w.getData().map((x: Sdk) => ({ id: String(x.getId()), Last_Name: x.getKeyValue('Last_Name') })),
      moreRecords: w.getInfo().getMoreRecords(),
    };
  },

  async uploadAttachment(a) {
    const A = Z.Attachments;
    const body = new A.FileBodyWrapper();
    body.setFile(new Z.StreamWrapper(undefined, undefined, String(a['path'])));
    const r = outcome(await new A.AttachmentsOperations().uploadAttachments(BigInt(String(a['id'])), 'Leads', body), A.ActionWrapper);
    return r['ok'] === true ? { status: r['status'], ok: true, ...actionItem(r['object']) } : strip(r);
  },

  async listAttachments(a) {
    const A = Z.Attachments;
    const p = await params([[A.GetAttachmentsParam.FIELDS, a['fields']]]);
    const r = outcome(await new A.AttachmentsOperations().getAttachments(BigInt(String(a['id'])), 'Leads', p), A.ResponseWrapper);
    if (r['ok'] !== true) return strip(r);
    return {
      status: r['status'],
      ok: true,
      attachments: (r['object'] as Sdk).getData().map((x: Sdk) => ({ id: String(x.getId()), fileName: x.getFileName(), size: x.getSize() })),
    };
  },

  async downloadAttachment(a) {
    const A = Z.Attachments;
    const r = outcome(
      await new A.AttachmentsOperations().getAttachment(BigInt(String(a['attachmentId'])), BigInt(String(a['id'])), 'Leads'),
      A.FileBodyWrapper,
    );
    if (r['ok'] !== true) return strip(r);
    const file = (r['object'] as Sdk).getFile();
    return { status: r['status'], ok: true, name: file.getName(), base64: (await readAll(file.getStream())).toString('base64') };
  },

  async users(a) {
    const U = Z.Users;
    const p = await params([[U.GetUsersParam.TYPE, a['type']]]);
    const r = outcome(await new U.UsersOperations().getUsers(p), U.ResponseWrapper);
    if (r['ok'] !== true) return strip(r);
    return {
      status: r['status'],
      ok: true,
      users: (r['object'] as Sdk).getUsers().map((u: Sdk) => ({
        email: u.getEmail(),
        nameFormatS: u.getNameFormatS()?.getValue?.() ?? u.getNameFormatS() ?? null,
        sortOrderPreferenceS: u.getSortOrderPreferenceS()?.getValue?.() ?? u.getSortOrderPreferenceS() ?? null,
        statusReasonS: u.getStatusReasonS() ?? null,
        status: u.getStatus()?.getValue?.() ?? u.getStatus(),
      })),
    };
  },

  async org() {
    const O = Z.Org;
    const r = outcome(await new O.OrgOperations().getOrganization(), O.ResponseWrapper);
    if (r['ok'] !== true) return strip(r);
    const org = (r['object'] as Sdk).getOrg()[0];
    return {
      status: r['status'],
      ok: true,
      zgid: org.getZgid(),
      type: org.getType()?.getValue?.() ?? org.getType(),
      maxPerPage: org.getMaxPerPage(),
      hipaa: org.getHipaaComplianceEnabled(),
      companyName: org.getCompanyName(),
    };
  },

  async fields(a) {
    const F = Z.Fields;
    const p = await params([[F.GetFieldsParam.MODULE, a['module']]]);
    const r = outcome(await new F.FieldsOperations().getFields(p), F.ResponseWrapper);
    if (r['ok'] !== true) return strip(r);
    const fields = (r['object'] as Sdk).getFields() as Sdk[];
    const pick = (f: Sdk): Reply => ({
      apiName: f.getAPIName(),
      dataType: f.getDataType(),
      displayType: f.getDisplayType(),
      uiType: f.getUiType(),
      sortable: f.getSortable(),
      filterable: f.getFilterable(),
      searchable: f.getSearchable(),
      systemMandatory: f.getSystemMandatory(),
    });
    return { status: r['status'], ok: true, count: fields.length, fields: fields.map(pick) };
  },

  async delete(a) {
    const R = Z.Record;
    const r = outcome(await new R.RecordOperations(String(a['module'] ?? 'Leads')).deleteRecord(BigInt(String(a['id']))), R.ActionWrapper);
    return r['ok'] === true ? { status: r['status'], ok: true, ...actionItem(r['object']) } : strip(r);
  },

  async upsert(a) {
    const R = Z.Record;
    const record = new R.Record();
    record.addKeyValue('Last_Name', a['lastName']);
    record.addKeyValue('Company', 'Upsert Co');
    record.addKeyValue('Email', a['email']);
    const body = new R.BodyWrapper();
    body.setData([record]);
    body.setDuplicateCheckFields(['Email']);
    const r = outcome(await new R.RecordOperations('Leads').upsertRecords(body), R.ActionWrapper);
    return r['ok'] === true ? { status: r['status'], ok: true, ...actionItem(r['object']) } : strip(r);
  },

  async deleted() {
    const R = Z.Record;
    const p = await params([[R.GetDeletedRecordsParam.TYPE, 'all']]);
    const r = outcome(await new R.RecordOperations('Leads').getDeletedRecords(p), R.DeletedRecordsWrapper);
    if (r['ok'] !== true) return strip(r);
    return { status: r['status'], ok: true, records: (r['object'] as Sdk).getData().map((d: Sdk) => ({ id: String(d.getId()), type: d.getType(), name: d.getDisplayName() })) };
  },

  async related(a) {
    const RR = Z.RelatedRecords;
    const p = await params([[RR.GetRelatedRecordsParam.FIELDS, a['fields']]]);
    const ops = new RR.RelatedRecordsOperations(String(a['list']), String(a['module']));
    const r = outcome(await ops.getRelatedRecords(BigInt(String(a['id'])), p), RR.ResponseWrapper);
    return r['ok'] === true ? { status: r['status'], ok: true, ids: (r['object'] as Sdk).getData().map((x: Sdk) => String(x.getId())) } : strip(r);
  },

  async note(a) {
    const N = Z.Notes;
    const note = new N.Note();
    note.setNoteContent(a['content']);
    const parent = new N.ParentId();
    parent.setId(BigInt(String(a['id'])));
    const module = new Z.Modules.MinifiedModule();
    module.setAPIName('Leads');
    parent.setModule(module);
    note.setParentId(parent);
    const body = new N.BodyWrapper();
    body.setData([note]);
    const created = outcome(await new N.NotesOperations().createNotes(body), N.ActionWrapper);
    if (created['ok'] !== true) return strip(created);
    const item = actionItem(created['object']);
    const list = outcome(await new N.NotesOperations().getNotes(await params([[N.GetNotesParam.FIELDS, 'Note_Content,Parent_Id']])), N.ResponseWrapper);
    const notes = list['ok'] === true ? (list['object'] as Sdk).getData().map((x: Sdk) => ({ id: String(x.getId()), content: x.getNoteContent() })) : [];
    return { status: created['status'], ok: true, ...item, notes };
  },

  async tags(a) {
    const T = Z.Tags;
    const tag = new T.Tag();
    tag.setName(a['name']);
    const body = new T.NewTagRequestWrapper();
    body.setTags([tag]);
    body.setIds(String(a['ids']).split(',').map((id) => BigInt(id)));
    const r = outcome(await new T.TagsOperations().addTagsToMultipleRecords('Leads', body), T.RecordActionWrapper);
    if (r['ok'] !== true) return strip(r);
    const w = r['object'] as Sdk;
    return { status: r['status'], ok: true, codes: w.getData().map((d: Sdk) => d.getCode?.()?.getValue?.()), successCount: w.getSuccessCount?.() };
  },

  async convert(a) {
    const C = Z.ConvertLead;
    const converter = new C.LeadConverter();
    converter.setOverwrite(true);
    const body = new C.BodyWrapper();
    body.setData([converter]);
    const r = outcome(await new C.ConvertLeadOperations(BigInt(String(a['id']))).convertLead(body), C.ActionWrapper);
    if (r['ok'] !== true) return strip(r);
    const item = (r['object'] as Sdk).getData()[0];
    const details = item?.getDetails?.() as Map<string, Sdk> | undefined;
    const idOf = (key: string): string | null => {
      const v = details?.get(key);
      return v === null || v === undefined ? null : String(v.getId?.() ?? v);
    };
    return { status: r['status'], ok: true, code: item?.getCode?.()?.getValue?.(), contact: idOf('Contacts'), account: idOf('Accounts') };
  },

  async settings() {
    const module = async (M: Sdk, P: Sdk, wrap: string, call: (o: Sdk, p: Sdk) => Promise<Sdk>, getter: string, pm: [Sdk, unknown][] = []): Promise<unknown> => {
      const r = outcome(await call(new M(), await params(pm)), P);
      return r['ok'] === true ? (r['object'] as Sdk)[getter]().map((x: Sdk) => x.getAPIName?.() ?? x.getName?.()) : `${String(r['status'])} ${String(r['code'])} ${wrap}`;
    };
    return {
      modules: await module(Z.Modules.ModulesOperations, Z.Modules.ResponseWrapper, 'modules', (o, p) => o.getModules(p), 'getModules'),
      layouts: await module(Z.Layouts.LayoutsOperations, Z.Layouts.ResponseWrapper, 'layouts', (o, p) => o.getLayouts(p), 'getLayouts', [[Z.Layouts.GetLayoutsParam.MODULE, 'Leads']]),
      customViews: await module(Z.CustomViews.CustomViewsOperations, Z.CustomViews.ResponseWrapper, 'cvs', (o, p) => o.getCustomViews(p), 'getCustomViews', [[Z.CustomViews.GetCustomViewsParam.MODULE, 'Leads']]),
      relatedLists: await module(Z.RelatedLists.RelatedListsOperations, Z.RelatedLists.ResponseWrapper, 'rls', (o, p) => o.getRelatedLists(p), 'getRelatedLists', [[Z.RelatedLists.GetRelatedListsParam.MODULE, 'Leads']]),
      roles: await module(Z.Roles.RolesOperations, Z.Roles.ResponseWrapper, 'roles', (o) => o.getRoles(), 'getRoles'),
      profiles: await module(Z.Profiles.ProfilesOperations, Z.Profiles.ResponseWrapper, 'profiles', (o, p) => o.getProfiles(p), 'getProfiles'),
    };
  },

  async photo(a) {
    const R = Z.Record;
    const body = new R.FileBodyWrapper();
    body.setFile(new Z.StreamWrapper(undefined, undefined, String(a['path'])));
    const up = await new R.RecordOperations('Leads').uploadPhoto(BigInt(String(a['id'])), body);
    const got = outcome(await new R.RecordOperations('Leads').getPhoto(BigInt(String(a['id']))), R.FileBodyWrapper);
    if (got['ok'] !== true) return { uploadStatus: up.getStatusCode(), ...strip(got) };
    const file = (got['object'] as Sdk).getFile();
    return { uploadStatus: up.getStatusCode(), status: got['status'], ok: true, name: file.getName(), base64: (await readAll(file.getStream())).toString('base64') };
  },

  async zfsFiles(a) {
    const F = Z.Files;
    const body = new F.BodyWrapper();
    body.setFile([new Z.StreamWrapper(undefined, undefined, String(a['path']))]);
    const up = outcome(await new F.FilesOperations().uploadFiles(body, new Z.ParameterMap()), F.ActionWrapper);
    if (up['ok'] !== true) return strip(up);
    const item = actionItem(up['object']);
    const got = outcome(await new F.FilesOperations().getFile(await params([[F.GetFileParam.ID, item['id']]])), F.FileBodyWrapper);
    if (got['ok'] !== true) return { upload: item, ...strip(got) };
    const file = (got['object'] as Sdk).getFile();
    return { upload: item, status: got['status'], ok: true, name: file.getName(), base64: (await readAll(file.getStream())).toString('base64') };
  },

  async massUpdate(a) {
    const R = Z.Record;
    const body = new R.MassUpdateBodyWrapper();
    const record = new R.Record();
    record.addKeyValue('Company', a['company']);
    body.setData([record]);
    body.setIds(String(a['ids']).split(','));
    const r = outcome(await new R.RecordOperations('Leads').massUpdateRecords(body), R.MassUpdateActionWrapper);
    if (r['ok'] !== true) return strip(r);
    const item = (r['object'] as Sdk).getData()[0];
    const jobId = String(item.getDetails().get('job_id'));
    const status = outcome(await new R.RecordOperations('Leads').getMassUpdateStatus(await params([[R.GetMassUpdateStatusParam.JOB_ID, jobId]])), R.MassUpdateResponseWrapper);
    const job = status['ok'] === true ? (status['object'] as Sdk).getData()[0] : undefined;
    return { status: r['status'], ok: true, code: item.getCode().getValue(), jobId, jobStatus: job?.getStatus?.()?.getValue?.(), updated: job?.getUpdatedCount?.() };
  },

  async bulkRead() {
    const B = Z.BulkRead;
    const query = new B.Query();
    const module = new Z.Modules.MinifiedModule();
    module.setAPIName('Leads');
    query.setModule(module);
    query.setFields(['Last_Name', 'Company']);
    const body = new B.BodyWrapper();
    body.setQuery(query);
    const created = outcome(await new B.BulkReadOperations().createBulkReadJob(body), B.ActionWrapper);
    if (created['ok'] !== true) return strip(created);
    const jobId = String((created['object'] as Sdk).getData()[0].getDetails().get('id'));
    const details = outcome(await new B.BulkReadOperations().getBulkReadJobDetails(BigInt(jobId)), B.ResponseWrapper);
    const job = details['ok'] === true ? (details['object'] as Sdk).getData()[0] : undefined;
    const download = outcome(await new B.BulkReadOperations().downloadResult(BigInt(jobId)), B.FileBodyWrapper);
    const file = download['ok'] === true ? (download['object'] as Sdk).getFile() : undefined;
    return {
      status: created['status'],
      ok: true,
      jobId,
      state: job?.getState?.()?.getValue?.(),
      count: job?.getResult?.()?.getCount?.(),
      downloadStatus: download['status'],
      fileName: file?.getName?.(),
      zipBase64: file === undefined ? null : (await readAll(file.getStream())).toString('base64'),
    };
  },

  async execute(a) {
    const F = Z.Functions;
    const r = outcome(await new F.FunctionsOperations(String(a['function']), 'oauth').executeFunctionUsingParameters(await params([])), F.SuccessResponse);
    if (r['ok'] !== true) return strip(r);
    const o = r['object'] as Sdk;
    return { status: r['status'], ok: true, code: o.getCode?.()?.getValue?.(), output: o.getDetails?.()?.get?.('output') };
  },

  async counts() {
    const records = outcome(await new Z.Record.RecordOperations('Leads').recordCount(), Z.Record.CountWrapper);
    const users = outcome(await new Z.Users.UsersOperations().usersCount(), Z.Users.CountWrapper);
    return {
      records: records['ok'] === true ? String((records['object'] as Sdk).getCount()) : `${String(records['status'])} ${String(records['code'])}`,
      users: users['ok'] === true ? String((users['object'] as Sdk).getCount()) : `${String(users['status'])} ${String(users['code'])}`,
    };
  },
};
