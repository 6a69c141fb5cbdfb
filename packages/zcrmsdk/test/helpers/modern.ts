/** Starts an emulator on port 0 and a modern client with tokens for its demo user, over real HTTP. */
import type { ZohoCRMOptions } from '../../src/index.js';
import { DEFAULT_MAX_RETRIES } from '../../src/config.js';
import { DEFAULT_REFRESH_THROTTLE, type EmulatorOptions } from '@zcrmsdk/emulator';
import { type Setup, setup } from '../api/helpers.js';

export type ModernSetup = Setup;

/**
 * An emulator plus a `ZohoCRM` on `apiVersion` with tokens for the emulator's current user. Unlike the resource
 * tests' `setup`, the emulator keeps its default refresh throttle and the client its default retries.
 */
export function startModern(
  apiVersion: string,
  options: { emulator?: EmulatorOptions; client?: Partial<ZohoCRMOptions> } = {},
): Promise<ModernSetup> {
  return setup(apiVersion, { port: 0, refreshThrottle: DEFAULT_REFRESH_THROTTLE, ...options.emulator }, { maxRetries: DEFAULT_MAX_RETRIES, ...options.client });
}
