/**
 * Steps of the org-settings suite (zohocrm-typescript-sdk-8.0-org-settings.test.ts): one call per SDK operations
 * class for notifications, pick list values, pipelines, record locking configuration, scoring rules, the
 * service preference, sharing rules, shift hours, territories and their users, unsubscribe links, user groups,
 * variables and the Zia org/people enrichments; a write where the area has one, each sending the fields Zoho's
 * OAS marks required.
 */
import { actionResult, expectClass, params, Z, type Args, type Reply, type Sdk, type Steps } from '../sdk.js';

const id = (value: unknown): bigint => BigInt(String(value));

/** `HH:mm` as the Date the SDK's shift-hours model takes (it writes only the time of day). */
function timeOfDay(hhmm: string): Date {
  const [h = 0, m = 0] = hhmm.split(':').map(Number);
  const d = new Date(0);
  d.setHours(h, m, 0, 0);
  return d;
}

/**
 * One enrichment request through the Zia org or people enrichment operations (same shape, own classes):
 * `basis` names the EnrichBasedOn setters to call, the module (and optional record) go in the query.
 */
async function ziaEnrichment(E: Sdk, name: 'ZiaOrgEnrichment' | 'ZiaPeopleEnrichment', a: Args, basis: Record<string, unknown>): Promise<Reply> {
  const based = new E.EnrichBasedOn();
  for (const [setter, value] of Object.entries(basis)) based[setter](value);
  const enrichment = new E[name]();
  enrichment.setEnrichBasedOn(based);
  const body = new E.BodyWrapper();
  body[`set${name}`]([enrichment]);
  const param = E[`Create${name}Param`];
  const p = await params([
    [param.MODULE, a['module']],
    [param.RECORD_ID, a['recordId'] === undefined ? undefined : id(a['recordId'])],
  ]);
  return expectClass(new E[`${name}Operations`]()[`create${name}`](body, p), E.ActionWrapper, (w) => actionResult(w[`get${name}`]()[0]));
}

export const steps: Steps = {
  async enableNotification(a) {
    const N = Z.Notifications;
    const watch = new N.Notification();
    watch.setChannelId(String(a['channelId']));
    watch.setEvents(String(a['events']).split(','));
    watch.setNotifyUrl(a['notifyUrl']);
    watch.setToken(a['token']);
    const body = new N.BodyWrapper();
    body.setWatch([watch]);
    return expectClass(new N.NotificationsOperations().enableNotifications(body), N.ActionWrapper, (w) => actionResult(w.getWatch()[0]));
  },

  async pickListValues(a) {
    const P = Z.PickListValues;
    return expectClass(new P.PickListValuesOperations(id(a['fieldId']), String(a['module'])).getPickListValues(), P.ResponseWrapper, (w) => ({
      values: w.getPickListValues().map((v: Sdk) => ({ actual: v.getActualValue(), display: v.getDisplayValue() })),
    }));
  },

  async createPipeline(a) {
    const P = Z.Pipeline;
    const forecast = new P.ForecastCategory();
    forecast.setName('Pipeline');
    const stage = new P.Maps();
    stage.setDisplayValue(a['stage']);
    stage.setActualValue(a['stage']);
    stage.setSequenceNumber(1);
    stage.setForecastType('Open');
    stage.setForecastCategory(forecast);
    const pipeline = new P.Pipeline();
    pipeline.setDisplayValue(a['name']);
    pipeline.setActualValue(a['name']);
    pipeline.setDefault(false);
    pipeline.setMaps([stage]);
    const body = new P.BodyWrapper();
    body.setPipeline([pipeline]);
    return expectClass(new P.PipelineOperations(id(a['layoutId'])).createPipeline(body), P.ActionWrapper, (w) => actionResult(w.getPipeline()[0]));
  },

  async addRecordLockingConfiguration(a) {
    const R = Z.RecordLockingConfiguration;
    const config = new R.RecordLock();
    config.setLockType(new Z.Choice(a['lockType']));
    config.setFeatureType('record_locking');
    config.setLockedFor('all_users');
    config.setLockForPortalUsers(false);
    config.setRestrictedActions(['update']);
    const body = new R.BodyWrapper();
    body.setRecordLockingConfigurations([config]);
    return expectClass(new R.RecordLockingConfigurationOperations(String(a['module'])).addRecordLockingConfiguration(body), R.ActionWrapper, (w) =>
      actionResult(w.getRecordLockingConfigurations()[0]),
    );
  },

  async createScoringRule(a) {
    const S = Z.ScoringRules;
    const field = new S.Field();
    field.setAPIName(a['field']);
    const criteria = new S.Criteria();
    criteria.setComparator('equal');
    criteria.setField(field);
    criteria.setValue(a['value']);
    const fieldRule = new S.FieldRule();
    fieldRule.setScore(Number(a['score']));
    fieldRule.setCriteria(criteria);
    const layout = new S.Layout();
    layout.setId(id(a['layoutId']));
    const module = new Z.Modules.Modules();
    module.setAPIName(a['module']);
    const rule = new S.ScoringRule();
    rule.setName(a['name']);
    rule.setDescription(a['description']);
    rule.setActive(true);
    rule.setModule(module);
    rule.setLayout(layout);
    rule.setFieldRules([fieldRule]);
    const body = new S.BodyWrapper();
    body.setScoringRules([rule]);
    return expectClass(new S.ScoringRulesOperations().createScoringRules(body), S.ActionWrapper, (w) => actionResult(w.getScoringRules()[0]));
  },

  async servicePreference(a) {
    const S = Z.ServicePreference;
    const pref = new S.ServicePreference();
    pref.setJobSheetEnabled(a['jobSheetEnabled']);
    const body = new S.BodyWrapper();
    body.setServicePreferences(pref);
    const ops = new S.ServicePreferenceOperations();
    const updated = await expectClass(ops.updateServicePreference(body), S.ActionWrapper, (w) => actionResult(w.getServicePreferences()));
    if (updated['ok'] !== true) return updated;
    const read = await expectClass(ops.getServicePreference(), S.ResponseWrapper, (w) => ({ jobSheetEnabled: w.getServicePreferences().getJobSheetEnabled() }));
    return { ...updated, read };
  },

  async createSharingRule(a) {
    const S = Z.SharingRules;
    const shared = (type: string, resourceId: unknown, resourceName: unknown): Sdk => {
      const resource = new S.Resource();
      resource.setId(id(resourceId));
      resource.setName(resourceName);
      const x = new S.Shared();
      x.setType(new Z.Choice(type));
      x.setResource(resource);
      x.setSubordinates(false);
      return x;
    };
    const field = new S.Field();
    field.setAPIName(a['field']);
    const criteria = new S.Criteria();
    criteria.setComparator('equal');
    criteria.setField(field);
    criteria.setValue(a['value']);
    criteria.setType('value');
    const module = new S.Module();
    module.setAPIName(a['module']);
    module.setName(a['module']);
    const rule = new S.SharingRules();
    rule.setName(a['name']);
    rule.setType(new Z.Choice('Criteria_Based'));
    rule.setPermissionType(new Z.Choice('read'));
    rule.setStatus(new Z.Choice('active'));
    rule.setSuperiorsAllowed(false);
    rule.setModule(module);
    rule.setCriteria(criteria);
    rule.setSharedTo(shared('roles', a['roleId'], a['roleName']));
    const body = new S.BodyWrapper();
    body.setSharingRules([rule]);
    return expectClass(new S.SharingRulesOperations(String(a['module'])).createSharingRules(body), S.ActionWrapper, (w) => actionResult(w.getSharingRules()[0]));
  },

  async createShiftHours(a) {
    const S = Z.ShiftHours;
    const user = new S.Users();
    user.setId(id(a['userId']));
    const shift = new S.ShiftHours();
    shift.setName(a['name']);
    shift.setTimezone(require('moment-timezone').tz.zone(String(a['timezone'])));
    shift.setSameAsEveryday(true);
    shift.setShiftDays(String(a['days']).split(','));
    shift.setDailyTiming(String(a['timing']).split(',').map(timeOfDay));
    shift.setUsers([user]);
    const body = new S.BodyWrapper();
    body.setShiftHours([shift]);
    const ops = new S.ShiftHoursOperations();
    const created = await expectClass(ops.createShiftsHours(body), S.ActionWrapper, (w) => actionResult(w.getShiftHours()[0]));
    if (created['ok'] !== true) return created;
    const read = await expectClass(ops.getShiftHour(id(created['id'])), S.ResponseWrapper, (w) => {
      const s = w.getShiftHours()[0];
      return { name: s?.getName(), timezone: s?.getTimezone()?.name ?? null, days: s?.getShiftDays(), timing: s?.getDailyTiming()?.map((t: Date) => `${String(t.getHours()).padStart(2, '0')}:${String(t.getMinutes()).padStart(2, '0')}`) };
    });
    return { ...created, read };
  },

  async createTerritory(a) {
    const T = Z.Territories;
    const manager = new T.Manager();
    manager.setId(id(a['managerId']));
    manager.setName(a['managerName']);
    // Zoho's docs: reporting_to (the parent territory) is mandatory; its id comes from GET Territories.
    const ops = new T.TerritoriesOperations();
    const parent = (await ops.getTerritories()).getObject().getTerritories()[0];
    const reportingTo = new T.ReportingTo();
    reportingTo.setId(parent.getId());
    reportingTo.setName(parent.getName());
    const territory = new T.Territories();
    territory.setName(a['name']);
    territory.setDescription(a['description']);
    territory.setManager(manager);
    territory.setReportingTo(reportingTo);
    territory.setPermissionType(new Z.Choice('read_write_delete'));
    const body = new T.BodyWrapper();
    body.setTerritories([territory]);
    return { parentId: String(parent.getId()), ...(await expectClass(ops.createTerritories(body), T.ActionWrapper, (w) => actionResult(w.getTerritories()[0]))) };
  },

  async assignTerritoryUsers(a) {
    const T = Z.TerritoryUsers;
    const user = new Z.Users.Users();
    user.setId(id(a['userId']));
    const body = new T.BodyWrapper();
    body.setUsers([user]);
    const ops = new T.TerritoryUsersOperations();
    const updated = await expectClass(ops.updateTerritoryUsers(id(a['territoryId']), body), T.ActionWrapper, (w) => actionResult(w.getUsers()[0]));
    if (updated['ok'] !== true) return updated;
    const read = await expectClass(ops.getTerritoryUsers(id(a['territoryId'])), T.ResponseWrapper, (w) => ({ userIds: w.getUsers().map((u: Sdk) => String(u.getId())) }));
    return { ...updated, read };
  },

  /** Each territory's user count (the territories area's associated_users_count), by territory id. */
  async territoryUserCounts() {
    const T = Z.Territories;
    return expectClass(new T.TerritoriesOperations().getAssociatedUserCount(), T.AssociatedUsersCountWrapper, (w) => ({
      counts: Object.fromEntries(w.getAssociatedUsersCount().map((c: Sdk) => [String(c.getTerritory().getId()), c.getCount()])),
    }));
  },

  async createUnsubscribeLink(a) {
    const U = Z.UnsubscribeLinks;
    const link = new U.UnsubscribeLinks();
    link.setName(a['name']);
    link.setPageType(new Z.Choice('standard'));
    link.setStandardPageMessage(a['message']);
    link.setSubmissionActionType(new Z.Choice('display_message'));
    link.setSubmissionMessage('You are unsubscribed');
    link.setLandingUrl(a['landingUrl']);
    const body = new U.BodyWrapper();
    body.setUnsubscribeLinks([link]);
    return expectClass(new U.UnsubscribeLinksOperations().createUnsubscribeLink(body), U.ActionWrapper, (w) => actionResult(w.getUnsubscribeLinks()[0]));
  },

  async createUserGroup(a) {
    const G = Z.UserGroups;
    const source = new G.Source();
    source.setId(id(a['userId']));
    source.setName(a['userName']);
    const sources = new G.Sources();
    sources.setType(new Z.Choice('users'));
    sources.setSource(source);
    const group = new G.Groups();
    group.setName(a['name']);
    group.setDescription(a['description']);
    group.setSources([sources]);
    const body = new G.BodyWrapper();
    body.setUserGroups([group]);
    return expectClass(new G.UserGroupsOperations().createGroups(body), G.ActionWrapper, (w) => actionResult(w.getUserGroups()[0]));
  },

  async createVariable(a) {
    const V = Z.Variables;
    // A variable belongs to a group: the org's first, as GET variable_groups lists it.
    const first = (await new Z.VariableGroups.VariableGroupsOperations().getVariableGroups()).getObject().getVariableGroups()[0];
    const group = new V.VariableGroup();
    group.setId(first.getId());
    group.setAPIName(first.getAPIName());
    group.setName(first.getName());
    const variable = new V.Variable();
    variable.setName(a['name']);
    variable.setAPIName(a['apiName']);
    variable.setType(new Z.Choice('integer'));
    variable.setValue(Number(a['value']));
    variable.setVariableGroup(group);
    const body = new V.BodyWrapper();
    body.setVariables([variable]);
    return { groupId: String(first.getId()), ...(await expectClass(new V.VariablesOperations().createVariables(body), V.ActionWrapper, (w) => actionResult(w.getVariables()[0]))) };
  },

  async ziaOrgEnrichment(a) {
    return ziaEnrichment(Z.ZiaOrgEnrichment, 'ZiaOrgEnrichment', a, { setName: a['company'], setWebsite: a['website'] });
  },

  async ziaPeopleEnrichment(a) {
    return ziaEnrichment(Z.ZiaPeopleEnrichment, 'ZiaPeopleEnrichment', a, { setName: a['name'], setEmail: a['email'] });
  },
};
