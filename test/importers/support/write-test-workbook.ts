import ExcelJS from "exceljs";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  addSheet,
  type SampleWorkbook,
} from "../../../fixtures/generate-samples.js";

/** A temporary folder for one test file's workbooks. */
export function workbookDir(): string {
  return mkdtempSync(join(tmpdir(), "sshub-import-test-"));
}

/** Writes a workbook laid out like the samples (title lines, header, rows, footnotes) and returns its path. */
export async function writeTestWorkbook(
  dir: string,
  sample: SampleWorkbook,
  customise?: (workbook: ExcelJS.Workbook) => void,
): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  if (sample.date1904) workbook.properties.date1904 = true;
  for (const sheet of sample.sheets) addSheet(workbook, sheet);
  customise?.(workbook);
  const path = join(dir, sample.file);
  await workbook.xlsx.writeFile(path);
  return path;
}
