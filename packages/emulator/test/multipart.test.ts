import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseBody } from '../src/request-parser.js';

const CT = 'multipart/form-data; boundary="b-1"';
const body = (...parts: string[]): Buffer => Buffer.from(`${parts.map((p) => `--b-1\r\n${p}\r\n`).join('')}--b-1--\r\n`, 'utf8');

describe("the emulator's multipart parser", () => {
  it('reads fields and files: filename, filename* (RFC 5987), quoted escapes, path stripped, types', async () => {
    const parsed = await parseBody(
      CT,
      body(
        'Content-Disposition: form-data; name="note"\r\n\r\nhé; "x"',
        'Content-Disposition: form-data; name="file"; filename="C:\\\\dir\\\\a \\"b\\".txt"\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nabc',
        "Content-Disposition: form-data; name=\"file\"; filename=\"naive.txt\"; filename*=UTF-8''na%C3%AFve.txt\r\n\r\n\r\n--not-a-boundary",
        'Content-Disposition: form-data; name="blob"\r\nContent-Type: application/octet-stream\r\n\r\n\u0000\u00ff',
      ),
    );
    assert.equal(parsed.invalidBody, false);
    assert.deepEqual(parsed.fields, { note: 'hé; "x"' });
    assert.deepEqual(
      parsed.files.map((f) => [f.field, f.filename, f.contentType, f.data.toString('utf8')]),
      [
        ['file', 'a "b".txt', 'text/plain', 'abc'],
        ['file', 'naïve.txt', 'text/plain', '\r\n--not-a-boundary'],
        ['blob', undefined, 'application/octet-stream', '\u0000\u00ff'],
      ],
    );
  });

  it('skips a preamble before the first boundary', async () => {
    const parsed = await parseBody(CT, Buffer.concat([Buffer.from('preamble\r\n'), body('Content-Disposition: form-data; name="a"\r\n\r\n1')]));
    assert.deepEqual(parsed.fields, { a: '1' });
  });

  for (const [what, raw] of [
    ['no closing boundary', '--b-1\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\nabc'],
    ['headers cut short', '--b-1\r\nContent-Disposition: form-data; name="fi'],
    ['no boundary at all', 'just text'],
    ['garbage after a delimiter', '--b-1garbage\r\n\r\n--b-1--'],
  ] as const) {
    it(`a malformed body (${what}) is an invalid body, not a crash`, async () => {
      const parsed = await parseBody(CT, Buffer.from(raw));
      assert.equal(parsed.invalidBody, true);
      assert.deepEqual(parsed.files, []);
    });
  }

  it('a Content-Type without a boundary is an invalid body', async () => {
    assert.equal((await parseBody('multipart/form-data', body('Content-Disposition: form-data; name="a"\r\n\r\n1'))).invalidBody, true);
  });
});
