/**
 * Every table of the CRM state survives a `persist` restart. The test walks the state's one list of tables
 * (`emulator.crm.tables`), so a table added later is covered without touching this file, except to say how
 * to fill it: a table with no filler below fails the test by name.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { FormData } from 'undici';
import { CrmState } from '../../src/crm/index.js';
import { zip } from '../../src/crm/zip.js';
import { startEmulator, type Emulator } from '../../src/index.js';
import { crmGet, getTokens, http, type HttpReply } from './helpers.js';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

interface Ctx {
  emu: Emulator;
  token: string;
  /** Ids the fillers hand each other (the lead, the jobs...). */
  ids: Map<string, string>;
}

function send(ctx: Ctx, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpReply> {
  const init: Parameters<typeof http>[1] = { method, headers: { authorization: `Zoho-oauthtoken ${ctx.token}`, ...headers } };
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) init.body = JSON.stringify(body);
  return http(`${ctx.emu.url}${path}`, init);
}

function id(ctx: Ctx, name: string): string {
  const v = ctx.ids.get(name);
  if (v === undefined) throw new Error(`filler order: '${name}' is not set yet`);
  return v;
}

async function ok(reply: Promise<HttpReply>, status: number): Promise<HttpReply> {
  const r = await reply;
  assert.equal(r.status, status, r.text);
  return r;
}

/** How to put at least one entry in each table through the HTTP API, in this order. */
const FILLERS: Record<string, (ctx: Ctx) => Promise<void>> = {
  records: async (ctx) => {
    const created = await ok(send(ctx, 'POST', '/crm/v2/Leads', { data: [{ Last_Name: 'Kept', Company: 'Acme', Email: 'kept@example.com' }, { Last_Name: 'Binned', Company: 'Acme' }] }), 201);
    ctx.ids.set('lead', created.json.data[0].details.id);
    await ok(send(ctx, 'DELETE', `/crm/v2/Leads/${String(created.json.data[1].details.id)}`), 200);
    const product = await ok(send(ctx, 'POST', '/crm/v2/Products', { data: [{ Product_Name: 'Widget' }] }), 201);
    ctx.ids.set('product', product.json.data[0].details.id);
  },
  ids: async () => {
    // Every create above took ids from the counter.
  },
  blueprints_and_mail: async (ctx) => {
    ctx.emu.defineBlueprint({ module: 'Leads', name: 'Kept', field: 'Lead_Status', transitions: [{ id: '1', name: 'Go', from: [''], to: 'Contacted' }] });
    const email = String(ctx.emu.crm.users()[0]?.['email']);
    await ok(send(ctx, 'POST', `/crm/v8/Leads/${id(ctx, 'lead')}/actions/send_mail`, { data: [{ from: { email }, to: [{ email: 'kept@example.com' }], subject: 'Kept', content: 'kept' }] }), 200);
  },
  notification_channels: async (ctx) => {
    await ok(send(ctx, 'POST', '/crm/v8/actions/watch', { watch: [{ channel_id: '1000000068001', events: ['Leads.all'], notify_url: 'http://127.0.0.1:9/hooks', token: 'kept' }] }), 201);
  },
  attachments: async (ctx) => {
    const form = new FormData();
    form.append('file', new Blob([PNG], { type: 'image/png' }), 'kept.png');
    const up = await ok(send(ctx, 'POST', `/crm/v2/Leads/${id(ctx, 'lead')}/Attachments`, form), 200);
    ctx.ids.set('attachment', up.json.data[0].details.id);
  },
  photos: async (ctx) => {
    const form = new FormData();
    form.append('file', new Blob([PNG], { type: 'image/png' }), 'me.png');
    await ok(send(ctx, 'POST', `/crm/v2/Leads/${id(ctx, 'lead')}/photo`, form), 200);
  },
  files: async (ctx) => {
    const form = new FormData();
    form.append('file', new Blob([PNG], { type: 'image/png' }), 'zfs.png');
    const up = await ok(send(ctx, 'POST', '/crm/v8/files', form), 200);
    ctx.ids.set('file', up.json.data[0].details.id);
  },
  tags: async (ctx) => {
    await ok(send(ctx, 'POST', '/crm/v2/settings/tags?module=Leads', { tags: [{ name: 'vip' }] }), 201);
  },
  links: async (ctx) => {
    await ok(send(ctx, 'PUT', `/crm/v2/Leads/${id(ctx, 'lead')}/Products`, { data: [{ id: id(ctx, 'product') }] }), 200);
  },
  directory: async (ctx) => {
    const body = { users: [{ first_name: 'Kept', last_name: 'User', email: 'kept.user@example.com', role: { id: '1' }, profile: { id: '2' } }] };
    const added = await ok(send(ctx, 'POST', '/crm/v2/users', body), 201);
    ctx.ids.set('user', added.json.users[0].details.id);
  },
  bulkReadJobs: async (ctx) => {
    const job = await ok(send(ctx, 'POST', '/crm/bulk/v2/read', { query: { module: 'Leads' } }), 201);
    ctx.ids.set('bulkRead', job.json.data[0].details.id);
  },
  bulkUploads: async (ctx) => {
    const org = String(ctx.emu.crm.seedData.org['zgid'] ?? ctx.emu.crm.seedData.org['id']);
    const form = new FormData();
    form.append('file', new Blob([zip([{ name: 'leads.csv', data: Buffer.from('Last_Name,Company\nBulk,Acme\n') }])], { type: 'application/zip' }), 'leads.zip');
    const up = await ok(send(ctx, 'POST', '/crm/v2/upload', form, { feature: 'bulk-write', 'X-CRM-ORG': org }), 200);
    ctx.ids.set('upload', up.json.details.file_id);
  },
  bulkWriteJobs: async (ctx) => {
    const job = await ok(send(ctx, 'POST', '/crm/bulk/v2/write', { operation: 'insert', resource: [{ type: 'data', module: 'Leads', file_id: id(ctx, 'upload') }] }), 201);
    ctx.ids.set('bulkWrite', job.json.details.id);
  },
  spec: async (ctx) => {
    // A v8 settings resource served by the spec router's generic collection.
    await ok(send(ctx, 'POST', '/crm/v8/settings/holidays', { holidays: [{ name: 'Kept day', date: '2026-12-25', type: 'business_holiday', year: 2026 }] }), 201);
  },
  currencies: async (ctx) => {
    const format = { decimal_separator: 'Period', thousand_separator: 'Comma', decimal_places: '2' };
    await ok(send(ctx, 'POST', '/crm/v8/org/currencies/actions/enable', { base_currency: { name: 'US Dollar - USD', iso_code: 'USD', symbol: '$', exchange_rate: '1', format } }), 200);
    await ok(send(ctx, 'POST', '/crm/v8/org/currencies', { currencies: [{ name: 'Euro - EUR', iso_code: 'EUR', symbol: '€', exchange_rate: '0.92', format }] }), 200);
  },
  shares: async (ctx) => {
    const other = ctx.emu.crm.users().find((u) => u['id'] !== ctx.emu.crm.currentUserId && u['status'] === 'active');
    await ok(send(ctx, 'POST', `/crm/v8/Leads/${id(ctx, 'lead')}/actions/share`, { share: [{ user: { id: other?.['id'] }, permission: 'read_only' }] }), 200);
  },
  contactRoles: async (ctx) => {
    const role = await ok(send(ctx, 'POST', '/crm/v8/Contacts/roles', { contact_roles: [{ name: 'Kept role' }] }), 200);
    // A contact on a deal with that role: the link lives in 'links' (stores/deal-contact-roles.ts).
    const contact = await ok(send(ctx, 'POST', '/crm/v8/Contacts', { data: [{ Last_Name: 'Role player' }] }), 201);
    const deal = await ok(send(ctx, 'POST', '/crm/v8/Deals', { data: [{ Deal_Name: 'Kept deal', Stage: 'Qualification', Closing_Date: '2026-12-31' }] }), 201);
    ctx.ids.set('roleContact', contact.json.data[0].details.id);
    ctx.ids.set('roleDeal', deal.json.data[0].details.id);
    const body = { data: [{ Contact_Role: { id: role.json.contact_roles[0].details.id } }] };
    await ok(send(ctx, 'PUT', `/crm/v8/Deals/${id(ctx, 'roleDeal')}/Contact_Roles/${id(ctx, 'roleContact')}`, body), 200);
  },
  territoryUsers: async (ctx) => {
    const territory = (await ok(send(ctx, 'GET', '/crm/v8/settings/territories'), 200)).json.territories[0].id;
    ctx.ids.set('territory', String(territory));
    await ok(send(ctx, 'PUT', `/crm/v8/users/${ctx.emu.crm.currentUserId}/territories`, { territories: [{ id: territory }] }), 200);
  },
  massUpdateJobs: async (ctx) => {
    const job = await ok(send(ctx, 'POST', '/crm/v2/Leads/actions/mass_update', { data: [{ Company: 'Mass' }], ids: [id(ctx, 'lead')] }), 202);
    ctx.ids.set('massUpdate', job.json.data[0].details.job_id);
  },
  massConvertJobs: async (ctx) => {
    const lead = await ok(send(ctx, 'POST', '/crm/v8/Leads', { data: [{ Last_Name: 'Convert', Company: 'Mass Co' }] }), 201);
    const job = await ok(send(ctx, 'POST', '/crm/v8/Leads/actions/mass_convert', { ids: [lead.json.data[0].details.id] }), 200);
    ctx.ids.set('massConvert', job.json.details.job_id);
  },
  inventoryConvertJobs: async (ctx) => {
    const quote = await ok(send(ctx, 'POST', '/crm/v8/Quotes', { data: [{ Subject: 'Kept quote' }] }), 201);
    const body = { ids: [quote.json.data[0].details.id], convert_to: [{ module: { api_name: 'Invoices' }, carry_over_tags: false }] };
    const job = await ok(send(ctx, 'POST', '/crm/v8/Quotes/actions/mass_convert', body), 202);
    ctx.ids.set('inventoryConvert', job.json.details.job_id);
  },
  massDeleteTagsJobs: async (ctx) => {
    const tag = await ok(send(ctx, 'POST', '/crm/v8/settings/tags?module=Leads', { tags: [{ name: 'Gone' }] }), 201);
    const body = { mass_delete: [{ module: { api_name: 'Leads' }, tags: [{ id: tag.json.tags[0].details.id }] }] };
    const job = await ok(send(ctx, 'POST', '/crm/v8/settings/tags/actions/mass_delete', body), 202);
    ctx.ids.set('massDeleteTags', job.json.details.job_id);
  },
};

/** Tables no HTTP call writes (none today): the test only checks they are not empty and come back equal. */
const SEEDED_ONLY: Record<string, string> = {};

function isEmpty(data: unknown): boolean {
  if (Array.isArray(data)) return data.length === 0;
  if (data !== null && typeof data === 'object') return Object.keys(data).length === 0;
  return data === undefined || data === null;
}

describe('persist: every state table round-trips', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zcrm-emu-tables-'));
  // A failed assertion must not leave an emulator listening (the process would never exit): close() is
  // idempotent, so every emulator started here is closed once more after the tests, whatever happened.
  const opened: Emulator[] = [];
  const start = async (file: string): Promise<Emulator> => {
    const emu = await startEmulator({ persist: file, emptyModules: true, seed: 5 });
    opened.push(emu);
    return emu;
  };
  after(async () => {
    await Promise.all(opened.map((emu) => emu.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('fills each registered table over HTTP, restarts on the same file and finds every table equal', async () => {
    const file = join(dir, 'state.db');
    const first = await start(file);
    const ctx: Ctx = { emu: first, token: (await getTokens(first)).access_token, ids: new Map() };
    const tables = first.crm.tables.list().map((t) => t.name);
    for (const name of tables) {
      assert.ok(name in FILLERS || name in SEEDED_ONLY, `Table '${name}' is registered but this test cannot fill it: add a filler to FILLERS in ${__filename}.`);
    }
    for (const [name, fill] of Object.entries(FILLERS)) if (tables.includes(name)) await fill(ctx);
    // The bulk write job runs on its first read, so its results and the rows it wrote are in the snapshot too.
    await ok(send(ctx, 'GET', `/crm/bulk/v2/write/${id(ctx, 'bulkWrite')}`), 200);

    const fresh = new CrmState({ seed: 5, now: () => first.now(), emptyModules: true }).tables;
    for (const table of first.crm.tables.list()) {
      const data = table.snapshot();
      if (table.name in SEEDED_ONLY) assert.ok(!isEmpty(data), `Table '${table.name}' is empty`);
      else assert.notDeepEqual(data, fresh.get(table.name)?.snapshot(), `The filler of table '${table.name}' left it as a fresh emulator has it`);
    }
    await first.close();
    const saved = first.crm.tables.snapshot();

    const second = await start(file);
    assert.deepEqual(second.crm.tables.list().map((t) => t.name), tables);
    for (const table of second.crm.tables.list()) assert.deepEqual(table.snapshot(), saved[table.name], `Table '${table.name}' changed across the restart`);

    // What a user sees after the restart, one call per table.
    const token = ctx.token;
    const lead = id(ctx, 'lead');
    const mass = await crmGet(second, `/crm/v2/Leads/actions/mass_update?job_id=${id(ctx, 'massUpdate')}`, token);
    assert.equal(mass.status, 200, mass.text);
    assert.deepEqual(mass.json.data[0], { Status: 'COMPLETED', Failed_Count: 0, Updated_Count: 1, Not_Updated_Count: 0, Total_Count: 1 });
    const converted = await crmGet(second, `/crm/v8/Leads/actions/mass_convert?job_id=${id(ctx, 'massConvert')}`, token);
    assert.deepEqual(converted.json.data[0], { Status: 'COMPLETED', Failed_Count: 0, Not_Converted_Count: 0, Total_Count: 1, Converted_Count: 1 });
    const invoiced = await crmGet(second, `/crm/v8/Quotes/actions/mass_convert?job_id=${id(ctx, 'inventoryConvert')}`, token);
    assert.deepEqual(invoiced.json.data[0], { total_count: 1, converted_count: 1, not_converted_count: 0, failed_count: 0, status: 'COMPLETED' });
    const tagsJob = await crmGet(second, `/crm/v8/settings/tags/actions/mass_delete?job_id=${id(ctx, 'massDeleteTags')}`, token);
    assert.deepEqual(tagsJob.json.mass_delete[0], { job_id: id(ctx, 'massDeleteTags'), total_count: 1, failed_count: 0, deleted_count: 1, status: 'COMPLETED' });
    const got = await crmGet(second, `/crm/v2/Leads/${lead}`, token);
    assert.equal(got.json.data[0].Company, 'Mass');
    const attachment = await crmGet(second, `/crm/v2/Leads/${lead}/Attachments/${id(ctx, 'attachment')}`, token);
    assert.equal(attachment.status, 200);
    assert.equal((await crmGet(second, `/crm/v2/Leads/${lead}/photo`, token)).status, 200);
    assert.equal((await crmGet(second, `/crm/v8/files?id=${id(ctx, 'file')}`, token)).status, 200);
    assert.equal((await crmGet(second, '/crm/v2/settings/tags?module=Leads', token)).json.tags[0].name, 'vip');
    assert.equal((await crmGet(second, `/crm/v2/Leads/${lead}/Products`, token)).json.data[0].Product_Name, 'Widget');
    assert.equal((await crmGet(second, `/crm/bulk/v2/read/${id(ctx, 'bulkRead')}`, token)).status, 200);
    assert.equal((await crmGet(second, `/crm/bulk/v2/write/${id(ctx, 'bulkWrite')}`, token)).json.status, 'COMPLETED');
    assert.equal((await crmGet(second, '/crm/v2/Leads/deleted?type=recycle', token)).json.data[0].display_name, 'Binned');
    assert.equal((await crmGet(second, `/crm/v2/users/${id(ctx, 'user')}`, token)).json.users[0].email, 'kept.user@example.com');
    const currencies = (await crmGet(second, '/crm/v8/org/currencies', token)).json.currencies as { iso_code: string; exchange_rate: string }[];
    assert.deepEqual(currencies.map((c) => [c.iso_code, c.exchange_rate]), [['USD', '1.000000000'], ['EUR', '0.920000000']]);
    const shared = (await crmGet(second, `/crm/v8/Leads/${lead}/actions/share`, token)).json.share as { permission: string }[];
    assert.deepEqual(shared.map((s) => s.permission), ['read_only']);
    const roles = (await crmGet(second, '/crm/v8/Contacts/roles', token)).json.contact_roles as { name: string }[];
    assert.equal(roles.at(-1)?.name, 'Kept role');
    const onDeal = (await crmGet(second, `/crm/v8/Deals/${id(ctx, 'roleDeal')}/Contact_Roles?fields=Last_Name`, token)).json.data as { id: string; Contact_Role: { name: string } }[];
    assert.deepEqual(onDeal.map((c) => [c.id, c.Contact_Role.name]), [[id(ctx, 'roleContact'), 'Kept role']]);
    const inTerritory = (await crmGet(second, `/crm/v8/settings/territories/${id(ctx, 'territory')}/users`, token)).json.users as { id: string }[];
    assert.deepEqual(inTerritory.map((u) => u.id), [second.crm.currentUserId]);
    // A new record does not reuse an id handed out before the restart.
    const next = await ok(send({ ...ctx, emu: second }, 'POST', '/crm/v2/Leads', { data: [{ Last_Name: 'After', Company: 'Acme' }] }), 201);
    assert.ok(BigInt(next.json.data[0].details.id) > BigInt(id(ctx, 'massConvert')));
  });

  it('reads a snapshot of format 1 (written before the table list)', () => {
    // Written by the emulator of commit 9e92fe8 (one lead, an attachment, a photo, a tag), trimmed to Leads.
    const legacy: unknown = JSON.parse(readFileSync(join(__dirname, 'fixtures/crm-snapshot-format-1.json'), 'utf8'));
    const state = CrmState.restore(legacy, { seed: 1, now: Date.now });
    const [lead] = state.records('Leads');
    assert.equal(lead?.['Last_Name'], 'Legacy');
    const id = String(lead?.['id']);
    assert.equal(state.storeOf(id)?.name, 'Leads');
    assert.deepEqual(state.attachments.get('att1')?.data, Buffer.from('hello'));
    assert.deepEqual(state.photos.get(id)?.data, Buffer.from('png'));
    assert.equal(state.tags.ofModule('Leads').get('vip')?.name, 'vip');
    assert.equal(state.currentUserId, '3000005000000100018');
    assert.equal(state.nextId(), '3000005000000100680');
    assert.equal(state.massUpdateJobs.size, 0);
  });

  it('refuses a snapshot of an unknown format, naming the formats it reads', () => {
    assert.throws(
      () => CrmState.restore({ format: 99, seed: 1, tables: {} }, { seed: 1, now: Date.now }),
      /the snapshot has format 99, and this emulator reads formats 1 and 2\. Start from a fresh state/,
    );
  });
});
