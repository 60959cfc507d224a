import type {
  ColumnRole,
  SheetKind,
} from "../../../importers/header-synonyms.js";
import type { ProblemAnswer } from "../../../importers/import-problem.js";
import type { PeriodLayout } from "../../../importers/period-in-file-name.js";
import type { SavingsMeasure } from "../../../schema/savings-measure.js";

/**
 * The report of an ended import job, GET /imports/jobs/ID (ImportReportAnswer in server/import-route.ts: the report
 * `sshub import --json` prints, without the server's file path). The page cannot import the
 * server's modules, so test/web/import-report-type.test.ts checks this against it field by field.
 */
/** Answers in the mapping profile's format (MappingProfile in importers/mapping-profile.ts). */
export interface ImportAnswersUsed {
  synonyms?: Partial<Record<ColumnRole, string[]>>;
  columns?: Record<string, ColumnRole | "ignore">;
  kind?: SheetKind;
  headerRow?: number | Record<string, number>;
  partnership?: string;
  measure?: SavingsMeasure;
  periodInFileName?: PeriodLayout;
}

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
  sheets: {
    sheet: string;
    kind: string | null;
    status: "read" | "hidden" | "unknown";
    rowsRead: number;
    created: number;
    updated: number;
    unchanged: number;
    removed: number;
    problems: number;
    /** The sheet's reporting period "YYYY-MM" and where it was read. */
    period: string | null;
    periodSource: string | null;
    /** The header row found, each column's use, where partnership and measure come from. */
    header: SheetReadingFacts | null;
  }[];
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
  answers: ImportAnswersUsed | null;
  /** The remembered answers the run used, and the import run that gave them. */
  rememberedAnswers: {
    profileId: number;
    importRunId: number;
    reportingPeriod: string | null;
    answers: ImportAnswersUsed;
  } | null;
  /** The profile a successful import remembered its answers in. */
  savedProfile: { profileId: number; created: boolean } | null;
}

/** What the importer read from a sheet's header (importers/sheet-reading-facts.ts). */
export interface SheetReadingFacts {
  headerRow: number;
  columns: (
    | { column: string; header: string; use: "role"; role: string }
    | {
        column: string;
        header: string;
        use: "year";
        year: string;
        measure: string | null;
        /** The quarter (1-4) a column of a year's quarters holds. */
        quarter?: number;
        /** A column totalling the year's quarters (checked, never a figure). */
        totalOfQuarters?: true;
      }
    | {
        column: string;
        header: string;
        use: "council-seats" | "council-part" | "row-total" | "unknown";
      }
  )[];
  partnership: { value: string | null; source: string } | null;
  measure: { value: string | null; source: string } | null;
  /** Where a tracker's financial years come from ("the title line ..."). */
  financialYear: { value: string | null; source: string } | null;
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

/** One problem the importer met, with its place. */
export interface ImportProblem {
  code: string;
  severity: "error" | "warning";
  message: string;
  file: string;
  sheet?: string;
  cell?: string;
  header?: string;
  value?: string;
  row?: number;
  /** The answer (an import option) that would settle it: the page offers it. */
  answer?: ProblemAnswer;
}
