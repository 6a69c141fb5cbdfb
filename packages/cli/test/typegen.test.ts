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

/** Type-checks `files` (in a folder inside the repo, so they resolve `zcrmsdk`'s sources and @types/node). */
async function typecheck(dir: string, files: Record<string, string>): Promise<{ ok: boolean; output: string }> {
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  await writeFile(
    join(dir, 'tsconfig.json'),
    JSON.stringify({ extends: join(ROOT, 'tsconfig.base.json'), compilerOptions: { noEmit: true, rootDir: ROOT }, include: Object.keys(files) }),
  );
  try {
    await exec(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json')]);
    return { ok: true, output: '' };
  } catch (error) {
    return { ok: false, output: String((error as { stdout?: string }).stdout) };
  }
}

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

test('typegen: picklists, multi-selects, lookups, subforms, dates; compiles with crm.records<T>(); a wrong field type does not; --check sees field changes', async () => {
  const { emu, box, close } = await authedSandbox();
  const dir = join(__dirname, `.typegen-${process.pid}`);
  await mkdir(dir, { recursive: true });
  try {
    const out = join(dir, 'types.ts');
    const res = await box.run(['typegen', '--modules', 'Leads,Quotes', '--out', out]);
    assert.equal(res.code, 0, res.stderr);
    const types = await readFile(out, 'utf8');
    assert.match(types, /export interface Leads \{/);
    assert.match(types, /Lead_Status\?: "[^"]+"( \| "[^"]+")+ \| null;/, 'picklist as a literal union');
    assert.match(types, /Owner\?: ZohoLookup \| null;/);
    assert.match(types, /Annual_Revenue\?: number \| null;/);
    assert.match(types, /Product_Details\?: (\w+|Record<string, unknown>)\[\] \| null;/, 'a subform is an array of rows');
    assert.match(types, /: ZohoDate \| null;/);

    const good = `import { ZohoCRM } from 'zcrmsdk';
import type { Leads } from './types.js';
export async function use(crm: ZohoCRM): Promise<string | null | undefined> {
  const leads = crm.records<Leads>('Leads');
  await leads.create([{ Last_Name: 'Typed', Annual_Revenue: 1000, Lead_Status: ${JSON.stringify(/Lead_Status\?: ("[^"]+")/.exec(types)![1]!.slice(1, -1))} }]);
  const page = await leads.list({ fields: ['Last_Name', 'Email'] });
  return page.data[0]?.Email;
}
`;
    const ok = await typecheck(dir, { 'types.ts': types, 'good.ts': good });
    assert.ok(ok.ok, ok.output);
    const bad = `import type { Leads } from './types.js';
export const lead: Leads = { Annual_Revenue: 'a lot' };
export const status: Leads = { Lead_Status: 'No such status' };
`;
    const failed = await typecheck(dir, { 'types.ts': types, 'bad.ts': bad });
    assert.equal(failed.ok, false);
    assert.match(failed.output, /bad\.ts\(2,[^)]*\): error TS2322/);
    assert.match(failed.output, /bad\.ts\(3,[^)]*\): error TS2322/);

    // Create types: the fields Zoho marks mandatory are required.
    assert.match(types, /export interface NewLeads extends Leads \{\n  Company: string;\n  Last_Name: string;\n\}/);
    const creates = `import { ZohoCRM } from 'zcrmsdk';
import type { Leads, NewLeads } from './types.js';
export async function use(crm: ZohoCRM): Promise<void> {
  const leads = crm.records<Leads, NewLeads>('Leads');
  await leads.create([{ Last_Name: 'Typed', Company: 'Acme' }]);
  await leads.create([{ Company: 'No last name' }]);
}
`;
    const missing = await typecheck(dir, { 'types.ts': types, 'creates.ts': creates });
    assert.equal(missing.ok, false);
    assert.match(missing.output, /creates\.ts\(6,[^)]*\): error TS2741: Property 'Last_Name' is missing/);
    assert.doesNotMatch(missing.output, /creates\.ts\(5,/);

    const check = await box.run(['typegen', '--modules', 'Leads,Quotes', '--out', out, '--check']);
    assert.equal(check.code, 0, check.stdout + check.stderr);
    // The org gains a picklist value: the file is stale.
    const status = emu.crm.store('Leads')!.fields.get('Lead_Status')!;
    (status.pick_list_values as { display_value: string; actual_value: string }[]).push({ display_value: 'Brand New', actual_value: 'Brand New' });
    const stale = await box.run(['typegen', '--modules', 'Leads,Quotes', '--out', out, '--check']);
    assert.equal(stale.code, 1);
    assert.match(stale.stdout, /fields changed/);
  } finally {
    await rm(dir, { recursive: true, force: true });
    await close();
  }
});

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
