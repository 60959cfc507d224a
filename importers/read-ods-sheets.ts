import { SaxesParser } from "saxes";
import type { Readable } from "node:stream";
import yauzl from "yauzl";
import type { ImportLimits } from "./import-limits.js";
import { FormulaWithoutValue } from "./cell-value.js";
import type {
  CellValue,
  MergedRange,
  SheetRow,
  WorkbookSheet,
} from "./read-workbook-sheets.js";

/** Thrown when an .ods file's content cannot be read (no content.xml, or XML that does not parse). */
export class OdsReadError extends Error {}

type OdsEvent =
  | { type: "sheet"; name: string; hidden: boolean }
  | { type: "row"; row: SheetRow };

/** A parsed row with its repeat count, expanded only as it is read. */
type ParsedEvent =
  | { type: "sheet"; name: string; hidden: boolean }
  | {
      type: "row";
      number: number;
      cells: CellValue[];
      copies: number;
      merges: MergedRange[] | null;
    };

/** The events of one parsed chunk, each repeated row expanded into rows of their own. */
function* expand(queue: ParsedEvent[]): Generator<OdsEvent> {
  for (const event of queue) {
    if (event.type === "sheet") {
      yield event;
      continue;
    }
    for (let i = 0; i < event.copies; i++) {
      const cells: CellValue[] = new Array<CellValue>(event.cells.length);
      for (let c = 0; c < cells.length; c++) cells[c] = event.cells[c] ?? null;
      // A merge is the first copy's: repeated rows repeat values, a range starts once.
      yield {
        type: "row",
        row:
          i === 0 && event.merges
            ? { number: event.number, cells, merges: event.merges }
            : { number: event.number + i, cells },
      };
    }
  }
  queue.length = 0;
}

/** Opens one entry of a zip as a stream (the zip guard has already bounded what it inflates to). */
function openZipEntry(
  path: string,
  name: string,
): Promise<{ stream: Readable; close: () => void }> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: false }, (error, zip) => {
      if (error || !zip) return reject(new OdsReadError(String(error)));
      zip.on("error", (e: Error) => reject(new OdsReadError(e.message)));
      zip.on("entry", (entry: yauzl.Entry) => {
        if (entry.fileName !== name) return zip.readEntry();
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream)
            return reject(new OdsReadError(String(streamError)));
          resolve({ stream, close: () => zip.close() });
        });
      });
      zip.on("end", () =>
        reject(new OdsReadError(`it has no ${name} inside its zip`)),
      );
      zip.readEntry();
    });
  });
}

/** "2007-04-01" or "2007-04-01T10:30:00" (no zone: the sheet's own clock) as the UTC date exceljs would give. */
function odsDate(text: string): Date | null {
  const m =
    /^(-?\d{4,})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?)?/.exec(
      text,
    );
  if (!m) return null;
  return new Date(
    Date.UTC(
      Number(m[1]),
      Number(m[2]) - 1,
      Number(m[3]),
      Number(m[4] ?? 0),
      Number(m[5] ?? 0),
      Number(m[6] ?? 0),
      Math.round(Number(`0.${m[7] ?? "0"}`) * 1000),
    ),
  );
}

function count(value: string | undefined): number {
  const n = Number(value ?? 1);
  return Number.isInteger(n) && n > 0 ? n : 1;
}

/**
 * The events of content.xml, parsed as a stream: each table (sheet) and its non-empty rows. Rows and
 * cells that OpenDocument writes once with a repeat count ("the next 1,048,000 rows are empty") are
 * not expanded when empty; filled ones are expanded only as far as the limits allow, so that a
 * hostile repeat count is refused by the row and column limits rather than filling memory.
 */
async function* odsEvents(
  path: string,
  limits: ImportLimits,
  onBytes?: (bytesRead: number) => void,
): AsyncGenerator<OdsEvent> {
  const { stream, close } = await openZipEntry(path, "content.xml");
  const parser = new SaxesParser({ position: false, xmlns: false });
  const queue: ParsedEvent[] = [];
  const hiddenStyles = new Set<string>();
  let styleName: string | null = null;
  let rowNumber = 0;
  let rowRepeat = 1;
  let cells: CellValue[] | null = null;
  /** The merged ranges (number-columns-spanned / number-rows-spanned) starting in the open row. */
  let merges: MergedRange[] | null = null;
  /** A filled cell lies past the column limit: the row stays that wide, so that it is refused. */
  let overflow = false;
  let cell: {
    attributes: Record<string, string>;
    repeat: number;
    paragraphs: string[];
  } | null = null;
  let paragraph: string | null = null;
  let annotation = 0;
  let tableDepth = 0;
  let parseError: Error | null = null;
  const maxCells = limits.maxColumns + 1;

  const endCell = () => {
    const c = cell!;
    cell = null;
    const a = c.attributes;
    const type = a["office:value-type"];
    let value: CellValue = null;
    const shown = c.paragraphs.join("\n");
    if (a["calcext:value-type"] === "error") value = shown;
    else if (type === "float" || type === "percentage" || type === "currency")
      value = Number(a["office:value"]);
    else if (type === "date")
      value = odsDate(a["office:date-value"] ?? "") ?? (shown || null);
    else if (type === "boolean") value = a["office:boolean-value"] === "true";
    else if (type === "string") value = a["office:string-value"] ?? shown;
    else value = shown === "" ? null : shown;
    if (typeof value === "number" && Number.isNaN(value)) value = shown || null;
    // A formula saved with no result (no value type, nothing shown): the same problem as in an .xlsx.
    const formula = a["table:formula"];
    if (value === null && type === undefined && formula)
      value = new FormulaWithoutValue(
        formula.replace(/^[a-z]+:/, "").replace(/^=/, ""),
      );
    const row = cells!;
    if (value === null || value === "") {
      // Empty cells are only a gap before the next filled one.
      row.length = Math.min(row.length + c.repeat, maxCells);
      return;
    }
    if (row.length + c.repeat > maxCells) overflow = true;
    const across = count(a["table:number-columns-spanned"]);
    const down = count(a["table:number-rows-spanned"]);
    if ((across > 1 || down > 1) && row.length < maxCells)
      (merges ??= []).push({
        column: row.length,
        lastColumn: row.length + across - 1,
        lastRow: rowNumber + down,
      });
    for (let i = 0; i < c.repeat && row.length < maxCells; i++) row.push(value);
  };

  parser.on("opentag", (tag) => {
    const a = tag.attributes as Record<string, string>;
    switch (tag.name) {
      case "style:style":
        styleName =
          a["style:family"] === "table" ? (a["style:name"] ?? null) : null;
        break;
      case "style:table-properties":
        if (styleName && a["table:display"] === "false")
          hiddenStyles.add(styleName);
        break;
      case "table:table":
        tableDepth++;
        if (tableDepth > 1) break; // a table inside a cell's drawing: not a sheet
        rowNumber = 0;
        queue.push({
          type: "sheet",
          name: a["table:name"] ?? `Sheet${queue.length + 1}`,
          hidden: hiddenStyles.has(a["table:style-name"] ?? ""),
        });
        break;
      case "table:table-row":
        if (tableDepth !== 1) break;
        rowRepeat = count(a["table:number-rows-repeated"]);
        cells = [];
        merges = null;
        overflow = false;
        break;
      case "table:table-cell":
      case "table:covered-table-cell":
        if (tableDepth !== 1 || !cells) break;
        cell = {
          attributes: a,
          repeat: count(a["table:number-columns-repeated"]),
          paragraphs: [],
        };
        if (tag.isSelfClosing) endCell();
        break;
      case "office:annotation":
        annotation++;
        break;
      case "text:p":
      case "text:h":
        if (cell && annotation === 0) paragraph = "";
        break;
      case "text:s":
        if (paragraph !== null && annotation === 0)
          paragraph += " ".repeat(Math.min(count(a["text:c"]), 1000));
        break;
      case "text:tab":
        if (paragraph !== null && annotation === 0) paragraph += "\t";
        break;
      case "text:line-break":
        if (paragraph !== null && annotation === 0) paragraph += "\n";
        break;
    }
  });
  parser.on("text", (text: string) => {
    if (paragraph !== null && annotation === 0) paragraph += text;
  });
  parser.on("closetag", (tag) => {
    switch (tag.name) {
      case "style:style":
        styleName = null;
        break;
      case "office:annotation":
        annotation--;
        break;
      case "text:p":
      case "text:h":
        if (paragraph !== null && cell && annotation === 0) {
          cell.paragraphs.push(paragraph);
          paragraph = null;
        }
        break;
      case "table:table-cell":
      case "table:covered-table-cell":
        if (cell && !tag.isSelfClosing) endCell();
        break;
      case "table:table-row": {
        if (tableDepth !== 1 || !cells) break;
        const row = cells;
        cells = null;
        if (overflow) row.length = maxCells;
        else while (row.length > 0 && row[row.length - 1] == null) row.length--;
        if (row.length > 0) {
          // Each repeat is a row of its own; past the row limit one more is enough to refuse the sheet.
          queue.push({
            type: "row",
            number: rowNumber + 1,
            cells: row,
            copies: Math.max(
              Math.min(rowRepeat, limits.maxRows + 2 - rowNumber),
              1,
            ),
            merges,
          });
        }
        rowNumber += rowRepeat;
        break;
      }
      case "table:table":
        tableDepth--;
        break;
    }
  });
  parser.on("error", (error: Error) => {
    parseError ??= error;
  });
  const text = new TextDecoder("utf-8");
  let bytes = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      onBytes?.(bytes);
      parser.write(text.decode(chunk, { stream: true }));
      if (parseError) break;
      yield* expand(queue);
    }
    if (!parseError) parser.write(text.decode()).close();
    if (parseError)
      throw new OdsReadError(
        `its content.xml is not well-formed XML (${(parseError as Error).message})`,
      );
    yield* expand(queue);
  } finally {
    stream.destroy();
    close();
  }
}

/**
 * Reads an OpenDocument spreadsheet (.ods, a zip of XML) into the shape every reader yields: its
 * tables with their names and hidden state (a table style with display="false"), non-empty rows
 * numbered as the sheet numbers them (repeated rows and cells counted), values typed as the file
 * says (float, percentage and currency as numbers, dates as UTC dates, booleans, text with its
 * paragraphs joined by line breaks; comments left out), merged ranges (a cell's spans) on the rows
 * they start in. content.xml is parsed as a stream.
 */
export async function* readOdsSheets(
  path: string,
  limits: ImportLimits,
  onBytes?: (bytesRead: number) => void,
): AsyncGenerator<WorkbookSheet> {
  const events = odsEvents(path, limits, onBytes);
  let pending: OdsEvent | null = null;
  const nextEvent = async () => {
    if (pending) {
      const event = pending;
      pending = null;
      return event;
    }
    const next = await events.next();
    return next.done ? null : next.value;
  };
  try {
    for (let event = await nextEvent(); event; event = await nextEvent()) {
      if (event.type !== "sheet") continue; // rows of a sheet that was left unread
      let ended = false;
      const rows: AsyncIterator<SheetRow> & AsyncIterable<SheetRow> = {
        [Symbol.asyncIterator]() {
          return this;
        },
        async next() {
          if (ended) return { done: true, value: undefined };
          const next = await nextEvent();
          if (!next || next.type === "sheet") {
            pending = next;
            ended = true;
            return { done: true, value: undefined };
          }
          return { done: false, value: next.row };
        },
      };
      yield { name: event.name, hidden: event.hidden, rows };
      for (let next = await rows.next(); !next.done;) next = await rows.next();
    }
  } finally {
    await events.return(undefined);
  }
}
