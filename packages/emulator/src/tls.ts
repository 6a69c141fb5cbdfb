/**
 * A self-signed certificate for the emulator's HTTPS mode (old zcrmsdk hard-codes `https://`). Clients trust
 * it through `emulator.ca`; an EC key keeps start-up fast.
 */
import { loadOptional } from './optional.js';

/** PEM key and certificate for localhost / 127.0.0.1 / ::1. */
export interface TlsMaterial {
  key: string;
  cert: string;
}

/** Generates a fresh certificate valid for one year, CN=localhost, SAN localhost + 127.0.0.1 + ::1. */
export async function generateCertificate(extraHosts: readonly string[] = []): Promise<TlsMaterial> {
  const dnsNames = ['localhost', ...extraHosts.filter((h) => !/^[\d.:]+$/.test(h))];
  const ips = ['127.0.0.1', '::1', ...extraHosts.filter((h) => /^[\d.:]+$/.test(h))];
  // Loaded on first use: only HTTPS mode needs it.
  const { generate } = await loadOptional<typeof import('selfsigned')>('selfsigned', "the emulator's HTTPS mode (https: true)");
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          ...[...new Set(dnsNames)].map((value) => ({ type: 2 as const, value })),
          ...[...new Set(ips)].map((ip) => ({ type: 7 as const, ip })),
        ],
      },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}
