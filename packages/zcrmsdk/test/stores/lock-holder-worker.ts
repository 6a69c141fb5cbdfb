/**
 * Another process holding a user's store lock, for the grant-lock tests. It says READY, then per JSON line
 * `{ id, spec, key, save?, marker? }` on stdin builds the store, takes `key`'s lock, prints `HOLDING <id>` and
 * keeps the lock until a `RELEASE <id>` line; then, still holding it, saves `save` (as a refresh finishing would)
 * and requests the `marker` URL (so the emulator's log shows when), lets go and prints `RELEASED <id>`.
 */
import { createInterface } from 'node:readline';
import { buildStore, type StoreSpec } from './helpers.js';
import type { StoredToken } from '../../src/stores/token-store.js';

interface Hold {
  id: string;
  spec: StoreSpec;
  key: string;
  save?: StoredToken;
  marker?: string;
}

const releases = new Map<string, () => void>();

async function hold(input: Hold): Promise<void> {
  const store = buildStore(input.spec);
  try {
    await store.withLock!(input.key, async () => {
      const released = new Promise<void>((resolve) => releases.set(input.id, resolve));
      process.stdout.write(`HOLDING ${input.id}\n`);
      await released;
      if (input.save) await store.save(input.save);
      if (input.marker) await (await fetch(input.marker)).arrayBuffer();
    });
    process.stdout.write(`RELEASED ${input.id}\n`);
  } catch (error) {
    process.stdout.write(`FAILED ${input.id} ${(error as Error).message}\n`);
  } finally {
    await store.close?.();
  }
}

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => (line.startsWith('RELEASE ') ? releases.get(line.slice('RELEASE '.length))?.() : void hold(JSON.parse(line) as Hold)));
lines.on('close', () => process.exit(0));
process.stdout.write('READY\n');
