import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type Emulator } from '../../src/index.js';

interface Reply {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
  bytes: Buffer;
}

describe('CRM routes over real HTTP', () => {
  let emu: Emulator;
  let token: string;

  const api = async (method: string, path: string, body?: string | FormData): Promise<Reply> => {
    const res = await fetch(`${emu.url}${path}`, {
      method,
      headers: { Authorization: `Zoho-oauthtoken ${token}` },
      ...(body === undefined ? {} : { body }),
    });
    const bytes = Buffer.from(await res.arrayBuffer());
    const type = res.headers.get('content-type') ?? '';
    return { status: res.status, headers: res.headers, bytes, json: type.startsWith('application/json') ? JSON.parse(bytes.toString()) : undefined };
  };

  before(async () => {
    emu = await startEmulator({ seed: 11, emptyModules: true });
    const code = await emu.grantToken({ scope: 'ZohoCRM.modules.ALL,ZohoCRM.settings.ALL,ZohoCRM.users.ALL,ZohoCRM.org.ALL' });
    const params = new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: emu.client.clientId,
      client_secret: emu.client.clientSecret,
      code,
    });
    const res = await fetch(`${emu.url}/oauth/v2/token?${params.toString()}`, { method: 'POST' });
    token = ((await res.json()) as { access_token: string }).access_token;
  });
  after(() => emu.close());

  it('runs the SDK scenario: list → create → update → search → attach → convert → delete', async () => {
    const empty = await api('GET', '/crm/v2/Leads');
    assert.equal(empty.status, 204);
    assert.equal(empty.headers.get('content-type'), null);
    assert.equal(empty.bytes.length, 0);

    const created = await api('POST', '/crm/v2/Leads', JSON.stringify({ data: [{ Last_Name: 'Smith', Company: 'Acme é', Email: 'smith@acme.example' }] }));
    assert.equal(created.status, 201);
    assert.match(String(created.headers.get('content-type')), /^application\/json/);
    const id = created.json.data[0].details.id as string;

    const updated = await api('PUT', `/crm/v2/Leads/${id}`, JSON.stringify({ data: [{ First_Name: 'Jo' }] }));
    assert.equal(updated.json.data[0].message, 'record updated');

    const found = await api('GET', '/crm/v2/Leads/search?criteria=(Last_Name:equals:Smith)&');
    assert.equal(found.json.data[0].Full_Name, 'Jo Smith');
    assert.equal(found.json.data[0].Company, 'Acme é');

    const form = new FormData();
    form.append('file', new Blob([Buffer.from('%PDF-1.4 test')], { type: 'application/pdf' }), 'quote.pdf');
    const up = await api('POST', `/crm/v2/Leads/${id}/Attachments`, form);
    assert.equal(up.json.data[0].message, 'attachment uploaded successfully');
    const dl = await api('GET', `/crm/v2/Leads/${id}/Attachments/${String(up.json.data[0].details.id)}`);
    assert.equal(dl.headers.get('content-disposition'), "attachment;filename*=UTF-8''quote.pdf");
    assert.equal(dl.headers.get('content-type'), 'application/pdf');
    assert.equal(dl.bytes.toString(), '%PDF-1.4 test');

    const converted = await api('POST', `/crm/v2/Leads/${id}/actions/convert`, JSON.stringify({ data: [{ overwrite: true }] }));
    assert.equal(converted.status, 200);
    assert.match(converted.json.data[0].Contacts, /^\d+$/);
    const contact = await api('GET', `/crm/v2/Contacts/${String(converted.json.data[0].Contacts)}/Attachments`);
    assert.equal(contact.json.data[0].File_Name, 'quote.pdf');

    const deleted = await api('DELETE', `/crm/v2/Contacts?ids=${String(converted.json.data[0].Contacts)}&`);
    assert.equal(deleted.json.data[0].message, 'record deleted');
    const bin = await api('GET', '/crm/v2/Contacts/deleted');
    assert.equal(bin.json.data[0].id, converted.json.data[0].Contacts);
  });

  it('serves metadata the official SDK fetches and tolerates zcrmsdk quirks', async () => {
    const modules = await api('GET', '/crm/v2/settings/modules');
    assert.ok(modules.json.modules.every((m: { generated_type: unknown }) => m.generated_type !== null));
    const fields = await api('GET', '/crm/v2/settings/fields?module=Leads');
    assert.ok(fields.json.fields.some((f: { api_name: string }) => f.api_name === 'Last_Name'));
    const org = await api('GET', '/crm/v2/org?module=undefined');
    assert.equal(org.json.org.length, 1);
    const bad = await api('GET', '/crm/v2/NoSuchModule');
    assert.deepEqual([bad.status, bad.json.code], [400, 'INVALID_MODULE']);
  });
});
