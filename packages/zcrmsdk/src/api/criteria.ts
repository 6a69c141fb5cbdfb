/**
 * A builder for the search `criteria` string (wire spec §6): `((Last_Name:equals:Burns\,B)and(City:starts_with:M))`.
 * Values are escaped here (`\`, `(`, `)` and `,` get a backslash), so user text can never close a condition or
 * add an OR-ed value; field names are checked. The URL encoding is the pipeline's.
 *
 * ```ts
 * import { criteria as c } from 'zcrmsdk';
 * crm.records('Leads').search({ criteria: c.and(c.equals('Company', 'Acme, Inc.'), c.startsWith('City', 'San')) });
 * ```
 */
import { InvalidInputError } from '../errors.js';

/** Zoho's search operators (v2 accepts only `equals` and `starts_with`; v2.1+ all). */
export type CriteriaOperator =
  | 'equals'
  | 'not_equal'
  | 'starts_with'
  | 'ends_with'
  | 'contains'
  | 'not_contains'
  | 'greater_than'
  | 'greater_equal'
  | 'less_than'
  | 'less_equal'
  | 'between'
  | 'in';

/** A value in a condition. Dates become Zoho datetimes (`2024-01-15T10:30:00+00:00`). */
export type CriteriaValue = string | number | boolean | Date | null;

/** Most conditions Zoho accepts in one criteria string. */
export const MAX_CRITERIA_CONDITIONS = 10;

const OPERATORS: ReadonlySet<string> = new Set<CriteriaOperator>([
  'equals',
  'not_equal',
  'starts_with',
  'ends_with',
  'contains',
  'not_contains',
  'greater_than',
  'greater_equal',
  'less_than',
  'less_equal',
  'between',
  'in',
]);
const FIELD = /^[A-Za-z$][A-Za-z0-9_$]*(\.[A-Za-z$][A-Za-z0-9_$]*)?$/;

/** A criteria expression; `String(c)` (or `c.text`) is what Zoho receives as `criteria`. */
export class Criteria {
  /** The criteria string, e.g. `(Last_Name:equals:Burns\,B)`. */
  readonly text: string;
  /** Conditions in the expression (Zoho allows {@link MAX_CRITERIA_CONDITIONS}). */
  readonly conditions: number;

  private constructor(text: string, conditions: number) {
    if (conditions > MAX_CRITERIA_CONDITIONS) {
      throw new InvalidInputError(
        `The search criteria has ${conditions} conditions; Zoho allows at most ${MAX_CRITERIA_CONDITIONS}. Split the search, use 'in' for several values, or use crm.coql().`,
      );
    }
    this.text = text;
    this.conditions = conditions;
  }

  /** One condition: `field:operator:value`; `between` takes two values, `in`/`equals` may take several (OR-ed). */
  static where(field: string, operator: CriteriaOperator, value: CriteriaValue | readonly CriteriaValue[]): Criteria {
    if (typeof field !== 'string' || !FIELD.test(field)) {
      throw new InvalidInputError(`criteria field ${JSON.stringify(field)} is not a field API name (e.g. 'Last_Name', or 'Owner.id' for a lookup's key).`);
    }
    if (!OPERATORS.has(operator)) {
      throw new InvalidInputError(`criteria operator ${JSON.stringify(operator)} is not one of Zoho's: ${[...OPERATORS].join(', ')}.`);
    }
    const values: readonly CriteriaValue[] = Array.isArray(value) ? value : [value as CriteriaValue];
    if (values.length === 0) throw new InvalidInputError(`criteria '${field} ${operator}' needs at least one value.`);
    if (operator === 'between' && values.length !== 2) {
      throw new InvalidInputError(`criteria '${field} between' needs exactly two values [from, to], got ${values.length}.`);
    }
    return new Criteria(`(${field}:${operator}:${values.map(formatValue).join(',')})`, 1);
  }

  /** All of the expressions. */
  static and(...parts: Criteria[]): Criteria {
    return Criteria.#join('and', parts);
  }

  /** Any of the expressions. */
  static or(...parts: Criteria[]): Criteria {
    return Criteria.#join('or', parts);
  }

  static #join(op: 'and' | 'or', parts: Criteria[]): Criteria {
    if (parts.length === 0) throw new InvalidInputError(`criteria.${op}() needs at least one expression.`);
    for (const p of parts) {
      if (!(p instanceof Criteria)) throw new InvalidInputError(`criteria.${op}() takes expressions built with criteria.* (e.g. criteria.equals(...)).`);
    }
    if (parts.length === 1) return parts[0] as Criteria;
    return new Criteria(`(${parts.map((p) => p.text).join(op)})`, parts.reduce((n, p) => n + p.conditions, 0));
  }

  /** This and the others. */
  and(...others: Criteria[]): Criteria {
    return Criteria.and(this, ...others);
  }

  /** This or the others. */
  or(...others: Criteria[]): Criteria {
    return Criteria.or(this, ...others);
  }

  toString(): string {
    return this.text;
  }

  toJSON(): string {
    return this.text;
  }
}

/** Escapes a value for a criteria condition: `\`, `(`, `)` and `,` get a backslash. */
export function escapeCriteriaValue(value: string): string {
  return value.replace(/[\\(),]/g, (c) => `\\${c}`);
}

function formatValue(value: CriteriaValue): string {
  if (value === null) return 'null';
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new InvalidInputError('criteria value is an invalid Date.');
    return escapeCriteriaValue(`${value.toISOString().slice(0, 19)}+00:00`);
  }
  if (typeof value === 'number' && !Number.isFinite(value)) throw new InvalidInputError(`criteria value ${value} is not a finite number.`);
  return escapeCriteriaValue(String(value));
}

type Single = CriteriaValue;

/** The builder: one function per Zoho operator, plus `and` / `or`. */
export const criteria = {
  where: (field: string, operator: CriteriaOperator, value: Single | readonly Single[]): Criteria => Criteria.where(field, operator, value),
  /** Equal to the value (several values: any of them). */
  equals: (field: string, value: Single | readonly Single[]): Criteria => Criteria.where(field, 'equals', value),
  notEqual: (field: string, value: Single): Criteria => Criteria.where(field, 'not_equal', value),
  startsWith: (field: string, value: string): Criteria => Criteria.where(field, 'starts_with', value),
  endsWith: (field: string, value: string): Criteria => Criteria.where(field, 'ends_with', value),
  contains: (field: string, value: string): Criteria => Criteria.where(field, 'contains', value),
  notContains: (field: string, value: string): Criteria => Criteria.where(field, 'not_contains', value),
  greaterThan: (field: string, value: Single): Criteria => Criteria.where(field, 'greater_than', value),
  greaterEqual: (field: string, value: Single): Criteria => Criteria.where(field, 'greater_equal', value),
  lessThan: (field: string, value: Single): Criteria => Criteria.where(field, 'less_than', value),
  lessEqual: (field: string, value: Single): Criteria => Criteria.where(field, 'less_equal', value),
  between: (field: string, from: Single, to: Single): Criteria => Criteria.where(field, 'between', [from, to]),
  in: (field: string, values: readonly Single[]): Criteria => Criteria.where(field, 'in', values),
  and: (...parts: Criteria[]): Criteria => Criteria.and(...parts),
  or: (...parts: Criteria[]): Criteria => Criteria.or(...parts),
} as const;
