/** The CSV writer's formula neutralising (issue 17 item 7): off by default (bulk.write sends values to Zoho as they are), on with csvLineWith. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { DEFAULT_NEUTRALISE_FORMULAS, csvLine, csvLineWith } from '../../src/index.js';

const risky = ['=1+2', '+cmd', '-2+3', '@SUM(A1)', '\tx', '\rx'];

it('csvLine writes cells as they are by default (DEFAULT_NEUTRALISE_FORMULAS is false)', () => {
  assert.equal(DEFAULT_NEUTRALISE_FORMULAS, false);
  assert.equal(csvLine(['=1+2', '@x']), '=1+2,@x\n');
  assert.equal(csvLineWith({})(['=1+2']), '=1+2\n');
});

it('csvLineWith({ neutraliseFormulas: true }) prefixes a quote to every cell a spreadsheet would run, not to numbers or safe text', () => {
  const line = csvLineWith({ neutraliseFormulas: true });
  assert.equal(line(risky), `'=1+2,'+cmd,'-2+3,'@SUM(A1),'\tx,"'\rx"\n`);
  assert.equal(line([-5, 12n, 'a=b', 'Doe, Jr.', null, { id: '-1' }]), `-5,12,a=b,"Doe, Jr.",,'-1\n`);
  assert.equal(csvLineWith({ neutraliseFormulas: false })(risky), csvLine(risky));
});
