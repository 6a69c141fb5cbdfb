import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { retryDelayMs, shouldRetry } from '../../src/http/retry.js';

describe('retry policy', () => {
  const table: [string, Parameters<typeof shouldRetry>[0], boolean][] = [
    ['GET 429', { attempt: 0, maxRetries: 2, method: 'GET', status: 429 }, true],
    ['POST 429 (refused before processing)', { attempt: 0, maxRetries: 2, method: 'POST', status: 429 }, true],
    ['GET 503', { attempt: 1, maxRetries: 2, method: 'GET', status: 503 }, true],
    ['POST 500 could duplicate', { attempt: 0, maxRetries: 2, method: 'POST', status: 500 }, false],
    ['PUT 408', { attempt: 0, maxRetries: 2, method: 'PUT', status: 408 }, true],
    ['GET 400 is final', { attempt: 0, maxRetries: 2, method: 'GET', status: 400 }, false],
    ['GET 401 is auth, not retry', { attempt: 0, maxRetries: 2, method: 'GET', status: 401 }, false],
    ['budget spent', { attempt: 2, maxRetries: 2, method: 'GET', status: 503 }, false],
    ['no retries configured', { attempt: 0, maxRetries: 0, method: 'GET', status: 503 }, false],
    ['GET reset connection', { attempt: 0, maxRetries: 2, method: 'GET', errorCode: 'ECONNRESET' }, true],
    ['POST reset connection could duplicate', { attempt: 0, maxRetries: 2, method: 'POST', errorCode: 'ECONNRESET' }, false],
    ['POST refused connection never reached Zoho', { attempt: 0, maxRetries: 2, method: 'POST', errorCode: 'ECONNREFUSED' }, true],
    ['caller abort', { attempt: 0, maxRetries: 2, method: 'GET', errorCode: 'ABORTED', aborted: true }, false],
  ];
  for (const [name, input, expected] of table) {
    it(`${name} → ${expected ? 'retry' : 'stop'}`, () => assert.equal(shouldRetry(input), expected));
  }

  it('honours Retry-After seconds and dates, capped', () => {
    assert.equal(retryDelayMs(0, '2'), 2000);
    assert.equal(retryDelayMs(0, '0.5'), 500);
    assert.equal(retryDelayMs(0, '3600'), 60_000);
    assert.equal(retryDelayMs(0, '3600', { maxRetryAfterMs: 120_000 }), 120_000);
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(retryDelayMs(0, 'Thu, 01 Jan 2026 00:00:05 GMT', { now }), 5000);
  });

  it('backs off exponentially with full jitter', () => {
    assert.equal(retryDelayMs(0, undefined, { random: () => 1 }), 250);
    assert.equal(retryDelayMs(3, undefined, { random: () => 1 }), 2000);
    assert.equal(retryDelayMs(10, undefined, { random: () => 1 }), 8000);
    assert.equal(retryDelayMs(3, undefined, { random: () => 0 }), 0);
    assert.equal(retryDelayMs(1, 'garbage', { random: () => 0.5 }), 250);
  });
});
