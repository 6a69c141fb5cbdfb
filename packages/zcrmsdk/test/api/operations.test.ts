/**
 * The operations manifest (`zcrmsdk/operations`): every entry's `call`, evaluated on a client against the
 * emulator, sends exactly one request with the operation's method and (filled) path; and every `call`
 * type-checks against the package's public types with --strict.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { operations } from '../../src/api/generated/operations.js';
import { ZohoError } from '../../src/errors.js';
import { setup, type Setup } from './helpers.js';

const root = join(__dirname, '..', '..');
const repo = join(root, '..', '..');
const requireHere = createRequire(join(root, 'package.json'));

/** The fixed value of each path parameter: a module's API name for module parameters, else an id. */
const MODULE_PARAMS = new Set(['module', 'module_api_name', 'module_name', 'moduleName']);
const valueOf = (name: string): string => (MODULE_PARAMS.has(name) ? 'Leads' : '1234567890');

interface Schema {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  anyOf?: Schema[];
  allOf?: Schema[];
}
interface Description {
  operations: { area: string; operationId: string; params: { name: string; in: string; required: boolean; schema: Schema }[]; body?: { contentType: string | null; schema: Schema | null } }[];
  resolveRef(ref: string): Schema;
}

/** A smallest valid-looking value of a schema: required properties only, one item per array. */
function sample(d: Description, schema: Schema | null | undefined, depth = 0): unknown {
  if (!schema || depth > 6) return undefined;
  if (schema.$ref) return sample(d, d.resolveRef(schema.$ref), depth + 1);
  if (schema.anyOf?.[0]) return sample(d, schema.anyOf[0], depth + 1);
  if (schema.allOf?.[0]) return sample(d, schema.allOf[0], depth + 1);
  if (schema.enum) return schema.enum.find((v) => v !== null);
  if (schema.type === 'array') return [sample(d, schema.items, depth + 1) ?? {}];
  if (schema.type === 'object' || schema.properties) {
    const out: Record<string, unknown> = {};
    for (const name of schema.required ?? []) out[name] = sample(d, schema.properties?.[name], depth + 1) ?? 'x';
    if (schema.properties?.['data'] && out['data'] === undefined) out['data'] = [{}];
    return out;
  }
  if (schema.type === 'integer' || schema.type === 'number') return 1;
  if (schema.type === 'boolean') return true;
  return 'x';
}

/** Parameters for one operation: its required query and header parameters, `fields`/`criteria` where Zoho needs them, a body. */
function paramsFor(d: Description, area: string, operationId: string): Record<string, unknown> {
  const op = d.operations.find((o) => o.area === area && o.operationId === operationId);
  assert.ok(op, `${area}/${operationId} is in the description`);
  const params: Record<string, unknown> = {};
  for (const p of op.params) {
    if (p.in === 'path') continue;
    if (p.required || p.name === 'fields' || (p.name === 'criteria' && /search/i.test(operationId))) params[p.name] = p.name === 'ids' ? ['1234567890'] : p.name === 'fields' ? ['id'] : (sample(d, p.schema) ?? 'x');
  }
  // records(module).list() asks for `fields` on v8 before sending (Zoho requires it), even where the OAS omits it.
  if (op.operationId === 'Get Rescheduled Histories') params['fields'] = ['id'];
  if (op.body) params['body'] = op.body.contentType === 'multipart/form-data' ? { file: Buffer.from('x') } : (sample(d, op.body.schema) ?? {});
  return params;
}

/** The path the emulator should see for an OAS path template. */
function expectedPath(path: string): string {
  return path.replace(/\{([^}]+)\}/g, (_, name: string) => valueOf(name));
}

const pathParams = (path: string): string[] => [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);

describe('operations manifest', () => {
  let s: Setup;
  let d: Description;
  before(async () => {
    s = await setup('v8');
    d = ((await import(join(repo, 'api-description', 'load.mjs'))) as { loadDescription(): Description }).loadDescription();
  });
  after(() => s.close());

  it("lists the checklist's 423 operations and our overlay's 30 once, with a call each", () => {
    assert.equal(operations.length, 423 + 30);
    assert.equal(new Set(operations.map((o) => `${o.area}/${o.operationId}`)).size, 423 + 30);
    for (const o of operations) assert.match(o.call, /^[\w$]+(\([^)]*\))?(\.[\w$]+(\([^)]*\))?)*$/, o.call);
  });

  it('the committed generated files are what the generator writes (npm run codegen -- --check)', () => {
    const run = spawnSync(process.execPath, [join(repo, 'api-description', 'codegen.mjs'), '--check'], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
  });

  it('every call sends exactly one request with its method and path', async () => {
    const misses: string[] = [];
    for (const entry of operations) {
      const names = pathParams(entry.path);
      const call = new Function('crm', 'params', ...names, `return crm.${entry.call}`) as (...args: unknown[]) => unknown;
      s.emu.clearRequests();
      try {
        const result = call(s.crm, paramsFor(d, entry.area, entry.operationId), ...names.map(valueOf));
        const settled = await (result as Promise<unknown>);
        (settled as { body?: { destroy?: () => void } } | undefined)?.body?.destroy?.();
      } catch (error) {
        if (!(error instanceof ZohoError)) misses.push(`${entry.area}/${entry.operationId}: threw ${String(error)}`);
      }
      const sent = s.emu.requests.filter((r) => !r.path.startsWith('/oauth/'));
      const want = expectedPath(entry.path);
      if (sent.length !== 1 || sent[0]!.method !== entry.method || sent[0]!.path !== want) {
        misses.push(`${entry.area}/${entry.operationId}: ${entry.call} sent ${sent.map((r) => `${r.method} ${r.path}`).join(', ') || 'nothing'} (want ${entry.method} ${want})`);
      }
    }
    assert.deepEqual(misses, [], `${operations.length - misses.length}/${operations.length} calls sent the right request`);
  });

  it('every call type-checks against the public types with --strict', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zcrm-ops-types-'));
    try {
      const lines = ["import type { ZohoCRM } from 'zcrmsdk';", 'declare function value<T>(): T;', ''];
      operations.forEach((entry, i) => {
        const m = /^(.*)\.([\w$]+)\(([^()]*)\)$/.exec(entry.call);
        assert.ok(m, entry.call);
        const [, target, method, argList] = m;
        const args = argList!.split(', ');
        const names = pathParams(entry.path);
        lines.push(
          `export function op${i}(crm: ZohoCRM${names.map((n) => `, ${n}: string`).join('')}) {`,
          // `params` is whatever the method takes there (the overload of its arity): inferred from the call.
          `  return crm.${target}.${method}(${args.map((a) => (a === 'params' ? 'value()' : a)).join(', ')});`,
          '}',
        );
      });
      writeFileSync(join(dir, 'calls.ts'), lines.join('\n'));
      const compilerOptions = {
        strict: true,
        noUncheckedIndexedAccess: true,
        exactOptionalPropertyTypes: true,
        noEmit: true,
        module: 'Node16',
        moduleResolution: 'Node16',
        target: 'ES2022',
        skipLibCheck: true,
        types: ['node'],
        typeRoots: [join(repo, 'node_modules', '@types')],
        baseUrl: dir,
        paths: { zcrmsdk: [join(root, 'dist', 'index.d.ts')] },
      };
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['calls.ts'] }));
      const run = spawnSync(process.execPath, [requireHere.resolve('typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json'), '--pretty', 'false'], { encoding: 'utf8' });
      assert.equal(run.stdout.split('\n').filter((l) => l.includes('error TS')).join('\n'), '');
      assert.equal(run.status, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
