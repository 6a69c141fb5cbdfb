import { startEmulator, type Emulator, type EmulatorOptions } from '@zcrmsdk/emulator';
import { ZohoCRM, type ZohoCRMOptions } from '../../src/client.js';

export const SCOPES = 'ZohoCRM.modules.ALL,ZohoCRM.settings.ALL,ZohoCRM.users.ALL,ZohoCRM.org.ALL,ZohoCRM.coql.READ';

export interface ModernHarness {
  emu: Emulator;
  crm: ZohoCRM;
  /** CRM requests the emulator received (token calls excluded). */
  crmRequests(): Emulator['requests'];
  close(): Promise<void>;
}

/** An emulator and a modern client pointed at it, with tokens for the default user. */
export async function modernHarness(
  options: { emulator?: EmulatorOptions; client?: Partial<ZohoCRMOptions>; grant?: boolean } = {},
): Promise<ModernHarness> {
  const emu = await startEmulator({ port: 0, ...options.emulator });
  const crm = new ZohoCRM({
    clientId: emu.client.clientId,
    clientSecret: emu.client.clientSecret,
    accountsUrl: emu.url,
    apiUrl: emu.url,
    apiVersion: 'v2',
    ...(emu.ca ? { ca: emu.ca } : {}),
    ...options.client,
  });
  if (options.grant !== false) await crm.generateTokens(await emu.grantToken({ scope: SCOPES }));
  emu.clearRequests();
  return {
    emu,
    crm,
    crmRequests: () => emu.requests.filter((r) => r.path.startsWith('/crm/')),
    async close() {
      await crm.close();
      await emu.close();
    },
  };
}

/** Runs `fn` with a fresh harness and always closes it. */
export async function withHarness(
  options: Parameters<typeof modernHarness>[0],
  fn: (h: ModernHarness) => Promise<void>,
): Promise<void> {
  const h = await modernHarness(options);
  try {
    await fn(h);
  } finally {
    await h.close();
  }
}
