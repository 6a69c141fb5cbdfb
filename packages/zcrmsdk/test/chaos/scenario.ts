/**
 * The chaos scenario, run as a child process by chaos.test.ts: an emulator injecting random 429s, 5xx,
 * latency past the client's timeout, dropped connections and token expiry (seeded), and a few thousand
 * calls through the modern client and the legacy facade. Prints one JSON summary line; the parent checks
 * it and that this process exits by itself (no open handles once both clients and the emulator close).
 */
import { createHash } from 'node:crypto';
import { startEmulator, type FaultOptions } from '@zcrmsdk/emulator';
import { ZohoCRM } from '../../src/client.js';
import { OAuthError, ZohoError } from '../../src/errors.js';
import { createZCRMRestClient } from '../../src/legacy/zcrm-rest-client.js';
import { silentLogger } from '../../src/logger.js';
import { MemoryTokenStore } from '../../src/stores/memory-store.js';
import { ALL_SCOPES } from '../helpers/legacy.js';

const SEED = Number(process.env['CHAOS_SEED'] ?? 6);
const MODERN_CALLS = Number(process.env['CHAOS_MODERN_CALLS'] ?? 2000);
const LEGACY_CALLS = Number(process.env['CHAOS_LEGACY_CALLS'] ?? 1000);
const WORKERS = 8;
/**
 * Per-call timeout; a `slow` fault waits longer, so the client times out while the emulator still handles
 * the call (an outcome the client cannot know). The transport's timeout fires up to ~1 s late (undici's
 * coarse timers), hence the wide gap.
 */
const CALL_TIMEOUT_MS = 200;
const SLOW_MS = 1500;

type Outcome = 'ok' | 'typed-error' | 'untyped-error';

interface CreateAttempt {
  marker: string;
  /** What the caller saw: created (id known), refused (a reply said no), unknown (no reply). */
  seen: 'created' | 'refused' | 'unknown';
  error?: string;
}

async function main(): Promise<void> {
  // Deterministic from the seed alone: the nth draw is a hash of (seed, n).
  let draws = 0;
  const random = () => createHash('sha256').update(`${SEED}:${draws++}`).digest().readUInt32BE(0) / 2 ** 32;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const emu = await startEmulator({ port: 0, emptyModules: true, refreshThrottle: false, seed: SEED });

  const modernStore = new MemoryTokenStore();
  const modern = new ZohoCRM({
    clientId: emu.client.clientId,
    clientSecret: emu.client.clientSecret,
    accountsUrl: emu.url,
    apiUrl: emu.url,
    tokenStore: modernStore,
    userId: 'chaos-modern@example.com',
    maxRetries: 3,
    logger: silentLogger,
  });
  await modern.generateTokens(await emu.grantToken({ scope: ALL_SCOPES }));

  const legacy = createZCRMRestClient({ logger: silentLogger });
  const legacyStore = new MemoryTokenStore();
  legacy.setTokenStore(legacyStore);
  await legacy.initialize({
    client_id: emu.client.clientId,
    client_secret: emu.client.clientSecret,
    redirect_url: emu.client.redirectUri,
    iamurl: emu.url,
    base_url: emu.url,
  });
  await legacy.generateAuthTokens('chaos-legacy@example.com', await emu.grantToken({ scope: ALL_SCOPES }));

  const faults: Record<string, number> = {};
  const inject = (name: string, fault: FaultOptions): void => {
    faults[name] = (faults[name] ?? 0) + 1;
    emu.failNext(fault);
  };
  /** Queues (or not) one random fault before a call. */
  const chaos = (): void => {
    const r = random();
    if (r < 0.08) inject('429', { status: 429, retryAfter: 0 });
    else if (r < 0.14) inject('5xx', { status: pick([500, 502, 503, 504]) });
    else if (r < 0.18) inject('drop', { dropConnection: true });
    else if (r < 0.22) inject('latency', { delayMs: Math.floor(random() * 30) });
    else if (r < 0.235) inject('slow', { delayMs: SLOW_MS });
    else if (r < 0.24) inject('reply-lost', { dropAfterHandling: true });
    else if (r < 0.25) inject('token-endpoint-5xx', { path: '/oauth/v2/token', status: 503 });
    else if (r < 0.26) inject('token-endpoint-drop', { path: '/oauth/v2/token', dropConnection: true });
    else if (r < 0.275) {
      faults['token-expiry'] = (faults['token-expiry'] ?? 0) + 1;
      emu.expireAccessTokens();
    }
  };

  const outcomes: Record<string, Record<Outcome, number>> = { modern: { ok: 0, 'typed-error': 0, 'untyped-error': 0 }, legacy: { ok: 0, 'typed-error': 0, 'untyped-error': 0 } };
  const untyped: string[] = [];
  const creates: CreateAttempt[] = [];
  const errorClasses: Record<string, number> = {};
  let n = 0;

  const modernCall = async (i: number): Promise<void> => {
    const kind = random();
    if (kind < 0.4) {
      const marker = `chaos-m-${i}`;
      try {
        const res = await modern.request({ method: 'POST', path: ['Leads'], json: { data: [{ Last_Name: marker, Company: 'Chaos' }] }, timeoutMs: CALL_TIMEOUT_MS });
        const id = (JSON.parse(res.body.toString('utf8')) as { data: { details: { id: string } }[] }).data[0]?.details.id;
        creates.push({ marker, seen: id === undefined ? 'refused' : 'created' });
      } catch (error) {
        const answered = error instanceof ZohoError && 'status' in error && typeof error.status === 'number';
        // An OAuthError means the token could not be had: the create was never sent.
        creates.push({ marker, seen: answered || error instanceof OAuthError ? 'refused' : 'unknown', error: error instanceof Error ? error.constructor.name : 'other' });
        throw error;
      }
    } else if (kind < 0.8) {
      await modern.request({ method: 'GET', path: ['Leads'], query: { fields: 'Last_Name,Company', per_page: 5 }, timeoutMs: CALL_TIMEOUT_MS });
    } else {
      await modern.request({ method: 'GET', path: ['users'], query: { type: 'CurrentUser' }, timeoutMs: CALL_TIMEOUT_MS });
    }
  };

  const legacyCall = async (i: number): Promise<void> => {
    if (random() < 0.4) {
      const marker = `chaos-l-${i}`;
      try {
        const res = await legacy.API.MODULES.post({ module: 'Leads', body: { data: [{ Last_Name: marker, Company: 'Chaos' }] } });
        const ok = typeof res === 'object' && res.statusCode === 201;
        creates.push({ marker, seen: ok ? 'created' : 'refused' });
        if (!ok) throw new LegacyStatus(typeof res === 'object' ? res.statusCode : 204);
      } catch (error) {
        if (!(error instanceof LegacyStatus)) creates.push({ marker, seen: error instanceof OAuthError ? 'refused' : 'unknown', error: error instanceof Error ? error.constructor.name : 'other' });
        throw error;
      }
    } else {
      const res = await legacy.API.MODULES.get({ module: 'Leads', params: { per_page: 5 } });
      if (typeof res === 'object' && res.statusCode >= 400) throw new LegacyStatus(res.statusCode);
    }
  };

  const run = async (face: 'modern' | 'legacy', total: number, call: (i: number) => Promise<void>): Promise<void> => {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < total) {
        const i = next++;
        n++;
        chaos();
        try {
          await call(i);
          outcomes[face]!.ok++;
        } catch (error) {
          // The old package resolves every HTTP reply with its statusCode: a status is an answer, not a crash.
          if (error instanceof LegacyStatus || error instanceof ZohoError) {
            outcomes[face]!['typed-error']++;
            const name = error instanceof LegacyStatus ? `legacy ${error.statusCode}` : `${face} ${error.constructor.name}`;
            errorClasses[name] = (errorClasses[name] ?? 0) + 1;
          } else {
            outcomes[face]!['untyped-error']++;
            untyped.push(`${face}: ${String(error)}`);
          }
        }
      }
    };
    await Promise.all(Array.from({ length: WORKERS }, worker));
  };

  await run('modern', MODERN_CALLS, modernCall);
  // The legacy facade never retries (as zcrmsdk 0.0.x): its calls see the faults as statuses or errors.
  await run('legacy', LEGACY_CALLS, legacyCall);

  // Quiesce: no fault left, and wait until calls the clients gave up on (slow faults) are handled.
  emu.clearFaults();
  await new Promise((r) => setTimeout(r, SLOW_MS + 200));
  while (emu.inFlight > 0) await new Promise((r) => setTimeout(r, 10));

  const counts = new Map<string, number>();
  for (const r of emu.crm.records('Leads')) counts.set(String(r['Last_Name']), (counts.get(String(r['Last_Name'])) ?? 0) + 1);
  // Per marker, the statuses of its POSTs in the order the emulator received them.
  const postsByMarker = new Map<string, (number | undefined)[]>();
  for (const req of emu.requests) {
    if (req.method !== 'POST' || !/^\/crm\/v[0-9.]+\/Leads$/.test(req.path)) continue;
    const marker = /chaos-[ml]-\d+/.exec(String(req.body))?.[0];
    if (marker !== undefined) postsByMarker.set(marker, [...(postsByMarker.get(marker) ?? []), req.status]);
  }
  const duplicates = [...counts].filter(([, c]) => c > 1).map(([m]) => m);
  const createdButMissing = creates.filter((c) => c.seen === 'created' && counts.get(c.marker) !== 1).map((c) => c.marker);
  const unknown = creates.filter((c) => c.seen === 'unknown');
  // Unknown outcomes the emulator did carry out: the client must not have sent them again.
  const unknownStored = unknown.filter((c) => counts.get(c.marker) === 1);
  const unknownResent = unknownStored
    .filter((c) => {
      const statuses = postsByMarker.get(c.marker) ?? [];
      const carriedOut = statuses.indexOf(201);
      return carriedOut !== -1 && carriedOut < statuses.length - 1;
    })
    .map((c) => c.marker);

  // No token lost: expire every access token, then both clients must refresh with their stored refresh token.
  emu.expireAccessTokens();
  const modernAfter = await modern.request({ method: 'GET', path: ['users'], query: { type: 'CurrentUser' } }).then((r) => r.status, (e: unknown) => String(e));
  const legacyAfter = await legacy.API.USERS.get({ params: { type: 'CurrentUser' } }).then((r) => (typeof r === 'object' ? r.statusCode : 204), (e: unknown) => String(e));
  const modernToken = await modernStore.get('chaos-modern@example.com');
  const legacyToken = await legacyStore.get('chaos-legacy@example.com');

  const summary = {
    seed: SEED,
    calls: n,
    outcomes,
    untyped: untyped.slice(0, 10),
    faults,
    errorClasses,
    creates: {
      attempted: creates.length,
      created: creates.filter((c) => c.seen === 'created').length,
      unknown: unknown.length,
      unknownStored: unknownStored.length,
      refusedBeforeSending: creates.filter((c) => c.error === 'OAuthError').length,
      records: emu.crm.records('Leads').length,
    },
    unknownByError: unknown.reduce<Record<string, number>>((acc, c) => ({ ...acc, [c.error ?? '']: (acc[c.error ?? ''] ?? 0) + 1 }), {}),
    postsSeen: [...postsByMarker.keys()].length,
    duplicates,
    createdButMissing,
    unknownResent,
    afterwards: { modern: modernAfter, legacy: legacyAfter, modernRefreshToken: typeof modernToken?.refreshToken === 'string', legacyRefreshToken: typeof legacyToken?.refreshToken === 'string' },
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  await legacy.close();
  await modern.close();
  await emu.close();
}

class LegacyStatus extends Error {
  constructor(readonly statusCode: number) {
    super(`legacy call answered ${statusCode}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
