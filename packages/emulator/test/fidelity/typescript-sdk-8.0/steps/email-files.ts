/**
 * A record's emails with their files (download_attachments, download_inline_images, associate_email; issue 16):
 * one call per operations class, each answering what the SDK parsed.
 */
import { readAll } from '../../../../../../test-support/read-all.js';
import { actionResult, expectClass, params, outcome, strip, Z, type Args, type Reply, type Sdk, type Steps } from '../sdk.js';

const id = (a: Args, key: string): bigint => BigInt(String(a[key]));

/** A downloaded file as the SDK handed it back, with the reply's Content-Type. */
async function file(response: Sdk, expected: Sdk): Promise<Reply> {
  const r = outcome(response, expected);
  if (r['ok'] !== true) return strip(r);
  const f = (r['object'] as Sdk).getFile();
  const headers = response.getHeaders() as Map<string, string>;
  return { status: r['status'], ok: true, name: f.getName(), contentType: headers.get('content-type'), base64: (await readAll(f.getStream())).toString('base64') };
}

export const steps: Steps = {
  /** A record's emails: message ids, attachments and the inline image ids (`img_id`) of each content. */
  async recordEmails(a) {
    const E = Z.EmailRelatedRecords;
    const ops = new E.EmailRelatedRecordsOperations(id(a, 'id'), String(a['module']), undefined, id(a, 'ownerId'));
    return expectClass(ops.getEmailsRelatedRecords(), E.ResponseWrapper, (w) => ({
      emails: (w.getEmails() ?? []).map((m: Sdk) => ({
        messageId: m.getMessageId(),
        subject: m.getSubject(),
        from: m.getFrom()?.getEmail(),
        to: (m.getTo() ?? []).map((t: Sdk) => t.getEmail()),
        hasAttachment: m.getHasAttachment(),
        attachments: (m.getAttachments() ?? []).map((x: Sdk) => ({ id: x.getId(), name: x.getName(), size: x.getSize() })),
        inlineImages: [...String(m.getContent() ?? '').matchAll(/img_id="([^"]+)"/g)].map((x) => x[1]),
      })),
    }));
  },

  async emailAttachment(a) {
    const D = Z.DownloadAttachments;
    const P = D.GetDownloadAttachmentsDetailsParam;
    const p = await params([[P.USER_ID, id(a, 'userId')], [P.MESSAGE_ID, a['messageId']], [P.ID, a['fileId']], [P.NAME, a['name']]]);
    return file(await new D.DownloadAttachmentsOperations().getDownloadAttachmentsDetails(id(a, 'id'), String(a['module']), p), D.FileBodyWrapper);
  },

  async emailInlineImage(a) {
    const D = Z.DownloadInlineImages;
    const P = D.GetDownloadInlineImagesParam;
    const p = await params([[P.USER_ID, id(a, 'userId')], [P.MESSAGE_ID, a['messageId']], [P.ID, a['fileId']]]);
    return file(await new D.DownloadInlineImagesOperations().getDownloadInlineImages(id(a, 'id'), String(a['module']), p), D.FileBodyWrapper);
  },

  /** Associates one received email (with one attachment, a file-system id) with the record. */
  async associateEmail(a) {
    const A = Z.AssociateEmail;
    const person = (cls: Sdk, name: string, email: string): Sdk => {
      const p = new cls();
      p.setUserName(name);
      p.setEmail(email);
      return p;
    };
    const module = new A.ModuleMap();
    module.setAPIName(String(a['module']));
    module.setId(id(a, 'moduleId'));
    const linked = new A.LinkedRecord();
    linked.setModule(module);
    linked.setId(id(a, 'id'));
    const attachment = new A.Attachments();
    attachment.setId(String(a['fileId']));
    const email = new A.AssociateEmail();
    email.setFrom(person(A.From, 'Patricia', String(a['from'])));
    email.setTo([person(A.To, 'Charles', String(a['to']))]);
    email.setSubject(String(a['subject']));
    email.setContent('<div>Thanks, see the attached terms.</div>');
    email.setMailFormat(new Z.Choice('html'));
    email.setOriginalMessageId(String(a['originalMessageId']));
    email.setSent(false);
    email.setDateTime(new Date(String(a['dateTime'])));
    email.setLinkedRecord(linked);
    email.setAttachments([attachment]);
    const body = new A.BodyWrapper();
    body.setEmails([email]);
    return expectClass(new A.AssociateEmailOperations().associate(id(a, 'id'), String(a['module']), body), A.ActionWrapper, (w) => actionResult(w.getEmails()[0]));
  },
};
