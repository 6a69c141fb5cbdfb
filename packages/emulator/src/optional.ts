/**
 * The emulator's optional dependencies (the `selfsigned` certificate generator for HTTPS mode) are optional
 * peers of zcrmsdk, so that a client install does not carry them. They load on first use; when missing, the
 * error says what to install.
 */
export class EmulatorDependencyError extends Error {
  readonly code = 'EMULATOR_DEPENDENCY_MISSING';
  /** The npm package to install. */
  readonly packageName: string;
  constructor(packageName: string, feature: string, cause: unknown) {
    super(`${feature} needs the npm package '${packageName}', which is not installed. Run: npm install --save-dev ${packageName}`, { cause });
    this.name = 'EmulatorDependencyError';
    this.packageName = packageName;
  }
}

/** `import(name)`, or an EmulatorDependencyError naming the package when it is not installed. */
export async function loadOptional<T>(name: string, feature: string): Promise<T> {
  try {
    return (await import(name)) as T;
  } catch (cause) {
    const code = (cause as { code?: unknown }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') throw new EmulatorDependencyError(name, feature, cause);
    throw cause;
  }
}
