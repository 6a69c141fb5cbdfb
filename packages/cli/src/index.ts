#!/usr/bin/env node
/**
 * The `zcrm` executable (the package's `bin`). Its argument parser, commander, is an optional peer (a client
 * install carries nothing only the CLI needs): when it is missing, say how to add it.
 */
function hasCommander(): boolean {
  try {
    require.resolve('commander');
    return true;
  } catch {
    return false;
  }
}

if (!hasCommander()) {
  process.stderr.write('zcrm needs the package `commander` (an optional peer of zcrmsdk): run `npm install commander` and try again.\n');
  process.exitCode = 2;
} else {
  import('./program.js')
    .then(({ runCli }) => runCli(process.argv.slice(2)))
    .then(
      (code) => {
        process.exitCode = code;
      },
      (error: unknown) => {
        process.stderr.write(`zcrm: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exitCode = 1;
      },
    );
}
