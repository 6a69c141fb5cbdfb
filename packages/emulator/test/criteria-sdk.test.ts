import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Criteria, criteria, escapeCriteriaValue, InvalidInputError } from 'zcrmsdk';
import { parseCriteria, type CriteriaNode } from '../src/criteria.js';

/** What the emulator's parser (Zoho's grammar) reads back from a criteria string. */
function conditions(node: CriteriaNode): { field: string; operator: string; values: string[] }[] {
  return node.kind === 'cond' ? [{ field: node.field, operator: node.operator, values: node.values }] : node.children.flatMap(conditions);
}

const field = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,20}$/);
// Values stress exactly what escaping is for: ( ) , \ and : among ordinary text and spaces.
const value = fc.string({ unit: fc.constantFrom('a', 'Z', '0', ' ', '(', ')', ',', '\\', ':', '&', '+', '%', 'é', '"', "'"), maxLength: 30 });

describe('criteria builder', () => {
  it('escapes ( ) , \\ so any value round-trips through the criteria parser', () => {
    fc.assert(
      fc.property(field, value, (f, v) => {
        const parsed = conditions(parseCriteria(criteria.equals(f, v).text));
        assert.deepEqual(parsed, [{ field: f, operator: 'equals', values: [v] }]);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps several values apart (in / between) and nests and/or groups', () => {
    fc.assert(
      fc.property(field, fc.array(value, { minLength: 1, maxLength: 5 }), field, value, value, (f1, vs, f2, lo, hi) => {
        const c = criteria.or(criteria.in(f1, vs), criteria.and(criteria.between(f2, lo, hi), criteria.startsWith(f2, lo)));
        const node = parseCriteria(c.text);
        assert.equal(node.kind, 'group');
        assert.deepEqual(conditions(node), [
          { field: f1, operator: 'in', values: vs },
          { field: f2, operator: 'between', values: [lo, hi] },
          { field: f2, operator: 'starts_with', values: [lo] },
        ]);
        assert.equal(c.conditions, 3);
      }),
      { numRuns: 300 },
    );
  });

  it('writes the strings Zoho documents', () => {
    assert.equal(criteria.equals('Last_Name', 'Burns,B').text, '(Last_Name:equals:Burns\\,B)');
    assert.equal(String(criteria.equals('Last_Name', 'Patricia(Boyle)')), '(Last_Name:equals:Patricia\\(Boyle\\))');
    assert.equal(
      criteria.equals('Last_Name', 'Burns').and(criteria.startsWith('First_Name', 'M')).text,
      '((Last_Name:equals:Burns)and(First_Name:starts_with:M))',
    );
    assert.equal(criteria.greaterThan('Created_Time', new Date(Date.UTC(2024, 0, 15, 10, 30))).text, '(Created_Time:greater_than:2024-01-15T10:30:00+00:00)');
    assert.equal(escapeCriteriaValue('a\\b'), 'a\\\\b');
  });

  it('refuses bad fields, operators and too many conditions with InvalidInputError', () => {
    assert.throws(() => criteria.equals('Last_Name)or(x', 'y'), InvalidInputError);
    assert.throws(() => Criteria.where('Last_Name', 'like' as never, 'y'), /not one of Zoho's/);
    assert.throws(() => criteria.in('Last_Name', []), /at least one value/);
    const eleven = Array.from({ length: 11 }, (_, i) => criteria.equals('Last_Name', String(i)));
    assert.throws(() => criteria.or(...eleven), /at most 10/);
    assert.equal(criteria.or(...eleven.slice(0, 10)).conditions, 10);
  });
});
