/** Lazy loading of the optional database drivers, so `require('zcrmsdk')` loads none of them. */
import { ConfigError } from '../errors.js';

/**
 * `require(pkg)` on first use. The package always runs as CommonJS (the ESM entry wraps it), so `require` is
 * there; a missing driver is a ConfigError that says what to install.
 */
export function loadDriver<T>(pkg: string, store: string, install: string = pkg): T {
  try {
    return require(pkg) as T;
  } catch (cause) {
    const code = (cause as { code?: unknown } | null)?.code;
    if (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') {
      throw new ConfigError(`${store} needs the '${pkg}' package, which is not installed: run \`npm install ${install}\`.`, {
        option: 'driver',
        code: 'DRIVER_MISSING',
        cause,
      });
    }
    throw new ConfigError(`${store} could not load the '${pkg}' package (${String(code ?? (cause as Error)?.name)}); reinstall it with \`npm install ${install}\`.`, {
      option: 'driver',
      cause,
    });
  }
}
