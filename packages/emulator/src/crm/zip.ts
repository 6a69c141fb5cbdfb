/** A minimal zip writer (deflate via node:zlib) for bulk-read results and a reader for bulk-write uploads. */
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';

export function zip(files: { name: string; data: Buffer }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  // DOS date/time fixed at 1980-01-01 so output depends only on content.
  const dosTime = 0;
  const dosDate = (0 << 9) | (1 << 5) | 1;
  for (const f of files) {
    const name = Buffer.from(f.name, 'utf8');
    const packed = deflateRawSync(f.data);
    const crc = crc32(f.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt16LE(dosTime, 10);
    local.writeUInt16LE(dosDate, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(f.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, packed);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(dosTime, 12);
    central.writeUInt16LE(dosDate, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(f.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += local.length + name.length + packed.length;
  }
  const centralSize = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}

/** Reads the files of a zip (stored or deflated entries, via the central directory); undefined if not a zip. */
export function unzip(data: Buffer): { name: string; data: Buffer }[] | undefined {
  const end = data.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end === -1 || end + 22 > data.length) return undefined;
  const count = data.readUInt16LE(end + 10);
  let p = data.readUInt32LE(end + 16);
  const out: { name: string; data: Buffer }[] = [];
  try {
    for (let i = 0; i < count; i += 1) {
      if (data.readUInt32LE(p) !== 0x02014b50) return undefined;
      const method = data.readUInt16LE(p + 10);
      const size = data.readUInt32LE(p + 20);
      const nameLen = data.readUInt16LE(p + 28);
      const extraLen = data.readUInt16LE(p + 30);
      const commentLen = data.readUInt16LE(p + 32);
      const local = data.readUInt32LE(p + 42);
      const name = data.subarray(p + 46, p + 46 + nameLen).toString('utf8');
      const start = local + 30 + data.readUInt16LE(local + 26) + data.readUInt16LE(local + 28);
      const raw = data.subarray(start, start + size);
      if (!name.endsWith('/')) out.push({ name, data: method === 8 ? inflateRawSync(raw) : Buffer.from(raw) });
      p += 46 + nameLen + extraLen + commentLen;
    }
  } catch {
    return undefined;
  }
  return out;
}
