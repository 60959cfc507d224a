import type { SampleWorkbook } from "../../../fixtures/generate-samples.js";
import { writeSampleAs } from "../../../fixtures/write-sheet-formats.js";
import {
  importWorkbook,
  type ImportOptions,
  type ImportReport,
} from "../../../importers/import-workbook.js";
import {
  WORKBOOK_FORMATS,
  type WorkbookFormat,
} from "../../../importers/workbook-format.js";
import type { TestDatabase } from "../../support/test-database.js";

/** Writes `sample` into `dir` as a `format` file and imports it, run by "test" unless `options` say. */
export async function importSampleAs(
  db: TestDatabase,
  dir: string,
  sample: SampleWorkbook,
  format: WorkbookFormat,
  options: ImportOptions = {},
): Promise<ImportReport> {
  const path = await writeSampleAs(sample, format, dir);
  return importWorkbook(db.orm, path, { runBy: "test", ...options });
}

/** One of the formats a test imports the same workbook in. */
export interface FormatRun {
  format: WorkbookFormat;
  /** The format's number (0-3): a test raises its amounts by it, so that each format's import writes figures of its own. */
  bump: number;
  /** Writes a workbook as this format's file and imports it. */
  importSample: (
    sample: SampleWorkbook,
    options?: ImportOptions,
  ) => Promise<ImportReport>;
}

/**
 * The four formats in turn, each with its number and a way to import a workbook written in it:
 * `for (const { format, bump, importSample } of inEveryFormat(db, dir))`.
 */
export function inEveryFormat(db: TestDatabase, dir: string): FormatRun[] {
  return WORKBOOK_FORMATS.map((format, bump) => ({
    format,
    bump,
    importSample: (sample, options) =>
      importSampleAs(db, dir, sample, format, options),
  }));
}
