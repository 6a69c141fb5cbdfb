import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { after, before, describe, it } from 'node:test';
import { AbortedError, BulkReadJob, InvalidInputError, ZipFormatError, bulkPollDelays } from '../../src/index.js';
import { unzip } from '../../../../test-support/zip.js';
import { startModern, type ModernSetup } from '../helpers/modern.js';

for (const version of ['v2', 'v8']) {
  describe(`crm.bulk on ${version}`, () => {
    let setup: ModernSetup;
    let dir: string;
    before(async () => {
      setup = await startModern(version, { emulator: { emptyModules: true } });
      const rows = Array.from({ length: 250 }, (_, i) => ({ Last_Name: `Bulk ${i}`, Company: i % 2 ? 'Odd, Inc' : 'Even "Co"', Lead_Source: i % 5 === 0 ? 'Web Download' : 'Cold Call' }));
      for (let i = 0; i < rows.length; i += 100) setup.emu.crm.insert('Leads', rows.slice(i, i + 100));
      dir = await mkdtemp(join(tmpdir(), `zcrmsdk-bulk-${process.pid}-`));
    });
    after(async () => {
      await setup.close();
      await rm(dir, { recursive: true, force: true });
    });

    it('read: creates a job, waits for COMPLETED, streams the zipped CSV as rows', async () => {
      setup.emu.clearRequests();
      const job = await setup.crm.bulk.read({ module: 'Leads', fields: ['Last_Name', 'Company'] });
      assert.ok(job instanceof BulkReadJob);
      assert.match(job.id, /^\d+$/);
      assert.equal(job.state, 'ADDED');
      const created = setup.emu.requests[0];
      assert.equal(created?.path, `/crm/bulk/${version}/read`);
      const sent = JSON.parse(String(created?.body)) as { query: Record<string, unknown> };
      assert.deepEqual(sent.query['module'], version === 'v2' ? 'Leads' : { api_name: 'Leads' });
      await job.wait({ intervalMs: 10 });
      assert.equal(job.state, 'COMPLETED');
      assert.equal(job.resultInfo?.count, 250);
      const rows: Record<string, string>[] = [];
      for await (const row of job.result()) rows.push(row);
      assert.equal(rows.length, 250);
      assert.deepEqual(Object.keys(rows[0] ?? {}), ['Id', 'Last_Name', 'Company']);
      assert.equal(rows[1]?.['Company'], 'Odd, Inc');
      assert.equal(rows[0]?.['Company'], 'Even "Co"');
      assert.deepEqual(setup.emu.requests.map((r) => `${r.method} ${r.path}`), [
        `POST /crm/bulk/${version}/read`,
        `GET /crm/bulk/${version}/read/${job.id}`,
        `GET /crm/bulk/${version}/read/${job.id}/result`,
      ]);
      assert.equal(await job.nextPage(), null);
    });

    it('read with criteria in the version\'s shape; result() waits by itself; csv() gives the bytes', async () => {
      setup.emu.clearRequests();
      const job = await setup.crm.bulk.read({
        module: 'Leads',
        fields: ['Last_Name', 'Lead_Source'],
        criteria: { group_operator: 'and', group: [{ field: 'Lead_Source', comparator: 'equal', value: 'Web Download' }] },
      });
      const sent = JSON.parse(String(setup.emu.requests[0]?.body)) as { query: { criteria: { group: Record<string, unknown>[] } } };
      assert.deepEqual(sent.query.criteria.group[0], version === 'v2' ? { api_name: 'Lead_Source', comparator: 'equal', value: 'Web Download' } : { field: { api_name: 'Lead_Source' }, comparator: 'equal', value: 'Web Download' });
      let count = 0;
      for await (const row of job.result({ intervalMs: 10 })) {
        assert.equal((row as Record<string, string>)['Lead_Source'], 'Web Download');
        count++;
      }
      assert.equal(count, 50);
      const again = await setup.crm.bulk.readJob(job.id);
      assert.equal(again.state, 'COMPLETED');
      const csv = await text(again.csv());
      assert.match(csv, /^Id,Last_Name,Lead_Source\n/);
      assert.equal(csv.trim().split('\n').length, 51);
      // maxResultBytes bounds the unzipped result: a 100-byte cap ends the read with a typed error.
      await assert.rejects(text(again.csv({ maxResultBytes: 100 })), (error: unknown) => error instanceof ZipFormatError && /over the 100-byte limit \(raise maxResultBytes/.test(error.message));
    });

    it('write: uploads rows zipped with the bulk-write headers, creates the job, waits, streams the per-row result', async () => {
      setup.emu.clearRequests();
      const rows = [
        { Last_Name: 'Imported 1', Company: 'Acme', Email: 'i1@example.com' },
        { Last_Name: 'Imported, 2', Company: 'Acme "Two"', Email: 'i2@example.com' },
        { Last_Name: '', Company: 'No name', Email: 'i3@example.com' },
      ];
      const job = await setup.crm.bulk.write({ module: 'Leads', operation: 'insert', rows });
      assert.match(job.id, /^\d+$/);
      assert.match(job.fileId, /^\d+$/);
      const upload = setup.emu.requests.find((r) => r.path === `/crm/${version}/upload`);
      assert.ok(upload, setup.emu.requests.map((r) => r.path).join(', '));
      assert.equal(upload.headers['feature'], 'bulk-write');
      assert.equal(upload.headers['x-crm-org'], String(setup.emu.crm.seedData.org['zgid'] ?? setup.emu.crm.seedData.org['id']));
      const zipBytes = setup.emu.crm.uploads.get(job.fileId)?.data as Buffer;
      assert.deepEqual(unzip(zipBytes)?.map((e) => e.name), ['Leads.csv']);
      const created = setup.emu.requests.find((r) => r.path === `/crm/bulk/${version}/write`);
      const body = JSON.parse(String(created?.body)) as { operation: string; resource: Record<string, unknown>[] };
      assert.equal(body.operation, 'insert');
      assert.equal(body.resource[0]?.['file_id'], job.fileId);
      await job.wait({ intervalMs: 10 });
      assert.equal(job.state, 'COMPLETED');
      assert.equal(job.counts?.['added_count'], 2);
      assert.equal(job.counts?.['skipped_count'], 1);
      const results: Record<string, string>[] = [];
      for await (const r of job.result()) results.push(r as Record<string, string>);
      assert.deepEqual(results.map((r) => [r['Last_Name'], r['STATUS']]), [['Imported 1', 'ADDED'], ['Imported, 2', 'ADDED'], ['', 'SKIPPED']]);
      const stored = [...(setup.emu.crm.store('Leads')?.records.values() ?? [])].find((r) => r['Email'] === 'i2@example.com');
      assert.equal(stored?.['Company'], 'Acme "Two"');
      assert.equal(stored?.['id'], results[1]?.['RECORD_ID']);
    });

    it('write: upserts from a CSV file path (zipped on the fly), finding records by Email', async () => {
      const path = join(dir, 'leads.csv');
      await writeFile(path, 'Last_Name,Company,Email\r\nUpdated One,Acme,i1@example.com\r\nBrand New,Acme,new@example.com\r\n');
      const job = await setup.crm.bulk.write({ module: 'Leads', operation: 'upsert', find_by: 'Email', file: { path } });
      await job.wait({ intervalMs: 10 });
      assert.equal(job.counts?.['updated_count'], 1);
      assert.equal(job.counts?.['added_count'], 1);
      const records = [...(setup.emu.crm.store('Leads')?.records.values() ?? [])];
      assert.equal(records.find((r) => r['Email'] === 'i1@example.com')?.['Last_Name'], 'Updated One');
    });

    it('bad input is refused before any request is sent', async () => {
      setup.emu.clearRequests();
      await assert.rejects(setup.crm.bulk.read({ module: 'Leads/..' }), InvalidInputError);
      await assert.rejects(setup.crm.bulk.read({ module: 'Leads', fields: 'Last_Name' as unknown as string[] }), /list of field API names/);
      await assert.rejects(setup.crm.bulk.read({ module: 'Leads', page: 0 }), /page must be/);
      await assert.rejects(setup.crm.bulk.read({ module: 'Leads', criteria: { comparator: 'equal', value: 'x' } }), /need a field/);
      await assert.rejects(setup.crm.bulk.write({ module: 'Leads', operation: 'update', rows: [{ Last_Name: 'x' }] }), /needs find_by/);
      await assert.rejects(setup.crm.bulk.write({ module: 'Leads', operation: 'insert' }), /exactly one of rows/);
      await assert.rejects(setup.crm.bulk.write({ module: 'Leads', operation: 'delete' as 'insert', rows: [] }), /operation must be/);
      await assert.rejects(setup.crm.bulk.readJob('1/2'), InvalidInputError);
      assert.equal(setup.emu.requests.length, 0);
    });

    it('wait() stops when the caller aborts', async () => {
      const job = await setup.crm.bulk.read({ module: 'Leads' });
      const controller = new AbortController();
      controller.abort();
      await assert.rejects(job.wait({ signal: controller.signal }), AbortedError);
    });
  });
}

describe('bulk poll backoff', () => {
  it('grows 1.5x from the first interval up to the cap', () => {
    const take = (n: number, it: Iterator<number>): number[] => Array.from({ length: n }, () => it.next().value as number);
    assert.deepEqual(take(6, bulkPollDelays(1000, 5000)), [1000, 1500, 2250, 3375, 5000, 5000]);
    assert.deepEqual(take(3, bulkPollDelays()), [1000, 1500, 2250]);
  });
});
