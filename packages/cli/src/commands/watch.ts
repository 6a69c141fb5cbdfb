/**
 * `zcrm watch <Module> [--forward URL]`: the way `stripe listen` forwards webhooks. Enables a notification
 * channel (on the emulator or a real org), receives its deliveries on a local port with the SDK's
 * `createNotificationHandler`, prints each event, forwards it to `--forward`, renews the channel before it
 * expires, and deletes the channel on Ctrl-C.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Command } from 'commander';
import { createNotificationHandler, InvalidInputError, keepChannelAlive, type NotificationEvent } from 'zcrmsdk';
import type { Runner } from '../program.js';

/** Minutes a channel lives before `zcrm watch` renews it. */
export const DEFAULT_WATCH_LIFETIME_MINUTES = 60;
const EVENT_OPS = new Set(['create', 'edit', 'delete', 'all']);

interface WatchFlags {
  events: string;
  forward?: string;
  port: string;
  host: string;
  publicUrl?: string;
  channelId?: string;
  lifetime: string;
  maxEvents?: string;
}

export function registerWatch(program: Command, run: Runner): void {
  program
    .command('watch')
    .argument('<module>', 'module API name, e.g. Leads')
    .description('receive the module\'s change notifications locally, print them and forward them (Ctrl-C stops and disables the channel)')
    .option('--events <ops>', 'operations: create, edit, delete or all, comma-separated', 'all')
    .option('--forward <url>', 'POST each event (as JSON) to this URL, e.g. http://localhost:3000/hooks')
    .option('--port <n>', 'local port of the receiver (0: any free port)', '0')
    .option('--host <host>', 'interface the receiver listens on', '127.0.0.1')
    .option('--public-url <url>', 'the URL Zoho should call (a tunnel to the receiver, for a real org); default the receiver\'s own URL')
    .option('--channel-id <id>', 'channel id (digits); default a random one')
    .option('--lifetime <minutes>', 'channel lifetime before renewal (at most a week)', String(DEFAULT_WATCH_LIFETIME_MINUTES))
    .option('--max-events <n>', 'stop after n events (for scripts and tests)')
    .action((module: string, flags: WatchFlags, cmd: Command) =>
      run(cmd, async (ctx) => {
        const out = ctx.out;
        const ops = flags.events.split(',').map((s) => s.trim()).filter((s) => s !== '');
        if (ops.length === 0 || ops.some((o) => !EVENT_OPS.has(o))) throw new InvalidInputError(`--events takes create, edit, delete or all (got '${flags.events}').`);
        if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(module)) throw new InvalidInputError(`'${module}' is not a module API name such as Leads.`);
        const channelId = flags.channelId ?? `${Date.now()}${String(randomInt(1000, 9999))}`;
        if (!/^\d{1,19}$/.test(channelId)) throw new InvalidInputError('--channel-id takes digits only (at most 19).');
        const lifetimeMs = Number(flags.lifetime) * 60_000;
        if (!(lifetimeMs > 0 && lifetimeMs <= 7 * 24 * 3600_000)) throw new InvalidInputError('--lifetime takes minutes, more than 0 and at most a week (10080).');
        const maxEvents = flags.maxEvents === undefined ? undefined : Number(flags.maxEvents);
        if (maxEvents !== undefined && !(Number.isInteger(maxEvents) && maxEvents > 0)) throw new InvalidInputError('--max-events takes a positive integer.');
        const forward = flags.forward === undefined ? undefined : new URL(flags.forward);
        const token = randomBytes(24).toString('hex');
        const crm = await ctx.client();

        let seen = 0;
        let finish!: () => void;
        const finished = new Promise<void>((resolve) => (finish = resolve));
        const onEvent = async (event: NotificationEvent): Promise<void> => {
          seen += 1;
          // --json: one event per line (NDJSON), for piping into other tools.
          if (ctx.flags.json) ctx.io.stdout.write(`${JSON.stringify(event)}\n`);
          else out.line(`${new Date(event.server_time).toISOString()}  ${event.module}.${event.operation}  ${event.ids.join(',')}`);
          if (forward !== undefined) {
            const res = await fetch(forward, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) }).catch((e: unknown) => e as Error);
            const note = res instanceof Error ? `failed: ${res.message}` : `${res.status}`;
            if (!ctx.flags.json) out.line(`  -> ${forward.href} ${note}`);
          }
          if (maxEvents !== undefined && seen >= maxEvents) finish();
        };
        const handler = createNotificationHandler({ channels: { [channelId]: { token } }, onEvent, onError: (e) => out.note(`event handler failed: ${String(e)}`) });
        const server: Server = createServer(handler);
        await new Promise<void>((resolve, reject) => server.once('error', reject).listen(Number(flags.port), flags.host, resolve));
        const port = (server.address() as AddressInfo).port;
        const notifyUrl = flags.publicUrl ?? `http://${flags.host}:${port}/`;
        const keeper = keepChannelAlive(crm, {
          channel: { channel_id: channelId, events: ops.map((o) => `${module}.${o}`), notify_url: notifyUrl, token },
          lifetimeMs,
          onError: (e) => out.note(`renewing channel ${channelId} failed (will retry): ${String(e)}`),
        });
        try {
          await keeper.check();
          out.note(`Listening on http://${flags.host}:${port}/ for ${module} (${ops.join(', ')}), channel ${channelId}${forward ? `, forwarding to ${forward.href}` : ''}. Ctrl-C to stop.`);
          const stop = (): void => finish();
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
          await finished;
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          await handler.idle();
        } finally {
          keeper.stop();
          await crm.requestJson({ method: 'DELETE', path: ['actions', 'watch'], query: { channel_ids: channelId } }).catch((e: unknown) => out.note(`could not delete channel ${channelId}: ${String(e)}`));
          await new Promise<void>((resolve) => server.close(() => resolve()));
          out.note(`Channel ${channelId} deleted.`);
        }
      }),
    );
}
