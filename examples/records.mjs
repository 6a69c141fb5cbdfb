// Records, search and COQL with the modern client, against a local Zoho emulator.
// Run: npm run build && node examples/records.mjs
// For a real org, drop the emulator and pass your own clientId/clientSecret/dataCentre and a grant code.
import { ZohoCRM, criteria, NotFoundError } from 'zcrmsdk';
import { startEmulator } from '@zcrmsdk/emulator';

const emu = await startEmulator({ emptyModules: true });
const crm = new ZohoCRM({
  clientId: emu.client.clientId,
  clientSecret: emu.client.clientSecret,
  accountsUrl: emu.url, // real Zoho: dataCentre: 'eu' (or us, in, au, ...)
  apiUrl: emu.url,
  apiVersion: 'v8',
});
try {
  await crm.generateTokens(await emu.grantToken()); // real Zoho: the grant code from the API console

  const leads = crm.records('Leads');

  // 250 records in, chunks of 100 inside; one result per record, in input order; bad records are results.
  const input = Array.from({ length: 250 }, (_, i) => (i === 7 ? { Company: 'No name' } : { Last_Name: `Lead ${i}`, Company: i % 2 ? 'Acme, Inc.' : 'Globex' }));
  const results = await leads.create(input);
  const failed = results.map((r, i) => [i, r]).filter(([, r]) => r.status === 'error');
  console.log(`created ${results.length - failed.length}, failed ${failed.map(([i, r]) => `#${i} ${r.code} ${r.details.api_name}`).join(', ')}`);

  // The first page, then every record of every page (v8 needs `fields`; page_token past 2,000 is handled).
  const page = await leads.list({ fields: ['Last_Name', 'Company'], per_page: 100 });
  console.log(`first page: ${page.data.length} records, more: ${page.hasNextPage()}`);
  let all = 0;
  for await (const lead of leads.list({ fields: ['Last_Name'] })) all += lead.Last_Name ? 1 : 0;
  console.log(`listed ${all} leads`);

  // Search: criteria values are escaped for you (the comma in 'Acme, Inc.' stays one value).
  let acme = 0;
  for await (const _ of leads.search({ criteria: criteria.equals('Company', 'Acme, Inc.').and(criteria.startsWith('Last_Name', 'Lead')) })) acme += 1;
  console.log(`search: ${acme} leads at Acme, Inc.`);

  // COQL: LIMIT/OFFSET paging within Zoho's limits (2,000 rows a call on v8).
  let rows = 0;
  for await (const row of crm.coql("select Last_Name, Company from Leads where Company = 'Globex'")) rows += row.Company === 'Globex' ? 1 : 0;
  console.log(`coql: ${rows} Globex rows`);

  const id = results[0].id;
  await leads.update([{ id, Lead_Status: 'Contacted' }]);
  console.log(`updated: ${(await leads.get(id, { fields: ['Lead_Status'] })).Lead_Status}`);
  await leads.delete([id]);
  try {
    await leads.get(id);
  } catch (error) {
    if (error instanceof NotFoundError) console.log(`deleted: ${error.code}`);
    else throw error;
  }
} finally {
  await crm.close();
  await emu.close();
}
