import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';

// The guard is what keeps the whole suite honest: prove that it fails a leaking process and passes a clean one.
function runUnderGuard(mode: string) {
  const res = spawnSync(process.execPath, ['--import', 'tsx', '--import', './test/helpers/redaction-guard.ts', 'test/fixtures/redaction/leak.ts', mode], {
    cwd: join(__dirname, '..'),
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: res.status, stderr: res.stderr };
}

describe('the suite-wide redaction guard', () => {
  it('fails the process and names the file when an issued secret reaches an error', () => {
    const { status, stderr } = runUnderGuard('error');
    assert.equal(status, 1, stderr);
    assert.match(stderr, /\[redaction-guard\] test\/fixtures\/redaction\/leak\.ts: a token or grant code issued by the emulator appears in util\.inspect\(\) of a ZohoError/);
    assert.doesNotMatch(stderr, /1000\.[0-9a-f]{32}/, 'the report itself must not print the secret');
  });

  it('catches a secret in a log line, even a partial one', () => {
    const { status, stderr } = runUnderGuard('log');
    assert.equal(status, 1, stderr);
    assert.match(stderr, /appears in a log line/);
  });

  it('stays quiet when the SDK redacted the secret itself', () => {
    const { status, stderr } = runUnderGuard('clean');
    assert.equal(status, 0, stderr);
    assert.equal(stderr, '');
  });
});
