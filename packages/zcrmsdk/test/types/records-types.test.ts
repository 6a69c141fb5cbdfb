/**
 * Type tests: `tsc --noEmit` over test/types/fixtures. ok.ts (the README's typed usage) must compile; each
 * fail-*.ts must fail with the expected error (wrong field type, wrong field name, wrong option name).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { it } from 'node:test';

const root = join(__dirname, '..', '..');
const tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');

it('typed records and generated methods: good usage compiles, wrong field and parameter types, field names and option names do not', () => {
  const run = spawnSync(process.execPath, [tsc, '-p', join('test', 'types', 'fixtures', 'tsconfig.json'), '--pretty', 'false'], { cwd: root, encoding: 'utf8' });
  const lines = run.stdout.split('\n').filter((l) => l.includes('error TS'));
  const errorsOf = (file: string) => lines.filter((l) => l.startsWith(`test/types/fixtures/${file}(`));
  assert.deepEqual(errorsOf('ok.ts'), [], 'ok.ts must compile');
  assert.deepEqual(errorsOf('lead.ts'), []);
  assert.deepEqual(errorsOf('ok-generated.ts'), [], 'ok-generated.ts must compile');
  const expected: Record<string, RegExp> = {
    'fail-field-type.ts': /TS2322: Type 'string' is not assignable to type 'number'/,
    'fail-field-name.ts': /TS2820: Type '"Last_Nme"' is not assignable to type 'FieldName<Lead>'/,
    'fail-option-name.ts': /TS2561: .*'duplicateCheckField' does not exist in type 'UpsertOptions<Lead>'/,
    'fail-list-param.ts': /TS2561: .*'perPage' does not exist in type 'ListParams/,
    'fail-generated-param.ts': /TS2322: Type 'number' is not assignable to type 'string'/,
    'fail-generated-query.ts': /TS2322: Type 'string' is not assignable to type 'number'/,
  };
  for (const [file, pattern] of Object.entries(expected)) {
    const errors = errorsOf(file);
    assert.equal(errors.length, 1, `${file} must fail to compile exactly once, got:\n${errors.join('\n')}`);
    assert.match(errors[0] ?? '', pattern);
  }
  assert.notEqual(run.status, 0);
});
