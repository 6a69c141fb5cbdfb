/**
 * Zoho's API credits: what each CRM call costs, and a meter that counts every call and refuses one when a
 * configured 24-hour budget does not cover it.
 *
 * The cost table follows Zoho's "API Limits" pages. Sources read (2026-12):
 * - https://www.zoho.com/crm/developer/docs/api/v2/api-limits.html and .../v4/api-limits.html: "Each API call
 *   made will result in a reduction of 1 credit ... for a 'Convert Lead API', 5 credits";
 * - https://www.zoho.com/developer/docs/vertical-solutions/api/v2/api-limits.html (Zoho's own CRM-platform table,
 *   same layout): Get IDs of deleted records 2; Get records with cvid 3; Convert Lead 5; Add/Remove Tags to
 *   multiple records 1 per 50 records; Insert/Update/Upsert 1 per 10 records; Bulk Read initialize 50;
 *   Bulk Write initialize 500; all other APIs 1;
 * - a summary of https://www.zoho.com/crm/developer/docs/api/v8/api-limits.html (github.com/api-evangelist/
 *   zoho-crm, rate-limits/zoho-crm-rate-limits.yml): insert/update/upsert 1 per 10 records, Convert Lead 5, Bulk
 *   Write initialize 500 (and custom-module creation 500, which the emulator does not serve);
 * - Kaizen #60 (help.zoho.com/portal/de/community/topic/kaizen-60-get-records-search-records-query-and-bulk-read-apis):
 *   "Each Get Records API call consumes one API credit";
 * - Kaizen #93 (credit-calculation-and-concurrency-in-zoho-crm-apis): the budget is a rolling 24 hours, each
 *   call's credits coming back 24 hours after it.
 * None of these lists COQL, search or mass update apart, so they cost 1 ("all other APIs").
 */
import type { CrmRequest } from './http-types.js';

/** How long spent credits count against the budget (Kaizen #93: a rolling 24-hour window). */
export const CREDIT_WINDOW_MS = 24 * 60 * 60 * 1000;

/** The parts of a CRM call its cost depends on. */
export type CreditedCall = Pick<CrmRequest, 'method' | 'bulk' | 'segments' | 'query' | 'json'>;

/** One row of Zoho's credit table. */
export interface CreditRule {
  /** Zoho's name for the operation, as its table lists it. */
  readonly name: string;
  matches(call: CreditedCall): boolean;
  cost(call: CreditedCall): number;
}

/** First path segments that are not record modules (their writes are not "Insert/Update/Upsert records"). */
const NOT_MODULES = new Set(['settings', 'users', 'org', 'coql', 'functions', 'upload', 'files', '__composite_requests', 'actions', 'search']);

const isModule = (segment: string | undefined): boolean => segment !== undefined && !NOT_MODULES.has(segment.toLowerCase());
const lower = (segment: string | undefined): string => (segment ?? '').toLowerCase();

/** Records in a write body (`{ data: [...] }`); 1 when the body has no list. */
function recordCount(json: unknown): number {
  const data = typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>)['data'] : undefined;
  return Array.isArray(data) && data.length > 0 ? data.length : 1;
}

/** Ids a tag action names (query `ids`, or `ids` in the body). */
function idCount(call: CreditedCall): number {
  const fromQuery = call.query['ids']?.split(',').filter((s) => s !== '').length ?? 0;
  const body = typeof call.json === 'object' && call.json !== null ? (call.json as Record<string, unknown>)['ids'] : undefined;
  return Math.max(1, fromQuery, Array.isArray(body) ? body.length : 0);
}

/** Zoho's credit table; the first matching rule prices a call, anything else costs 1. */
export const CREDIT_RULES: readonly CreditRule[] = [
  { name: 'Bulk Read initialize', matches: (c) => c.bulk && c.method === 'POST' && c.segments.length === 1 && lower(c.segments[0]) === 'read', cost: () => 50 },
  { name: 'Bulk Write initialize', matches: (c) => c.bulk && c.method === 'POST' && c.segments.length === 1 && lower(c.segments[0]) === 'write', cost: () => 500 },
  {
    name: 'Convert Lead',
    matches: (c) => !c.bulk && c.method === 'POST' && lower(c.segments[0]) === 'leads' && lower(c.segments[2]) === 'actions' && lower(c.segments[3]) === 'convert',
    cost: () => 5,
  },
  {
    name: 'Add/Remove Tags to multiple records',
    matches: (c) => !c.bulk && c.method === 'POST' && isModule(c.segments[0]) && lower(c.segments[c.segments.length - 2]) === 'actions' && /^(add|remove)_tags$/.test(lower(c.segments[c.segments.length - 1])),
    cost: (c) => Math.ceil(idCount(c) / 50),
  },
  {
    name: 'Insert/Update/Upsert records',
    matches: (c) =>
      !c.bulk &&
      isModule(c.segments[0]) &&
      ((c.segments.length === 1 && (c.method === 'POST' || c.method === 'PUT')) ||
        (c.segments.length === 2 && c.method === 'POST' && lower(c.segments[1]) === 'upsert') ||
        (c.segments.length === 2 && c.method === 'PUT' && /^\d+$/.test(c.segments[1] ?? ''))),
    cost: (c) => Math.ceil(recordCount(c.json) / 10),
  },
  { name: 'Get IDs of deleted records', matches: (c) => !c.bulk && c.method === 'GET' && c.segments.length === 2 && isModule(c.segments[0]) && lower(c.segments[1]) === 'deleted', cost: () => 2 },
  { name: 'Get records with cvid', matches: (c) => !c.bulk && c.method === 'GET' && c.segments.length === 1 && isModule(c.segments[0]) && c.query['cvid'] !== undefined, cost: () => 3 },
];

/** The credits a call costs and the operation it counts under (`POST /Leads`, `GET /Leads/{id}`, `POST /bulk/read`). */
export function creditCost(call: CreditedCall): { operation: string; credits: number } {
  const path = call.segments.map((s) => (/^\d+$/.test(s) ? '{id}' : s)).join('/');
  const operation = `${call.method} /${call.bulk ? 'bulk/' : ''}${path}`;
  const rule = CREDIT_RULES.find((r) => r.matches(call));
  return { operation, credits: rule === undefined ? 1 : Math.max(1, rule.cost(call)) };
}

/** Calls and credits of one operation. */
export interface CreditUse {
  calls: number;
  credits: number;
}

/** What `emulator.credits` reports. */
export interface CreditReport {
  /** Credits spent since start or the last `reset()` (counted with or without a budget). */
  readonly used: number;
  /** Credits left in the rolling 24 hours; undefined without a budget. */
  readonly remaining: number | undefined;
  /** The 24-hour budget; undefined for unlimited (the default). */
  readonly budget: number | undefined;
  /** Calls refused because the budget did not cover them (they spend nothing). */
  readonly refused: number;
  /** Calls and credits per operation (`POST /Leads`, `GET /Leads/{id}` ...), since start or `reset()`. */
  readonly byOperation: Readonly<Record<string, CreditUse>>;
  /** Forgets every count and spent credit (the budget stays). */
  reset(): void;
}

/** Counts credits per call; with a budget, refuses a call the last 24 hours' spending leaves no room for. */
export class CreditMeter implements CreditReport {
  #budget: number | undefined;
  #used = 0;
  #refused = 0;
  #byOperation = new Map<string, CreditUse>();
  /** Spends inside the window by the second they were made in (floor), oldest first: [time, credits]. Kept only
   * with a budget; one entry per second bounds them to 86,400 however many calls a day brings. */
  #spends: [number, number][] = [];
  #head = 0;
  #inWindow = 0;

  constructor(
    readonly now: () => number,
    budget?: number,
  ) {
    this.#budget = budget;
  }

  get used(): number {
    return this.#used;
  }

  get budget(): number | undefined {
    return this.#budget;
  }

  get remaining(): number | undefined {
    if (this.#budget === undefined) return undefined;
    this.#expire();
    return Math.max(0, this.#budget - this.#inWindow);
  }

  get refused(): number {
    return this.#refused;
  }

  get byOperation(): Readonly<Record<string, CreditUse>> {
    return Object.fromEntries([...this.#byOperation].map(([op, use]) => [op, { ...use }]));
  }

  /** A new budget (undefined for unlimited) with an empty window. */
  setBudget(budget: number | undefined): void {
    this.#budget = budget;
    this.#clearWindow();
  }

  reset(): void {
    this.#used = 0;
    this.#refused = 0;
    this.#byOperation = new Map();
    this.#clearWindow();
  }

  /** Charges a call; false (nothing spent) when the budget does not cover it. */
  charge(operation: string, credits: number): boolean {
    this.#expire();
    if (this.#budget !== undefined && this.#inWindow + credits > this.#budget) {
      this.#refused += 1;
      return false;
    }
    this.#used += credits;
    if (this.#budget !== undefined) {
      this.#inWindow += credits;
      const second = Math.floor(this.now() / 1000) * 1000;
      const last = this.#spends[this.#spends.length - 1];
      if (last !== undefined && this.#spends.length > this.#head && last[0] === second) last[1] += credits;
      else this.#spends.push([second, credits]);
    }
    const use = this.#byOperation.get(operation);
    if (use === undefined) this.#byOperation.set(operation, { calls: 1, credits });
    else {
      use.calls += 1;
      use.credits += credits;
    }
    return true;
  }

  /** The legacy `X-RATELIMIT-*` headers (empty without a budget); the reset is when the oldest spend frees up. */
  headers(): Record<string, string> {
    const remaining = this.remaining;
    if (this.#budget === undefined || remaining === undefined) return {};
    const oldest = this.#spends[this.#head]?.[0] ?? this.now();
    return {
      'X-RATELIMIT-LIMIT': String(this.#budget),
      'X-RATELIMIT-REMAINING': String(remaining),
      'X-RATELIMIT-RESET': String(oldest + CREDIT_WINDOW_MS),
      'X-RATELIMIT-DAY-LIMIT': String(this.#budget),
      'X-RATELIMIT-DAY-REMAINING': String(remaining),
    };
  }

  #expire(): void {
    const cutoff = this.now() - CREDIT_WINDOW_MS;
    while (this.#head < this.#spends.length && (this.#spends[this.#head]?.[0] ?? Infinity) <= cutoff) {
      this.#inWindow -= this.#spends[this.#head]?.[1] ?? 0;
      this.#head += 1;
    }
    // Drop the expired prefix now and then, so a long run keeps only the last day's spends.
    if (this.#head > 1024 && this.#head * 2 > this.#spends.length) {
      this.#spends = this.#spends.slice(this.#head);
      this.#head = 0;
    }
  }

  #clearWindow(): void {
    this.#spends = [];
    this.#head = 0;
    this.#inWindow = 0;
  }
}
