import ExcelJS from "exceljs";
import { once } from "node:events";
import { createWriteStream, writeFileSync } from "node:fs";
import XLSX from "xlsx";

const COUNCILS = ["Chesterfield Borough Council", "Bolsover DC", "NEDDC", ""];
const MEASURES = ["Target", "Estimate", "Forecast", "Achieved"];

type Line = (string | number)[];

/** The title lines and the header above a long tracker's figures. */
function trackerHead(): Line[] {
  return [
    ["Benchmark savings tracker"],
    ["Period:", "June 2010"],
    ["Partnership:", "Derbyshire RCE Shared Services"],
    [
      "Partners:",
      "Chesterfield Borough Council, Bolsover District Council, North East Derbyshire District Council",
    ],
    [
      "Council",
      "Service",
      "Financial year",
      "Measure",
      "Cashable",
      "Amount (£)",
      "RAG",
    ],
  ];
}

/**
 * Figure `i` of a long tracker: its key (service, council, year, measure, kind) is unique, as a real
 * tracker's would be. Amounts mix whole pounds and pence.
 */
function trackerRow(i: number): Line {
  const measure = i % 4;
  const council = Math.floor(i / 4) % 4;
  const cashable = Math.floor(i / 16) % 2;
  const year = 2000 + (Math.floor(i / 32) % 21);
  const service = Math.floor(i / 672);
  return [
    COUNCILS[council]!,
    `Service ${String(service).padStart(5, "0")}`,
    `${year}/${String((year + 1) % 100).padStart(2, "0")}`,
    MEASURES[measure]!,
    cashable ? "Non-cashable" : "Cashable",
    (i % 997) * 100 + (i % 3 === 0 ? 0.25 : 0),
    ["Red", "Amber", "Green"][i % 3]!,
  ];
}

/**
 * Writes a long savings tracker of `rows` figures with the exceljs streaming writer (flat memory):
 * title lines, a header, and one figure per row.
 */
export async function writeLongTracker(
  path: string,
  rows: number,
): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: path,
    useSharedStrings: true,
    useStyles: false,
  });
  const sheet = workbook.addWorksheet("Tracker");
  for (const line of trackerHead()) sheet.addRow(line).commit();
  for (let i = 0; i < rows; i++) sheet.addRow(trackerRow(i)).commit();
  sheet.commit();
  await workbook.commit();
}

/** The same tracker as a UTF-8 CSV (comma-separated, quoted where a field holds a comma). */
export async function writeLongTrackerCsv(
  path: string,
  rows: number,
): Promise<void> {
  const out = createWriteStream(path);
  const field = (value: string | number) => {
    const text = String(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const write = async (line: Line) => {
    if (!out.write(line.map(field).join(",") + "\r\n"))
      await once(out, "drain");
  };
  for (const line of trackerHead()) await write(line);
  for (let i = 0; i < rows; i++) await write(trackerRow(i));
  out.end();
  await once(out, "finish");
}

/** A .xls sheet holds at most 65,536 rows: the figures are split over sheets of this many. */
export const XLS_ROWS_PER_SHEET = 50_000;

/**
 * The same tracker as an Excel 97-2003 workbook (written by SheetJS): sheets "Tracker 1", "Tracker
 * 2", ... of XLS_ROWS_PER_SHEET figures each, every one with the title lines and the header.
 */
export function writeLongTrackerXls(path: string, rows: number): void {
  const workbook = XLSX.utils.book_new();
  for (let first = 0, n = 1; first < rows; first += XLS_ROWS_PER_SHEET, n++) {
    const lines = trackerHead();
    for (let i = first; i < Math.min(rows, first + XLS_ROWS_PER_SHEET); i++)
      lines.push(trackerRow(i));
    XLSX.utils.book_append_sheet(
      workbook,
      XLSX.utils.aoa_to_sheet(lines),
      `Tracker ${n}`,
    );
  }
  writeFileSync(
    path,
    XLSX.write(workbook, { bookType: "xls", type: "buffer" }) as Buffer,
  );
}
