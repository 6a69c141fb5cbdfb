/**
 * The areas fidelity-a left (issue 16): data_sharing, digest, email_configuration_options, email_signatures and
 * get_related_records_count (which Zoho serves but its OAS does not describe; our overlay does), and the email
 * composer's update; one call per operations class, each answering what the SDK parsed.
 */
import { actionResult, choice, expectClass, params, Z, type Args, type Sdk, type Steps } from '../sdk.js';

const id = (a: Args, key: string): bigint => BigInt(String(a[key]));

export const steps: Steps = {
  /** Reads the modules' sharing, then makes one module public read-only. */
  async dataSharing(a) {
    const D = Z.DataSharing;
    const ops = new D.DataSharingOperations();
    const got = await expectClass(ops.getDataSharing(), D.ResponseWrapper, (w) => ({
      modules: w.getDataSharing().map((s: Sdk) => ({ module: s.getModule()?.getAPIName(), shareType: choice(s.getShareType()) })),
    }));
    if (got['ok'] !== true) return got;
    const module = new D.Module();
    module.setAPIName(String(a['module']));
    const sharing = new D.DataSharing();
    sharing.setModule(module);
    sharing.setShareType(new Z.Choice('public_read_only'));
    const body = new D.BodyWrapper();
    body.setDataSharing([sharing]);
    const updated = await expectClass(ops.updateDataSharing(body), D.ActionWrapper, (w) => actionResult(w.getDataSharing()[0]));
    return { ...updated, got };
  },

  async digest(a) {
    const D = Z.Digest;
    const digest = new D.Digest();
    digest.setRecordId(id(a, 'id'));
    digest.setModule(String(a['module']));
    const body = new D.BodyWrapper();
    body.setDigest([digest]);
    return expectClass(new D.DigestOperations().createDigest(body), D.ActionWrapper, (w) => actionResult(w.getDigest()[0]));
  },

  /**
   * Reads the options, then writes one back. The SDK cannot serialise or parse a ValueDetails or PropertyDetails
   * key (its json_details names their members as structures of 'String', 'Object', 'Boolean' and throws), so the
   * option written carries its name and data type only.
   */
  async emailConfigurationOptions(a) {
    const E = Z.EmailConfigurationOptions;
    const ops = new E.EmailConfigurationOptionsOperations();
    const got = await expectClass(ops.getEmailConfigurationOptions(), E.ResponseWrapper, (w) => ({
      names: w.getConfigurationOptions().map((o: Sdk) => o.getName()),
    }));
    if (got['ok'] !== true) return got;
    const option = new E.ConfigurationOptions();
    option.setName(String(a['name']));
    option.setDataType(new Z.Choice('text'));
    const body = new E.BodyWrapper();
    body.setConfigurationOptions([option]);
    const updated = await expectClass(ops.updateEmailConfigurationOptions(body), E.ActionWrapper, (w) => actionResult(w.getConfigurationOptions()[0]));
    return { ...updated, got };
  },

  /** Sets the composer's default font, then reads the settings back. */
  async emailComposeUpdate(a) {
    const E = Z.EmailCompose;
    const ops = new E.EmailComposeOperations();
    const font = new E.Font();
    font.setFamily(String(a['family']));
    font.setSize(Number(a['size']));
    const settings = new E.EmailCompose();
    settings.setType(new Z.Choice('default'));
    settings.setFont(font);
    const body = new E.BodyWrapper();
    body.setEmailCompose([settings]);
    const updated = await expectClass(ops.updateEmailComposerDefaultSettings(body), E.ActionWrapper, (w) => actionResult(w.getEmailCompose()[0]));
    if (updated['ok'] !== true) return updated;
    const read = await expectClass(ops.getEmailComposerDefaultSettings(), E.ResponseWrapper, (w) => ({
      family: w.getEmailCompose()[0]?.getFont()?.getFamily(),
      size: w.getEmailCompose()[0]?.getFont()?.getSize(),
    }));
    return { ...updated, read };
  },

  /** Creates a signature, then reads it back by id. */
  async emailSignature(a) {
    const E = Z.EmailSignatures;
    const ops = new E.EmailSignaturesOperations();
    const signature = new E.EmailSignatures();
    signature.setName(String(a['name']));
    signature.setContent(String(a['content']));
    signature.setEditorMode(new Z.Choice('plain_text'));
    const body = new E.BodyWrapper();
    body.setEmailSignatures([signature]);
    const created = await expectClass(ops.createEmailSignatures(body, await params([[E.CreateEmailSignaturesParam.USER_ID, a['userId']]])), E.ActionWrapper, (w) => actionResult(w.getEmailSignatures()[0]));
    if (created['ok'] !== true) return created;
    const read = await expectClass(ops.getEmailSignature(BigInt(String(created['id']))), E.ResponseWrapper, (w) =>
      ({ signatures: w.getEmailSignatures().map((s: Sdk) => ({ id: String(s.getId()), name: s.getName(), content: s.getContent(), editorMode: choice(s.getEditorMode()) })) }));
    return { ...created, read };
  },

  async relatedRecordsCount(a) {
    const G = Z.GetRelatedRecordsCount;
    const lists = String(a['relatedLists']).split(',').map((name) => {
      const list = new G.RelatedList();
      list.setAPIName(name);
      const item = new G.GetRelatedRecordCount();
      item.setRelatedList(list);
      return item;
    });
    const body = new G.BodyWrapper();
    body.setGetRelatedRecordsCount(lists);
    const ops = new G.GetRelatedRecordsCountOperations(id(a, 'id'), String(a['module']));
    return expectClass(ops.getRelatedRecordsCount(body), G.ActionWrapper, (w) => ({
      counts: w.getGetRelatedRecordsCount().map((c: Sdk) => ({ itemClass: c.constructor?.name, list: c.getRelatedList?.()?.getAPIName(), count: c.getCount?.() })),
    }));
  },
};
