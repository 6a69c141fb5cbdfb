import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EmulatorDependencyError, loadOptional } from '../src/optional.js';

describe("the emulator's optional dependencies", () => {
  it('a missing package rejects with an EmulatorDependencyError that says what to install', async () => {
    await assert.rejects(loadOptional('zcrmsdk-no-such-package-x', "the emulator's HTTPS mode"), (error: unknown) => {
      assert.ok(error instanceof EmulatorDependencyError);
      assert.equal(error.packageName, 'zcrmsdk-no-such-package-x');
      assert.equal(error.code, 'EMULATOR_DEPENDENCY_MISSING');
      assert.match(error.message, /^the emulator's HTTPS mode needs the npm package 'zcrmsdk-no-such-package-x'.*npm install --save-dev zcrmsdk-no-such-package-x$/);
      return true;
    });
  });
  it('an installed package loads', async () => {
    const mod = await loadOptional<{ generate: unknown }>('selfsigned', 'HTTPS');
    assert.equal(typeof mod.generate, 'function');
  });
});
