import ExcelJS from "exceljs";
import { createReadStream } from "node:fs";
import { createRequire } from "node:module";
import type { Readable } from "node:stream";
import {
  WORKSHEET_ENTRY,
  zipEntryNames,
  type XlsxMergedRanges,
} from "./guard-workbook-file.js";
import type { ImportLimits } from "./import-limits.js";
import type { SheetRow } from "./cell-value.js";
import { readSheetXml, type SheetXmlContext } from "./read-sheet-xml.js";
import { WorkbookReadIncomplete } from "./workbook-read-incomplete.js";

export type { CellValue, MergedRange, SheetRow } from "./cell-value.js";
export { WorkbookReadIncomplete } from "./workbook-read-incomplete.js";

/** One worksheet as it streams past: its rows can be read once, in order. */
export interface WorkbookSheet {
  name: string;
  /** "hidden" or "veryHidden" sheets are skipped by the importer (and reported). */
  hidden: boolean;
  rows: AsyncIterable<SheetRow>;
}

// This reader leans on exceljs's streaming reader beyond its documented API in three places, each
// checked against exceljs 4.4.0 with unzipper 0.10.14 (package.json pins exceljs exactly;
// test/importers/read-workbook-sheets.test.ts fails on another version and names what to check):
// - lib/stream/xlsx/workbook-reader.js parse() pipes the input into unzipper's Parse
//   (`stream.pipe(zip)`): holdZipEndUntilEntriesRead wraps that pipe;
// - parse() parses a worksheet at once `if (this.sharedStrings && this.workbookRels)`, else defers it
//   to a temporary file, and _parseWorksheet names it from this.model (xl/workbook.xml): readOnce
//   hides workbookRels until the model is read, and wraps _parseWorksheet;
// - lib/xlsx/xform/book/workbook-properties-xform.js parseOpen reads date1904 only as "1".
// No documented option orders the parts or holds the end (the non-streaming reader holds the whole
// workbook in memory, which the 1,000,000-row import cannot). A reader of our own (the zip's central
// directory, which guard-workbook-file.ts reads already, inflated with node:zlib, the small parts
// read with saxes as readSheetXml reads the sheets) would need none of them: it is the way out, but
// it replaces the read path that bench:import measures against the bare exceljs read, so it waits
// for a session that can measure it.

/** The exceljs streaming reader's options: styles cached so that date-formatted numbers arrive as dates. */
export const STREAM_READER_OPTIONS = {
  entries: "emit",
  sharedStrings: "cache",
  hyperlinks: "ignore",
  styles: "cache",
  worksheets: "emit",
} as const;

/** The rule exceljs applies: a number format with y, m, d, h, s or b outside quotes and brackets shows a date. */
function isDateFormat(format: unknown): boolean {
  if (typeof format !== "string") return false;
  return /[ymdhMsb]/.test(
    format.replace(/\[[^\]]*]/g, "").replace(/"[^"]*"/g, ""),
  );
}

/**
 * exceljs reads `<workbookPr date1904="1"/>` but not `date1904="true"`, which the file format's
 * xsd:boolean allows as well (LibreOffice and other writers use it): such a workbook's dates would be
 * read four years and a day early. Its workbook-properties reader is taught both spellings, once.
 */
function readBothSpellingsOfDate1904(): void {
  const xform = createRequire(import.meta.url)(
    "exceljs/lib/xlsx/xform/book/workbook-properties-xform.js",
  ) as {
    prototype: {
      parseOpen(node: {
        name: string;
        attributes: Record<string, string>;
      }): boolean;
      model?: { date1904: boolean };
    };
  };
  const parseOpen = xform.prototype.parseOpen;
  xform.prototype.parseOpen = function (node) {
    const opened = parseOpen.call(this, node);
    if (opened && this.model && node.attributes.date1904 === "true")
      this.model.date1904 = true;
    return opened;
  };
}
readBothSpellingsOfDate1904();

/** What readSheetXml needs of the exceljs reader once it has read the workbook's own parts. */
interface ReaderParts {
  sharedStrings?: unknown[];
  styles?: {
    /** Built only when xl/styles.xml was read (a workbook may have none: then no cell shows a date). */
    index?: { model?: unknown };
    getStyleModel?(id: number): { numFmt?: unknown } | null;
  };
  properties?: { model?: { date1904?: boolean } };
}

function sheetContext(reader: ReaderParts): SheetXmlContext {
  const dateStyles = new Map<number, boolean>();
  return {
    sharedStrings: reader.sharedStrings,
    date1904: reader.properties?.model?.date1904 === true,
    isDateStyle(style) {
      let date = dateStyles.get(style);
      if (date === undefined) {
        date =
          reader.styles?.index?.model !== undefined &&
          isDateFormat(reader.styles.getStyleModel?.(style)?.numFmt);
        dateStyles.set(style, date);
      }
      return date;
    },
  };
}

/**
 * exceljs reads the zip through unzipper's Parse, which announces its end ("end", "close") as soon as
 * its input is used up, even when entries it has parsed still wait in its buffer because exceljs had
 * paused it (writing a worksheet that came before the shared strings or the workbook part to a
 * temporary file). exceljs stops at that "end", so those entries were never read: a small file whose
 * xl/workbook.xml follows its worksheets was refused, and under load the last entries of any file
 * could be lost. The end is passed on once the waiting entries have been handed over.
 */
function holdZipEndUntilEntriesRead(input: Readable): void {
  const pipe = input.pipe.bind(input);
  input.pipe = <T extends NodeJS.WritableStream>(
    zip: T,
    options?: { end?: boolean },
  ): T => {
    const parse = zip as unknown as Readable;
    const emit = parse.emit.bind(parse);
    const held: [string | symbol, unknown[]][] = [];
    parse.on("data", () => {
      if (parse.readableLength > 0) return;
      for (const [event, args] of held.splice(0)) emit(event, ...args);
    });
    parse.emit = ((event: string | symbol, ...args: unknown[]) => {
      if (
        (event === "end" || event === "close") &&
        parse.readableLength > 0 &&
        !parse.destroyed
      ) {
        held.push([event, args]);
        return true;
      }
      return emit(event, ...args);
    }) as typeof parse.emit;
    return pipe(zip, options);
  };
}

/** How readWorkbookSheets reads. */
export interface WorkbookSheetsOptions {
  /** The name the analyst knows the file by, for messages. */
  file: string;
  limits: ImportLimits;
  /** Told how many bytes of the file have been read, for a progress bar. */
  onBytes?: (bytesRead: number) => void;
  /** Closes the file (a read given up on). */
  signal?: AbortSignal;
  /** Opens the file's bytes; each attempt opens it afresh. */
  open?: (path: string) => Readable;
  /**
   * The merged ranges of its worksheets (the guard's GuardedFile.mergedRanges), put on the rows
   * they start in: a sheet lists them after its rows, where they come too late for its header.
   */
  mergedRanges?: XlsxMergedRanges;
}

/**
 * Streams a workbook's sheets with the exceljs streaming reader, so that memory stays flat however
 * many rows a sheet has. Each sheet must be read (or left) before the next one arrives; rows not read
 * are drained. The read is checked against the zip's central directory: it must have read the
 * workbook part and yielded every worksheet. A read that ended early before yielding a sheet (the
 * usual case: exceljs defers the sheets until the whole zip has been walked) is made once more from
 * the start; otherwise, or when the second read ends early too, WorkbookReadIncomplete is thrown
 * rather than a sheet silently left out.
 */
export async function* readWorkbookSheets(
  path: string,
  options: WorkbookSheetsOptions,
): AsyncGenerator<WorkbookSheet> {
  const expected = (
    await zipEntryNames(path, options.file, options.limits)
  ).filter((name) => WORKSHEET_ENTRY.test(name)).length;
  for (let attempt = 1; ; attempt++) {
    const read = { yielded: 0 };
    try {
      yield* readOnce(path, options, expected, read);
      return;
    } catch (error) {
      if (
        error instanceof WorkbookReadIncomplete &&
        read.yielded === 0 &&
        attempt === 1 &&
        !options.signal?.aborted
      )
        continue;
      throw error;
    }
  }
}

/** One read of the workbook from its first byte; `read.yielded` counts the sheets handed on. */
async function* readOnce(
  path: string,
  options: WorkbookSheetsOptions,
  expected: number,
  read: { yielded: number },
): AsyncGenerator<WorkbookSheet> {
  const { onBytes, signal } = options;
  const input = options.open
    ? options.open(path)
    : createReadStream(path, { highWaterMark: 1024 * 1024 });
  // Closed without an error (createReadStream's own `signal` would emit one nobody listens for).
  const close = () => input.destroy();
  signal?.addEventListener("abort", close, { once: true });
  let bytesRead = 0;
  if (onBytes)
    input.on("data", (chunk: Buffer) => {
      bytesRead += chunk.length;
      onBytes(bytesRead);
    });
  holdZipEndUntilEntriesRead(input);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    ...STREAM_READER_OPTIONS,
  });
  const incomplete = (what: string) =>
    new WorkbookReadIncomplete(
      `the zip stream of ${options.file} ended before ${what}, although its directory lists it`,
    );
  // exceljs names a sheet from the workbook part; a sheet met without it would fail inside exceljs
  // ("reading 'sheets'"), so it is caught here as the early end it is.
  const parts = reader as unknown as {
    model?: unknown;
    _parseWorksheet: (
      iterator: unknown,
      sheetNo: string,
    ) => Generator<{ value?: unknown } | undefined>;
  };
  // exceljs parses a worksheet as soon as it meets it once the shared strings and the workbook's rels
  // have been read, and otherwise defers it to the end of the zip. But it names a sheet from
  // xl/workbook.xml, which some writers put after the worksheets and their shared strings: such a
  // sheet must wait too, so the rels are hidden from that test until the workbook part is read.
  let workbookRels: unknown;
  Object.defineProperty(reader, "workbookRels", {
    get: () => (parts.model === undefined ? undefined : workbookRels),
    set: (rels: unknown) => {
      workbookRels = rels;
    },
  });
  const parseWorksheet = parts._parseWorksheet.bind(reader);
  // The zip entry each worksheet was read from (exceljs gives it the workbook's sheet id instead).
  const entryOf = new WeakMap<object, string>();
  parts._parseWorksheet = function* (iterator, sheetNo) {
    if (parts.model === undefined)
      throw incomplete("the workbook part (xl/workbook.xml)");
    for (const item of parseWorksheet(iterator, sheetNo)) {
      if (item?.value && typeof item.value === "object")
        entryOf.set(item.value, `xl/worksheets/sheet${sheetNo}.xml`);
      yield item;
    }
  };
  try {
    for await (const worksheet of reader) {
      // exceljs finds the sheets, shared strings and styles; the cells are read by readSheetXml,
      // which keeps what Excel saved (formula results and errors, numbers only when written as numbers).
      const sheet = worksheet as unknown as {
        name?: string;
        id?: number;
        state?: string;
        iterator: AsyncIterable<Buffer>;
      };
      const entry = entryOf.get(sheet);
      const rows = readSheetXml(
        sheet.iterator,
        sheetContext(reader as unknown as ReaderParts),
        (entry && options.mergedRanges?.[entry]) || [],
      );
      read.yielded++;
      yield {
        name: sheet.name ?? `Sheet${sheet.id ?? ""}`,
        hidden: sheet.state === "hidden" || sheet.state === "veryHidden",
        rows,
      };
      // Rows not read are drained so that the next sheet can be reached.
      for (let next = await rows.next(); !next.done;) next = await rows.next();
    }
    if (parts.model === undefined)
      throw incomplete("the workbook part (xl/workbook.xml)");
    if (read.yielded < expected)
      throw incomplete(
        `${expected - read.yielded} of its ${expected} worksheets`,
      );
  } finally {
    signal?.removeEventListener("abort", close);
    input.destroy();
  }
}
