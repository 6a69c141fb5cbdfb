import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { AbortedError, ConnectionError, TimeoutError } from '../../src/errors.js';
import { HttpTransport } from '../../src/http/transport.js';

describe('HttpTransport', () => {
  let server: Server;
  let url = '';
  before(async () => {
    server = createServer((req, res) => {
      if (req.url === '/hang') return; // never answers
      res.setHeader('X-Echo', req.method ?? '');
      res.end(Buffer.from([0, 1, 2, 255]));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('returns status, lower-case headers and the body bytes', async () => {
    const t = new HttpTransport();
    const res = await t.send({ method: 'PUT', url: `${url}/x`, headers: {}, body: 'a' });
    assert.equal(res.status, 200);
    assert.equal(res.headers['x-echo'], 'PUT');
    assert.deepEqual([...res.body], [0, 1, 2, 255]);
    await t.close();
  });

  it('a request that takes too long fails with TimeoutError naming the timeout', async () => {
    const t = new HttpTransport({ timeoutMs: 100 });
    await assert.rejects(t.send({ method: 'GET', url: `${url}/hang`, headers: {} }), (e: unknown) => e instanceof TimeoutError && e.timeoutMs === 100 && /100 ms/.test(e.message));
    await t.close();
  });

  it("the caller's AbortSignal gives AbortedError", async () => {
    const t = new HttpTransport();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(t.send({ method: 'GET', url: `${url}/hang`, headers: {}, signal: controller.signal }), AbortedError);
    await t.close();
  });

  it('a refused connection gives ConnectionError with the network code and no query string', async () => {
    const t = new HttpTransport();
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    await assert.rejects(
      t.send({ method: 'GET', url: `http://127.0.0.1:${port}/crm/v2/Leads?secret=abc`, headers: {} }),
      (e: unknown) => e instanceof ConnectionError && e.code === 'ECONNREFUSED' && !e.message.includes('secret=abc'),
    );
    await t.close();
  });
});
