/**
 * Test helpers for the emulator server: a stub CRM binding (echoes what the server handed it, so server
 * tests do not depend on the CRM routes) and small HTTP helpers over undici.
 */
import { FormData, request } from 'undici';
import type { CrmBackend, CrmBinding, EmulatorOptions } from '../../src/server.js';
import { EmulatorServer } from '../../src/server.js';
import type { CrmRequest } from '../../src/http-types.js';

export const ADMIN_ID = '3000001000000100001';

/** A minimal CRM state: a list of inserted records and one admin user. */
export class StubCrm implements CrmBackend {
  readonly currentUserId = ADMIN_ID;
  records: unknown[] = [];
  seen: CrmRequest[] = [];
  users(): Record<string, unknown>[] {
    return [{ id: ADMIN_ID, email: 'ada@example.com', full_name: 'Ada Admin', first_name: 'Ada', last_name: 'Admin' }];
  }
  snapshot(): unknown {
    return { records: this.records };
  }
  reset(): void {
    this.records = [];
  }
}

export const stubBinding: CrmBinding<StubCrm> = {
  create: () => new StubCrm(),
  restore: (snapshot) => {
    const crm = new StubCrm();
    crm.records = (snapshot as { records: unknown[] }).records;
    return crm;
  },
  handle: async (state, req) => {
    state.seen.push(req);
    if (req.method === 'POST' && req.segments[0] === 'Leads') state.records.push(req.json);
    if (req.segments[0] === 'throw') throw new Error('boom');
    if (req.segments[0] === 'empty') return { status: 204 };
    return {
      status: 200,
      json: {
        data: [
          {
            version: req.version,
            bulk: req.bulk,
            segments: req.segments,
            query: req.query,
            json: req.json ?? null,
            invalidBody: req.invalidBody,
            fields: req.fields,
            files: req.files.map((f) => ({ field: f.field, filename: f.filename ?? null, size: f.data.length })),
            userId: req.userId,
            scopes: req.scopes,
          },
        ],
      },
    };
  },
};

export function startStub(options: EmulatorOptions = {}): Promise<EmulatorServer<StubCrm>> {
  return EmulatorServer.start(stubBinding, options);
}

export type Encoding = 'query' | 'form' | 'multipart';

export interface HttpReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}

/** Sends a request and reads the reply (JSON parsed when it parses). */
export async function http(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | Buffer | FormData } = {},
): Promise<HttpReply> {
  const res = await request(url, {
    method: (init.method ?? 'GET') as 'GET',
    ...(init.headers === undefined ? {} : { headers: init.headers }),
    ...(init.body === undefined ? {} : { body: init.body }),
  });
  const text = await res.body.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.statusCode, headers: res.headers, text, json };
}

/** POSTs the token endpoint with `params` in the given encoding. */
export async function tokenPost(base: string, params: Record<string, string>, encoding: Encoding = 'form', path = '/oauth/v2/token'): Promise<HttpReply> {
  if (encoding === 'query') {
    return http(`${base}${path}?${new URLSearchParams(params).toString()}`, { method: 'POST' });
  }
  if (encoding === 'form') {
    return http(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params).toString(),
    });
  }
  const form = new FormData();
  for (const [k, v] of Object.entries(params)) form.append(k, v);
  return http(`${base}${path}`, { method: 'POST', body: form });
}

export interface Tokens {
  access_token: string;
  refresh_token: string;
}

/** Gets a grant code and exchanges it: a fresh access + refresh token pair. */
export async function getTokens(
  emu: EmulatorServer<CrmBackend>,
  grant: Parameters<EmulatorServer<CrmBackend>['grantToken']>[0] = {},
): Promise<Tokens> {
  const code = await emu.grantToken(grant);
  const reply = await tokenPost(emu.url, {
    grant_type: 'authorization_code',
    client_id: emu.client.clientId,
    client_secret: emu.client.clientSecret,
    code,
  });
  if (reply.json?.access_token === undefined) throw new Error(`token exchange failed: ${reply.text}`);
  return reply.json as Tokens;
}

export function refresh(emu: EmulatorServer<CrmBackend>, refreshToken: string, encoding: Encoding = 'form'): Promise<HttpReply> {
  return tokenPost(
    emu.url,
    { grant_type: 'refresh_token', client_id: emu.client.clientId, client_secret: emu.client.clientSecret, refresh_token: refreshToken },
    encoding,
  );
}

export function crmGet(emu: { url: string }, path: string, token: string | undefined): Promise<HttpReply> {
  return http(`${emu.url}${path}`, token === undefined ? {} : { headers: { authorization: `Zoho-oauthtoken ${token}` } });
}
