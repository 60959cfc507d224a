import ExcelJS from "exceljs";
import { createReadStream } from "node:fs";

/** A cell's value reduced to what the importer reads: text, number, boolean, date or nothing. */
export type CellValue = string | number | boolean | Date | null;

/** One worksheet row: `cells[0]` is column A. */
export interface SheetRow {
  /** The worksheet row number (1-based), for A1 references. */
  number: number;
  cells: CellValue[];
}

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

type RawCell =
  | null
  | undefined
  | string
  | number
  | boolean
  | Date
  | {
      richText?: { text: string }[];
      result?: unknown;
      formula?: string;
      sharedFormula?: string;
      error?: string;
      text?: unknown;
      hyperlink?: string;
    };

/** Reduces an exceljs cell value (rich text, formula, hyperlink, error) to a plain value. */
export function plainCellValue(raw: unknown): CellValue {
  const value = raw as RawCell;
  if (value === null || value === undefined) return null;
  if (
    typeof value === "string" ||
    typeof value === "number" ||
    typeof value === "boolean" ||
    value instanceof Date
  )
    return value;
  if (Array.isArray(value.richText))
    return value.richText.map((run) => run.text).join("");
  if ("formula" in value || "sharedFormula" in value)
    return plainCellValue(value.result);
  if (typeof value.error === "string") return value.error;
  if ("text" in value) return plainCellValue(value.text);
  return null;
}

function toSheetRow(row: ExcelJS.Row): SheetRow {
  const values = row.values as unknown[];
  const cells: CellValue[] = new Array<CellValue>(
    Math.max(values.length - 1, 0),
  );
  for (let c = 1; c < values.length; c++)
    cells[c - 1] = plainCellValue(values[c]);
  return { number: row.number, cells };
}

/**
 * Streams a workbook's sheets with the exceljs streaming reader, so that memory stays flat however
 * many rows a sheet has. Each sheet must be read (or left) before the next one arrives; rows not read
 * are drained. `onBytes` is told how many bytes of the file have been read, for a progress bar.
 */
export async function* readWorkbookSheets(
  path: string,
  onBytes?: (bytesRead: number) => void,
): AsyncGenerator<WorkbookSheet> {
  const input = createReadStream(path, { highWaterMark: 1024 * 1024 });
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
      const sheet = worksheet as unknown as {
        name?: string;
        id?: number;
        state?: string;
      } & AsyncIterable<ExcelJS.Row>;
      // A plain iterator that converts each exceljs row, lighter than an async generator per row.
      const inner = sheet[Symbol.asyncIterator]();
      const rows: AsyncIterator<SheetRow> & AsyncIterable<SheetRow> = {
        [Symbol.asyncIterator]() {
          return this;
        },
        async next() {
          const next = await inner.next();
          if (next.done) return { done: true, value: undefined };
          return { done: false, value: toSheetRow(next.value) };
        },
      };
      yield {
        name: sheet.name ?? `Sheet${sheet.id ?? ""}`,
        hidden: sheet.state === "hidden" || sheet.state === "veryHidden",
        rows,
      };
      // Rows not read are drained so that the next sheet can be reached.
      for (let next = await inner.next(); !next.done;)
        next = await inner.next();
    }
  } finally {
    input.destroy();
  }
}
