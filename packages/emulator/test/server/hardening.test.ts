/**
 * Requests that used to crash, hang or leak the emulator (issue 6 item 3). Each goes over real HTTP and then
 * checks the emulator is still up by sending an ordinary request.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type Emulator } from '../../src/index.js';
import { ALL_SCOPES } from '../../../../test-support/scopes.js';
import { crmGet, getTokens, http, tokenPost, type Tokens } from './helpers.js';
import { startChildEmulator, type ChildEmulator } from './child-emulator.js';

const TRUNCATED = '--zz\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\nabc';
const MULTIPART_ZZ = 'multipart/form-data; boundary=zz';

/** Opens a raw socket and writes `head` (request line + headers + CRLF CRLF) and a partial body. */
async function rawPartialRequest(url: string, head: string, partialBody: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  socket.on('error', () => {});
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.write(head + partialBody);
  return socket;
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 2000 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(check(), 'condition never became true');
}

describe('emulator hardening: requests that must not crash, hang or leak', () => {
  let emu: ChildEmulator;
  let tokens: Tokens;
  let leadId: string;

  before(async () => {
    emu = await startChildEmulator();
    tokens = emu.tokens;
    const created = await http(`${emu.url}/crm/v2/Leads`, {
      method: 'POST',
      headers: { authorization: `Zoho-oauthtoken ${tokens.access_token}` },
      body: JSON.stringify({ data: [{ Last_Name: 'Upload', Company: 'Acme' }] }),
    });
    leadId = String(created.json.data[0].details.id);
  });
  after(async () => {
    assert.equal(emu.exitCode(), null, `the emulator process died: ${emu.stderr()}`);
    assert.equal(await emu.stop(), 0, emu.stderr());
    assert.equal(emu.stderr(), '');
  });

  /** The emulator process is alive and answers an ordinary call. */
  async function assertUp(): Promise<void> {
    await new Promise((r) => setImmediate(r));
    const reply = await crmGet(emu, '/crm/v2/users?type=CurrentUser', tokens.access_token).catch((e: unknown) => {
      throw new Error(`the emulator stopped answering (${String(e)}): ${emu.stderr()}`);
    });
    assert.equal(reply.status, 200, reply.text);
    assert.equal(emu.exitCode(), null, emu.stderr());
  }

  it('answers a truncated multipart token request with Zoho invalid_request and stays up', async () => {
    const reply = await http(`${emu.url}/oauth/v2/token`, { method: 'POST', headers: { 'content-type': MULTIPART_ZZ }, body: TRUNCATED });
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.json, { error: 'invalid_request' });
    // The token endpoint still works.
    const ok = await tokenPost(emu.url, {
      grant_type: 'refresh_token',
      client_id: emu.client.clientId,
      client_secret: emu.client.clientSecret,
      refresh_token: tokens.refresh_token,
    });
    assert.equal(typeof ok.json?.access_token, 'string', ok.text);
    await assertUp();
  });

  it('answers a truncated multipart upload with a valid token with 400 INVALID_DATA and stays up', async () => {
    const reply = await http(`${emu.url}/crm/v2/Leads/${leadId}/Attachments`, {
      method: 'POST',
      headers: { 'content-type': MULTIPART_ZZ, authorization: `Zoho-oauthtoken ${tokens.access_token}` },
      body: TRUNCATED,
    });
    assert.equal(reply.status, 400, reply.text);
    assert.equal(reply.json.code, 'INVALID_DATA');
    assert.equal(reply.json.status, 'error');
    // A multipart body with a bad boundary parameter is refused the same way.
    const noBoundary = await http(`${emu.url}/crm/v2/Leads/${leadId}/Attachments`, {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data', authorization: `Zoho-oauthtoken ${tokens.access_token}` },
      body: 'abc',
    });
    assert.equal(noBoundary.status, 400, noBoundary.text);
    await assertUp();
  });

  it('answers deeply nested COQL with 400 LIMIT_EXCEEDED, not 500', async () => {
    const depth = 20_000;
    const where = `${'('.repeat(depth)}Last_Name = 'x'${')'.repeat(depth)}`;
    const reply = await http(`${emu.url}/crm/v2/coql`, {
      method: 'POST',
      headers: { authorization: `Zoho-oauthtoken ${tokens.access_token}` },
      body: JSON.stringify({ select_query: `select Last_Name from Leads where ${where}` }),
    });
    assert.equal(reply.status, 400, reply.text);
    assert.equal(reply.json.code, 'LIMIT_EXCEEDED');
    assert.equal(reply.json.status, 'error');
    // Moderate nesting is still a valid query.
    const fine = await http(`${emu.url}/crm/v2/coql`, {
      method: 'POST',
      headers: { authorization: `Zoho-oauthtoken ${tokens.access_token}` },
      body: JSON.stringify({ select_query: `select Last_Name from Leads where ${'('.repeat(5)}Last_Name = 'Upload'${')'.repeat(5)}` }),
    });
    assert.equal(fine.status, 200, fine.text);
    await assertUp();
  });

  it('answers an over-long COQL query with 400 LIMIT_EXCEEDED', async () => {
    const reply = await http(`${emu.url}/crm/v2/coql`, {
      method: 'POST',
      headers: { authorization: `Zoho-oauthtoken ${tokens.access_token}` },
      body: JSON.stringify({ select_query: `select Last_Name from Leads where Last_Name = '${'x'.repeat(200_000)}'` }),
    });
    assert.equal(reply.status, 400, reply.text);
    assert.equal(reply.json.code, 'LIMIT_EXCEEDED');
    await assertUp();
  });

  it('answers deeply nested search criteria with 400 INVALID_QUERY, not 500', async () => {
    const depth = 5_000;
    const criteria = `${'('.repeat(depth)}Last_Name:equals:x${')'.repeat(depth)}`;
    const reply = await crmGet(emu, `/crm/v2.1/Leads/search?criteria=${criteria}`, tokens.access_token);
    assert.equal(reply.status, 400, reply.text);
    assert.equal(reply.json.code, 'INVALID_QUERY');
    const fine = await crmGet(emu, `/crm/v2.1/Leads/search?criteria=${'('.repeat(4)}Last_Name:equals:Upload${')'.repeat(4)}`, tokens.access_token);
    assert.equal(fine.status, 200, fine.text);
    await assertUp();
  });

  it('survives bad JSON, bad urlencoded, odd content types and huge headers', async () => {
    const auth = { authorization: `Zoho-oauthtoken ${tokens.access_token}` };
    const probes: { headers: Record<string, string>; body: string; status: number }[] = [
      { headers: { ...auth, 'content-type': 'application/json' }, body: '{"data":[{', status: 400 },
      { headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' }, body: '%%%=%&=&&%zz', status: 400 },
      { headers: { ...auth, 'content-type': 'text/plain; charset=nope' }, body: '\u0000\uffff', status: 400 },
      { headers: { ...auth, 'content-type': ';;;' }, body: '[]', status: 400 },
    ];
    for (const probe of probes) {
      const reply = await http(`${emu.url}/crm/v2/Leads`, { method: 'POST', headers: probe.headers, body: probe.body });
      assert.equal(reply.status, probe.status, `${JSON.stringify(probe)} -> ${reply.text}`);
      assert.equal(reply.json.status, 'error');
    }
    const huge = await http(`${emu.url}/crm/v2/Leads`, { headers: { ...auth, 'x-big': 'a'.repeat(64 * 1024) } }).catch(() => undefined);
    // Node answers 431 itself (or resets the connection); either way the emulator keeps serving.
    if (huge !== undefined) assert.equal(huge.status, 431);
    await assertUp();
  });

});

describe('emulator hardening: aborted uploads and vanished clients', () => {
  let emu: Emulator;
  let tokens: Tokens;

  before(async () => {
    emu = await startEmulator({ port: 0, emptyModules: true });
    tokens = await getTokens(emu, { scope: ALL_SCOPES });
  });
  after(() => emu.close());

  async function assertUp(): Promise<void> {
    const reply = await crmGet(emu, '/crm/v2/users?type=CurrentUser', tokens.access_token);
    assert.equal(reply.status, 200, reply.text);
  }

  it('releases an upload aborted mid-body and keeps serving', async () => {
    const head =
      `POST /crm/v2/Leads HTTP/1.1\r\nHost: x\r\nAuthorization: Zoho-oauthtoken ${tokens.access_token}\r\n` +
      'Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n';
    const before = emu.requests.length;
    const socket = await rawPartialRequest(emu.url, head, '{"data":[');
    await until(() => emu.bufferedBytes > 0);
    socket.destroy();
    await until(() => emu.bufferedBytes === 0);
    assert.equal(emu.requests.length, before, 'an aborted request is not handled');
    await assertUp();
  });

  it('survives a client that disconnects while a fault delay is pending', async () => {
    emu.failNext({ path: '/crm/v2/Leads', method: 'POST', delayMs: 50 });
    emu.failNext({ path: '/crm/v2/Leads', method: 'POST', delayMs: 50, dropConnection: true });
    emu.failNext({ path: '/crm/v2/Leads', method: 'POST', delayMs: 50, status: 503 });
    for (let i = 0; i < 3; i++) {
      const body = JSON.stringify({ data: [{ Last_Name: `Gone ${i}` }] });
      const head =
        `POST /crm/v2/Leads HTTP/1.1\r\nHost: x\r\nAuthorization: Zoho-oauthtoken ${tokens.access_token}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
      const socket = await rawPartialRequest(emu.url, head, body);
      await until(() => emu.pendingFaults === 2 - i);
      socket.destroy();
    }
    await until(() => emu.inFlight === 0 && emu.bufferedBytes === 0);
    await new Promise((r) => setTimeout(r, 100));
    await assertUp();
  });
});

describe('emulator hardening: the total cap on buffered request bytes', () => {
  it('answers 429 with Retry-After when other requests hold the budget, and recovers', async () => {
    const emu = await startEmulator({ port: 0, emptyModules: true, maxBufferedBytes: 1000 });
    try {
      const tokens = await getTokens(emu, { scope: ALL_SCOPES });
      const head =
        `POST /crm/v2/Leads HTTP/1.1\r\nHost: x\r\nAuthorization: Zoho-oauthtoken ${tokens.access_token}\r\n` +
        'Content-Type: application/json\r\nContent-Length: 5000\r\n\r\n';
      const holder = await rawPartialRequest(emu.url, head, ' '.repeat(800));
      await until(() => emu.bufferedBytes === 800);
      const body = JSON.stringify({ data: [{ Last_Name: 'Budget', Company: 'Acme', Description: 'x'.repeat(400) }] });
      const refused = await http(`${emu.url}/crm/v2/Leads`, {
        method: 'POST',
        headers: { authorization: `Zoho-oauthtoken ${tokens.access_token}`, 'content-type': 'application/json' },
        body,
      });
      assert.equal(refused.status, 429, refused.text);
      assert.equal(refused.json.code, 'TOO_MANY_REQUESTS');
      assert.equal(refused.headers['retry-after'], '1');
      assert.equal(emu.crm.records('Leads').length, 0, 'a refused create writes nothing');
      holder.destroy();
      await until(() => emu.bufferedBytes === 0);
      const accepted = await http(`${emu.url}/crm/v2/Leads`, {
        method: 'POST',
        headers: { authorization: `Zoho-oauthtoken ${tokens.access_token}`, 'content-type': 'application/json' },
        body,
      });
      assert.equal(accepted.status, 201, accepted.text);
      assert.equal(emu.bufferedBytes, 0, 'a handled request gives its bytes back');
    } finally {
      await emu.close();
    }
  });
});

describe('emulator hardening: close() leaves no timers behind', () => {
  it('a process whose requests wait on latency and fault delays exits as soon as the emulator closes', async () => {
    const script = join(__dirname, 'fixtures/close-with-pending-delays.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    // The pending delays are 10 minutes long: a child still alive after 60 s lingers on them.
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('exit', (c, s) => resolve([c, s])));
    clearTimeout(killer);
    assert.equal(signal, null, `the child lingered after close() and was killed\n${output}`);
    assert.equal(code, 0, output);
    assert.match(output, /closed with 3 pending requests settled/);
  });
});
