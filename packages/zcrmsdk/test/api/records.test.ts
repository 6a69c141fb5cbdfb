import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { criteria, InvalidInputError, NotFoundError, PartialWriteError, ServerError, type ZohoRecord } from '../../src/public-api.js';
import { crmRequests, setup, signIn, type Setup } from './helpers.js';

interface Lead {
  id?: string;
  Last_Name: string;
  Company: string;
  Email?: string | null;
  City?: string | null;
  Annual_Revenue?: number | null;
}

const FIELDS = ['Last_Name', 'Company', 'Email'] as const;

for (const version of ['v2', 'v8']) {
  describe(`records over the emulator (${version})`, () => {
    let s: Setup;
    before(async () => {
      s = await setup(version, { emptyModules: true });
    });
    after(() => s.close());

    it('iterates 2,500 records across the 2,000-record cap, one page at a time', async () => {
      s.emu.crm.generate('Contacts', 2500);
      s.emu.clearRequests();
      const leads = s.crm.records('Contacts');
      const first = await leads.list({ fields: ['Last_Name'] });
      assert.equal(first.data.length, 200);
      assert.equal(first.hasNextPage(), true);
      const ids = new Set<string>();
      let max = 0;
      for await (const page of leads.list({ fields: ['Last_Name'] }).pages()) {
        max = Math.max(max, page.data.length);
        for (const r of page.data) ids.add(r.id);
      }
      assert.equal(ids.size, 2500);
      assert.equal(max, 200);
      const calls = crmRequests(s.emu, 'GET', '/Contacts');
      assert.equal(calls.length, 1 + 13);
      const tokens = calls.filter((c) => c.query['page_token'] !== undefined).length;
      assert.equal(tokens, version === 'v8' ? 3 : 0, 'v8 switches to page_token past 2,000 records, v2 keeps page');
    });

    it('creates 250 records with 3 bad ones: 247 ids and 3 per-record errors, in order, in 3 requests', async () => {
      const bad = new Set([3, 150, 249]);
      const input: Partial<Lead>[] = Array.from({ length: 250 }, (_, i) => (bad.has(i) ? { Company: `Co ${i}` } : { Last_Name: `Lead ${i}`, Company: `Co ${i}` }));
      s.emu.clearRequests();
      const results = await s.crm.records<Lead>('Leads').create(input);
      assert.equal(results.length, 250);
      results.forEach((r, i) => {
        if (bad.has(i)) {
          assert.equal(r.status, 'error', `record ${i}`);
          assert.equal(r.code, 'MANDATORY_NOT_FOUND');
          assert.equal(r.details['api_name'], 'Last_Name');
          // v3+ json_path points into the caller's input (record 150 is $.data[150]), not into its chunk of 100.
          if (version !== 'v2') assert.equal(r.details['json_path'], `$.data[${i}].Last_Name`, `record ${i}`);
          assert.equal(r.id, undefined);
        } else {
          assert.equal(r.status, 'success', `record ${i}`);
          assert.match(r.id ?? '', /^\d+$/);
        }
      });
      assert.equal(results.filter((r) => r.status === 'success').length, 247);
      const posts = crmRequests(s.emu, 'POST', '/Leads');
      assert.deepEqual(posts.map((p) => (JSON.parse(String(p.body)) as { data: unknown[] }).data.length), [100, 100, 50]);
      // The stored records are the inputs, in order.
      const stored = s.emu.crm.records('Leads');
      assert.equal(stored.length, 247);
      const byId = new Map(stored.map((r) => [r['id'], r]));
      results.forEach((r, i) => {
        if (r.id !== undefined) assert.equal(byId.get(r.id)?.['Last_Name'], `Lead ${i}`);
      });
    });

    it('an all-failing chunk is results, not a throw', async () => {
      const results = await s.crm.records<Lead>('Leads').create([{ Company: 'x' }, { Company: 'y' }]);
      assert.deepEqual(results.map((r) => r.code), ['MANDATORY_NOT_FOUND', 'MANDATORY_NOT_FOUND']);
    });

    it('get, update, upsert, delete and deleted()', async () => {
      const leads = s.crm.records<Lead>('Leads');
      const [created] = await leads.create([{ Last_Name: 'Burns', Company: 'Acme', Email: `burns-${version}@acme.test` }]);
      const id = created?.id ?? assert.fail('no id');
      const got = await leads.get(id, { fields: ['Last_Name', 'Email'] });
      assert.equal(got.Last_Name, 'Burns');
      assert.equal(got.id, id);

      const updated = await leads.update([{ id, City: 'Springfield' }, { id: '999999999999', City: 'x' }]);
      assert.deepEqual(updated.map((r) => r.status), ['success', 'error']);
      assert.equal(updated[1]?.code, 'INVALID_DATA');
      assert.equal((await leads.get(id)).City, 'Springfield');

      s.emu.clearRequests();
      const upserted = await leads.upsert(
        [
          { Last_Name: 'Burns II', Company: 'Acme', Email: `burns-${version}@acme.test` },
          { Last_Name: 'New', Company: 'Acme', Email: `new-${version}@acme.test` },
        ],
        { duplicateCheckFields: ['Email'], trigger: [] },
      );
      assert.deepEqual(upserted.map((r) => r.action), ['update', 'insert']);
      assert.equal(upserted[0]?.id, id);
      const body = JSON.parse(String(crmRequests(s.emu, 'POST', '/Leads/upsert')[0]?.body)) as Record<string, unknown>;
      assert.deepEqual(body['duplicate_check_fields'], ['Email']);
      assert.deepEqual(body['trigger'], []);

      const deleted = await leads.delete([id, '999999999999']);
      assert.deepEqual(deleted.map((r) => r.status), ['success', 'error']);
      assert.equal(deleted[0]?.id, id);
      await assert.rejects(leads.get(id), (e: unknown) => e instanceof NotFoundError && e.code === 'RECORD_NOT_FOUND' && /Leads record has id/.test(e.message));

      const bin = await leads.deleted({ type: 'recycle' });
      assert.ok(bin.data.some((d) => d.id === id));
    });

    it('deletes 230 ids in 3 requests of at most 100', async () => {
      s.emu.crm.generate('Accounts', 230);
      const ids = s.emu.crm.records('Accounts').map((r) => String(r['id']));
      s.emu.clearRequests();
      const results = await s.crm.records('Accounts').delete(ids);
      assert.equal(results.length, 230);
      assert.ok(results.every((r, i) => r.status === 'success' && r.id === ids[i]));
      assert.deepEqual(crmRequests(s.emu, 'DELETE', '/Accounts').map((r) => r.query['ids']?.split(',').length), [100, 100, 30]);
    });

    it('searches by criteria (escaped values), email and word, paging through all matches', async () => {
      const leads = s.crm.records<Lead>('Leads');
      await leads.create([
        { Last_Name: 'Smith, Jr. (II)', Company: 'Search Co', Email: `smith-${version}@search.test` },
        ...Array.from({ length: 230 }, (_, i) => ({ Last_Name: `Searchable ${i}`, Company: 'Search Co' })),
      ]);
      const exact = await leads.search({ criteria: criteria.equals('Last_Name', 'Smith, Jr. (II)') });
      assert.deepEqual(exact.data.map((r) => r.Last_Name), ['Smith, Jr. (II)']);
      const byEmail = await leads.search({ email: `smith-${version}@search.test` });
      assert.equal(byEmail.data.length, 1);
      s.emu.clearRequests();
      let n = 0;
      for await (const r of leads.search({ criteria: criteria.startsWith('Last_Name', 'Searchable'), per_page: 100 })) {
        assert.match(r.Last_Name, /^Searchable/);
        n += 1;
      }
      assert.equal(n, 230);
      const calls = crmRequests(s.emu, 'GET', '/Leads/search');
      assert.deepEqual(calls.map((c) => c.query['page'] ?? '1'), ['1', '2', '3']);
      assert.equal(calls[0]?.query['criteria'], '(Last_Name:starts_with:Searchable)');
      const none = await leads.search({ word: 'no-such-word-anywhere' });
      assert.deepEqual(none.data, []);
      assert.equal(none.hasNextPage(), false);
    });

    it('COQL pages with LIMIT/OFFSET within the version limit', async () => {
      s.emu.clearRequests();
      const rows: ZohoRecord[] = [];
      for await (const row of s.crm.coql("select Last_Name from Leads where Company = 'Search Co'", { pageSize: 100 })) rows.push(row);
      assert.equal(rows.length, 231);
      const queries = crmRequests(s.emu, 'POST', '/coql').map((r) => (JSON.parse(String(r.body)) as { select_query: string }).select_query);
      assert.deepEqual(queries.map((q) => q.replace(/^.* limit /, '')), ['0, 100', '100, 100', '200, 100']);
      const limited = await s.crm.coql("select Last_Name from Leads where Company = 'Search Co' limit 5 offset 10");
      assert.equal(limited.data.length, 5);
      assert.equal(limited.hasNextPage(), false);
      s.emu.clearRequests();
      let all = 0;
      for await (const _ of s.crm.coql('select Last_Name from Contacts where Last_Name is not null')) all += 1;
      assert.equal(all, 2500);
      assert.equal(crmRequests(s.emu, 'POST', '/coql').length, version === 'v8' ? 2 : 13, 'v8 reads 2,000 rows a call, v2 200');
    });

    it('refreshes the token when it expires in the middle of an iteration', async () => {
      s.emu.clearRequests();
      let n = 0;
      for await (const _ of s.crm.records('Contacts').list({ fields: ['Last_Name'] })) {
        n += 1;
        if (n === 300) s.emu.expireAccessTokens();
      }
      assert.equal(n, 2500);
      const statuses = crmRequests(s.emu, 'GET', '/Contacts');
      assert.equal(statuses.length, 14, 'one replayed page on top of the 13');
      assert.ok(s.emu.tokenRequests.some((r) => String(r.body).includes('refresh_token') || r.rawQuery.includes('refresh_token')));
    });

    it('refuses bad input with InvalidInputError before any request', async () => {
      const leads = s.crm.records('Leads');
      s.emu.clearRequests();
      assert.throws(() => s.crm.records('Leads/../x'), InvalidInputError);
      await assert.rejects(leads.get('12 OR 1'), InvalidInputError);
      await assert.rejects(leads.delete(['1,2']), InvalidInputError);
      await assert.rejects(leads.search({} as never), /exactly one of 'criteria', 'email', 'phone' or 'word'/);
      await assert.rejects(leads.list({ fields: ['Last_Name'], per_page: 500 }), /per_page/);
      if (version === 'v8') await assert.rejects(leads.list(), /needs the 'fields' option/);
      await assert.rejects(s.crm.coql('delete from Leads'), /takes a COQL select/);
      assert.equal(s.emu.requests.filter((r) => r.path.startsWith('/crm/')).length, 0);
    });
  });
}

describe('two users in one process', () => {
  let s: Setup;
  before(async () => {
    s = await setup('v8', { emptyModules: true });
  });
  after(() => s.close());

  it('each client writes as its own user and never crosses tokens', async () => {
    const users = s.emu.crm.users();
    const other = users.find((u) => u['id'] !== s.emu.crm.currentUserId && u['status'] === 'active') ?? assert.fail('a second user');
    const crm2 = await signIn(s.emu, 'v8', {}, String(other['id']));
    try {
      s.emu.clearRequests();
      const [a, b] = await Promise.all([
        s.crm.records<Lead>('Leads').create([{ Last_Name: 'By admin', Company: 'A' }]),
        crm2.records<Lead>('Leads').create([{ Last_Name: 'By other', Company: 'B' }]),
      ]);
      const stored = new Map(s.emu.crm.records('Leads').map((r) => [r['id'], r]));
      const createdBy = (id: string | undefined) => (stored.get(id)?.['Created_By'] as { id: string } | undefined)?.id;
      assert.equal(createdBy(a[0]?.id), s.emu.crm.currentUserId);
      assert.equal(createdBy(b[0]?.id), String(other['id']));
      const auths = new Set(crmRequests(s.emu, 'POST', '/Leads').map((r) => r.headers.authorization));
      assert.equal(auths.size, 2);
    } finally {
      await crm2.close();
    }
  });
});

describe('a write that fails after some chunks', () => {
  let s: Setup;
  before(async () => {
    s = await setup('v8', { emptyModules: true });
  });
  after(() => s.close());

  it('throws PartialWriteError with the results of the chunks written; nothing is written twice', async () => {
    s.emu.setLatency(300);
    s.emu.clearRequests();
    const input = Array.from({ length: 150 }, (_, i) => ({ Last_Name: `P${i}`, Company: 'Co' }));
    const write = s.crm.records('Leads').create(input);
    // Once the first chunk has arrived (faults are taken on arrival), the next POST gets a 500.
    while (crmRequests(s.emu, 'POST', '/Leads').length === 0) await new Promise((r) => setTimeout(r, 5));
    s.emu.failNext({ status: 500, method: 'POST', path: /\/Leads$/ });
    const error = await write.then(
      () => assert.fail('the write should fail'),
      (e: unknown) => e,
    );
    s.emu.setLatency(0);
    assert.ok(error instanceof PartialWriteError);
    assert.equal(error.code, 'PARTIAL_WRITE');
    assert.ok(error.cause instanceof ServerError);
    assert.equal(error.results.length, 100);
    assert.ok(error.results.every((r) => r.status === 'success' && r.id !== undefined));
    assert.match(error.message, /send only records 100-149 again/);
    assert.equal(s.emu.crm.records('Leads').length, 100);
    assert.equal(crmRequests(s.emu, 'POST', '/Leads').length, 2, 'the failed chunk is not retried blindly');
  });
});
