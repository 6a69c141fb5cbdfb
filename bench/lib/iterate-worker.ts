/**
 * Iterates `count` Leads with the modern client (`for await` over `crm.records('Leads').list()`) against the
 * emulator at `url`, and prints `{ seen, maxRssMiB }` — the process's peak RSS while iterating.
 */
import type { ZcrmsdkModule } from 'zcrmsdk';

const [url, ca, clientId, clientSecret, grant, countText, version] = process.argv.slice(2) as [string, string, string, string, string, string, string | undefined];

async function main(): Promise<void> {
  const { ZohoCRM } = require('zcrmsdk') as ZcrmsdkModule;
  const crm = new ZohoCRM({ clientId, clientSecret, accountsUrl: url, apiUrl: url, ca, apiVersion: version ?? 'v8' });
  await crm.generateTokens(grant);
  const count = Number(countText);
  let seen = 0;
  for await (const record of crm.records('Leads').list({ fields: ['Last_Name', 'Email', 'Company'], per_page: 200 })) {
    if (!record.id) throw new Error('a record without id');
    seen += 1;
    if (seen >= count) break;
  }
  await crm.close();
  console.log(JSON.stringify({ seen, maxRssMiB: process.resourceUsage().maxRSS / 1024 }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
