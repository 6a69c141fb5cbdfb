/**
 * ZIP for bulk jobs, with fflate (a maintained, dependency-free deflate/ZIP library; the emulator is a dev
 * dependency, so a library costs no user anything): bulk-read results are written as a zip holding one CSV,
 * bulk-write uploads are read from one.
 */
import { unzipSync, zipSync, type Zippable } from 'fflate';

/** A file inside a zip. */
export interface ZipEntry {
  name: string;
  data: Buffer;
}

/** The most bytes the emulator inflates from one upload: an upload declaring more is refused, not expanded. */
export const MAX_UNZIPPED_BYTES = 256 * 1024 * 1024;

/** Entries keep a fixed modification time, so the zip depends only on its content. */
const FIXED_MTIME = new Date(1980, 0, 1);

/** A deflated zip of `files`, in order. */
export function zip(files: readonly ZipEntry[]): Buffer {
  const entries: Zippable = {};
  for (const f of files) entries[f.name] = [new Uint8Array(f.data), { mtime: FIXED_MTIME }];
  return Buffer.from(zipSync(entries, { level: 6 }));
}

/** The files of a zip (folders left out), or undefined when `data` is not a readable zip or would inflate too much. */
export function unzip(data: Buffer): ZipEntry[] | undefined {
  let declared = 0;
  try {
    const files = unzipSync(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), {
      filter: (file) => {
        declared += file.originalSize;
        if (declared > MAX_UNZIPPED_BYTES) throw new Error('zip inflates past the cap');
        return !file.name.endsWith('/');
      },
    });
    return Object.entries(files).map(([name, bytes]) => ({ name, data: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) }));
  } catch {
    return undefined;
  }
}
