/** The JSON answer of POST /imports: the report `sshub import --json` prints (importers/import-workbook.ts). */
export interface ImportReport {
  importRunId: number;
  file: string;
  sha256: string | null;
  status:
    | "RUNNING"
    | "DRY_RUN"
    | "IMPORTED"
    | "IMPORTED_WITH_SKIPPED_ROWS"
    | "REFUSED";
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
