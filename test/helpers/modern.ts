/** Starts an emulator on port 0 and a modern client with tokens for its demo user, over real HTTP. */
import type { ZohoCRMOptions } from '../../src/index.js';
import { DEFAULT_MAX_RETRIES } from '../../src/config.js';
import { startEmulator, type EmulatorOptions } from '../../src/emulator/index.js';
import { type Setup, signIn } from '../api/helpers.js';

export type ModernSetup = Setup;

/**
 * An emulator plus a `ZohoCRM` on `apiVersion` with tokens for the emulator's current user. Unlike the resource
 * tests' `setup`, the emulator keeps its default limits and the client its default retries.
 */
export async function startModern(
  apiVersion: string,
  options: { emulator?: EmulatorOptions; client?: Partial<ZohoCRMOptions> } = {},
): Promise<ModernSetup> {
  const emu = await startEmulator({ port: 0, ...options.emulator });
  const crm = await signIn(emu, apiVersion, { maxRetries: DEFAULT_MAX_RETRIES, ...options.client });
  return {
    emu,
    crm,
    async close() {
      await crm.close();
      await emu.close();
    },
  };
}
