import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import {
  ALL_OPERATORS,
  CriteriaError,
  type CriteriaNode,
  matchCriteria,
  matchesEmail,
  matchesPhone,
  matchesWord,
  operatorsForVersion,
  parseCriteria,
  V2_OPERATORS,
  validateCriteriaFields,
} from '../src/criteria.js';
import { IdGenerator } from '../src/ids.js';
import { standardModules } from '../src/seed/modules.js';

const cond = (field: string, operator: string, ...values: string[]): CriteriaNode => ({ kind: 'cond', field, operator, values });

describe('parseCriteria', () => {
  const cases: [string, CriteriaNode][] = [
    ['(Last_Name:equals:Burns)', cond('Last_Name', 'equals', 'Burns')],
    ['  (Last_Name:equals:Burns)  ', cond('Last_Name', 'equals', 'Burns')],
    ['(Last_Name:EQUALS:Burns)', cond('Last_Name', 'equals', 'Burns')],
    ['(Last_Name:equals:Burns\\,B)', cond('Last_Name', 'equals', 'Burns,B')],
    ['(Last_Name:equals:Burns,Smith)', cond('Last_Name', 'equals', 'Burns', 'Smith')],
    ['(Full_Name:equals:Patricia\\(Boyle\\))', cond('Full_Name', 'equals', 'Patricia(Boyle)')],
    ['(Description:equals:back\\\\slash)', cond('Description', 'equals', 'back\\slash')],
    ['(Created_Time:greater_than:2019-07-25T15:26:49+05:30)', cond('Created_Time', 'greater_than', '2019-07-25T15:26:49+05:30')],
    ['(Last_Name:equals:)', cond('Last_Name', 'equals', '')],
    ['(Amount:between:100,200)', cond('Amount', 'between', '100', '200')],
    [
      '((Last_Name:equals:Burns\\,B)and(First_Name:starts_with:M))',
      { kind: 'group', op: 'and', children: [cond('Last_Name', 'equals', 'Burns,B'), cond('First_Name', 'starts_with', 'M')] },
    ],
    [
      '((Account_Name:equals:Acme) and (Industry:starts_with:Storage))',
      { kind: 'group', op: 'and', children: [cond('Account_Name', 'equals', 'Acme'), cond('Industry', 'starts_with', 'Storage')] },
    ],
    [
      '((A:equals:1)OR(B:equals:2))',
      { kind: 'group', op: 'or', children: [cond('A', 'equals', '1'), cond('B', 'equals', '2')] },
    ],
    [
      '((A:equals:1)and(B:equals:2)or(C:equals:3))',
      {
        kind: 'group',
        op: 'or',
        children: [{ kind: 'group', op: 'and', children: [cond('A', 'equals', '1'), cond('B', 'equals', '2')] }, cond('C', 'equals', '3')],
      },
    ],
    [
      '(((A:equals:1)or(B:equals:2))and(C:equals:3))',
      {
        kind: 'group',
        op: 'and',
        children: [{ kind: 'group', op: 'or', children: [cond('A', 'equals', '1'), cond('B', 'equals', '2')] }, cond('C', 'equals', '3')],
      },
    ],
    ['((A:equals:x))', cond('A', 'equals', 'x')],
    ['(A:equals:a:b:c)', cond('A', 'equals', 'a:b:c')],
  ];
  for (const [text, expected] of cases) {
    it(`parses ${text}`, () => assert.deepEqual(parseCriteria(text), expected));
  }

  const errors: [string, string, Record<string, unknown>?][] = [
    ['', 'INVALID_QUERY'],
    ['Last_Name:equals:Burns', 'INVALID_QUERY'],
    ['(Last_Name:equals:Burns', 'INVALID_QUERY'],
    ['(Last_Name:equals:Burns\\)', 'INVALID_QUERY'],
    ['(Last_Name:equals:Burns))', 'INVALID_QUERY'],
    ['(Last_Name:Burns)', 'INVALID_QUERY'],
    ['(Last_Name:like:Burns)', 'INVALID_QUERY', { reason: 'invalid operator found', api_name: 'Last_Name', operator: 'like' }],
    ['((A:equals:1)xor(B:equals:2))', 'INVALID_QUERY'],
    ['((A:equals:1)(B:equals:2))', 'INVALID_QUERY'],
    ['((A:equals:1)and)', 'INVALID_QUERY'],
    ['(:equals:1)', 'INVALID_QUERY'],
    ['(Amount:between:100)', 'INVALID_QUERY'],
  ];
  for (const [text, code, details] of errors) {
    it(`refuses ${JSON.stringify(text)} with ${code}`, () => {
      assert.throws(
        () => parseCriteria(text),
        (e: unknown) => {
          assert.ok(e instanceof CriteriaError);
          assert.equal(e.code, code);
          assert.equal(e.message, 'invalid query formed');
          if (details !== undefined) assert.deepEqual(e.details, details);
          else assert.equal(typeof e.details['reason'], 'string');
          return true;
        },
      );
    });
  }

  it('allows 10 conditions and refuses 11 with LIMIT_EXCEEDED', () => {
    const many = (n: number): string => `(${Array.from({ length: n }, (_, i) => `(F${i}:equals:${i})`).join('or')})`;
    const ten = parseCriteria(many(10));
    assert.equal(ten.kind === 'group' ? ten.children.length : 0, 10);
    assert.throws(() => parseCriteria(many(11)), (e: unknown) => e instanceof CriteriaError && e.code === 'LIMIT_EXCEEDED' && e.message === 'limit exceeded' && e.details['limit'] === 10);
    assert.doesNotThrow(() => parseCriteria(many(11), { maxConditions: 20 }));
  });

  it('restricts operators per version', () => {
    assert.equal(operatorsForVersion(2), V2_OPERATORS);
    assert.equal(operatorsForVersion(2.1), ALL_OPERATORS);
    assert.equal(operatorsForVersion(3), ALL_OPERATORS);
    const v2 = { allowed: operatorsForVersion(2) };
    assert.doesNotThrow(() => parseCriteria('(A:starts_with:x)', v2));
    for (const op of ['not_equal', 'greater_than', 'between', 'in', 'contains', 'ends_with']) {
      assert.throws(() => parseCriteria(`(A:${op}:1,2)`, v2), (e: unknown) => e instanceof CriteriaError && e.details['operator'] === op);
      assert.doesNotThrow(() => parseCriteria(`(A:${op}:1,2)`));
    }
  });
});

describe('matchCriteria', () => {
  const leads = standardModules(new IdGenerator(1))[0]?.fields ?? [];
  const deals = standardModules(new IdGenerator(1))[3]?.fields ?? [];
  const lead = {
    id: '3000000000000100001',
    Last_Name: 'Burns,B',
    First_Name: 'Martha',
    Company: 'Acme Storage Inc',
    Email: 'Martha@Acme.example',
    Phone: '+1 (555) 314-4948',
    No_of_Employees: 250,
    Annual_Revenue: 1500.5,
    Email_Opt_Out: false,
    Lead_Status: 'Contacted',
    Owner: { name: 'Patricia Boyle', id: '3000000000000000042', email: 'admin@emulator.zoho.local' },
    Created_Time: '2024-03-10T10:00:00+05:30',
    Secondary_Email: null,
  };
  const deal = { Deal_Name: 'Big', Closing_Date: '2024-06-30', Amount: 1000, Stage: 'Closed Won', Account_Name: { name: 'Zylker', id: '3000000000000100007' } };
  const cases: [string, boolean][] = [
    ['(Last_Name:equals:Burns\\,B)', true],
    ['(Last_Name:equals:burns\\,b)', true],
    ['(Last_Name:equals:Burns)', false],
    ['(First_Name:equals:Anna,Martha)', true],
    ['(First_Name:starts_with:mar)', true],
    ['(First_Name:starts_with:art)', false],
    ['(Company:contains:storage)', true],
    ['(Company:not_contains:storage)', false],
    ['(Company:ends_with:INC)', true],
    ['(Company:not_equal:Acme)', true],
    ['(Owner:equals:Patricia Boyle)', true],
    ['(Owner:equals:3000000000000000042)', true],
    ['(Owner:equals:Sam Rivera)', false],
    ['(No_of_Employees:greater_than:99)', true],
    ['(No_of_Employees:greater_than:250)', false],
    ['(No_of_Employees:greater_equal:250)', true],
    ['(No_of_Employees:less_than:1000)', true],
    ['(No_of_Employees:between:100,300)', true],
    ['(No_of_Employees:in:1,2,250)', true],
    ['(No_of_Employees:equals:250.0)', true],
    ['(Annual_Revenue:less_equal:1500.5)', true],
    ['(Email_Opt_Out:equals:false)', true],
    ['(Email_Opt_Out:equals:true)', false],
    ['(Created_Time:greater_than:2024-03-10T04:00:00Z)', true],
    ['(Created_Time:less_than:2024-03-10T04:40:00+00:00)', true],
    ['(Created_Time:equals:2024-03-10T04:30:00Z)', true],
    ['(Secondary_Email:equals:x@y.z)', false],
    ['(id:equals:3000000000000100001)', true],
    ['((Last_Name:equals:Nope)or(Lead_Status:equals:contacted))', true],
    ['((Last_Name:equals:Nope)and(Lead_Status:equals:contacted))', false],
    ['((First_Name:starts_with:M)and((Company:equals:x)or(Email:equals:martha@acme.example)))', true],
  ];
  for (const [text, expected] of cases) {
    it(`${text} → ${expected}`, () => assert.equal(matchCriteria(parseCriteria(text), lead, leads), expected));
  }

  it('compares dates, currency and lookups on Deals', () => {
    const m = (t: string): boolean => matchCriteria(parseCriteria(t), deal, deals);
    assert.equal(m('(Closing_Date:greater_than:2024-06-01)'), true);
    assert.equal(m('(Closing_Date:between:2024-01-01,2024-06-29)'), false);
    assert.equal(m('(Amount:greater_than:999.99)'), true);
    assert.equal(m('(Account_Name:equals:zylker)'), true);
    assert.equal(m('(Account_Name:equals:3000000000000100007)'), true);
    assert.equal(m('(Stage:starts_with:Closed)'), true);
  });

  it('throws INVALID_QUERY {api_name} for an unknown field', () => {
    const node = parseCriteria('((Last_Name:equals:x)or(Nope:equals:1))');
    for (const run of [() => matchCriteria(node, { Last_Name: 'y' }, leads), () => validateCriteriaFields(node, leads)]) {
      assert.throws(run, (e: unknown) => e instanceof CriteriaError && e.code === 'INVALID_QUERY' && e.details['api_name'] === 'Nope');
    }
    assert.doesNotThrow(() => validateCriteriaFields(parseCriteria('((Last_Name:equals:x)or(id:equals:1))'), leads));
  });

  it('matches email, phone and word shortcuts', () => {
    assert.equal(matchesEmail(lead, leads, 'martha@acme.EXAMPLE'), true);
    assert.equal(matchesEmail(lead, leads, 'martha@acme'), false);
    assert.equal(matchesEmail(lead, leads, ''), false);
    assert.equal(matchesPhone(lead, leads, '15553144948'), true);
    assert.equal(matchesPhone(lead, leads, '555.314.4948'), true);
    assert.equal(matchesPhone(lead, leads, '4948'), false);
    assert.equal(matchesPhone(lead, leads, '(555) 000-0000'), false);
    assert.equal(matchesWord(lead, leads, 'storage'), true);
    assert.equal(matchesWord(lead, leads, 'CONTACTED'), true);
    assert.equal(matchesWord(lead, leads, 'patricia'), false);
    assert.equal(matchesWord(deal, deals, 'zylk'), true);
    assert.equal(matchesWord(lead, leads, 'nothing-like-this'), false);
  });
});
