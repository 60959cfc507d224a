import { readFile } from "node:fs/promises";
import type { ImportLimits } from "./import-limits.js";
import { readCompoundFile } from "./read-compound-file.js";
import type {
  CellValue,
  MergedRange,
  SheetRow,
  WorkbookSheet,
} from "./read-workbook-sheets.js";

/** Thrown when a .xls file's workbook stream cannot be read: damaged, encrypted, or older than Excel 97. */
export class XlsReadError extends Error {
  constructor(
    readonly reason: "damaged" | "encrypted" | "old" | "not-workbook",
    message: string,
  ) {
    super(message);
  }
}

const OLDER_THAN_97 =
  "it was saved by a version of Excel older than 97 (BIFF5 or earlier)";

const BOF = 0x0809;
const EOF = 0x000a;
const CONTINUE = 0x003c;
const FILEPASS = 0x002f;
const DATEMODE = 0x0022;
const BOUNDSHEET = 0x0085;
const FORMAT = 0x041e;
const XF = 0x00e0;
const SST = 0x00fc;
const LABEL = 0x0204;
const LABELSST = 0x00fd;
const NUMBER = 0x0203;
const RK = 0x027e;
const MULRK = 0x00bd;
const FORMULA = 0x0006;
const STRING = 0x0207;
const BOOLERR = 0x0205;
const MERGEDCELLS = 0x00e5;
const BIFF8 = 0x0600;

/** Excel's error values as their cells show them (the same text exceljs gives for an .xlsx). */
const ERRORS: Record<number, string> = {
  0x00: "#NULL!",
  0x07: "#DIV/0!",
  0x0f: "#VALUE!",
  0x17: "#REF!",
  0x1d: "#NAME?",
  0x24: "#NUM!",
  0x2a: "#N/A",
};

/** Excel's built-in number formats that show a date or time. */
const BUILT_IN_DATE_FORMATS = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36,
  45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58,
]);

/** Whether a custom number format ("dd/mm/yyyy", "mmm-yy") shows a date, once literal text is removed. */
export function isDateFormat(code: string): boolean {
  const bare = code
    .replace(/"[^"]*"/g, "")
    .replace(/\\./g, "")
    .replace(/[_*]./g, "")
    .replace(/\[[^\]]*\]/g, "");
  return !/general/i.test(bare) && /[dmyhs]/i.test(bare);
}

/** A serial number in the workbook's date system as the UTC date exceljs gives for the same .xlsx cell. */
function serialDate(serial: number, date1904: boolean): Date {
  return new Date(
    Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 86_400_000),
  );
}

interface BiffRecord {
  type: number;
  data: Buffer;
  /** Offset of the record's header in the stream. */
  at: number;
}

/** The workbook stream's records from `at`, each with its bytes, within the stream's bounds. */
function* records(stream: Buffer, at: number): Generator<BiffRecord> {
  while (at + 4 <= stream.length) {
    const type = stream.readUInt16LE(at);
    const length = stream.readUInt16LE(at + 2);
    if (at + 4 + length > stream.length)
      throw new XlsReadError(
        "damaged",
        "a record runs past the end of the workbook",
      );
    yield { type, data: stream.subarray(at + 4, at + 4 + length), at };
    at += 4 + length;
  }
}

/**
 * Reads strings that may continue from one record into the CONTINUE records after it: a string's
 * characters split there start again with a byte saying whether they are one or two bytes each.
 */
class SegmentReader {
  private segment = 0;
  private pos = 0;

  constructor(private readonly segments: Buffer[]) {}

  private current(): Buffer {
    while (
      this.segment < this.segments.length &&
      this.pos >= this.segments[this.segment]!.length
    ) {
      this.segment++;
      this.pos = 0;
    }
    const buffer = this.segments[this.segment];
    if (!buffer)
      throw new XlsReadError("damaged", "a string runs past its record");
    return buffer;
  }

  private take(bytes: number): Buffer {
    const parts: Buffer[] = [];
    let left = bytes;
    while (left > 0) {
      const buffer = this.current();
      const n = Math.min(left, buffer.length - this.pos);
      parts.push(buffer.subarray(this.pos, this.pos + n));
      this.pos += n;
      left -= n;
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }

  u8(): number {
    return this.take(1)[0]!;
  }
  u16(): number {
    return this.take(2).readUInt16LE(0);
  }
  u32(): number {
    return this.take(4).readUInt32LE(0);
  }
  skip(bytes: number): void {
    this.take(bytes);
  }

  /** An XLUnicodeString (or the rich, extended one in the shared string table) with `lengthBytes` of length. */
  string(lengthBytes: 1 | 2): string {
    const count = lengthBytes === 1 ? this.u8() : this.u16();
    const flags = this.u8();
    const runs = flags & 0x08 ? this.u16() : 0;
    const extended = flags & 0x04 ? this.u32() : 0;
    let high = (flags & 0x01) === 1;
    let text = "";
    let left = count;
    while (left > 0) {
      let buffer = this.segments[this.segment];
      if (!buffer || this.pos >= buffer.length) {
        // The characters continue in the next record, which starts with its own flags byte.
        this.segment++;
        this.pos = 0;
        buffer = this.segments[this.segment];
        if (!buffer)
          throw new XlsReadError("damaged", "a string runs past its record");
        high = (this.u8() & 0x01) === 1;
        buffer = this.segments[this.segment]!;
      }
      const width = high ? 2 : 1;
      const n = Math.min(left, Math.floor((buffer.length - this.pos) / width));
      if (n === 0)
        throw new XlsReadError("damaged", "a string is cut inside a character");
      text += buffer.toString(
        high ? "utf16le" : "latin1",
        this.pos,
        this.pos + n * width,
      );
      this.pos += n * width;
      left -= n;
    }
    this.skip(runs * 4 + extended);
    return text;
  }
}

/** A record's data with the CONTINUE records that follow it. */
function withContinues(stream: Buffer, record: BiffRecord): Buffer[] {
  const segments = [record.data];
  let at = record.at + 4 + record.data.length;
  while (at + 4 <= stream.length && stream.readUInt16LE(at) === CONTINUE) {
    const length = stream.readUInt16LE(at + 2);
    if (at + 4 + length > stream.length)
      throw new XlsReadError(
        "damaged",
        "a record runs past the end of the workbook",
      );
    segments.push(stream.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
  return segments;
}

/** The bytes rkNumber decodes a 30-bit float through: one buffer, not one a cell. */
const RK_BYTES = Buffer.alloc(8);

function rkNumber(rk: number): number {
  let value: number;
  if (rk & 0x02) value = rk >> 2;
  else {
    RK_BYTES.writeUInt32LE(0, 0);
    RK_BYTES.writeUInt32LE((rk & 0xfffffffc) >>> 0, 4);
    value = RK_BYTES.readDoubleLE(0);
  }
  return rk & 0x01 ? value / 100 : value;
}

interface Globals {
  sheets: { name: string; offset: number; hidden: boolean }[];
  strings: string[];
  /** Per XF (cell format) index: whether numbers in it show as dates. */
  dateXf: boolean[];
  date1904: boolean;
}

function readGlobals(stream: Buffer): Globals {
  const globals: Globals = {
    sheets: [],
    strings: [],
    dateXf: [],
    date1904: false,
  };
  const customDate = new Map<number, boolean>();
  const xfFormats: number[] = [];
  let first = true;
  for (const record of records(stream, 0)) {
    const { type, data } = record;
    if (first) {
      first = false;
      if (type !== BOF || data.length < 4)
        throw new XlsReadError(
          "damaged",
          "its workbook stream does not start with a BOF record",
        );
      if (data.readUInt16LE(0) !== BIFF8)
        throw new XlsReadError("old", OLDER_THAN_97);
      continue;
    }
    if (type === EOF) break;
    if (type === FILEPASS)
      throw new XlsReadError("encrypted", "it is protected with a password");
    if (type === DATEMODE && data.length >= 2)
      globals.date1904 = data.readUInt16LE(0) === 1;
    else if (type === BOUNDSHEET && data.length >= 8) {
      // Worksheets only (charts, macro sheets and VBA modules are not tables).
      if (data[5] !== 0) continue;
      const name = new SegmentReader([data.subarray(6)]).string(1);
      globals.sheets.push({
        name,
        offset: data.readUInt32LE(0),
        hidden: (data[4]! & 0x03) !== 0,
      });
    } else if (type === FORMAT && data.length >= 5) {
      const index = data.readUInt16LE(0);
      const code = new SegmentReader(
        withContinues(stream, record).map((s, i) =>
          i === 0 ? s.subarray(2) : s,
        ),
      ).string(2);
      customDate.set(index, isDateFormat(code));
    } else if (type === XF && data.length >= 4)
      xfFormats.push(data.readUInt16LE(2));
    else if (type === SST && data.length >= 8) {
      const segments = withContinues(stream, record);
      segments[0] = segments[0]!.subarray(8);
      const reader = new SegmentReader(segments);
      const unique = data.readUInt32LE(4);
      // A count the record cannot hold is refused before anything is allocated for it.
      const capacity = segments.reduce((n, s) => n + s.length, 0) / 3;
      if (unique > capacity + 1)
        throw new XlsReadError(
          "damaged",
          "its shared string table claims more strings than it holds",
        );
      for (let i = 0; i < unique; i++) globals.strings.push(reader.string(2));
    }
  }
  globals.dateXf = xfFormats.map(
    (format) =>
      BUILT_IN_DATE_FORMATS.has(format) || customDate.get(format) === true,
  );
  return globals;
}

/** The record types that put a value in a cell (a FORMULA's text result comes in the STRING after it). */
const CELL_RECORDS = new Set([
  LABELSST,
  LABEL,
  NUMBER,
  RK,
  MULRK,
  BOOLERR,
  FORMULA,
]);

/** What one walk over a sheet's records finds before its cells are read. */
interface SheetScan {
  /** Merged ranges by their first row (0-based). */
  merges: Map<number, MergedRange[]>;
  /**
   * Whether every cell record comes in row order (a FORMULA's STRING straight after it), as Excel
   * and every writer we know lay a sheet out: its rows can then be handed on as each one ends.
   */
  inRowOrder: boolean;
}

/**
 * Walks a sheet's records once, from its BOF to its EOF, within the stream's bounds: its merged
 * ranges (MERGEDCELLS, which Excel writes after all the cells, yet the rows they start in need them)
 * and whether its cells come in row order. Throws XlsReadError when a record runs past the stream
 * or a cell points at a string the workbook does not have, before any row is handed on.
 */
function scanSheet(
  stream: Buffer,
  offset: number,
  globals: Globals,
): SheetScan {
  const merges = new Map<number, MergedRange[]>();
  let inRowOrder = true;
  let lastRow = 0;
  // A FORMULA whose text result is still to come in a STRING record.
  let pendingString = false;
  if (offset >= stream.length)
    throw new XlsReadError(
      "damaged",
      "a sheet starts past the end of the workbook",
    );
  let first = true;
  for (let at = offset; at + 4 <= stream.length;) {
    const type = stream.readUInt16LE(at);
    const length = stream.readUInt16LE(at + 2);
    const start = at + 4;
    at = start + length;
    if (at > stream.length)
      throw new XlsReadError(
        "damaged",
        "a record runs past the end of the workbook",
      );
    if (first) {
      first = false;
      if (type !== BOF)
        throw new XlsReadError(
          "damaged",
          "a sheet does not start with a BOF record",
        );
      continue;
    }
    if (type === EOF) break;
    if (type === MERGEDCELLS) {
      // A count, then per range its first and last row and first and last column (0-based).
      const count = length >= 2 ? stream.readUInt16LE(start) : 0;
      for (let i = 0, k = 2; i < count && k + 8 <= length; i++, k += 8) {
        const top = stream.readUInt16LE(start + k);
        const range = {
          column: stream.readUInt16LE(start + k + 4),
          lastColumn: stream.readUInt16LE(start + k + 6),
          lastRow: stream.readUInt16LE(start + k + 2) + 1,
        };
        if (range.lastRow - 1 < top || range.lastColumn < range.column)
          continue;
        let list = merges.get(top);
        if (!list) merges.set(top, (list = []));
        list.push(range);
      }
      continue;
    }
    if (type === STRING) {
      pendingString = false;
      continue;
    }
    if (!CELL_RECORDS.has(type) || length < 6) continue;
    if (
      type === LABELSST &&
      length >= 10 &&
      stream.readUInt32LE(start + 6) >= globals.strings.length
    )
      throw new XlsReadError(
        "damaged",
        "a cell points at a string the workbook does not have",
      );
    const row = stream.readUInt16LE(start);
    if (row < lastRow || (pendingString && row !== lastRow)) inRowOrder = false;
    lastRow = Math.max(lastRow, row);
    pendingString =
      type === FORMULA &&
      length >= 14 &&
      stream.readUInt16LE(start + 12) === 0xffff &&
      stream[start + 6] === 0;
  }
  return { merges, inRowOrder };
}

/**
 * One worksheet's rows, in row order, with the merged ranges that start in them. A sheet whose
 * cells come in row order (scanSheet) hands each row on as soon as a cell of a later row starts,
 * so a sheet is never held whole; any other is gathered first (a .xls sheet has at most 65,536
 * rows of 256 columns) and handed on sorted. A cell past `maxColumns` makes its row that wide,
 * without its values, so that the sheet is refused as too wide instead of being held.
 */
function* sheetRows(
  stream: Buffer,
  offset: number,
  globals: Globals,
  limits: ImportLimits,
  scan: SheetScan,
): Generator<SheetRow> {
  const { merges, inRowOrder } = scan;
  const finished = (row: number, cells: CellValue[]): SheetRow => {
    const starting = merges
      .get(row)
      ?.filter(
        (m) => cells[m.column] !== undefined && cells[m.column] !== null,
      );
    return starting?.length
      ? { number: row + 1, cells, merges: starting }
      : { number: row + 1, cells };
  };
  // In row order: the row being filled, and the rows ended since the last yield. Otherwise: all.
  let current = -1;
  let cells: CellValue[] = [];
  const ended: SheetRow[] = [];
  const gathered = new Map<number, CellValue[]>();
  const put = (row: number, column: number, value: CellValue) => {
    let target: CellValue[];
    if (inRowOrder) {
      if (row !== current) {
        if (current >= 0) ended.push(finished(current, cells));
        current = row;
        cells = [];
      }
      target = cells;
    } else {
      let found = gathered.get(row);
      if (!found) gathered.set(row, (found = []));
      target = found;
    }
    if (column >= limits.maxColumns) {
      target.length = Math.max(target.length, limits.maxColumns + 1);
      return;
    }
    while (target.length < column) target.push(null);
    target[column] = value;
  };
  const number = (xf: number, value: number): CellValue =>
    globals.dateXf[xf] ? serialDate(value, globals.date1904) : value;
  let pendingString: { row: number; column: number } | null = null;
  // The records are walked by offset, not as records() objects: a sheet has one record a cell, and
  // a view of each (hundreds of thousands) was most of what reading a big sheet allocated. The
  // bounds were checked by scanSheet.
  let start = 0;
  let length = 0;
  const u16 = (k: number) => stream.readUInt16LE(start + k);
  const u32 = (k: number) => stream.readUInt32LE(start + k);
  const f64 = (k: number) => stream.readDoubleLE(start + k);
  const byte = (k: number) => stream[start + k]!;
  const continued = () =>
    start + length + 4 <= stream.length &&
    stream.readUInt16LE(start + length) === CONTINUE;
  /** A string at `k` in this record (and the CONTINUE records after it, if any). */
  const text = (at: number, k: number): string => {
    const count = start + k + 3 <= start + length ? u16(k) : -1;
    const flags = count >= 0 ? byte(k + 2) : 0;
    const width = flags & 0x01 ? 2 : 1;
    // The usual case: plain characters, all in this record.
    if (
      count >= 0 &&
      (flags & 0x0c) === 0 &&
      k + 3 + count * width <= length &&
      !continued()
    )
      return stream.toString(
        width === 2 ? "utf16le" : "latin1",
        start + k + 3,
        start + k + 3 + count * width,
      );
    return new SegmentReader(
      withContinues(stream, {
        type: stream.readUInt16LE(at),
        data: stream.subarray(start, start + length),
        at,
      }).map((s, i) => (i === 0 ? s.subarray(k) : s)),
    ).string(2);
  };
  for (let at = offset, first = true; at + 4 <= stream.length;) {
    const type = stream.readUInt16LE(at);
    length = stream.readUInt16LE(at + 2);
    start = at + 4;
    const here = at;
    at = start + length;
    if (first) {
      first = false;
      continue;
    }
    if (type === EOF) break;
    if (length < 6 && type !== STRING) continue;
    const row = length >= 2 ? u16(0) : 0;
    const column = length >= 4 ? u16(2) : 0;
    const xf = length >= 6 ? u16(4) : 0;
    switch (type) {
      case LABELSST:
        if (length >= 10) put(row, column, globals.strings[u32(6)]!);
        break;
      case LABEL:
        put(row, column, text(here, 6));
        break;
      case NUMBER:
        if (length >= 14) put(row, column, number(xf, f64(6)));
        break;
      case RK:
        if (length >= 10) put(row, column, number(xf, rkNumber(u32(6))));
        break;
      case MULRK:
        for (let k = 4, c = column; k + 6 <= length - 2; k += 6, c++)
          put(row, c, number(u16(k), rkNumber(u32(k + 2))));
        break;
      case BOOLERR:
        if (length >= 8)
          put(
            row,
            column,
            byte(7) ? (ERRORS[byte(6)] ?? "#VALUE!") : byte(6) === 1,
          );
        break;
      case FORMULA: {
        // The cached result: a number, or a marker saying the result is text (in the next
        // STRING record), a boolean, an error or empty.
        if (length < 14) break;
        if (u16(12) !== 0xffff) {
          put(row, column, number(xf, f64(6)));
          break;
        }
        const kind = byte(6);
        if (kind === 0) pendingString = { row, column };
        else if (kind === 1) put(row, column, byte(8) === 1);
        else if (kind === 2) put(row, column, ERRORS[byte(8)] ?? "#VALUE!");
        break;
      }
      case STRING:
        if (pendingString) {
          put(pendingString.row, pendingString.column, text(here, 0));
          pendingString = null;
        }
        break;
    }
    if (ended.length) {
      yield* ended;
      ended.length = 0;
    }
  }
  if (inRowOrder) {
    if (current >= 0) yield finished(current, cells);
    return;
  }
  for (const row of [...gathered.keys()].sort((a, b) => a - b))
    yield finished(row, gathered.get(row)!);
}

/**
 * Reads an Excel 97-2003 workbook (BIFF8 inside an OLE compound file) into the shape every reader
 * yields: each worksheet with its name and hidden state, its cells as text, numbers, booleans,
 * dates (numbers in a date format, in the workbook's 1900 or 1904 system) or error values, and a
 * formula's cached result, as exceljs gives them for an .xlsx, and the merged ranges (MERGEDCELLS)
 * on the rows they start in. Row and column numbers are the sheet's own, so A1 references match
 * what Excel shows. The file is read into memory whole (at most `maxFileBytes`); each sheet is
 * checked whole (scanSheet) before it is handed on, and its rows are made as they are asked for.
 */
export async function* readXlsSheets(
  path: string,
  limits: ImportLimits,
  onBytes?: (bytesRead: number) => void,
): AsyncGenerator<WorkbookSheet> {
  const file = await readFile(path);
  onBytes?.(file.length);
  const stream = workbookStream(file);
  const globals = readGlobals(stream);
  for (const sheet of globals.sheets) {
    // Checked whole before the sheet is handed on; its rows are read as they are asked for.
    const scan = sheet.hidden ? null : scanSheet(stream, sheet.offset, globals);
    yield {
      name: sheet.name,
      hidden: sheet.hidden,
      rows: (async function* () {
        if (scan) yield* sheetRows(stream, sheet.offset, globals, limits, scan);
      })(),
    };
  }
}

/** The BIFF8 workbook stream of a compound file, or why there is none. */
export function workbookStream(file: Buffer): Buffer {
  const compound = readCompoundFile(file);
  const stream = compound.read("Workbook");
  if (stream) return stream;
  if (compound.read("EncryptionInfo"))
    throw new XlsReadError("encrypted", "it is protected with a password");
  if (compound.read("Book")) throw new XlsReadError("old", OLDER_THAN_97);
  throw new XlsReadError(
    "not-workbook",
    "it is an Office compound file with no workbook inside (a Word document or another kind of file?)",
  );
}

/**
 * Checks a .xls file as far as its workbook's globals (container, version, password, string table,
 * sheet list) without reading its cells: throws XlsReadError or CompoundFileDamaged. Returns the
 * number of worksheets and the workbook stream's size.
 */
export function inspectXlsFile(file: Buffer): {
  sheets: number;
  workbookBytes: number;
} {
  const stream = workbookStream(file);
  return {
    sheets: readGlobals(stream).sheets.length,
    workbookBytes: stream.length,
  };
}
