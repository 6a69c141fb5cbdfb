import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseBody, parseQuery, parseUrlEncoded, splitPath } from '../../src/request-parser.js';

describe('request parser', () => {
  it('parses query strings leniently', () => {
    assert.deepEqual(parseQuery(''), {});
    assert.deepEqual(parseQuery('criteria=(Email:equals:a+b@x.com)&page=1&'), { criteria: '(Email:equals:a+b@x.com)', page: '1' });
    assert.deepEqual(parseQuery('module=undefined&type=AllUsers'), { type: 'AllUsers' });
    assert.deepEqual(parseQuery('q=100%&r=%41%zz%42&&flag'), { q: '100%', r: 'A%zzB', flag: '' });
    assert.deepEqual(parseQuery('a=1&a=2&b=x%2Cy'), { a: '2', b: 'x,y' });
  });

  it('parses urlencoded forms with + as space', () => {
    assert.deepEqual(parseUrlEncoded('a=b+c&d=%26&e'), { a: 'b c', d: '&', e: '' });
  });

  it('splits and decodes path segments', () => {
    assert.deepEqual(splitPath('/crm/v2//Leads/a%20b/'), ['crm', 'v2', 'Leads', 'a b']);
  });

  it('parses JSON whatever the Content-Type', async () => {
    assert.deepEqual((await parseBody(undefined, Buffer.from('{"a":1}'))).json, { a: 1 });
    assert.deepEqual((await parseBody('text/plain', Buffer.from('[1]'))).json, [1]);
    assert.equal((await parseBody(undefined, Buffer.from('nope'))).invalidBody, true);
    assert.equal((await parseBody(undefined, Buffer.alloc(0))).invalidBody, false);
    assert.deepEqual((await parseBody('application/x-www-form-urlencoded', Buffer.from('x=1'))).fields, { x: '1' });
  });
});
