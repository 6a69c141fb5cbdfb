import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import type { ZohoField } from 'zcrmsdk';
import { generateTypes, type ModuleFields } from '../src/typegen.js';
import { authedSandbox } from './helpers.js';

const exec = promisify(execFile);
const ROOT = resolve(__dirname, '../../..');

/** Type-checks standalone files (strict, no @types or SDK sources: fast); `ok` false with tsc's output on errors. */
async function compileAlone(dir: string, files: Record<string, string>): Promise<{ ok: boolean; output: string }> {
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  const compilerOptions = { noEmit: true, strict: true, exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true, skipLibCheck: true, types: [], target: 'es2022', module: 'esnext', moduleResolution: 'bundler' };
  await writeFile(join(dir, 'tsconfig.alone.json'), JSON.stringify({ compilerOptions, files: Object.keys(files) }));
  try {
    await exec(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.alone.json')]);
    return { ok: true, output: '' };
  } catch (error) {
    return { ok: false, output: String((error as { stdout?: string }).stdout) };
  }
}

test('typegen: hostile field metadata from the server cannot inject code or break the file (checked by tsc)', async () => {
  const { emu, box, close } = await authedSandbox();
  const dir = join(__dirname, `.typegen-hostile-${process.pid}`);
  await mkdir(dir, { recursive: true });
  try {
    const fields = emu.crm.store('Leads')!.def.fields as unknown as Record<string, unknown>[];
    const email = fields.find((f) => f['api_name'] === 'Email')!;
    const status = fields.find((f) => f['api_name'] === 'Lead_Status')!;
    fields.push(
      { ...email, id: '990001', api_name: 'Pwned_Type', data_type: 'text) */ export const PWNED = 5; /* (', field_label: 'Type */ export const PWNED2 = 6; /*' },
      { ...email, id: '990002', api_name: 'Multi\nLine', field_label: 'a\u2028b\n*/ export const PWNED3 = 7;' },
      { ...email, id: '990003', api_name: 'Email', data_type: 'phone' },
      { ...email, id: '990004', api_name: 'ZohoLookup', field_label: 'ZohoDate' },
      { ...email, id: '990005', api_name: 'x"]: 1; export const PWNED4 = 8; //' },
      { ...status, id: '990006', api_name: 'Hostile_Pick', pick_list_values: [{ display_value: 'q', actual_value: '"; export const PWNED5 = 9; //' }, { display_value: 'c', actual_value: '*/ x' }] },
    );
    const out = join(dir, 'types.ts');
    const res = await box.run(['typegen', '--modules', 'Leads', '--out', out]);
    assert.equal(res.code, 0, res.stderr);
    const types = await readFile(out, 'utf8');
    const check = await compileAlone(dir, {
      'types.ts': types,
      'use.ts': `import * as types from './types.js';
import type { Leads } from './types.js';
// The file exports types only: a value export (an injected \`export const\`) would not be assignable to never.
export const values: { [name: string]: never } = types;
export const lead: Leads = { Email: 'a@b.c', ZohoLookup: 'x', Hostile_Pick: '"; export const PWNED5 = 9; //', 'x"]: 1; export const PWNED4 = 8; //': 'y' };
`,
    });
    assert.ok(check.ok, `${check.output}\n${types}`);
    assert.doesNotMatch(types, /^\s*export const PWNED/m, 'no server text becomes a statement');
    // Every comment is one line that closes only at its end.
    for (const line of types.split('\n')) if (line.includes('/**')) assert.match(line, /^\s*\/\*\*((?!\*\/).)*\*\/$/, line);
    assert.equal(types.match(/^ {2}Email\?:/gm)?.length, 1, 'a field listed twice is typed once');
  } finally {
    await rm(dir, { recursive: true, force: true });
    await close();
  }
});

test('typegen: module names that clash with built-ins, our aliases, keywords or each other still give a file that compiles', async () => {
  const dir = join(__dirname, `.typegen-names-${process.pid}`);
  await mkdir(dir, { recursive: true });
  try {
    const field = (api_name: string, data_type: string, extra: Record<string, unknown> = {}) => ({ api_name, data_type, json_type: 'string', field_label: api_name, ...extra }) as unknown as ZohoField;
    const modules: ModuleFields[] = ['Record', 'ZohoDate', 'ZohoLookup', 'ZohoDateTime', 'string', 'interface', 'Foo-Bar', 'Foo_Bar', '1st', 'Leads', 'NewLeads', 'A */ B'].map((module) => ({
      module,
      fields: [
        field('Name', 'text', { system_mandatory: true }),
        field('Name', 'text', { system_mandatory: true }),
        field('When', 'date'),
        field('Owner', 'ownerlookup'),
        field('Meta', 'text', { json_type: 'jsonobject' }),
        field('Rows', 'subform', { subform: { module: 'Record' } }),
        field('Rows', 'text'),
      ],
      subforms: new Map([['Record', [field('Line', 'text')]]]),
    }));
    const types = generateTypes(modules);
    const check = await compileAlone(dir, {
      'types.ts': types,
      'use.ts': `import type { Record_, ZohoDate_, ZohoLookup_, Foo_Bar, Foo_Bar_2, interface_, string_, _1st, ZohoDate, ZohoLookup, Leads, NewLeads, NewLeads_2, NewNewLeads_2 } from './types.js';
export const lead: NewLeads = { Name: 'required' };
export const other: NewNewLeads_2 = { Name: 'x' };
export const plain: (Leads | NewLeads_2)[] = [lead, other];
export const when: ZohoDate = '2024-01-02';
export const owner: ZohoLookup = { id: '1' };
export const a: ZohoDate_ = { When: when, Owner: owner, Meta: { k: 1 }, Rows: [{ Line: 'x' }] };
export const b: Record_ = { Line: 'y' };
export const c: (ZohoLookup_ | Foo_Bar | Foo_Bar_2 | interface_ | string_ | _1st)[] = [a];
export const d: Record<string, number> = { built_in: 1 };
`,
    });
    assert.ok(check.ok, `${check.output}\n${types}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
