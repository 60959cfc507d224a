import { writeFileSync } from "node:fs";
import { crc32, deflateRawSync, createDeflateRaw } from "node:zlib";

/** One zip entry: its name and either bytes or a generated run of zeros (for bombs). */
export interface ZipEntrySpec {
  name: string;
  data?: Buffer;
  /** Inflates to this many zero bytes (deflated as a stream, never held whole). */
  zeros?: number;
  /** What the directory claims the entry inflates to (a lying bomb says little). */
  declaredSize?: number;
  /** Set the "encrypted" flag. */
  encrypted?: boolean;
  /** What the local header (not the directory) says the compressed size is: a lying local header. */
  localCompressedSize?: number;
  /** What the local header says the inflated size is. */
  localSize?: number;
  /** Extra flags for the local header only (8: sizes follow the data, in a descriptor never written). */
  localFlags?: number;
}

async function deflateZeros(
  size: number,
): Promise<{ compressed: Buffer; crc: number }> {
  const deflate = createDeflateRaw({ level: 9 });
  const chunks: Buffer[] = [];
  deflate.on("data", (c: Buffer) => chunks.push(c));
  const block = Buffer.alloc(1024 * 1024);
  let crc = 0;
  for (let left = size; left > 0; left -= block.length) {
    const piece = left >= block.length ? block : block.subarray(0, left);
    crc = crc32(piece, crc);
    if (!deflate.write(piece))
      await new Promise((r) => deflate.once("drain", r));
  }
  await new Promise((r) => deflate.end(r));
  return { compressed: Buffer.concat(chunks), crc };
}

/** Writes a zip by hand, so that tests can build bombs and damaged files no library would write. */
export async function writeZip(
  path: string,
  entries: ZipEntrySpec[],
): Promise<void> {
  writeFileSync(path, await zipBytes(entries));
}

/** The bytes of a zip of `entries` (see writeZip). */
export async function zipBytes(entries: ZipEntrySpec[]): Promise<Buffer> {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name);
    let compressed: Buffer;
    let crc: number;
    let size: number;
    if (entry.zeros !== undefined) {
      ({ compressed, crc } = await deflateZeros(entry.zeros));
      size = entry.zeros;
    } else {
      const data = entry.data ?? Buffer.alloc(0);
      compressed = deflateRawSync(data);
      crc = crc32(data);
      size = data.length;
    }
    const declared = entry.declaredSize ?? size;
    const flags = entry.encrypted ? 1 : 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags | (entry.localFlags ?? 0), 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(entry.localCompressedSize ?? compressed.length, 18);
    local.writeUInt32LE(entry.localSize ?? declared, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc >>> 0, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(declared, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, compressed);
    centrals.push(central, name);
    offset += 30 + name.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
