/**
 * A deal's contact roles (deal_contact_roles, which Zoho serves but its OAS does not describe; our overlay does):
 * a contact is given a role on a deal, the deal's contacts are read back with their roles, and the contact is
 * taken off again; each answering what the SDK parsed.
 */
import { actionResult, expectClass, params, Z, type Args, type Sdk, type Steps } from '../sdk.js';

const id = (a: Args, key: string): bigint => BigInt(String(a[key]));

export const steps: Steps = {
  /** Assigns the role, lists the deal's contacts (Last_Name), then removes the contact from the deal. */
  async dealContactRoles(a) {
    const D = Z.DealContactRoles;
    const ops = new D.DealContactRolesOperations();
    const role = new D.ContactRole();
    role.setId(id(a, 'role'));
    const data = new D.Data();
    data.setContactRole(role);
    const body = new D.BodyWrapper();
    body.setData([data]);
    const assigned = await expectClass(ops.associateContactRoleToDeal(id(a, 'contact'), id(a, 'deal'), body), D.ActionWrapper, (w) => actionResult(w.getData()[0]));
    if (assigned['ok'] !== true) return assigned;
    const listed = await expectClass(
      ops.getAssociatedContactRoles(id(a, 'deal'), await params([[D.GetAssociatedContactRolesParam.FIELDS, 'Last_Name']])),
      D.ResponseWrapper,
      (w) => ({
        contacts: w.getData().map((c: Sdk) => ({ id: String(c.getId()), lastName: c.getKeyValue('Last_Name'), role: c.getContactRole()?.getName(), roleId: String(c.getContactRole()?.getId()) })),
      }),
    );
    const removed = await expectClass(ops.deleteContactRoleRelation(id(a, 'contact'), id(a, 'deal')), D.ActionWrapper, (w) => actionResult(w.getData()[0]));
    return { ...assigned, listed, removed };
  },
};
