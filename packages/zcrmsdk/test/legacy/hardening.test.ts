import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { InvalidInputError } from '../../src/errors.js';
import type { LegacyInput } from '../../src/legacy/request-builder.js';
import type { LegacyResponse } from '../../src/legacy/response.js';
import { type LegacyHarness, lastCrmRequest, legacyHarness } from '../helpers/legacy.js';

// Issue 6 items 5 and 6, legacy side: bad input rejects with an InvalidInputError before any request.
describe('legacy facade: bad input never reaches Zoho', () => {
  let h: LegacyHarness;
  let leadId = '';
  before(async () => {
    h = await legacyHarness();
    const listed = (await h.client.API.MODULES.get({ module: 'Leads' })) as LegacyResponse;
    leadId = String((JSON.parse(listed.body) as { data: { id: string }[] }).data[0]?.id);
  });
  after(() => h.close());

  const crmRequests = () => h.emu.requests.filter((r) => r.path.startsWith('/crm/')).length;

  const circular: Record<string, unknown> = { a: 1 };
  circular.self = circular;
  const API = () => h.client.API;
  const cases: [string, () => Promise<unknown>, RegExp][] = [
    ['a BigInt module', () => API().MODULES.get({ module: 10n } as unknown as LegacyInput), /input\.module must be a string module API name.*not a bigint/],
    ['an object module', () => API().MODULES.get({ module: { name: 'Leads' } } as unknown as LegacyInput), /input\.module must be a string/],
    ['a module with a slash', () => API().MODULES.get({ module: 'Leads/123' }), /input\.module "Leads\/123" is not a Zoho module API name/],
    ['circular params', () => API().MODULES.get({ module: 'Leads', params: { criteria: circular } }), /input\.params\.criteria cannot be sent as JSON: it is circular/],
    ['a BigInt inside params', () => API().MODULES.get({ module: 'Leads', params: { x: { n: 1n } } }), /input\.params\.x cannot be sent as JSON: it contains a BigInt/],
    ['a circular body', () => API().MODULES.post({ module: 'Leads', body: circular }), /input\.body cannot be sent as JSON: it is circular/],
    ['a BigInt in the body', () => API().MODULES.post({ module: 'Leads', body: { data: [{ Amount: 5n }] } }), /input\.body cannot be sent as JSON: it contains a BigInt/],
    ['x_file_content: {}', () => API().ATTACHMENTS.uploadFile({ module: 'Leads', id: leadId, x_file_content: {} as unknown as Buffer }), /input\.x_file_content must be a Buffer, a string or a Node Readable stream/],
    ['SETTINGS.getFields with a bad module', () => API().SETTINGS.getFields({ module: 'Leads&x=1' }), /input\.module "Leads&x=1" is not a Zoho module API name/],
    ['SETTINGS.getFields with a BigInt module', () => API().SETTINGS.getFields({ module: 1n } as unknown as LegacyInput), /input\.module must be a string/],
    ['MODULES.delete with id 0', () => API().MODULES.delete({ module: 'Leads', id: 0 }), /input\.id must be a record id.*not 0/],
    ["MODULES.delete with id ''", () => API().MODULES.delete({ module: 'Leads', id: '' }), /input\.id is an empty string/],
    ['MODULES.put with id false', () => API().MODULES.put({ module: 'Leads', id: false } as unknown as LegacyInput), /input\.id must be a record id.*not a boolean/],
    ['MODULES.get with id NaN', () => API().MODULES.get({ module: 'Leads', id: Number.NaN }), /input\.id must be a record id.*not NaN/],
    ['SETTINGS.getLayouts with id -1', () => API().SETTINGS.getLayouts({ module: 'Leads', id: -1 }), /input\.id must be a record id/],
    ['an api_name with /', () => API().FUNCTIONS.executeFunctionsInGet({ api_name: 'a/b' }), /input\.api_name "a\/b" cannot be used in a URL/],
    ['a relatedId with /', () => API().ATTACHMENTS.deleteFile({ module: 'Leads', id: leadId, relatedId: '1/../2' }), /input\.relatedId "1\/\.\.\/2" cannot be used in a URL/],
    ['headers as a string', () => API().MODULES.get({ module: 'Leads', headers: 'X-A: 1' } as unknown as LegacyInput), /input\.headers must be a plain object/],
    ['headers as an array', () => API().MODULES.get({ module: 'Leads', headers: ['X-A: 1'] } as unknown as LegacyInput), /input\.headers must be a plain object/],
    ['params as a string', () => API().MODULES.get({ module: 'Leads', params: 'a=b' } as unknown as LegacyInput), /input\.params must be a plain object.*not a string/],
    ['a lone surrogate in a query value', () => API().MODULES.search({ module: 'Leads', params: { word: 'x\ud800' } }), /input\.params\.word contains a lone UTF-16 surrogate/],
    ['a lone surrogate in a query key', () => API().MODULES.search({ module: 'Leads', params: { ['\udc00']: 'x' } }), /The key of input\.params\..* contains a lone UTF-16 surrogate/],
    ['CR/LF in a header value', () => API().MODULES.get({ module: 'Leads', headers: { 'X-A': 'a\r\nX-Injected: 1' } }), /input\.headers\['X-A'\] contains a line break/],
    ['NUL in a header value', () => API().MODULES.get({ module: 'Leads', headers: { 'X-A': 'a\u0000b' } }), /input\.headers\['X-A'\] contains/],
    ['non-Latin-1 in a header value', () => API().MODULES.get({ module: 'Leads', headers: { 'X-A': 'José 😀' } }), /outside Latin-1/],
    ['LF in a header name', () => API().MODULES.get({ module: 'Leads', headers: { 'X-A\n': '1' } }), /invalid header name "X-A\\n"/],
    ['non-Latin-1 in a header name', () => API().MODULES.get({ module: 'Leads', headers: { 'X-Ä': '1' } }), /invalid header name/],
    ['an object header value', () => API().MODULES.get({ module: 'Leads', headers: { 'X-A': { b: 1 } } } as unknown as LegacyInput), /input\.headers\['X-A'\] must be a string/],
    // What held before stays held.
    ['an id with /..', () => API().MODULES.get({ module: 'Leads', id: '123/../org' }), /input\.id "\.\." cannot be used in a URL/],
    ['an id with %', () => API().MODULES.get({ module: 'Leads', id: '12%2F3' }), /cannot be used in a URL/],
    ['an id with ?', () => API().MODULES.get({ module: 'Leads', id: '1?fields=x' }), /cannot be used in a URL/],
    ['an id with #', () => API().MODULES.get({ module: 'Leads', id: '1#x' }), /cannot be used in a URL/],
    ['an id with whitespace', () => API().MODULES.get({ module: 'Leads', id: '1 2' }), /cannot be used in a URL/],
    ['an id with a control character', () => API().MODULES.get({ module: 'Leads', id: '1\u0007' }), /cannot be used in a URL/],
  ];
  for (const [name, call, message] of cases) {
    it(`rejects ${name} with an InvalidInputError before any request`, async () => {
      const before = crmRequests();
      await assert.rejects(call(), (error: unknown) => {
        assert.ok(error instanceof InvalidInputError, `expected InvalidInputError, got ${String(error)}`);
        assert.equal(error.code, 'INVALID_INPUT');
        assert.match(error.message, message);
        return true;
      });
      assert.equal(crmRequests(), before, 'no request may reach the emulator');
    });
  }

  it("keeps what 0.0.x users rely on: ids like '123/Notes', number and BigInt ids, numeric header values, upload types", async () => {
    const notes = (await API().MODULES.get({ module: 'Leads', id: `${leadId}/Notes` })) as LegacyResponse | string;
    assert.equal(lastCrmRequest(h.emu).path, `/crm/v2/Leads/${leadId}/Notes`);
    assert.ok(notes);
    await API().MODULES.get({ module: 'Leads', id: BigInt(leadId), headers: { 'X-Count': 3 } as unknown as Record<string, string> });
    const req = lastCrmRequest(h.emu);
    assert.equal(req.path, `/crm/v2/Leads/${leadId}`);
    assert.equal(req.headers['x-count'], '3');
    await API().SETTINGS.getFields({ module: 'Leads' });
    assert.equal(lastCrmRequest(h.emu).rawQuery, 'module=Leads');
    for (const content of [Buffer.from('a buffer'), Readable.from([Buffer.from('a stream')]), new Uint8Array([104, 105])]) {
      const up = (await API().ATTACHMENTS.uploadFile({ module: 'Leads', id: leadId, x_file_content: content as Buffer })) as LegacyResponse;
      assert.equal(up.statusCode, 200, up.body);
    }
    // A string goes out as 0.0.20 sent it: a `file` part without a file name (which Zoho takes as a plain field).
    await API().ATTACHMENTS.uploadFile({ module: 'Leads', id: leadId, x_file_content: 'a string' });
    const sent = lastCrmRequest(h.emu);
    assert.equal(sent.path, `/crm/v2/Leads/${leadId}/Attachments`);
    assert.match(String(sent.body), /name="file"\r\n\r\na string/);
  });
});
