import type { Readable } from 'node:stream';

/** A download's content: Zoho's SDKs hand over got's raw body Buffer (a stream when read from a file). */
export async function readAll(stream: Readable | Buffer): Promise<Buffer> {
  if (Buffer.isBuffer(stream)) return stream;
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}
