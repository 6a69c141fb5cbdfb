/**
 * One CSV for the same values whichever package writes it: zcrmsdk's `csvLine` (crm.bulk uploads, and
 * `zcrm export`, which writes through it) and the emulator's bulk files (csv-stringify) give identical bytes,
 * and zcrmsdk's `CsvRowParser` (`zcrm import`) and the emulator's csv-parse read them back alike.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CsvRowParser, ZohoCRM, csvLine } from 'zcrmsdk';
import { readCsv, writeCsv } from '../../emulator/src/crm/csv.js';
import { textTable, valueTable } from '../../../test-support/csv-arbitraries.js';
import { authedSandbox } from './helpers.js';

const SEED = 20261207;

async function sdkRead(text: string): Promise<string[][]> {
  const rows: string[][] = [];
  for await (const row of Readable.from([Buffer.from(text)]).pipe(new CsvRowParser())) rows.push(row as string[]);
  return rows;
}

describe('CSV across packages', () => {
  it('zcrmsdk (crm.bulk, zcrm export) and the emulator write identical bytes for the same values', () => {
    fc.assert(
      fc.property(valueTable, (rows) => {
        assert.equal(rows.map(csvLine).join(''), writeCsv(rows));
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it("each reads the other's file back to the same rows", async () => {
    await fc.assert(
      fc.asyncProperty(textTable, async (rows) => {
        assert.deepEqual(readCsv(rows.map(csvLine).join('')), rows);
        assert.deepEqual(await sdkRead(writeCsv(rows)), rows);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('zcrm export and crm.bulk (the emulator\'s bulk-read file) write the same rows for the same records (no formula-like values: zcrm export neutralises those unless --raw)', async () => {
    const { emu, box, close } = await authedSandbox({ emptyModules: true });
    const crm = new ZohoCRM({ clientId: emu.client.clientId, clientSecret: emu.client.clientSecret, accountsUrl: emu.url, apiUrl: emu.url, apiVersion: 'v8' });
    try {
      const records = emu.crm.insert('Leads', [
        { Last_Name: 'Doe, "Jr"', Company: ' padded ', Description: 'two\nlines', Email: 'doe@example.com' },
        { Last_Name: 'Plain', Company: 'Acme;Globex', Description: null, Email: 'plain@example.com' },
      ]);
      const fields = ['Last_Name', 'Company', 'Description', 'Email', 'Owner'];
      const file = join(box.dir, 'leads.csv');
      const exported = await box.run(['export', 'Leads', '--out', file, '--fields', fields.join(',')], { env: { ZCRM_API_VERSION: 'v8' } });
      assert.equal(exported.code, 0, exported.stderr);
      await crm.generateTokens(await emu.grantToken());
      const job = await crm.bulk.read({ module: 'Leads', fields });
      const chunks: Buffer[] = [];
      for await (const chunk of job.csv()) chunks.push(chunk as Buffer);

      // zcrm export keeps the id column first (as `id`), as the bulk file does (as `Id`): the rows are the same bytes.
      const rows = records.map((r) => csvLine([r['id'], ...fields.map((f) => r[f])])).join('');
      const owner = (records[0]!['Owner'] as { id: string }).id;
      assert.ok(rows.startsWith(`${String(records[0]!['id'])},"Doe, ""Jr""", padded ,"two\nlines",doe@example.com,${owner}\n`));
      assert.equal(await readFile(file, 'utf8'), csvLine(['id', ...fields]) + rows);
      assert.equal(Buffer.concat(chunks).toString('utf8'), csvLine(['Id', ...fields]) + rows);
    } finally {
      await crm.close();
      await close();
    }
  });
});
