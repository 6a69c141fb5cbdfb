/**
 * Soak: 10,000 sequential CRM GETs and 1,000 aborted calls (half aborted before they are sent, half once the
 * request is on the wire while the emulator delays the reply) leave the process as they found it: the same
 * active handles and requests, no more connections open on the emulator's side (which sees the sockets the
 * child's own count of active handles misses: unref'd ones), and a heap (after forced GCs) that grew less than one
 * leaked object per call would make it grow. The SDK runs in a child started with --expose-gc; the emulator (whose
 * request log grows) stays here. No timing assertions.
 */
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { startEmulator, type Emulator } from '@zcrmsdk/emulator';
import type { ChildMessage, ParentMessage, Round, Snapshot, SoakSetup } from './soak-child.js';

const SOAK: Round = { gets: 10_000, abortedBeforeSend: 500, abortedInFlight: 500 };
const WARMUP: Round = { gets: 1_000, abortedBeforeSend: 100, abortedInFlight: 100 };
/**
 * Half the heap one leaked object costs: an empty `{}` takes 56 bytes on 64-bit V8 (3-word header and 4 in-object
 * slots) and the reference that keeps it at least 8 more (measured: 10,000 leaked `{}` grew this test's heap by
 * 585 KB). Half of it leaves the measured noise (within +-65 KB) well inside the bound and such a leak well outside.
 */
const LEAKED_OBJECT_BYTES = 32;
const CALLS = SOAK.gets + SOAK.abortedBeforeSend + SOAK.abortedInFlight + 1;
const HEAP_BOUND_BYTES = CALLS * LEAKED_OBJECT_BYTES;
/**
 * Idle keep-alive sockets the pool may hold after the soak beyond the warm-up's (on a loaded machine an abort can
 * leave the pool one or two more); a leak of the aborted calls' sockets would be hundreds.
 */
const IDLE_SOCKET_SLACK = 4;
/** Long enough that every delayed reply comes after its call was aborted (they are aborted as soon as sent). */
const REPLY_DELAY_MS = 600_000;
/**
 * Turns of this event loop the emulator's connection count must hold still before it is read. The child closed
 * its sockets before it asked, so their FINs are already queued here; each turn polls them without blocking, and
 * a closed socket takes about three turns to be uncounted (read EOF, shut down, close). Loop turns, not time.
 */
const SETTLED_TURNS = 50;

/** The emulator's open connections once every close already queued has been handled. */
async function settledConnections(emulator: Emulator): Promise<number> {
  let count = emulator.openConnections;
  for (let still = 0; still < SETTLED_TURNS; ) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    const now = emulator.openConnections;
    still = now === count ? still + 1 : 0;
    count = now;
  }
  return count;
}

let emu: Emulator;
before(async () => {
  emu = await startEmulator({ port: 0, maxRecordedRequests: 2 * (SOAK.gets + WARMUP.gets) });
});
after(() => emu.close());

it(`${SOAK.gets} sequential GETs and ${SOAK.abortedBeforeSend + SOAK.abortedInFlight} aborted calls: flat heap and handles`, async (t) => {
  // No optimising or baseline compiler and no bytecode flushing: code the JIT makes or drops as functions warm up
  // moved the heap by up to 570 KB between runs (measured), which would hide or fake a leak. They change how code
  // runs, not what it keeps.
  const execArgv = ['--expose-gc', '--no-opt', '--no-sparkplug', '--no-flush-bytecode', '--import', 'tsx'];
  const child = fork(join(__dirname, 'soak-child.ts'), [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const send = (message: ParentMessage) => child.send(message);
  /** Delay faults armed and the requests the emulator has held back with them (each aborted while held). */
  let armed = 0;
  let delayed = 0;
  const held = () => delayed + armed - emu.pendingFaults;
  const report = new Promise<{ baseline: Snapshot; after: Snapshot; closedConnections: number }>((resolve, reject) => {
    child.on('message', (message: ChildMessage) => {
      try {
        answer(message);
      } catch (error) {
        reject(error);
      }
    });
    const answer = (message: ChildMessage) => {
      switch (message.type) {
        case 'arm':
          emu.failNext({ method: 'GET', path: '/crm/v8/org', delayMs: REPLY_DELAY_MS, times: message.times });
          armed = message.times;
          send({ type: 'armed' });
          return;
        case 'held?': {
          // Polls a condition the emulator reaches on its own (it took the request's delay fault), not a clock.
          const wait = () => (held() >= delayed + message.count ? send({ type: 'held' }) : setImmediate(wait));
          wait();
          return;
        }
        case 'connections?':
          void settledConnections(emu).then((open) => send({ type: 'connections', open }));
          return;
        case 'disarm':
          delayed = held();
          armed = 0;
          emu.clearFaults();
          send({ type: 'disarmed' });
          return;
        case 'done':
          resolve(message);
          return;
        case 'failed':
          reject(new Error(`the soak child failed: ${message.error}`));
      }
    };
    child.on('exit', (code) => reject(new Error(`the soak child exited (${code}) before reporting`)));
  });
  const setup: SoakSetup = { url: emu.url, clientId: emu.client.clientId, clientSecret: emu.client.clientSecret, grant: await emu.grantToken(), warmup: WARMUP, soak: SOAK };
  send({ type: 'setup', setup });
  const { baseline, after: end, closedConnections } = await report;
  child.kill();

  const growth = end.heapUsed - baseline.heapUsed;
  t.diagnostic(`heap after GC: ${baseline.heapUsed} -> ${end.heapUsed} bytes (growth ${growth}, bound ${HEAP_BOUND_BYTES} = ${CALLS} calls x ${LEAKED_OBJECT_BYTES} B)`);
  t.diagnostic(`active resources: ${JSON.stringify(baseline.resources)} -> ${JSON.stringify(end.resources)}`);
  t.diagnostic(`emulator's open connections: ${baseline.connections} -> ${end.connections}, ${closedConnections} once the client closed`);
  const crmGets = emu.requests.filter((r) => r.path === '/crm/v8/org').length;
  assert.ok(crmGets >= SOAK.gets + WARMUP.gets, `the emulator answered the GETs (${crmGets})`);
  assert.equal(delayed, SOAK.abortedInFlight + WARMUP.abortedInFlight, 'every in-flight abort came while the emulator held the reply');
  assert.ok(growth < HEAP_BOUND_BYTES, `heap grew ${growth} bytes over ${CALLS} calls: at least one object per call is kept`);
  assert.ok(
    end.connections <= baseline.connections + IDLE_SOCKET_SLACK,
    `${end.connections} connections open on the emulator after the soak, ${baseline.connections} before: the client leaks sockets`,
  );
  assert.equal(closedConnections, 0, `${closedConnections} connections still open on the emulator after crm.close(): sockets outside the client's pool`);
  for (const [name, count] of Object.entries(end.resources)) {
    assert.ok(count <= (baseline.resources[name] ?? 0), `${count} active ${name} after the soak, ${baseline.resources[name] ?? 0} before`);
  }
});
