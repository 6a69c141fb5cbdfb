/**
 * Record action areas (blueprint … inventory_convert, fidelity-a's part of issue 16): one call per
 * operations class on a record of the emulator, a write where the area has one, each answering what the SDK parsed.
 */
import { readAll } from '../../../../../../test-support/read-all.js';
import { actionResult, choice, expectClass, params, Z, type Args, type Sdk, type Steps } from '../sdk.js';

const id = (a: Args, key: string): bigint => BigInt(String(a[key]));

export const steps: Steps = {
  async blueprint(a) {
    const B = Z.Blueprint;
    const ops = new B.BlueprintOperations(String(a['id']), String(a['module']));
    const got = await expectClass(ops.getBlueprint(), B.ResponseWrapper, (w) => ({
      process: w.getBlueprint().getProcessInfo()?.getName(),
      transitions: w.getBlueprint().getTransitions().map((t: Sdk) => ({ id: String(t.getId()), name: t.getName() })),
    }));
    if (got['ok'] !== true) return got;
    const data = new Z.Record.Record();
    const item = new B.BluePrint();
    item.setTransitionId(String(a['transitionId']));
    item.setData(data);
    const body = new B.BodyWrapper();
    body.setBlueprint([item]);
    // Zoho answers a transition with one bare SuccessResponse (no `blueprint` wrapper).
    const moved = await expectClass(ops.updateBlueprint(body), B.SuccessResponse, (r) => actionResult(r));
    return { ...moved, got };
  },

  async bulkWriteJob(a) {
    const W = Z.BulkWrite;
    const mapping = (apiName: string, index: number): Sdk => {
      const m = new W.FieldMapping();
      m.setAPIName(apiName);
      m.setIndex(index);
      return m;
    };
    const module = new Z.Modules.MinifiedModule();
    module.setAPIName(a['module']);
    const resource = new W.Resource();
    resource.setType(new Z.Choice('data'));
    resource.setModule(module);
    resource.setFileId(a['fileId']);
    resource.setFieldMappings([mapping('Last_Name', 0), mapping('Company', 1)]);
    const body = new W.RequestWrapper();
    body.setOperation(new Z.Choice('insert'));
    body.setResource([resource]);
    const ops = new W.BulkWriteOperations();
    const created = await expectClass(ops.createBulkWriteJob(body), W.SuccessResponse, (r) => actionResult(r));
    if (created['ok'] !== true) return created;
    const job = await expectClass(ops.getBulkWriteJobDetails(String(created['id'])), W.BulkWriteResponse, (j) => ({
      jobStatus: j.getStatus(),
      operation: j.getOperation(),
      resources: j.getResource().map((r: Sdk) => ({ status: choice(r.getStatus()), module: r.getModule()?.getAPIName() })),
    }));
    return { ...created, job };
  },

  async enrollCadences(a) {
    const C = Z.CadencesExecution;
    const body = new C.BodyWrapper();
    body.setCadencesIds([String(a['cadenceId'])]);
    body.setIds([String(a['id'])]);
    return expectClass(new C.CadencesExecutionOperations().enrollCadences(String(a['module']), body), C.ActionWrapper, (w) => actionResult(w.getData()[0]));
  },

  async cancelMeeting(a) {
    const M = Z.CancelMeetings;
    const notify = new M.Notify();
    notify.setSendCancellingMail(a['sendMail']);
    const body = new M.BodyWrapper();
    body.setData([notify]);
    return expectClass(new M.CancelMeetingsOperations(id(a, 'id')).cancelMeetings(body), M.ActionWrapper, (w) => actionResult(w.getData()[0]));
  },

  async changeOwner(a) {
    const O = Z.ChangeOwner;
    const owner = new O.Owner();
    owner.setId(id(a, 'ownerId'));
    const body = new O.BodyWrapper();
    body.setOwner(owner);
    body.setNotify(false);
    return expectClass(new O.ChangeOwnerOperations(String(a['module'])).singleUpdate(id(a, 'id'), body), O.ActionWrapper, (w) => actionResult(w.getData()[0]));
  },

  /**
   * The SDK's first leadConversionOptions() in a process asks `settings/fields?module=Leads,Contacts,Deals,Accounts`
   * (its static module name is only split on a later call), which Zoho refuses, and throws; the second call works.
   */
  async conversionOptions(a) {
    const C = Z.ConversionOption;
    let firstError: string | null = null;
    await new C.ConversionOptionOperations(id(a, 'id')).leadConversionOptions().catch((e: Sdk) => {
      firstError = String(e?.details?.code ?? e?.message ?? e);
    });
    const second = await expectClass(new C.ConversionOptionOperations(id(a, 'id')).leadConversionOptions(), C.ResponseWrapper, (w) => {
      const options = w.getConversionOptions();
      return {
        modulePreference: options.getModulePreference()?.getAPIName?.() ?? null,
        contacts: (options.getContacts() ?? []).map((r: Sdk) => String(r.getId())),
        accounts: (options.getAccounts() ?? []).map((r: Sdk) => String(r.getId())),
      };
    });
    return { ...second, firstError };
  },

  async entityScores(a) {
    const E = Z.EntityScores;
    return expectClass(new E.EntityScoresOperations(String(a['fields'])).getEntityScores(), E.ResponseWrapper, (w) => ({
      scores: w.getData().map((s: Sdk) => ({ entity: String(s.getEntity()?.getId()), score: s.getScore(), positiveScore: s.getPositiveScore() })),
    }));
  },

  async fieldAttachment(a) {
    const F = Z.FieldAttachments;
    const ops = new F.FieldAttachmentsOperations(String(a['module']), id(a, 'id'), id(a, 'attachmentId'));
    return expectClass(ops.getFieldAttachments(), F.FileBodyWrapper, async (w) => ({
      name: w.getFile().getName(),
      base64: (await readAll(w.getFile().getStream())).toString('base64'),
    }));
  },

  async merge(a) {
    const M = Z.FindAndMerge;
    const data = new M.MergeData();
    data.setId(id(a, 'duplicateId'));
    const merge = new M.Merge();
    merge.setData([data]);
    const body = new M.BodyWrapper();
    body.setMerge([merge]);
    const ops = new M.FindAndMergeOperations(String(a['module']), id(a, 'id'));
    return expectClass(ops.mergeRecords(body), M.ActionWrapper, (w) => actionResult(w.getMerge()[0]));
  },

  async inventoryConvert(a) {
    const I = Z.InventoryConvert;
    const module = new I.Module();
    module.setAPIName(a['to']);
    const to = new I.ConvertTo();
    to.setModule(module);
    to.setCarryOverTags(false);
    const converter = new I.InventoryConverter();
    converter.setConvertTo([to]);
    const body = new I.BodyWrapper();
    body.setData([converter]);
    const ops = new I.InventoryConvertOperations(id(a, 'id'), String(a['module']));
    return expectClass(ops.convertInventory(body), I.ActionWrapper, (w) => {
      const item = w.getData()[0];
      // details holds the new record as the SDK's inventory_convert Record, under the target module's name.
      const created = item?.getDetails?.()?.get(String(a['to']));
      const result = actionResult(item);
      delete result['details'];
      return { ...result, created: { id: String(created?.getId?.()), name: created?.getName?.() } };
    });
  },

  async inventoryMassConvert(a) {
    const I = Z.InventoryMassConvert;
    const module = new I.Module();
    module.setAPIName(a['to']);
    module.setId(id(a, 'toModuleId'));
    const to = new I.ConvertTo();
    to.setModule(module);
    to.setCarryOverTags(false);
    const owner = new I.User();
    owner.setId(id(a, 'ownerId'));
    const body = new I.BodyWrapper();
    body.setConvertTo([to]);
    body.setAssignTo(owner);
    body.setIds(String(a['ids']).split(',').map((x) => BigInt(x)));
    const ops = new I.InventoryMassConvertOperations(String(a['module']));
    const scheduled = await expectClass(ops.massInventoryConvert(body), I.SuccessResponse, (r) => ({
      code: choice(r.getCode()),
      message: choice(r.getMessage()),
      jobId: String(r.getDetails()?.get('job_id')),
    }));
    if (scheduled['ok'] !== true) return scheduled;
    const query = await params([[I.GetScheduledJobsDetailsParam.JOB_ID, BigInt(String(scheduled['jobId']))]]);
    const job = await expectClass(ops.getScheduledJobsDetails(query), I.ResponseWrapper, (w) => ({
      data: w.getData().map((st: Sdk) => ({ status: st.getStatus(), total: st.getTotalCount(), converted: st.getConvertedCount(), notConverted: st.getNotConvertedCount(), failed: st.getFailedCount() })),
    }));
    return { ...scheduled, job };
  },
};
