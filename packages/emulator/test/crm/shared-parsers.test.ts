import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { call, makeState } from './helpers.js';

// Route-level regressions for search and COQL since they run on the shared criteria/COQL engines.
describe('search and COQL routes on the shared engines', () => {
  it('v2 allows only equals/starts_with; v2.1+ allows the comparison operators', async () => {
    const s = makeState({ emptyModules: true });
    s.insert('Leads', [{ Last_Name: 'Smithers', Company: 'Acme' }, { Last_Name: 'Jones', Company: 'Acme' }]);
    const v2 = await call(s, 'GET', '/crm/v2/Leads/search?criteria=(Last_Name:contains:mith)');
    assert.equal(v2.status, 400);
    assert.equal(v2.data.code, 'INVALID_QUERY');
    const v21 = await call(s, 'GET', '/crm/v2.1/Leads/search?criteria=(Last_Name:contains:mith)');
    assert.equal(v21.status, 200);
    assert.deepEqual(v21.data.data.map((r: { Last_Name: string }) => r.Last_Name), ['Smithers']);
  });

  it('more than 10 conditions is LIMIT_EXCEEDED; an unknown field is INVALID_QUERY naming it', async () => {
    const s = makeState({ emptyModules: true });
    s.insert('Leads', [{ Last_Name: 'A', Company: 'B' }]);
    const conds = Array.from({ length: 11 }, (_, i) => `(Last_Name:equals:x${i})`).join('or');
    const many = await call(s, 'GET', `/crm/v2/Leads/search?criteria=(${encodeURIComponent(conds)})`);
    assert.equal(many.status, 400);
    assert.equal(many.data.code, 'LIMIT_EXCEEDED');
    const unknown = await call(s, 'GET', '/crm/v2/Leads/search?criteria=(No_Such_Field:equals:x)');
    assert.equal(unknown.data.code, 'INVALID_QUERY');
    assert.equal(unknown.data.details.api_name, 'No_Such_Field');
  });

  it('COQL joins a lookup and reports unknown columns and modules with Zoho codes', async () => {
    const s = makeState({ emptyModules: true });
    const [acme] = s.insert('Accounts', [{ Account_Name: 'Acme Corp' }]);
    s.insert('Contacts', [{ Last_Name: 'Lee', Account_Name: { id: String(acme?.id) } }, { Last_Name: 'Solo' }]);
    const joined = await call(s, 'POST', '/crm/v2/coql', {
      body: { select_query: "select Last_Name, Account_Name.Account_Name from Contacts where Account_Name.Account_Name = 'Acme Corp'" },
    });
    assert.equal(joined.status, 200);
    assert.deepEqual(joined.data.data.map((r: { Last_Name: string }) => r.Last_Name), ['Lee']);
    const badColumn = await call(s, 'POST', '/crm/v2/coql', { body: { select_query: 'select Nope from Contacts' } });
    assert.equal(badColumn.data.code, 'INVALID_QUERY');
    const badModule = await call(s, 'POST', '/crm/v2/coql', { body: { select_query: 'select Last_Name from Nowhere' } });
    assert.equal(badModule.data.code, 'INVALID_MODULE');
  });
});
