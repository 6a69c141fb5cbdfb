// Instant notifications end to end, offline: a receiver (createNotificationHandler) on a local port, a channel
// enabled on the emulator for Leads, kept alive by keepChannelAlive; then composite requests with rollback.
// Run: npm run build && node examples/notifications.mjs
// For a real org: the receiver must be reachable by Zoho (a public HTTPS URL or a tunnel) and `notify_url` is it.
import { createServer } from 'node:http';
import { ZohoCRM, createNotificationHandler, keepChannelAlive } from 'zcrmsdk';
import { startEmulator } from '@zcrmsdk/emulator';

const emu = await startEmulator({ emptyModules: true });
const crm = new ZohoCRM({ clientId: emu.client.clientId, clientSecret: emu.client.clientSecret, accountsUrl: emu.url, apiUrl: emu.url, apiVersion: 'v8' });
const CHANNEL = '1000000068001';
const TOKEN = 'a-secret-of-at-most-50-characters';

// 1. The receiver: checks channel and token (401/403 otherwise), answers at once, hands each delivery over once.
const handler = createNotificationHandler({
  channels: { [CHANNEL]: { token: TOKEN } },
  onEvent: (event) => console.log(`event: ${event.module}.${event.operation} ${event.ids.length} record(s)`),
});
const server = createServer(handler); // Express: app.post('/hooks', express.json(), handler)
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const notifyUrl = `http://127.0.0.1:${server.address().port}/hooks`;

try {
  await crm.generateTokens(await emu.grantToken());

  // 2. The channel, renewed before it expires (once across processes, under the token store's lock).
  const keeper = keepChannelAlive(crm, {
    channel: { channel_id: CHANNEL, events: ['Leads.all'], notify_url: notifyUrl, token: TOKEN },
    lifetimeMs: 60 * 60 * 1000,
  });
  await keeper.check();
  const channels = (await crm.notifications.list()).data;
  console.log(`channels: ${channels.map((c) => `${c.channel_id} ${c.events.join(',')}`).join('; ')}`);

  // 3. Changes made anywhere (API, mass update, bulk write, conversion) are delivered to the receiver.
  const [lead] = await crm.records('Leads').create([{ Last_Name: 'Lovelace', Company: 'Analytical Engines' }]);
  await emu.notificationsIdle();
  await crm.records('Leads').update([{ id: lead.id, Phone: '555-0100' }]);
  await emu.notificationsIdle();
  await handler.idle();
  console.log(`deliveries: ${emu.notifications.map((d) => `${d.body.operation} ${d.status}`).join(', ')}`);

  // 4. Composite: five sub-requests at most, in one call; with rollback_on_fail a failure undoes the others.
  const results = await crm.composite(
    [
      { method: 'POST', path: 'Leads', body: { data: [{ Last_Name: 'Babbage', Company: 'Difference Engines' }] } },
      { method: 'POST', path: 'Leads', body: { data: [{ Company: 'no Last_Name' }] } },
    ],
    { rollback_on_fail: true },
  );
  console.log(`composite: ${results.map((r) => r.code).join(', ')}`);
  const get = await crm.subrequest((c) => c.records('Leads').get(lead.id));
  const [again] = await crm.composite([get]);
  console.log(`composite get: ${again.status_code} ${again.body.data[0].Phone}`);

  keeper.stop();
  await crm.notifications.delete({ channel_ids: [CHANNEL] });
} finally {
  server.close();
  await crm.close();
  await emu.close();
}
