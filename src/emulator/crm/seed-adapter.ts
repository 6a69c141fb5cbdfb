/**
 * The one place the CRM state reads seed data from, so the shape the seed package exports is adapted here
 * and nowhere else. The shared seed (src/emulator/seed/*) had not landed when this was written, so a private
 * fallback serves; switching means `loadSeed` returning standardModules / nonApiModules / defaultUsers /
 * defaultRoles / defaultProfiles / defaultOrg / initialDataset, `generateValues` calling
 * generateRecordValues and `filterUsers` calling filterUsersByType. Related lists need a non-null `href`
 * and a string `module`, or the official SDK refuses them.
 */
import type { FieldMeta, ModuleDefinition, ModuleMeta } from '../seed/types.js';
import type { IdGenerator } from '../ids.js';
import { formatZohoDateTime } from '../time.js';
import type { SeedData } from './store-types.js';

export function loadSeed(ids: IdGenerator, seed: number, nowMs: number): SeedData {
  return fallbackSeed(ids, seed, nowMs);
}

export function generateValues(module: string, index: number, seed: number): Record<string, unknown> {
  const n = index + 1;
  switch (module) {
    case 'Leads':
    case 'Contacts':
      return { First_Name: `First${n}`, Last_Name: `Last${n}`, Email: `person${n}.${seed}@example.com`, Company: `Company ${n}` };
    default:
      return {};
  }
}

// ---------------------------------------------------------------- minimal private fallback

function field(ids: IdGenerator, api_name: string, data_type: string, extra: Partial<FieldMeta> = {}): FieldMeta {
  const json_type: FieldMeta['json_type'] =
    data_type === 'integer' ? 'integer' : ['double', 'currency', 'percent'].includes(data_type) ? 'double' : data_type === 'boolean' ? 'boolean'
      : ['lookup', 'ownerlookup', 'userlookup'].includes(data_type) ? 'jsonobject' : ['multiselectpicklist', 'subform'].includes(data_type) ? 'jsonarray' : 'string';
  const label = api_name.replace(/_/g, ' ');
  return {
    id: ids.next(),
    api_name,
    field_label: label,
    display_label: label,
    data_type,
    json_type,
    length: data_type === 'textarea' ? 32000 : 255,
    custom_field: false,
    system_mandatory: false,
    read_only: false,
    field_read_only: false,
    visible: true,
    pick_list_values: [],
    lookup: {},
    ...extra,
  };
}

function module(ids: IdGenerator, api_name: string, displayField: string, fields: FieldMeta[], extra: Partial<ModuleDefinition> = {}): ModuleDefinition {
  const id = ids.next();
  const meta: ModuleMeta = {
    id,
    api_name,
    module_name: api_name,
    singular_label: api_name.replace(/s$/, ''),
    plural_label: api_name,
    api_supported: true,
    generated_type: 'default',
    creatable: true,
    editable: true,
    deletable: true,
    viewable: true,
    convertable: api_name === 'Leads',
  };
  return {
    meta,
    fields,
    displayField,
    uniqueFields: [],
    photoSupported: ['Leads', 'Contacts', 'Accounts', 'Products', 'Vendors'].includes(api_name),
    layouts: [{ id: ids.next(), name: 'Standard', status: 'active' }],
    relatedLists: [],
    customViews: [{ id: ids.next(), name: `All ${api_name}`, display_value: `All ${api_name}`, default: true, sort_by: null, sort_order: null, criteria: null }],
    ...extra,
  };
}

function common(ids: IdGenerator): FieldMeta[] {
  return [
    field(ids, 'Owner', 'ownerlookup'),
    field(ids, 'Created_By', 'ownerlookup', { read_only: true }),
    field(ids, 'Modified_By', 'ownerlookup', { read_only: true }),
    field(ids, 'Created_Time', 'datetime', { read_only: true }),
    field(ids, 'Modified_Time', 'datetime', { read_only: true }),
  ];
}

const lookupTo = (m: string): Partial<FieldMeta> => ({ lookup: { module: m, display_label: m, api_name: m, id: '1' } });

function fallbackSeed(ids: IdGenerator, seed: number, nowMs: number): SeedData {
  const email = (n: string): FieldMeta => field(ids, n, 'email', { unique: { casesensitive: 'false' } });
  const modules = [
    module(ids, 'Leads', 'Full_Name', [
      ...common(ids),
      field(ids, 'First_Name', 'text'),
      field(ids, 'Last_Name', 'text', { system_mandatory: true }),
      field(ids, 'Full_Name', 'text', { read_only: true }),
      field(ids, 'Company', 'text'),
      email('Email'),
      field(ids, 'Phone', 'phone'),
      field(ids, 'Lead_Status', 'picklist', {
        pick_list_values: ['-None-', 'Contacted', 'Not Contacted'].map((v, i) => ({ display_value: v, actual_value: v, sequence_number: i })),
      }),
      field(ids, 'No_of_Employees', 'integer'),
      field(ids, 'Annual_Revenue', 'currency'),
    ], { uniqueFields: ['Email'] }),
    module(ids, 'Contacts', 'Full_Name', [
      ...common(ids),
      field(ids, 'First_Name', 'text'),
      field(ids, 'Last_Name', 'text', { system_mandatory: true }),
      field(ids, 'Full_Name', 'text', { read_only: true }),
      email('Email'),
      field(ids, 'Phone', 'phone'),
      field(ids, 'Account_Name', 'lookup', lookupTo('Accounts')),
    ], { uniqueFields: ['Email'] }),
    module(ids, 'Accounts', 'Account_Name', [...common(ids), field(ids, 'Account_Name', 'text', { system_mandatory: true }), field(ids, 'Phone', 'phone')], {
      uniqueFields: ['Account_Name'],
    }),
    module(ids, 'Deals', 'Deal_Name', [
      ...common(ids),
      field(ids, 'Deal_Name', 'text', { system_mandatory: true }),
      field(ids, 'Stage', 'picklist', {
        system_mandatory: true,
        pick_list_values: ['Qualification', 'Closed Won'].map((v, i) => ({ display_value: v, actual_value: v, sequence_number: i })),
      }),
      field(ids, 'Closing_Date', 'date'),
      field(ids, 'Amount', 'currency'),
      field(ids, 'Account_Name', 'lookup', lookupTo('Accounts')),
      field(ids, 'Contact_Name', 'lookup', lookupTo('Contacts')),
    ]),
    module(ids, 'Products', 'Product_Name', [...common(ids), field(ids, 'Product_Name', 'text', { system_mandatory: true }), field(ids, 'Unit_Price', 'currency')]),
    module(ids, 'Notes', 'Note_Title', [...common(ids), field(ids, 'Note_Title', 'text'), field(ids, 'Note_Content', 'textarea', { system_mandatory: true }), field(ids, 'Parent_Id', 'lookup')]),
    module(ids, 'Tasks', 'Subject', [...common(ids), field(ids, 'Subject', 'text', { system_mandatory: true }), field(ids, 'What_Id', 'lookup'), field(ids, 'Who_Id', 'lookup', lookupTo('Contacts'))]),
    // Other default modules: their name field (mandatory) and the common fields.
    ...(
      [
        ['Events', 'Event_Title'],
        ['Calls', 'Subject'],
        ['Vendors', 'Vendor_Name'],
        ['Campaigns', 'Campaign_Name'],
        ['Cases', 'Subject'],
        ['Solutions', 'Solution_Title'],
        ['Price_Books', 'Price_Book_Name'],
        ['Quotes', 'Subject'],
        ['Sales_Orders', 'Subject'],
        ['Purchase_Orders', 'Subject'],
        ['Invoices', 'Subject'],
      ] as const
    ).map(([name, display]) =>
      module(ids, name, display, [
        ...common(ids),
        field(ids, display, 'text', { system_mandatory: true }),
        ...(['Events', 'Calls'].includes(name) ? [field(ids, 'What_Id', 'lookup'), field(ids, 'Who_Id', 'lookup', lookupTo('Contacts'))] : []),
      ]),
    ),
  ];
  // The official SDK refuses a related list whose href is null, and fetches fields of its `module`.
  const related = (parent: string, list: string[]): Record<string, unknown>[] =>
    list.map((name, i) => ({
      id: ids.next(),
      sequence_number: String(i + 1),
      display_label: name.replace(/_/g, ' '),
      api_name: name,
      module: name,
      name,
      action: null,
      href: `${parent}/{${parent}.id}/${name}`,
      type: 'default',
    }));
  const relatedByModule: Record<string, string[]> = {
    Leads: ['Notes', 'Attachments', 'Products', 'Campaigns', 'Activities'],
    Contacts: ['Notes', 'Attachments', 'Deals', 'Products', 'Campaigns', 'Activities'],
    Accounts: ['Notes', 'Attachments', 'Contacts', 'Deals', 'Products', 'Activities'],
    Deals: ['Notes', 'Attachments', 'Products', 'Contacts', 'Activities'],
    Products: ['Notes', 'Attachments', 'Leads', 'Contacts', 'Accounts', 'Deals'],
  };
  for (const m of modules) m.relatedLists = related(m.meta.api_name, relatedByModule[m.meta.api_name] ?? ['Notes', 'Attachments']);
  const nonApiModules: ModuleMeta[] = ['Home', 'Feeds', 'Reports', 'Dashboards', 'Forecasts', 'Documents', 'Projects', 'Social'].map((name) => ({
    ...module(ids, name, 'id', []).meta,
    api_supported: false,
    creatable: false,
    editable: false,
    deletable: false,
    convertable: false,
  }));
  const ceoId = ids.next();
  const roles: Record<string, unknown>[] = [
    { id: ceoId, name: 'CEO', display_label: 'CEO', reporting_to: null, share_with_peers: true, admin_user: true, forecast_manager: null, description: 'Users with this role have access to the data owned by all other users.' },
    { id: ids.next(), name: 'Manager', display_label: 'Manager', reporting_to: { name: 'CEO', id: ceoId }, share_with_peers: false, admin_user: false, forecast_manager: null, description: '' },
  ];
  const profiles = [
    { id: ids.next(), name: 'Administrator', display_label: 'Administrator', default: false, category: false, description: 'This profile will have all the permissions.', created_by: null, modified_by: null, created_time: null, modified_time: null },
    { id: ids.next(), name: 'Standard', display_label: 'Standard', default: true, category: false, description: 'This profile will have all the permissions except administrative privileges.', created_by: null, modified_by: null, created_time: null, modified_time: null },
  ];
  const ref = (x: Record<string, unknown> | undefined): { name: string; id: string } => ({ name: String(x?.['name'] ?? ''), id: String(x?.['id'] ?? '') });
  const person = (first: string, last: string, email: string, status: string, admin: boolean): Record<string, unknown> => ({
    id: ids.next(),
    first_name: first,
    last_name: last,
    full_name: `${first} ${last}`,
    name: `${first} ${last}`,
    email,
    status,
    confirm: true,
    role: ref(admin ? roles[0] : roles[1]),
    profile: ref(admin ? profiles[0] : profiles[1]),
    zuid: String(60_000_000 + ids.counter),
    time_zone: 'UTC',
    locale: 'en_US',
    language: 'en_US',
    country_locale: 'US',
    Isonline: false,
  });
  const users = [
    person('Patricia', 'Boyle', 'patricia@example.com', 'active', true),
    person('Sam', 'Rivera', 'sam@example.com', 'active', false),
    person('Dana', 'Old', 'dana@example.com', 'disabled', false),
  ];
  return {
    modules,
    nonApiModules,
    users,
    roles,
    profiles,
    org: {
      id: ids.next(),
      company_name: 'Emulated Org',
      alias: null,
      primary_email: 'patricia@example.com',
      primary_zuid: users[0]?.['zuid'],
      zgid: String(70_000_000 + seed),
      domain_name: `org${seed}`,
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
      employee_count: '10',
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
      created_time: formatZohoDateTime(nowMs),
    },
    dataset: {
      Accounts: [{ Account_Name: 'Zylker' }, { Account_Name: 'Globex' }],
      Contacts: [
        { First_Name: 'Ann', Last_Name: 'Lee', Email: 'ann.lee@zylker.example', Account_Name: { $ref: { module: 'Accounts', index: 0 } } },
        { First_Name: 'Bo', Last_Name: 'Chen', Email: 'bo.chen@globex.example', Account_Name: { $ref: { module: 'Accounts', index: 1 } } },
      ],
      Leads: Array.from({ length: 5 }, (_, i) => generateValues('Leads', i, seed)),
      Deals: [{ Deal_Name: 'Zylker renewal', Stage: 'Qualification', Closing_Date: '2025-01-31', Account_Name: { $ref: { module: 'Accounts', index: 0 } } }],
    },
  };
}

const USER_TYPES = new Set([
  'allusers',
  'activeusers',
  'deactiveusers',
  'confirmedusers',
  'notconfirmedusers',
  'deletedusers',
  'activeconfirmedusers',
  'adminusers',
  'activeconfirmedadmins',
  'currentuser',
]);

/** Users of a `type` filter; undefined for an unknown type. */
export function filterUsers(users: Record<string, unknown>[], type: string, currentUserId: string): Record<string, unknown>[] | undefined {
  const t = type.toLowerCase();
  if (!USER_TYPES.has(t)) return undefined;
  const active = (u: Record<string, unknown>): boolean => u['status'] === 'active';
  const confirmed = (u: Record<string, unknown>): boolean => u['confirm'] !== false;
  const admin = (u: Record<string, unknown>): boolean => {
    const p = u['profile'];
    return typeof p === 'object' && p !== null && String((p as Record<string, unknown>)['name']) === 'Administrator';
  };
  switch (t) {
    case 'currentuser':
      return users.filter((u) => u['id'] === currentUserId);
    case 'activeusers':
      return users.filter(active);
    case 'deactiveusers':
      return users.filter((u) => u['status'] === 'disabled' || u['status'] === 'inactive');
    case 'deletedusers':
      return users.filter((u) => u['status'] === 'deleted');
    case 'confirmedusers':
      return users.filter(confirmed);
    case 'notconfirmedusers':
      return users.filter((u) => !confirmed(u));
    case 'activeconfirmedusers':
      return users.filter((u) => active(u) && confirmed(u));
    case 'adminusers':
      return users.filter(admin);
    case 'activeconfirmedadmins':
      return users.filter((u) => admin(u) && active(u) && confirmed(u));
    default:
      return users.filter((u) => u['status'] !== 'deleted');
  }
}
