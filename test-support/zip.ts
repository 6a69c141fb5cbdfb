/**
 * ZIP archives for tests, from fflate (a maintained, independent implementation): fixtures for the SDK's
 * streaming reader, and a second reader to check what the SDK writes.
 */
import { unzipSync, zipSync } from 'fflate';

/** A ZIP of `files`, deflated. */
export function zip(files: { name: string; data: Buffer }[]): Buffer {
  return Buffer.from(zipSync(Object.fromEntries(files.map((f) => [f.name, new Uint8Array(f.data)]))));
}

/** The entries of a ZIP, or undefined when it is not one. */
export function unzip(data: Buffer): { name: string; data: Buffer }[] | undefined {
  try {
    return Object.entries(unzipSync(new Uint8Array(data))).map(([name, bytes]) => ({ name, data: Buffer.from(bytes) }));
  } catch {
    return undefined;
  }
}
