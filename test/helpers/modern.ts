/** Starts an emulator on port 0 and a modern client with tokens for its demo user, over real HTTP. */
import { ZohoCRM, type ZohoCRMOptions } from '../../src/index.js';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/index.js';

export interface ModernSetup {
  emu: Emulator;
  crm: ZohoCRM;
  close(): Promise<void>;
}

/** An emulator plus a `ZohoCRM` on `apiVersion` with tokens for the emulator's current user. */
export async function startModern(
  apiVersion: string,
  options: { emulator?: EmulatorOptions; client?: Partial<ZohoCRMOptions> } = {},
): Promise<ModernSetup> {
  const emu = await startEmulator({ port: 0, ...options.emulator });
  const crm = new ZohoCRM({
    clientId: emu.client.clientId,
    clientSecret: emu.client.clientSecret,
    accountsUrl: emu.url,
    apiUrl: emu.url,
    apiVersion,
    ...options.client,
  });
  await crm.generateTokens(await emu.grantToken());
  return {
    emu,
    crm,
    async close() {
      await crm.close();
      await emu.close();
    },
  };
}
