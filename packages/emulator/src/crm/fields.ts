/**
 * Field-level input handling for record writes: which keys are system keys, and how a client value is
 * checked and normalised for each Zoho data type (wire spec §10.1). Errors are per-item results whose
 * details match §3.4 (`api_name`, `expected_data_type`).
 */
import type { FieldMeta } from '../seed/types.js';
import { formatZohoDateTime, parseZohoDateTime } from '../time.js';
import { errorBody, MSG, type ItemResult } from './responses.js';

/** Keys a client may send but that the server owns; silently ignored on writes. */
export const SYSTEM_KEYS: ReadonlySet<string> = new Set([
  'id',
  'Created_Time',
  'Modified_Time',
  'Created_By',
  'Modified_By',
  'Tag',
  'Last_Activity_Time',
  'Full_Name',
  'Record_Image',
]);

/** Field types whose value the server computes. */
const COMPUTED_TYPES: ReadonlySet<string> = new Set(['formula', 'autonumber', 'profileimage', 'rollup_summary']);

export function isWritable(field: FieldMeta): boolean {
  if (SYSTEM_KEYS.has(field.api_name)) return false;
  if (COMPUTED_TYPES.has(field.data_type)) return false;
  return !(field.read_only || field.field_read_only);
}

export type Coerced = { ok: true; value: unknown } | { ok: false; error: ItemResult };

const typeError = (field: FieldMeta, expected: string): Coerced => ({
  ok: false,
  error: errorBody('INVALID_DATA', MSG.invalidData, { expected_data_type: expected, api_name: field.api_name }),
});

const EMAIL = /^[^\s@]+@[^\s@]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Checks and normalises a scalar field value. Lookup-like types (lookup, ownerlookup, userlookup) are
 * resolved by the caller, which knows the stores; this handles everything else.
 */
export function coerceScalar(field: FieldMeta, value: unknown, offsetMinutes: number): Coerced {
  if (value === null) return { ok: true, value: null };
  const t = field.data_type;
  switch (t) {
    case 'text':
    case 'textarea':
    case 'mediumtext':
    case 'phone':
    case 'website':
    case 'email':
    case 'picklist': {
      if (typeof value === 'number' || typeof value === 'boolean') value = String(value);
      if (typeof value !== 'string') return typeError(field, 'string');
      if (field.length > 0 && value.length > field.length) {
        return {
          ok: false,
          error: errorBody('INVALID_DATA', MSG.invalidData, { maximum_length: field.length, api_name: field.api_name }),
        };
      }
      if (t === 'email' && value !== '' && !EMAIL.test(value)) return typeError(field, 'email');
      if (t === 'picklist' && value !== '' && field.pick_list_values.length > 0) {
        const hit = field.pick_list_values.find(
          (p) => p.display_value === value || p.actual_value === value,
        );
        if (hit === undefined) return { ok: false, error: errorBody('INVALID_DATA', MSG.invalidData, { api_name: field.api_name }) };
        if (hit.display_value === '-None-') return { ok: true, value: null };
        return { ok: true, value: hit.display_value };
      }
      return { ok: true, value };
    }
    case 'integer':
    case 'bigint':
    case 'long': {
      const n = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isInteger(n)) return typeError(field, 'integer');
      return { ok: true, value: n };
    }
    case 'double':
    case 'currency':
    case 'percent':
    case 'decimal': {
      const n = typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isFinite(n)) return typeError(field, 'double');
      return { ok: true, value: n };
    }
    case 'boolean': {
      if (value === 'true' || value === 'false') return { ok: true, value: value === 'true' };
      if (typeof value !== 'boolean') return typeError(field, 'boolean');
      return { ok: true, value };
    }
    case 'date': {
      if (typeof value !== 'string' || !DATE.test(value) || Number.isNaN(Date.parse(value))) return typeError(field, 'date');
      return { ok: true, value };
    }
    case 'datetime':
    case 'event_reminder': {
      const ms = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) ? parseZohoDateTime(value) : undefined;
      if (ms === undefined) return typeError(field, 'datetime');
      return { ok: true, value: formatZohoDateTime(ms, offsetMinutes) };
    }
    case 'multiselectpicklist': {
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) return typeError(field, 'jsonarray');
      return { ok: true, value: [...(value as string[])] };
    }
    case 'subform':
    case 'multiselectlookup':
    case 'multiuserlookup':
    case 'fileupload':
    case 'imageupload':
    case 'multireminder': {
      if (!Array.isArray(value)) return typeError(field, 'jsonarray');
      return { ok: true, value };
    }
    default:
      return { ok: true, value };
  }
}

/** The id inside a lookup input: `"123"`, `123` or `{"id":"123"}`; undefined when the shape is wrong. */
export function lookupId(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const id = (value as Record<string, unknown>)['id'];
    if (typeof id === 'string' && id !== '') return id;
    if (typeof id === 'number') return String(id);
  }
  return undefined;
}

export const LOOKUP_TYPES: ReadonlySet<string> = new Set(['lookup', 'ownerlookup', 'userlookup']);
