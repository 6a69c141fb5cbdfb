/**
 * The fence of the lease-locked stores (file, Redis): a refresh saved under a lock that is no longer ours is
 * not written over a successor's tokens, and the lock handle says so without touching the successor's lock; a
 * holder that lost its lock while nobody else wrote still saves (so a chain of lapsed leases ends there).
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { HeldLock, TokenStore } from '../../src/stores/token-store.js';
import { buildStore, dropSpec, newSpec, type StoreKind, type StoreSpec } from './helpers.js';

const KEY = 'refresh:f@x';
const token = (accessToken: string) => ({ userId: 'f@x', accessToken, refreshToken: 'RT', expiresAt: Date.now() + 3_600_000 });

for (const kind of ['file', 'redis'] satisfies StoreKind[]) {
  describe(`${kind} store: fenced refresh saves`, () => {
    const specs: StoreSpec[] = [];
    const stores: TokenStore[] = [];
    const open = (spec: StoreSpec) => {
      const store = buildStore(spec);
      stores.push(store);
      return store;
    };
    after(async () => {
      await Promise.allSettled(stores.map((s) => s.close?.()));
      await Promise.allSettled(specs.map(dropSpec));
    });

    it("writes while the lock is ours, and not once a successor holds it (the successor's tokens stay)", async () => {
      const spec = newSpec(kind, 'fence');
      specs.push(spec);
      const [first, second] = [open(spec), open(spec)];
      await first.save(token('AT-0'));
      let late: HeldLock | undefined;
      await first.withLock!(KEY, async (lock) => {
        late = lock;
        assert.equal(await lock!.held(), true);
        assert.equal(await first.update!(token('AT-1'), { lock }), true);
      });
      assert.equal((await second.get('f@x'))?.accessToken, 'AT-1');
      // The first holder's lock is gone (as after its lease ran out) and a successor holds the lock now.
      await second.withLock!(KEY, async (lock) => {
        assert.equal(await late!.held(), false);
        assert.equal(await first.update!(token('AT-late'), { lock: late }), false);
        assert.equal(await second.update!(token('AT-2'), { lock }), true);
        assert.equal(await late!.held(), false, "checking did not take over or renew the successor's lock");
        assert.equal(await lock!.held(), true);
      });
      assert.equal((await first.get('f@x'))?.accessToken, 'AT-2');
      assert.equal(await first.update!(token('AT-late'), { lock: late }), false);
      assert.equal((await first.get('f@x'))?.accessToken, 'AT-2');
    });

    it('a holder that lost its lock still saves when the stored tokens are the ones it replaces, and only then', async () => {
      const spec = newSpec(kind, 'cas');
      specs.push(spec);
      const [first, second] = [open(spec), open(spec)];
      await first.save(token('AT-0'));
      const stale = await first.get('f@x');
      let late: HeldLock | undefined;
      await first.withLock!(KEY, async (lock) => {
        late = lock;
      });
      // Lost (released), and nobody wrote since: the save replaces exactly what it read, so it is written.
      assert.equal(await first.update!(token('AT-1'), { lock: late, replaces: stale! }), true);
      assert.equal((await second.get('f@x'))?.accessToken, 'AT-1');
      // Lost, and a successor wrote since: the stale holder's save is refused and the successor's tokens stay.
      await second.withLock!(KEY, async (lock) => {
        assert.equal(await second.update!(token('AT-2'), { lock }), true);
        assert.equal(await first.update!(token('AT-late'), { lock: late, replaces: stale! }), false);
      });
      assert.equal((await first.get('f@x'))?.accessToken, 'AT-2');
    });
  });
}
