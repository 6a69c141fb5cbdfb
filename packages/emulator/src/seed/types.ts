/**
 * Metadata model of the emulator's CRM: module and field descriptions in Zoho's own JSON shape
 * (`GET /settings/modules`, `/settings/fields`), so routes can return them as they are and the record
 * store can validate against them.
 */

/** A record as stored and returned on the wire (Zoho's keys: `id`, `Last_Name`, `$approved` ...). */
export type CrmRecord = Record<string, unknown> & { id: string };

export interface PickListValue {
  display_value: string;
  actual_value: string;
  sequence_number: number;
  type?: 'used' | 'unused';
  maps?: unknown[];
}

/** One field, with the keys Zoho's `/settings/fields` returns (see the wire spec §8 and §10.1). */
export interface FieldMeta {
  id: string;
  api_name: string;
  field_label: string;
  display_label: string;
  /** text, textarea, email, phone, website, integer, bigint, double, currency, percent, boolean, date,
   * datetime, picklist, multiselectpicklist, lookup, ownerlookup, userlookup, autonumber, formula,
   * subform, profileimage, fileupload ... */
  data_type: string;
  json_type: 'string' | 'integer' | 'double' | 'boolean' | 'jsonobject' | 'jsonarray';
  length: number;
  custom_field: boolean;
  /** Mandatory in the standard layout (the emulator enforces these). */
  system_mandatory: boolean;
  mandatory?: boolean;
  read_only: boolean;
  field_read_only: boolean;
  visible: boolean;
  unique?: { casesensitive: string } | Record<string, never>;
  pick_list_values: PickListValue[];
  lookup: { module: string; display_label: string; api_name: string; id: string } | Record<string, never>;
  subform?: { module: string } | null;
  formula?: { expression: string; return_type: string } | Record<string, never>;
  auto_number?: { prefix: string; suffix: string; start_number: number } | Record<string, never>;
  [key: string]: unknown;
}

/** One module, with the keys Zoho's `/settings/modules` returns plus emulator-only extras under `emu`. */
export interface ModuleMeta {
  id: string;
  api_name: string;
  module_name: string;
  singular_label: string;
  plural_label: string;
  api_supported: boolean;
  generated_type: 'default' | 'web' | 'custom' | 'linking';
  creatable: boolean;
  editable: boolean;
  deletable: boolean;
  viewable: boolean;
  convertable: boolean;
  [key: string]: unknown;
}

/** Everything the emulator knows about one API-supported module. */
export interface ModuleDefinition {
  meta: ModuleMeta;
  fields: FieldMeta[];
  /** The field whose value names a record in lookups (`Full_Name`, `Account_Name`, `Deal_Name` ...). */
  displayField: string;
  /** Fields used for duplicate checks on upsert when the request names none. */
  uniqueFields: string[];
  /** Whether `/{module}/{id}/photo` is supported (Leads, Contacts, Accounts, Products, Vendors). */
  photoSupported: boolean;
  layouts: Record<string, unknown>[];
  relatedLists: Record<string, unknown>[];
  customViews: Record<string, unknown>[];
}
