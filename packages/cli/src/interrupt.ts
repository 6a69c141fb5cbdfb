/**
 * Ctrl-C for long commands (import, export): the first SIGINT asks the command to stop at the next safe point
 * (after the request in flight), so it can write what it got and say where it stopped; a second one exits now.
 */

/** The exit code of a command stopped by SIGINT (128 + 2, as shells report it). */
export const EXIT_INTERRUPTED = 130;

/** A SIGINT watch: `interrupted` turns true on the first Ctrl-C; `dispose()` removes the handler. */
export interface Interrupt {
  readonly interrupted: boolean;
  dispose(): void;
}

/** Watches SIGINT until `dispose()`; `onFirst` prints what happens next (e.g. "finishing the chunk in flight"). */
export function watchInterrupt(onFirst: () => void): Interrupt {
  let interrupted = false;
  const handler = (): void => {
    if (interrupted) process.exit(EXIT_INTERRUPTED);
    interrupted = true;
    onFirst();
  };
  process.on('SIGINT', handler);
  return {
    get interrupted() {
      return interrupted;
    },
    dispose: () => void process.off('SIGINT', handler),
  };
}
