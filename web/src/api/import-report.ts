import type { ImportProblem } from "../../../importers/import-problem.js";
import type { MappingProfile } from "../../../importers/mapping-profile.js";
import type { SheetSummary } from "../../../importers/sheet-summary.js";

/**
 * The report of an ended import job, GET /imports/jobs/ID (ImportReportAnswer in server/import-route.ts: the report
 * `sshub import --json` prints, without the server's file path). Its parts the importer declares in
 * modules the page can compile (its problems, a sheet's line and reading, the mapping profile's answers) are
 * the importer's own types; the report itself and ProblemGrid come from modules the page cannot
 * compile (entities and GraphQL types with decorators), so they are declared here and
 * test/web/import-report-type.test.ts checks them against the server's field by field.
 */
export interface ImportReport {
  importRunId: number;
  file: string;
  sha256: string | null;
  status:
    | "RUNNING"
    | "DRY_RUN"
    | "IMPORTED"
    | "IMPORTED_WITH_SKIPPED_ROWS"
    | "REFUSED"
    | "INTERRUPTED";
  dryRun: boolean;
  reportingPeriod: string | null;
  /** Where the period came from ("the title", "the file name", …). */
  reportingPeriodSource: string | null;
  sheets: SheetSummary[];
  created: {
    type: string;
    name: string;
    partnership?: string;
    sheet: string;
    cell: string;
  }[];
  problems: ImportProblem[];
  errorCount: number;
  warningCount: number;
  omittedProblems: number;
  skippedRows: number;
  sameFileAs: number | null;
  durationMs: number;
  /** The cells around the problems, per sheet (importers/problem-grids.ts). */
  problemGrids: ProblemGrid[];
  /** The workbook's shape (importers/workbook-shape.ts), null when it was not read. */
  shapeKey: string | null;
  /** The answers the run used (given, and remembered ones), in the mapping profile's format. */
  answers: MappingProfile | null;
  /** The remembered answers the run used, and the import run that gave them. */
  rememberedAnswers: {
    profileId: number;
    importRunId: number;
    reportingPeriod: string | null;
    answers: MappingProfile;
  } | null;
  /** The profile a successful import remembered its answers in. */
  savedProfile: { profileId: number; created: boolean } | null;
}

/** The cells of one sheet around its problems (schema/problem-grid.ts). */
export interface ProblemGrid {
  sheet: string;
  columns: string[];
  rows: { row: number; cells: (string | null)[] }[];
  headerRow: number | null;
  wholeSheet: boolean;
  omittedProblems: number;
}
