/**
 * Suite-wide redaction guard, preloaded into every test process (`--import ./test/helpers/redaction-guard.ts`
 * in the `test` scripts). The emulator publishes each secret it issues (client secrets, grant codes, access
 * and refresh tokens) and the SDK publishes each ZohoError it constructs and each log line; if an issued
 * secret shows up in an error's message, `util.inspect` or `JSON.stringify`, or in a log line, the test
 * file's process fails with a message naming the file and what leaked (never the secret itself).
 */
import { subscribe } from 'node:diagnostics_channel';
import { relative } from 'node:path';
import { inspect } from 'node:util';

const SECRET_CHANNEL = 'zcrmsdk:emulator:secret';
const ERROR_CHANNEL = 'zcrmsdk:error';
const LOG_CHANNEL = 'zcrmsdk:log';
// Long enough that ordinary words never match (the SDK itself skips shorter ones too).
const MIN_LENGTH = 8;

/** The 32-hex halves of issued tokens, looked up by a scan of the text (cheap with thousands of tokens). */
const tokenParts = new Set<string>();
/** Secrets of other shapes (client secrets): few, checked with includes. */
const plainSecrets = new Set<string>();
const partLengths = new Set<number>();
const TOKEN = /^1000\.([0-9a-f]{16,})(?:\.([0-9a-f]{16,}))?$/i;
const HEX_RUN = /[0-9a-f]{16,}/gi;

const file = process.argv[1] ? relative(process.cwd(), process.argv[1]) : '(test runner)';
const leaks: string[] = [];
let pending: unknown[] = [];
let scheduled = false;

subscribe(SECRET_CHANNEL, (message) => {
  if (typeof message !== 'string' || message.length < MIN_LENGTH) return;
  const token = TOKEN.exec(message);
  if (!token) {
    plainSecrets.add(message);
    return;
  }
  for (const part of token.slice(1)) {
    if (!part) continue;
    tokenParts.add(part.toLowerCase());
    partLengths.add(part.length);
  }
});

// An error is published from the base constructor, before subclass fields exist: check it a tick later.
subscribe(ERROR_CHANNEL, (error) => {
  if (tokenParts.size === 0 && plainSecrets.size === 0) return;
  pending.push(error);
  if (!scheduled) {
    scheduled = true;
    setImmediate(flush).unref();
  }
});

subscribe(LOG_CHANNEL, (record) => {
  const message = (record as { message?: unknown } | null)?.message;
  if (typeof message === 'string') check(message, 'a log line');
});

function flush(): void {
  scheduled = false;
  const errors = pending;
  pending = [];
  for (const error of errors) {
    const name = (error as Error | null)?.constructor?.name ?? 'error';
    check(String((error as Error).message), `the message of a ${name}`);
    check(inspect(error, { depth: 8 }), `util.inspect() of a ${name}`);
    let json = '';
    try {
      json = JSON.stringify(error) ?? '';
    } catch (cause) {
      json = `JSON.stringify failed: ${String(cause)}`;
    }
    check(json, `JSON.stringify() of a ${name}`);
  }
}

function check(text: string, where: string): void {
  const found = leakIn(text);
  if (!found) return;
  const report = `[redaction-guard] ${file}: ${found} issued by the emulator appears in ${where}: ${excerpt(text)}`;
  leaks.push(report);
  process.exitCode = 1;
  process.stderr.write(`${report}\n`);
}

function leakIn(text: string): string | undefined {
  if (tokenParts.size > 0) {
    for (const run of text.matchAll(HEX_RUN)) if (hasTokenPart(run[0])) return 'a token or grant code';
  }
  for (const secret of plainSecrets) if (text.includes(secret)) return 'a client secret';
  return undefined;
}

// Set lookups of every window of a known length: constant cost per character, however many tokens exist.
function hasTokenPart(run: string): boolean {
  const lower = run.toLowerCase();
  for (const length of partLengths) {
    for (let i = 0; i + length <= lower.length; i++) if (tokenParts.has(lower.slice(i, i + length))) return true;
  }
  return false;
}

/** The text around the leak with every secret masked, so the report itself leaks nothing. */
function excerpt(text: string): string {
  let out = text.replace(HEX_RUN, (run) => (hasTokenPart(run) ? '<SECRET>' : run));
  for (const secret of plainSecrets) out = out.split(secret).join('<SECRET>');
  const at = Math.max(0, out.indexOf('<SECRET>') - 120);
  return JSON.stringify(out.slice(at, at + 300));
}

process.on('exit', () => {
  flush();
  if (leaks.length === 0) return;
  process.stderr.write(`[redaction-guard] ${file}: ${leaks.length} secret leak(s) in errors or log lines; failing this test file.\n`);
  process.exitCode = 1;
});
