/** The id counter: every id the CRM hands out comes from here, so a restored state never reuses one. */
import { IdGenerator } from '../../ids.js';
import type { StateTable } from './registry.js';

export class IdCounter implements StateTable {
  readonly name = 'ids';
  readonly generator: IdGenerator;
  readonly #start: number;

  constructor(seed: number) {
    this.generator = new IdGenerator(seed);
    this.#start = this.generator.counter;
  }

  next(): string {
    return this.generator.next();
  }

  /** Back to the first id, before the seed is loaded again (the state does this before resetting the tables). */
  restart(): void {
    this.generator.counter = this.#start;
  }

  snapshot(): number {
    return this.generator.counter;
  }

  restore(data: unknown): void {
    if (typeof data === 'number') this.generator.counter = data;
  }

  /** Nothing: the counter restarts with the seed (`restart()`), which runs before the tables reset. */
  reset(): void {}
}
