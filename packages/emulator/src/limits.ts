/**
 * Zoho's API limits (wire spec §4, Kaizen #93): a concurrency cap on calls in flight, and the editions' 24-hour
 * credit budgets that credits.ts spends. Both are off unless configured, so tests see them only when they ask.
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

/** Counts calls in flight; the server asks it before handing a call to the CRM (credits: credits.ts). */
export class Limits {
  /** Max calls in flight, or undefined for unlimited. */
  concurrency: number | undefined;
  #inFlight = 0;

  constructor(concurrency?: number) {
    this.concurrency = concurrency;
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
