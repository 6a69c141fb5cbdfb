/** zcrmsdk's CSV writer and reader (public as `csvLine` and `CsvRowParser`): what one writes, the other reads back. */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { textTable } from '../../../../test-support/csv-arbitraries.js';
import { CsvRowParser, csvLine } from '../../src/index.js';

const SEED = 20261207;

/** Parses `bytes` fed in chunks of `size` bytes (UTF-8 sequences and CRLF pairs split anywhere). */
async function read(bytes: Buffer, size: number): Promise<string[][]> {
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) parts.push(bytes.subarray(i, i + size));
  const rows: string[][] = [];
  for await (const row of Readable.from(parts).pipe(new CsvRowParser())) rows.push(row as string[]);
  return rows;
}

describe("zcrmsdk's CSV", () => {
  it('write -> read gives the same rows, however the bytes are chunked', async () => {
    await fc.assert(
      fc.asyncProperty(textTable, fc.integer({ min: 1, max: 16 }), async (rows, size) => {
        const bytes = Buffer.from(rows.map(csvLine).join(''), 'utf8');
        assert.deepEqual(await read(bytes, size), rows);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('quotes only what needs it; values as Zoho bulk files carry them', () => {
    assert.equal(csvLine([' padded ', 'a;b', '=1', 'x,y', 'q"', 'l\nm', 'c\rr']), ' padded ,a;b,=1,"x,y","q""","l\nm","c\rr"\n');
    assert.equal(csvLine([{ id: '42', name: 'Acme' }, ['A', 'B'], { street: 'Main' }, [{ id: '1' }], true, 1.5, null, undefined]), '42,A;B,"{""street"":""Main""}","[{""id"":""1""}]",true,1.5,,\n');
    assert.equal(csvLine(['']), '""\n', 'a one-cell empty row is not a blank line');
  });
});
