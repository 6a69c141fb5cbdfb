/**
 * One CSV for the same values whichever package writes it: zcrmsdk's `csvLine` (crm.bulk uploads, and
 * `zcrm export`, which writes through it) and the emulator's bulk files (csv-stringify) give identical bytes,
 * and zcrmsdk's `CsvRowParser` (`zcrm import`) and the emulator's csv-parse read them back alike.
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CsvRowParser, csvLine } from 'zcrmsdk';
import { readCsv, writeCsv } from '../../emulator/src/crm/csv.js';
import { textTable, valueTable } from '../../../test-support/csv-arbitraries.js';

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
});
