import ExcelJS from "exceljs";
import { createReadStream } from "node:fs";
import type { SheetRow } from "./cell-value.js";
import { readSheetXml, type SheetXmlContext } from "./read-sheet-xml.js";

export type { CellValue, SheetRow } from "./cell-value.js";

/** One worksheet as it streams past: its rows can be read once, in order. */
export interface WorkbookSheet {
  name: string;
  /** "hidden" or "veryHidden" sheets are skipped by the importer (and reported). */
  hidden: boolean;
  rows: AsyncIterable<SheetRow>;
}

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

/** What readSheetXml needs of the exceljs reader once it has read the workbook's own parts. */
interface ReaderParts {
  sharedStrings?: unknown[];
  styles?: { getStyleModel?(id: number): { numFmt?: unknown } | null };
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
        date = isDateFormat(reader.styles?.getStyleModel?.(style)?.numFmt);
        dateStyles.set(style, date);
      }
      return date;
    },
  };
}

/**
 * Streams a workbook's sheets with the exceljs streaming reader, so that memory stays flat however
 * many rows a sheet has. Each sheet must be read (or left) before the next one arrives; rows not read
 * are drained. `onBytes` is told how many bytes of the file have been read, for a progress bar;
 * `signal` closes the file (a read given up on).
 */
export async function* readWorkbookSheets(
  path: string,
  onBytes?: (bytesRead: number) => void,
  signal?: AbortSignal,
): AsyncGenerator<WorkbookSheet> {
  const input = createReadStream(path, { highWaterMark: 1024 * 1024 });
  // Closed without an error (createReadStream's own `signal` would emit one nobody listens for).
  const close = () => input.destroy();
  signal?.addEventListener("abort", close, { once: true });
  let bytesRead = 0;
  if (onBytes)
    input.on("data", (chunk) => {
      bytesRead += chunk.length;
      onBytes(bytesRead);
    });
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    ...STREAM_READER_OPTIONS,
  });
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
      const rows = readSheetXml(
        sheet.iterator,
        sheetContext(reader as unknown as ReaderParts),
      );
      yield {
        name: sheet.name ?? `Sheet${sheet.id ?? ""}`,
        hidden: sheet.state === "hidden" || sheet.state === "veryHidden",
        rows,
      };
      // Rows not read are drained so that the next sheet can be reached.
      for (let next = await rows.next(); !next.done;) next = await rows.next();
    }
  } finally {
    signal?.removeEventListener("abort", close);
    input.destroy();
  }
}
