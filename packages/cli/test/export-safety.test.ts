import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { lstat, readFile, readlink, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { CsvRowParser } from 'zcrmsdk';
import { authedSandbox, startCli, untilLines } from './helpers.js';

async function csvFile(path: string): Promise<string[][]> {
  const rows: string[][] = [];
  for await (const row of createReadStream(path).pipe(new CsvRowParser()) as AsyncIterable<string[]>) rows.push(row);
  return rows;
}


test('export neutralises spreadsheet formulas by default (OWASP: a leading \'), --raw writes them as they are; --fields keeps id', async () => {
  const { emu, box, close } = await authedSandbox({ emptyModules: true });
  try {
    const [lead] = emu.crm.insert('Leads', [{ Last_Name: '=HYPERLINK("http://evil","x")', Company: '+1+cmd|/C calc!A0', Email: 'a@b.test', Description: '@SUM(A1)', Annual_Revenue: -5, City: '-2+3', Street: '\tTab', State: '\rCR' }]);
    const out = join(box.dir, 'leads.csv');
    const fields = 'Last_Name,Company,Description,Annual_Revenue,City,Street,State,Email';
    const res = await box.run(['export', 'Leads', '--out', out, '--fields', fields]);
    assert.equal(res.code, 0, res.stderr);
    const rows = await csvFile(out);
    assert.deepEqual(rows[0], ['id', ...fields.split(',')], '--fields exports keep the id column, first');
    assert.deepEqual(rows[1], [String(lead!['id']), '\'=HYPERLINK("http://evil","x")', "'+1+cmd|/C calc!A0", "'@SUM(A1)", '-5', "'-2+3", "'\tTab", "'\rCR", 'a@b.test']);
    const raw = join(box.dir, 'raw.csv');
    assert.equal((await box.run(['export', 'Leads', '--out', raw, '--fields', fields, '--raw'])).code, 0);
    assert.deepEqual((await csvFile(raw))[1], [String(lead!['id']), '=HYPERLINK("http://evil","x")', '+1+cmd|/C calc!A0', '@SUM(A1)', '-5', '-2+3', '\tTab', '\rCR', 'a@b.test']);
  } finally {
    await close();
  }
});

test('export --out never overwrites without --force and never writes through a symlink', async () => {
  const { emu, box, close } = await authedSandbox({ emptyModules: true });
  try {
    emu.crm.insert('Leads', [{ Last_Name: 'One', Company: 'Acme' }]);
    const out = join(box.dir, 'out.csv');
    await writeFile(out, 'precious\n');
    const refused = await box.run(['export', 'Leads', '--out', out, '--fields', 'Last_Name']);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /out\.csv exists; pass --force to replace it/);
    assert.equal(await readFile(out, 'utf8'), 'precious\n');

    const target = join(box.dir, 'target.txt');
    await writeFile(target, 'not yours\n');
    const link = join(box.dir, 'link.csv');
    await symlink(target, link);
    const viaLink = await box.run(['export', 'Leads', '--out', link, '--fields', 'Last_Name']);
    assert.equal(viaLink.code, 2);
    assert.match(viaLink.stderr, /link\.csv is a symlink \(output never follows one\)/);
    // A symlink planted where the partial file goes: refused; with --force the link is removed, its target untouched.
    await symlink(target, `${out}2.partial`);
    const viaPartial = await box.run(['export', 'Leads', '--out', `${out}2`, '--fields', 'Last_Name']);
    assert.equal(viaPartial.code, 2);
    assert.match(viaPartial.stderr, /out\.csv2\.partial is left from an interrupted export: run with --resume to continue it, or --force to start over/);
    assert.equal((await box.run(['export', 'Leads', '--out', `${out}2`, '--fields', 'Last_Name', '--force'])).code, 0);
    assert.equal(await readFile(target, 'utf8'), 'not yours\n');
    assert.deepEqual((await csvFile(`${out}2`)).map((r) => r[1]), ['Last_Name', 'One']);

    // --force replaces the link itself (rename), never the file it points at.
    const forced = await box.run(['export', 'Leads', '--out', link, '--fields', 'Last_Name', '--force']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal((await lstat(link)).isSymbolicLink(), false);
    assert.equal(await readFile(target, 'utf8'), 'not yours\n');
    assert.deepEqual((await csvFile(link)).map((r) => r[1]), ['Last_Name', 'One']);
    assert.equal((await box.run(['export', 'Leads', '--out', out, '--fields', 'Last_Name', '--force'])).code, 0);
    await assert.rejects(readlink(out));
  } finally {
    await close();
  }
});


test('Ctrl-C during export keeps <file>.partial, says where it stopped, and --resume completes it with every record once', async () => {
  const { emu, box, close } = await authedSandbox({ emptyModules: true });
  try {
    emu.crm.generate('Leads', 3000);
    // Each page takes a while, so the export is still running when the test sees the first pages on disk.
    emu.failNext({ method: 'GET', path: '/crm/v8/Leads', delayMs: 150, times: 1000 });
    const out = join(box.dir, 'leads.csv');
    const partial = `${out}.partial`;
    const run = startCli(box, ['export', 'Leads', '--out', out, '--fields', 'Last_Name', '--per-page', '100']);
    await untilLines(partial, 300);
    run.child.kill('SIGINT');
    const stopped = await run.done;
    assert.equal(stopped.code, 130, stopped.stderr);
    assert.match(stopped.stderr, /Interrupted after [\d,]+ Leads records \(next: (page \d+|page token)\)\. The records so far are in .*leads\.csv\.partial; run the same command with --resume to continue\./);
    await assert.rejects(lstat(out), 'no file under the final name');
    const kept = await csvFile(partial);
    assert.ok(kept.length > 300 && kept.length < 3001, `${kept.length} rows kept`);
    assert.equal((kept.length - 1) % 100, 0, 'whole pages only');

    const resumed = await box.run(['export', 'Leads', '--out', out, '--resume']);
    assert.equal(resumed.code, 0, resumed.stderr);
    const rows = await csvFile(out);
    assert.deepEqual(rows[0], ['id', 'Last_Name']);
    const ids = rows.slice(1).map((r) => r[0]);
    assert.equal(ids.length, 3000);
    assert.equal(new Set(ids).size, 3000, 'every record exactly once');
    await assert.rejects(lstat(partial));
    await assert.rejects(lstat(`${partial}.json`));
  } finally {
    await close();
  }
});
