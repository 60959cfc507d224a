/**
 * The JSON answer of POST /imports (ImportReportAnswer in server/import-route.ts: the report
 * `sshub import --json` prints, without the server's file path). The page cannot import the
 * server's modules, so test/web/import-report-type.test.ts checks this against it field by field.
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
    period: string | null;
    periodSource: string | null;
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
}
