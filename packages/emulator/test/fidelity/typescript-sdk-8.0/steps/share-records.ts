/**
 * share_records (issue 16): a record shared with a user through Zoho's ShareRecordsOperations, the shares read
 * back, then revoked; each answering what the SDK parsed.
 */
import { actionResult, choice, expectClass, params, Z, type Sdk, type Steps } from '../sdk.js';

export const steps: Steps = {
  /** Shares the record with `user` (read_write, with related records), lists the shares, then revokes them all. */
  async shareRecord(a) {
    const S = Z.ShareRecords;
    const ops = new S.ShareRecordsOperations(BigInt(String(a['id'])), String(a['module']));
    const user = new Z.Users.Users();
    user.setId(BigInt(String(a['user'])));
    const share = new S.ShareRecord();
    share.setUser(user);
    share.setPermission('read_write');
    share.setShareRelatedRecords(true);
    const body = new S.BodyWrapper();
    body.setShare([share]);
    const shared = await expectClass(ops.shareRecord(body), S.ActionWrapper, (w) => actionResult(w.getShare()[0]));
    if (shared['ok'] !== true) return shared;
    const list = async (): Promise<Sdk> =>
      expectClass(ops.getSharedRecordDetails(await params([[S.GetSharedRecordDetailsParam.VIEW, 'summary']])), S.ResponseWrapper, (w) => ({
        shares: (w.getShare() ?? []).map((s: Sdk) => ({ user: String(s.getUser()?.getId()), permission: s.getPermission(), related: s.getShareRelatedRecords(), type: choice(s.getType()) })),
      }));
    const listed = await list();
    const revoked = await expectClass(ops.revokeSharedRecord(), S.DeleteActionWrapper, (w) => actionResult(w.getShare()));
    return { ...shared, listed, revoked, after: await list() };
  },
};
