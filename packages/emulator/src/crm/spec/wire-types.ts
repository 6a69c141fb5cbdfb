/**
 * Where Zoho's wire differs from the types its OAS gives: the OAS types a time zone, "hh:mm" times and a
 * variable's value as `object` (Java's TimeZone and LocalTime leaking through), while Zoho sends strings and its SDKs parse
 * strings (@zohocrm/typescript-sdk-8.0 crashes on an object there). Applied to the parsed schemas
 * (./schemas.ts), so samples, stored items and request validation follow the wire; the contract test lists
 * the replies this makes invalid against the raw OAS in its ALLOWED list.
 */
import type { Schema } from './types.js';

/** An IANA time-zone name, e.g. `Asia/Kolkata`. */
const TIME_ZONE: Schema = { type: 'string', pattern: '^[A-Za-z_]+(/[A-Za-z0-9_+-]+)*$' };
/** A time of day as Zoho writes it in shift and break timings: `09:00` (Zoho's TS SDK writes `9:00`). */
const HH_MM: Schema = { type: 'string', pattern: '^[0-2]?[0-9]:[0-5][0-9]$' };
const TIMINGS: Schema = { type: 'array', items: HH_MM };

/** Schema (`<area>#/schemas/<Name>`) → property → the schema of what Zoho really sends. */
export const WIRE_TYPES: Readonly<Record<string, Readonly<Record<string, Schema>>>> = {
  'shift_hours#/schemas/shift_hours': { timezone: TIME_ZONE, daily_timing: TIMINGS },
  'shift_hours#/schemas/break_hours': { daily_timing: TIMINGS },
  'shift_hours#/schemas/shift_custom_timing': { shift_timing: TIMINGS },
  'shift_hours#/schemas/break_custom_timing': { break_timing: TIMINGS },
  // A variable's value has its variable's type (integer, text, checkbox ...); the OAS's `object` is a placeholder.
  'variables#/schemas/variable': { value: {} },
  // So has a scoring criterion's value its field's type (a picklist's string, a number ...).
  'scoring_rules#/schemas/Criteria': { value: {} },
};

/** Puts the wire types into an area's parsed schemas (in place). */
export function applyWireTypes(area: string, schemas: Record<string, Schema>): void {
  for (const [ref, props] of Object.entries(WIRE_TYPES)) {
    const [docArea, name] = ref.split('#/schemas/');
    const target = docArea === area && name !== undefined ? schemas[name] : undefined;
    if (target?.properties === undefined) continue;
    for (const [key, schema] of Object.entries(props)) if (key in target.properties) target.properties[key] = schema;
  }
}
