/** Thrown when a compound file is damaged or built to make a reader loop or run out of memory. */
export class CompoundFileDamaged extends Error {}

const SIGNATURE = Buffer.from("d0cf11e0a1b11ae1", "hex");
const END_OF_CHAIN = 0xfffffffe;
const FREE = 0xffffffff;
const DIRECTORY_ENTRY_BYTES = 128;

/** One stream (file) inside a compound file. */
export interface CompoundStream {
  name: string;
  bytes: number;
}

/** A parsed compound file: its root's streams, each read on demand. */
export interface CompoundFile {
  /** The streams directly under the root storage ("Workbook", "EncryptionInfo", ...). */
  streams: CompoundStream[];
  /** A stream's bytes, or null when the root has no stream of that name. */
  read(name: string): Buffer | null;
}

interface DirectoryEntry {
  name: string;
  type: number;
  left: number;
  right: number;
  child: number;
  start: number;
  size: number;
}

/**
 * Reads an OLE compound file (the container of Excel 97-2003 .xls files and of password-protected
 * workbooks) from memory, within bounds: every sector number must lie inside the file, every chain
 * is followed at most once per sector (so a chain that loops is refused, not followed forever),
 * and a stream may not claim more bytes than its chain holds. Memory is at most the file's size again.
 */
export function readCompoundFile(file: Buffer): CompoundFile {
  if (file.length < 512 || !file.subarray(0, 8).equals(SIGNATURE))
    throw new CompoundFileDamaged("it does not start like a compound file");
  if (file.readUInt16LE(28) !== 0xfffe)
    throw new CompoundFileDamaged("its byte order mark is wrong");
  const sectorShift = file.readUInt16LE(30);
  const miniShift = file.readUInt16LE(32);
  if ((sectorShift !== 9 && sectorShift !== 12) || miniShift !== 6)
    throw new CompoundFileDamaged("its sector size is not 512 or 4096 bytes");
  const sectorSize = 1 << sectorShift;
  const sectorCount = Math.max(
    Math.ceil((file.length - sectorSize) / sectorSize),
    0,
  );
  const fatSectors = file.readUInt32LE(44);
  const firstDirectory = file.readUInt32LE(48);
  const miniCutoff = file.readUInt32LE(56);
  const firstMiniFat = file.readUInt32LE(60);
  const firstDifat = file.readUInt32LE(68);
  const difatSectors = file.readUInt32LE(72);
  if (fatSectors > sectorCount || difatSectors > sectorCount)
    throw new CompoundFileDamaged(
      "it claims more allocation sectors than it has",
    );
  const sectorAt = (n: number): Buffer => {
    if (n >= sectorCount)
      throw new CompoundFileDamaged(
        `sector ${n} lies past the end of the file`,
      );
    const start = (n + 1) * sectorSize;
    return file.subarray(start, Math.min(start + sectorSize, file.length));
  };
  // The allocation table's sectors: 109 listed in the header, the rest in a chain of DIFAT sectors.
  const fatList: number[] = [];
  for (let i = 0; i < 109 && fatList.length < fatSectors; i++)
    fatList.push(file.readUInt32LE(76 + i * 4));
  let difat = firstDifat;
  for (
    let seen = 0;
    fatList.length < fatSectors && difat !== END_OF_CHAIN && difat !== FREE;
    seen++
  ) {
    if (seen >= difatSectors)
      throw new CompoundFileDamaged("its sector list loops");
    const sector = sectorAt(difat);
    const per = sectorSize / 4 - 1;
    for (let i = 0; i < per && fatList.length < fatSectors; i++)
      fatList.push(sector.readUInt32LE(i * 4));
    difat = sector.readUInt32LE(per * 4);
  }
  const fat = new Uint32Array(fatList.length * (sectorSize / 4));
  fatList.forEach((n, i) => {
    const sector = sectorAt(n);
    for (let j = 0; j < sectorSize / 4; j++)
      fat[i * (sectorSize / 4) + j] =
        j * 4 + 4 <= sector.length ? sector.readUInt32LE(j * 4) : FREE;
  });
  const chain = (start: number, table: Uint32Array, limit: number) => {
    const sectors: number[] = [];
    for (let n = start; n !== END_OF_CHAIN && n !== FREE; n = table[n]!) {
      if (n >= table.length || n >= limit)
        throw new CompoundFileDamaged(
          `a chain points at sector ${n}, outside the file`,
        );
      if (sectors.length >= limit)
        throw new CompoundFileDamaged("a chain of sectors loops");
      sectors.push(n);
    }
    return sectors;
  };
  const readChain = (start: number, bytes: number): Buffer => {
    const sectors = chain(start, fat, sectorCount);
    if (bytes > sectors.length * sectorSize)
      throw new CompoundFileDamaged("a stream is longer than its sectors");
    // A stream stored in consecutive sectors (as writers lay them out) is a view of the file, not a
    // copy: a 20 MB .xls is then held once while it is read, not twice.
    const first = sectors[0];
    if (
      first !== undefined &&
      sectors.every((n, i) => n === first + i) &&
      (first + 1) * sectorSize + bytes <= file.length
    ) {
      sectorAt(first + sectors.length - 1); // the same bound as for a copy
      return file.subarray(
        (first + 1) * sectorSize,
        (first + 1) * sectorSize + bytes,
      );
    }
    const out = Buffer.concat(sectors.map(sectorAt));
    return out.subarray(0, bytes);
  };
  const directory = readChain(
    firstDirectory,
    chain(firstDirectory, fat, sectorCount).length * sectorSize,
  );
  const entries: DirectoryEntry[] = [];
  for (
    let at = 0;
    at + DIRECTORY_ENTRY_BYTES <= directory.length;
    at += DIRECTORY_ENTRY_BYTES
  ) {
    const nameBytes = Math.min(directory.readUInt16LE(at + 64), 64);
    entries.push({
      name: directory
        .toString("utf16le", at, at + Math.max(nameBytes - 2, 0))
        .replace(/\0+$/, ""),
      type: directory[at + 66]!,
      left: directory.readUInt32LE(at + 68),
      right: directory.readUInt32LE(at + 72),
      child: directory.readUInt32LE(at + 76),
      start: directory.readUInt32LE(at + 116),
      size: directory.readUInt32LE(at + 120),
    });
  }
  const root = entries[0];
  if (!root || root.type !== 5)
    throw new CompoundFileDamaged("its root directory entry is missing");
  // The root's children form a tree (left, right siblings); each entry is visited at most once.
  const children: DirectoryEntry[] = [];
  const visited = new Set<number>();
  const pending = [root.child];
  while (pending.length) {
    const n = pending.pop()!;
    if (n === FREE || n >= entries.length || visited.has(n)) continue;
    visited.add(n);
    const entry = entries[n]!;
    children.push(entry);
    pending.push(entry.left, entry.right);
  }
  let mini: { fat: Uint32Array; stream: Buffer } | null = null;
  const miniStream = () => {
    if (mini) return mini;
    const miniFatBytes =
      chain(firstMiniFat, fat, sectorCount).length * sectorSize;
    const table = readChain(firstMiniFat, miniFatBytes);
    const miniFat = new Uint32Array(table.length / 4);
    for (let i = 0; i < miniFat.length; i++)
      miniFat[i] = table.readUInt32LE(i * 4);
    mini = { fat: miniFat, stream: readChain(root.start, root.size) };
    return mini;
  };
  return {
    streams: children
      .filter((e) => e.type === 2)
      .map((e) => ({ name: e.name, bytes: e.size })),
    read(name) {
      const entry = children.find((e) => e.type === 2 && e.name === name);
      if (!entry) return null;
      if (entry.size > file.length)
        throw new CompoundFileDamaged(
          `the stream ${name} is longer than the file`,
        );
      if (entry.size >= miniCutoff) return readChain(entry.start, entry.size);
      const { fat: miniFat, stream } = miniStream();
      const sectors = chain(entry.start, miniFat, stream.length / 64);
      if (entry.size > sectors.length * 64)
        throw new CompoundFileDamaged("a stream is longer than its sectors");
      return Buffer.concat(
        sectors.map((n) => stream.subarray(n * 64, n * 64 + 64)),
      ).subarray(0, entry.size);
    },
  };
}
