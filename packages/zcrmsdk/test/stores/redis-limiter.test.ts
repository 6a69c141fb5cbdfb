import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { ZohoCRM } from '../../src/client.js';
import { startEmulator } from '@zcrmsdk/emulator';
import { AbortedError, ConfigError } from '../../src/errors.js';
import { RedisConcurrencyLimiter } from '../../src/stores/redis-limiter.js';
import { REDIS_URL, uniqueName } from './helpers.js';

describe('RedisConcurrencyLimiter: one concurrency budget for many processes', () => {
  const limiters: RedisConcurrencyLimiter[] = [];
  const make = (name: string, extra: { leaseMs?: number; limit?: number } = {}) => {
    const limiter = new RedisConcurrencyLimiter({ url: REDIS_URL, prefix: `${name}:`, limit: extra.limit ?? 3, ...(extra.leaseMs ? { leaseMs: extra.leaseMs } : {}) });
    limiters.push(limiter);
    return limiter;
  };
  after(() => Promise.allSettled(limiters.map((l) => l.close())));

  it('two limiters (two connections, as two processes) never exceed the shared limit against an emulator that enforces it', async () => {
    const name = uniqueName('lim');
    const a = make(name);
    const b = make(name);
    const emu = await startEmulator({ port: 0, latencyMs: 20 });
    emu.setConcurrencyLimit(3);
    const crm = new ZohoCRM({ clientId: emu.client.clientId, clientSecret: emu.client.clientSecret, accountsUrl: emu.url, apiUrl: emu.url, maxRetries: 0 });
    try {
      await crm.generateTokens(await emu.grantToken(), 'u@x');
      let inFlight = 0;
      let peak = 0;
      const call = async (limiter: RedisConcurrencyLimiter) => {
        const release = await limiter.acquire();
        inFlight++;
        peak = Math.max(peak, inFlight);
        try {
          return (await crm.request({ method: 'GET', path: 'org', userId: 'u@x' })).status;
        } finally {
          inFlight--;
          release();
        }
      };
      const statuses = await Promise.all(Array.from({ length: 24 }, (_, i) => call(i % 2 ? a : b)));
      assert.deepEqual(new Set(statuses), new Set([200]), 'no 429 from the emulator');
      assert.equal(peak, 3);
    } finally {
      await crm.close();
      await emu.close();
    }
  });

  it('a waiting caller can abort; a slot whose holder stopped renewing frees itself after the lease', async () => {
    const name = uniqueName('lim2');
    const holder = make(name, { limit: 1, leaseMs: 300 });
    const other = make(name, { limit: 1, leaseMs: 300 });
    await holder.acquire();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(other.acquire(controller.signal), (e: unknown) => e instanceof AbortedError && /shared Redis concurrency budget/.test(e.message));
    // The holder's connection goes away (its process died): no more renewals, the lease runs out.
    await holder.close();
    const release = await other.acquire();
    release();
    release();
  });

  it('a bad limit is a ConfigError naming the option', () => {
    assert.throws(() => new RedisConcurrencyLimiter({ url: REDIS_URL, limit: 0 }), (e: unknown) => e instanceof ConfigError && e.option === 'limit');
  });
});

describe('pause', () => {
  it('rejects at once with the abort error when the signal has already fired', async () => {
    const { pause } = await import('../../src/stores/deadline.js');
    await assert.rejects(pause(1_000, AbortSignal.abort(), () => new AbortedError('stopped')), (e: unknown) => e instanceof AbortedError && e.message === 'stopped');
  });
});
