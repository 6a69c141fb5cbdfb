/**
 * Dependencies the emulator loads on first use: `selfsigned` (a dependency of @zcrmsdk/emulator) only for
 * HTTPS mode, so that an HTTP-only start does not pay for loading it. If it is missing all the same (a
 * pruned install, a bundle that left it out), the error names the package to install.
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
