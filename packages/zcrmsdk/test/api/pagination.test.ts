import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { listPages, nextListQuery, Page, PagePromise } from '../../src/api/pagination.js';
import { crmRequests, setup, type Setup } from './helpers.js';

describe('nextListQuery: which cursor the next page needs', () => {
  const more = { more_records: true, per_page: 200, next_page_token: 'tok' };
  const cases: [string, string, Record<string, string | number>, Record<string, unknown>, Record<string, unknown> | undefined][] = [
    ['last page', 'v8', { fields: 'a' }, { more_records: false, page: 3 }, undefined],
    ['v8 within 2,000', 'v8', { fields: 'a' }, { ...more, page: 9 }, { fields: 'a', page: 10 }],
    ['v8 past 2,000', 'v8', { fields: 'a', page: 10 }, { ...more, page: 10 }, { fields: 'a', page_token: 'tok' }],
    ['v8 stays on tokens', 'v8', { page_token: 'old', per_page: 200 }, { ...more, page: 12 }, { per_page: 200, page_token: 'tok' }],
    ['v8 small pages', 'v8', { per_page: 50 }, { ...more, per_page: 50, page: 39 }, { per_page: 50, page: 40 }],
    ['v8 small pages past 2,000', 'v8', { per_page: 50 }, { ...more, per_page: 50, page: 40 }, { per_page: 50, page_token: 'tok' }],
    ['v2 keeps page', 'v2', {}, { more_records: true, per_page: 200, page: 10 }, { page: 11 }],
  ];
  for (const [name, version, query, info, expected] of cases) {
    it(name, () => assert.deepEqual(nextListQuery(version, query, info), expected));
  }
  it('throws a clear error when v8 needs a token Zoho did not send', () => {
    assert.throws(() => nextListQuery('v8', {}, { more_records: true, page: 10, per_page: 200 }), /next_page_token/);
  });
});

describe('PagePromise', () => {
  it('is a Promise, lazy until awaited or iterated, and iterates every page', async () => {
    let loads = 0;
    const page3 = new Page([5], {}, undefined);
    const page2 = new Page([3, 4], {}, async () => page3);
    const pp = new PagePromise(async () => {
      loads += 1;
      return new Page([1, 2], { more_records: true }, async () => page2);
    });
    assert.ok(pp instanceof Promise);
    assert.equal(loads, 0);
    const first = await pp;
    assert.deepEqual(first.data, [1, 2]);
    const seen: number[] = [];
    for await (const n of pp) seen.push(n);
    assert.deepEqual(seen, [1, 2, 3, 4, 5]);
    assert.equal(loads, 1, 'the first page is loaded once, however it is consumed');
    assert.equal(await page3.nextPage(), null);
    assert.equal(page3.hasNextPage(), false);
  });

  it('passes a rejection to await and to for-await', async () => {
    const pp = new PagePromise<number>(async () => {
      throw new Error('boom');
    });
    await assert.rejects(pp, /boom/);
    await assert.rejects(async () => {
      for await (const _ of pp) assert.fail('no rows');
    }, /boom/);
  });
});

for (const version of ['v2', 'v8']) {
  describe(`listPages over the emulator (${version})`, () => {
    let s: Setup;
    before(async () => {
      s = await setup(version, { emptyModules: true });
      s.emu.crm.generate('Leads', 2150);
    });
    after(() => s.close());

    it('walks 2,150 records, switching to page_token past 2,000 on v3+', async () => {
      s.emu.clearRequests();
      const ids = new Set<string>();
      const pp = listPages<{ id: string }>(s.crm, { path: ['Leads'], query: { fields: 'Last_Name', per_page: 200 } });
      for await (const r of pp) ids.add(r.id);
      assert.equal(ids.size, 2150);
      const calls = crmRequests(s.emu, 'GET', '/Leads');
      assert.equal(calls.length, 11);
      const withToken = calls.filter((c) => c.query['page_token'] !== undefined);
      assert.equal(withToken.length, version === 'v8' ? 1 : 0);
      assert.deepEqual(
        calls.slice(0, 10).map((c) => c.query['page']),
        ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'].map((p, i) => (i === 0 ? undefined : p)),
      );
    });
  });
}
