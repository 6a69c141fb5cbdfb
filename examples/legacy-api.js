// The legacy API tour (`node examples/legacy-api.js`): start the offline Zoho emulator, then use zcrmsdk exactly as a zcrmsdk 0.0.x app would
// (initialize, generateAuthTokens, API.MODULES...), plus a taste of the modern client. No setup needed:
// tokens are kept in memory here; by default the legacy API keeps them in MySQL (zohooauth.oauthtokens).
'use strict';
const ZCRMRestClient = require('zcrmsdk');
const { startEmulator } = require('@zcrmsdk/emulator');

async function main() {
  const emu = await startEmulator({ port: 0 });
  console.log(`Zoho emulator listening on ${emu.url}`);
  try {
    ZCRMRestClient.setTokenStore(new ZCRMRestClient.MemoryTokenStore());
    await ZCRMRestClient.initialize({
      client_id: emu.client.clientId,
      client_secret: emu.client.clientSecret,
      redirect_url: emu.client.redirectUri,
      iamurl: emu.url,
      base_url: emu.url,
    });
    const grant = await emu.grantToken({ scope: 'ZohoCRM.modules.ALL,ZohoCRM.settings.ALL,ZohoCRM.users.ALL,ZohoCRM.org.ALL' });
    const auth = await ZCRMRestClient.generateAuthTokens('demo@example.com', grant);
    console.log(`Tokens for ${auth.user_identifier}; access token expires at ${new Date(auth.expires_in).toISOString()}`);

    const org = JSON.parse((await ZCRMRestClient.API.ORG.get()).body).org[0];
    console.log(`Org: ${org.company_name}`);

    const list = await ZCRMRestClient.API.MODULES.get({ module: 'Leads', params: { page: 1, per_page: 5 } });
    console.log(`First ${JSON.parse(list.body).data.length} leads:`);
    for (const lead of JSON.parse(list.body).data) console.log(`  ${lead.id}  ${lead.Full_Name}  <${lead.Email}>`);

    const created = await ZCRMRestClient.API.MODULES.post({
      module: 'Leads',
      body: { data: [{ First_Name: 'Ada', Last_Name: 'Lovelace', Company: 'Analytical Engines', Email: 'ada@example.com' }] },
    });
    const id = JSON.parse(created.body).data[0].details.id;
    console.log(`Created lead ${id} (HTTP ${created.statusCode})`);

    await ZCRMRestClient.API.MODULES.put({ module: 'Leads', id, body: { data: [{ Lead_Status: 'Contacted' }] } });
    const found = await ZCRMRestClient.API.MODULES.search({ module: 'Leads', params: { criteria: '(Email:equals:ada@example.com)' } });
    const hit = JSON.parse(found.body).data[0];
    console.log(`Search found ${hit.Full_Name}, status ${hit.Lead_Status}`);

    await ZCRMRestClient.API.ATTACHMENTS.uploadFile({ module: 'Leads', id, x_file_content: Buffer.from('Notes on the engine\n') });
    const converted = await ZCRMRestClient.API.ACTIONS.convert({ id, body: { data: [{ overwrite: true }] } });
    console.log(`Converted: ${converted.body}`);

    // The modern client is the core the legacy API runs on: instance-scoped, typed errors instead of
    // resolved error responses.
    const crm = new ZCRMRestClient.ZohoCRM({ clientId: emu.client.clientId, clientSecret: emu.client.clientSecret, accountsUrl: emu.url, apiUrl: emu.url });
    await crm.generateTokens(await emu.grantToken({ scope: 'ZohoCRM.modules.ALL' }), 'modern@example.com');
    const contacts = await crm.requestJson({ method: 'GET', path: 'Contacts', query: { per_page: 3, fields: 'Full_Name,Email' }, userId: 'modern@example.com' });
    console.log(`Modern client: ${contacts.data.length} contacts, first ${contacts.data[0].Full_Name}`);
    try {
      await crm.request({ method: 'GET', path: 'NoSuchModule', userId: 'modern@example.com' });
    } catch (error) {
      console.log(`Modern client error: ${error.name} ${error.code} (HTTP ${error.status})`);
    }
    await crm.close();
    console.log(`The emulator saw ${emu.requests.length} requests. Demo complete.`);
  } finally {
    await ZCRMRestClient.close();
    await emu.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
