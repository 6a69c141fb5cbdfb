import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { authedSandbox } from './helpers.js';

interface Row {
  area: string;
  operationId: string;
  call: string;
}

test('zcrm api: list the operations, call one with path/query params and a body file, and refuse a bad call', async () => {
  const { emu, box, close } = await authedSandbox();
  try {
    const all = await box.json<Row[]>(['api', 'list']);
    assert.equal(all.length, 423 + 30); // the OAS's operations and our overlay's
    const currencies = await box.json<Row[]>(['api', 'list', 'currencies']);
    assert.deepEqual(currencies.map((o) => o.call).slice(0, 2), ['currencies.list(params)', 'currencies.create(params)']);
    const human = await box.run(['api', 'list', 'territories']);
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /Get Territory\s+GET\s+\/crm\/v8\/settings\/territories\/\{id\}\s+crm\.territories\.get\(id, params\)/);

    const rows = await box.json<{ id: string }[]>(['api', 'record', 'Get Records', '--param', 'module_api_name=Leads', '--param', 'fields=Last_Name,Email', '--param', 'per_page=2']);
    assert.equal(rows.length, 2);
    const sent = emu.requests.filter((r) => r.path === '/crm/v8/Leads').at(-1)!;
    assert.deepEqual([sent.query['fields'], sent.query['per_page']], ['Last_Name,Email', '2']);

    const table = await box.run(['api', 'users', 'list', '--param', 'per_page=2']);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /^.*\bid\b.*\n(.*\n){2}2 rows\n$/);

    const body = join(box.dir, 'body.json');
    await writeFile(body, JSON.stringify({ data: [{ Last_Name: 'Api', Company: 'Acme' }] }));
    const created = await box.json<{ status: string; id: string }[]>(['api', 'record', 'create', '--param', 'module_api_name=Leads', '--body', body]);
    assert.equal(created[0]!.status, 'success');
    assert.equal(emu.crm.records('Leads').find((r) => r['id'] === created[0]!.id)?.['Last_Name'], 'Api');

    const missing = await box.run(['api', 'currencies', 'get']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /needs --param id=\.\.\./);
    const unknown = await box.run(['api', 'currencies', 'frobnicate']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /No operation 'frobnicate' in currencies; use one of: 'Get Currencies' \(list\)/);
  } finally {
    await close();
  }
});
