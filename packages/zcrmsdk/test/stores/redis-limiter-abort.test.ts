/**
 * Regression: a caller whose signal is already aborted while the shared budget is full gets an AbortedError
 * (the wait's pause once hit a ReferenceError when the signal fired before its timer existed).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AbortedError } from '../../src/errors.js';
import { RedisConcurrencyLimiter } from '../../src/stores/redis-limiter.js';
import { REDIS_URL, uniqueName } from './helpers.js';

describe('RedisConcurrencyLimiter: a waiter aborted mid-acquire', () => {
  it('rejects with an AbortedError while the budget is full, and a later caller still gets the slot', async () => {
    const prefix = `${uniqueName('lim-abort')}:`;
    const holder = new RedisConcurrencyLimiter({ url: REDIS_URL, prefix, limit: 1 });
    const other = new RedisConcurrencyLimiter({ url: REDIS_URL, prefix, limit: 1 });
    try {
      const release = await holder.acquire();
      for (let i = 0; i < 20; i++) {
        // Aborted while its first look at Redis is in flight: the wait that follows starts already aborted.
        const controller = new AbortController();
        const waiting = other.acquire(controller.signal);
        controller.abort();
        await assert.rejects(waiting, (e: unknown) => e instanceof AbortedError);
      }
      release();
      const again = await other.acquire();
      again();
    } finally {
      await holder.close();
      await other.close();
    }
  });
});
