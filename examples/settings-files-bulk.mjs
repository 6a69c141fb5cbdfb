// Settings (cached metadata), attachments and photos (streamed), bulk read and write, with the modern
// client against a local Zoho emulator. Run: npm run build && node examples/settings-files-bulk.mjs
// For a real org, drop the emulator and pass your own clientId/clientSecret/dataCentre and a grant code.
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ZohoCRM, NotFoundError } from 'zcrmsdk';
import { startEmulator } from '@zcrmsdk/emulator';

const emu = await startEmulator({ emptyModules: true });
const crm = new ZohoCRM({
  clientId: emu.client.clientId,
  clientSecret: emu.client.clientSecret,
  accountsUrl: emu.url, // real Zoho: dataCentre: 'eu' (or us, in, au, ...)
  apiUrl: emu.url,
  apiVersion: 'v8',
  metadataCacheTtlMs: 10 * 60_000, // default 5 minutes; 0 turns the cache off
});
const dir = await mkdtemp(join(tmpdir(), 'zcrmsdk-example-'));
try {
  await crm.generateTokens(await emu.grantToken()); // real Zoho: the grant code from the API console

  // Settings: the second call is answered from the in-memory cache (no request).
  const fields = await crm.settings.fields('Leads');
  await crm.settings.fields('Leads');
  const mandatory = fields.filter((f) => f.system_mandatory).map((f) => f.api_name);
  const fieldCalls = emu.requests.filter((r) => r.path.endsWith('/settings/fields')).length;
  console.log(`fields: ${fields.length}, mandatory: ${mandatory.join(', ')}, requests: ${fieldCalls}`);
  crm.settings.invalidate('Leads'); // after changing the Leads layout in Zoho

  const [created] = await crm.records('Leads').create([{ Last_Name: 'Files', Company: 'Acme' }]);
  const leadId = created.id;

  // Attachments: upload from a Buffer, a Blob/File, a Node or Web stream, or a file path.
  const attachments = crm.attachments('Leads', leadId);
  const path = join(dir, 'proposal.txt');
  await writeFile(path, 'Our proposal, in full.');
  const uploaded = await attachments.upload({ path });
  await attachments.upload(new File(['a,b\n1,2\n'], 'numbers.csv', { type: 'text/csv' }));
  const names = [];
  for await (const a of attachments.list()) names.push(a.File_Name);
  console.log(`attachments: ${names.join(', ')}`);

  // Downloads are streams: pipe them to a file, never holding the whole file in memory.
  const download = await attachments.download(uploaded.id);
  const saved = join(dir, download.filename);
  await pipeline(download.body, createWriteStream(saved));
  console.log(`downloaded ${download.filename} (${download.contentType}), ${(await stat(saved)).size} bytes`);
  await attachments.delete(uploaded.id);

  // Photos.
  const photo = crm.photos('Leads', leadId);
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
  await photo.upload(png, { filename: 'face.png', contentType: 'image/png' });
  const face = await photo.download();
  face.body.resume();
  await photo.delete();
  const gone = await photo.download().catch((e) => e);
  console.log(`photo: ${face.contentType}, then ${gone instanceof NotFoundError ? gone.code : 'still there'}`);

  // Bulk write: rows (or a CSV file) zipped and uploaded for you; wait polls with backoff.
  const rows = Array.from({ length: 500 }, (_, i) => ({ Last_Name: `Imported ${i}`, Company: i % 2 ? 'Acme, Inc.' : 'Globex' }));
  const write = await crm.bulk.write({ module: 'Leads', operation: 'insert', rows });
  await write.wait();
  console.log(`bulk write: ${write.state}, added ${write.counts.added_count}`);

  // Bulk read: the result is a zipped CSV, unzipped and parsed as it streams in.
  const read = await crm.bulk.read({
    module: 'Leads',
    fields: ['Last_Name', 'Company'],
    criteria: { field: 'Company', comparator: 'equal', value: 'Acme, Inc.' },
  });
  await read.wait();
  let acme = 0;
  for await (const row of read.result()) acme += row.Company === 'Acme, Inc.' ? 1 : 0;
  console.log(`bulk read: ${read.state}, ${acme} rows at Acme, Inc.`);
} finally {
  await crm.close();
  await emu.close();
  await rm(dir, { recursive: true, force: true });
}
