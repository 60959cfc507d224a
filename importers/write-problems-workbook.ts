import ExcelJS from "exceljs";
import { stat } from "node:fs/promises";
import { basename } from "node:path";
import { DEFAULT_IMPORT_LIMITS } from "./import-limits.js";
import type { ImportProblem } from "./import-problem.js";
import {
  PROBLEMS_LIST_MARKER,
  PROBLEMS_LIST_SHEET,
} from "./problems-list-marker.js";
import { readWorkbookFileSheets } from "./read-workbook-file-sheets.js";
import { detectWorkbookFormat } from "./workbook-format.js";

/**
 * A .xls, .ods or CSV file's cells as read by the importer, in a new workbook: the copy the problems
 * are written onto (an .xlsx is copied with its formatting instead).
 */
async function readCellsInto(
  workbook: ExcelJS.Workbook,
  path: string,
  file: string,
): Promise<void> {
  for await (const read of readWorkbookFileSheets(
    path,
    file,
    DEFAULT_IMPORT_LIMITS,
  )) {
    const sheet = workbook.addWorksheet(
      read.name,
      read.hidden ? { state: "hidden" } : {},
    );
    for await (const row of read.rows)
      row.cells.forEach((value, c) => {
        if (value !== null) sheet.getCell(row.number, c + 1).value = value;
      });
  }
}

/** Files larger than this get only the problems sheet: the full copy would need the whole workbook in memory. */
export const PROBLEMS_COPY_MAX_BYTES = 20 * 1024 * 1024;

const FILL: Record<ImportProblem["severity"], string> = {
  error: "FFFFC7CE",
  warning: "FFFFEB9C",
};

/**
 * Writes the problems back onto a copy of the workbook so that the analyst can fix them where they
 * are: each problem cell is filled (red for errors, yellow for warnings) and carries a comment with the
 * code and the sentence; a first sheet "Import problems" lists them all, including those that belong to
 * no cell, and carries PROBLEMS_LIST_MARKER so that the importer skips it when the fixed file comes back. A .xls, .ods or CSV file is copied as its cells (readCellsInto). A workbook that could not
 * be read (or is very large) gets only that sheet.
 */
export async function writeProblemsWorkbook(
  sourcePath: string,
  problems: readonly ImportProblem[],
  outPath: string,
): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  let copied = false;
  try {
    if ((await stat(sourcePath)).size <= PROBLEMS_COPY_MAX_BYTES) {
      const detected = await detectWorkbookFormat(sourcePath);
      if (detected.kind === "workbook" && detected.format !== "xlsx")
        await readCellsInto(
          workbook,
          sourcePath,
          problems[0]?.file ?? basename(sourcePath),
        );
      else await workbook.xlsx.readFile(sourcePath);
      copied = true;
    }
  } catch {
    copied = false;
  }
  const byCell = new Map<string, ImportProblem[]>();
  for (const problem of problems) {
    if (!copied || !problem.sheet || !problem.cell) continue;
    const key = `${problem.sheet}\u0000${problem.cell}`;
    byCell.set(key, [...(byCell.get(key) ?? []), problem]);
  }
  for (const [key, list] of byCell) {
    const [sheetName, address] = key.split("\u0000") as [string, string];
    const sheet = workbook.getWorksheet(sheetName);
    if (!sheet) continue;
    const cell = sheet.getCell(address);
    const severity = list.some((p) => p.severity === "error")
      ? "error"
      : "warning";
    cell.fill = {
      type: "pattern",
      pattern: "solid",
      fgColor: { argb: FILL[severity] },
    };
    cell.note = list
      .map((p) => `${p.severity} ${p.code}: ${p.message}`)
      .join("\n\n");
  }
  const existing = workbook.getWorksheet(PROBLEMS_LIST_SHEET);
  if (existing) workbook.removeWorksheet(existing.id);
  const sheet = workbook.addWorksheet(PROBLEMS_LIST_SHEET);
  sheet.columns = [
    { header: "Severity", key: "severity", width: 10 },
    { header: "Code", key: "code", width: 20 },
    { header: "Sheet", key: "sheet", width: 22 },
    { header: "Cell", key: "cell", width: 8 },
    { header: "Header", key: "header", width: 22 },
    { header: "Value", key: "value", width: 24 },
    { header: "Problem", key: "message", width: 100 },
    { header: PROBLEMS_LIST_MARKER, key: "marker", width: 50 },
  ];
  sheet.getRow(1).font = { bold: true };
  for (const p of problems)
    sheet.addRow({
      severity: p.severity,
      code: p.code,
      sheet: p.sheet ?? "",
      cell: p.cell ?? "",
      header: p.header ?? "",
      value: p.value ?? "",
      message: p.message,
    });
  // Show the list first: move the new sheet to the front.
  const ordered = workbook.worksheets as unknown as { orderNo: number }[];
  (sheet as unknown as { orderNo: number }).orderNo =
    Math.min(0, ...ordered.map((s) => s.orderNo)) - 1;
  sheet.state = "visible";
  await workbook.xlsx.writeFile(outPath);
}
