/**
 * The benchmarks' emulator, in a process of its own so that it does not share an event loop with the client
 * under test. Speaks over IPC: it sends `{ ready, url, ca, client, recordIds }` once listening, then answers
 * `{ id, cmd }` messages (grant codes, request counts, token expiry) with `{ id, result }`.
 */
import { startEmulator } from '@zcrmsdk/emulator';

interface Command {
  id: number;
  cmd: 'grant' | 'tokenRequests' | 'expire' | 'resetLog' | 'count' | 'generate' | 'close';
  module?: string;
  n?: number;
}

async function main(): Promise<void> {
  const https = process.env['BENCH_HTTP'] !== '1';
  const records = Number(process.env['BENCH_RECORDS'] ?? 100);
  const validateRequests = process.env['BENCH_VALIDATE'] !== '0';
  const emu = await startEmulator({ port: 0, https, validateRequests, refreshThrottle: false, maxRecordedRequests: 20_000 });
  emu.crm.generate('Leads', records);
  const recordIds = emu.crm.records('Leads').slice(0, 10).map((r) => String(r['id']));
  const send = (msg: unknown): void => {
    process.send?.(msg);
  };
  process.on('message', (raw: unknown) => {
    const msg = raw as Command;
    void (async () => {
      let result: unknown;
      switch (msg.cmd) {
        case 'grant':
          result = await emu.grantToken({ scope: 'ZohoCRM.modules.ALL,ZohoCRM.settings.ALL,ZohoCRM.users.ALL,ZohoCRM.org.ALL' });
          break;
        case 'tokenRequests':
          // Refreshes only: grant_type=refresh_token in the query (zcrmsdk 0.0.x), a form or a multipart body.
          result = emu.tokenRequests.filter((r) => r.query['grant_type'] === 'refresh_token' || /grant_type(=|"\r\n\r\n)refresh_token/.test(String(r.body))).length;
          break;
        case 'expire':
          emu.expireAccessTokens();
          result = true;
          break;
        case 'resetLog':
          emu.clearRequests();
          result = true;
          break;
        case 'count':
          result = emu.crm.records(msg.module ?? 'Leads').length;
          break;
        case 'generate':
          emu.crm.generate(msg.module ?? 'Leads', msg.n ?? 0);
          result = emu.crm.records(msg.module ?? 'Leads').length;
          break;
        case 'close':
          await emu.close();
          send({ id: msg.id, result: true });
          process.exit(0);
      }
      send({ id: msg.id, result });
    })().catch((error: unknown) => send({ id: msg.id, error: String(error) }));
  });
  send({ ready: true, url: emu.url, ca: emu.ca, client: emu.client, recordIds });
}

void main();
