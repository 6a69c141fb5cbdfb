import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { coerceScalar, isWritable, LOOKUP_TYPES } from '../../src/crm/fields.js';
import { IdGenerator } from '../../src/ids.js';
import { createRecordGenerator, generateRecordValues, initialDataset, INITIAL_COUNTS } from '../../src/seed/generator.js';
import { standardModules } from '../../src/seed/modules.js';
import type { FieldMeta, ModuleDefinition } from '../../src/seed/types.js';

const defs = standardModules(new IdGenerator(11));
const byName = new Map(defs.map((d) => [d.meta.api_name, d]));

const targets = (module: string): { id: string; name: string }[] =>
  byName.has(module) ? [1, 2, 3].map((n) => ({ id: `${module.length}00000000000000${n}`, name: `${module} ${n}` })) : [];

/** Problems of one generated record against its module's metadata (empty when valid). */
function problems(def: ModuleDefinition, rec: Record<string, unknown>, refsAllowed: boolean): string[] {
  const out: string[] = [];
  const fields = new Map(def.fields.map((f) => [f.api_name, f]));
  for (const f of def.fields) {
    const v = rec[f.api_name];
    if (f.system_mandatory && (v === undefined || v === null || v === '')) out.push(`missing ${f.api_name}`);
  }
  for (const [k, v] of Object.entries(rec)) {
    const f = fields.get(k);
    if (k.startsWith('$') || k === 'id' || k === 'Owner' || /^(Created|Modified)_/.test(k)) out.push(`system key ${k}`);
    if (f === undefined) {
      out.push(`unknown field ${k}`);
      continue;
    }
    if (!isWritable(f)) out.push(`read-only ${k}`);
    if (v === null) continue;
    out.push(...valueProblems(f, v, refsAllowed));
  }
  return out;
}

function valueProblems(f: FieldMeta, v: unknown, refsAllowed: boolean): string[] {
  if (LOOKUP_TYPES.has(f.data_type)) {
    const o = v as Record<string, unknown>;
    if (refsAllowed && typeof o['$ref'] === 'object') {
      const ref = o['$ref'] as { module: string; index: number };
      const module = (f.lookup as { module: string }).module;
      if (module !== 'se_module' && ref.module !== module) return [`${f.api_name} refers to ${ref.module}`];
      return byName.has(ref.module) && Number.isInteger(ref.index) ? [] : [`bad $ref ${JSON.stringify(ref)}`];
    }
    return typeof o['id'] === 'string' && typeof o['name'] === 'string' ? [] : [`bad lookup ${f.api_name}`];
  }
  // The CRM state's own coercion must accept the value unchanged.
  const c = coerceScalar(f, v, 0);
  if (!c.ok) return [`${f.api_name}=${JSON.stringify(v)} refused: ${JSON.stringify(c.error)}`];
  if (JSON.stringify(c.value) !== JSON.stringify(v)) return [`${f.api_name}=${JSON.stringify(v)} normalised to ${JSON.stringify(c.value)}`];
  const problems: string[] = [];
  if (f.data_type === 'picklist' && !f.pick_list_values.some((p) => p.display_value === v && v !== '-None-')) problems.push(`picklist ${f.api_name}=${String(v)}`);
  if (f.data_type === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(String(v))) problems.push(`date ${f.api_name}`);
  if (f.data_type === 'datetime' && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/.test(String(v))) problems.push(`datetime ${f.api_name}`);
  if (['currency', 'double', 'integer', 'percent'].includes(f.data_type) && typeof v !== 'number') problems.push(`number ${f.api_name}`);
  if (f.data_type === 'integer' && !Number.isInteger(v)) problems.push(`integer ${f.api_name}`);
  if (f.data_type === 'email' && !/^[^\s@]+@[^\s@]+\.[a-z]+$/.test(String(v))) problems.push(`email ${f.api_name}`);
  return problems;
}

describe('generateRecordValues', () => {
  for (const def of defs) {
    it(`${def.meta.api_name}: 300 records valid against their own metadata`, () => {
      const recs = generateRecordValues(def, 300, { seed: 5, lookupTargets: targets });
      assert.equal(recs.length, 300);
      for (const [i, r] of recs.entries()) assert.deepEqual(problems(def, r, false), [], `record ${i}: ${JSON.stringify(r)}`);
      for (const u of [...def.uniqueFields, 'Email']) {
        const values = recs.map((r) => r[u]).filter((v) => v !== undefined && v !== null).map((v) => String(v).toLowerCase());
        if (def.uniqueFields.includes(u)) assert.equal(new Set(values).size, values.length, `${u} unique`);
      }
    });
  }

  it('without lookup targets leaves optional lookups out and uses $ref for mandatory ones', () => {
    const so = byName.get('Sales_Orders') as ModuleDefinition;
    const recs = generateRecordValues(so, 20, { seed: 1 });
    for (const r of recs) {
      assert.deepEqual(r['Account_Name'], { $ref: { module: 'Accounts', index: 0 } });
      assert.equal(r['Contact_Name'] ?? null, null);
      assert.deepEqual(problems(so, r, true), []);
    }
  });

  it('is deterministic per (seed, index) and batches continue a sequence', () => {
    const leads = byName.get('Leads') as ModuleDefinition;
    const all = generateRecordValues(leads, 50, { seed: 9 });
    assert.deepEqual(generateRecordValues(leads, 50, { seed: 9 }), all);
    assert.deepEqual(generateRecordValues(leads, 20, { seed: 9, startIndex: 30 }), all.slice(30));
    assert.notDeepEqual(generateRecordValues(leads, 50, { seed: 10 }), all);
  });

  it('keeps emails unique across a large batch', () => {
    const contacts = byName.get('Contacts') as ModuleDefinition;
    const recs = generateRecordValues(contacts, 20_000, { seed: 3 });
    const emails = recs.map((r) => r['Email']).filter((e): e is string => typeof e === 'string');
    assert.ok(emails.length > 15_000);
    assert.equal(new Set(emails.map((e) => e.toLowerCase())).size, emails.length);
  });

  it('keeps display names unique past the word combinations', () => {
    const accounts = byName.get('Accounts') as ModuleDefinition;
    const names = generateRecordValues(accounts, 4000, { seed: 2 }).map((r) => r['Account_Name']);
    assert.equal(new Set(names).size, names.length);
  });

  it('ends Events after they start', () => {
    const events = byName.get('Events') as ModuleDefinition;
    for (const r of generateRecordValues(events, 100, { seed: 4 })) {
      assert.ok(Date.parse(String(r['End_DateTime'])) > Date.parse(String(r['Start_DateTime'])));
    }
  });
});

describe('initialDataset', () => {
  const ds = initialDataset(defs, 42);

  it('has the demo counts, in dependency order', () => {
    assert.deepEqual([...ds.keys()], INITIAL_COUNTS.map(([m]) => m));
    assert.equal(ds.get('Leads')?.length, 10);
    assert.equal(ds.get('Accounts')?.length, 5);
    assert.equal(ds.get('Contacts')?.length, 8);
  });

  it('links every Contact to an Account and every Deal to an Account and Contact by $ref', () => {
    for (const [i, c] of (ds.get('Contacts') ?? []).entries()) assert.deepEqual(c['Account_Name'], { $ref: { module: 'Accounts', index: i % 5 } });
    for (const d of ds.get('Deals') ?? []) {
      assert.equal((d['Account_Name'] as { $ref: { module: string } }).$ref.module, 'Accounts');
      assert.equal((d['Contact_Name'] as { $ref: { module: string } }).$ref.module, 'Contacts');
    }
  });

  it('only refers to modules inserted earlier and to existing indexes', () => {
    const order = [...ds.keys()];
    for (const [module, rows] of ds) {
      const def = byName.get(module) as ModuleDefinition;
      for (const r of rows) {
        assert.deepEqual(problems(def, r, true), [], `${module}: ${JSON.stringify(r)}`);
        for (const v of Object.values(r)) {
          const ref = (v as { $ref?: { module: string; index: number } } | null)?.$ref;
          if (ref === undefined) continue;
          assert.ok(order.indexOf(ref.module) < order.indexOf(module), `${module} → ${ref.module}`);
          assert.ok(ref.index < (ds.get(ref.module)?.length ?? 0));
        }
      }
    }
  });

  it('only includes modules it is given', () => {
    const only = initialDataset(defs.filter((d) => ['Leads', 'Accounts'].includes(d.meta.api_name)), 1);
    assert.deepEqual([...only.keys()], ['Accounts', 'Leads']);
  });
});

describe('createRecordGenerator', () => {
  it('gives the same record as generateRecordValues at any index', () => {
    const deals = byName.get('Deals') as ModuleDefinition;
    const gen = createRecordGenerator(deals, { seed: 6, lookupTargets: targets });
    const batch = generateRecordValues(deals, 40, { seed: 6, lookupTargets: targets });
    for (const i of [0, 7, 39]) assert.deepEqual(gen(i), batch[i]);
  });
});

describe('initialDataset notes', () => {
  it('attaches demo notes to Deals or Accounts only', () => {
    for (const n of initialDataset(defs, 3).get('Notes') ?? []) {
      assert.ok(['Deals', 'Accounts'].includes((n['Parent_Id'] as { $ref: { module: string } }).$ref.module));
    }
  });
});
