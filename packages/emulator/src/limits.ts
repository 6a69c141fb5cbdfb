/**
 * Zoho's API limits (wire spec §4, Kaizen #93): a concurrency cap on calls in flight and a rolling 24-hour
 * credit budget. Both are off unless configured, so tests see them only when they ask for them.
 */

/** Zoho CRM editions, as Zoho's API-limits page names them. */
export type ZohoEdition = 'free' | 'standard' | 'professional' | 'enterprise' | 'ultimate';

/**
 * Calls in flight Zoho allows per edition (Kaizen #93). The SDK's limiter has its own copy of these five numbers
 * on purpose: the emulator judges the SDK, and a judge that shares its table with what it judges would hide a
 * wrong number in both.
 */
export const EDITION_CONCURRENCY: Readonly<Record<ZohoEdition, number>> = { free: 5, standard: 10, professional: 15, enterprise: 20, ultimate: 25 };

/** 24-hour credits for an edition and a user count (Kaizen #93). */
export function editionCredits(edition: ZohoEdition, users: number): number {
  switch (edition) {
    case 'free':
      return 5_000;
    case 'standard':
      return Math.min(50_000 + 250 * users, 100_000);
    case 'professional':
      return Math.min(50_000 + 500 * users, 1_000_000);
    case 'enterprise':
      return Math.min(50_000 + 1_000 * users, 2_000_000);
    case 'ultimate':
      return 50_000 + 2_000 * users;
  }
}

export const CREDIT_WINDOW_MS = 24 * 60 * 60 * 1000;

/** Counts calls in flight and spends credits; the server asks it before handing a call to the CRM. */
export class Limits {
  /** Max calls in flight, or undefined for unlimited. */
  concurrency: number | undefined;
  #inFlight = 0;
  #budget: number | undefined;
  #spent = 0;
  #windowStart: number;

  constructor(
    readonly now: () => number,
    concurrency?: number,
    credits?: number,
  ) {
    this.concurrency = concurrency;
    this.#budget = credits;
    this.#windowStart = now();
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  /** Enters a call; false (and nothing counted) when the concurrency cap is reached. */
  enter(): boolean {
    if (this.concurrency !== undefined && this.#inFlight >= this.concurrency) return false;
    this.#inFlight += 1;
    return true;
  }

  leave(): void {
    this.#inFlight = Math.max(0, this.#inFlight - 1);
  }

  /** Sets a fresh credit budget (undefined = unlimited) and restarts the 24-hour window. */
  setCredits(credits: number | undefined): void {
    this.#budget = credits;
    this.#spent = 0;
    this.#windowStart = this.now();
  }

  #roll(): void {
    if (this.now() - this.#windowStart >= CREDIT_WINDOW_MS) {
      this.#windowStart = this.now();
      this.#spent = 0;
    }
  }

  /** Spends `cost` credits; false when the budget does not cover it. */
  spend(cost = 1): boolean {
    this.#roll();
    if (this.#budget === undefined) return true;
    if (this.#spent + cost > this.#budget) return false;
    this.#spent += cost;
    return true;
  }

  /** The legacy `X-RATELIMIT-*` headers for the current window (empty when no budget is set). */
  headers(): Record<string, string> {
    if (this.#budget === undefined) return {};
    const reset = this.#windowStart + CREDIT_WINDOW_MS;
    return {
      'X-RATELIMIT-LIMIT': String(this.#budget),
      'X-RATELIMIT-REMAINING': String(Math.max(0, this.#budget - this.#spent)),
      'X-RATELIMIT-RESET': String(reset),
      'X-RATELIMIT-DAY-LIMIT': String(this.#budget),
      'X-RATELIMIT-DAY-REMAINING': String(Math.max(0, this.#budget - this.#spent)),
    };
  }
}

/**
 * A cap on request-body bytes buffered at once across all requests, so many concurrent large uploads cannot
 * exhaust memory even when each stays under the per-request limit. Undefined cap: unlimited.
 */
export class ByteBudget {
  #held = 0;

  constructor(readonly cap: number | undefined) {}

  /** Bytes currently reserved. */
  get held(): number {
    return this.#held;
  }

  reserve(bytes: number): boolean {
    if (this.cap !== undefined && this.#held + bytes > this.cap) return false;
    this.#held += bytes;
    return true;
  }

  release(bytes: number): void {
    this.#held = Math.max(0, this.#held - bytes);
  }
}
