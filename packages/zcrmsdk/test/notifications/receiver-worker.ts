/** A receiver process for the cross-process dedupe test: prints `PORT n`, then `EVENT <json>` per onEvent. */
import { createServer } from 'node:http';
import { createNotificationHandler } from '../../src/notifications/handler.js';
import { RedisDedupeStore } from '../../src/notifications/dedupe.js';

const [channelId, token, prefix] = process.argv.slice(2) as [string, string, string];
const handler = createNotificationHandler({
  channels: { [channelId]: { token } },
  dedupe: new RedisDedupeStore({ url: 'redis://127.0.0.1:6379', prefix }),
  onDuplicate: (event) => {
    process.stdout.write(`DUPLICATE ${JSON.stringify(event)}\n`);
  },
  onEvent: (event) => {
    process.stdout.write(`EVENT ${JSON.stringify(event)}\n`);
  },
});
const server = createServer(handler).listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`PORT ${typeof address === 'object' && address ? address.port : 0}\n`);
});
process.stdin.on('end', () => {
  server.close();
  void handler.close();
});
process.stdin.resume();
