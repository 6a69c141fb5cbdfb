import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidInputError } from '../../src/errors.js';
import { encodeLegacyQueryPart, idPath, legacyQuery, toApiRequest } from '../../src/legacy/request-builder.js';
import { filenameFrom } from '../../src/legacy/response.js';

describe('legacy request building', () => {
  it('keeps the old parameter order and trailing &, encoding values', () => {
    assert.equal(legacyQuery({ params: { page: 1, per_page: 5, fields: 'Last_Name,Email' } }, { method: 'GET', path: 'Leads' }), 'page=1&per_page=5&fields=Last_Name%2CEmail&');
    assert.equal(legacyQuery({ module: 'Leads', params: { type: 'unused' } }, { method: 'GET', path: 'x', moduleParam: true }), 'type=unused&module=Leads');
    assert.equal(legacyQuery({ module: 'Leads' }, { method: 'GET', path: 'x', moduleParam: true }), 'module=Leads');
    assert.equal(legacyQuery({}, { method: 'GET', path: 'org', moduleParam: true }), '');
    assert.equal(legacyQuery({ params: {} }, { method: 'GET', path: 'Leads' }), '');
    assert.equal(legacyQuery({ params: { ids: [1, 2], n: null, u: undefined, b: false } }, { method: 'GET', path: 'Leads' }), 'ids=1%2C2&b=false&');
    assert.equal(legacyQuery({ params: { criteria: '(Last_Name:equals:O Brien&Co)', x: 'a#b' } }, { method: 'GET', path: 'Leads' }), 'criteria=(Last_Name%3Aequals%3AO%20Brien%26Co)&x=a%23b&');
    assert.equal(legacyQuery({ api_name: 'f', params: { arg1: 'v 1' } }, { method: 'GET', path: 'x', extraParams: { auth_type: 'oauth' } }), 'arg1=v%201&auth_type=oauth&');
  });

  it('keeps escapes the caller already wrote, and encodes a lone %', () => {
    assert.equal(encodeLegacyQueryPart('(Last_Name:equals:Burns%5C%2CB)'), '(Last_Name%3Aequals%3ABurns%5C%2CB)');
    assert.equal(encodeLegacyQueryPart('100%'), '100%25');
    assert.equal(encodeLegacyQueryPart('é'), '%C3%A9');
  });

  it('validates ids piece by piece and keeps the related-list trick', () => {
    assert.equal(idPath('123/Notes'), '123/Notes');
    assert.equal(idPath(1234567890), '1234567890');
    assert.throws(() => idPath('../org'), InvalidInputError);
    assert.throws(() => idPath('1?x'), InvalidInputError);
    assert.throws(() => idPath('1#x'), InvalidInputError);
  });

  it('builds JSON, raw-string and multipart bodies; drops bodies on GET/DELETE; forces no user Authorization', () => {
    const post = toApiRequest({ body: { data: [] }, headers: { Authorization: 'x', 'User-Agent': 'y', 'X-A': 'b' } }, { method: 'POST', path: 'Leads' }, 'u');
    assert.equal(post.body, '{"data":[]}');
    assert.deepEqual(post.headers, { 'content-type': 'application/json', 'x-a': 'b' });
    assert.equal(toApiRequest({ body: '{"data":[]}' }, { method: 'PUT', path: 'Leads' }, 'u').body, '{"data":[]}');
    assert.equal(toApiRequest({ body: { a: 1 } }, { method: 'DELETE', path: 'Leads' }, 'u').body, undefined);
    const up = toApiRequest({ x_file_content: Buffer.from('hi') }, { method: 'POST', path: 'Leads/1/Attachments' }, 'u');
    assert.equal(up.multipart?.[0]?.field, 'file');
  });

  it('parses Content-Disposition file names as the old package did', () => {
    assert.equal(filenameFrom("attachment;filename*=UTF-8''a.png"), 'a.png');
    assert.equal(filenameFrom("attachment;filename*=UTF-8''resume%20file.png"), 'resume file.png');
    assert.equal(filenameFrom('attachment; filename="report.pdf"'), 'report.pdf');
    assert.equal(filenameFrom('inline'), undefined);
  });
});
