/**
 * Org and module settings areas (apis … inventory_templates, fidelity-a's part of issue 16): one call per
 * operations class, a write where the area has one, each answering what the SDK parsed.
 */
import { actionResult, choice, expectClass, params, Z, type Sdk, type Steps } from '../sdk.js';

/** The first item of an action wrapper's list getter (or its single getter). */
function firstAction(items: Sdk): Sdk {
  return Array.isArray(items) ? items[0] : items;
}

export const steps: Steps = {
  async supportedApis() {
    const A = Z.Apis;
    return expectClass(new A.APIsOperations().getSupportedAPI(), A.ResponseWrapper, (w) => ({
      paths: w.getApis().map((api: Sdk) => api.getPath()),
      methods: w.getApis()[0]?.getOperationTypes()?.map((t: Sdk) => t.getMethod()) ?? [],
    }));
  },

  async appointmentPreference(a) {
    const P = Z.AppointmentPreference;
    const pref = new P.AppointmentPreference();
    pref.setShowJobSheet(a['showJobSheet']);
    pref.setWhenDurationExceeds(a['whenDurationExceeds']);
    const body = new P.BodyWrapper();
    body.setAppointmentPreferences(pref);
    const ops = new P.AppointmentPreferenceOperations();
    const updated = await expectClass(ops.updateAppointmentPreference(body), P.ActionWrapper, (w) => actionResult(firstAction(w.getAppointmentPreferences())));
    if (updated['ok'] !== true) return updated;
    const read = await expectClass(ops.getAppointmentPreference(), P.ResponseWrapper, (w) => ({
      showJobSheet: w.getAppointmentPreferences().getShowJobSheet(),
      whenDurationExceeds: w.getAppointmentPreferences().getWhenDurationExceeds(),
    }));
    return { ...updated, read };
  },

  async assignmentRules(a) {
    const R = Z.AssignmentRules;
    const p = await params([[R.GetAssignmentRulesParam.MODULE, a['module']]]);
    return expectClass(new R.AssignmentRulesOperations().getAssignmentRules(p), R.ResponseWrapper, (w) => ({
      rules: w.getAssignmentRules().map((r: Sdk) => ({ id: String(r.getId()), name: r.getName() })),
    }));
  },

  async auditLogExport(a) {
    const L = Z.AuditLogExport;
    const condition = (apiName: string, comparator: string, value: unknown): Sdk => {
      const field = new L.Field();
      field.setAPIName(apiName);
      const c = new L.Criteria();
      c.setField(field);
      c.setComparator(comparator);
      c.setValue(value);
      return c;
    };
    const criteria = new L.Criteria();
    criteria.setGroupOperator('and');
    criteria.setGroup([condition('action', 'equal', a['action']), condition('done_by', 'in', [String(a['userId'])])]);
    const job = new L.AuditLogExport();
    job.setCriteria(criteria);
    const body = new L.BodyWrapper();
    body.setAuditLogExport([job]);
    return expectClass(new L.AuditLogExportOperations().createAuditlogExport(body), L.ActionWrapper, (w) => actionResult(w.getAuditLogExport()[0]));
  },

  async availableCurrencies() {
    const C = Z.AvailableCurrencies;
    return expectClass(new C.AvailableCurrenciesOperations().getAvailableCurrencies(), C.ResponseWrapper, (w) => ({
      isoCodes: w.getAvailableCurrencies().map((c: Sdk) => c.getIsoCode()),
    }));
  },

  async backup(a) {
    const B = Z.Backup;
    const backup = new B.Backup();
    backup.setRrule(a['rrule']);
    backup.setStartDate(new Date(String(a['startDate'])));
    const body = new B.BodyWrapper();
    body.setBackup(backup);
    return expectClass(new B.BackupOperations().schedule(body), B.ActionWrapper, (w) => actionResult(w.getBackup()));
  },

  async businessHours(a) {
    const H = Z.BusinessHours;
    const hours = new H.BusinessHours();
    hours.setType(new Z.Choice('custom'));
    hours.setWeekStartsOn(new Z.Choice('Monday'));
    hours.setBusinessDays(String(a['days']).split(',').map((d) => new Z.Choice(d)));
    hours.setSameAsEveryday(true);
    hours.setDailyTiming(String(a['timing']).split(','));
    const body = new H.BodyWrapper();
    body.setBusinessHours(hours);
    const ops = new H.BusinessHoursOperations();
    const updated = await expectClass(ops.updateBusinessHours(body), H.ActionWrapper, (w) => actionResult(w.getBusinessHours()));
    if (updated['ok'] !== true) return updated;
    const read = await expectClass(ops.getBusinessHours(), H.ResponseWrapper, (w) => ({
      type: choice(w.getBusinessHours().getType()),
      businessDays: w.getBusinessHours().getBusinessDays()?.map(choice),
      dailyTiming: w.getBusinessHours().getDailyTiming(),
    }));
    return { ...updated, read };
  },

  async cadences() {
    const C = Z.Cadences;
    return expectClass(new C.CadencesOperations().getCadences(), C.ResponseWrapper, (w) => ({
      cadences: w.getCadences().map((c: Sdk) => ({ id: String(c.getId()), name: c.getName(), module: c.getModule()?.getAPIName() })),
    }));
  },

  async callPreferences(a) {
    const C = Z.CallPreferences;
    const pref = new C.CallPreferences();
    pref.setShowFromNumber(a['showFromNumber']);
    pref.setShowToNumber(a['showToNumber']);
    const body = new C.BodyWrapper();
    body.setCallPreferences(pref);
    const ops = new C.CallPreferencesOperations();
    const updated = await expectClass(ops.updateCallPreference(body), C.ActionWrapper, (w) => actionResult(w.getCallPreferences()));
    if (updated['ok'] !== true) return updated;
    const read = await expectClass(ops.getCallPreference(), C.ResponseWrapper, (w) => ({
      showFromNumber: w.getCallPreferences().getShowFromNumber(),
      showToNumber: w.getCallPreferences().getShowToNumber(),
    }));
    return { ...updated, read };
  },

  async duplicateCheckPreference() {
    const D = Z.DuplicateCheckPreference;
    const current = new D.CurrentField();
    current.setAPIName('Email');
    current.setName('Email');
    const mapped = new D.MappedField();
    mapped.setAPIName('Email');
    mapped.setName('Email');
    const mapping = new D.FieldMappings();
    mapping.setCurrentField(current);
    mapping.setMappedField(mapped);
    const module = new D.MappedModule();
    module.setAPIName('Contacts');
    module.setName('Contacts');
    const config = new D.TypeConfiguration();
    config.setMappedModule(module);
    config.setFieldMappings([mapping]);
    const pref = new D.DuplicateCheckPreference();
    pref.setType(new Z.Choice('mapped_module_records'));
    pref.setTypeConfigurations([config]);
    const body = new D.BodyWrapper();
    body.setDuplicateCheckPreference(pref);
    const ops = new D.DuplicateCheckPreferenceOperations('Leads');
    return expectClass(ops.createDuplicateCheckPreference(body), D.ActionWrapper, (w) => actionResult(firstAction(w.getDuplicateCheckPreference())));
  },

  async emailTemplates(a) {
    const E = Z.EmailTemplates;
    const p = await params([[E.GetEmailTemplatesParam.MODULE, a['module']]]);
    return expectClass(new E.EmailTemplatesOperations().getEmailTemplates(p), E.ResponseWrapper, (w) => ({
      templates: w.getEmailTemplates().map((t: Sdk) => ({ id: String(t.getId()), name: t.getName(), module: t.getModule()?.getAPIName() })),
    }));
  },

  async features() {
    const F = Z.Features;
    return expectClass(new F.FeaturesOperations().getFeatureDetails(), F.ResponseWrapper, (w) => ({
      apiNames: w.getFeatures().map((f: Sdk) => f.getAPIName()),
    }));
  },

  async fieldMapDependency(a) {
    const M = Z.FieldMapDependency;
    const parent = new M.Parent();
    parent.setAPIName(a['parent']);
    const child = new M.Child();
    child.setAPIName(a['child']);
    const map = new M.PicklistMap();
    map.setActualValue(a['childValue']);
    const mapping = new M.PickListMapping();
    mapping.setActualValue(a['parentValue']);
    mapping.setMaps([map]);
    const dependency = new M.MapDependency();
    dependency.setParent(parent);
    dependency.setChild(child);
    dependency.setPickListValues([mapping]);
    const body = new M.BodyWrapper();
    body.setMapDependency([dependency]);
    const ops = new M.FieldMapDependencyOperations(BigInt(String(a['layoutId'])), 'Leads');
    return expectClass(ops.createMapDependency(body), M.ActionWrapper, (w) => actionResult(w.getMapDependency()[0]));
  },

  async fiscalYear(a) {
    const F = Z.FiscalYear;
    const year = new F.Year();
    year.setStartMonth(new Z.Choice(a['startMonth']));
    year.setDisplayBasedOn(new Z.Choice(a['displayBasedOn']));
    const body = new F.BodyWrapper();
    body.setFiscalYear(year);
    const ops = new F.FiscalYearOperations();
    const updated = await expectClass(ops.updateFiscalYear(body), F.ActionWrapper, (w) => actionResult(w.getFiscalYear()));
    if (updated['ok'] !== true) return updated;
    const read = await expectClass(ops.getFiscalYear(), F.ResponseWrapper, (w) => ({
      startMonth: choice(w.getFiscalYear().getStartMonth()),
      displayBasedOn: choice(w.getFiscalYear().getDisplayBasedOn()),
    }));
    return { ...updated, read };
  },

  async globalPicklist(a) {
    const G = Z.GlobalPicklists;
    const values = String(a['values'])
      .split(',')
      .map((v, i) => {
        const value = new G.PickListValues();
        value.setDisplayValue(v);
        value.setActualValue(v);
        value.setSequenceNumber(i + 1);
        value.setType(new Z.Choice('used'));
        return value;
      });
    const picklist = new G.Picklist();
    picklist.setDisplayLabel(a['label']);
    picklist.setAPIName(a['apiName']);
    picklist.setActualLabel(a['label']);
    picklist.setPickListValues(values);
    const body = new G.BodyWrapper();
    body.setGlobalPicklists([picklist]);
    const ops = new G.GlobalPicklistsOperations();
    const created = await expectClass(ops.createGlobalPicklist(body), G.ActionWrapper, (w) => actionResult(w.getGlobalPicklists()[0]));
    if (created['ok'] !== true) return created;
    const read = await expectClass(ops.getGlobalPicklist(BigInt(String(created['id']))), G.ResponseWrapper, (w) => ({
      label: w.getGlobalPicklists()[0]?.getDisplayLabel(),
      values: w.getGlobalPicklists()[0]?.getPickListValues()?.map((v: Sdk) => v.getActualValue()),
    }));
    return { ...created, read };
  },

  async holidays(a) {
    const H = Z.Holidays;
    const holiday = new H.BusinessHoliday();
    holiday.setName(a['name']);
    holiday.setDate(new Date(String(a['date'])));
    holiday.setType('business_holiday');
    const body = new H.CreateBusinessHoliday();
    body.setHolidays([holiday]);
    const ops = new H.HolidaysOperations();
    return expectClass(ops.createHolidays(body), H.ActionWrapper, (w) => actionResult(w.getHolidays()[0]));
  },

  async inventoryTemplates(a) {
    const I = Z.InventoryTemplates;
    const p = await params([[I.GetInventoryTemplatesParam.MODULE, a['module']]]);
    return expectClass(new I.InventoryTemplatesOperations().getInventoryTemplates(p), I.ResponseWrapper, (w) => ({
      templates: w.getInventoryTemplates().map((t: Sdk) => ({ id: String(t.getId()), name: t.getName() })),
    }));
  },
};
