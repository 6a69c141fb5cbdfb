// Notes, tags, related records, lead conversion, users and the org, against a local Zoho emulator.
// Run: npm run build && node examples/record-actions.mjs
import { ZohoCRM } from 'zcrmsdk';
import { startEmulator } from '@zcrmsdk/emulator';

const emu = await startEmulator({ emptyModules: true });
const crm = new ZohoCRM({ clientId: emu.client.clientId, clientSecret: emu.client.clientSecret, accountsUrl: emu.url, apiUrl: emu.url, apiVersion: 'v8' });
try {
  await crm.generateTokens(await emu.grantToken());

  const [lead] = await crm.records('Leads').create([{ Last_Name: 'Burns', Company: 'Springfield Nuclear' }]);
  await crm.notes('Leads', lead.id).create([{ Note_Title: 'Call', Note_Content: 'Wants a demo on Monday' }]);
  console.log(`notes: ${(await crm.notes('Leads', lead.id).list()).data.map((n) => n.Note_Content).join('; ')}`);

  const [tagged] = await crm.tags('Leads').add([lead.id], ['VIP']);
  console.log(`tags: ${tagged.details.tags.map((t) => t.name).join(', ')}`);   // v8: {name, id}; v2 lists names

  const [product] = await crm.records('Products').create([{ Product_Name: 'Reactor' }]);
  await crm.related('Leads', lead.id, 'Products').link([{ id: product.id }]);
  console.log(`related products: ${(await crm.related('Leads', lead.id, 'Products').list({ fields: ['Product_Name'] })).data.map((p) => p.Product_Name).join(', ')}`);

  const converted = await crm.convertLead(lead.id, { Deals: { Deal_Name: 'Reactor deal', Stage: 'Qualification', Closing_Date: '2030-01-31' } });
  console.log(`converted: contact ${Boolean(converted.Contacts)}, account ${Boolean(converted.Accounts)}, deal ${Boolean(converted.Deals)}`);

  let users = 0;
  for await (const _ of crm.users({ type: 'ActiveUsers' })) users += 1;
  console.log(`active users: ${users}; org: ${(await crm.org()).company_name}`);
} finally {
  await crm.close();
  await emu.close();
}
