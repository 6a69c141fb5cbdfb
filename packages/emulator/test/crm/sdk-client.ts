/** The SDK's modern client against a fresh emulator over HTTP (port 0), for tests that prove both agree. */
import { after, before } from 'node:test';
import { ZohoCRM } from 'zcrmsdk';
import { startEmulator, type Emulator } from '../../src/index.js';

export interface SdkAgainstEmulator {
  emu: Emulator;
  crm: ZohoCRM;
}

/** Registers before/after hooks in the calling describe; the returned object is filled before its tests run. */
export function sdkAgainstEmulator(): SdkAgainstEmulator {
  const ctx = {} as SdkAgainstEmulator;
  before(async () => {
    ctx.emu = await startEmulator({ port: 0 });
    ctx.crm = new ZohoCRM({ clientId: ctx.emu.client.clientId, clientSecret: ctx.emu.client.clientSecret, accountsUrl: ctx.emu.url, apiUrl: ctx.emu.url, apiVersion: 'v8', maxRetries: 0 });
    await ctx.crm.generateTokens(await ctx.emu.grantToken());
  });
  after(async () => {
    await ctx.crm.close();
    await ctx.emu.close();
  });
  return ctx;
}
