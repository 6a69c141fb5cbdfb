/** Exit codes: 0 ok, 1 an API, network or store failure, 2 a usage or configuration error. */
import { CommanderError } from 'commander';
import { ConfigError, InvalidInputError, NoTokenError } from 'zcrmsdk';

export const EXIT_OK = 0;
export const EXIT_API_ERROR = 1;
export const EXIT_USAGE = 2;

/** The exit code for an error a command threw. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    return error.code === 'commander.helpDisplayed' || error.code === 'commander.help' || error.code === 'commander.version' ? EXIT_OK : EXIT_USAGE;
  }
  if (error instanceof ConfigError || error instanceof InvalidInputError || error instanceof NoTokenError) return EXIT_USAGE;
  return EXIT_API_ERROR;
}

/** The message to print for an error (commander prints its own). */
export function errorMessage(error: unknown): string | undefined {
  if (error instanceof CommanderError) return undefined;
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const status = (error as { status?: unknown }).status;
    const tag = [typeof status === 'number' ? `HTTP ${status}` : '', typeof code === 'string' ? code : ''].filter(Boolean).join(' ');
    return `${error.message}${tag ? ` (${error.name}${tag ? `: ${tag}` : ''})` : ''}`;
  }
  return String(error);
}
