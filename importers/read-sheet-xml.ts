import { SaxesParser, type SaxesTagPlain } from "saxes";
import {
  FormulaWithoutValue,
  type CellValue,
  type MergedRange,
  type SheetMergedRange,
  type SheetRow,
} from "./cell-value.js";

/** Excel's own limits: a cell reference past them is a damaged or hostile file, not a bigger sheet. */
const EXCEL_MAX_ROW = 1_048_576;
const EXCEL_MAX_COLUMN = 16_384;

/**
 * Excel's date serials for 1900-01-01 and 9999-12-31: a date-formatted number outside them is no
 * date (and no amount either).
 */
const FIRST_DATE_SERIAL = 1;
const LAST_DATE_SERIAL = 2_958_465;

/** The number a spreadsheet writes in a cell (xsd:double without INF and NaN); anything else is text. */
const XML_NUMBER = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;

/** A sheet's XML that cannot be read: the file is refused as damaged, with this reason. */
export class SheetXmlError extends Error {}

/** What reading a sheet's cells needs from the rest of the workbook. */
export interface SheetXmlContext {
  /** The shared strings table, as exceljs caches it (text or rich text). */
  sharedStrings: readonly unknown[] | undefined;
  /** Whether the cell style with this index shows a date. */
  isDateStyle(styleIndex: number): boolean;
  /** The workbook counts dates from 1904 (old Mac Excel) rather than 1900. */
  date1904: boolean;
}

/** The column index (0 for A) of an A1 reference's letters, or -1 when there are none. */
function columnIndex(ref: string): number {
  let column = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const code = ref.charCodeAt(i) | 0x20; // lower case
    if (code < 0x61 || code > 0x7a) break;
    column = column * 26 + (code - 0x60);
    if (column > EXCEL_MAX_COLUMN) return EXCEL_MAX_COLUMN;
  }
  return i === 0 ? -1 : column - 1;
}

/** A shared string (text or rich text) as plain text. */
function sharedText(entry: unknown): string | null {
  if (typeof entry === "string") return entry;
  const runs = (entry as { richText?: { text?: unknown }[] } | null)?.richText;
  if (Array.isArray(runs))
    return runs
      .map((run) => (typeof run.text === "string" ? run.text : ""))
      .join("");
  return null;
}

/** A number from a cell's text, or the text itself when it is not a number (refused later by its reader). */
function cellNumber(text: string): number | string {
  const trimmed = text.trim();
  return XML_NUMBER.test(trimmed) ? Number(trimmed) : text;
}

/**
 * Excel's date serial as a Date at UTC midnight; an invalid Date when out of Excel's range (Excel
 * shows "#####"), which every reader refuses as not a date.
 */
function serialDate(serial: number, date1904: boolean): Date {
  const days = serial + (date1904 ? 1462 : 0);
  if (!(days >= FIRST_DATE_SERIAL && days <= LAST_DATE_SERIAL))
    return new Date(Number.NaN);
  // 25569 is 1970-01-01 in the 1900 system (which counts a 29 February 1900 that never was).
  return new Date(Math.round((days - 25_569) * 86_400_000));
}

interface OpenCell {
  column: number;
  type: string | undefined;
  style: number;
  formula: string | null;
  value: string | null;
}

/**
 * Reads one worksheet's XML (sheetN.xml) into rows of plain cell values, keeping what Excel saved:
 * a formula's cached result (its error value, such as "#DIV/0!", as text), a FormulaWithoutValue
 * where none was saved, numbers only when written as numbers (a `<v>` of "0x1F" or "1_000" stays
 * text, for the amount reader to refuse), dates only within Excel's range. Text is decoded as
 * UTF-8 across chunk boundaries; bytes that are not UTF-8 become U+FFFD. Throws SheetXmlError for
 * XML that is not well formed or a cell reference outside Excel's grid. `merged` (the sheet's
 * merged ranges, known before its rows: see GuardedFile.mergedRanges) are put on the rows they
 * start in, those whose first cell is filled, as the .xls and .ods readers put theirs.
 */
export async function* readSheetXml(
  chunks: AsyncIterable<Buffer | string>,
  context: SheetXmlContext,
  merged: readonly SheetMergedRange[] = [],
): AsyncGenerator<SheetRow> {
  const mergesFrom = new Map<number, MergedRange[]>();
  for (const { row: first, ...range } of merged) {
    let list = mergesFrom.get(first);
    if (!list) mergesFrom.set(first, (list = []));
    list.push(range);
  }
  const parser = new SaxesParser();
  const decoder = new TextDecoder("utf-8");
  const ready: SheetRow[] = [];
  let failure: Error | null = null;
  let inData = false;
  let row: SheetRow | null = null;
  let lastRow = 0;
  let cell: OpenCell | null = null;
  /** Where text goes: the cell's formula, its value, or nowhere. */
  let target: "formula" | "value" | "inline" | null = null;
  let inlineDepth = 0;
  let inPhonetic = false;

  const localName = (name: string) => {
    const colon = name.indexOf(":");
    return colon < 0 ? name : name.slice(colon + 1);
  };

  const finishCell = (open: OpenCell): CellValue => {
    const text = open.value;
    if (
      open.formula !== null &&
      (text === null || (text === "" && open.type !== "str"))
    )
      return new FormulaWithoutValue(open.formula);
    if (text === null) return null;
    switch (open.type) {
      case "s": {
        const index = /^\s*\d+\s*$/.test(text) ? Number(text) : -1;
        const entry = context.sharedStrings?.[index];
        return entry === undefined ? null : sharedText(entry);
      }
      case "str":
      case "inlineStr":
      case "e":
        return text;
      case "b":
        return text.trim() === "1" ? true : text.trim() === "0" ? false : text;
      case "d": {
        const date = new Date(text.trim());
        return Number.isNaN(date.getTime()) ? text : date;
      }
      default: {
        const number = cellNumber(text);
        if (typeof number === "number" && context.isDateStyle(open.style))
          return serialDate(number, context.date1904);
        return number;
      }
    }
  };

  parser.on("opentag", (tag: SaxesTagPlain) => {
    const name = localName(tag.name);
    if (!inData) {
      if (name === "sheetData") inData = true;
      return;
    }
    switch (name) {
      case "row": {
        const r = tag.attributes["r"];
        const number = r === undefined ? lastRow + 1 : Number(r);
        if (!Number.isInteger(number) || number < 1 || number > EXCEL_MAX_ROW)
          throw new SheetXmlError(
            `row number "${r}" is not one Excel can have`,
          );
        row = { number, cells: [] };
        lastRow = number;
        break;
      }
      case "c": {
        if (!row) break;
        const ref = tag.attributes["r"];
        const column = ref === undefined ? row.cells.length : columnIndex(ref);
        if (column < 0 || column >= EXCEL_MAX_COLUMN)
          throw new SheetXmlError(
            `cell reference "${ref}" is not one Excel can have`,
          );
        const style = Number(tag.attributes["s"] ?? 0);
        cell = {
          column,
          type: tag.attributes["t"],
          style: Number.isInteger(style) ? style : 0,
          formula: null,
          value: null,
        };
        break;
      }
      case "f":
        if (cell) {
          cell.formula ??= "";
          target = "formula";
        }
        break;
      case "v":
        if (cell) {
          cell.value ??= "";
          target = "value";
        }
        break;
      case "is":
        if (cell) {
          cell.value ??= "";
          inlineDepth++;
        }
        break;
      case "rPh":
        inPhonetic = true;
        break;
      case "t":
        if (cell && inlineDepth > 0 && !inPhonetic) target = "inline";
        break;
    }
  });
  parser.on("text", (text: string) => {
    if (!cell || target === null) return;
    if (target === "formula") cell.formula += text;
    else cell.value += text;
  });
  parser.on("closetag", (tag: SaxesTagPlain) => {
    const name = localName(tag.name);
    if (!inData) return;
    switch (name) {
      case "sheetData":
        inData = false;
        break;
      case "row":
        if (row) {
          const cells = row.cells;
          const starting = mergesFrom
            .get(row.number)
            ?.filter(
              (m) => cells[m.column] !== undefined && cells[m.column] !== null,
            );
          if (starting?.length) row.merges = starting;
          ready.push(row);
        }
        row = null;
        break;
      case "c":
        if (row && cell) {
          const value = finishCell(cell);
          // Cells past the end are filled with nulls, as exceljs's rows are.
          while (row.cells.length < cell.column) row.cells.push(null);
          row.cells[cell.column] = value;
        }
        cell = null;
        target = null;
        break;
      case "f":
      case "v":
      case "t":
        target = null;
        break;
      case "is":
        inlineDepth--;
        break;
      case "rPh":
        inPhonetic = false;
        break;
    }
  });
  parser.on("error", (error: Error) => {
    failure ??= error;
  });

  const notWellFormed = (error: Error) => {
    // saxes says "2:415: undefined entity."; an analyst reads a line and column.
    const where = /^(\d+):(\d+): (.*?)\.?$/.exec(error.message);
    return new SheetXmlError(
      `its sheet XML is not well formed (${where ? `line ${where[1]}, column ${where[2]}: ${where[3]}` : error.message})`,
    );
  };
  const write = (text: string) => {
    try {
      parser.write(text);
    } catch (error) {
      failure ??= error as Error;
    }
    if (failure)
      throw failure instanceof SheetXmlError ? failure : notWellFormed(failure);
  };
  for await (const chunk of chunks) {
    write(
      typeof chunk === "string"
        ? chunk
        : decoder.decode(chunk, { stream: true }),
    );
    for (const done of ready) yield done;
    ready.length = 0;
  }
  write(decoder.decode());
  try {
    parser.close();
  } catch (error) {
    failure ??= error as Error;
  }
  if (failure)
    throw failure instanceof SheetXmlError
      ? failure
      : notWellFormed(failure as Error);
  yield* ready;
}
