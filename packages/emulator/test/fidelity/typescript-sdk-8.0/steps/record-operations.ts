/**
 * Steps of the record-operations suite (zohocrm-typescript-sdk-8.0-record-operations.test.ts): one call per SDK
 * operations class that acts on records: mail merge, mass change owner, mass delete, mass tag delete, record
 * locking, e-mail sharing and unblocking, send mail, portal invites, the recycle bin, reschedule history and
 * timelines.
 */
import { actionItem, actionResult, choice, expectClass, params, Z, type Sdk, type Steps } from '../sdk.js';

const id = (value: unknown): bigint => BigInt(String(value));

/** The current user as the SDK sees it (send mail and mail merge write from the user's own address). */
async function currentUserEmail(): Promise<string> {
  const U = Z.Users;
  const p = await params([[U.GetUsersParam.TYPE, 'CurrentUser']]);
  const r = await new U.UsersOperations().getUsers(p);
  return String(r.getObject().getUsers()[0].getEmail());
}

export const steps: Steps = {
  async sendMailMerge(a) {
    const M = Z.MailMerge;
    const address = (value: string): Sdk => {
      const x = new M.Address();
      x.setType('email');
      x.setValue(value);
      return x;
    };
    const merge = new M.MailMerge();
    const template = new M.MailMergeTemplate();
    template.setName(a['template']);
    merge.setMailMergeTemplate(template);
    merge.setFromAddress(address(await currentUserEmail()));
    merge.setToAddress([address(String(a['to']))]);
    merge.setSubject(a['subject']);
    merge.setType('attachment');
    merge.setAttachmentName('welcome');
    const body = new M.MailMergeWrapper();
    body.setSendMailMerge([merge]);
    return expectClass(new M.MailMergeOperations(String(a['module']), String(a['id'])).sendMailMerge(body), M.ActionWrapper, (w) => ({
      items: w.getSendMailMerge().map((x: Sdk) => x.constructor.name),
      code: choice(w.getSendMailMerge()[0]?.getCode?.()),
    }));
  },

  async massChangeOwner(a) {
    const M = Z.MassChangeOwner;
    const body = new M.BodyWrapper();
    body.setCvid(id(a['cvid']));
    const owner = new M.Owner();
    owner.setId(id(a['owner']));
    body.setOwner(owner);
    if (a['criteriaField'] !== undefined) {
      // One plain condition (no group): Zoho's SDK sends only the keys it was given.
      const field = new M.Field();
      field.setAPIName(String(a['criteriaField']));
      const criteria = new M.Criteria();
      criteria.setField(field);
      criteria.setComparator(String(a['comparator']));
      criteria.setValue(a['value']);
      body.setCriteria(criteria);
    }
    return expectClass(new M.MassChangeOwnerOperations(String(a['module'])).changeOwner(body), M.ActionWrapper, (w) => actionItem(w));
  },

  async massDeleteByIds(a) {
    const M = Z.MassDeleteCvid;
    const body = new M.RecordIdBodyWrapper();
    body.setIds(String(a['ids']).split(',').map(id));
    return expectClass(new M.MassDeleteCvidOperations(String(a['module'])).massDeleteByRecordId(body), M.ActionWrapper, (w) => actionItem(w));
  },

  async massDeleteTags(a) {
    const M = Z.MassDeleteTags;
    const entry = new M.MassDelete();
    const module = new M.Module();
    module.setAPIName(a['module']);
    entry.setModule(module);
    const tag = new M.Tag();
    tag.setId(id(a['tag']));
    entry.setTags([tag]);
    const body = new M.BodyWrapper();
    body.setMassDelete([entry]);
    const ops = new M.MassDeleteTagsOperations();
    const scheduled = await expectClass(ops.massDeleteTags(body), M.SuccessResponse, (r) => ({
      code: choice(r.getCode()),
      jobId: String(r.getDetails().get('job_id')),
    }));
    if (scheduled['ok'] !== true) return scheduled;
    const p = await params([[M.GetStatusParam.JOB_ID, scheduled['jobId']]]);
    const job = await expectClass(ops.getStatus(p), M.StatusResponseWrapper, (w) => {
      const d = w.getMassDelete()[0];
      return { itemClass: d?.constructor?.name, jobId: String(d?.getJobId()), jobStatus: choice(d?.getStatus()), total: d?.getTotalCount(), deleted: d?.getDeletedCount(), failed: d?.getFailedCount() };
    });
    return { ...scheduled, job };
  },

  async lockRecord(a) {
    const L = Z.RecordLocking;
    const lock = new L.LockRecord();
    lock.setLockedReasonS(a['reason']);
    const body = new L.BodyWrapper();
    body.setData([lock]);
    const ops = new L.RecordLockingOperations(id(a['id']), String(a['module']));
    const locked = await expectClass(ops.lockRecords(body), L.ActionWrapper, (w) => actionItem(w));
    if (locked['ok'] !== true) return locked;
    const list = await expectClass(ops.getRecordLockingInformations(), L.ResponseWrapper, (w) => ({
      locks: w.getData().map((l: Sdk) => ({ id: String(l.getId()), reason: l.getLockedReasonS(), source: choice(l.getLockSourceS()) })),
    }));
    return { ...locked, list };
  },

  async shareEmails(a) {
    const S = Z.RecordShareEmail;
    return expectClass(new S.RecordShareEmailOperations(String(a['module'])).shareEmails(id(a['id'])), S.ActionWrapper, (w) => actionItem(w));
  },

  async unblockEmails(a) {
    const U = Z.UnblockEmail;
    const body = new U.BodyWrapper();
    body.setIds(String(a['ids']).split(','));
    body.setUnblockFields(['Email']);
    return expectClass(new U.UnblockEmailOperations(String(a['module'])).unblockEmails(body), U.ActionWrapper, (w) => actionItem(w));
  },

  async sendMail(a) {
    const S = Z.SendMail;
    const mail = new S.Data();
    const from = new S.From();
    from.setEmail(await currentUserEmail());
    from.setUserName('Admin');
    mail.setFrom(from);
    const to = new S.To();
    to.setEmail(a['to']);
    mail.setTo([to]);
    mail.setSubject(a['subject']);
    mail.setContent('Hello from the fidelity suite');
    mail.setMailFormat(new Z.Choice('text'));
    const body = new S.BodyWrapper();
    body.setData([mail]);
    return expectClass(new S.SendMailOperations(id(a['id']), String(a['module'])).sendMail(body), S.ActionWrapper, (w) => actionItem(w));
  },

  async inviteToPortal(a) {
    const P = Z.PortalInvite;
    const p = await params([
      [P.InviteUsersParam.USER_TYPE_ID, id(a['userType'])],
      [P.InviteUsersParam.TYPE, 'invite'],
    ]);
    return expectClass(new P.PortalInviteOperations(String(a['module'])).inviteUsers(id(a['id']), p), P.ActionWrapper, (w) => actionResult(w.getPortalInvite()[0]));
  },

  async recycleBin(a) {
    const B = Z.RecycleBin;
    const filters = JSON.stringify({ comparator: 'equal', field: { api_name: 'module' }, value: a['module'] });
    const p = await params([[B.GetRecycleBinRecordsParam.FILTERS, filters]]);
    return expectClass(new B.RecycleBinOperations().getRecyclebinRecords(p), B.ResponseWrapper, (w) => ({
      records: w.getRecycleBin().map((r: Sdk) => ({ id: String(r.getId()), name: r.getDisplayName(), module: r.getModule()?.getAPIName() })),
    }));
  },

  async rescheduleHistory(a) {
    const H = Z.RescheduleHistory;
    const entry = new H.RescheduleHistory();
    entry.setRescheduleReason(a['reason']);
    entry.setRescheduledFrom(new Date(String(a['from'])));
    entry.setRescheduledTo(new Date(String(a['to'])));
    entry.setRescheduledTime(new Date(String(a['from'])));
    const appointment = new H.AppointmentName();
    appointment.setId(id(a['appointment']));
    appointment.setName(a['appointmentName']);
    entry.setAppointmentName(appointment);
    const by = new H.User();
    by.setId(id(a['user']));
    by.setName(a['userName']);
    by.setEmail(a['userEmail']);
    entry.setRescheduledBy(by);
    const body = new H.BodyWrapper();
    body.setData([entry]);
    return expectClass(new H.RescheduleHistoryOperations().addAppointmentsRescheduledHistory(body), H.ActionWrapper, (w) => actionItem(w));
  },

  async timeline(a) {
    const T = Z.Timelines;
    return expectClass(new T.TimelinesOperations().getTimelines(String(a['module']), String(a['id'])), T.ResponseWrapper, (w) => ({
      actions: w.getTimeline().map((t: Sdk) => t.getAction()),
      recordIds: w.getTimeline().map((t: Sdk) => String(t.getRecord()?.getId())),
    }));
  },
};

