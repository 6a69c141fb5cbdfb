import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { CoqlError, type CoqlQuery, executeCoql, parseCoql } from '../src/coql.js';
import { IdGenerator } from '../src/ids.js';
import { standardModules } from '../src/seed/modules.js';
import { nonApiModules } from '../src/seed/modules.js';

const base = { where: null, orderBy: [], limit: undefined, offset: 0 };

describe('parseCoql', () => {
  const cases: [string, Partial<CoqlQuery>][] = [
    ['select Last_Name from Leads', { ...base, module: 'Leads', columns: ['Last_Name'] }],
    ['SELECT Last_Name, Email FROM Leads LIMIT 5', { ...base, module: 'Leads', columns: ['Last_Name', 'Email'], limit: 5 }],
    ['select Last_Name from Leads limit 10, 20', { ...base, module: 'Leads', columns: ['Last_Name'], limit: 20, offset: 10 }],
    ['select Last_Name from Leads limit 20 offset 10', { ...base, module: 'Leads', columns: ['Last_Name'], limit: 20, offset: 10 }],
    [
      'select Account_Name.Account_Name from Contacts order by Last_Name desc, First_Name',
      { ...base, module: 'Contacts', columns: ['Account_Name.Account_Name'], orderBy: [{ field: 'Last_Name', direction: 'desc' }, { field: 'First_Name', direction: 'asc' }] },
    ],
    ["select Last_Name from Leads where Last_Name = 'O\\'Brien'", { ...base, module: 'Leads', columns: ['Last_Name'], where: { kind: 'cmp', field: 'Last_Name', op: '=', value: "O'Brien" } }],
    ["select Last_Name from Leads where Last_Name = 'it''s'", { ...base, module: 'Leads', columns: ['Last_Name'], where: { kind: 'cmp', field: 'Last_Name', op: '=', value: "it's" } }],
    ['select Last_Name from Leads where Amount >= -1.5', { ...base, module: 'Leads', columns: ['Last_Name'], where: { kind: 'cmp', field: 'Amount', op: '>=', value: -1.5 } }],
    ['select Last_Name from Leads where Email_Opt_Out = true', { ...base, module: 'Leads', columns: ['Last_Name'], where: { kind: 'cmp', field: 'Email_Opt_Out', op: '=', value: true } }],
    ['select Last_Name from Leads where Email <> null', { ...base, module: 'Leads', columns: ['Last_Name'], where: { kind: 'null', field: 'Email', negate: true } }],
    ['select Last_Name from Leads where Email is not null', { ...base, module: 'Leads', columns: ['Last_Name'], where: { kind: 'null', field: 'Email', negate: true } }],
    ["select a from Leads where b not like '%x%'", { ...base, module: 'Leads', columns: ['a'], where: { kind: 'like', field: 'b', pattern: '%x%', negate: true } }],
    ["select a from Leads where b not in ('x', 2, null)", { ...base, module: 'Leads', columns: ['a'], where: { kind: 'in', field: 'b', values: ['x', 2, null], negate: true } }],
    ['select a from Leads where b between 1 and 5', { ...base, module: 'Leads', columns: ['a'], where: { kind: 'between', field: 'b', low: 1, high: 5, negate: false } }],
    [
      "select a from Leads where ((b = 1 and c = 2) or d = 'x') and e is null",
      {
        ...base,
        module: 'Leads',
        columns: ['a'],
        where: {
          kind: 'group',
          op: 'and',
          children: [
            {
              kind: 'group',
              op: 'or',
              children: [
                { kind: 'group', op: 'and', children: [{ kind: 'cmp', field: 'b', op: '=', value: 1 }, { kind: 'cmp', field: 'c', op: '=', value: 2 }] },
                { kind: 'cmp', field: 'd', op: '=', value: 'x' },
              ],
            },
            { kind: 'null', field: 'e', negate: false },
          ],
        },
      },
    ],
    ['select a from Leads where b = 1 or c = 2 and d = 3', {
      ...base,
      module: 'Leads',
      columns: ['a'],
      where: { kind: 'group', op: 'or', children: [{ kind: 'cmp', field: 'b', op: '=', value: 1 }, { kind: 'group', op: 'and', children: [{ kind: 'cmp', field: 'c', op: '=', value: 2 }, { kind: 'cmp', field: 'd', op: '=', value: 3 }] }] },
    }],
  ];
  for (const [query, expected] of cases) {
    it(`parses ${query}`, () => assert.deepEqual(parseCoql(query), expected));
  }

  const syntax: [string, string][] = [
    ['', ''],
    ['from Leads', 'from'],
    ['where Last_Name = 1', 'where'],
    ['select from Leads', 'from'],
    ['select Last_Name Leads', 'Leads'],
    ['select Last_Name from', 'from'],
    ['select Last_Name, from Leads', 'from'],
    ['select * from Leads', '*'],
    ['select Last_Name from Leads where', 'where'],
    ['select Last_Name from Leads where Last_Name', 'Last_Name'],
    ["select Last_Name from Leads where Last_Name = 'x' and", 'and'],
    ['select Last_Name from Leads where (Last_Name is null', 'null'],
    ['select Last_Name from Leads where Last_Name is 1', '1'],
    ["select Last_Name from Leads where Last_Name like 5", '5'],
    ["select Last_Name from Leads where Last_Name not = 'x'", '='],
    ["select Last_Name from Leads where Last_Name in 'x'", "'x'"],
    ['select Last_Name from Leads order Last_Name', 'Last_Name'],
    ['select Last_Name from Leads limit x', 'x'],
    ['select Last_Name from Leads limit 1.5', '1.5'],
    ['select Last_Name from Leads limit 5 garbage', 'garbage'],
    ["select Last_Name from Leads where Last_Name = 'unterminated", "'unterminated"],
    ['select Last_Name from Leads where Last_Name = #', '#'],
    ['select Account_Name. from Contacts', 'Account_Name.'],
  ];
  for (const [query, near] of syntax) {
    it(`SYNTAX_ERROR near ${JSON.stringify(near)} for ${JSON.stringify(query)}`, () => {
      assert.throws(
        () => parseCoql(query),
        (e: unknown) => {
          assert.ok(e instanceof CoqlError);
          assert.equal(e.code, 'SYNTAX_ERROR');
          assert.equal(e.message, 'error occured while parsing the query');
          assert.deepEqual(e.details, { near });
          return true;
        },
      );
    });
  }

  it('limits columns (50), criteria (25) and IN values (50)', () => {
    const cols = (n: number): string => Array.from({ length: n }, (_, i) => `F${i}`).join(', ');
    assert.doesNotThrow(() => parseCoql(`select ${cols(50)} from Leads`));
    const crit = (n: number): string => Array.from({ length: n }, (_, i) => `F${i} = ${i}`).join(' and ');
    assert.doesNotThrow(() => parseCoql(`select a from Leads where ${crit(25)}`));
    const vals = (n: number): string => Array.from({ length: n }, (_, i) => String(i)).join(', ');
    assert.doesNotThrow(() => parseCoql(`select a from Leads where b in (${vals(50)})`));
    for (const [q, clause] of [
      [`select ${cols(51)} from Leads`, 'select'],
      [`select a from Leads where ${crit(26)}`, 'where'],
      [`select a from Leads where b in (${vals(51)})`, 'in'],
    ] as const) {
      assert.throws(() => parseCoql(q), (e: unknown) => e instanceof CoqlError && e.code === 'LIMIT_EXCEEDED' && e.message === 'limit exceeded' && e.details['clause'] === clause);
    }
  });
});

describe('executeCoql', () => {
  const defs = [...standardModules(new IdGenerator(1))];
  const nonApi = nonApiModules(new IdGenerator(2));
  const id = (n: number): string => `3000000000000${String(n).padStart(6, '0')}`;
  const owner = { name: 'Patricia Boyle', id: id(1), email: 'admin@emulator.zoho.local' };
  const data: Record<string, Record<string, unknown>[]> = {
    Accounts: [
      { id: id(10), Account_Name: 'Zylker', Parent_Account: null, Annual_Revenue: 5000, Owner: owner },
      { id: id(11), Account_Name: 'Globex', Parent_Account: { name: 'Zylker', id: id(10) }, Annual_Revenue: 100, Owner: owner },
    ],
    Contacts: [
      { id: id(22), Last_Name: 'Lee', First_Name: 'Ann', Email: 'ann@zylker.example', Account_Name: { name: 'Zylker', id: id(10) }, Owner: owner, Created_Time: '2024-01-02T10:00:00+00:00', Email_Opt_Out: false },
      { id: id(20), Last_Name: 'Chen', First_Name: 'Bo', Email: 'bo@globex.example', Account_Name: { name: 'Globex', id: id(11) }, Owner: owner, Created_Time: '2024-01-01T10:00:00+00:00', Email_Opt_Out: true },
      { id: id(21), Last_Name: "O'Brien", First_Name: null, Email: null, Account_Name: null, Owner: owner, Created_Time: '2024-01-03T09:00:00+05:30', Email_Opt_Out: false },
    ],
  };
  const source = {
    module: (name: string) => [...defs].find((d) => d.meta.api_name.toLowerCase() === name.toLowerCase()) ?? (nonApi.some((m) => m.api_name === name) ? { ...defs[0], meta: nonApi.find((m) => m.api_name === name) } as (typeof defs)[number] : undefined),
    records: (name: string) => data[name] ?? [],
  };
  const run = (query: string, maxLimit?: number) => executeCoql(parseCoql(query), source, maxLimit === undefined ? {} : { maxLimit });
  const ids = (query: string): string[] => run(query).rows.map((r) => String(r['id']));

  it('selects columns plus id, ordered by id ascending by default', () => {
    const out = run('select Last_Name, Email from Contacts');
    assert.deepEqual(out.rows, [
      { Last_Name: 'Chen', Email: 'bo@globex.example', id: id(20) },
      { Last_Name: "O'Brien", Email: null, id: id(21) },
      { Last_Name: 'Lee', Email: 'ann@zylker.example', id: id(22) },
    ]);
    assert.equal(out.more, false);
  });

  it('returns lookups as {id} and follows up to two joins', () => {
    const out = run('select Account_Name, Account_Name.Account_Name, Account_Name.Parent_Account.Account_Name, Owner from Contacts where Last_Name = \'Chen\'');
    assert.deepEqual(out.rows, [{ Account_Name: { id: id(11) }, 'Account_Name.Account_Name': 'Globex', 'Account_Name.Parent_Account.Account_Name': 'Zylker', Owner: { id: id(1) }, id: id(20) }]);
    assert.deepEqual(run("select Account_Name.Account_Name from Contacts where Last_Name = 'O\\'Brien'").rows, [{ 'Account_Name.Account_Name': null, id: id(21) }]);
    assert.deepEqual(ids("select Last_Name from Contacts where Account_Name.Account_Name like 'zyl%'"), [id(22)]);
    assert.deepEqual(ids(`select Last_Name from Contacts where Account_Name = '${id(10)}'`), [id(22)]);
  });

  const filters: [string, string[]][] = [
    ["Last_Name = 'lee'", [id(22)]],
    ["Last_Name != 'Lee'", [id(20), id(21)]],
    ["Email like '%.example'", [id(20), id(22)]],
    ["Email like 'bo@%'", [id(20)]],
    ["Email like '%globex%'", [id(20)]],
    ["Email not like '%globex%'", [id(22)]],
    ['Email is null', [id(21)]],
    ['First_Name is not null', [id(20), id(22)]],
    ["Last_Name in ('Lee', 'Chen')", [id(20), id(22)]],
    ["Last_Name not in ('Lee')", [id(20), id(21)]],
    ["Created_Time > '2024-01-01T12:00:00+00:00'", [id(21), id(22)]],
    ["Created_Time between '2024-01-01T00:00:00Z' and '2024-01-03T04:00:00+00:00'", [id(20), id(21), id(22)]],
    ["Created_Time < '2024-01-03T04:00:00Z'", [id(20), id(21), id(22)]],
    ['Email_Opt_Out = true', [id(20)]],
    ["(Last_Name = 'Lee' or Last_Name = 'Chen') and Email like '%zylker%'", [id(22)]],
    [`id = ${id(21)}`, [id(21)]],
    [`id >= '${id(21)}'`, [id(21), id(22)]],
  ];
  for (const [where, expected] of filters) {
    it(`where ${where}`, () => assert.deepEqual(ids(`select Last_Name from Contacts where ${where}`), expected));
  }

  it('orders by columns, numbers numerically, empties first ascending', () => {
    assert.deepEqual(ids('select Last_Name from Contacts order by Last_Name'), [id(20), id(22), id(21)]);
    assert.deepEqual(ids('select Last_Name from Contacts order by First_Name asc'), [id(21), id(22), id(20)]);
    assert.deepEqual(ids('select Last_Name from Contacts order by First_Name desc'), [id(20), id(22), id(21)]);
    assert.deepEqual(ids('select Account_Name from Accounts order by Annual_Revenue'), [id(11), id(10)]);
    assert.deepEqual(ids('select Last_Name from Contacts order by Account_Name.Account_Name desc'), [id(22), id(20), id(21)]);
  });

  it('pages with limit/offset and reports more_records', () => {
    assert.deepEqual(run('select Last_Name from Contacts limit 2'), { rows: [{ Last_Name: 'Chen', id: id(20) }, { Last_Name: "O'Brien", id: id(21) }], more: true });
    assert.deepEqual(ids('select Last_Name from Contacts limit 1, 1'), [id(21)]);
    assert.deepEqual(ids('select Last_Name from Contacts limit 5 offset 2'), [id(22)]);
    assert.equal(run('select Last_Name from Contacts limit 5 offset 2').more, false);
    assert.deepEqual(ids('select Last_Name from Contacts limit 10 offset 9'), []);
  });

  it('caps limit at maxLimit (200 by default)', () => {
    assert.doesNotThrow(() => run('select Last_Name from Contacts limit 200'));
    assert.throws(() => run('select Last_Name from Contacts limit 201'), (e: unknown) => e instanceof CoqlError && e.code === 'LIMIT_EXCEEDED');
    assert.doesNotThrow(() => run('select Last_Name from Contacts limit 2000', 2000));
    assert.throws(() => run('select Last_Name from Contacts limit 2001', 2000), (e: unknown) => e instanceof CoqlError && e.code === 'LIMIT_EXCEEDED');
  });

  it('refuses unknown and non-API modules with INVALID_MODULE', () => {
    for (const q of ['select a from Nope', 'select a from Reports']) {
      assert.throws(() => run(q), (e: unknown) => e instanceof CoqlError && e.code === 'INVALID_MODULE' && e.message === 'the given module is not supported in api');
    }
  });

  const badColumns: [string, string][] = [
    ['select Nope from Contacts', 'Nope'],
    ["select Last_Name from Contacts where Nope = 'x'", 'Nope'],
    ['select Last_Name from Contacts order by Nope', 'Nope'],
    ['select Last_Name.First_Name from Contacts', 'Last_Name.First_Name'],
    ['select Account_Name.Nope from Contacts', 'Account_Name.Nope'],
    ['select Account_Name.Parent_Account.Parent_Account.Account_Name from Contacts', 'Account_Name.Parent_Account.Parent_Account.Account_Name'],
  ];
  for (const [q, column] of badColumns) {
    it(`INVALID_QUERY for column ${column}`, () => {
      assert.throws(
        () => run(q),
        (e: unknown) => {
          assert.ok(e instanceof CoqlError);
          assert.equal(e.code, 'INVALID_QUERY');
          assert.equal(e.message, 'invalid query formed');
          assert.deepEqual(e.details, { column_name: column, reason: 'column given seems to be invalid' });
          return true;
        },
      );
    });
  }
});
