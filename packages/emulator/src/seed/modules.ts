/**
 * Metadata of Zoho CRM's default modules in Zoho's own JSON shapes (wire spec §8, §10), built from compact
 * per-module field tables so that `/settings/*` replies, record validation and generated records agree.
 */
import type { IdGenerator } from '../ids.js';
import type { FieldMeta, ModuleDefinition, ModuleMeta, PickListValue } from './types.js';

/** Options of {@link standardModules}. */
export interface StandardModulesOptions {
  /**
   * Profiles listed in each module's `profiles` key (pass the ones from `defaultProfiles` so ids agree).
   * Default: none (`profiles: []`).
   */
  profiles?: { name: string; id: string }[];
}

/** Compact description of one field; everything else gets Zoho's defaults for the data type. */
interface FieldSpec {
  /** Mandatory in the standard layout. */
  m?: boolean;
  /** Read-only (system or computed). */
  ro?: boolean;
  len?: number;
  /** Picklist values (display = actual). A leading `-None-` is added to optional picklists. */
  pl?: readonly string[];
  /** Lookup target module api name (`se_module` for multi-module `What_Id` / `Parent_Id`). */
  lk?: string;
  /** Unique, case-insensitive. */
  uq?: boolean;
  label?: string;
  /** Formula return type (data_type becomes `formula`). */
  formula?: string;
  /** Subform module (data_type `subform`). */
  sub?: string;
  /** Autonumber prefix (data_type `autonumber`, read-only). */
  auto?: string;
}

type Row = readonly [api: string, type: string, spec?: FieldSpec];

const JSON_TYPES: Record<string, FieldMeta['json_type']> = {
  integer: 'integer',
  bigint: 'integer',
  long: 'integer',
  double: 'double',
  currency: 'double',
  percent: 'double',
  decimal: 'double',
  boolean: 'boolean',
  lookup: 'jsonobject',
  ownerlookup: 'jsonobject',
  userlookup: 'jsonobject',
  multiselectpicklist: 'jsonarray',
  subform: 'jsonarray',
  fileupload: 'jsonarray',
  imageupload: 'jsonarray',
  multiselectlookup: 'jsonarray',
  multiuserlookup: 'jsonarray',
};

const LENGTHS: Record<string, number> = {
  text: 255,
  textarea: 32000,
  email: 100,
  phone: 30,
  website: 255,
  picklist: 120,
  multiselectpicklist: 2000,
  integer: 9,
  bigint: 18,
  double: 16,
  currency: 16,
  percent: 5,
  boolean: 5,
  date: 20,
  datetime: 120,
  lookup: 120,
  ownerlookup: 120,
  userlookup: 120,
  autonumber: 50,
  profileimage: 255,
  subform: 200,
  formula: 16,
};

// ---------------------------------------------------------------- shared picklists

export const LEAD_SOURCES = ['Advertisement', 'Cold Call', 'Employee Referral', 'External Referral', 'Online Store', 'Partner', 'Public Relations', 'Sales Email Alias', 'Seminar Partner', 'Internal Seminar', 'Trade Show', 'Web Download', 'Web Research', 'Chat'] as const;
export const LEAD_STATUSES = ['Attempted to Contact', 'Contact in Future', 'Contacted', 'Junk Lead', 'Lost Lead', 'Not Contacted', 'Pre-Qualified', 'Not Qualified'] as const;
export const INDUSTRIES = ['ASP (Application Service Provider)', 'Data/Telecom OEM', 'ERP (Enterprise Resource Planning)', 'Government/Military', 'Large Enterprise', 'ManagementISV', 'MSP (Management Service Provider)', 'Network Equipment Enterprise', 'Non-management ISV', 'Optical Networking', 'Service Provider', 'Small/Medium Enterprise', 'Storage Equipment', 'Storage Service Provider', 'Systems Integrator', 'Wireless Industry', 'Communications', 'Technology', 'Education', 'Consulting', 'Banking', 'Manufacturing', 'Retail'] as const;
export const DEAL_STAGES = ['Qualification', 'Needs Analysis', 'Value Proposition', 'Id. Decision Makers', 'Perception Analysis', 'Proposal/Price Quote', 'Negotiation/Review', 'Closed Won', 'Closed Lost', 'Closed Lost to Competition'] as const;
const RATINGS = ['Acquired', 'Active', 'Market Failed', 'Project Cancelled', 'Shut Down'] as const;
const SALUTATIONS = ['Mr.', 'Mrs.', 'Ms.', 'Dr.', 'Prof.'] as const;
const TASK_STATUSES = ['Not Started', 'Deferred', 'In Progress', 'Completed', 'Waiting for input'] as const;
const PRIORITIES = ['High', 'Highest', 'Low', 'Lowest', 'Normal'] as const;
const CARRIERS = ['FedEX', 'UPS', 'USPS', 'DHL', 'BlueDart'] as const;

// ---------------------------------------------------------------- field tables

const SYSTEM_TAIL: readonly Row[] = [
  ['Created_By', 'userlookup', { ro: true }],
  ['Modified_By', 'userlookup', { ro: true }],
  ['Created_Time', 'datetime', { ro: true }],
  ['Modified_Time', 'datetime', { ro: true }],
  ['Last_Activity_Time', 'datetime', { ro: true }],
];

const address = (prefix: string, zip = 'Zip_Code'): Row[] => [
  [`${prefix}Street`, 'text', { len: 250 }],
  [`${prefix}City`, 'text', { len: 100 }],
  [`${prefix}State`, 'text', { len: 100 }],
  [`${prefix}${zip}`, 'text', { len: 30 }],
  [`${prefix}Country`, 'text', { len: 100 }],
];

const person: readonly Row[] = [
  ['Salutation', 'picklist', { pl: SALUTATIONS }],
  ['First_Name', 'text', { len: 40 }],
  ['Last_Name', 'text', { m: true, len: 80 }],
  // Zoho computes Full_Name from First_Name + Last_Name; it is read-only text, not a formula field.
  ['Full_Name', 'text', { ro: true, len: 120 }],
];

const activityLinks: readonly Row[] = [
  ['Who_Id', 'lookup', { lk: 'Contacts', label: 'Contact Name' }],
  ['What_Id', 'lookup', { lk: 'se_module', label: 'Related To' }],
];

const inventoryTail = (items: string): Row[] => [
  ['Product_Details', 'subform', { sub: items, label: 'Product Details' }],
  ['Sub_Total', 'formula', { formula: 'currency', label: 'Sub Total' }],
  ['Discount', 'currency'],
  ['Tax', 'currency'],
  ['Adjustment', 'currency'],
  ['Grand_Total', 'formula', { formula: 'currency', label: 'Grand Total' }],
  ...address('Billing_', 'Code'),
  ...address('Shipping_', 'Code'),
  ['Terms_and_Conditions', 'textarea'],
  ['Description', 'textarea'],
];

interface ModuleSpec {
  api: string;
  singular: string;
  display: string;
  unique: string[];
  photo?: boolean;
  fields: Row[];
  related: string[];
  views?: { name: string; criteria?: Record<string, unknown>; sort_by?: string }[];
}

const ownerRow = (label: string): Row => ['Owner', 'ownerlookup', { label: `${label} Owner` }];

const MODULES: readonly ModuleSpec[] = [
  {
    api: 'Leads',
    singular: 'Lead',
    display: 'Full_Name',
    unique: ['Email'],
    photo: true,
    fields: [
      ownerRow('Lead'),
      ['Company', 'text', { m: true, len: 200 }],
      ...person,
      ['Designation', 'text', { len: 100, label: 'Title' }],
      ['Email', 'email', { uq: true }],
      ['Secondary_Email', 'email'],
      ['Phone', 'phone'],
      ['Mobile', 'phone'],
      ['Fax', 'phone'],
      ['Website', 'website'],
      ['Lead_Source', 'picklist', { pl: LEAD_SOURCES }],
      ['Lead_Status', 'picklist', { pl: LEAD_STATUSES }],
      ['Industry', 'picklist', { pl: INDUSTRIES }],
      ['No_of_Employees', 'integer'],
      ['Annual_Revenue', 'currency'],
      ['Rating', 'picklist', { pl: RATINGS }],
      ['Email_Opt_Out', 'boolean'],
      ['Skype_ID', 'text', { len: 50 }],
      ['Twitter', 'text', { len: 50 }],
      ...address(''),
      ['Description', 'textarea'],
      ['Record_Image', 'profileimage', { ro: true, label: 'Lead Image' }],
    ],
    related: ['Notes', 'Attachments', 'Activities', 'Campaigns', 'Products', 'Emails'],
    views: [
      { name: 'Junk Leads', criteria: { comparator: 'equal', field: 'Lead_Status', value: 'Junk Lead' } },
      { name: 'Open Leads', criteria: { comparator: 'not_equal', field: 'Lead_Status', value: 'Junk Lead' } },
    ],
  },
  {
    api: 'Contacts',
    singular: 'Contact',
    display: 'Full_Name',
    unique: ['Email'],
    photo: true,
    fields: [
      ownerRow('Contact'),
      ['Lead_Source', 'picklist', { pl: LEAD_SOURCES }],
      ...person,
      ['Account_Name', 'lookup', { lk: 'Accounts' }],
      ['Vendor_Name', 'lookup', { lk: 'Vendors' }],
      ['Email', 'email', { uq: true }],
      ['Secondary_Email', 'email'],
      ['Title', 'text', { len: 100 }],
      ['Department', 'text', { len: 100 }],
      ['Phone', 'phone'],
      ['Home_Phone', 'phone'],
      ['Other_Phone', 'phone'],
      ['Mobile', 'phone'],
      ['Fax', 'phone'],
      ['Assistant', 'text', { len: 100 }],
      ['Asst_Phone', 'phone'],
      ['Date_of_Birth', 'date'],
      ['Reporting_To', 'lookup', { lk: 'Contacts' }],
      ['Email_Opt_Out', 'boolean'],
      ['Skype_ID', 'text', { len: 50 }],
      ['Twitter', 'text', { len: 50 }],
      ...address('Mailing_', 'Zip'),
      ['Description', 'textarea'],
      ['Record_Image', 'profileimage', { ro: true, label: 'Contact Image' }],
    ],
    related: ['Notes', 'Attachments', 'Deals', 'Activities', 'Campaigns', 'Products', 'Cases', 'Quotes', 'Sales_Orders', 'Invoices', 'Emails'],
  },
  {
    api: 'Accounts',
    singular: 'Account',
    display: 'Account_Name',
    unique: ['Account_Name'],
    photo: true,
    fields: [
      ownerRow('Account'),
      ['Account_Name', 'text', { m: true, len: 200 }],
      ['Account_Site', 'text', { len: 80 }],
      ['Parent_Account', 'lookup', { lk: 'Accounts' }],
      ['Account_Number', 'text', { len: 40 }],
      ['Account_Type', 'picklist', { pl: ['Analyst', 'Competitor', 'Customer', 'Distributor', 'Integrator', 'Investor', 'Other', 'Partner', 'Press', 'Prospect', 'Reseller', 'Supplier', 'Vendor'] }],
      ['Industry', 'picklist', { pl: INDUSTRIES }],
      ['Annual_Revenue', 'currency'],
      ['Rating', 'picklist', { pl: RATINGS }],
      ['Phone', 'phone'],
      ['Fax', 'phone'],
      ['Website', 'website'],
      ['Ticker_Symbol', 'text', { len: 30 }],
      ['Ownership', 'picklist', { pl: ['Other', 'Private', 'Public', 'Subsidiary', 'Partnership', 'Government', 'Privately Held', 'Public Company'] }],
      ['Employees', 'integer'],
      ['SIC_Code', 'integer'],
      ...address('Billing_', 'Code'),
      ...address('Shipping_', 'Code'),
      ['Description', 'textarea'],
      ['Record_Image', 'profileimage', { ro: true, label: 'Account Image' }],
    ],
    related: ['Notes', 'Attachments', 'Contacts', 'Deals', 'Activities', 'Products', 'Cases', 'Quotes', 'Sales_Orders', 'Invoices'],
    views: [{ name: 'Key Accounts', criteria: { comparator: 'equal', field: 'Rating', value: 'Active' } }],
  },
  {
    api: 'Deals',
    singular: 'Deal',
    display: 'Deal_Name',
    unique: ['Deal_Name'],
    fields: [
      ownerRow('Deal'),
      ['Amount', 'currency'],
      ['Deal_Name', 'text', { m: true, len: 120 }],
      ['Closing_Date', 'date', { m: true }],
      ['Account_Name', 'lookup', { lk: 'Accounts' }],
      ['Stage', 'picklist', { m: true, pl: DEAL_STAGES }],
      ['Type', 'picklist', { pl: ['Existing Business', 'New Business'] }],
      ['Probability', 'percent', { label: 'Probability (%)' }],
      ['Expected_Revenue', 'currency', { ro: true }],
      ['Next_Step', 'text', { len: 100 }],
      ['Lead_Source', 'picklist', { pl: LEAD_SOURCES }],
      ['Campaign_Source', 'lookup', { lk: 'Campaigns' }],
      ['Contact_Name', 'lookup', { lk: 'Contacts' }],
      ['Description', 'textarea'],
    ],
    related: ['Notes', 'Attachments', 'Activities', 'Products', 'Contacts', 'Quotes', 'Sales_Orders', 'Competitors'],
    views: [
      { name: 'Open Deals', criteria: { comparator: 'not_in', field: 'Stage', value: ['Closed Won', 'Closed Lost', 'Closed Lost to Competition'] } },
      { name: 'Closing This Month', criteria: { comparator: 'equal', field: 'Closing_Date', value: '${THISMONTH}' }, sort_by: 'Closing_Date' },
    ],
  },
  {
    api: 'Tasks',
    singular: 'Task',
    display: 'Subject',
    unique: [],
    fields: [
      ownerRow('Task'),
      ['Subject', 'text', { m: true, len: 300 }],
      ['Due_Date', 'date'],
      ...activityLinks,
      ['Status', 'picklist', { pl: TASK_STATUSES }],
      ['Priority', 'picklist', { pl: PRIORITIES }],
      ['Send_Notification_Email', 'boolean', { label: 'Send Notification Email' }],
      ['Closed_Time', 'datetime', { ro: true }],
      ['Description', 'textarea'],
    ],
    related: ['Notes', 'Attachments'],
    views: [{ name: 'Open Tasks', criteria: { comparator: 'not_equal', field: 'Status', value: 'Completed' }, sort_by: 'Due_Date' }],
  },
  {
    api: 'Events',
    singular: 'Event',
    display: 'Event_Title',
    unique: [],
    fields: [
      ownerRow('Host'),
      ['Event_Title', 'text', { m: true, len: 255 }],
      ['Venue', 'text', { len: 255 }],
      ['All_day', 'boolean'],
      ['Start_DateTime', 'datetime', { m: true, label: 'From' }],
      ['End_DateTime', 'datetime', { m: true, label: 'To' }],
      ...activityLinks,
      ['Check_In_Status', 'text', { ro: true, len: 100 }],
      ['Description', 'textarea'],
    ],
    related: ['Notes', 'Attachments'],
  },
  {
    api: 'Calls',
    singular: 'Call',
    display: 'Subject',
    unique: [],
    fields: [
      ownerRow('Call'),
      ['Subject', 'text', { m: true, len: 300 }],
      ['Call_Type', 'picklist', { m: true, pl: ['Outbound', 'Inbound', 'Missed'] }],
      ['Call_Purpose', 'picklist', { pl: ['Prospecting', 'Administrative', 'Negotiation', 'Demo', 'Project', 'Desk'] }],
      ...activityLinks,
      ['Call_Start_Time', 'datetime', { m: true }],
      // Zoho keeps the duration as `mm:ss` text and derives the seconds.
      ['Call_Duration', 'text', { m: true, len: 10 }],
      ['Call_Duration_in_seconds', 'integer', { ro: true }],
      ['Call_Result', 'picklist', { pl: ['Interested', 'Not interested', 'No response/Busy', 'Requested more info', 'Requested call back', 'Invalid number'] }],
      ['Call_Agenda', 'text', { len: 2000 }],
      ['Description', 'textarea'],
    ],
    related: ['Notes', 'Attachments'],
  },
  {
    api: 'Products',
    singular: 'Product',
    display: 'Product_Name',
    unique: ['Product_Name'],
    photo: true,
    fields: [
      ownerRow('Product'),
      ['Product_Name', 'text', { m: true, len: 120 }],
      ['Product_Code', 'text', { len: 40 }],
      ['Vendor_Name', 'lookup', { lk: 'Vendors' }],
      ['Product_Active', 'boolean'],
      ['Manufacturer', 'picklist', { pl: ['AltvetPet Inc.', 'LexPon Inc.', 'MetBeat Corp.'] }],
      ['Product_Category', 'picklist', { pl: ['Hardware', 'Software', 'CRM Applications'] }],
      ['Sales_Start_Date', 'date'],
      ['Sales_End_Date', 'date'],
      ['Support_Start_Date', 'date'],
      ['Support_Expiry_Date', 'date'],
      ['Unit_Price', 'currency'],
      ['Commission_Rate', 'currency'],
      ['Tax', 'multiselectpicklist', { pl: ['Sales Tax', 'Vat', 'Service Tax'] }],
      ['Taxable', 'boolean'],
      ['Usage_Unit', 'picklist', { pl: ['Box', 'Carton', 'Dozen', 'Each', 'Hours', 'Impressions', 'Lb', 'M', 'Pack', 'Pages', 'Pieces', 'Quantity', 'Reams', 'Sheet', 'Spiral Binder', 'Sq Ft'] }],
      ['Qty_Ordered', 'double'],
      ['Qty_in_Stock', 'double', { label: 'Quantity in Stock' }],
      ['Reorder_Level', 'double'],
      ['Qty_in_Demand', 'double', { label: 'Quantity in Demand' }],
      ['Handler', 'userlookup'],
      ['Description', 'textarea'],
      ['Record_Image', 'profileimage', { ro: true, label: 'Product Image' }],
    ],
    related: ['Notes', 'Attachments', 'Leads', 'Contacts', 'Accounts', 'Deals', 'Price_Books', 'Cases', 'Solutions'],
  },
  {
    api: 'Notes',
    singular: 'Note',
    display: 'Note_Title',
    unique: [],
    fields: [
      ownerRow('Note'),
      ['Note_Title', 'text', { len: 120 }],
      ['Note_Content', 'textarea', { m: true }],
      ['Parent_Id', 'lookup', { lk: 'se_module', label: 'Parent ID' }],
    ],
    related: [],
  },
  {
    api: 'Campaigns',
    singular: 'Campaign',
    display: 'Campaign_Name',
    unique: [],
    fields: [
      ownerRow('Campaign'),
      ['Campaign_Name', 'text', { m: true, len: 120 }],
      ['Type', 'picklist', { pl: ['Conference', 'Webinar', 'Trade Show', 'Public Relations', 'Partners', 'Referral Program', 'Advertisement', 'Banner Ads', 'Direct mail', 'Email', 'Telemarketing', 'Others'] }],
      ['Status', 'picklist', { pl: ['Planning', 'Active', 'Inactive', 'Complete'] }],
      ['Start_Date', 'date'],
      ['End_Date', 'date'],
      ['Expected_Revenue', 'currency'],
      ['Budgeted_Cost', 'currency'],
      ['Actual_Cost', 'currency'],
      ['Expected_Response', 'integer'],
      ['Num_sent', 'integer', { label: 'Numbers sent' }],
      ['Parent_Campaign', 'lookup', { lk: 'Campaigns' }],
      ['Description', 'textarea'],
    ],
    related: ['Notes', 'Attachments', 'Leads', 'Contacts', 'Deals', 'Activities'],
  },
  {
    api: 'Vendors',
    singular: 'Vendor',
    display: 'Vendor_Name',
    unique: ['Vendor_Name'],
    photo: true,
    fields: [
      ownerRow('Vendor'),
      ['Vendor_Name', 'text', { m: true, len: 120 }],
      ['Phone', 'phone'],
      ['Email', 'email'],
      ['Website', 'website'],
      ['GL_Account', 'picklist', { pl: ['Sales-Hardware', 'Sales-Software', 'Rental-Income', 'Interest-Income', 'Sales Discount', 'Service-Income'] }],
      ['Category', 'text', { len: 100 }],
      ...address(''),
      ['Description', 'textarea'],
      ['Record_Image', 'profileimage', { ro: true, label: 'Vendor Image' }],
    ],
    related: ['Notes', 'Attachments', 'Products', 'Contacts', 'Purchase_Orders'],
  },
  {
    api: 'Cases',
    singular: 'Case',
    display: 'Subject',
    unique: [],
    fields: [
      ownerRow('Case'),
      ['Case_Number', 'autonumber', { auto: '' }],
      ['Subject', 'text', { m: true, len: 255 }],
      ['Status', 'picklist', { m: true, pl: ['New', 'On Hold', 'Escalated', 'Closed'] }],
      ['Case_Origin', 'picklist', { m: true, pl: ['Email', 'Phone', 'Web'] }],
      ['Priority', 'picklist', { pl: ['High', 'Medium', 'Low'] }],
      ['Type', 'picklist', { pl: ['Question', 'Problem', 'Feature Request'] }],
      ['Case_Reason', 'picklist', { pl: ['User did not attend any training', 'Complex functionality', 'Existing problem', 'Instructions not clear', 'New problem'] }],
      ['Product_Name', 'lookup', { lk: 'Products' }],
      ['Account_Name', 'lookup', { lk: 'Accounts' }],
      ['Deal_Name', 'lookup', { lk: 'Deals' }],
      ['Related_To', 'lookup', { lk: 'Contacts' }],
      ['Email', 'email'],
      ['Phone', 'phone'],
      ['Reported_By', 'text', { len: 120 }],
      ['No_of_comments', 'integer', { ro: true, label: 'Number of comments' }],
      ['Description', 'textarea'],
      ['Internal_Comments', 'textarea'],
      ['Solution', 'textarea'],
    ],
    related: ['Notes', 'Attachments', 'Solutions', 'Activities'],
  },
  {
    api: 'Solutions',
    singular: 'Solution',
    display: 'Solution_Title',
    unique: [],
    fields: [
      ownerRow('Solution'),
      ['Solution_Number', 'autonumber', { auto: '' }],
      ['Solution_Title', 'text', { m: true, len: 255 }],
      ['Product_Name', 'lookup', { lk: 'Products' }],
      ['Status', 'picklist', { pl: ['Draft', 'Reviewed', 'Duplicate'] }],
      ['Published', 'boolean'],
      ['Question', 'textarea'],
      ['Answer', 'textarea'],
      ['No_of_comments', 'integer', { ro: true, label: 'Number of comments' }],
    ],
    related: ['Notes', 'Attachments', 'Cases', 'Products'],
  },
  {
    api: 'Price_Books',
    singular: 'Price Book',
    display: 'Price_Book_Name',
    unique: [],
    fields: [
      ownerRow('Price Book'),
      ['Price_Book_Name', 'text', { m: true, len: 120 }],
      ['Active', 'boolean'],
      ['Pricing_Model', 'picklist', { pl: ['Flat', 'Differential'] }],
      ['Description', 'textarea'],
    ],
    related: ['Notes', 'Attachments', 'Products'],
  },
  {
    api: 'Quotes',
    singular: 'Quote',
    display: 'Subject',
    unique: [],
    fields: [
      ownerRow('Quote'),
      ['Subject', 'text', { m: true, len: 255 }],
      ['Quote_Number', 'autonumber', { auto: 'QT-' }],
      ['Quote_Stage', 'picklist', { pl: ['Draft', 'Negotiation', 'Delivered', 'On Hold', 'Confirmed', 'Closed Won', 'Closed Lost'] }],
      ['Valid_Till', 'date'],
      ['Deal_Name', 'lookup', { lk: 'Deals' }],
      ['Contact_Name', 'lookup', { lk: 'Contacts' }],
      ['Account_Name', 'lookup', { lk: 'Accounts' }],
      ['Carrier', 'picklist', { pl: CARRIERS }],
      ['Team', 'text', { len: 100 }],
      ...inventoryTail('Quoted_Items'),
    ],
    related: ['Notes', 'Attachments', 'Sales_Orders', 'Activities'],
  },
  {
    api: 'Sales_Orders',
    singular: 'Sales Order',
    display: 'Subject',
    unique: [],
    fields: [
      ownerRow('Sales Order'),
      ['Subject', 'text', { m: true, len: 255 }],
      ['SO_Number', 'autonumber', { auto: 'SO-' }],
      ['Customer_No', 'text', { len: 100 }],
      ['Quote_Name', 'lookup', { lk: 'Quotes' }],
      ['Deal_Name', 'lookup', { lk: 'Deals' }],
      ['Purchase_Order', 'text', { len: 100 }],
      ['Due_Date', 'date'],
      ['Contact_Name', 'lookup', { lk: 'Contacts' }],
      ['Account_Name', 'lookup', { m: true, lk: 'Accounts' }],
      ['Status', 'picklist', { pl: ['Created', 'Approved', 'Delivered', 'Cancelled'] }],
      ['Carrier', 'picklist', { pl: CARRIERS }],
      ['Excise_Duty', 'currency'],
      ['Sales_Commission', 'currency'],
      ...inventoryTail('Ordered_Items'),
    ],
    related: ['Notes', 'Attachments', 'Invoices', 'Activities'],
  },
  {
    api: 'Purchase_Orders',
    singular: 'Purchase Order',
    display: 'Subject',
    unique: [],
    fields: [
      ownerRow('Purchase Order'),
      ['Subject', 'text', { m: true, len: 255 }],
      ['PO_Number', 'autonumber', { auto: 'PO-' }],
      ['Vendor_Name', 'lookup', { m: true, lk: 'Vendors' }],
      ['Requisition_No', 'text', { len: 100 }],
      ['Tracking_Number', 'text', { len: 100 }],
      ['Contact_Name', 'lookup', { lk: 'Contacts' }],
      ['PO_Date', 'date'],
      ['Due_Date', 'date'],
      ['Carrier', 'picklist', { pl: CARRIERS }],
      ['Excise_Duty', 'currency'],
      ['Sales_Commission', 'currency'],
      ['Status', 'picklist', { pl: ['Created', 'Approved', 'Delivered', 'Cancelled'] }],
      ...inventoryTail('Purchase_Items'),
    ],
    related: ['Notes', 'Attachments', 'Activities'],
  },
  {
    api: 'Invoices',
    singular: 'Invoice',
    display: 'Subject',
    unique: [],
    fields: [
      ownerRow('Invoice'),
      ['Subject', 'text', { m: true, len: 255 }],
      ['Invoice_Number', 'autonumber', { auto: 'INV-' }],
      ['Sales_Order', 'lookup', { lk: 'Sales_Orders' }],
      ['Invoice_Date', 'date'],
      ['Purchase_Order', 'text', { len: 100 }],
      ['Due_Date', 'date'],
      ['Excise_Duty', 'currency'],
      ['Sales_Commission', 'currency'],
      ['Status', 'picklist', { pl: ['Created', 'Approved', 'Delivered', 'Cancelled'] }],
      ['Account_Name', 'lookup', { m: true, lk: 'Accounts' }],
      ['Contact_Name', 'lookup', { lk: 'Contacts' }],
      ['Deal_Name', 'lookup', { lk: 'Deals' }],
      ...inventoryTail('Invoiced_Items'),
    ],
    related: ['Notes', 'Attachments', 'Activities'],
  },
];

/** Modules whose records carry `Last_Activity_Time` in Zoho. */
const NO_ACTIVITY_TIME = new Set(['Notes', 'Tasks', 'Events', 'Calls']);

const RELATED_MODULE: Record<string, string> = { Emails: 'Emails', Competitors: 'Competitors' };

const humanise = (api: string): string => api.replace(/_/g, ' ');

function pickList(values: readonly string[] | undefined, mandatory: boolean): PickListValue[] {
  if (values === undefined) return [];
  const all = mandatory ? [...values] : ['-None-', ...values];
  return all.map((v, i) => ({
    display_value: v,
    actual_value: v,
    sequence_number: i + 1,
    maps: [],
    sys_ref_name: v,
    type: 'used',
  }));
}

function buildField(ids: Pick<IdGenerator, 'next'>, row: Row, targetLabels: Map<string, string>): FieldMeta {
  const [api, type, spec = {}] = row;
  const dataType = spec.formula !== undefined ? 'formula' : type;
  const label = spec.label ?? humanise(api);
  const computed = spec.ro === true || spec.formula !== undefined || spec.auto !== undefined;
  const jsonType = spec.formula !== undefined ? (JSON_TYPES[spec.formula] ?? 'string') : (JSON_TYPES[dataType] ?? 'string');
  const mandatory = spec.m === true;
  return {
    id: ids.next(),
    api_name: api,
    field_label: label,
    display_label: label,
    data_type: dataType,
    json_type: jsonType,
    length: spec.len ?? LENGTHS[dataType] ?? 255,
    custom_field: false,
    mandatory,
    system_mandatory: mandatory,
    read_only: computed,
    field_read_only: computed,
    visible: true,
    decimal_place: dataType === 'currency' || spec.formula === 'currency' ? 2 : dataType === 'double' ? 2 : null,
    default_value: null,
    pick_list_values: pickList(spec.pl, mandatory),
    lookup:
      spec.lk === undefined
        ? {}
        : { module: spec.lk, display_label: targetLabels.get(spec.lk) ?? label, api_name: spec.lk === 'se_module' ? api : spec.lk, id: ids.next() },
    subform: spec.sub === undefined ? null : { module: spec.sub },
    formula: spec.formula === undefined ? {} : { expression: `${api}()`, return_type: spec.formula },
    auto_number: spec.auto === undefined ? {} : { prefix: spec.auto, suffix: '', start_number: 1 },
    currency: dataType === 'currency' || spec.formula === 'currency' ? { precision: 2, rounding_option: 'normal' } : {},
    unique: spec.uq === true ? { casesensitive: 'false' } : {},
    view_type: { view: true, edit: !computed, create: !computed, quick_create: mandatory },
    tooltip: null,
    crypt: null,
    private: null,
    history_tracking: null,
    mass_update: !computed && !mandatory && dataType !== 'subform',
    multi_module_lookup: spec.lk === 'se_module' ? { module: 'se_module' } : {},
    multiselectlookup: {},
    association_details: null,
    convert_mapping: {},
    created_source: 'default',
    businesscard_supported: ['Owner', 'Email', 'Phone', 'Mobile'].includes(api),
    blueprint_supported: !computed,
    webhook: !computed,
    quick_sequence_number: null,
    column_name: api.toUpperCase(),
    section_id: 1,
    transition_sequence: null,
    personality_name: null,
  };
}

const sectionOf = (api: string, singular: string): string => {
  if (/^(Billing_|Shipping_|Mailing_|Other_)|^(Street|City|State|Zip_Code|Country)$/.test(api)) return 'Address Information';
  if (api === 'Description' || api === 'Terms_and_Conditions') return 'Description Information';
  if (api === 'Product_Details') return 'Product Details';
  if (/^(Sub_Total|Discount|Tax|Adjustment|Grand_Total)$/.test(api)) return 'Totals';
  return `${singular} Information`;
};

function buildLayout(ids: IdGenerator, spec: ModuleSpec, fields: FieldMeta[], profiles: { name: string; id: string }[]): Record<string, unknown> {
  const sections = new Map<string, FieldMeta[]>();
  for (const f of fields) {
    const name = sectionOf(f.api_name, spec.singular);
    const list = sections.get(name) ?? [];
    list.push(f);
    sections.set(name, list);
  }
  const out = [...sections.entries()].map(([name, list], i) => {
    for (const f of list) f['section_id'] = i + 1;
    return {
      display_label: name,
      sequence_number: i + 1,
      issubformsection: name === 'Product Details',
      tab_traversal: 1,
      api_name: name.replace(/ /g, '_'),
      column_count: name === 'Description Information' || name === 'Product Details' ? 1 : 2,
      name,
      generated_type: 'default',
      fields: list,
      properties: null,
    };
  });
  return {
    id: ids.next(),
    name: 'Standard',
    created_time: null,
    modified_time: null,
    created_by: null,
    modified_by: null,
    visible: true,
    status: 0,
    source: 'crm',
    created_for: null,
    profiles: profiles.map((p, i) => ({ default: i === 0, name: p.name, id: p.id })),
    convert_mapping: spec.api === 'Leads' ? { Contacts: null, Deals: null, Accounts: null } : null,
    sections: out,
  };
}

function buildRelatedLists(ids: IdGenerator, spec: ModuleSpec): Record<string, unknown>[] {
  // Zoho's hrefs name the parent id placeholder after the module (`Accounts/{ACCOUNTID}/Contacts`).
  const placeholder = `{${spec.singular.replace(/ /g, '').toUpperCase()}ID}`;
  return spec.related.map((api, i) => ({
    id: ids.next(),
    sequence_number: String(i + 1),
    display_label: api === 'Activities' ? 'Open Activities' : humanise(api),
    api_name: api,
    module: RELATED_MODULE[api] ?? api,
    name: api,
    action: null,
    href: `${spec.api}/${placeholder}/${api}`,
    type: 'default',
  }));
}

function buildCustomViews(ids: IdGenerator, spec: ModuleSpec, fields: FieldMeta[]): Record<string, unknown>[] {
  const plural = humanise(spec.api);
  const listFields = fields
    .filter((f) => f.data_type !== 'textarea' && f.data_type !== 'subform' && f.data_type !== 'profileimage')
    .slice(0, 6)
    .map((f) => f.api_name);
  const views: { name: string; system: string; criteria: Record<string, unknown> | null; sort_by: string | null; isDefault: boolean }[] = [
    { name: `All ${plural}`, system: `ALLVIEWS`, criteria: null, sort_by: null, isDefault: true },
    { name: `My ${plural}`, system: `MYVIEWS`, criteria: { comparator: 'equal', field: 'Owner', value: '${CURRENTUSER}' }, sort_by: null, isDefault: false },
    {
      name: `Recently Created ${plural}`,
      system: 'RECENTLYCREATED',
      criteria: { comparator: 'equal', field: 'Created_Time', value: '${LAST7DAYS}' },
      sort_by: 'Created_Time',
      isDefault: false,
    },
    ...(spec.views ?? []).map((v) => ({
      name: v.name,
      system: v.name.toUpperCase().replace(/[^A-Z]/g, ''),
      criteria: v.criteria ?? null,
      sort_by: v.sort_by ?? null,
      isDefault: false,
    })),
  ];
  return views.map((v) => ({
    id: ids.next(),
    name: v.name,
    display_value: v.name,
    system_name: v.system,
    system_defined: true,
    category: 'public_views',
    default: v.isDefault,
    favorite: null,
    locked: false,
    offline: false,
    access_type: 'public',
    shared_to: null,
    sort_by: v.sort_by,
    sort_order: v.sort_by === null ? null : 'desc',
    created_by: null,
    modified_by: null,
    created_time: null,
    modified_time: null,
    last_accessed_time: null,
    criteria: v.criteria,
    fields: listFields,
  }));
}

function moduleMeta(
  id: string,
  api: string,
  singular: string,
  plural: string,
  sequence: number,
  apiSupported: boolean,
  profiles: { name: string; id: string }[],
  display: ModuleSpec | undefined,
): ModuleMeta {
  const editable = apiSupported;
  return {
    id,
    api_name: api,
    module_name: api,
    singular_label: singular,
    plural_label: plural,
    api_supported: apiSupported,
    generated_type: 'default',
    creatable: editable,
    editable,
    deletable: editable,
    viewable: true,
    convertable: api === 'Leads',
    quick_create: editable && api !== 'Notes',
    visibility: 1,
    sequence_number: sequence,
    presence_sub_menu: ['Tasks', 'Events', 'Calls'].includes(api),
    show_as_tab: api !== 'Notes',
    global_search_supported: apiSupported && api !== 'Notes',
    filter_supported: apiSupported,
    feeds_required: false,
    scoring_supported: ['Leads', 'Contacts', 'Accounts', 'Deals'].includes(api),
    webform_supported: ['Leads', 'Contacts', 'Cases'].includes(api),
    kanban_view: false,
    kanban_view_supported: apiSupported && api !== 'Notes',
    web_link: null,
    modified_time: null,
    modified_by: null,
    profiles: profiles.map((p) => ({ name: p.name, id: p.id })),
    business_card_field_limit: 5,
    parent_module: {},
    arguments: [],
    emailTemplate_support: ['Leads', 'Contacts', 'Accounts', 'Deals', 'Quotes', 'Sales_Orders', 'Purchase_Orders', 'Invoices', 'Cases'].includes(api),
    inventory_template_supported: ['Quotes', 'Sales_Orders', 'Purchase_Orders', 'Invoices'].includes(api),
    triggers_supported: apiSupported,
    per_page: 10,
    display_field: display === undefined ? null : { api_name: display.display, id: null },
    search_layout_fields: display === undefined ? [] : [display.display],
    related_list_properties: { sort_by: null, sort_order: null, fields: display === undefined ? [] : [display.display] },
    custom_view: null,
    $properties: [],
    territory: null,
  };
}

/**
 * The 18 default API modules with fields, one "Standard" layout, related lists and custom views.
 * Deterministic: every id comes from `ids`, in a fixed order.
 */
export function standardModules(ids: IdGenerator, options: StandardModulesOptions = {}): ModuleDefinition[] {
  const profiles = options.profiles ?? [];
  const labels = new Map(MODULES.map((m) => [m.api, humanise(m.api)]));
  labels.set('se_module', 'Related To');
  return MODULES.map((spec, i) => {
    const id = ids.next();
    const rows = [...spec.fields, ...SYSTEM_TAIL.filter(([api]) => !(api === 'Last_Activity_Time' && NO_ACTIVITY_TIME.has(spec.api)))];
    const fields = rows.map((row) => buildField(ids, row, labels));
    const meta = moduleMeta(id, spec.api, spec.singular, humanise(spec.api), i + 1, true, profiles, spec);
    return {
      meta,
      fields,
      displayField: spec.display,
      uniqueFields: [...spec.unique],
      photoSupported: spec.photo === true,
      layouts: [buildLayout(ids, spec, fields, profiles)],
      relatedLists: buildRelatedLists(ids, spec),
      customViews: buildCustomViews(ids, spec, fields),
    };
  });
}

const NON_API: readonly string[] = ['Home', 'Feeds', 'Reports', 'Dashboards', 'Forecasts', 'Documents', 'Projects', 'Social'];

/** UI-only modules listed by `/settings/modules` with `api_supported:false`. */
export function nonApiModules(ids: IdGenerator, options: StandardModulesOptions = {}): ModuleMeta[] {
  return NON_API.map((api, i) =>
    moduleMeta(ids.next(), api, api, api, MODULES.length + i + 1, false, options.profiles ?? [], undefined),
  );
}

/**
 * Zoho's system modules that hold no records of their own through the module routes but have fields, which
 * Zoho's SDKs fetch before they read or write one (record locks are `Locking_Information__s` records).
 */
const SYSTEM_MODULE_FIELDS: Readonly<Record<string, readonly Row[]>> = {
  Locking_Information__s: [
    ['name', 'text', { ro: true, label: 'Name' }],
    ['locked_for_s', 'lookup', { ro: true, lk: 'se_module', label: 'Locked For' }],
    ['locked_by__s', 'userlookup', { ro: true, label: 'Locked By' }],
    ['locked_reason__s', 'textarea', { label: 'Locked Reason' }],
    ['Locked_time__s', 'datetime', { ro: true, label: 'Locked Time' }],
    ['lock_source__s', 'picklist', { ro: true, m: true, pl: ['Manual', 'Automatic'], label: 'Lock Source' }],
    ['record_locking_configuration_id__s', 'bigint', { ro: true, label: 'Record Locking Configuration Id' }],
    ['record_locking_rule_id__s', 'bigint', { ro: true, label: 'Record Locking Rule Id' }],
    ...SYSTEM_TAIL.filter(([api]) => api !== 'Last_Activity_Time' && api !== 'Tag'),
  ],
};

/** The fields of a system module by api name (case-insensitive), or undefined for any other name. */
export function systemModuleFields(ids: Pick<IdGenerator, 'next'>, name: string): FieldMeta[] | undefined {
  const key = Object.keys(SYSTEM_MODULE_FIELDS).find((k) => k.toLowerCase() === name.toLowerCase());
  const rows = key === undefined ? undefined : SYSTEM_MODULE_FIELDS[key];
  return rows?.map((row) => buildField(ids, row, new Map()));
}
