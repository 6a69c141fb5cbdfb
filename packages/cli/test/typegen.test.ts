import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
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

