import assert from 'node:assert/strict';
import { readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { authedSandbox, startCli, untilLines } from './helpers.js';

interface ReportLine {
  row?: number;
  status?: string;
  code?: string;
  id?: string;
  message?: string;
  run?: { resume: boolean };
}

async function reportLines(path: string): Promise<ReportLine[]> {
  return (await readFile(path, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as ReportLine);
}

/** The lines of each run, split at the run lines. */
function runs(lines: ReportLine[]): ReportLine[][] {
  const out: ReportLine[][] = [];
  for (const line of lines) {
    if (line.run) out.push([]);
    else out[out.length - 1]!.push(line);
  }
  return out;
}

test('import keeps earlier reports (appends a run), reports rows with cells beyond the header, and refuses a report symlink', async () => {
  const { emu, box, close } = await authedSandbox({ emptyModules: true });
  try {
    const file = join(box.dir, 'in.csv');
    await writeFile(file, 'Last_Name,Company\nAnn,Acme\nBob,Acme,EXTRA\nCid,Acme\n');
    const first = await box.run(['import', 'Leads', file]);
    assert.equal(first.code, 1, first.stderr);
    assert.match(first.stderr, /2 written, 1 failed of 3 rows/);
    const second = await box.run(['import', 'Leads', file]);
    assert.equal(second.code, 1);
    const all = runs(await reportLines(`${file}.report.jsonl`));
    assert.equal(all.length, 2, 'the second run appended; the first run\'s results are still there');
    for (const lines of all) {
      assert.deepEqual(lines.map((l) => [l.row, l.code]), [[1, 'SUCCESS'], [2, 'INVALID_ROW'], [3, 'SUCCESS']]);
      assert.match(lines[1]!.message!, /Row 2 has 3 cells but the header has 2; not sent/);
    }
    assert.deepEqual(emu.crm.records('Leads').map((r) => r['Last_Name']).sort(), ['Ann', 'Ann', 'Cid', 'Cid'], 'the row with an extra cell is never sent');

    const target = join(box.dir, 'target.txt');
    await writeFile(target, 'keep\n');
    await symlink(target, join(box.dir, 'link.jsonl'));
    const viaLink = await box.run(['import', 'Leads', file, '--report', join(box.dir, 'link.jsonl')]);
    assert.equal(viaLink.code, 2);
    assert.match(viaLink.stderr, /Cannot write the report .*link\.jsonl: it is a symlink/);
    assert.equal(await readFile(target, 'utf8'), 'keep\n');
  } finally {
    await close();
  }
});

test('an unclosed quote is an error naming the row and line, not rows swallowed into one cell', async () => {
  const { emu, box, close } = await authedSandbox({ emptyModules: true });
  try {
    const file = join(box.dir, 'bad.csv');
    await writeFile(file, 'Last_Name,Company\nA1,Acme\n"B2,Acme\nC3,Acme\nD4,Acme\nE5,Acme\n');
    const res = await box.run(['import', 'Leads', file]);
    assert.equal(res.code, 2, res.stderr);
    assert.match(res.stderr, /bad\.csv: the quote opened in row 2 \(line 3\) is never closed/);
    const lines = runs(await reportLines(`${file}.report.jsonl`))[0]!;
    assert.deepEqual(lines.map((l) => [l.row, l.code]), [[1, 'NOT_WRITTEN']], 'the row read before the error is reported, not silently sent');
    assert.equal(emu.crm.records('Leads').length, 0);
  } finally {
    await close();
  }
});


test('Ctrl-C during import: the chunk in flight finishes, every result is reported, the rest NOT_SENT, exit 130; --resume writes no row twice', async () => {
  const { emu, box, close } = await authedSandbox({ emptyModules: true });
  try {
    const file = join(box.dir, 'big.csv');
    const rows = Array.from({ length: 3000 }, (_, i) => `Lead ${i + 1},Acme`);
    await writeFile(file, `Last_Name,Company\n${rows.join('\n')}\n`);
    const reportPath = `${file}.report.jsonl`;
    // Each write takes a while, so the import is still running when the test sees results on disk.
    emu.failNext({ method: 'POST', path: '/crm/v8/Leads', delayMs: 100, times: 1000 });
    const run = startCli(box, ['import', 'Leads', file]);
    await untilLines(reportPath, 300);
    run.child.kill('SIGINT');
    const stopped = await run.done;
    assert.equal(stopped.code, 130, stopped.stderr);
    assert.match(stopped.stderr, /(\d+) written, 0 failed, (\d+) not sent of 3000 rows; per-row results in/);
    assert.match(stopped.stderr, /run the same command with --resume/);

    const first = runs(await reportLines(reportPath))[0]!;
    assert.deepEqual(first.map((l) => l.row), Array.from({ length: 3000 }, (_, i) => i + 1), 'one line per row, in order');
    const written = first.filter((l) => l.code === 'SUCCESS');
    assert.ok(written.length >= 300 && written.length < 3000 && written.length % 100 === 0, `${written.length} written: whole chunks`);
    assert.ok(first.slice(written.length).every((l) => l.code === 'NOT_SENT'), 'everything after the last chunk is NOT_SENT');
    // Every record the server created is in the report with its id.
    const created = emu.crm.records('Leads');
    assert.equal(created.length, written.length);
    assert.deepEqual(new Set(written.map((l) => l.id)), new Set(created.map((r) => r['id'])));

    const resumed = await box.run(['import', 'Leads', file, '--resume']);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stderr, new RegExp(`${3000 - written.length} written, 0 failed, ${written.length} skipped \\(done in an earlier run\\) of 3000 rows`));
    const names = emu.crm.records('Leads').map((r) => r['Last_Name']);
    assert.equal(names.length, 3000);
    assert.equal(new Set(names).size, 3000, 'no row written twice');
  } finally {
    await close();
  }
});
