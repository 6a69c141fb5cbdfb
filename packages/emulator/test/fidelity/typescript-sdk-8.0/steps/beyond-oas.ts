/**
 * Steps of the beyond-oas suite (zohocrm-typescript-sdk-8.0-beyond-oas.test.ts): one call per SDK operations class
 * for signals, signals_notifications, taxes, webforms and zia_enrichment, areas Zoho serves but its OAS at 45dff2c
 * does not describe (our overlay does); a write where the area has one.
 */
import { actionResult, choice, expectClass, Z, type Sdk, type Steps } from '../sdk.js';

const str = (v: unknown): string | undefined => (v === null || v === undefined ? undefined : String(v));

export const steps: Steps = {
  /** Lists the org's signals. */
  async signals() {
    const S = Z.Signals;
    return expectClass(new S.SignalsOperations().getSignals(), S.ResponseWrapper, (w) => ({
      signals: w.getSignals().map((s: Sdk) => ({
        id: str(s.getId()),
        namespace: s.getNamespace(),
        enabled: s.getEnabled(),
        extension: s.getExtension()?.getNamespace(),
        signalsAvailable: s.getFeatureAvailability()?.getSignals(),
      })),
    }));
  },

  /** Notifies a record's owner of a signal, naming the record by module and id. */
  async signalNotification(a) {
    const N = Z.SignalsNotifications;
    const action = new N.Action();
    action.setType('link');
    action.setOpenIn('tab');
    action.setDisplayName('Open order');
    action.setUrl(String(a['url']));
    const signal = new N.Signals();
    signal.setSignalNamespace(String(a['namespace']));
    signal.setSubject(String(a['subject']));
    signal.setMessage(String(a['message']));
    signal.setModule(String(a['module']));
    signal.setId(BigInt(String(a['id'])));
    signal.setActions([action]);
    const body = new N.BodyWrapper();
    body.setSignals([signal]);
    return expectClass(new N.SignalsNotificationsOperations().createSignals(body), N.ActionWrapper, (w) => actionResult(w.getSignals()[0]));
  },

  /** Adds a tax at the head of the list, then reads it back by its id. */
  async addTax(a) {
    const T = Z.Taxes;
    const ops = new T.TaxesOperations();
    const tax = new T.Tax();
    tax.setName(String(a['name']));
    tax.setValue(Number(a['value']));
    tax.setSequenceNumber(1);
    const orgTax = new T.OrgTax();
    orgTax.setTaxes([tax]);
    const body = new T.BodyWrapper();
    body.setOrgTaxes(orgTax);
    const added = await expectClass(ops.updateTaxes(body), T.ActionWrapper, (w) => actionResult(w.getOrgTaxes()));
    if (added['ok'] !== true) return added;
    const read = await expectClass(ops.getTax(BigInt(String(added['id']))), T.ResponseWrapper, (w) => ({
      taxes: w.getOrgTaxes().getTaxes().map((t: Sdk) => ({ id: str(t.getId()), name: t.getName(), value: t.getValue(), sequenceNumber: t.getSequenceNumber(), displayLabel: t.getDisplayLabel() })),
    }));
    return { ...added, read };
  },

  /** Lists one module's web forms, then reads the first by its id. */
  async webforms(a) {
    const W = Z.Webforms;
    const ops = new W.WebformsOperations(String(a['module']));
    const form = (f: Sdk): Record<string, unknown> => ({
      id: str(f.getId()),
      name: f.getName(),
      module: f.getModule()?.getAPIName(),
      active: f.getActive(),
      fields: (f.getFields() ?? []).map((x: Sdk) => x.getAPIName()),
    });
    const listed = await expectClass(ops.getWebForms(), W.ResponseWrapper, (w) => ({ forms: w.getWebforms().map(form) }));
    const first = (listed['forms'] as { id?: string }[] | undefined)?.[0];
    if (listed['ok'] !== true || first?.id === undefined) return listed;
    const read = await expectClass(ops.getWebForm(first.id), W.ResponseWrapper, (w) => ({ forms: w.getWebforms().map(form) }));
    return { ...listed, read };
  },

  /** Reads the Zia data enrichment configurations. */
  async ziaEnrichment() {
    const E = Z.ZiaEnrichment;
    return expectClass(new E.ZiaEnrichmentOperations().getZiaEnrichment(), E.ResponseWrapper, (w) => ({
      enrichments: w.getDataEnrichment().map((d: Sdk) => ({ id: str(d.getId()), type: choice(d.getType()), status: d.getStatus(), module: d.getModule()?.getAPIName() })),
    }));
  },
};
