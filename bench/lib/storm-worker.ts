/**
 * One worker of the refresh-storm benchmark: starts `calls` concurrent single-record GETs at once, through
 * our legacy facade on the MySQL store ("ours") or zcrmsdk 0.0.20 on its MySQL store, and prints a JSON
 * line `{ ok, failed }`. Every worker starts with the same expired access token in the shared table.
 */
import type { ZcrmsdkModule } from 'zcrmsdk';

const [contender, url, ca, clientId, clientSecret, redirectUri, user, recordId, callsText] = process.argv.slice(2) as [string, string, string, string, string, string, string, string, string];
const calls = Number(callsText);

type Get = (input: Record<string, unknown>) => Promise<{ statusCode: number } | string>;

async function client(): Promise<Get> {
  if (contender === 'ours') {
    const sdk = require('zcrmsdk') as ZcrmsdkModule;
    await sdk.initialize({
      client_id: clientId, client_secret: clientSecret, redirect_url: redirectUri, iamurl: url, base_url: url, ca,
      mysql_username: 'root', mysql_password: '', user_identifier: user,
    });
    return (input) => sdk.API.MODULES.get(input);
  }
  process.env['NODE_TLS_REJECT_UNAUTHORIZED'] = '0';
  const old = require('zcrmsdk-legacy') as {
    initialize(c: Record<string, unknown>): Promise<void>;
    setUserIdentifier(u: string): void;
    API: { MODULES: { get: Get } };
  };
  const host = new URL(url).host;
  await old.initialize({ client_id: clientId, client_secret: clientSecret, redirect_url: redirectUri, iamurl: host, base_url: host, mysql_username: 'root', mysql_password: '' });
  old.setUserIdentifier(user);
  return (input) => old.API.MODULES.get(input);
}

async function main(): Promise<void> {
  // zcrmsdk 0.0.20 throws inside callbacks on its error paths: count those as failures, don't die.
  let failed = 0;
  process.on('uncaughtException', () => (failed += 1));
  process.on('unhandledRejection', () => (failed += 1));
  const get = await client();
  const results = await Promise.allSettled(
    Array.from({ length: calls }, () => Promise.race([get({ module: 'Leads', id: recordId }), new Promise<never>((_, no) => setTimeout(() => no(new Error('never settled')), 30_000).unref())])),
  );
  const ok = results.filter((r) => r.status === 'fulfilled' && typeof r.value === 'object' && r.value.statusCode === 200).length;
  console.log(JSON.stringify({ ok, failed: failed + (calls - ok) }));
  process.exit(0);
}

void main();
