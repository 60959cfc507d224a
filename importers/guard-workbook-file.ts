import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import { crc32, createInflateRaw } from "node:zlib";
import type { SheetMergedRange } from "./cell-value.js";
import type { ImportLimits } from "./import-limits.js";
import { MergeCellScanner } from "./merge-cell-scanner.js";
import { collectYoungGarbage } from "./release-memory.js";
import type { ProblemCollector } from "./import-problem.js";
import { guardCsvFile, guardXlsFile } from "./guard-xls-csv-file.js";
import {
  detectWorkbookFormat,
  FORMAT_NAMES,
  formatOfName,
  type WorkbookFormat,
} from "./workbook-format.js";

/** What the guard learnt about a file it let through. */
export interface GuardedFile {
  path: string;
  /** The format the file's content says it is (its name may say otherwise: a warning). */
  format: WorkbookFormat;
  bytes: number;
  sha256: string;
  zipEntries: number;
  /** Bytes every entry actually inflated to (the guard inflates and discards them, counting). */
  inflatedBytes: number;
  /**
   * An .xlsx's merged ranges by worksheet entry ("xl/worksheets/sheet1.xml"), noted as the guard
   * inflates it: the sheet lists them after its rows, too late for the streaming reader's header.
   */
  mergedRanges: XlsxMergedRanges;
}

/** An .xlsx's merged ranges by worksheet entry name (sheets with none left out). */
export type XlsxMergedRanges = Record<string, SheetMergedRange[]>;

/** How exceljs tells a worksheet entry of an .xlsx's zip (its pattern, so that the counts agree). */
export const WORKSHEET_ENTRY = /xl\/worksheets\/sheet\d+[.]xml/;

interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

const CFB_SIGNATURE = Buffer.from("d0cf11e0a1b11ae1", "hex");
const ENCRYPTION_INFO = Buffer.from("EncryptionInfo", "utf16le");

class Refusal extends Error {
  constructor(
    readonly code:
      | "unreadable-file"
      | "encrypted-file"
      | "empty-file"
      | "too-large"
      | "bad-encoding",
    message: string,
  ) {
    super(message);
  }
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;
}

/**
 * Guards the door: refuses, with one clear line, anything that is not a readable workbook within the
 * limits. The content decides the format (detectWorkbookFormat; a name that says otherwise is a
 * warning): a .xls must be a sound compound file (guardXlsFile), a CSV one text encoding
 * (guardCsvFile); an .xlsx or .ods is a zip, refused when empty, encrypted, damaged, with too many entries,
 * declared or actual inflated size too large, a compression ratio only a zip bomb has). It inflates
 * every entry once as a stream, counting and discarding the bytes, so a bomb is stopped after at
 * most `maxInflatedBytes` (usually after `ratioFloorBytes`) and never held in memory or on disk;
 * an .xlsx's worksheets are searched on the way for their merged ranges (GuardedFile.mergedRanges).
 * Returns null when refused; the reason is added to `problems`.
 */
export async function guardWorkbookFile(
  path: string,
  limits: ImportLimits,
  problems: ProblemCollector,
): Promise<GuardedFile | null> {
  try {
    // Messages name the file as the analyst knows it (an HTTP upload is stored under another name).
    const guarded = await guard(path, problems.file, limits);
    const named = formatOfName(problems.file);
    if (named && named !== guarded.format)
      problems.add({
        code: "misnamed-file",
        message: `${problems.file} is named as ${FORMAT_NAMES[named]} but is ${FORMAT_NAMES[guarded.format]}: it was read as what it is. Rename it so that its name says what it is.`,
      });
    return guarded;
  } catch (error) {
    if (error instanceof Refusal) {
      problems.add({ code: error.code, message: error.message });
      return null;
    }
    const reason =
      (error as NodeJS.ErrnoException).code === "ENOENT"
        ? "the file does not exist"
        : error instanceof Error
          ? error.message
          : String(error);
    problems.add({
      code: "unreadable-file",
      message: `${problems.file} could not be read: ${reason}.`,
    });
    return null;
  }
}

/**
 * The names of the entries a zip's central directory lists (the guard has checked it): what a
 * streaming read of the zip must have met, so that a read that ended early is caught.
 */
export async function zipEntryNames(
  path: string,
  name: string,
  limits: ImportLimits,
): Promise<string[]> {
  const handle = await open(path, "r");
  try {
    const { size } = await handle.stat();
    return (await readCentralDirectory(handle, size, name, limits)).map(
      (entry) => entry.name,
    );
  } finally {
    await handle.close();
  }
}

async function guard(
  path: string,
  name: string,
  limits: ImportLimits,
): Promise<GuardedFile> {
  const { size, isFile } = await stat(path).then((s) => ({
    size: s.size,
    isFile: s.isFile(),
  }));
  if (!isFile) throw new Refusal("unreadable-file", `${name} is not a file.`);
  if (size === 0)
    throw new Refusal("empty-file", `${name} is empty (0 bytes).`);
  if (size > limits.maxFileBytes)
    throw new Refusal(
      "too-large",
      `${name} is ${mb(size)}, more than the ${mb(limits.maxFileBytes)} the importer accepts.`,
    );
  const handle = await open(path, "r");
  let entries: ZipEntry[];
  try {
    const head = Buffer.alloc(Math.min(size, 8));
    await handle.read(head, 0, head.length, 0);
    if (head.length === 8 && head.equals(CFB_SIGNATURE)) {
      // Both password-protected .xlsx and Excel 97-2003 .xls are OLE compound files.
      const whole = Buffer.alloc(Math.min(size, 4 * 1024 * 1024));
      await handle.read(whole, 0, whole.length, 0);
      if (whole.includes(ENCRYPTION_INFO))
        throw new Refusal(
          "encrypted-file",
          `${name} is protected with a password: save a copy without the password (File > Info > Protect Workbook) and import that.`,
        );
      const xls = await guardXlsFile(path, name);
      if ("code" in xls) throw new Refusal(xls.code, xls.message);
      return unzipped(path, size, "xls", xls.workbookBytes);
    }
    if (head.length < 4 || head.readUInt32LE(0) !== 0x04034b50) {
      const detected = await detectWorkbookFormat(path);
      if (detected.kind === "other")
        throw new Refusal(
          "unreadable-file",
          `${name} is ${detected.what}, not a workbook the importer reads (.xlsx, .xls, .ods or CSV): open it in Excel and save it as .xlsx.`,
        );
      const refusal = await guardCsvFile(path, name);
      if (refusal) throw new Refusal(refusal.code, refusal.message);
      return unzipped(path, size, "csv", 0);
    }
    entries = await readCentralDirectory(handle, size, name, limits);
  } finally {
    await handle.close();
  }
  const detected = await detectWorkbookFormat(path);
  if (detected.kind === "other")
    throw new Refusal(
      "unreadable-file",
      `${name} is ${detected.what}, not a workbook the importer reads (.xlsx, .xls, .ods or CSV).`,
    );
  const format = detected.format;
  const content = format === "ods" ? "content.xml" : "xl/workbook.xml";
  if (!entries.some((e) => e.name === content))
    throw new Refusal(
      "unreadable-file",
      format === "ods"
        ? `${name} is an OpenDocument spreadsheet without its content.xml: it is damaged.`
        : `${name} is a zip file but not an Excel workbook (it has no xl/workbook.xml).`,
    );
  // The hash is taken on this thread while zlib inflates on the thread pool.
  const sha256 = sha256File(path);
  let inflatedBytes = 0;
  const mergedRanges: XlsxMergedRanges = {};
  try {
    for (const entry of entries) {
      const scanner =
        format === "xlsx" && WORKSHEET_ENTRY.test(entry.name)
          ? new MergeCellScanner()
          : null;
      inflatedBytes += await inflateAndCount(
        path,
        entry,
        name,
        limits,
        limits.maxInflatedBytes - inflatedBytes,
        scanner,
      );
      const ranges = scanner?.end();
      if (ranges?.length) mergedRanges[entry.name] = ranges;
    }
  } finally {
    await sha256.catch(() => undefined);
  }
  return {
    path,
    format,
    bytes: size,
    sha256: await sha256,
    zipEntries: entries.length,
    inflatedBytes,
    mergedRanges,
  };
}

/** What the guard learnt about a file that is not a zip (.xls or CSV), once it has been checked. */
async function unzipped(
  path: string,
  size: number,
  format: WorkbookFormat,
  contentBytes: number,
): Promise<GuardedFile> {
  return {
    path,
    format,
    bytes: size,
    sha256: await sha256File(path),
    zipEntries: 0,
    inflatedBytes: contentBytes,
    mergedRanges: {},
  };
}

function damaged(name: string, detail: string): Refusal {
  return new Refusal(
    "unreadable-file",
    `${name} is damaged (${detail}): open it in Excel, let it repair the file, save it and import that.`,
  );
}

async function readCentralDirectory(
  handle: Awaited<ReturnType<typeof open>>,
  size: number,
  name: string,
  limits: ImportLimits,
): Promise<ZipEntry[]> {
  const tailLength = Math.min(size, 65_557);
  const tail = Buffer.alloc(tailLength);
  await handle.read(tail, 0, tailLength, size - tailLength);
  let eocd = -1;
  for (let i = tailLength - 22; i >= 0; i--)
    if (tail.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  if (eocd < 0) throw damaged(name, "the zip directory at its end is missing");
  let count = tail.readUInt16LE(eocd + 10);
  let cdSize = tail.readUInt32LE(eocd + 12);
  let cdOffset = tail.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const locator = eocd - 20;
    if (locator < 0 || tail.readUInt32LE(locator) !== 0x07064b50)
      throw damaged(name, "the zip64 directory locator is missing");
    const eocd64Offset = Number(tail.readBigUInt64LE(locator + 8));
    const eocd64 = Buffer.alloc(56);
    await handle.read(eocd64, 0, 56, eocd64Offset);
    if (eocd64.readUInt32LE(0) !== 0x06064b50)
      throw damaged(name, "the zip64 directory is missing");
    count = Number(eocd64.readBigUInt64LE(32));
    cdSize = Number(eocd64.readBigUInt64LE(40));
    cdOffset = Number(eocd64.readBigUInt64LE(48));
  }
  if (count > limits.maxZipEntries)
    throw new Refusal(
      "too-large",
      `${name} holds ${count} files inside its zip, more than the ${limits.maxZipEntries} a workbook may have.`,
    );
  if (cdOffset + cdSize > size)
    throw damaged(name, "the zip directory points past the end of the file");
  const cd = Buffer.alloc(cdSize);
  await handle.read(cd, 0, cdSize, cdOffset);
  const entries: ZipEntry[] = [];
  let declared = 0;
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (at + 46 > cd.length || cd.readUInt32LE(at) !== 0x02014b50)
      throw damaged(name, "the zip directory is cut short");
    const nameLength = cd.readUInt16LE(at + 28);
    const extraLength = cd.readUInt16LE(at + 30);
    const commentLength = cd.readUInt16LE(at + 32);
    const entry: ZipEntry = {
      name: cd.toString("utf8", at + 46, at + 46 + nameLength),
      flags: cd.readUInt16LE(at + 8),
      method: cd.readUInt16LE(at + 10),
      crc: cd.readUInt32LE(at + 16),
      compressedSize: cd.readUInt32LE(at + 20),
      uncompressedSize: cd.readUInt32LE(at + 24),
      localHeaderOffset: cd.readUInt32LE(at + 42),
    };
    readZip64Extra(
      cd.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength),
      entry,
    );
    at += 46 + nameLength + extraLength + commentLength;
    if (entry.flags & 1)
      throw new Refusal(
        "encrypted-file",
        `${name} is encrypted: save a copy without a password and import that.`,
      );
    if (entry.method !== 0 && entry.method !== 8)
      throw damaged(name, `${entry.name} uses an unknown compression method`);
    declared += entry.uncompressedSize;
    if (declared > limits.maxInflatedBytes)
      throw new Refusal(
        "too-large",
        `${name} would inflate to more than ${mb(limits.maxInflatedBytes)} (its zip says so before anything is read): it is refused as too large or as a zip bomb.`,
      );
    if (
      entry.uncompressedSize > limits.ratioFloorBytes &&
      entry.uncompressedSize > entry.compressedSize * limits.maxCompressionRatio
    )
      throw new Refusal(
        "too-large",
        `${name} has an entry (${entry.name}) compressed more than ${limits.maxCompressionRatio} to 1, which only a zip bomb does: it is refused.`,
      );
    entries.push(entry);
  }
  return entries;
}

function readZip64Extra(extra: Buffer, entry: ZipEntry): void {
  let at = 0;
  while (at + 4 <= extra.length) {
    const id = extra.readUInt16LE(at);
    const length = extra.readUInt16LE(at + 2);
    if (id === 0x0001) {
      let field = at + 4;
      if (entry.uncompressedSize === 0xffffffff && field + 8 <= extra.length) {
        entry.uncompressedSize = Number(extra.readBigUInt64LE(field));
        field += 8;
      }
      if (entry.compressedSize === 0xffffffff && field + 8 <= extra.length) {
        entry.compressedSize = Number(extra.readBigUInt64LE(field));
        field += 8;
      }
      if (entry.localHeaderOffset === 0xffffffff && field + 8 <= extra.length)
        entry.localHeaderOffset = Number(extra.readBigUInt64LE(field));
    }
    at += 4 + length;
  }
}

/**
 * Whether an entry's local header says what the directory says: the same method and flags, and the
 * same checksum and sizes unless they follow the data (flag bit 3, where the local header holds
 * zeros), or the zip64 extra field holds them (0xffffffff).
 */
function localHeaderAgrees(local: Buffer, entry: ZipEntry): boolean {
  const flags = local.readUInt16LE(6);
  if (
    local.readUInt16LE(8) !== entry.method ||
    (flags & 1) !== (entry.flags & 1)
  )
    return false;
  const deferred = (flags & 8) !== 0;
  const agrees = (at: number, expected: number) => {
    const value = local.readUInt32LE(at);
    return (
      value === expected >>> 0 ||
      (deferred && value === 0) ||
      (value === 0xffffffff && expected >= 0xffffffff)
    );
  };
  return (
    agrees(14, entry.crc) &&
    agrees(18, entry.compressedSize) &&
    agrees(22, entry.uncompressedSize)
  );
}

/** Inflated bytes between two collections of the chunks already counted. */
const YOUNG_GARBAGE_BYTES = 8 * 1024 * 1024;

async function inflateAndCount(
  path: string,
  entry: ZipEntry,
  name: string,
  limits: ImportLimits,
  budget: number,
  /** Told the inflated bytes (a worksheet's, for its merged ranges). */
  scanner: MergeCellScanner | null = null,
): Promise<number> {
  if (entry.compressedSize === 0) return 0;
  const handle = await open(path, "r");
  let dataStart: number;
  try {
    const local = Buffer.alloc(30);
    await handle.read(local, 0, 30, entry.localHeaderOffset);
    if (local.readUInt32LE(0) !== 0x04034b50)
      throw damaged(
        name,
        `the entry ${entry.name} is not where the directory says`,
      );
    // The workbook reader unzips from the local headers, not the directory: a local header that
    // gives other sizes would have it wait for bytes that never come (or read past the entry).
    if (!localHeaderAgrees(local, entry))
      throw damaged(
        name,
        `the local header of ${entry.name} disagrees with the zip directory`,
      );
    dataStart =
      entry.localHeaderOffset +
      30 +
      local.readUInt16LE(26) +
      local.readUInt16LE(28);
  } finally {
    await handle.close();
  }
  const source = createReadStream(path, {
    start: dataStart,
    end: dataStart + entry.compressedSize - 1,
    highWaterMark: 256 * 1024,
  });
  let consumed = 0;
  let produced = 0;
  let crc = 0;
  source.on("data", (chunk) => (consumed += chunk.length));
  const sink =
    entry.method === 8
      ? source.pipe(createInflateRaw({ chunkSize: 256 * 1024 }))
      : source;
  try {
    let collectAt = YOUNG_GARBAGE_BYTES;
    for await (const chunk of sink as AsyncIterable<Buffer>) {
      produced += chunk.length;
      crc = crc32(chunk, crc);
      scanner?.feed(chunk);
      // Inflated chunks are dropped as soon as they are counted: freed every few MB instead of
      // piling up outside the heap (a million-row sheet inflates to 300 MB).
      if (produced >= collectAt) {
        collectAt = produced + YOUNG_GARBAGE_BYTES;
        collectYoungGarbage();
      }
      if (produced > budget)
        throw new Refusal(
          "too-large",
          `${name} inflates to more than ${mb(limits.maxInflatedBytes)}: it is refused as too large or as a zip bomb.`,
        );
      if (
        produced > limits.ratioFloorBytes &&
        produced > Math.max(consumed, 1) * limits.maxCompressionRatio
      )
        throw new Refusal(
          "too-large",
          `${name} has an entry (${entry.name}) that inflates more than ${limits.maxCompressionRatio} to 1, which only a zip bomb does: it is refused.`,
        );
    }
  } catch (error) {
    if (error instanceof Refusal) throw error;
    throw damaged(name, `${entry.name} does not inflate`);
  } finally {
    source.destroy();
    if (sink !== source)
      (sink as NodeJS.ReadableStream & { destroy(): void }).destroy();
  }
  if (produced !== entry.uncompressedSize || crc >>> 0 !== entry.crc >>> 0)
    throw damaged(name, `${entry.name} does not match its checksum`);
  return produced;
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path, {
    highWaterMark: 1024 * 1024,
  }))
    hash.update(chunk as Buffer);
  return hash.digest("hex");
}
