/**
 * `zcrm emulator [--port] [--https] [--persist file] [--seed N]`: the emulator's own CLI (runEmulatorCli), plus
 * the `export ZCRM_...` lines that point this CLI and the SDK at it; `zcrm emulator grant` mints more grant
 * codes from a running emulator through the standard authorization endpoint (`/oauth/v2/auth`).
 */
import { rm, mkdir, writeFile } from 'node:fs/promises';
import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';
import { join } from 'node:path';
import type { Command } from 'commander';
import type * as EmulatorPackage from '@zcrmsdk/emulator';
import { ConfigError, ConnectionError, OAuthError } from 'zcrmsdk';
import { ENV, configDir, requireClient } from '../config.js';
import type { Runner } from '../program.js';

/** Scopes of the grant codes `zcrm emulator grant` mints by default. */
export const DEFAULT_CLI_SCOPES = 'ZohoCRM.modules.ALL,ZohoCRM.settings.ALL,ZohoCRM.users.ALL,ZohoCRM.org.ALL,ZohoCRM.coql.READ,ZohoCRM.bulk.ALL';

interface EmulatorFlags {
  host?: string;
  port?: string;
  https?: boolean;
  persist?: string;
  seed?: string;
}

export function registerEmulator(program: Command, run: Runner): void {
  const emulator = program
    .command('emulator')
    .description('run a local Zoho (Accounts + CRM) emulator and print how to point the CLI and the SDK at it')
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--port <port>', 'port (0: a free one)', '0')
    .option('--https', 'serve HTTPS with a self-signed certificate (its CA is written to a file)')
    .option('--persist <file>', 'SQLite file to keep the emulator state in across runs')
    .option('--seed <n>', 'seed of the generated records')
    .action((flags: EmulatorFlags, cmd: Command) =>
      run(cmd, async (ctx) => {
        const argv = ['--host', flags.host ?? '127.0.0.1', '--port', flags.port ?? '0'];
        if (flags.https) argv.push('--https');
        if (flags.persist !== undefined) argv.push('--persist', flags.persist);
        if (flags.seed !== undefined) argv.push('--seed', flags.seed);
        const line = (text: string) => ctx.io.stdout.write(`${text}\n`);
        const dir = configDir(ctx.io.env);
        const tokenFile = join(dir, 'emulator-tokens.json');
        // Loaded on use: the other commands do not pay for the emulator.
        const { runEmulatorCli } = require('@zcrmsdk/emulator') as typeof EmulatorPackage;
        const code = await runEmulatorCli(argv, {
          out: line,
          err: (text) => ctx.io.stderr.write(`${text}\n`),
          onReady: async (emu, grantCode) => {
            // Tokens of an earlier emulator run mean nothing to this one.
            if (flags.persist === undefined) await rm(tokenFile, { force: true });
            let caLine: string | undefined;
            if (emu.ca !== undefined) {
              await mkdir(dir, { recursive: true, mode: 0o700 });
              const caFile = join(dir, 'emulator-ca.pem');
              await writeFile(caFile, emu.ca, { mode: 0o644 });
              caLine = `  export ${ENV.ca}=${caFile}`;
            }
            line('');
            line(ctx.out.style('bold', 'Use it from the zcrm CLI or the SDK: paste these lines into another terminal'));
            line(`  export ${ENV.accountsUrl}=${emu.url}`);
            line(`  export ${ENV.apiUrl}=${emu.url}`);
            line(`  export ${ENV.clientId}=${emu.client.clientId}`);
            line(`  export ${ENV.clientSecret}=${emu.client.clientSecret}`);
            line(`  export ${ENV.store}=file:${tokenFile}`);
            line(`  export ZCRM_GRANT_CODE=${grantCode}   # exchanged for tokens on the first command`);
            if (caLine) line(caLine);
            line('then:');
            line('  zcrm records list Leads');
            line('');
            line('More grant codes (each single use):');
            line('  zcrm emulator grant                      # prints a new code; `zcrm auth grant $(zcrm emulator grant)` stores tokens');
            line(`  curl -si '${emu.url}/oauth/v2/auth?client_id=${emu.client.clientId}&response_type=code&auto=1&scope=${DEFAULT_CLI_SCOPES}'   # code= in Location`);
            line('  emulator.grantToken() in code (zcrmsdk/emulator)');
          },
        });
        ctx.exitCode = code;
      }),
    );

  emulator
    .command('grant')
    .description(`mint a grant code from a running emulator (at ${ENV.accountsUrl}, or --url) and print it`)
    .option('--url <url>', `the emulator's URL (default: ${ENV.accountsUrl} / --accounts-url)`)
    .option('--scope <scopes>', 'comma-separated scopes', DEFAULT_CLI_SCOPES)
    .action((flags: { url?: string; scope: string }, cmd: Command) =>
      run(cmd, async (ctx) => {
        const config = await ctx.config();
        const url = flags.url ?? (config.sources.accountsUrl === 'default' ? undefined : config.accountsUrl);
        if (url === undefined) {
          throw new ConfigError(`Which emulator? Pass --url http://127.0.0.1:PORT or set ${ENV.accountsUrl} (\`zcrm emulator\` prints the line).`, { option: '--url' });
        }
        const { clientId } = requireClient(config);
        const ca = config.caFile === undefined ? undefined : (await ctx.clientOptions()).ca;
        const code = await mintGrant(url, clientId, flags.scope, ca);
        if (ctx.out.json) ctx.out.result({ code, scope: flags.scope });
        else ctx.io.stdout.write(`${code}\n`);
      }),
    );
}

/** Approves the authorization request at `/oauth/v2/auth` (the emulator's `auto=1`) and reads `code` from the redirect. */
function mintGrant(base: string, clientId: string, scope: string, ca: string | Buffer | undefined): Promise<string> {
  const target = new URL('/oauth/v2/auth', base);
  target.search = new URLSearchParams({ client_id: clientId, response_type: 'code', access_type: 'offline', auto: '1', scope }).toString();
  return new Promise((resolve, reject) => {
    const get = target.protocol === 'https:' ? httpsGet : httpGet;
    const req = get(target, ca === undefined ? {} : { ca }, (res) => {
      res.resume();
      const location = res.headers.location;
      const code = location ? new URL(location, base).searchParams.get('code') : null;
      if (code) return resolve(code);
      reject(new OAuthError(`The emulator at ${base} did not issue a grant code (HTTP ${res.statusCode}); check ${ENV.clientId} is its client id.`, 'no_code'));
    });
    req.on('error', (cause) => reject(new ConnectionError(`Cannot reach the emulator at ${base}: ${cause.message}. Is \`zcrm emulator\` running?`, { cause })));
  });
}
