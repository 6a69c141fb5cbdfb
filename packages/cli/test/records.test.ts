import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { startEmulator } from '@zcrmsdk/emulator';
import { ALL_SCOPES, authedSandbox, sandbox } from './helpers.js';

interface Rec {
  id: string;
  [key: string]: unknown;
}
interface Result {
  status: string;
  code: string;
  id?: string;
}

test('records list / get / create (file and stdin, JSON and JSONL) / update / upsert / search / delete, and coql', async () => {
  const { emu, box, close } = await authedSandbox();
  try {
    const page = await box.json<Rec[]>(['records', 'list', 'Leads', '--per-page', '5', '--fields', 'Last_Name,Email']);
    assert.equal(page.length, 5);
    const listCall = emu.requests.filter((r) => r.path === '/crm/v8/Leads').at(-1)!;
    assert.equal(listCall.query['per_page'], '5');
    assert.equal(listCall.query['fields'], 'Last_Name,Email');

    const human = await box.run(['records', 'list', 'Leads', '--per-page', '3', '--fields', 'Last_Name,Email']);
    assert.equal(human.code, 0, human.stderr);
    const lines = human.stdout.trim().split('\n');
    assert.match(lines[0]!, /^id\s+Last_Name\s+Email$/);
    assert.equal(lines.length, 5, 'header, 3 rows, count');
    assert.equal(lines[1]!.indexOf(page[0]!['Last_Name'] as string), lines[0]!.indexOf('Last_Name'), 'columns aligned');

    const file = join(box.dir, 'new.jsonl');
    await writeFile(file, '{"Last_Name":"Cli1","Company":"Acme","Email":"cli1@example.com"}\n{"Last_Name":"Cli2","Company":"Acme","Email":"cli2@example.com"}\n');
    const created = await box.json<Result[]>(['records', 'create', 'Leads', file]);
    assert.deepEqual(created.map((r) => r.status), ['success', 'success']);
    const fromStdin = await box.json<Result[]>(['records', 'create', 'Leads'], { input: JSON.stringify([{ Last_Name: 'Cli3', Company: 'Acme' }, { Company: 'no last name' }]), expectCode: 1 });
    assert.deepEqual(fromStdin.map((r) => r.status), ['success', 'error'], 'one bad record is a result, not a throw');
    const failedRun = await box.run(['records', 'create', 'Leads'], { input: '{"Company":"still no last name"}' });
    assert.equal(failedRun.code, 1, 'a failed record makes the command exit 1');
    assert.match(failedRun.stdout, /0 succeeded, 1 failed/);

    const id = created[0]!.id!;
    const got = await box.json<Rec>(['records', 'get', 'Leads', id]);
    assert.equal(got['Last_Name'], 'Cli1');
    const updated = await box.json<Result[]>(['records', 'update', 'Leads', '-'], { input: JSON.stringify({ id, Lead_Status: 'Contacted' }) });
    assert.equal(updated[0]!.status, 'success');
    assert.equal(emu.crm.records('Leads').find((r) => r['id'] === id)?.['Lead_Status'], 'Contacted');
    const noId = await box.run(['records', 'update', 'Leads'], { input: '{"Lead_Status":"x"}' });
    assert.equal(noId.code, 2);
    assert.match(noId.stderr, /has no "id"/);
    const upserted = await box.json<Result[]>(['records', 'upsert', 'Leads', '--duplicate-check', 'Email'], {
      input: JSON.stringify({ Last_Name: 'Cli1b', Company: 'Acme', Email: 'cli1@example.com' }),
    });
    assert.equal(upserted[0]!.id, id, 'matched on Email');

    const found = await box.json<Rec[]>(['records', 'search', 'Leads', '--email', 'cli2@example.com']);
    assert.deepEqual(found.map((r) => r['Last_Name']), ['Cli2']);
    const byCriteria = await box.json<Rec[]>(['records', 'search', 'Leads', '--criteria', '(Last_Name:equals:Cli1b)']);
    assert.deepEqual(byCriteria.map((r) => r.id), [id]);
    const two = await box.run(['records', 'search', 'Leads', '--email', 'a@b.c', '--word', 'x']);
    assert.equal(two.code, 2);

    const rows = await box.json<Rec[]>(['coql', "select Last_Name, Email from Leads where Email = 'cli2@example.com'"]);
    assert.deepEqual(rows.map((r) => r['Last_Name']), ['Cli2']);
    const coqlText = await box.run(['coql', "select Last_Name, Email from Leads where Email = 'cli2@example.com'"]);
    assert.match(coqlText.stdout, /Last_Name\s+Email/);

    const deleted = await box.json<Result[]>(['records', 'delete', 'Leads', id, created[1]!.id!]);
    assert.deepEqual(deleted.map((r) => r.status), ['success', 'success']);
    assert.equal(emu.crm.records('Leads').find((r) => r['id'] === id), undefined);

    const missing = await box.run(['records', 'get', 'Leads', '1']);
    assert.equal(missing.code, 1, 'an API error exits 1');
    const badModule = await box.run(['records', 'list', '../x']);
    assert.equal(badModule.code, 2, 'an invalid module name is a usage error');
    assert.match(badModule.stderr, /module/i);
  } finally {
    await close();
  }
});

test('records list --all pages past one page; --limit stops early; ZCRM_GRANT_CODE is exchanged on first use', async () => {
  const emu = await startEmulator({ port: 0 });
  const box = await sandbox(emu);
  emu.crm.generate('Leads', 100);
  try {
    const code = await emu.grantToken({ scope: ALL_SCOPES });
    const first = await box.run(['--json', 'records', 'list', 'Leads', '--per-page', '20', '--limit', '45', '--fields', 'Last_Name'], { env: { ZCRM_GRANT_CODE: code } });
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, /Exchanged ZCRM_GRANT_CODE/);
    assert.equal((JSON.parse(first.stdout) as Rec[]).length, 45);
    const pages = emu.requests.filter((r) => r.path === '/crm/v8/Leads').map((r) => r.query['page']);
    assert.deepEqual(pages, [undefined, '2', '3'], 'pages fetched only as needed');
    // The code is spent; stored tokens are used from now on.
    const again = await box.run(['--json', 'records', 'list', 'Leads', '--per-page', '200', '--all', '--fields', 'Last_Name'], { env: { ZCRM_GRANT_CODE: code } });
    assert.equal(again.code, 0, again.stderr);
    assert.equal((JSON.parse(again.stdout) as Rec[]).length, emu.crm.records('Leads').length);
  } finally {
    await box.close();
    await emu.close();
  }
});
