import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { describe, it } from 'node:test';
import { crc32, deflateRawSync } from 'node:zlib';
import { unzip, zip } from '../../../../test-support/zip.js';
import { CsvRecords, CsvRowParser, csvLine } from '../../src/internal/csv.js';
import { InvalidInputError } from '../../src/errors.js';
import { DEFAULT_BULK_MAX_RESULT_BYTES, ZipFormatError, unzipFirstFile, zipOneFile } from '../../src/internal/zip.js';

/** Splits a buffer into chunks of `size` bytes, as a network would. */
function chunked(data: Buffer, size: number): Readable {
  const parts: Buffer[] = [];
  for (let i = 0; i < data.length; i += size) parts.push(data.subarray(i, i + size));
  return Readable.from(parts);
}

/** A zip of one entry written with a data descriptor (as Java's ZipOutputStream does), optionally stored. */
function descriptorZip(name: string, data: Buffer, signed = true): Buffer {
  const packed = deflateRawSync(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(0x0008, 6);
  local.writeUInt16LE(8, 8);
  local.writeUInt16LE(name.length, 26);
  const desc = Buffer.alloc(signed ? 16 : 12);
  let p = 0;
  if (signed) {
    desc.writeUInt32LE(0x08074b50, 0);
    p = 4;
  }
  desc.writeUInt32LE(crc32(data), p);
  desc.writeUInt32LE(packed.length, p + 4);
  desc.writeUInt32LE(data.length, p + 8);
  const central = Buffer.alloc(46 + name.length);
  central.writeUInt32LE(0x02014b50, 0);
  return Buffer.concat([local, Buffer.from(name), packed, desc, central]);
}

const CSV = Buffer.from('Id,Last_Name,Note\r\n1,Smith,"a, ""quoted""\nline"\r\n2,Ünïcødé,\r\n', 'utf8');

describe('unzipFirstFile', () => {
  for (const size of [1, 7, 64, 65536]) {
    it(`reads a deflated entry (sizes in the header) in ${size}-byte chunks`, async () => {
      const out = await buffer(unzipFirstFile(chunked(zip([{ name: 'x.csv', data: CSV }]), size)));
      assert.ok(out.equals(CSV));
    });
    it(`reads an entry with a data descriptor in ${size}-byte chunks`, async () => {
      assert.ok((await buffer(unzipFirstFile(chunked(descriptorZip('x.csv', CSV), size)))).equals(CSV));
      assert.ok((await buffer(unzipFirstFile(chunked(descriptorZip('x.csv', CSV, false), size)))).equals(CSV));
    });
  }

  it('reads a large entry', async () => {
    const big = Buffer.alloc(5 * 1024 * 1024);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7919) % 251;
    assert.ok((await buffer(unzipFirstFile(chunked(zip([{ name: 'big.csv', data: big }]), 16384)))).equals(big));
  });

  it('refuses corrupt, truncated, empty and non-zip input with a ZipFormatError', async () => {
    const good = zip([{ name: 'x.csv', data: CSV }]);
    const flipped = Buffer.from(good);
    flipped[40] = (flipped[40] as number) ^ 0xff;
    const badCrc = Buffer.from(good);
    badCrc.writeUInt32LE((badCrc.readUInt32LE(14) ^ 1) >>> 0, 14);
    for (const input of [flipped, badCrc, good.subarray(0, 45), zip([]), Buffer.from('{"code":"INTERNAL_ERROR"}'), Buffer.alloc(0)]) {
      await assert.rejects(buffer(unzipFirstFile(Readable.from([input]))), ZipFormatError);
    }
  });
});

/** A readable of `data` in `size`-byte chunks that counts how many bytes the reader pulled. */
function counted(data: Buffer, size: number): { stream: Readable; pulled: () => number } {
  let pulled = 0;
  function* parts(): Generator<Buffer> {
    for (let i = 0; i < data.length; i += size) {
      const part = data.subarray(i, i + size);
      pulled += part.length;
      yield part;
    }
  }
  return { stream: Readable.from(parts()), pulled: () => pulled };
}

describe('unzipFirstFile on hostile input', () => {
  // Random cells, so the deflated stream is long and overwritten bytes land in real Huffman data.
  const csv = Buffer.from(Array.from({ length: 5000 }, (_, i) => `${i},Name ${randomBytes(6).toString('hex')}\r\n`).join(''));

  for (const at of [40, 100, 2000]) {
    it(`ends with a ZipFormatError when zlib fails (20 bytes overwritten at ${at}), instead of hanging`, async () => {
      for (const make of [() => zip([{ name: 'x.csv', data: csv }]), () => descriptorZip('x.csv', csv)]) {
        const bad = Buffer.from(make());
        bad.fill(0xff, at, at + 20);
        // Without the fix the pending zlib write never calls back and this await never settles (the test times out).
        await assert.rejects(buffer(unzipFirstFile(chunked(bad, 1000))), (error: unknown) => {
          assert.ok(error instanceof ZipFormatError, String(error));
          assert.match(error.message, /'x\.csv' is corrupt \(invalid/);
          return true;
        });
      }
    });
  }

  it('stops as soon as an entry inflates past its declared size (a header declaring 1,000 bytes over 4 MiB of data)', async () => {
    const packed = zip([{ name: 'bomb.csv', data: randomBytes(4 * 1024 * 1024) }]);
    // Declare 1,000 bytes in the local header (CRC left as is: the size check must fire first).
    packed.writeUInt32LE(1000, 22);
    const source = counted(packed, 1024);
    let out = 0;
    await assert.rejects(
      (async () => {
        for await (const chunk of unzipFirstFile(source.stream)) out += (chunk as Buffer).length;
      })(),
      (error: unknown) => error instanceof ZipFormatError && /inflates past the 1000 bytes its header declares/.test(error.message),
    );
    assert.ok(out <= 1000, `only the declared bytes reach the reader (got ${out})`);
    assert.ok(source.pulled() < packed.length / 2, `reading stopped early (${source.pulled()} of ${packed.length} compressed bytes pulled)`);
  });

  it('caps an entry with a data descriptor at maxBytes (default DEFAULT_BULK_MAX_RESULT_BYTES, 1 GiB)', async () => {
    assert.equal(DEFAULT_BULK_MAX_RESULT_BYTES, 1024 ** 3);
    const packed = descriptorZip('x.csv', randomBytes(4 * 1024 * 1024));
    const source = counted(packed, 1024);
    await assert.rejects(buffer(unzipFirstFile(source.stream, { maxBytes: 100_000 })), (error: unknown) => {
      assert.ok(error instanceof ZipFormatError);
      assert.match(error.message, /'x\.csv' inflates past the 100000-byte limit \(raise maxResultBytes to read it\)/);
      return true;
    });
    assert.ok(source.pulled() < packed.length / 2, `reading stopped early (${source.pulled()} of ${packed.length} compressed bytes pulled)`);
    // Under the limit, the same entry reads fine.
    assert.equal((await buffer(unzipFirstFile(chunked(packed, 65536), { maxBytes: 4 * 1024 * 1024 }))).length, 4 * 1024 * 1024);
  });

  it('refuses a declared size over maxBytes before inflating, and a stored entry whose sizes disagree', async () => {
    await assert.rejects(buffer(unzipFirstFile(chunked(zip([{ name: 'x.csv', data: csv }]), 4096), { maxBytes: 1000 })), /declares \d+ bytes, over the 1000-byte limit/);
    const stored = Buffer.concat([Buffer.alloc(30), Buffer.from('x.csv'), Buffer.from('hello world')]);
    stored.writeUInt32LE(0x04034b50, 0);
    stored.writeUInt32LE(11, 18);
    stored.writeUInt32LE(5, 22);
    stored.writeUInt16LE(5, 26);
    await assert.rejects(buffer(unzipFirstFile(Readable.from([stored]))), /stored with 11 bytes where its header says 5/);
    assert.throws(() => unzipFirstFile(Readable.from([]), { maxBytes: -1 }), InvalidInputError);
  });
});

describe('zipOneFile', () => {
  it('writes a zip that a central-directory reader and the streaming reader both read back', async () => {
    const lines = ['Last_Name,Company\r\n', 'Ann,Acme\r\n', Buffer.from('Bob,"B, Inc"\r\n')];
    const packed = await buffer(zipOneFile('leads.csv', lines));
    const entries = unzip(packed);
    assert.equal(entries?.length, 1);
    assert.equal(entries?.[0]?.name, 'leads.csv');
    assert.equal(entries?.[0]?.data.toString(), 'Last_Name,Company\r\nAnn,Acme\r\nBob,"B, Inc"\r\n');
    assert.equal((await buffer(unzipFirstFile(chunked(packed, 5)))).toString(), 'Last_Name,Company\r\nAnn,Acme\r\nBob,"B, Inc"\r\n');
  });
});

describe('CSV', () => {
  async function rows(chunks: (string | Buffer)[]): Promise<unknown[]> {
    const out: unknown[] = [];
    for await (const row of Readable.from(chunks).pipe(new CsvRowParser())) out.push(row);
    return out;
  }

  it('parses quotes, doubled quotes, line breaks in fields, CRLF/LF, a BOM and split UTF-8, in any chunking', async () => {
    const expected = [
      ['Id', 'Last_Name', 'Note'],
      ['1', 'Smith', 'a, "quoted"\nline'],
      ['2', 'Ünïcødé', ''],
    ];
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), CSV]);
    for (const size of [1, 2, 3, 5, 1000]) {
      const parts: Buffer[] = [];
      for (let i = 0; i < withBom.length; i += size) parts.push(withBom.subarray(i, i + size));
      assert.deepEqual(await rows(parts), expected, `chunks of ${size}`);
    }
    assert.deepEqual(await rows(['a,b\n\n1,2']), [['a', 'b'], ['1', '2']]);
    assert.deepEqual(await rows(['a,"",c\n']), [['a', '', 'c']]);
    await assert.rejects(rows(['a,"open\n']), /quoted field/);
  });

  it('keys rows by the header', async () => {
    const out: unknown[] = [];
    for await (const r of Readable.from([CSV]).pipe(new CsvRowParser()).pipe(new CsvRecords())) out.push(r);
    assert.deepEqual(out[1], { Id: '2', Last_Name: 'Ünïcødé', Note: '' });
  });

  it('writes lines that parse back', async () => {
    const values = ['plain', 'a,b', 'say "hi"', 'two\nlines', null, 42, ['x', 'y']];
    const line = csvLine(values);
    assert.equal(line, 'plain,"a,b","say ""hi""","two\nlines",,42,x;y\n');
    assert.deepEqual(await rows([line]), [['plain', 'a,b', 'say "hi"', 'two\nlines', '', '42', 'x;y']]);
  });
});
