/**
 * One contender of the single-record GET benchmark, in its own process: `setup` makes it ready to call
 * `GET /crm/v2/Leads/{id}` against the emulator, `round` runs calls at a concurrency for a time and returns
 * the count. Contenders: raw (undici.request, fixed token), modern (ZohoCRM.requestJson), legacy (the
 * ZCRMRestClient facade on the MySQL store), zcrmsdk-0.0.20 (on its MySQL store), nodejs-sdk-2.0.
 */
import type { ZcrmsdkModule } from 'zcrmsdk';
import { serve } from './ipc.js';

type Call = () => Promise<void>;
interface Setup {
  url: string;
  ca: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  grant: string;
  recordId: string;
  user: string;
  dir: string;
}

const name = process.argv[2] ?? '';
/** The built package, as `require('zcrmsdk')` gives it to a user. */
const ours = (): ZcrmsdkModule => require('zcrmsdk') as ZcrmsdkModule;
if (name === 'zcrmsdk-0.0.20' || name === 'nodejs-sdk-2.0') process.env['NODE_TLS_REJECT_UNAUTHORIZED'] = '0';

async function setup(s: Setup): Promise<Call> {
  const host = new URL(s.url).host;
  switch (name) {
    case 'raw': {
      const { Agent, request } = await import('undici');
      const res = await fetch(`${s.url}/oauth/v2/token`, {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'authorization_code', client_id: s.clientId, client_secret: s.clientSecret, code: s.grant }),
        // @ts-expect-error undici's dispatcher option on the global fetch
        dispatcher: new Agent({ connect: { ca: s.ca } }),
      });
      const { access_token: token } = (await res.json()) as { access_token: string };
      const dispatcher = new Agent({ connections: 64, keepAliveTimeout: 30_000, connect: { ca: s.ca } });
      const url = `${s.url}/crm/v2/Leads/${s.recordId}`;
      const headers = { authorization: `Zoho-oauthtoken ${token}` };
      return async () => {
        const r = await request(url, { method: 'GET', headers, dispatcher });
        await r.body.json();
        if (r.statusCode !== 200) throw new Error(`raw: HTTP ${r.statusCode}`);
      };
    }
    case 'modern': {
      const { ZohoCRM } = ours();
      const crm = new ZohoCRM({ clientId: s.clientId, clientSecret: s.clientSecret, accountsUrl: s.url, apiUrl: s.url, ca: s.ca, apiVersion: 'v2' });
      await crm.generateTokens(s.grant, s.user);
      const path = ['Leads', s.recordId];
      return async () => {
        await crm.requestJson({ method: 'GET', path, userId: s.user });
      };
    }
    case 'legacy': {
      const client = ours();
      await client.initialize({
        client_id: s.clientId, client_secret: s.clientSecret, redirect_url: s.redirectUri,
        iamurl: s.url, base_url: s.url, ca: s.ca, mysql_username: 'root', mysql_password: '', user_identifier: s.user,
      });
      await client.generateAuthTokens(s.user, s.grant);
      const input = { module: 'Leads', id: s.recordId };
      return async () => {
        const res = await client.API.MODULES.get(input);
        if (typeof res === 'string' || res.statusCode !== 200) throw new Error(`legacy: ${typeof res === 'string' ? res : res.statusCode}`);
      };
    }
    case 'zcrmsdk-0.0.20': {
      const old = require('zcrmsdk-legacy') as {
        initialize(c: Record<string, unknown>): Promise<void>;
        generateAuthTokens(u: string, g: string): Promise<unknown>;
        setUserIdentifier(u: string): void;
        API: { MODULES: { get(i: Record<string, unknown>): Promise<{ statusCode: number } | string> } };
      };
      await old.initialize({ client_id: s.clientId, client_secret: s.clientSecret, redirect_url: s.redirectUri, iamurl: host, base_url: host, mysql_username: 'root', mysql_password: '' });
      old.setUserIdentifier(s.user);
      await old.generateAuthTokens(s.user, s.grant);
      const input = { module: 'Leads', id: s.recordId };
      return async () => {
        const res = await old.API.MODULES.get(input);
        if (typeof res === 'string' || res.statusCode !== 200) throw new Error(`zcrmsdk 0.0.20: ${typeof res === 'string' ? res : res.statusCode}`);
      };
    }
    case 'nodejs-sdk-2.0': {
      const { join } = await import('node:path');
      const { writeFile } = await import('node:fs/promises');
      const req = require;
      // The SDK is untyped JavaScript, driven as its README shows (as test/fidelity does).
      type Sdk = any;
      const sdk = (path: string, key: string): Sdk => (req(`@zohocrm/nodejs-sdk-2.0/${path}`) as Record<string, Sdk>)[key];
      const Initializer = sdk('routes/initializer', 'Initializer');
      const OAuthBuilder = sdk('models/authenticator/oauth_builder', 'OAuthBuilder');
      const UserSignature = sdk('routes/user_signature', 'UserSignature');
      const Environment = sdk('routes/dc/environment', 'Environment');
      const FileStore = sdk('models/authenticator/store/file_store', 'FileStore');
      const LogBuilder = sdk('routes/logger/log_builder', 'LogBuilder');
      const Levels = sdk('routes/logger/logger', 'Levels');
      const SDKConfigBuilder = sdk('routes/sdk_config_builder', 'SDKConfigBuilder');
      const RecordOperations = sdk('core/com/zoho/crm/api/record/record_operations', 'RecordOperations');
      await writeFile(join(s.dir, 'tokens.txt'), '');
      const token = new OAuthBuilder().clientId(s.clientId).clientSecret(s.clientSecret).grantToken(s.grant).redirectURL(s.redirectUri).build();
      await Initializer.initialize(
        new UserSignature(s.user),
        new Environment(s.url, `${s.url}/oauth/v2/token`, s.url, 'emulator'),
        token,
        new FileStore(join(s.dir, 'tokens.txt')),
        new SDKConfigBuilder().pickListValidation(false).autoRefreshFields(false).build(),
        s.dir,
        new LogBuilder().level(Levels.ERROR).filePath(join(s.dir, 'sdk.log')).build(),
      );
      const ops = new RecordOperations();
      const id = BigInt(s.recordId);
      return async () => {
        const res = (await ops.getRecord(id, 'Leads')) as { getStatusCode(): number };
        if (res.getStatusCode() !== 200) throw new Error(`nodejs-sdk-2.0: HTTP ${res.getStatusCode()}`);
      };
    }
    default:
      throw new Error(`unknown contender ${name}`);
  }
}

let call: Call | undefined;
serve({
  setup: async (msg) => {
    call = await setup(msg as unknown as Setup);
    await call();
    return true;
  },
  round: async (msg) => {
    const concurrency = Number(msg['concurrency']);
    const ms = Number(msg['seconds']) * 1000;
    const fn = call;
    if (!fn) throw new Error('round before setup');
    for (let i = 0; i < Math.min(50, concurrency * 4); i++) await fn();
    let done = 0;
    let failed = 0;
    const started = performance.now();
    const deadline = started + ms;
    const worker = async (): Promise<void> => {
      while (performance.now() < deadline) {
        try {
          await fn();
          done += 1;
        } catch {
          failed += 1;
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return { perSecond: done / ((performance.now() - started) / 1000), failed };
  },
});
