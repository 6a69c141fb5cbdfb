/** What to tell a user whose file-backed token store (the JSON file, the SQLite database) cannot use its path. */
import { statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * The fix for a store file at `path` that failed with errno `code`, naming the `path` option; `fileName` is the
 * example file name offered when the path is a directory.
 */
export function pathFix(path: string, code: string, fileName: string): string {
  const folder = dirname(path);
  if (code === 'EISDIR') return `${path} is a directory, not a file: set the path option to a file in it, e.g. ${join(path, fileName)}`;
  if (code === 'ENOENT') return `the folder ${folder} does not exist: create it or change the path option`;
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return `this process may not write in ${folder}: make it writable or change the path option`;
  return 'check the path option and that this process may write its folder';
}

/**
 * Why `path` cannot be opened as a file, found by looking at it after a driver failed with a vaguer error: an
 * errno error (EISDIR when it is a directory, ENOENT when its folder is missing) whose cause is `driverError`,
 * or `undefined` when the path looks usable.
 */
export function pathProblem(path: string, driverError: unknown): NodeJS.ErrnoException | undefined {
  try {
    if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) {
      return Object.assign(new Error(`${basename(path)} is a directory`, { cause: driverError }), { code: 'EISDIR' });
    }
    statSync(dirname(path));
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code ? Object.assign(new Error(`cannot use the folder of ${basename(path)} (${code})`, { cause: driverError }), { code }) : undefined;
  }
}
