/** Shared setup of the resource tests: an emulator on port 0 and a ZohoCRM client signed in to it. */
import { startEmulator, type Emulator, type EmulatorOptions } from '@zcrmsdk/emulator';
import { ZohoCRM, type ZohoCRMOptions } from '../../src/client.js';

export interface Setup {
  emu: Emulator;
  crm: ZohoCRM;
  close(): Promise<void>;
}

/** An emulator and a client on `apiVersion`, with tokens for the emulator's admin user. */
export async function setup(apiVersion: string, emuOptions: EmulatorOptions = {}, clientOptions: Partial<ZohoCRMOptions> = {}): Promise<Setup> {
  const emu = await startEmulator({ refreshThrottle: false, ...emuOptions });
  const crm = await signIn(emu, apiVersion, clientOptions);
  return {
    emu,
    crm,
    async close() {
      await crm.close();
      await emu.close();
    },
  };
}

/** A client signed in to `emu` (as the emulator user `emuUserId` when given). */
export async function signIn(emu: Emulator, apiVersion: string, options: Partial<ZohoCRMOptions> = {}, emuUserId?: string): Promise<ZohoCRM> {
  const crm = new ZohoCRM({
    clientId: emu.client.clientId,
    clientSecret: emu.client.clientSecret,
    accountsUrl: emu.url,
    apiUrl: emu.url,
    apiVersion,
    maxRetries: 0,
    ...options,
  });
  const code = await emu.grantToken(emuUserId === undefined ? {} : { userId: emuUserId });
  await crm.generateTokens(code);
  return crm;
}

/** The CRM requests the emulator saw whose path ends with `suffix` (e.g. `/Leads`). */
export function crmRequests(emu: Emulator, method: string, suffix: string): Emulator['requests'] {
  return emu.requests.filter((r) => r.method === method && r.path.startsWith('/crm/') && r.path.endsWith(suffix));
}
