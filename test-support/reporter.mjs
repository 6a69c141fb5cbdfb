// A short test report for people: one line per test file, every failure in full, then node's own totals
// ("# tests N", "# pass N", "# fail N" ... as the last lines, which CI reads). The full TAP goes to
// test-results.tap beside it (npm test passes both reporters).
const RED = process.stdout.isTTY && !process.env.NO_COLOR ? (s) => `\u001b[31m${s}\u001b[39m` : (s) => s;
const GREEN = process.stdout.isTTY && !process.env.NO_COLOR ? (s) => `\u001b[32m${s}\u001b[39m` : (s) => s;

export default async function* shortReporter(source) {
  const files = new Map();
  const failures = [];
  const totals = [];
  for await (const event of source) {
    const data = event.data ?? {};
    const file = data.file ? data.file.replace(`${process.cwd()}/`, '') : undefined;
    if (event.type === 'test:pass' || event.type === 'test:fail') {
      if (data.details?.type === 'suite') continue;
      const entry = files.get(file) ?? { pass: 0, fail: 0 };
      if (event.type === 'test:pass') entry.pass++;
      else {
        entry.fail++;
        const error = data.details?.error;
        const cause = error?.cause ?? error;
        failures.push(`${RED('✗')} ${file ?? ''} › ${data.name}\n${indent(String(cause?.stack ?? cause?.message ?? error))}`);
      }
      files.set(file, entry);
      // A file's own top-level event (nesting 0 with no name of a test in it) closes the file's line.
      if (data.nesting === 0 && file && data.name === file) yield fileLine(file, entry);
    } else if (event.type === 'test:diagnostic' && data.nesting === 0 && /^(tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) /.test(data.message)) {
      totals.push(`# ${data.message}`);
    }
  }
  for (const [file, entry] of files) if (file) yield fileLine(file, entry);
  if (failures.length > 0) yield `\n${RED(`${failures.length} failed:`)}\n${failures.join('\n\n')}\n`;
  const pass = [...files.values()].reduce((n, e) => n + e.pass, 0);
  const fail = [...files.values()].reduce((n, e) => n + e.fail, 0);
  yield `\n${totals.join('\n')}\n${pass} passed, ${fail} failed\n`;
}

function fileLine(file, entry) {
  return `${entry.fail > 0 ? RED('✗') : GREEN('✓')} ${file}  ${entry.pass} passed${entry.fail > 0 ? `, ${entry.fail} failed` : ''}\n`;
}

function indent(text) {
  return text.split('\n').slice(0, 25).map((l) => `    ${l}`).join('\n');
}
