/** Runs the built `zcrm` (packages/cli/dist/index.js) as a child process, with its own config folder and cwd. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startEmulator, type Emulator, type EmulatorOptions } from '@zcrmsdk/emulator';

export const CLI = resolve(__dirname, '../dist/index.js');
export const ALL_SCOPES = 'ZohoCRM.modules.ALL,ZohoCRM.settings.ALL,ZohoCRM.users.ALL,ZohoCRM.org.ALL,ZohoCRM.coql.READ';

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A temp working directory and config folder; `env` points the CLI at `emu` when given. */
export interface Sandbox {
  dir: string;
  env: NodeJS.ProcessEnv;
  run(args: string[], options?: { input?: string | undefined; env?: NodeJS.ProcessEnv; cwd?: string }): Promise<RunResult>;
  /** `run` with `--json`, parsing stdout; fails the test on a non-zero exit unless `expectCode` says otherwise. */
  json<T = unknown>(args: string[], options?: { input?: string; expectCode?: number }): Promise<T>;
  close(): Promise<void>;
}

export async function sandbox(emu?: Emulator): Promise<Sandbox> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first.`);
  const dir = await mkdtemp(join(tmpdir(), `zcrm-cli-${process.pid}-`));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    HOME: dir,
    ZCRM_CONFIG_DIR: join(dir, 'config'),
    NO_COLOR: '1',
  };
  if (emu) {
    Object.assign(env, {
      ZCRM_ACCOUNTS_URL: emu.url,
      ZCRM_API_URL: emu.url,
      ZCRM_CLIENT_ID: emu.client.clientId,
      ZCRM_CLIENT_SECRET: emu.client.clientSecret,
    });
  }
  const run: Sandbox['run'] = (args, options = {}) => runCli(args, { env: { ...env, ...options.env }, cwd: options.cwd ?? dir, input: options.input });
  return {
    dir,
    env,
    run,
    async json<T>(args: string[], options: { input?: string; expectCode?: number } = {}): Promise<T> {
      const res = await run(['--json', ...args], { input: options.input });
      const expected = options.expectCode ?? 0;
      if (res.code !== expected) throw new Error(`zcrm ${args.join(' ')} exited ${res.code} (expected ${expected}):\n${res.stderr}\n${res.stdout}`);
      return JSON.parse(res.stdout) as T;
    },
    close: () => rm(dir, { recursive: true, force: true }),
  };
}

export function runCli(args: string[], options: { env: NodeJS.ProcessEnv; cwd: string; input?: string | undefined }): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: options.env, cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/** Starts `zcrm args` in the sandbox as a child (for signals); `done` resolves its exit code and output. */
export function startCli(box: Sandbox, args: string[]): { child: ChildProcess; done: Promise<RunResult> } {
  const child = spawn(process.execPath, [CLI, ...args], { env: box.env, cwd: box.dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const done = new Promise<RunResult>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { child, done };
}

/** Resolves once `path` has more than `lines` lines, polling (no fixed sleep: the machine may be slow). */
export async function untilLines(path: string, lines: number): Promise<void> {
  while ((await readFile(path, 'utf8').catch(() => '')).split('\n').length <= lines) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** An emulator plus a sandbox whose user already has tokens (exchanged through `zcrm auth grant`). */
export async function authedSandbox(options: EmulatorOptions = {}): Promise<{ emu: Emulator; box: Sandbox; close(): Promise<void> }> {
  const emu = await startEmulator({ port: 0, ...options });
  const box = await sandbox(emu);
  const grant = await box.run(['auth', 'grant', await emu.grantToken({ scope: ALL_SCOPES })]);
  if (grant.code !== 0) throw new Error(`auth grant failed: ${grant.stderr}`);
  return {
    emu,
    box,
    async close() {
      await box.close();
      await emu.close();
    },
  };
}
