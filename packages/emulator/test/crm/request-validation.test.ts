/**
 * `validateRequests`: on (the default) a v8 body that breaks the operation's request schema is refused with
 * Zoho's INVALID_DATA naming the json_path; off, the same request reaches the operation's handler unchecked.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_VALIDATE_REQUESTS, startEmulator, type Emulator } from '../../src/index.js';

interface Reply {
  status: number;
  json: Record<string, unknown>;
}

async function tokenFor(emu: Emulator): Promise<string> {
  const code = await emu.grantToken();
  const body = new URLSearchParams({ grant_type: 'authorization_code', client_id: emu.client.clientId, client_secret: emu.client.clientSecret, code });
  const res = await fetch(`${emu.url}/oauth/v2/token`, { method: 'POST', body });
  return ((await res.json()) as { access_token: string }).access_token;
}

async function postTag(emu: Emulator, token: string, tag: unknown): Promise<Reply> {
  const res = await fetch(`${emu.url}/crm/v8/settings/tags?module=Leads`, {
    method: 'POST',
    headers: { authorization: `Zoho-oauthtoken ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ tags: [tag] }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe('emulator request validation switch', () => {
  const emus: Emulator[] = [];
  after(() => Promise.all(emus.map((e) => e.close())));
  let strict: Emulator;
  let lenient: Emulator;
  before(async () => {
    strict = await startEmulator();
    lenient = await startEmulator({ validateRequests: false });
    emus.push(strict, lenient);
  });

  it('validates by default: a tag name of the wrong type is INVALID_DATA with its json_path', async () => {
    assert.equal(DEFAULT_VALIDATE_REQUESTS, true);
    const reply = await postTag(strict, await tokenFor(strict), { name: 5 });
    assert.equal(reply.status, 400);
    assert.deepEqual(reply.json, {
      code: 'INVALID_DATA',
      details: { api_name: 'name', json_path: '$.tags[0].name', expected_data_type: 'string' },
      message: 'invalid data',
      status: 'error',
    });
  });

  it('with validateRequests: false the request reaches the handler, which answers for itself', async () => {
    const token = await tokenFor(lenient);
    const unchecked = await postTag(lenient, token, { name: 5 });
    assert.notEqual(unchecked.json['code'], 'INVALID_DATA');
    const created = await postTag(lenient, token, { name: 'Lenient' });
    assert.equal(created.status, 201);
    assert.equal((created.json['tags'] as { status: string }[])[0]?.status, 'success');
  });
});
