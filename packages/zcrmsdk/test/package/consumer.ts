/**
 * The TypeScript consumer check of the consumer-*.test.ts files (one mode and @types/node each): a project in a
 * temp folder whose node_modules is this workspace's (zcrmsdk and @zcrmsdk/emulator resolve through their
 * package.json exports and types, as installed from the tarballs that pack.test.ts checks), compiled with
 * `strict` and `skipLibCheck: false` against @types/node 20 or the newest (the aliased root devDependency).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const REPO = resolve(__dirname, '../../../..');

/** Uses every public entry point of the SDK and the emulator (the CLI exports no types). */
const CONSUMER = `import ZCRMRestClient, { ZohoCRM, ZohoError, type BulkRowStream, type LegacyResponse } from 'zcrmsdk';
  import Legacy, { ZohoCRM as ZohoCRM2 } from 'zcrmsdk/lib/js/ZCRMRestClient';
  import LegacyJs from 'zcrmsdk/lib/js/ZCRMRestClient.js';
  import { getOAuthTokens, saveOAuthTokens } from 'zcrmsdk/lib/js/mysql/mysql_util';
  import * as mysqlUtil from 'zcrmsdk/lib/js/mysql/mysql_util.js';
  import { operations, type OperationEntry } from 'zcrmsdk/operations';
  import { startEmulator } from '@zcrmsdk/emulator';
  export async function main(rows: BulkRowStream): Promise<void> {
    await ZCRMRestClient.initialize({ client_id: 'a', client_secret: 'b', redirect_url: 'c' });
    const res = await Legacy.API.MODULES.get({ module: 'Leads', params: { page: 1 } });
    const body: string = typeof res === 'string' ? res : (res as LegacyResponse).body;
    const same: boolean = LegacyJs === Legacy && ZohoCRM2 === ZohoCRM;
    const tokens = await getOAuthTokens('me');
    await saveOAuthTokens({ user_identifier: 'me' });
    await mysqlUtil.deleteOAuthTokens('me');
    const client = new ZohoCRM({ clientId: 'a', clientSecret: 'b' });
    for await (const row of rows) {
      const id: string | undefined = row['Id'];
      void id;
    }
    rows.pipe(process.stdout);
    const emu = await startEmulator({ port: 0 });
    const grant: string = await emu.grantToken({ scope: 'ZohoCRM.modules.ALL' });
    const first: OperationEntry | undefined = operations[0];
    void body; void same; void first; void tokens; void client; void grant; void (ZohoError as unknown);
  }
`;

/** The module settings a consumer is checked with. */
const MODES = {
  // consumer.ts as CommonJS and consumer.mts as ESM, in one program.
  nodenext: ['--module', 'nodenext', '--moduleResolution', 'nodenext', 'consumer.ts', 'consumer.mts'],
  // The `import` conditions' types, as bundlers resolve them.
  bundler: ['--module', 'esnext', '--moduleResolution', 'bundler', 'consumer.ts'],
} as const;

/** The @types/node versions: the one beside the package today (20) and the newest (the aliased root devDependency). */
const TYPES_NODE = { '20': [], newest: ['--typeRoots', './types-latest'] } as const;

/**
 * Compiles the consumer in a temp project with `strict`, `skipLibCheck: false` and no DOM (a Node project's lib,
 * as @tsconfig/node20 has it); one tsc run per test file, so each file stays within the suite's timeout.
 */
export async function checkConsumer(mode: keyof typeof MODES, types: keyof typeof TYPES_NODE): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'zcrm-consumer-'));
  try {
    await symlink(join(REPO, 'node_modules'), join(dir, 'node_modules'), 'dir');
    await mkdir(join(dir, 'types-latest'));
    await symlink(join(REPO, 'node_modules', '@types', 'node-latest'), join(dir, 'types-latest', 'node'), 'dir');
    await writeFile(join(dir, 'consumer.ts'), CONSUMER);
    await writeFile(join(dir, 'consumer.mts'), CONSUMER);
    const tsc = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
    const common = ['--noEmit', '--strict', '--skipLibCheck', 'false', '--target', 'es2022', '--lib', 'es2023', '--types', 'node'];
    await run(process.execPath, [tsc, ...common, ...TYPES_NODE[types], ...MODES[mode]], { cwd: dir }).catch((e: { stdout: string }) => assert.fail(e.stdout));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
