/**
 * Notifications end to end over real HTTP: channels enabled through `crm.notifications` on the emulator, whose
 * deliveries reach a local `createNotificationHandler` receiver.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { BadRequestError } from '../../src/errors.js';
import { createNotificationHandler, type NotificationEvent } from '../../src/notifications/handler.js';
import { channelStateKey, formatChannelExpiry, keepChannelAlive, type WatchInput } from '../../src/notifications/channels.js';
import type { Notification } from '../../src/api/generated/notifications.js';
import { RedisTokenStore } from '../../src/stores/redis-store.js';
import { randomUUID } from 'node:crypto';
import { setup, type Setup } from '../api/helpers.js';

const TOKEN = 'TOKEN_FOR_VERIFICATION_OF_1000000068001';
let nextChannel = 1_000_000_068_001;
const newChannel = (): string => String(nextChannel++);

interface Receiver {
  url: string;
  events: NotificationEvent[];
  statuses: number[];
  close(): void;
  idle(): Promise<void>;
}

async function receiver(channels: Record<string, { token: string }>): Promise<Receiver> {
  const events: NotificationEvent[] = [];
  const statuses: number[] = [];
  const handler = createNotificationHandler({ channels, onEvent: (e) => void events.push(e) });
  const server: Server = createServer((req, res) => {
    res.on('finish', () => statuses.push(res.statusCode));
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks?source=zoho`,
    events,
    statuses,
    close: () => server.close(),
    idle: () => handler.idle(),
  };
}

describe('notifications through the emulator', () => {
  let s: Setup;
  let r: Receiver;
  let channel: string;

  before(async () => {
    s = await setup('v8', { emptyModules: true });
  });
  after(async () => {
    r.close();
    await s.close();
  });
  beforeEach(async () => {
    r?.close();
    channel = newChannel();
    r = await receiver({ [channel]: { token: TOKEN } });
  });

  // Zoho's OAS types channel_id as an object; the wire takes the id as a string.
  const watch = (items: Array<WatchInput & { _delete_events?: boolean }>) => ({ body: { watch: items } }) as never;
  const channelOf = async (id: string): Promise<(Notification & { channel_id?: unknown }) | undefined> =>
    (await s.crm.notifications.list({ channel_id: id })).data.find((c) => String(c.channel_id) === id);
  const codeOf = (code: string) => (e: unknown) => e instanceof BadRequestError && e.code === code;

  const settle = async (): Promise<void> => {
    await s.emu.notificationsIdle();
    await r.idle();
  };

  const enable = async (events = ['Leads.all'], extra: Partial<WatchInput> = {}) =>
    ((await s.crm.notifications.enable(watch([{ channel_id: channel, events, notify_url: r.url, token: TOKEN, ...extra }]))) as { watch: Array<{ code: string }> }).watch;

  it('create, update, delete, mass update and bulk write each deliver operation, ids, channel_id and token', async () => {
    const [enabled] = await enable();
    assert.equal(enabled?.code, 'SUCCESS');
    const leads = s.crm.records('Leads');
    const created = await leads.create([{ Last_Name: 'Ada', Company: 'A' }, { Last_Name: 'Bo', Company: 'B' }]);
    const ids = created.map((c) => String(c.id));
    await settle();
    await leads.update([{ id: ids[0]!, Last_Name: 'Ada L' }]);
    await settle();
    await s.crm.massUpdate('Leads', { ids, data: { Lead_Status: 'Contacted' } });
    await settle();
    await leads.delete([ids[1]!]);
    await settle();
    const job = await s.crm.bulk.write({ module: 'Leads', operation: 'insert', rows: [{ Last_Name: 'Bulk1', Company: 'C' }, { Last_Name: 'Bulk2', Company: 'C' }] });
    await job.wait({ intervalMs: 20 });
    await settle();

    const seen = r.events.map((e) => ({ op: e.operation, ids: e.ids, channel: e.channel_id, module: e.module }));
    assert.deepEqual(seen.slice(0, 4), [
      { op: 'insert', ids, channel, module: 'Leads' },
      { op: 'update', ids: [ids[0]], channel, module: 'Leads' },
      { op: 'update', ids, channel, module: 'Leads' },
      { op: 'delete', ids: [ids[1]], channel, module: 'Leads' },
    ]);
    assert.equal(seen[4]?.op, 'insert');
    assert.equal(seen[4]?.ids.length, 2);
    assert.deepEqual(r.events[1]?.affected_fields, [{ [ids[0]!]: ['Last_Name'] }]);
    assert.deepEqual(r.events[2]?.affected_fields.map((f) => Object.values(f)[0]), [['Lead_Status'], ['Lead_Status']]);
    assert.deepEqual(r.events[0]?.query_params, { source: 'zoho' });
    // What went over the wire: Zoho's body, with the token.
    const sent = s.emu.notifications.filter((d) => d.channel_id === channel);
    assert.equal(sent.length, 5);
    assert.ok(sent.every((d) => d.status === 'delivered' && d.body['token'] === TOKEN && d.attempts === 1));
    assert.deepEqual(Object.keys(sent[0]!.body).sort(), ['affected_fields', 'channel_id', 'ids', 'module', 'operation', 'query_params', 'resource_uri', 'server_time', 'token']);
  });

  it('lead conversion notifies the contact insert; only subscribed operations and modules are delivered', async () => {
    await enable(['Contacts.create', 'Leads.delete']);
    const [lead] = await s.crm.records('Leads').create([{ Last_Name: 'Conv', Company: 'ConvCo' }]);
    const converted = await s.crm.convertLead(String(lead!.id));
    await settle();
    assert.deepEqual(
      r.events.map((e) => [e.module, e.operation, e.ids]),
      [['Contacts', 'insert', [String(converted.Contacts)]]],
    );
  });

  it('a merge notifies the master update and the merged records\' delete', async () => {
    await enable(['Leads.edit', 'Leads.delete']);
    const created = await s.crm.records('Leads').create([
      { Last_Name: 'Master', Company: 'M' },
      { Last_Name: 'Child', Company: 'C', Phone: '555-0199' },
    ]);
    const [master, child] = created.map((c) => String(c.id));
    const merged = await s.crm.request({
      method: 'POST',
      path: ['Leads', master!, 'actions', 'merge'],
      json: { merge: [{ data: [{ id: child }], master_record_fields: [{ api_name: 'Phone', _data: [{ id: child }] }] }] },
    });
    assert.equal(merged.status, 201);
    await settle();
    assert.deepEqual(
      r.events.map((e) => [e.operation, e.ids]),
      [
        ['update', [master]],
        ['delete', [child]],
      ],
    );
    assert.deepEqual(r.events[0]?.affected_fields, [{ [master!]: ['Phone'] }]);
    assert.equal((await s.crm.records('Leads').get(master!))['Phone'], '555-0199');
  });

  it('a wrong token is refused by the receiver (401), retried a bounded number of times, and never reaches onEvent', async () => {
    await s.crm.notifications.enable(watch([{ channel_id: channel, events: ['Leads.create'], notify_url: r.url, token: 'NOT_THE_TOKEN' }]));
    await s.crm.records('Leads').create([{ Last_Name: 'Wrong', Company: 'W' }]);
    await settle();
    assert.deepEqual(r.events, []);
    const [d] = s.emu.notifications.filter((x) => x.channel_id === channel);
    assert.equal(d?.status, 'failed');
    assert.equal(d?.responseStatus, 401);
    assert.equal(d?.attempts, 3);
    assert.deepEqual(r.statuses, [401, 401, 401]);
  });

  it('a duplicated delivery reaches onEvent once; a dropped one never arrives; a delayed one does', async () => {
    await enable(['Leads.create']);
    s.emu.failNextDelivery({ duplicate: true, channelId: channel });
    await s.crm.records('Leads').create([{ Last_Name: 'Dup', Company: 'D' }]);
    await settle();
    assert.equal(r.events.length, 1);
    assert.deepEqual(s.emu.notifications.filter((x) => x.channel_id === channel).map((d) => [d.status, d.duplicate]), [
      ['delivered', false],
      ['delivered', true],
    ]);
    s.emu.failNextDelivery({ drop: true, channelId: channel });
    await s.crm.records('Leads').create([{ Last_Name: 'Dropped', Company: 'D' }]);
    await settle();
    assert.equal(r.events.length, 1);
    assert.equal(s.emu.notifications.at(-1)?.status, 'dropped');
    // A delayed delivery still arrives.
    s.emu.failNextDelivery({ delayMs: 1, channelId: channel });
    await s.crm.records('Leads').create([{ Last_Name: 'Delayed', Company: 'D' }]);
    await settle();
    assert.equal(r.events.length, 2);
  });

  it('an expired channel delivers nothing, and is no longer listed', async () => {
    await enable(['Leads.all'], { channel_expiry: formatChannelExpiry(s.emu.now() + 60_000) });
    assert.equal((await channelOf(channel))?.channel_id, channel);
    s.emu.advanceClock(61_000);
    await s.crm.records('Leads').create([{ Last_Name: 'Late', Company: 'L' }]);
    await settle();
    assert.deepEqual(r.events, []);
    assert.equal(s.emu.notifications.filter((d) => d.channel_id === channel).length, 0);
    assert.equal(await channelOf(channel), undefined);
  });

  it('keepChannelAlive keeps a one-minute channel alive for five minutes of emulator time, renewing once per turn', async () => {
    const keeper = keepChannelAlive(s.crm, {
      channel: { channel_id: channel, events: ['Leads.create'], notify_url: r.url, token: TOKEN },
      lifetimeMs: 60_000,
      renewBeforeMs: 20_000,
      checkIntervalMs: 0,
      now: () => s.emu.now(),
    });
    let renewals = 0;
    for (let second = 0; second <= 300; second += 15) {
      if (await keeper.check()) renewals += 1;
      if (second % 60 === 0) await s.crm.records('Leads').create([{ Last_Name: `Alive ${second}`, Company: 'K' }]);
      s.emu.advanceClock(15_000);
    }
    await settle();
    keeper.stop();
    assert.equal(r.events.length, 6);
    assert.ok(renewals >= 5 && renewals <= 8, `renewed ${renewals} times`);
    const stored = await s.crm.tokens.store.get(channelStateKey(channel));
    assert.equal(stored?.expiresAt, keeper.expiresAt);
    // Without renewal the channel runs out.
    s.emu.advanceClock(61_000);
    await s.crm.records('Leads').create([{ Last_Name: 'Gone', Company: 'K' }]);
    await settle();
    assert.equal(r.events.length, 6);
  });

  it('two keepers sharing a store renew once per expiry (the lock and the stored expiry)', async () => {
    const options = {
      channel: { channel_id: channel, events: ['Leads.create'], notify_url: r.url, token: TOKEN },
      lifetimeMs: 60_000,
      checkIntervalMs: 0,
      now: () => s.emu.now(),
    };
    const a = keepChannelAlive(s.crm, options);
    const b = keepChannelAlive(s.crm, options);
    const before = s.emu.requests.filter((q) => q.method === 'POST' && q.path.endsWith('/actions/watch')).length;
    assert.deepEqual((await Promise.all([a.check(), b.check()])).sort(), [false, true]);
    s.emu.advanceClock(45_000);
    assert.deepEqual((await Promise.all([a.check(), b.check()])).sort(), [false, true]);
    const posts = s.emu.requests.filter((q) => q.method === 'POST' && q.path.endsWith('/actions/watch')).length - before;
    assert.equal(posts, 2);
  });

  it('two processes (two Redis store connections) renew once per expiry, under the store lock', async () => {
    const prefix = `zcrmsdk-test:${randomUUID()}:`;
    const stores = [new RedisTokenStore({ url: 'redis://127.0.0.1:6379', prefix }), new RedisTokenStore({ url: 'redis://127.0.0.1:6379', prefix })];
    try {
      const keepers = stores.map((store) =>
        keepChannelAlive(s.crm, {
          channel: { channel_id: channel, events: ['Leads.create'], notify_url: r.url, token: TOKEN },
          lifetimeMs: 60_000,
          checkIntervalMs: 0,
          now: () => s.emu.now(),
          store,
        }),
      );
      const watchPosts = (): number => s.emu.requests.filter((q) => q.method === 'POST' && q.path.endsWith('/actions/watch')).length;
      const before = watchPosts();
      for (let turn = 0; turn < 3; turn += 1) {
        assert.deepEqual((await Promise.all(keepers.map((k) => k.check()))).sort(), [false, true]);
        s.emu.advanceClock(45_000);
      }
      assert.equal(watchPosts() - before, 3);
    } finally {
      await Promise.all(stores.map((st) => st.close()));
    }
  });

  it('lists, patches, disables events of, updates and deletes channels; refuses what Zoho refuses', async () => {
    await enable(['Leads.all', 'Deals.create']);
    const listed = await channelOf(channel);
    assert.deepEqual(listed?.events, ['Leads.create', 'Leads.edit', 'Leads.delete', 'Deals.create']);
    assert.equal(listed?.token, TOKEN);
    // PATCH changes only what it names; with _delete_events it stops those events.
    await s.crm.notifications.disable(watch([{ channel_id: channel, return_affected_field_values: true }]));
    await s.crm.notifications.disable(watch([{ channel_id: channel, events: ['Leads.delete', 'Deals.create'], _delete_events: true }]));
    const patched = await channelOf(channel);
    assert.deepEqual(patched?.events, ['Leads.create', 'Leads.edit']);
    assert.equal(patched?.return_affected_field_values, true);
    assert.equal(patched?.notify_url, r.url);
    const [lead] = await s.crm.records('Leads').create([{ Last_Name: 'Vals', Company: 'V' }]);
    await s.crm.records('Leads').update([{ id: String(lead!.id), Phone: '555' }]);
    await settle();
    assert.deepEqual(r.events.at(-1)?.affected_values, [{ record_id: String(lead!.id), values: { Phone: '555' } }]);
    await s.crm.notifications.update(watch([{ channel_id: channel, events: ['Deals.edit'], notify_url: r.url }]));
    const replaced = await channelOf(channel);
    assert.deepEqual([replaced?.events, replaced?.token, replaced?.return_affected_field_values], [['Deals.edit'], null, false]);
    await s.crm.notifications.delete({ channel_ids: [channel] });
    assert.equal(await channelOf(channel), undefined);

    const tooFar = formatChannelExpiry(s.emu.now() + 8 * 24 * 3600_000);
    await assert.rejects(enable(['Leads.all'], { channel_expiry: tooFar }), codeOf('INVALID_DATA'));
    await assert.rejects(enable(['Nope.all']), codeOf('INVALID_DATA'));
    await assert.rejects(s.crm.notifications.disable(watch([{ channel_id: newChannel(), token: 'x' }])), codeOf('NOT_SUBSCRIBED'));
    await assert.rejects(enable(['Leads.all'], { token: 'x'.repeat(51) }), codeOf('INVALID_DATA'));
    await assert.rejects(s.crm.notifications.enable(watch([{ channel_id: 'abc' }])), codeOf('INVALID_DATA'));
    await assert.rejects(s.crm.notifications.delete({ channel_ids: [newChannel()] }), codeOf('NOT_SUBSCRIBED'));
  });
});
