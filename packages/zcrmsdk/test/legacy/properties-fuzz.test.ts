import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { ConfigError } from '../../src/errors.js';
import { CONFIG_FILE, OAUTH_FILE, settingsFromProperties } from '../../src/legacy/legacy-config.js';
import { parseProperties } from '../../src/legacy/properties.js';

// Property-based tests of the .properties loader (issue 6, "Suites to add"): fixed seed, so a failure replays.
const SEED = 20261201;

// Text pieces: ASCII with the characters the grammar cares about, plus non-ASCII and astral characters.
const piece = fc.oneof(
  fc.constantFrom('=', '#', '!', '[', ']', '\\', '\\n', '\\t', '\\r', ' ', '\t', '.', 'é', '😀', '\uFEFF', '\u2028', '\u00a0'),
  fc.string({ unit: 'grapheme', maxLength: 4 }),
);
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.array(fc.oneof(piece, fc.constantFrom('\n', '\r\n', '\r')), { maxLength: 60 }).map((parts) => parts.join('')),
);

// What the grammar can represent exactly: no line breaks, nothing trim() would eat at the ends.
const noBreaks = (s: string) => !/[\r\n]/.test(s) && s === s.trim();
const keyArb = fc
  .array(piece, { minLength: 1, maxLength: 6 })
  .map((parts) => parts.join(''))
  .filter((k) => k !== '' && noBreaks(k) && !k.includes('=') && !k.startsWith('#') && !k.startsWith('!'));
const sectionArb = keyArb.filter((s) => !s.includes('['));
const valueArb = fc
  .array(fc.oneof(piece, fc.constantFrom('\n', '\t', '\r')), { maxLength: 8 })
  .map((parts) => parts.join(''))
  // A literal backslash + n/r/t cannot be written (the loader expands it); edge whitespace is trimmed.
  .filter((v) => !/\\[nrt]/.test(v) && v.replace(/[\n\r\t]/g, 'x') === v.replace(/[\n\r\t]/g, 'x').trim());

/** Writes `value` so that the loader reads it back: line breaks and tabs as their escapes. */
const escapeValue = (v: string) => v.replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');

describe('.properties loader (property-based)', () => {
  it('never throws on any text, and returns string keys and values', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const props = parseProperties(text);
        for (const [key, value] of props) {
          assert.equal(typeof key, 'string');
          assert.notEqual(key, '');
          assert.equal(typeof value, 'string');
        }
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('round-trips sections, keys and values (the last repeated key wins)', () => {
    const entry = fc.record({ section: fc.option(sectionArb, { nil: undefined }), key: keyArb, value: valueArb });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 12 }), fc.constantFrom('\n', '\r\n', '\r'), (entries, eol) => {
        const lines: string[] = [];
        const expected = new Map<string, string>();
        let current = '';
        for (const { section, key, value } of entries) {
          // A key before any section is flat; afterwards the section stays until the next header.
          if (section !== undefined && section !== current) {
            lines.push(`[${section}]`);
            current = section;
          }
          lines.push(`${key}=${escapeValue(value)}`);
          const flat = current ? `${current}.${key}` : key;
          expected.delete(flat);
          expected.set(flat, value);
        }
        const parsed = parseProperties(lines.join(eol));
        assert.deepEqual(new Map([...parsed].sort()), new Map([...expected].sort()));
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('finishes on adversarial long inputs (no catastrophic backtracking)', () => {
    for (const text of ['['.repeat(100_000), `[${'a'.repeat(100_000)}`, `${'\\'.repeat(100_000)}n`, `k=${'\\n'.repeat(50_000)}`, '\r'.repeat(100_000), '='.repeat(100_000)]) {
      assert.ok(parseProperties(text) instanceof Map);
    }
  });

  describe('initialize() from resources/*.properties with arbitrary content', () => {
    let dir = '';
    before(async () => {
      dir = await mkdtemp(join(tmpdir(), `zcrm-props-${process.pid}-`));
      await mkdir(join(dir, 'resources'));
    });
    after(() => rm(dir, { recursive: true, force: true }));

    it('resolves settings or rejects with a ConfigError, nothing else', async () => {
      const valid = '[zoho]\ncrm.clientid=1000.ABC\ncrm.clientsecret=secret123\ncrm.redirecturl=https://example.com/cb\n';
      await fc.assert(
        fc.asyncProperty(fc.oneof(anyText, anyText.map((t) => valid + t)), anyText, async (oauth, conf) => {
          await writeFile(join(dir, OAUTH_FILE), oauth);
          await writeFile(join(dir, CONFIG_FILE), conf);
          try {
            const settings = await settingsFromProperties(dir);
            assert.equal(typeof settings.clientId, 'string');
            assert.ok(Number.isInteger(settings.mysql.port));
          } catch (error) {
            assert.ok(error instanceof ConfigError, `untyped error: ${String(error)}`);
          }
        }),
        { seed: SEED, numRuns: 150 },
      );
    });
  });
});
