/**
 * A worker process of the multi-process refresh test. It says READY, then runs one round per JSON line on
 * stdin: builds the round's store, sends `calls` concurrent CRM calls as one user and prints
 * `RESULT <round> {...}`. It prints `WANT <round>` each time it asks for the store's refresh lock, and
 * `HOLDING <round>` once it holds it and has read the (stale) stored token, right before it would refresh;
 * with `hold` it then waits for a CONTINUE line (a refresh stuck mid-flight), so the test can kill or
 * pause it there.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createInterface } from 'node:readline';
import { ZohoCRM } from '../../src/client.js';
import { buildStore, type StoreSpec } from './helpers.js';

interface Round {
  round: number;
  spec: StoreSpec;
  url: string;
  clientId: string;
  clientSecret: string;
  userId: string;
  calls: number;
  hold: boolean;
}

const continues: (() => void)[] = [];
/** Set while this process runs the code under the refresh lock; `announced` once it printed HOLDING. */
const underLock = new AsyncLocalStorage<{ announced: boolean }>();

async function run(input: Round): Promise<void> {
  const store = buildStore(input.spec);
  const withLock = store.withLock?.bind(store);
  if (withLock) {
    store.withLock = (key, fn, options) => {
      process.stdout.write(`WANT ${input.round}\n`);
      return withLock(key, (lock) => underLock.run({ announced: false }, () => fn(lock)), options);
    };
    // The first read under the lock is the holder's re-read: after it, the next step is the refresh itself.
    // HOLDING waits until no other read of this process is in flight, so that a test which stops the process
    // there stops no other read whose deadline would run out while it is stopped (the holder's own re-read keeps
    // its deadline running: the test resumes it soon).
    const get = store.get.bind(store);
    let reading = 0;
    const idle: (() => void)[] = [];
    store.get = async (userId) => {
      reading++;
      let token;
      try {
        token = await get(userId);
      } finally {
        if (--reading === 0) idle.splice(0).forEach((resolve) => resolve());
      }
      const holder = underLock.getStore();
      if (holder && !holder.announced) {
        holder.announced = true;
        if (reading > 0) await new Promise<void>((resolve) => idle.push(resolve));
        process.stdout.write(`HOLDING ${input.round}\n`);
        if (input.hold) await new Promise<void>((resolve) => continues.push(resolve));
      }
      return token;
    };
  }
  const crm = new ZohoCRM({ clientId: input.clientId, clientSecret: input.clientSecret, accountsUrl: input.url, apiUrl: input.url, tokenStore: store, maxRetries: 0 });
  try {
    const results = await Promise.allSettled(Array.from({ length: input.calls }, () => crm.request({ method: 'GET', path: 'org', userId: input.userId })));
    const errors = results.flatMap((r) => (r.status === 'rejected' ? [`${(r.reason as Error)?.name}: ${(r.reason as Error)?.message}`] : []));
    process.stdout.write(`RESULT ${input.round} ${JSON.stringify({ ok: results.length - errors.length, errors: errors.slice(0, 3) })}\n`);
  } finally {
    await crm.close().catch(() => undefined);
  }
}

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => (line === 'CONTINUE' ? continues.shift()?.() : void run(JSON.parse(line) as Round)));
lines.on('close', () => process.exit(0));
process.stdout.write('READY\n');
