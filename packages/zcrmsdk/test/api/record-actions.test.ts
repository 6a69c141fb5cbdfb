import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { InvalidInputError, NotFoundError } from '../../src/public-api.js';
import { crmRequests, setup, type Setup } from './helpers.js';

const one = async (p: Promise<{ id?: string }[]>): Promise<string> => (await p)[0]?.id ?? assert.fail('no id');

for (const version of ['v2', 'v8']) {
  describe(`related, notes, tags, convert, users, org, functions, mass update (${version})`, () => {
    let s: Setup;
    before(async () => {
      s = await setup(version, { emptyModules: true });
    });
    after(() => s.close());

    it('lists an account\'s contacts and links / unlinks products of a lead', async () => {
      const accountId = await one(s.crm.records('Accounts').create([{ Account_Name: `Acme ${version}` }]));
      await s.crm.records('Contacts').create(Array.from({ length: 3 }, (_, i) => ({ Last_Name: `C${i}`, Account_Name: { id: accountId } })));
      const contacts = s.crm.related('Accounts', accountId, 'Contacts');
      const names: string[] = [];
      for await (const c of contacts.list({ fields: ['Last_Name'] })) names.push(String(c['Last_Name']));
      assert.deepEqual(names.sort(), ['C0', 'C1', 'C2']);

      const leadId = await one(s.crm.records('Leads').create([{ Last_Name: 'L', Company: 'Co' }]));
      const productId = await one(s.crm.records('Products').create([{ Product_Name: 'Widget' }]));
      const products = s.crm.related('Leads', leadId, 'Products');
      const linked = await products.link([{ id: productId }]);
      assert.equal(linked[0]?.status, 'success');
      assert.deepEqual((await products.list({ fields: ['Product_Name'] })).data.map((p) => p.id), [productId]);
      const unlinked = await products.unlink([productId]);
      assert.equal(unlinked[0]?.status, 'success');
      assert.deepEqual((await products.list({ fields: ['Product_Name'] })).data, []);
      if (version === 'v8') await assert.rejects(products.list(), /needs the 'fields' option/);
    });

    it('adds, lists, updates and deletes notes of a record', async () => {
      const leadId = await one(s.crm.records('Leads').create([{ Last_Name: 'Noted', Company: 'Co' }]));
      const notes = s.crm.notes('Leads', leadId);
      const created = await notes.create([{ Note_Title: 'Call', Note_Content: 'Called back' }, { Note_Content: 'Second' }]);
      assert.deepEqual(created.map((r) => r.status), ['success', 'success']);
      const listed = await notes.list();
      assert.deepEqual(listed.data.map((n) => n.Note_Content).sort(), ['Called back', 'Second']);
      const noteId = created[0]?.id ?? assert.fail('note id');
      assert.equal((await notes.update([{ id: noteId, Note_Content: 'Edited' }]))[0]?.status, 'success');
      assert.equal((await notes.delete([noteId]))[0]?.status, 'success');
      assert.equal((await notes.list()).data.length, 1);
      assert.ok((await s.crm.notes().list()).data.some((n) => n.Note_Content === 'Second'), 'all notes, with default fields on v8');
      assert.throws(() => s.crm.notes('Leads'), InvalidInputError);
    });

    it('adds and removes tags, in the query on v2 and in the body on v8', async () => {
      const ids = (await s.crm.records('Leads').create([{ Last_Name: 'T1', Company: 'Co' }, { Last_Name: 'T2', Company: 'Co' }])).map((r) => r.id as string);
      s.emu.clearRequests();
      const added = await s.crm.tags('Leads').add([...ids, '999999999'], ['VIP', 'Hot']);
      assert.deepEqual(added.map((r) => r.status), ['success', 'success', 'error']);
      const sent = crmRequests(s.emu, 'POST', '/Leads/actions/add_tags')[0];
      if (version === 'v2') assert.equal(sent?.query['tag_names'], 'VIP,Hot');
      else {
        assert.deepEqual(JSON.parse(String(sent?.body)), { tags: [{ name: 'VIP' }, { name: 'Hot' }], ids: [...ids, '999999999'] });
        assert.equal(sent?.query['ids'], undefined);
      }
      const tagged = await s.crm.records('Leads').get(ids[0] as string);
      assert.deepEqual((tagged['Tag'] as { name: string }[]).map((t) => t.name), ['VIP', 'Hot']);
      const removed = await s.crm.tags('Leads').remove(ids, ['VIP']);
      assert.ok(removed.every((r) => r.status === 'success'));
      assert.deepEqual(((await s.crm.records('Leads').get(ids[1] as string))['Tag'] as { name: string }[]).map((t) => t.name), ['Hot']);
      await assert.rejects(s.crm.tags('Leads').add(ids, []), InvalidInputError);
    });

    it('converts a lead with the same result shape on every version', async () => {
      const leadId = await one(s.crm.records('Leads').create([{ Last_Name: 'Convert', Company: `Conv Co ${version}` }]));
      const out = await s.crm.convertLead(leadId, { Deals: { Deal_Name: 'New deal', Stage: 'Qualification', Closing_Date: '2030-01-01' } });
      assert.match(out.Contacts ?? '', /^\d+$/);
      assert.match(out.Accounts ?? '', /^\d+$/);
      assert.match(out.Deals ?? '', /^\d+$/);
      assert.equal((await s.crm.records('Contacts').get(out.Contacts as string))['Last_Name'], 'Convert');
      await assert.rejects(s.crm.convertLead(leadId), (e: unknown) => e instanceof Error && 'code' in e && e.code === 'ID_ALREADY_CONVERTED');
    });

    it('reads users, one user and the org', async () => {
      const users = [];
      for await (const u of s.crm.users({ type: 'AllUsers' })) users.push(u);
      assert.ok(users.length >= 2);
      const me = await s.crm.user(s.emu.crm.currentUserId);
      assert.equal(me.id, s.emu.crm.currentUserId);
      await assert.rejects(s.crm.user('1234'), NotFoundError);
      const org = await s.crm.org();
      assert.match(org.id, /^\d+$/);
      assert.equal(typeof org.company_name, 'string');
    });

    it('runs a function with GET and POST', async () => {
      s.emu.registerFunction('echo', (call) => ({ method: call.method, args: call.arguments }));
      const got = await s.crm.functions('echo').get({ a: 1, name: 'x, (y)' });
      assert.deepEqual(got.output, { method: 'GET', args: { a: 1, name: 'x, (y)' } });
      const posted = await s.crm.functions('echo').post({ b: true });
      assert.deepEqual(posted.output, { method: 'POST', args: { b: true } });
      await assert.rejects(s.crm.functions('missing').get(), /missing|invalid/i);
    });

    it('mass-updates records by id and reads the job status', async () => {
      const ids = (await s.crm.records('Leads').create([{ Last_Name: 'M1', Company: 'Co' }, { Last_Name: 'M2', Company: 'Co' }])).map((r) => r.id as string);
      const job = await s.crm.massUpdate('Leads', { ids, data: { Lead_Status: 'Contacted' } });
      assert.match(job.jobId, /^\d+$/);
      const status = await job.status();
      assert.equal(status.Status, 'COMPLETED');
      assert.equal(status.Updated_Count, 2);
      assert.equal((await s.crm.records('Leads').get(ids[0] as string))['Lead_Status'], 'Contacted');
      await assert.rejects(s.crm.massUpdate('Leads', { ids, data: {} }), InvalidInputError);
    });
  });
}
