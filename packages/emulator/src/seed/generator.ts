/**
 * Deterministic record values for any module definition: each record depends only on (seed, index), so
 * benchmarks and tests can regenerate the same data, and a per-module plan of small closures built once keeps
 * 100,000 records well under a second.
 */
import { seededRandom } from '../ids.js';
import { formatZohoDateTime } from '../time.js';
import type { FieldMeta, ModuleDefinition } from './types.js';

/** Options of {@link generateRecordValues}. */
export interface GenerateOptions {
  /** Any integer; the same seed and index always give the same values. */
  seed: number;
  /** Index of the first record (default 0), so batches can continue a sequence. */
  startIndex?: number;
  /**
   * Existing records a lookup may point at, by module api name. Default: none, so optional lookups stay
   * empty and mandatory ones get a `{ $ref: { module, index: 0 } }` placeholder for the CRM state to resolve.
   */
  lookupTargets?: (module: string) => { id: string; name: string }[];
}

type Rng = () => number;

/** Per-record scratch space so related fields agree (First/Last name and Email, Start/End time). */
interface Ctx {
  rng: Rng;
  index: number;
  first: string;
  last: string;
  company: string;
  /** City, state, country and postal code, chosen together so addresses are plausible. */
  place: readonly [string, string, string, string];
  startMs: number;
}

type Gen = (ctx: Ctx) => unknown;

const FIRST = ['James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth', 'William', 'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Carlos', 'Karen', 'Wei', 'Aiko', 'Priya', 'Omar', 'Fatima', 'Lars', 'Ingrid', 'Mateo', 'Sofia', 'Kwame'];
const LAST = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee', 'Chen', 'Nakamura', 'Patel', 'Haddad', 'Nilsson', 'Schmidt', 'Rossi', 'Dubois', 'Mensah'];
const CO_A = ['Zylker', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Vandelay', 'Acme', 'Stark', 'Wayne', 'Cyberdyne', 'Soylent', 'Tyrell', 'Wonka', 'Gringotts', 'Oscorp', 'Aperture', 'Massive', 'Dunder', 'Pied Piper', 'Monarch'];
const CO_B = ['Systems', 'Industries', 'Labs', 'Logistics', 'Foods', 'Dynamics', 'Analytics', 'Partners', 'Networks', 'Holdings', 'Energy', 'Robotics', 'Media', 'Health', 'Capital', 'Works'];
const CO_C = ['Inc', 'LLC', 'Ltd', 'GmbH', 'Corp', 'Co', 'SA', 'Group'];
const CITIES: readonly (readonly [city: string, state: string, country: string, zip: string])[] = [
  ['Austin', 'TX', 'United States', '73301'],
  ['Boston', 'MA', 'United States', '02108'],
  ['Chicago', 'IL', 'United States', '60601'],
  ['Denver', 'CO', 'United States', '80202'],
  ['Seattle', 'WA', 'United States', '98101'],
  ['Toronto', 'ON', 'Canada', 'M5H 2N2'],
  ['London', 'Greater London', 'United Kingdom', 'EC1A 1BB'],
  ['Berlin', 'Berlin', 'Germany', '10115'],
  ['Chennai', 'Tamil Nadu', 'India', '600001'],
  ['Sydney', 'NSW', 'Australia', '2000'],
];
const STREETS = ['Main St', 'Oak Ave', 'Pine Rd', 'Maple Dr', 'Cedar Ln', 'Elm St', 'Lake View', 'Market St', 'Park Blvd', 'Hill Rd'];
const TITLES = ['CEO', 'CTO', 'VP Sales', 'Sales Manager', 'Purchasing Manager', 'IT Director', 'Operations Lead', 'Consultant', 'Engineer', 'Analyst'];
const DEPARTMENTS = ['Sales', 'Marketing', 'Engineering', 'Finance', 'Operations', 'Support', 'Procurement'];
const PRODUCT_A = ['Cloud', 'Smart', 'Ultra', 'Pro', 'Nano', 'Edge', 'Core', 'Prime'];
const PRODUCT_B = ['Router', 'Sensor', 'Gateway', 'Suite', 'Server', 'Drive', 'Console', 'Module', 'Scanner', 'Tablet'];
const VERBS = ['Follow up with', 'Call', 'Send proposal to', 'Schedule demo for', 'Email', 'Review contract with', 'Meet', 'Prepare quote for'];
const TOPICS = ['pricing', 'renewal', 'onboarding', 'integration', 'support contract', 'pilot', 'expansion', 'training'];
const SENTENCES = [
  'Interested in the enterprise plan.',
  'Asked for a follow-up next quarter.',
  'Met at the regional trade show.',
  'Needs approval from the finance team.',
  'Evaluating two competing vendors.',
  'Requested a product demo.',
  'Budget confirmed for this year.',
  'Prefers contact by email.',
];

/** 2024-01-01T00:00:00Z: generated dates spread over the following two years. */
const BASE_MS = Date.UTC(2024, 0, 1);
const DAY_MS = 86_400_000;

const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)] as T;
const int = (rng: Rng, lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));
const digits = (rng: Rng, n: number): string => String(int(rng, 10 ** (n - 1), 10 ** n - 1));
const SLUGS = new Map<string, string>();
/** Lower-case alphanumerics; cached because inputs come from the small word lists above. */
const slug = (s: string): string => {
  let v = SLUGS.get(s);
  if (v === undefined) {
    v = s.toLowerCase().replace(/[^a-z0-9]+/g, '');
    if (SLUGS.size < 10_000) SLUGS.set(s, v);
  }
  return v;
};

// Pools of precomputed strings: string building dominates bulk generation time.
const PHONES = Array.from({ length: 997 }, (_, i) => `+1 555-${String(100 + ((i * 7) % 900))}-${String(1000 + ((i * 7919) % 9000))}`);
const STREET_LINES = Array.from({ length: 499 }, (_, i) => `${1 + ((i * 37) % 9999)} ${STREETS[i % STREETS.length] as string}`);

/** A name unique per index: a bijection of the index onto word combinations, numbered past the last one. */
function uniqueName(index: number, seed: number, parts: readonly (readonly string[])[], sep = ' '): string {
  const total = parts.reduce((n, p) => n * p.length, 1);
  let k = (((index + seed * 7919) % total) + total) % total;
  const words: string[] = [];
  for (const p of parts) {
    words.push(p[k % p.length] as string);
    k = Math.floor(k / p.length);
  }
  const name = words.join(sep);
  return index < total ? name : `${name} ${index + 1}`;
}

const UNIQUE_NAMES: Record<string, (i: number, seed: number) => string> = {
  Account_Name: (i, s) => uniqueName(i, s, [CO_A, CO_B, CO_C]),
  Deal_Name: (i, s) => `${uniqueName(i, s, [CO_A, CO_B])} ${pick(seededRandom(i ^ s), TOPICS)} deal`,
  Product_Name: (i, s) => uniqueName(i, s, [PRODUCT_A, PRODUCT_B, ['100', '200', '300', 'X', 'Max']]),
  Vendor_Name: (i, s) => `${uniqueName(i, s, [CO_A, CO_B])} Supply`,
  Campaign_Name: (i, s) => `${uniqueName(i, s, [['Spring', 'Summer', 'Autumn', 'Winter'], ['Launch', 'Webinar', 'Roadshow', 'Mailer', 'Expo']])} ${2024 + (i % 3)}`,
  Price_Book_Name: (i, s) => uniqueName(i, s, [['Standard', 'Partner', 'Wholesale', 'Retail', 'Education'], ['Pricing', 'Rates', 'Price List']]),
};

/** Text generators by api name; anything else gets `<label> <n>`. */
const TEXT_BY_NAME: Record<string, Gen> = {
  First_Name: (c) => c.first,
  Last_Name: (c) => c.last,
  Company: (c) => c.company,
  Designation: (c) => pick(c.rng, TITLES),
  Title: (c) => pick(c.rng, TITLES),
  Department: (c) => pick(c.rng, DEPARTMENTS),
  Subject: (c) => `${pick(c.rng, VERBS)} ${c.first} ${c.last} about ${pick(c.rng, TOPICS)}`,
  Event_Title: (c) => `${pick(c.rng, TOPICS)} meeting with ${c.company}`,
  Solution_Title: (c) => `How to resolve ${pick(c.rng, TOPICS)} issues (${c.index + 1})`,
  Note_Title: (c) => `Note on ${pick(c.rng, TOPICS)}`,
  Product_Code: (c) => `PRD-${String(c.index + 1).padStart(5, '0')}`,
  Account_Number: (c) => digits(c.rng, 8),
  Account_Site: (c) => c.place[0],
  Ticker_Symbol: (c) => c.company.slice(0, 4).toUpperCase(),
  Skype_ID: (c) => `${slug(c.first)}.${slug(c.last)}`,
  Twitter: (c) => `${slug(c.first)}${slug(c.last)}`,
  Next_Step: (c) => `${pick(c.rng, VERBS)} ${c.first}`,
  Assistant: (c) => `${pick(c.rng, FIRST)} ${pick(c.rng, LAST)}`,
  Reported_By: (c) => `${c.first} ${c.last}`,
  Call_Duration: (c) => `${String(int(c.rng, 0, 59)).padStart(2, '0')}:${String(int(c.rng, 0, 59)).padStart(2, '0')}`,
  Call_Agenda: (c) => `Discuss ${pick(c.rng, TOPICS)}`,
  Venue: (c) => `${c.place[0]} office`,
  Category: (c) => pick(c.rng, ['Hardware', 'Software', 'Services', 'Logistics']),
  Customer_No: (c) => `C-${digits(c.rng, 6)}`,
  Purchase_Order: (c) => `PO-${digits(c.rng, 6)}`,
  Requisition_No: (c) => `REQ-${digits(c.rng, 5)}`,
  Tracking_Number: (c) => `1Z${digits(c.rng, 9)}`,
  Team: (c) => pick(c.rng, DEPARTMENTS),
};

const NUMBER_RANGES: Record<string, [number, number]> = {
  No_of_Employees: [1, 5000],
  Employees: [1, 20000],
  SIC_Code: [1000, 9999],
  Expected_Response: [10, 500],
  Num_sent: [100, 10000],
  Annual_Revenue: [50_000, 50_000_000],
  Amount: [1_000, 250_000],
  Unit_Price: [10, 5_000],
  Commission_Rate: [1, 20],
  Budgeted_Cost: [1_000, 50_000],
  Actual_Cost: [1_000, 50_000],
  Expected_Revenue: [5_000, 500_000],
  Probability: [10, 100],
  Qty_in_Stock: [0, 1000],
  Qty_Ordered: [0, 500],
  Reorder_Level: [5, 50],
  Qty_in_Demand: [0, 200],
};

/** Fields whose value the server owns or that this generator leaves to the CRM state. */
function skipped(f: FieldMeta): boolean {
  return f.read_only || f.field_read_only || ['ownerlookup', 'userlookup', 'subform', 'formula', 'autonumber', 'profileimage', 'fileupload', 'imageupload'].includes(f.data_type);
}

const lookupModule = (f: FieldMeta): string => {
  const m = (f.lookup as { module?: unknown }).module;
  return typeof m === 'string' ? m : '';
};

/** Modules a multi-module lookup (`se_module`) may point at, most likely first. */
const SE_MODULES = ['Deals', 'Accounts', 'Leads', 'Contacts'];

type LookupPicker = (module: string, ctx: Ctx) => unknown;

function textGen(f: FieldMeta): Gen {
  const byName = TEXT_BY_NAME[f.api_name];
  if (byName !== undefined) return byName;
  if (/Street$/.test(f.api_name)) return (c) => pick(c.rng, STREET_LINES);
  if (/City$/.test(f.api_name)) return (c) => c.place[0];
  if (/State$/.test(f.api_name)) return (c) => c.place[1];
  if (/Country$/.test(f.api_name)) return (c) => c.place[2];
  if (/(Zip|Zip_Code|Code)$/.test(f.api_name)) return (c) => c.place[3];
  const label = f.field_label;
  return (c) => `${label} ${c.index + 1}`.slice(0, f.length > 0 ? f.length : undefined);
}

function numberGen(f: FieldMeta): Gen {
  const [lo, hi] = NUMBER_RANGES[f.api_name] ?? (f.data_type === 'percent' ? [0, 100] : [1, 1000]);
  if (f.data_type === 'integer' || f.data_type === 'bigint' || f.data_type === 'long' || f.data_type === 'percent') return (c) => int(c.rng, lo, hi);
  return (c) => Math.round((lo + c.rng() * (hi - lo)) * 100) / 100;
}

function fieldGen(f: FieldMeta, def: ModuleDefinition, seed: number, lookup: LookupPicker): Gen | undefined {
  const unique = UNIQUE_NAMES[f.api_name];
  if (unique !== undefined && f.api_name === def.displayField) return (c) => unique(c.index, seed);
  switch (f.data_type) {
    case 'text':
    case 'mediumtext':
      return textGen(f);
    case 'textarea':
      return f.api_name === 'Note_Content' || f.api_name === 'Description'
        ? (c) => `${pick(c.rng, SENTENCES)} ${pick(c.rng, SENTENCES)}`
        : (c) => pick(c.rng, SENTENCES);
    case 'email': {
      // The index makes emails unique within one seed's sequence; the seed keeps sequences apart.
      const tag = f.api_name === 'Email' ? '' : '.alt';
      return (c) => `${slug(c.first)}.${slug(c.last)}${tag}.${c.index + 1}.${seed}@${slug(c.company.split(' ')[0] ?? 'mail')}.example.com`;
    }
    case 'phone':
      return (c) => pick(c.rng, PHONES);
    case 'website':
      return (c) => `https://www.${slug(c.company.split(' ')[0] ?? 'site')}.example.com`;
    case 'picklist': {
      const values = f.pick_list_values.filter((p) => p.display_value !== '-None-').map((p) => p.display_value);
      return values.length === 0 ? undefined : (c) => pick(c.rng, values);
    }
    case 'multiselectpicklist': {
      const values = f.pick_list_values.filter((p) => p.display_value !== '-None-').map((p) => p.display_value);
      return values.length === 0 ? undefined : (c) => [...new Set([pick(c.rng, values), pick(c.rng, values)])];
    }
    case 'integer':
    case 'bigint':
    case 'long':
    case 'double':
    case 'currency':
    case 'percent':
    case 'decimal':
      return numberGen(f);
    case 'boolean':
      return (c) => c.rng() < 0.5;
    case 'date':
      return (c) => formatZohoDateTime(BASE_MS + int(c.rng, 0, 730) * DAY_MS).slice(0, 10);
    case 'datetime':
    case 'event_reminder':
      // End times follow the record's start so Events stay well-formed.
      if (/^End/.test(f.api_name)) return (c) => formatZohoDateTime(c.startMs + int(c.rng, 1, 4) * 1_800_000);
      return (c) => formatZohoDateTime(c.startMs);
    case 'lookup': {
      const module = lookupModule(f);
      return module === '' ? undefined : (c) => lookup(module, c);
    }
    default:
      return undefined;
  }
}

interface Plan {
  /** api name, generator, always filled. */
  gens: [string, Gen, boolean][];
}

function buildPlan(def: ModuleDefinition, seed: number, lookup: LookupPicker, alwaysLookups: boolean): Plan {
  const gens: [string, Gen, boolean][] = [];
  for (const f of def.fields) {
    if (skipped(f)) continue;
    const g = fieldGen(f, def, seed, lookup);
    if (g === undefined) continue;
    // Notes need a parent in practice, although Zoho's metadata does not flag Parent_Id mandatory.
    const required =
      f.system_mandatory ||
      f.api_name === def.displayField ||
      (alwaysLookups && f.data_type === 'lookup') ||
      (def.meta.api_name === 'Notes' && f.api_name === 'Parent_Id');
    gens.push([f.api_name, g, required]);
  }
  return { gens };
}

function mixSeed(seed: number, index: number): number {
  return (Math.imul(seed ^ 0x5bd1e995, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0;
}

/** One record's values from a prebuilt plan. */
function makeRecord(plan: Plan, seed: number, index: number): Record<string, unknown> {
  const rng = seededRandom(mixSeed(seed, index));
  const ctx: Ctx = {
    rng,
    index,
    first: pick(rng, FIRST),
    last: pick(rng, LAST),
    company: `${pick(rng, CO_A)} ${pick(rng, CO_B)}`,
    place: pick(rng, CITIES),
    startMs: BASE_MS + int(rng, 0, 730) * DAY_MS + int(rng, 16, 36) * 1_800_000,
  };
  const rec: Record<string, unknown> = {};
  for (const [name, gen, required] of plan.gens) {
    // Optional fields are empty (null, as Zoho returns them) now and then; every record keeps the same
    // keys, which also keeps V8 on one object shape for fast bulk generation.
    if (!required && rng() < 0.15) {
      rec[name] = null;
      continue;
    }
    const v = gen(ctx);
    if (v !== undefined) rec[name] = v;
  }
  return rec;
}

function generateWith(
  def: ModuleDefinition,
  count: number,
  seed: number,
  startIndex: number,
  lookup: LookupPicker,
  alwaysLookups = false,
): Record<string, unknown>[] {
  const plan = buildPlan(def, seed, lookup, alwaysLookups);
  const out: Record<string, unknown>[] = new Array(count);
  for (let k = 0; k < count; k++) out[k] = makeRecord(plan, seed, startIndex + k);
  return out;
}

function requiredLookup(def: ModuleDefinition, module: string): boolean {
  return def.fields.some((f) => f.data_type === 'lookup' && lookupModule(f) === module && f.system_mandatory);
}

/**
 * `count` records of user-facing values for `def` (no `id`, Owner, Created_*, Modified_* or `$` keys: the
 * CRM state adds those). Values satisfy the metadata: mandatory fields present, picklist values from the
 * list, unique emails and names per (seed, index), `yyyy-MM-dd` dates and offset datetimes.
 */
export function generateRecordValues(def: ModuleDefinition, count: number, options: GenerateOptions): Record<string, unknown>[] {
  return generateWith(def, count, options.seed, options.startIndex ?? 0, publicPicker(def, options));
}

/**
 * The record at any index, with the plan built once: for callers that insert one record at a time
 * (`createRecordGenerator(def, { seed })(i)` equals `generateRecordValues(def, 1, { seed, startIndex: i })[0]`).
 */
export function createRecordGenerator(def: ModuleDefinition, options: Omit<GenerateOptions, 'startIndex'>): (index: number) => Record<string, unknown> {
  const plan = buildPlan(def, options.seed, publicPicker(def, options), false);
  return (index) => makeRecord(plan, options.seed, index);
}

/** Lookups from `lookupTargets` (read once per module), else `$ref` placeholders for mandatory ones. */
function publicPicker(def: ModuleDefinition, options: Omit<GenerateOptions, 'startIndex'>): LookupPicker {
  const cache = new Map<string, { id: string; name: string }[]>();
  const targets = (module: string): { id: string; name: string }[] => {
    let list = cache.get(module);
    if (list === undefined) {
      list = options.lookupTargets?.(module) ?? [];
      cache.set(module, list);
    }
    return list;
  };
  return (module, ctx) => {
    const candidates = module === 'se_module' ? SE_MODULES.filter((m) => targets(m).length > 0) : [module];
    const chosen = candidates.length === 0 ? undefined : pick(ctx.rng, candidates);
    const list = chosen === undefined ? [] : targets(chosen);
    if (list.length > 0) {
      const t = pick(ctx.rng, list);
      return { name: t.name, id: t.id };
    }
    const fallback = module === 'se_module' ? 'Leads' : module;
    if (module === 'se_module' ? def.meta.api_name === 'Notes' : requiredLookup(def, module)) {
      return { $ref: { module: fallback, index: 0 } };
    }
    return undefined;
  };
}

/** How many demo records of each module {@link initialDataset} makes, in insertion order. */
export const INITIAL_COUNTS: readonly (readonly [module: string, count: number])[] = [
  ['Vendors', 3],
  ['Accounts', 5],
  ['Contacts', 8],
  ['Leads', 10],
  ['Campaigns', 2],
  ['Products', 4],
  ['Deals', 4],
  ['Price_Books', 1],
  ['Tasks', 4],
  ['Events', 2],
  ['Calls', 2],
  ['Cases', 2],
  ['Notes', 3],
];

/**
 * A small coherent demo dataset. Records cannot know their ids yet, so lookups are placeholders
 * `{ $ref: { module: 'Accounts', index: 2 } }` (index into that module's list here); the CRM state inserts
 * modules so that targets come first (this Map's order already does: Vendors, Accounts, Contacts, Leads,
 * Campaigns, Products, Deals, then activities and Notes) and replaces each placeholder with the target's
 * `{name, id}`.
 */
export function initialDataset(defs: ModuleDefinition[], seed: number): Map<string, Record<string, unknown>[]> {
  const byName = new Map(defs.map((d) => [d.meta.api_name, d]));
  const counts = new Map<string, number>(INITIAL_COUNTS.filter(([m]) => byName.has(m)).map(([m, n]) => [m, n]));
  const out = new Map<string, Record<string, unknown>[]>();
  for (const [module, count] of counts) {
    const def = byName.get(module) as ModuleDefinition;
    const picker: LookupPicker = (target, ctx) => {
      // A module never points at itself in the demo (Parent_Account, Reporting_To), which keeps inserts acyclic.
      // Demo notes sit on Accounts and Deals, so fresh Leads and Contacts start without notes.
      const parents = module === 'Notes' ? ['Deals', 'Accounts'] : SE_MODULES;
      const choices = target === 'se_module' ? parents.filter((m) => counts.has(m) && m !== module) : [target];
      const chosen = choices.length === 0 ? undefined : pick(ctx.rng, choices);
      const n = chosen === undefined || chosen === module ? 0 : (counts.get(chosen) ?? 0);
      // Contacts i belongs to Accounts i mod 5, so the demo hierarchy is predictable.
      return n === 0 ? undefined : { $ref: { module: chosen, index: ctx.index % n } };
    };
    out.set(module, generateWith(def, count, seed, 0, picker, true));
  }
  return out;
}
