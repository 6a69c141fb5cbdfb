/**
 * The shared harness of the typescript-sdk-8.0 fidelity suites: one emulator over HTTPS and one driver child
 * (./driver.ts) per test file, the SDK initialised with a fresh grant, and `step()` to run one SDK call in the
 * child. A suite file calls `sdkSession({ groups })` inside its `describe` and writes only its `it`s.
 *
 * To cover more areas: write ./steps/<group>.ts exporting `steps: Steps` (helpers in ./sdk.ts), and a test file
 * ../zohocrm-typescript-sdk-8.0-<group>.test.ts that calls `sdkSession({ groups: ['<group>'] })`.
 */
import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { startEmulator, type Emulator, type RecordedRequest } from '../../../src/index.js';

/** The scopes the SDK's grant asks for unless a suite names its own: modules, settings, users, org (all) and COQL (read). */
export const DEFAULT_SDK_SCOPE = 'ZohoCRM.modules.ALL,ZohoCRM.settings.ALL,ZohoCRM.users.ALL,ZohoCRM.org.ALL,ZohoCRM.coql.READ';

/** What a step answered: the driver's plain JSON, read loosely by the tests. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type StepReply = Record<string, any>;

/** Options of sdkSession(). */
export interface SdkSessionOptions {
  /** Step modules (file names under ./steps, without `.ts`) the child loads besides `session`. */
  groups: string[];
  /** The grant's scope. @default DEFAULT_SDK_SCOPE */
  scope?: string;
  /** Runs on the started emulator before the SDK is initialised (register functions, seed state). */
  setup?: (emu: Emulator) => void | Promise<void>;
}

/** One running emulator + SDK child; valid from the suite's `before` hook until its `after` hook. */
export interface SdkSession {
  readonly emu: Emulator;
  /** A private temporary directory (SDK resources, log, token file); removed at the end. */
  readonly dir: string;
  /** The SDK's FileStore path. */
  readonly tokenFile: string;
  /** Runs one SDK step in the child and returns what the SDK handed back. */
  step(name: string, args?: Record<string, unknown>): Promise<StepReply>;
  /** The requests the emulator received whose path contains `pathPart`, oldest first. */
  requests(pathPart: string): RecordedRequest[];
  /** The last `method` request on exactly `path` (asserted to exist): its query and JSON body. */
  received(method: string, path: string): { query: Record<string, string>; json: StepReply };
}

/** Asserts a step answered one SuccessResponse item (`actionResult`) with code SUCCESS and HTTP `status`. */
export function assertActionSuccess(r: StepReply, status = 200): void {
  assert.equal(r['ok'], true, JSON.stringify(r));
  assert.equal(r['status'], status, JSON.stringify(r));
  assert.equal(r['itemClass'], 'SuccessResponse');
  assert.equal(r['code'], 'SUCCESS');
}

interface ChildMessage {
  ready?: boolean;
  id?: number;
  ok?: boolean;
  result?: StepReply;
  error?: string;
}

/**
 * Registers `before`/`after` hooks in the current suite that start the emulator (HTTPS, port 0) and the SDK child,
 * initialise the SDK with a fresh grant, and tear both down. Returns the session, usable inside tests.
 */
export function sdkSession(options: SdkSessionOptions): SdkSession {
  let emu: Emulator | undefined;
  let dir: string | undefined;
  let child: ChildProcess | undefined;
  let nextId = 0;
  const pending = new Map<number, { resolve: (r: StepReply) => void; reject: (e: Error) => void }>();
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('The SDK session is not started: use it inside the tests of the describe() that called sdkSession()');
    return value;
  };

  const session: SdkSession = {
    get emu() {
      return started(emu);
    },
    get dir() {
      return started(dir);
    },
    get tokenFile() {
      return join(started(dir), 'tokens.txt');
    },
    step(name, args = {}) {
      const to = started(child);
      const id = ++nextId;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        to.send({ id, step: name, args });
      });
    },
    requests(pathPart) {
      return started(emu).requests.filter((r) => r.path.includes(pathPart));
    },
    received(method, path) {
      const r = started(emu).requests.filter((x) => x.method === method && x.path === path).at(-1);
      assert.ok(r !== undefined, `the emulator received no ${method} ${path}`);
      return { query: r.query, json: r.body === '' ? {} : (JSON.parse(String(r.body)) as StepReply) };
    },
  };

  before(async () => {
    emu = await startEmulator({ port: 0, https: true });
    await options.setup?.(emu);
    dir = await mkdtemp(join(tmpdir(), 'zcrm-fidelity-v8-'));
    const caPath = join(dir, 'emulator-ca.pem');
    await writeFile(caPath, emu.ca ?? '');
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_EXTRA_CA_CERTS: caPath };
    delete env['NODE_TLS_REJECT_UNAUTHORIZED'];
    const forked = fork(join(__dirname, 'driver.ts'), options.groups, { execArgv: ['--import', 'tsx'], env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child = forked;
    await new Promise<void>((resolve, reject) => {
      forked.once('error', reject);
      forked.on('message', (m: ChildMessage) => {
        if (m.ready === true) return resolve();
        const waiter = m.id === undefined ? undefined : pending.get(m.id);
        if (waiter === undefined) return;
        pending.delete(m.id as number);
        if (m.ok === true) waiter.resolve(m.result ?? {});
        else waiter.reject(new Error(`SDK step failed: ${m.error ?? ''}`));
      });
      forked.once('exit', (code) => {
        const error = new Error(`SDK driver exited with ${String(code)}`);
        reject(error);
        for (const waiter of pending.values()) waiter.reject(error);
        pending.clear();
      });
    });
    const grant = await emu.grantToken({ scope: options.scope ?? DEFAULT_SDK_SCOPE });
    const init = await session.step('init', {
      url: emu.url,
      clientId: emu.client.clientId,
      clientSecret: emu.client.clientSecret,
      redirectUri: emu.client.redirectUri,
      grant,
      dir,
      tokenFile: session.tokenFile,
    });
    if (init['initialized'] !== true) throw new Error(`The SDK did not initialise: ${JSON.stringify(init)}`);
  });

  after(async () => {
    child?.kill();
    await emu?.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  return session;
}
