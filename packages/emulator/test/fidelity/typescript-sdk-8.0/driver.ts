/**
 * Child process of the typescript-sdk-8.0 fidelity suites (./harness.ts forks it): drives Zoho's
 * @zohocrm/typescript-sdk-8.0, unmodified, one step per IPC message, and answers with plain JSON describing what
 * the SDK handed back. It runs in its own process because the emulator's CA must be trusted at start-up
 * (NODE_EXTRA_CA_CERTS), with certificate checking on.
 *
 * Steps live in ./steps/<group>.ts, each exporting `steps`; the child loads `session` and the groups named in
 * its argv, and refuses a step name two groups both define.
 */
import { join } from 'node:path';
import type { Args, Steps } from './sdk.js';

const GROUP_NAME = /^[a-z0-9-]+$/;

function load(groups: string[]): Steps {
  const all: Steps = {};
  for (const group of ['session', ...groups]) {
    if (!GROUP_NAME.test(group)) throw new Error(`step group '${group}' is not a file name under steps/ (lower-case, digits, '-')`);
    const { steps } = require(join(__dirname, 'steps', `${group}.ts`)) as { steps: Steps };
    for (const [name, step] of Object.entries(steps)) {
      if (all[name] !== undefined) throw new Error(`step '${name}' of group '${group}' is already defined by another group: rename one`);
      all[name] = step;
    }
  }
  return all;
}

const steps = load(process.argv.slice(2));

process.on('message', (message: { id: number; step: string; args?: Args }) => {
  const step = steps[message.step];
  const run = step === undefined ? Promise.reject(new Error(`unknown step ${message.step}`)) : step(message.args ?? {});
  run.then(
    // IPC is JSON: the SDK's BigInt ids travel as strings.
    (result) => process.send?.({ id: message.id, ok: true, result: JSON.parse(JSON.stringify(result, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))) }),
    (error: unknown) => {
      const e = error as { message?: string; code?: string; details?: unknown; cause?: { message?: string } };
      process.send?.({ id: message.id, ok: false, error: `${e?.code ?? ''} ${e?.message ?? String(error)} ${e?.cause?.message ?? ''} ${JSON.stringify(e?.details ?? null)}` });
    },
  );
});
process.send?.({ ready: true });
