import { startEmulator, type Emulator, type EmulatorOptions } from '@zcrmsdk/emulator';
import { createZCRMRestClient, type ZCRMRestClientStatic } from '../../src/legacy/zcrm-rest-client.js';
import { silentLogger } from '../../src/logger.js';
import { MemoryTokenStore } from '../../src/stores/memory-store.js';
import type { TokenStore } from '../../src/stores/token-store.js';

/** Every scope the legacy hierarchy touches. */
import { ALL_SCOPES } from '../../../../test-support/scopes.js';

export { ALL_SCOPES };

export interface LegacyHarness {
  emu: Emulator;
  client: ZCRMRestClientStatic;
  store: TokenStore;
  close(): Promise<void>;
}

/** An emulator plus a fresh ZCRMRestClient initialised against it, with tokens for `user`. */
export async function legacyHarness(
  options: { user?: string; store?: TokenStore; emulator?: EmulatorOptions; config?: Record<string, unknown> } = {},
): Promise<LegacyHarness> {
  const emu = await startEmulator({ port: 0, ...options.emulator });
  // Our own records, so tests do not depend on the generated seed data.
  emu.crm.insert('Leads', [
    { First_Name: 'Harness', Last_Name: 'One', Company: 'Acme', Email: 'harness.one@example.com' },
    { First_Name: 'Harness', Last_Name: 'Two', Company: 'Acme', Email: 'harness.two@example.com' },
  ]);
  const client = createZCRMRestClient({ logger: silentLogger });
  const store = options.store ?? new MemoryTokenStore();
  client.setTokenStore(store);
  await client.initialize({
    client_id: emu.client.clientId,
    client_secret: emu.client.clientSecret,
    redirect_url: emu.client.redirectUri,
    iamurl: emu.url,
    base_url: emu.url,
    ...(emu.ca ? { ca: emu.ca } : {}),
    ...options.config,
  });
  const grant = await emu.grantToken({ scope: ALL_SCOPES });
  await client.generateAuthTokens(options.user ?? 'user@example.com', grant);
  return {
    emu,
    client,
    store,
    async close() {
      await client.close();
      await emu.close();
    },
  };
}

/** The last CRM request the emulator received (token calls excluded). */
export function lastCrmRequest(emu: Emulator) {
  const crm = emu.requests.filter((r) => r.path.startsWith('/crm/'));
  const last = crm.at(-1);
  if (!last) throw new Error('the emulator received no CRM request');
  return last;
}

/** Runs `fn` with a fresh harness and always closes it. */
export async function withLegacyHarness(
  options: Parameters<typeof legacyHarness>[0],
  fn: (h: LegacyHarness) => Promise<void>,
): Promise<void> {
  const h = await legacyHarness(options);
  try {
    await fn(h);
  } finally {
    await h.close();
  }
}

/** Marks the stored access token of `user` as expired and drops the client's cached copy. */
export async function expireStoredToken(h: LegacyHarness, user = 'user@example.com'): Promise<void> {
  const token = await h.store.get(user);
  if (!token) throw new Error(`no stored token for ${user}`);
  await h.store.save({ ...token, expiresAt: Date.now() - 1000 });
  h.client.getClient().tokens.clearCache();
}
