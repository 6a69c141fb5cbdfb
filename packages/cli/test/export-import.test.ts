import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { CsvRowParser } from 'zcrmsdk';
import { CLI, authedSandbox } from './helpers.js';

const exec = promisify(execFile);

test('export past 2,000 records on v8 (page_token) to CSV and JSON Lines; progress only on a terminal', async () => {
  const { emu, box, close } = await authedSandbox();
  try {
    emu.crm.generate('Leads', 2300);
    const total = emu.crm.records('Leads').length;
    const env = { ZCRM_API_VERSION: 'v8' };
    const csvFile = join(box.dir, 'leads.csv');
    const res = await box.run(['--json', 'export', 'Leads', '--format', 'csv', '--out', csvFile, '--fields', 'Last_Name,Email,Owner'], { env });
    assert.equal(res.code, 0, res.stderr);
    assert.equal((JSON.parse(res.stdout) as { records: number }).records, total);
    assert.equal(res.stderr, '', 'no progress when stderr is not a terminal');
    const rows: string[][] = [];
    for await (const row of createReadStream(csvFile).pipe(new CsvRowParser()) as AsyncIterable<string[]>) rows.push(row);
    assert.deepEqual(rows[0], ['id', 'Last_Name', 'Email', 'Owner'], '--fields keeps the id column');
    assert.equal(rows.length, total + 1);
    assert.match(rows[1]![3]!, /^\d+$/, 'a lookup exports as its id');
    const tokens = emu.requests.filter((r) => r.path === '/crm/v8/Leads').map((r) => r.query['page_token']);
    assert.ok(tokens.some((t) => t !== undefined), 'paged on with page_token');

    const jsonl = join(box.dir, 'leads.jsonl');
    const plain = await box.run(['export', 'Leads', '--format', 'jsonl', '--out', jsonl, '--criteria', '(Last_Name:starts_with:A)'], { env });
    assert.equal(plain.code, 0, plain.stderr);
    const lines = (await readFile(jsonl, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { Last_Name: string });
    assert.ok(lines.length > 0 && lines.every((l) => l.Last_Name.startsWith('A')));

    // A pseudo-terminal (util-linux `script`): the progress line shows records and the rate.
    const cmd = [process.execPath, CLI, 'export', 'Leads', '--out', join(box.dir, 'tty.csv'), '--fields', 'Last_Name'].map((a) => `'${a}'`).join(' ');
    const tty = await exec('script', ['-qec', cmd, '/dev/null'], { env: { ...box.env, ...env, NO_COLOR: '1' }, cwd: box.dir });
    // The emulator serves {module}/actions/count, so the progress line knows the total and shows an ETA.
    assert.match(tty.stdout, new RegExp(`Exporting Leads: ${total.toLocaleString('en-US')}/${total.toLocaleString('en-US')} records  [\\d,]+/s  ETA`));
    assert.match(tty.stdout, /\r/, 'redrawn in place');
  } finally {
    await close();
  }
});

test('import CSV in chunks of 100: every row reported, failures never dropped (exit 1); --upsert-on Email updates instead of duplicating', async () => {
  const { emu, box, close } = await authedSandbox();
  try {
    const before = emu.crm.records('Leads').length;
    const lines = ['Last_Name,Company,Email,Annual_Revenue'];
    for (let i = 1; i <= 250; i++) lines.push(i % 100 === 7 ? `,NoName ${i},bad${i}@example.com,` : `Imp ${i},"Co, ${i}",imp${i}@example.com,${i * 1000}`);
    const file = join(box.dir, 'in.csv');
    await writeFile(file, `${lines.join('\r\n')}\r\n`);
    emu.clearRequests();
    const res = await box.run(['--json', 'import', 'Leads', file]);
    assert.equal(res.code, 1, 'some rows failed');
    const summary = JSON.parse(res.stdout) as { rows: number; succeeded: number; failed: number; report: string };
    assert.deepEqual([summary.rows, summary.succeeded, summary.failed], [250, 247, 3]);
    const writes = emu.requests.filter((r) => r.method === 'POST' && r.path === '/crm/v8/Leads');
    assert.equal(writes.length, 3, '100 + 100 + 50');
    const reported = (await readFile(summary.report, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { row: number; status: string; code: string; id?: string; run?: unknown });
    assert.ok(reported[0]?.run, 'each run starts with a run line');
    const report = reported.slice(1);
    assert.deepEqual(report.map((r) => r.row), Array.from({ length: 250 }, (_, i) => i + 1));
    assert.deepEqual(report.filter((r) => r.status === 'error').map((r) => [r.row, r.code]), [[7, 'MANDATORY_NOT_FOUND'], [107, 'MANDATORY_NOT_FOUND'], [207, 'MANDATORY_NOT_FOUND']]);
    assert.equal(emu.crm.records('Leads').length, before + 247);
    const one = emu.crm.records('Leads').find((r) => r['Email'] === 'imp2@example.com')!;
    assert.equal(one['Company'], 'Co, 2');
    assert.equal(one['Annual_Revenue'], 2000, 'typed from field metadata');

    const again = join(box.dir, 'again.csv');
    await writeFile(again, 'Last_Name,Company,Email\nRenamed,Acme,imp2@example.com\nNew One,Acme,new1@example.com\n');
    const upsert = await box.json<{ succeeded: number; report: string }>(['import', 'Leads', again, '--upsert-on', 'Email']);
    assert.equal(upsert.succeeded, 2);
    assert.equal(emu.crm.records('Leads').length, before + 248, 'one updated, one inserted');
    assert.equal(emu.crm.records('Leads').find((r) => r['Email'] === 'imp2@example.com')!['Last_Name'], 'Renamed');
  } finally {
    await close();
  }
});
