/**
 * `node dist/emulator/cli.js [--host H] [--port N] [--https] [--seed N] [--persist file] [--data-centers us,eu]
 * [--grant-code-limit]`: starts an emulator,
 * prints how to use it (URL, demo client, a fresh grant code) and runs until SIGINT/SIGTERM.
 */
import { DATA_CENTERS, type EmulatorDataCenter } from './data-centers.js';
import { DEFAULT_GRANT_CODE_LIMIT, startEmulator, type Emulator, type EmulatorOptions } from './index.js';

/** Where the CLI writes; defaults to the process streams. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** Resolves when the CLI should stop. Default: on SIGINT or SIGTERM. */
  stopSignal?: Promise<unknown>;
  /** Called once the emulator is up and its banner printed (`zcrm emulator` adds its own lines). */
  onReady?(emulator: Emulator, grantCode: string): void | Promise<void>;
}

/** Lifetime of the grant code printed at start, in seconds (self-client codes may live up to 10 minutes). */
export const CLI_GRANT_TTL_SECONDS = 600;

const USAGE = `Usage: zcrm emulator [--host 127.0.0.1] [--port 0] [--https] [--seed 1] [--persist state.db]
                     [--data-centers us,eu] [--grant-code-limit]

Starts a local Zoho Accounts + CRM emulator and prints its URL, a demo OAuth client and a grant code.
--data-centers serves several Zoho data centres (${DATA_CENTERS.join(', ')}), each at <url>/dc/<dc>; tokens
work only in the one that minted them. --grant-code-limit applies Zoho's 10 grant codes per 10 minutes.`;

function parseArgs(argv: readonly string[]): EmulatorOptions | 'help' {
  const options: EmulatorOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new Error(`Option ${flag} needs a value. ${USAGE}`);
      return v;
    };
    const integer = (): number => {
      const v = value();
      if (!/^\d+$/.test(v)) throw new Error(`Option ${flag} needs a whole number, got '${v}'.`);
      return Number(v);
    };
    switch (flag) {
      case '--help':
      case '-h':
        return 'help';
      case '--port':
        options.port = integer();
        break;
      case '--host':
        options.host = value();
        break;
      case '--seed':
        options.seed = integer();
        break;
      case '--persist':
        options.persist = value();
        break;
      case '--https':
        options.https = true;
        break;
      case '--data-centers':
        options.dataCenters = value().split(',').map((d) => d.trim().toLowerCase()) as EmulatorDataCenter[];
        break;
      case '--grant-code-limit':
        options.grantCodeLimit = { ...DEFAULT_GRANT_CODE_LIMIT };
        break;
      default:
        throw new Error(`Unknown option '${arg}'.\n${USAGE}`);
    }
  }
  return options;
}

function waitForSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/**
 * Runs the emulator CLI with `argv` (without `node script`). Resolves with the exit code once the emulator
 * is closed after a stop signal (0), or at once on bad arguments (2) or a start failure (1).
 */
export async function runEmulatorCli(argv: readonly string[] = process.argv.slice(2), io?: CliIo): Promise<number> {
  const out = io?.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const err = io?.err ?? ((line: string) => process.stderr.write(`${line}\n`));
  let options: EmulatorOptions | 'help';
  try {
    options = parseArgs(argv);
  } catch (error) {
    err(error instanceof Error ? error.message : String(error));
    return 2;
  }
  if (options === 'help') {
    out(USAGE);
    return 0;
  }
  let emulator;
  try {
    emulator = await startEmulator(options);
  } catch (error) {
    err(`Could not start the emulator: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  const code = await emulator.grantToken({ ttlSeconds: CLI_GRANT_TTL_SECONDS });
  const { clientId, clientSecret, redirectUri } = emulator.client;
  out(`Zoho emulator listening on ${emulator.url}${options.persist === undefined ? '' : ` (state in ${options.persist})`}`);
  out('');
  out(`  client id:      ${clientId}`);
  out(`  client secret:  ${clientSecret}`);
  out(`  redirect uri:   ${redirectUri} (any redirect_uri works with the grant code below)`);
  out(`  grant code:     ${code} (single use, valid ${CLI_GRANT_TTL_SECONDS / 60} minutes)`);
  out('');
  out('Exchange the grant code for tokens:');
  out(`  curl -s -X POST '${emulator.url}/oauth/v2/token' -d grant_type=authorization_code \\`);
  out(`    -d client_id=${clientId} -d client_secret=${clientSecret} -d code=${code}`);
  out('Then call the CRM API with the access token:');
  out(`  curl -s '${emulator.url}/crm/v2/Leads' -H 'Authorization: Zoho-oauthtoken <access_token>'`);
  if (options.https === true) out('HTTPS uses a self-signed certificate: pass curl -k, or trust emulator.ca in code.');
  if (emulator.dataCenters.length > 1) {
    out(`Data centres: ${emulator.dataCenters.map((dc) => `${dc} at ${emulator.urlFor(dc)}`).join(', ')} (the grant code above is ${emulator.dataCenters[0] ?? ''}'s).`);
  }
  out(`Point an SDK's accounts URL and API domain at ${emulator.url}. Press Ctrl+C to stop.`);
  await io?.onReady?.(emulator, code);
  await (io?.stopSignal ?? waitForSignal());
  await emulator.close();
  out('Emulator closed.');
  return 0;
}

if (typeof module !== 'undefined' && typeof require !== 'undefined' && require.main === module) {
  runEmulatorCli().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
