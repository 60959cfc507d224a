import type { XlsxMergedRanges } from "./guard-workbook-file.js";
import type { ImportLimits } from "./import-limits.js";
import type { WorkbookSheet } from "./read-workbook-sheets.js";
import { detectWorkbookFormat } from "./workbook-format.js";

/**
 * Streams the sheets of a workbook in any format the importer reads, chosen by the file's content
 * (detectWorkbookFormat), never by its name: .xlsx with exceljs, .xls, .ods and CSV with their own
 * readers, all in the one WorkbookSheet shape, so that every stage after reading is the same. Each
 * reader is loaded when its format is met: exceljs alone takes a second or two to load (in each
 * reading worker) and tens of MB, which a .xls or CSV import does not need.
 * `file` is the name the analyst knows the file by: a CSV's one sheet is named after it. `signal`
 * closes an .xlsx given up on (a stalled read). `mergedRanges`: an .xlsx's, as the guard found
 * them (the other formats' readers meet theirs before the rows they start in).
 */
export async function* readWorkbookFileSheets(
  path: string,
  file: string,
  limits: ImportLimits,
  onBytes?: (bytesRead: number) => void,
  signal?: AbortSignal,
  mergedRanges?: XlsxMergedRanges,
): AsyncGenerator<WorkbookSheet> {
  const detected = await detectWorkbookFormat(path);
  // The guard has refused what is not a workbook; anything else is tried as .xlsx, which says why not.
  const format = detected.kind === "workbook" ? detected.format : "xlsx";
  switch (format) {
    case "csv": {
      const { readCsvSheets } = await import("./read-csv-sheets.js");
      yield* readCsvSheets(path, file, limits, onBytes);
      return;
    }
    case "xls": {
      const { readXlsSheets } = await import("./read-xls-sheets.js");
      yield* readXlsSheets(path, limits, onBytes);
      return;
    }
    case "ods": {
      const { readOdsSheets } = await import("./read-ods-sheets.js");
      yield* readOdsSheets(path, limits, onBytes);
      return;
    }
    case "xlsx": {
      const { readWorkbookSheets } = await import("./read-workbook-sheets.js");
      yield* readWorkbookSheets(path, {
        file,
        limits,
        ...(onBytes ? { onBytes } : {}),
        ...(signal ? { signal } : {}),
        ...(mergedRanges ? { mergedRanges } : {}),
      });
    }
  }
}
