/**
 * What a command runs with: the output, the resolved configuration and (made on first use) the client and
 * its token store. `zcrm` never imports SDK internals: only `zcrmsdk`'s public API.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  ConfigError,
  NoTokenError,
  ZohoCRM,
  type TokenStore,
  type ZohoCRMOptions,
} from 'zcrmsdk';
import { ENV, requireClient, resolveConfig, type CliConfig, type GlobalFlags } from './config.js';
import { Output, type CliIo } from './output.js';
import { openStore, storeSpec } from './store.js';

export class CommandContext {
  readonly io: CliIo;
  readonly flags: GlobalFlags;
  readonly out: Output;
  /** Set by a command that finished but must report failure (e.g. `typegen --check` found changes). */
  exitCode = 0;
  #config: CliConfig | undefined;
  #client: ZohoCRM | undefined;
  #store: TokenStore | undefined;

  constructor(io: CliIo, flags: GlobalFlags) {
    this.io = io;
    this.flags = flags;
    this.out = new Output(io, { json: flags.json, color: flags.color });
  }

  async config(): Promise<CliConfig> {
    this.#config ??= await resolveConfig(this.flags, this.io.env, this.io.cwd);
    return this.#config;
  }

  /** The configured token store (opened once). */
  async store(): Promise<TokenStore> {
    this.#store ??= openStore(storeSpec(await this.config()), this.io.cwd);
    return this.#store;
  }

  /** The client options the configuration gives (client id and secret required). */
  async clientOptions(): Promise<ZohoCRMOptions> {
    const config = await this.config();
    const { clientId, clientSecret } = requireClient(config);
    const options: ZohoCRMOptions = {
      clientId,
      clientSecret,
      redirectUri: config.redirectUri,
      accountsUrl: config.accountsUrl,
      apiUrl: config.apiUrl,
      userId: config.userId,
      tokenStore: await this.store(),
    };
    if (config.apiVersion !== undefined) options.apiVersion = config.apiVersion;
    if (config.caFile !== undefined) options.ca = readCa(resolve(this.io.cwd, config.caFile));
    return options;
  }

  /** The client, without touching tokens. */
  async rawClient(): Promise<ZohoCRM> {
    this.#client ??= new ZohoCRM(await this.clientOptions());
    return this.#client;
  }

  /**
   * The client, with tokens for the configured user: when none are stored and `ZCRM_GRANT_CODE` is set (as
   * `zcrm emulator` prints), that grant code is exchanged first.
   */
  async client(): Promise<ZohoCRM> {
    const crm = await this.rawClient();
    const config = await this.config();
    const stored = await crm.tokens.store.get(config.userId);
    if (stored) return crm;
    const grant = this.io.env['ZCRM_GRANT_CODE'];
    if (grant) {
      await crm.generateTokens(grant, config.userId);
      this.out.note(`Exchanged ${'ZCRM_GRANT_CODE'} for tokens of '${config.userId}' (stored; the code is now spent).`);
      return crm;
    }
    throw new NoTokenError(
      `No tokens stored for user '${config.userId}'. Run \`zcrm auth grant <grant-code>\` (a self-client code from the Zoho API console, or \`zcrm emulator grant\`), or set ZCRM_GRANT_CODE.`,
      config.userId,
    );
  }

  async close(): Promise<void> {
    if (this.#client) await this.#client.close();
    else await this.#store?.close?.();
  }
}

function readCa(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (cause) {
    throw new ConfigError(`Cannot read the CA file ${path} (--ca / ${ENV.ca}): ${(cause as Error).message}`, { option: '--ca', cause });
  }
}
