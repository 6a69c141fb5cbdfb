/**
 * Email areas (email_compose, email_related_records, email_sharing_details, from_addresses; fidelity-a's part of
 * issue 16): one call per operations class, each answering what the SDK parsed.
 */
import { choice, expectClass, Z, type Sdk, type Steps } from '../sdk.js';

export const steps: Steps = {
  /** A read: the update's reply (`{ email_compose: [[...]] }`, the OAS's nested array) is not yet one the SDK can parse. */
  async emailCompose() {
    const E = Z.EmailCompose;
    return expectClass(new E.EmailComposeOperations().getEmailComposerDefaultSettings(), E.ResponseWrapper, (w) => ({
      family: w.getEmailCompose()[0]?.getFont()?.getFamily(),
      type: choice(w.getEmailCompose()[0]?.getType()),
    }));
  },

  async relatedEmails(a) {
    const E = Z.EmailRelatedRecords;
    const ops = new E.EmailRelatedRecordsOperations(BigInt(String(a['id'])), String(a['module']), undefined, BigInt(String(a['ownerId'])));
    return expectClass(ops.getEmailsRelatedRecords(), E.ResponseWrapper, (w) => ({
      messageIds: (w.getEmails() ?? []).map((m: Sdk) => m.getMessageId()),
      subjects: (w.getEmails() ?? []).map((m: Sdk) => m.getSubject()),
    }));
  },

  async emailSharingDetails(a) {
    const E = Z.EmailSharingDetails;
    const ops = new E.EmailSharingDetailsOperations(BigInt(String(a['id'])), String(a['module']));
    return expectClass(ops.getEmailSharingDetails(), E.ResponseWrapper, (w) => ({ count: (w.getEmailsSharingDetails() ?? []).length }));
  },

  async fromAddresses() {
    const F = Z.FromAddresses;
    return expectClass(new F.FromAddressesOperations().getFromAddresses(), F.ResponseWrapper, (w) => ({
      addresses: w.getFromAddresses().map((x: Sdk) => ({ email: x.getEmail(), type: x.getType() })),
    }));
  },
};
