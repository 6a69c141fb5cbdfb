/**
 * A capturing HTTPS server that plays both Zoho Accounts and the CRM API just enough for a client to get a
 * reply: it records every request (method, raw URL, headers, body bytes) so two clients can be compared on
 * the wire. It has no state: every CRM path answers 200 JSON, download paths answer bytes.
 */
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import busboy from 'busboy';
import { generate } from 'selfsigned';
import { ACCESS_TOKEN, REFRESH_TOKEN } from '../../../../test-support/token-module.js';

export { ACCESS_TOKEN, REFRESH_TOKEN };

/** One request as the server saw it. */
export interface CapturedRequest {
  method: string;
  /** The request target as sent (path + raw query). */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A multipart part, as far as a comparison needs it. */
export interface CapturedPart {
  field: string;
  filename: string | undefined;
  contentType: string;
  hex: string;
}

/** The comparable view of a request: decoded path, parsed query pairs, parsed body. */
export interface NormalizedRequest {
  method: string;
  path: string;
  query: [string, string][];
  body: { json: unknown } | { text: string } | { multipart: CapturedPart[] } | null;
}

/** The bytes every download answers (a PNG signature, a 0xff, a NUL, a lone UTF-8 lead byte). */
export const DOWNLOAD_BYTES = Buffer.from('89504e47ff00c3', 'hex');
/** Header a request may carry to pick the reply status (copied through by both clients' `input.headers`). */
export const STATUS_HEADER = 'x-reply-status';
/** The JSON every CRM call answers (unless told otherwise). */
export const CRM_REPLY = { data: [{ id: '1000000000001', Full_Name: 'Ada Lovelace' }], info: { more_records: false } };

export interface CaptureServer {
  /** `127.0.0.1:<port>`, the host form zcrmsdk 0.0.x config takes. */
  host: string;
  /** PEM certificate, for clients that can trust it. */
  ca: string;
  requests: CapturedRequest[];
  close(): Promise<void>;
}

const DOWNLOAD_PATH = /\/(Attachments\/[^/]+|photo)$/;

/** Starts the server on 127.0.0.1 and a free port, with a fresh self-signed certificate for 127.0.0.1. */
export async function startCaptureServer(): Promise<CaptureServer> {
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] }],
  });
  const requests: CapturedRequest[] = [];
  const server: Server = createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = req.url ?? '/';
      requests.push({ method: req.method ?? '', url, headers: { ...req.headers }, body: Buffer.concat(chunks) });
      const pathname = url.split('?')[0] ?? '';
      if (pathname === '/oauth/v2/token') {
        // As Zoho does, a refresh grant's reply carries no refresh_token.
        const refresh = /[?&]grant_type=refresh_token(&|$)/.test(url);
        const reply = { access_token: ACCESS_TOKEN, ...(refresh ? {} : { refresh_token: REFRESH_TOKEN }), api_domain: 'https://www.zohoapis.com', token_type: 'Bearer', expires_in: 3600 };
        res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8' });
        res.end(JSON.stringify(reply));
        return;
      }
      const status = Number(req.headers[STATUS_HEADER] ?? 200);
      if (status === 204) {
        res.writeHead(204);
        res.end();
      } else if (req.method === 'GET' && DOWNLOAD_PATH.test(pathname)) {
        res.writeHead(status, { 'content-type': 'image/png', 'content-disposition': "attachment;filename*=UTF-8''a b.png" });
        res.end(DOWNLOAD_BYTES);
      } else {
        res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8' });
        res.end(JSON.stringify(CRM_REPLY));
      }
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    ca: pems.cert,
    requests,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

/** Parses a multipart/form-data body into its parts. */
export async function parseMultipart(contentType: string, body: Buffer): Promise<CapturedPart[]> {
  const parts: CapturedPart[] = [];
  await new Promise<void>((ok, fail) => {
    const bb = busboy({ headers: { 'content-type': contentType } });
    bb.on('file', (field, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => parts.push({ field, filename: info.filename, contentType: info.mimeType, hex: Buffer.concat(chunks).toString('hex') }));
    });
    bb.on('field', (field, value) => parts.push({ field, filename: undefined, contentType: 'text/plain', hex: Buffer.from(value).toString('hex') }));
    bb.on('close', ok);
    bb.on('error', fail);
    Readable.from([body]).pipe(bb);
  });
  return parts;
}

/**
 * The comparable view of a request. The query is parsed as a form-decoding server (Zoho's) reads it, so a raw
 * `+` is a space and a raw `&` splits a value; empty pieces (the trailing `&`) are skipped.
 */
export async function normalize(req: CapturedRequest): Promise<NormalizedRequest> {
  const [rawPath = '', ...rest] = req.url.split('?');
  const query = [...new URLSearchParams(rest.join('?'))];
  const contentType = String(req.headers['content-type'] ?? '');
  let body: NormalizedRequest['body'] = null;
  if (contentType.startsWith('multipart/form-data')) {
    body = { multipart: await parseMultipart(contentType, req.body) };
  } else if (req.body.length > 0) {
    const text = req.body.toString('utf8');
    try {
      body = { json: JSON.parse(text) as unknown };
    } catch {
      body = { text };
    }
  }
  return { method: req.method, path: decodeURIComponent(rawPath), query, body };
}
