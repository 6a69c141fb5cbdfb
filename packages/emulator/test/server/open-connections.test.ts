/**
 * `emulator.openConnections` counts the client connections open right now, idle keep-alive ones and unref'd ones
 * included (a client process does not list an unref'd socket among its active handles; the emulator still sees it).
 */
import assert from 'node:assert/strict';
import { request, Agent } from 'node:http';
import { connect } from 'node:net';
import { it } from 'node:test';
import { startEmulator, type Emulator } from '../../src/index.js';

/** Waits, turn by turn of the event loop, for a state the emulator reaches on its own. */
async function until(emu: Emulator, count: number): Promise<void> {
  while (emu.openConnections !== count) await new Promise<void>((resolve) => setImmediate(resolve));
}

// The timeout only turns a count that never comes into a failure instead of a hang.
it('openConnections counts open client sockets, unref\'d and idle keep-alive ones too, and uncounts closed ones', { timeout: 120_000 }, async () => {
  const emu = await startEmulator({ port: 0 });
  const { hostname, port } = new URL(emu.url);
  const agent = new Agent({ keepAlive: true });
  try {
    assert.equal(emu.openConnections, 0);
    const raw = connect(Number(port), hostname);
    raw.unref();
    await until(emu, 1);
    // A keep-alive request: once answered, its socket stays open and idle in the agent.
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = request(`${emu.url}/crm/v8/org`, { agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(status, 401);
    await until(emu, 2);
    raw.destroy();
    await until(emu, 1);
    agent.destroy();
    await until(emu, 0);
  } finally {
    agent.destroy();
    await emu.close();
  }
});
