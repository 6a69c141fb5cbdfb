/**
 * Users and portals areas (issue 16, fidelity-e's part): portals, portal user types and their users, a user's
 * territories, transfer-and-delete, users' unavailability, variable groups and wizards; one call per operations
 * class (a write where the area has one), each answering what the SDK parsed.
 */
import { actionResult, choice, expectClass, params, Z, type Sdk, type Steps } from '../sdk.js';

const id = (value: unknown): bigint => BigInt(String(value));

export const steps: Steps = {
  async createPortal(a) {
    const P = Z.Portals;
    const portal = new P.Portals();
    portal.setName(a['name']);
    const body = new P.BodyWrapper();
    body.setPortals([portal]);
    const ops = new P.PortalsOperations();
    const created = await expectClass(ops.createPortal(body), P.ActionWrapper, (w) => actionResult(w.getPortals()[0]));
    if (created['ok'] !== true) return created;
    const list = await expectClass(ops.getPortals(), P.ResponseWrapper, (w) => ({
      portals: w.getPortals().map((p: Sdk) => ({ name: p.getName(), zaid: p.getZaid(), active: p.getActive() })),
    }));
    return { ...created, list };
  },

  async userTypes(a) {
    const T = Z.PortalUserType;
    return expectClass(new T.PortalUserTypeOperations(String(a['portal'])).getUserTypes(new Z.ParameterMap()), T.ResponseWrapper, (w) => ({
      userTypes: w.getUserType().map((t: Sdk) => ({ id: String(t.getId()), name: t.getName(), modules: t.getModules()?.map((m: Sdk) => m.getAPIName()) })),
    }));
  },

  async updateUserType(a) {
    const T = Z.PortalUserType;
    const type = new T.UserType();
    type.setName(a['name']);
    type.setActive(a['active']);
    const body = new T.BodyWrapper();
    body.setUserType([type]);
    const ops = new T.PortalUserTypeOperations(String(a['portal']));
    const updated = await expectClass(ops.updateUserType(id(a['userType']), body), T.ActionWrapper, (w) => actionResult(w.getUserType()[0]));
    if (updated['ok'] !== true) return updated;
    const read = await expectClass(ops.getUserType(id(a['userType'])), T.ResponseWrapper, (w) => {
      const t = w.getUserType()[0];
      return { id: String(t.getId()), name: t.getName(), active: t.getActive() };
    });
    return { ...updated, read };
  },

  async changePortalUserStatus(a) {
    const U = Z.UserTypeUsers;
    const ops = new U.UserTypeUsersOperations(id(a['userType']), String(a['portal']));
    const list = await params([[U.GetUsersOfUserTypeParam.TYPE, 'all']]);
    const users = await expectClass(ops.getUsersOfUserType(list), U.ResponseWrapper, (w) => ({
      users: w.getUsers().map((u: Sdk) => ({ id: String(u.getPersonalityId()), email: u.getEmail(), active: u.getActive() })),
    }));
    if (users['ok'] !== true) return users;
    const user = (users['users'] as { id: string }[])[0];
    if (user === undefined) return { users };
    const p = await params([[U.ChangeUsersStatusParam.ACTIVE, a['active']]]);
    const changed = await expectClass(ops.changeUsersStatus(id(user.id), p), U.StatusActionWrapper, (w) => actionResult(w.getChangeStatus()[0]));
    return { ...changed, users };
  },

  /** The org's territories, to associate one with a user (the territories area itself is fidelity-d's). */
  async territoryIds() {
    const T = Z.Territories;
    return expectClass(new T.TerritoriesOperations().getTerritories(new Z.ParameterMap()), T.ResponseWrapper, (w) => ({
      ids: w.getTerritories().map((t: Sdk) => String(t.getId())),
    }));
  },

  async associateTerritories(a) {
    const T = Z.UsersTerritories;
    const territory = new T.Territory();
    territory.setId(id(a['territory']));
    const body = new T.BodyWrapper();
    body.setTerritories([territory]);
    const ops = new T.UsersTerritoriesOperations(id(a['user']));
    const associated = await expectClass(ops.associateTerritoriesToUser(body), T.ActionWrapper, (w) => actionResult(w.getTerritories()[0]));
    if (associated['ok'] !== true) return associated;
    const list = await expectClass(ops.getTerritoriesOfUser(), T.ResponseWrapper, (w) => ({
      territories: w.getTerritories().map((t: Sdk) => ({ id: String(t.getId()), name: t.getName() })),
    }));
    return { ...associated, list };
  },

  async transferAndDeleteUser(a) {
    const D = Z.UsersTransferDelete;
    const transfer = new D.Transfer();
    transfer.setId(id(a['to']));
    transfer.setRecords(true);
    transfer.setAssignment(true);
    transfer.setCriteria(true);
    const subordinate = new D.MoveSubordinate();
    subordinate.setId(id(a['to']));
    const entry = new D.TransferAndDelete();
    entry.setTransfer(transfer);
    entry.setMoveSubordinate(subordinate);
    const body = new D.BodyWrapper();
    body.setTransferAndDelete([entry]);
    return expectClass(new D.UsersTransferDeleteOperations().userTransferAndDelete(id(a['user']), body), D.ActionWrapper, (w) => actionResult(w.getTransferAndDelete()[0]));
  },

  async createUnavailability(a) {
    const U = Z.UsersUnavailability;
    const user = new U.User();
    user.setId(id(a['user']));
    user.setName(a['userName']);
    user.setZuid(String(a['zuid']));
    const away = new U.UsersUnavailability();
    away.setUser(user);
    away.setFrom(new Date(String(a['from'])));
    away.setTo(new Date(String(a['to'])));
    away.setAllDay(false);
    away.setTitle(a['title']);
    away.setComments(a['comments']);
    away.setService(a['service']);
    const body = new U.BodyWrapper();
    body.setUsersUnavailability([away]);
    const ops = new U.UsersUnavailabilityOperations();
    const created = await expectClass(ops.createUsersUnavailability(body), U.ActionWrapper, (w) => actionResult(w.getUsersUnavailability()[0]));
    if (created['ok'] !== true) return created;
    const read = await expectClass(ops.getUserUnavailability(id(created['id']), new Z.ParameterMap()), U.ResponseWrapper, (w) => {
      const x = w.getUsersUnavailability()[0];
      return { id: String(x.getId()), title: x.getTitle(), comments: x.getComments(), user: String(x.getUser()?.getId()), service: choice(x.getService()) };
    });
    return { ...created, read };
  },

  async variableGroups() {
    const V = Z.VariableGroups;
    return expectClass(new V.VariableGroupsOperations().getVariableGroups(), V.ResponseWrapper, (w) => ({
      groups: w.getVariableGroups().map((g: Sdk) => ({ id: String(g.getId()), apiName: g.getAPIName(), name: g.getName() })),
    }));
  },

  async wizards(a) {
    const W = Z.Wizards;
    const ops = new W.WizardsOperations();
    const list = await expectClass(ops.getWizards(), W.ResponseWrapper, (w) => ({
      wizards: w.getWizards().map((x: Sdk) => ({ id: String(x.getId()), name: x.getName(), module: x.getModule()?.getAPIName?.() })),
    }));
    if (list['ok'] !== true) return list;
    const first = (list['wizards'] as { id: string }[])[0];
    if (first === undefined) return list;
    const layout = await params([[W.GetWizardByIDParam.LAYOUT_ID, id(a['layout'])]]);
    const one = await expectClass(ops.getWizardById(id(first.id), layout), W.ResponseWrapper, (w) => ({
      id: String(w.getWizards()[0]?.getId()),
      containers: w.getWizards()[0]?.getContainers()?.length ?? 0,
    }));
    return { ...list, one };
  },
};
