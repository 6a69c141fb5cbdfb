/** The emulator's CSV (csv-stringify / csv-parse) and ZIP (fflate) helpers for bulk jobs. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { textTable } from '../../../../test-support/csv-arbitraries.js';
import { CsvSyntaxError, readCsv, writeCsv } from '../../src/crm/csv.js';
import { MAX_UNZIPPED_BYTES, unzip, zip } from '../../src/crm/zip.js';
import { call, file, makeState } from './helpers.js';

const SEED = 20261207;

describe("the emulator's CSV", () => {
  it('write -> read gives the same rows', () => {
    fc.assert(
      fc.property(textTable, (rows) => {
        assert.deepEqual(readCsv(writeCsv(rows)), rows);
        assert.deepEqual(readCsv(Buffer.from(writeCsv(rows).replace(/\n(?=(?:[^"]*"[^"]*")*[^"]*$)/g, '\r\n'))), rows, 'CRLF rows read the same');
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('writes cells the way Zoho bulk files carry them, quoted only when needed', () => {
    assert.equal(
      writeCsv([
        ['Id', 'Owner', 'Tags', 'Address', 'Paid', 'Score', 'Note'],
        ['1', { id: '42', name: 'Ann' }, ['A', 'B'], { street: 'Main, 1' }, true, 1.5, ' padded '],
        ['2', null, [], [{ id: '1' }, null], false, undefined, 'say "hi"\r\n'],
      ]),
      'Id,Owner,Tags,Address,Paid,Score,Note\n1,42,A;B,"{""street"":""Main, 1""}",true,1.5, padded \n2,,,"[{""id"":""1""},null]",false,,"say ""hi""\r\n"\n',
    );
    assert.equal(writeCsv([['h'], [''], [null]]), 'h\n""\n""\n', 'one-column empty rows are not blank lines');
  });

  it('reads a BOM, CRLF and blank lines; a quote left open is an error naming the line', () => {
    assert.deepEqual(readCsv(Buffer.from('\uFEFFa,b\r\n\r\n1,"x\r\ny"\r\n')), [['a', 'b'], ['1', 'x\r\ny']]);
    assert.throws(() => readCsv('a,b\n1,"open\n2,3\n'), (e: unknown) => e instanceof CsvSyntaxError && e.line === 3 && /Quote Not Closed/.test(e.message));
  });
});

describe("the emulator's ZIP", () => {
  it('zip -> unzip gives the same files; folders are left out', () => {
    const files = [
      { name: 'a.csv', data: Buffer.from('Id,Name\n1,Ann\n') },
      { name: 'dir/b.bin', data: Buffer.from([0, 255, 1]) },
    ];
    assert.deepEqual(unzip(zip(files)), files);
    assert.deepEqual(zip(files), zip(files), 'the same bytes for the same files');
  });

  it('refuses what is not a zip, a corrupt one, and one declaring more than the cap', () => {
    assert.equal(unzip(Buffer.from('not a zip')), undefined);
    const good = zip([{ name: 'a.csv', data: Buffer.from('x'.repeat(1000)) }]);
    assert.equal(unzip(good.subarray(0, good.length - 30)), undefined);
    const bomb = Buffer.from(good);
    // The central directory's uncompressed size (offset 24 of its entry) says more than the emulator inflates.
    const central = bomb.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    bomb.writeUInt32LE(MAX_UNZIPPED_BYTES + 1, central + 24);
    assert.equal(unzip(bomb), undefined);
  });
});

describe('bulk write with a malformed CSV', () => {
  it('fails the job (FAILED) and imports nothing, instead of guessing rows', async () => {
    const s = makeState({ emptyModules: true });
    const org = String(s.seedData.org['zgid'] ?? s.seedData.org['id']);
    const csv = 'Last_Name,Company\nOne,Acme\n"Two,Acme\nThree,Acme\n';
    const up = await call(s, 'POST', '/crm/v8/upload', { headers: { feature: 'bulk-write', 'X-CRM-ORG': org }, files: [file('leads.zip', zip([{ name: 'leads.csv', data: Buffer.from(csv) }]))] });
    assert.equal(up.data.code, 'FILE_UPLOAD_SUCCESS');
    const job = await call(s, 'POST', '/crm/bulk/v8/write', { body: { operation: 'insert', resource: [{ type: 'data', module: { api_name: 'Leads' }, file_id: up.data.details.file_id }] } });
    const status = await call(s, 'GET', `/crm/bulk/v8/write/${String(job.data.details.id)}`);
    assert.equal(status.data.status, 'FAILED');
    assert.equal(status.data.resource[0].file.status, 'FAILED');
    assert.equal(s.records('Leads').length, 0);
  });
});
