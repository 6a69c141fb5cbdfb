/**
 * The `zcrm` command tree on commander: it is the most used Node argument parser, has no dependencies,
 * gives every command and subcommand its own `--help`, and lets us own the exit codes (`exitOverride`).
 */
import { Command, Option } from 'commander';
import { SDK_VERSION } from 'zcrmsdk';
import { registerAuth } from './commands/auth.js';
import { registerDemo } from './commands/demo.js';
import { registerEmulator } from './commands/emulator.js';
import { registerRecords } from './commands/records.js';
import { registerExport } from './commands/export.js';
import { registerImport } from './commands/import.js';
import { registerTypegen } from './commands/typegen.js';
import { registerDoctor } from './commands/doctor.js';
import { registerApi } from './commands/api.js';
import { registerWatch } from './commands/watch.js';
import { ENV, type GlobalFlags } from './config.js';
import { CommandContext } from './context.js';
import { errorMessage, exitCodeFor } from './exit.js';
import { Output, processIo, type CliIo } from './output.js';

/** Runs a command body with a context; errors propagate to `runCli`, which picks the exit code. */
export type Runner = (command: Command, body: (ctx: CommandContext) => Promise<void>) => Promise<void>;

/** Builds the program; `onContext` receives each command's context (for exit codes and cleanup). */
export function buildProgram(io: CliIo, onContext: (ctx: CommandContext) => void): Command {
  const program = new Command('zcrm');
  program
    .description('Zoho CRM from the command line: records, COQL, export/import, typegen, and an offline Zoho emulator.')
    .version(SDK_VERSION, '-V, --version')
    .addOption(new Option('--client-id <id>', `OAuth client id (env ${ENV.clientId})`))
    .addOption(new Option('--client-secret <secret>', `OAuth client secret (env ${ENV.clientSecret})`))
    .addOption(new Option('--redirect-uri <uri>', `redirect URI of the client (env ${ENV.redirectUri})`))
    .addOption(new Option('--dc <dc>', `data centre: us, eu, in, cn, au, jp, ca, sa (env ${ENV.dc}); default us`))
    .addOption(new Option('--accounts-url <url>', `Zoho Accounts URL, overrides --dc (env ${ENV.accountsUrl})`))
    .addOption(new Option('--api-url <url>', `CRM API URL, overrides --dc (env ${ENV.apiUrl})`))
    .addOption(new Option('--api-version <v>', `API version, e.g. v2 or v8 (env ${ENV.apiVersion})`))
    .addOption(new Option('--user <id>', `the user whose tokens to use (env ${ENV.user}); default zcrm_default_user`))
    .addOption(
      new Option('--store <spec>', `token store: file:PATH, sqlite:PATH, mysql://user:pw@host:port/db, module:PATH, memory (env ${ENV.store}); default file in the config folder`),
    )
    .addOption(new Option('--ca <file>', `PEM file of an extra CA to trust, e.g. the HTTPS emulator's (env ${ENV.ca})`))
    .option('--json', 'print the result as JSON (for scripts)')
    .option('--no-color', 'no colour (also: NO_COLOR=1); colour is only used on a terminal anyway')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      `
Configuration: flags, then ZCRM_* environment variables, then resources/oauth_configuration.properties and
resources/configuration.properties in the working directory (as zcrmsdk 0.0.x). Exit codes: 0 ok, 1 API or
network error, 2 usage or configuration error.

Start here:  zcrm demo             a guided tour against an in-process emulator
             zcrm emulator         a local Zoho to point the CLI and your code at`,
    );
  program.configureOutput({
    writeOut: (text) => io.stdout.write(text),
    writeErr: (text) => io.stderr.write(text),
  });

  const run: Runner = async (command, body) => {
    const ctx = new CommandContext(io, command.optsWithGlobals<GlobalFlags>());
    onContext(ctx);
    try {
      await body(ctx);
    } finally {
      await ctx.close();
    }
  };
  registerDemo(program, run);
  registerEmulator(program, run);
  registerAuth(program, run);
  registerRecords(program, run);
  registerExport(program, run);
  registerImport(program, run);
  registerTypegen(program, run);
  registerDoctor(program, run);
  registerApi(program, run);
  registerWatch(program, run);
  // Every command (and subcommand) owns its exit: no process.exit inside commander.
  const override = (cmd: Command): void => {
    cmd.exitOverride();
    cmd.configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) });
    cmd.commands.forEach(override);
  };
  override(program);
  return program;
}

/** Runs `zcrm` with `argv` (without `node zcrm`) and resolves with the exit code. */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let ctx: CommandContext | undefined;
  const program = buildProgram(io, (c) => (ctx = c));
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return ctx?.exitCode ?? 0;
  } catch (error) {
    const message = errorMessage(error);
    if (message !== undefined) new Output(io, { color: ctx?.flags.color }).error(message);
    return exitCodeFor(error);
  }
}
