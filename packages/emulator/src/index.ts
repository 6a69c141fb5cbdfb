/**
 * `@zcrmsdk/emulator`: a local, stateful Zoho Accounts + CRM server speaking the real wire protocol.
 *
 * ```ts
 * import { startEmulator } from '@zcrmsdk/emulator';
 * const emu = await startEmulator({ port: 0 });
 * const code = await emu.grantToken({ scope: 'ZohoCRM.modules.ALL' });
 * // POST `${emu.url}/oauth/v2/token` with emu.client + code, then call `${emu.url}/crm/v2/Leads`.
 * await emu.close();
 * ```
 */
import { CrmState, handleCrm } from './crm/index.js';
import { EmulatorServer, prepareEmulator, type CrmBinding, type EmulatorOptions } from './server.js';
import type { DeliveryFaultOptions } from './faults.js';
import type { NotificationDelivery } from './crm/notifications.js';
import type { BlueprintDefinition, EmailTemplate, OutboxMail } from './crm/process.js';
import { sentSignals, type SignalNotification } from './crm/spec/signal-behaviours.js';

/** A running emulator whose `crm` is the emulator's CRM state. */
export class Emulator extends EmulatorServer<CrmState> {
  /** Registers a Deluge-like function served at `/crm/v2/functions/{name}/actions/execute`. */
  registerFunction(name: string, handler: Parameters<CrmState['registerFunction']>[1]): void {
    this.crm.registerFunction(name, handler);
  }

  /** The notification deliveries made so far (POSTs to channels' `notify_url`), oldest first, with their status. */
  get notifications(): NotificationDelivery[] {
    return this.crm.notifications.deliveries;
  }

  /** Resolves when every notification delivery scheduled so far (retries included) has finished. */
  notificationsIdle(): Promise<void> {
    return this.crm.notifications.idle();
  }

  /** Puts a module's records (of one layout, or all) in a blueprint: transitions between values of a picklist field. */
  defineBlueprint(definition: BlueprintDefinition): void {
    this.crm.process.defineBlueprint(definition);
  }

  /** Registers an email template that send mail can use (`template: { id }`). */
  addEmailTemplate(template: EmailTemplate): void {
    this.crm.process.addEmailTemplate(template);
  }

  /** Every mail sent through `/{module}/{id}/actions/send_mail`, oldest first. */
  get outbox(): OutboxMail[] {
    return this.crm.process.outbox;
  }

  /** Every signal notification sent through `POST /crm/v8/signals/notifications`, oldest first. */
  get signals(): SignalNotification[] {
    return sentSignals(this.crm);
  }

  /** Drops, delays or duplicates the next matching notification deliveries. */
  failNextDelivery(fault: DeliveryFaultOptions = {}): void {
    this.crm.notifications.failNextDelivery(fault);
  }
}

const binding: CrmBinding<CrmState> = {
  create: (options) => new CrmState(options),
  restore: (snapshot, options) => CrmState.restore(snapshot, options),
  handle: (state, req) => handleCrm(state, req),
};

/** Starts an emulator (HTTP on 127.0.0.1 and a free port unless told otherwise). Close it with `close()`. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  return new Emulator(await prepareEmulator(binding, options));
}

export { runEmulatorCli } from './cli.js';
export { redactAuthorization, secretFingerprint } from './redact.js';
export { CREDIT_RULES, creditCost } from './credits.js';
export type { CreditReport, CreditRule, CreditUse, CreditedCall } from './credits.js';
export { DEFAULT_VALIDATE_REQUESTS } from './crm/state.js';
export {
  DEFAULT_ACCESS_TOKEN_TTL_SECONDS,
  DEFAULT_CLIENT,
  DEFAULT_GRANT_CODE_LIMIT,
  DEFAULT_GRANT_CODE_TTL_SECONDS,
  DEFAULT_MAX_ACTIVE_ACCESS_TOKENS,
  DEFAULT_MAX_BUFFERED_BYTES,
  DEFAULT_MAX_RECORDED_REQUESTS,
  DEFAULT_REFRESH_THROTTLE,
  EmulatorServer,
} from './server.js';
export type { CrmBackend, CrmBinding, CrmStateOptions, EmulatorLogger, EmulatorOptions, RecordedRequest } from './server.js';
export { DEFAULT_SCOPES, GrantLimitError } from './accounts.js';
export type { GrantCodeLimit, GrantTokenOptions, OAuthClientInfo, RefreshThrottle } from './accounts.js';
export { DATA_CENTERS, DEFAULT_DATA_CENTER } from './data-centers.js';
export type { EmulatorDataCenter } from './data-centers.js';
export type { FaultOptions, DeliveryFaultOptions } from './faults.js';
export type { NotificationDelivery } from './crm/notifications.js';
export type { BlueprintDefinition, BlueprintTransition, EmailTemplate, OutboxMail } from './crm/process.js';
export type { SignalNotification } from './crm/spec/signal-behaviours.js';
export {
  DEFAULT_CHANNEL_EXPIRY_MS,
  MAX_CHANNEL_EXPIRY_MS,
  DEFAULT_DELIVERY_ATTEMPTS,
  DEFAULT_DELIVERY_RETRY_DELAY_MS,
} from './crm/notifications.js';
export type { ZohoEdition } from './limits.js';
export type { CrmRequest, EmuResponse, UploadedFile } from './http-types.js';
export { CrmState } from './crm/index.js';
