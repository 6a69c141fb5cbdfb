/**
 * The process under test of the soak test (run with --expose-gc, the emulator lives in the parent so that its
 * request log does not count): signs in, runs one warm-up round, takes a baseline (heap after forced GC, active
 * resources, and the connections the emulator has open, which include sockets this process no longer lists as
 * active), runs the soak round (sequential GETs, calls aborted before sending, calls aborted while the emulator
 * delays the reply), measures again and reports. It asks the parent over IPC to arm and clear the delay fault, to
 * say when the emulator holds a request back, and to count the emulator's open connections.
 */
import { ZohoCRM } from '../../src/client.js';
import { AbortedError } from '../../src/errors.js';

export interface SoakSetup {
  url: string;
  clientId: string;
  clientSecret: string;
  grant: string;
  warmup: Round;
  soak: Round;
}

export interface Round {
  gets: number;
  abortedBeforeSend: number;
  abortedInFlight: number;
}

export interface Snapshot {
  heapUsed: number;
  resources: Record<string, number>;
  /** The emulator's open client connections (`emulator.openConnections`), while this process's client is open. */
  connections: number;
}

export type ChildMessage =
  | { type: 'arm'; times: number }
  | { type: 'held?'; count: number }
  | { type: 'disarm' }
  | { type: 'connections?' }
  | { type: 'done'; baseline: Snapshot; after: Snapshot; closedConnections: number }
  | { type: 'failed'; error: string };
export type ParentMessage = { type: 'setup'; setup: SoakSetup } | { type: 'armed' } | { type: 'held' } | { type: 'disarmed' } | { type: 'connections'; open: number };

const gc = (globalThis as { gc?: () => void }).gc;

/** The next message from the parent of `type`. */
function next<T extends ParentMessage['type']>(type: T): Promise<Extract<ParentMessage, { type: T }>> {
  return new Promise((resolve) => {
    const on = (message: ParentMessage) => {
      if (message.type !== type) return;
      process.off('message', on);
      resolve(message as Extract<ParentMessage, { type: T }>);
    };
    process.on('message', on);
  });
}

async function ask<T extends ParentMessage['type']>(message: ChildMessage, reply: T): Promise<Extract<ParentMessage, { type: T }>> {
  const answered = next(reply);
  process.send!(message);
  return answered;
}

async function mustAbort(call: Promise<unknown>): Promise<void> {
  const error = await call.then(() => new Error('the call was not aborted'), (e: unknown) => e);
  if (!(error instanceof AbortedError)) throw error;
}

async function round(crm: ZohoCRM, r: Round): Promise<void> {
  for (let i = 0; i < r.gets; i++) {
    const res = await crm.request({ method: 'GET', path: 'org' });
    if (res.status !== 200) throw new Error(`GET org answered ${res.status}`);
  }
  for (let i = 0; i < r.abortedBeforeSend; i++) {
    const controller = new AbortController();
    controller.abort();
    await mustAbort(crm.request({ method: 'GET', path: 'org', signal: controller.signal }));
  }
  if (r.abortedInFlight > 0) {
    await ask({ type: 'arm', times: r.abortedInFlight }, 'armed');
    for (let i = 0; i < r.abortedInFlight; i++) {
      const controller = new AbortController();
      const call = mustAbort(crm.request({ method: 'GET', path: 'org', signal: controller.signal }));
      // Aborted once the emulator holds this request back (it took the delay fault): the reply is on its way.
      await ask({ type: 'held?', count: i + 1 }, 'held');
      controller.abort();
      await call;
    }
    await ask({ type: 'disarm' }, 'disarmed');
  }
  // One plain call after the aborts, so that both snapshots see the pool in the same state (one idle socket).
  await crm.request({ method: 'GET', path: 'org' });
}

async function snapshot(): Promise<Snapshot> {
  // Several full collections, with turns of the event loop between them for finalizers and closed handles.
  for (let i = 0; i < 4; i++) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    gc!();
  }
  const resources: Record<string, number> = {};
  for (const name of process.getActiveResourcesInfo()) resources[name] = (resources[name] ?? 0) + 1;
  const heapUsed = process.memoryUsage().heapUsed;
  const { open } = await ask({ type: 'connections?' }, 'connections');
  return { heapUsed, resources, connections: open };
}

async function main(setup: SoakSetup): Promise<void> {
  if (!gc) throw new Error('run the soak child with --expose-gc');
  const crm = new ZohoCRM({ clientId: setup.clientId, clientSecret: setup.clientSecret, accountsUrl: setup.url, apiUrl: setup.url, maxRetries: 0 });
  await crm.generateTokens(setup.grant);
  await round(crm, setup.warmup);
  const baseline = await snapshot();
  await round(crm, setup.soak);
  const after = await snapshot();
  // Closing the client closes its pool: a socket still open on the emulator after that is one the pool lost.
  await crm.close();
  const { open: closedConnections } = await ask({ type: 'connections?' }, 'connections');
  process.send!({ type: 'done', baseline, after, closedConnections } satisfies ChildMessage);
}

void next('setup').then(
  ({ setup }) => main(setup),
).catch((error: unknown) => {
  process.send!({ type: 'failed', error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) } satisfies ChildMessage);
});
