/**
 * Property-based tests of the emulator's request parsing (fast-check, fixed seeds): random methods, paths,
 * query strings, content types, boundaries and bodies, sent over a raw socket to an emulator in its own
 * process. The emulator must answer every request with an HTTP status and stay up; the pure parsers must
 * never throw anything but their own typed errors.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { CoqlError, parseCoql } from '../../src/coql.js';
import { CriteriaError, parseCriteria } from '../../src/criteria.js';
import { parseBody, parseQuery, parseUrlEncoded, splitPath, splitTarget } from '../../src/request-parser.js';
import { startChildEmulator, type ChildEmulator } from './child-emulator.js';
import { crmGet } from './helpers.js';

const SEED = 20261201;

/** Sends raw bytes, reads until the server closes; resolves with the status line's code. */
function sendRaw(url: string, request: Buffer): Promise<number> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    // A request the emulator never answers is a hang: fail the property rather than the whole run.
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('no answer within 20 s'));
    }, 20_000);
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      const match = /^HTTP\/1\.1 (\d{3}) /.exec(text);
      if (match === null) reject(new Error(`no HTTP reply, got ${JSON.stringify(text.slice(0, 80))}`));
      else resolve(Number(match[1]));
    });
    socket.end(request);
  });
}

const SPECIAL = ['%', '%2', '%zz', '%ED%A0%80', '..', '/', '?', '#', '&', '=', '+', '(', ')', ':', ',', '\\', '"', "'", '__proto__', 'undefined', '%00', '~', '$', '@'];
const piece = fc.oneof(fc.constantFrom(...SPECIAL), fc.stringMatching(/^[A-Za-z0-9_.-]{0,8}$/));
const urlText = fc.array(piece, { maxLength: 6 }).map((parts) => parts.join(''));

const pathArb = fc.oneof(
  fc.constantFrom(
    '/oauth/v2/token',
    '/oauth/v2/token/revoke',
    '/oauth/user/info',
    '/crm/v2/Leads',
    '/crm/v2/coql',
    '/crm/v2.1/Leads/search',
    '/crm/v2/Leads/1/Attachments',
    '/crm/v2/Leads/1/photo',
    '/crm/v2/settings/fields',
    '/crm/bulk/v2/read',
    '/crm/v2/upload',
    '/crm/v2/functions/f/actions/execute',
  ),
  fc.array(urlText, { minLength: 1, maxLength: 5 }).map((segments) => `/${segments.join('/')}`),
  fc.array(urlText, { maxLength: 3 }).map((segments) => `/crm/v2/${segments.join('/')}`),
);

const queryArb = fc.oneof(
  fc.constant(''),
  fc.array(fc.tuple(urlText, urlText), { maxLength: 5 }).map((pairs) => `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}`),
  fc.constantFrom('?criteria=((Last_Name:equals:a)or(Email:equals:b@x.com))', `?criteria=${'('.repeat(200)}a:equals:b${')'.repeat(200)}`, '?page=-1&per_page=1e9', '?ids=,,,'),
);

const boundaryArb = fc.stringMatching(/^[A-Za-z0-9'()+_,\-.\/:=? ]{1,70}$/).filter((b) => !b.endsWith(' '));

/** A multipart body for `boundary`, well formed or cut anywhere. */
const multipartArb = (boundary: string): fc.Arbitrary<Buffer> =>
  fc
    .tuple(
      fc.array(
        fc.record({
          name: fc.constantFrom('file', 'inputFile', 'grant_type', 'x', ''),
          filename: fc.option(fc.constantFrom('a.txt', 'ü.bin', '', '../../etc/passwd', 'a"b'), { nil: undefined }),
          data: fc.uint8Array({ maxLength: 64 }),
        }),
        { maxLength: 3 },
      ),
      fc.option(fc.nat(), { nil: undefined }),
    )
    .map(([parts, cut]) => {
      const chunks: Buffer[] = [];
      for (const p of parts) {
        const disposition = `form-data; name="${p.name}"${p.filename === undefined ? '' : `; filename="${p.filename}"`}`;
        chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n\r\n`), Buffer.from(p.data), Buffer.from('\r\n'));
      }
      chunks.push(Buffer.from(`--${boundary}--\r\n`));
      const whole = Buffer.concat(chunks);
      return cut === undefined ? whole : whole.subarray(0, cut % (whole.length + 1));
    });

const bodyCase = fc.oneof(
  fc.record({ type: fc.constant<string | undefined>(undefined), body: fc.uint8Array({ maxLength: 256 }).map((b) => Buffer.from(b)) }),
  fc.record({ type: fc.constantFrom('application/json', 'text/plain', undefined), body: fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v) ?? 'null')) }),
  fc.record({ type: fc.constant('application/x-www-form-urlencoded'), body: urlText.map((t) => Buffer.from(t)) }),
  fc.record({ type: fc.constantFrom('multipart/form-data', 'multipart/mixed; boundary=', 'multipart/form-data; boundary="unterminated', ';;;', '\u00ff/\u00ff'), body: fc.uint8Array({ maxLength: 128 }).map((b) => Buffer.from(b)) }),
  boundaryArb.chain((boundary) =>
    fc.record({
      type: fc.constant(`multipart/form-data; boundary=${/[^A-Za-z0-9_-]/.test(boundary) ? `"${boundary}"` : boundary}`),
      body: multipartArb(boundary),
    }),
  ),
);

const requestArb = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'BREW'),
  path: pathArb,
  query: queryArb,
  authorized: fc.boolean(),
  content: bodyCase,
});

describe('emulator request parsing, property-based', () => {
  let emu: ChildEmulator;

  before(async () => {
    emu = await startChildEmulator();
  });
  after(async () => {
    assert.equal(emu.exitCode(), null, `the emulator process died: ${emu.stderr()}`);
    assert.equal(await emu.stop(), 0, emu.stderr());
  });

  it('answers every random request with an HTTP status and stays up', async () => {
    await fc.assert(
      fc.asyncProperty(requestArb, async (r) => {
        const headers = [`${r.method} ${r.path}${r.query} HTTP/1.1`, 'Host: emulator', 'Connection: close'];
        if (r.authorized) headers.push(`Authorization: Zoho-oauthtoken ${emu.tokens.access_token}`);
        if (r.content.type !== undefined) headers.push(`Content-Type: ${r.content.type}`);
        headers.push(`Content-Length: ${r.content.body.length}`);
        const head = Buffer.from(`${headers.join('\r\n')}\r\n\r\n`, 'latin1');
        const status = await sendRaw(emu.url, Buffer.concat([head, r.content.body]));
        assert.ok(status >= 200 && status <= 599, `status ${status}`);
        assert.notEqual(status, 500, 'no request makes the emulator fail internally');
        assert.equal(emu.exitCode(), null, emu.stderr());
      }),
      { seed: SEED, numRuns: 300 },
    );
    const ok = await crmGet(emu, '/crm/v2/users?type=CurrentUser', emu.tokens.access_token);
    assert.equal(ok.status, 200, ok.text);
  });
});

describe('emulator parsers, property-based', () => {
  const anyText = fc.oneof(fc.string({ unit: 'binary' }), urlText, fc.string({ unit: 'grapheme' }));

  it('parseQuery, parseUrlEncoded, splitPath and splitTarget never throw', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        parseQuery(text);
        parseUrlEncoded(text);
        splitPath(text);
        const { pathname, rawQuery } = splitTarget(text);
        assert.equal(rawQuery === '' ? pathname : `${pathname}?${rawQuery}`, text.endsWith('?') && rawQuery === '' ? text.slice(0, -1) : text);
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it('parseQuery round-trips encoded pairs (distinct keys, last one wins)', () => {
    const key = fc.string({ minLength: 1, maxLength: 10 });
    fc.assert(
      fc.property(fc.dictionary(key, fc.string({ maxLength: 10 }).filter((v) => v !== 'undefined')), (params) => {
        const raw = Object.entries(params)
          .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
          .join('&');
        assert.deepEqual(parseQuery(raw), { ...params });
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it('parseBody never rejects, whatever the content type and bytes', async () => {
    await fc.assert(
      fc.asyncProperty(bodyCase, async ({ type, body }) => {
        const parsed = await parseBody(type, body);
        assert.equal(typeof parsed.invalidBody, 'boolean');
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it('parseCriteria and parseCoql throw only their own typed errors, even deeply nested', () => {
    const nested = fc.tuple(fc.nat({ max: 5000 }), fc.nat({ max: 5000 }), anyText).map(([open, close, inner]) => `${'('.repeat(open)}${inner}${')'.repeat(close)}`);
    const text = fc.oneof(anyText, nested);
    fc.assert(
      fc.property(text, (t) => {
        try {
          parseCriteria(t);
        } catch (e) {
          assert.ok(e instanceof CriteriaError, String(e));
        }
        try {
          parseCoql(`select Last_Name from Leads where ${t}`);
        } catch (e) {
          assert.ok(e instanceof CoqlError, String(e));
        }
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });
});
