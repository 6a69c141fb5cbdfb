/**
 * An emulator in its own process, for tests that must see whether a request kills it (the node test runner
 * swallows an uncaught exception of the process it runs in).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { tokenPost, type Tokens } from './helpers.js';

/** An emulator in its own process, so a request that kills it is seen as such. */
export interface ChildEmulator {
  url: string;
  client: { clientId: string; clientSecret: string };
  tokens: Tokens;
  /** Output the child wrote to stderr so far. */
  stderr(): string;
  exitCode(): number | null;
  /** Ends stdin (the child closes its emulator) and resolves with the exit code. */
  stop(): Promise<number | null>;
}

export async function startChildEmulator(): Promise<ChildEmulator> {
  const script = join(__dirname, 'fixtures/serve-emulator.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (stdout.includes('\n')) resolve(stdout.split('\n')[0]!);
    });
    void exited.then((code) => reject(new Error(`the emulator child exited (${String(code)}): ${stderr}`)));
  });
  const info = JSON.parse(line) as { url: string; clientId: string; clientSecret: string; grant: string };
  const reply = await tokenPost(info.url, {
    grant_type: 'authorization_code',
    client_id: info.clientId,
    client_secret: info.clientSecret,
    code: info.grant,
  });
  return {
    url: info.url,
    client: { clientId: info.clientId, clientSecret: info.clientSecret },
    tokens: reply.json as Tokens,
    stderr: () => stderr,
    exitCode: () => child.exitCode,
    stop: async () => {
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

