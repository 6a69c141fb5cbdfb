/**
 * The emulated organisation: users, roles, profiles and the org record, with the JSON keys of wire spec §8.
 * Users, roles and profiles reference each other by `{name, id}`, so build them together through
 * {@link defaultDirectory} (or pass the roles and profiles to {@link defaultUsers}).
 */
import type { IdGenerator } from '../ids.js';
import { formatZohoDateTime } from '../time.js';

export const ADMIN_EMAIL = 'admin@emulator.zoho.local';

type Ref = { name: string; id: string };

/** A user as `GET /users` returns it (wire spec §8 "user", mixed case as on the wire). */
export interface SeedUser {
  id: string;
  first_name: string | null;
  last_name: string;
  full_name: string;
  name: string;
  email: string;
  role: Ref;
  profile: Ref;
  /** `active`, `disabled` or `deleted`. */
  status: string;
  confirm: boolean;
  zuid: string;
  alias: string | null;
  city: string | null;
  country: string | null;
  country_locale: string;
  state: string | null;
  street: string | null;
  zip: string | null;
  phone: string | null;
  mobile: string | null;
  fax: string | null;
  website: string | null;
  language: string;
  locale: string;
  time_zone: string;
  time_format: string;
  date_format: string;
  decimal_separator: string;
  name_format: string;
  offset: number;
  dob: string | null;
  signature: string | null;
  microsoft: boolean;
  personal_account: boolean;
  Isonline: boolean;
  Currency: string;
  default_tab_group: string;
  theme: Record<string, unknown>;
  customize_info: Record<string, unknown>;
  territories: unknown[];
  Reporting_To: Ref | null;
  created_by: Ref | null;
  Modified_By: Ref | null;
  created_time: string;
  Modified_Time: string;
  [key: string]: unknown;
}

const ref = (x: Record<string, unknown> | undefined): Ref => ({ name: String(x?.['name'] ?? ''), id: String(x?.['id'] ?? '') });

/** CEO → Manager → Sales Representative. */
export function defaultRoles(ids: IdGenerator): Record<string, unknown>[] {
  const ceo = ids.next();
  const manager = ids.next();
  return [
    { id: ceo, name: 'CEO', display_label: 'CEO', reporting_to: null, share_with_peers: true, admin_user: true, forecast_manager: null, description: 'Users with this role have access to the data owned by all other users.' },
    { id: manager, name: 'Manager', display_label: 'Manager', reporting_to: { name: 'CEO', id: ceo }, share_with_peers: false, admin_user: false, forecast_manager: null, description: 'Users belonging to this role cannot see data for admin users.' },
    { id: ids.next(), name: 'Sales Representative', display_label: 'Sales Representative', reporting_to: { name: 'Manager', id: manager }, share_with_peers: false, admin_user: false, forecast_manager: null, description: '' },
  ];
}

const PERMISSIONS = ['Crm_Implied_View_Leads', 'Crm_Implied_Create_Leads', 'Crm_Implied_Edit_Leads', 'Crm_Implied_Delete_Leads', 'Crm_Implied_Export', 'Crm_Implied_Manage_Settings'];

/** Administrator (every permission) and Standard (all but settings), both system profiles. */
export function defaultProfiles(ids: IdGenerator, nowMs: number): Record<string, unknown>[] {
  const created = formatZohoDateTime(nowMs);
  const profile = (name: string, isDefault: boolean, description: string, allowSettings: boolean): Record<string, unknown> => {
    const permissions = PERMISSIONS.map((p) => ({
      display_label: p.replace(/^Crm_Implied_/, '').replace(/_/g, ' '),
      module: p.endsWith('_Leads') ? 'Leads' : null,
      name: p,
      id: ids.next(),
      enabled: allowSettings || p !== 'Crm_Implied_Manage_Settings',
    }));
    return {
      id: ids.next(),
      name,
      display_label: name,
      default: isDefault,
      category: false,
      description,
      created_by: null,
      modified_by: null,
      created_time: created,
      modified_time: created,
      permissions_details: permissions,
      sections: [{ name: 'Basic', categories: [{ display_label: 'Modules', permissions_details: permissions.map((p) => p.id), name: 'modules' }] }],
    };
  };
  return [
    profile('Administrator', false, 'This profile will have all the permissions. Users with Administrator profile will be able to view and manage all the data within the organization account by default.', true),
    profile('Standard', true, 'This profile will have all the permissions except administrative privileges.', false),
  ];
}

/** Role and profile references for users; defaults build fresh ones from `ids`. */
export interface DirectoryRefs {
  /** Default: `defaultRoles(ids)`. */
  roles?: Record<string, unknown>[];
  /** Default: `defaultProfiles(ids, nowMs)`. */
  profiles?: Record<string, unknown>[];
}

/**
 * Five users: the active confirmed admin Patricia Boyle first, then an active manager, an active user who
 * has not confirmed the invitation, a deactivated administrator and a deleted user, so every `type` filter of
 * `GET /users` selects something distinct.
 */
export function defaultUsers(ids: IdGenerator, nowMs: number, refs: DirectoryRefs = {}): Record<string, unknown>[] {
  const roles = refs.roles ?? defaultRoles(ids);
  const profiles = refs.profiles ?? defaultProfiles(ids, nowMs);
  const byName = (list: Record<string, unknown>[], name: string, fallback: number): Ref =>
    ref(list.find((x) => x['name'] === name) ?? list[fallback] ?? list[0]);
  const created = formatZohoDateTime(nowMs);
  const users: SeedUser[] = [];
  const add = (first: string, last: string, email: string, role: string, profile: string, status: string, confirm: boolean): void => {
    const id = ids.next();
    const admin = users[0];
    const adminRef = admin === undefined ? { name: `${first} ${last}`, id } : { name: admin.full_name, id: admin.id };
    users.push({
      id,
      first_name: first,
      last_name: last,
      full_name: `${first} ${last}`,
      name: `${first} ${last}`,
      email,
      role: byName(roles, role, 0),
      profile: byName(profiles, profile, 0),
      status,
      confirm,
      // Zoho's zuid is the Accounts-wide user id: digits, shorter than a CRM id.
      zuid: String(700_000_000 + (ids.counter % 100_000_000)),
      alias: null,
      city: null,
      country: 'US',
      country_locale: 'en_US',
      state: null,
      street: null,
      zip: null,
      phone: null,
      mobile: null,
      fax: null,
      website: null,
      language: 'en_US',
      locale: 'en_US',
      time_zone: 'UTC',
      time_format: 'hh:mm a',
      date_format: 'MM/dd/yyyy',
      decimal_separator: 'Period',
      name_format: 'Salutation,First Name,Last Name',
      offset: 0,
      dob: null,
      signature: null,
      microsoft: false,
      personal_account: false,
      Isonline: false,
      Currency: 'US Dollar - USD',
      default_tab_group: '0',
      theme: {
        normal_tab: { font_color: '#FFFFFF', background: '#222222' },
        selected_tab: { font_color: '#FFFFFF', background: '#222222' },
        new_background: null,
        background: '#F3F0EB',
        screen: 'fixed',
        type: 'default',
      },
      customize_info: { notes_desc: null, show_right_panel: null, bc_view: null, show_home: false, show_detail_view: true, unpin_recent_item: null },
      territories: [],
      Reporting_To: admin === undefined ? null : adminRef,
      created_by: adminRef,
      Modified_By: adminRef,
      created_time: created,
      Modified_Time: created,
    });
  };
  add('Patricia', 'Boyle', ADMIN_EMAIL, 'CEO', 'Administrator', 'active', true);
  add('Sam', 'Rivera', 'sam.rivera@emulator.zoho.local', 'Manager', 'Standard', 'active', true);
  add('Lin', 'Park', 'lin.park@emulator.zoho.local', 'Sales Representative', 'Standard', 'active', false);
  add('Dana', 'Okafor', 'dana.okafor@emulator.zoho.local', 'Manager', 'Administrator', 'disabled', true);
  add('Chris', 'Nolan', 'chris.nolan@emulator.zoho.local', 'Sales Representative', 'Standard', 'deleted', true);
  return users;
}

const USER_FILTERS: Record<string, (u: Record<string, unknown>, currentUserId: string) => boolean> = {
  allusers: (u) => u['status'] !== 'deleted',
  activeusers: (u) => u['status'] === 'active',
  deactiveusers: (u) => u['status'] === 'disabled' || u['status'] === 'inactive',
  confirmedusers: (u) => u['status'] !== 'deleted' && u['confirm'] === true,
  notconfirmedusers: (u) => u['status'] !== 'deleted' && u['confirm'] !== true,
  deletedusers: (u) => u['status'] === 'deleted',
  activeconfirmedusers: (u) => u['status'] === 'active' && u['confirm'] === true,
  adminusers: (u) => u['status'] !== 'deleted' && isAdmin(u),
  activeconfirmedadmins: (u) => u['status'] === 'active' && u['confirm'] === true && isAdmin(u),
  currentuser: (u, current) => u['id'] === current,
};

function isAdmin(u: Record<string, unknown>): boolean {
  const p = u['profile'];
  return typeof p === 'object' && p !== null && (p as Record<string, unknown>)['name'] === 'Administrator';
}

/** The users a `GET /users?type=` value selects (case-insensitive); null for an unknown type. */
export function filterUsersByType(users: Record<string, unknown>[], type: string, currentUserId: string): Record<string, unknown>[] | null {
  const test = USER_FILTERS[type.toLowerCase()];
  if (test === undefined) return null;
  return users.filter((u) => test(u, currentUserId));
}

/** The org record (`GET /org`); `admin` supplies `primary_email` / `primary_zuid` (default: the seed admin's email, no zuid). */
export function defaultOrg(ids: IdGenerator, admin?: Record<string, unknown>): Record<string, unknown> {
  const id = ids.next();
  // The org's group id is a shorter digit string than record ids (bulk write's X-CRM-ORG carries it).
  const zgid = String(800_000_000 + Number(ids.next().slice(-8)));
  return {
    id,
    company_name: 'Emulated Org',
    alias: null,
    primary_email: admin === undefined ? ADMIN_EMAIL : admin['email'],
    primary_zuid: admin === undefined ? null : admin['zuid'],
    zgid,
    domain_name: `org${zgid}`,
    phone: null,
    mobile: null,
    fax: null,
    website: null,
    street: null,
    city: null,
    state: null,
    zip: null,
    country: 'United States',
    country_code: 'US',
    description: null,
    employee_count: '5',
    currency: 'US Dollar - USD',
    currency_symbol: '$',
    currency_locale: 'en_US',
    iso_code: 'USD',
    time_zone: 'UTC',
    mc_status: false,
    gapps_enabled: false,
    translation_enabled: false,
    privacy_settings: false,
    photo_id: null,
    zia_portal_id: null,
    license_details: { paid: true, paid_type: 'enterprise', paid_expiry: null, trial_type: null, trial_expiry: null, users_license_purchased: 10 },
  };
}

/** Roles, profiles, users and org built together so every `{name, id}` reference resolves. */
export function defaultDirectory(ids: IdGenerator, nowMs: number): {
  roles: Record<string, unknown>[];
  profiles: Record<string, unknown>[];
  users: Record<string, unknown>[];
  org: Record<string, unknown>;
} {
  const roles = defaultRoles(ids);
  const profiles = defaultProfiles(ids, nowMs);
  const users = defaultUsers(ids, nowMs, { roles, profiles });
  return { roles, profiles, users, org: defaultOrg(ids, users[0]) };
}
