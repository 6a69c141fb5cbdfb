/** A child process driven over IPC with request/response messages (`{ id, cmd, ... }` -> `{ id, result }`). */
import { fork, type ChildProcess } from 'node:child_process';

export interface Driven<R = unknown> {
  child: ChildProcess;
  ready: R;
  call<T = unknown>(cmd: string, args?: Record<string, unknown>): Promise<T>;
  close(): Promise<void>;
}

export async function drive<R>(script: string, args: string[] = [], env: Record<string, string> = {}): Promise<Driven<R>> {
  const child = fork(script, args, { execArgv: ['--import', 'tsx'], env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let next = 0;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const ready = await new Promise<R>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before it was ready`)));
    child.on('message', (raw) => {
      const msg = raw as { id?: number; ready?: boolean; result?: unknown; error?: string };
      if (msg.ready) return resolve(msg as R);
      const w = msg.id === undefined ? undefined : waiting.get(msg.id);
      if (!w) return;
      waiting.delete(msg.id as number);
      if (msg.error !== undefined) w.reject(new Error(msg.error));
      else w.resolve(msg.result);
    });
  });
  return {
    child,
    ready,
    call: <T>(cmd: string, extra: Record<string, unknown> = {}) =>
      new Promise<T>((resolve, reject) => {
        const id = next++;
        waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
        child.send({ id, cmd, ...extra });
      }),
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill();
      await exited;
    },
  };
}

/** Answers `{ id, cmd }` messages with `handlers[cmd](msg)`; announces `ready` first. */
export function serve(handlers: Record<string, (msg: Record<string, unknown>) => Promise<unknown>>): void {
  process.on('message', (raw) => {
    const msg = raw as Record<string, unknown> & { id: number; cmd: string };
    const handler = handlers[msg.cmd];
    if (!handler) return void process.send?.({ id: msg.id, error: `unknown command ${msg.cmd}` });
    handler(msg).then(
      (result) => process.send?.({ id: msg.id, result }),
      (error: unknown) => process.send?.({ id: msg.id, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }),
    );
  });
  process.send?.({ ready: true });
}

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};
