import { displayableText } from "../db/storable-text.js";
import type { SheetKind } from "./header-synonyms.js";

/**
 * The stable codes of every problem the importer reports. Analysts and scripts match on these, so a
 * code never changes meaning; the sentence beside it may be reworded.
 */
export type ProblemCode =
  | "unreadable-file"
  | "encrypted-file"
  | "empty-file"
  | "bad-encoding"
  | "misnamed-file"
  | "too-large"
  | "hidden-sheet"
  | "unknown-sheet"
  | "no-readable-sheet"
  | "unknown-column"
  | "unknown-council"
  | "ambiguous-council"
  | "unknown-partnership"
  | "unknown-service"
  | "bad-amount"
  | "bad-financial-year"
  | "bad-date"
  | "bad-value"
  | "bad-period"
  | "missing-value"
  | "duplicate-row"
  | "similar-name"
  | "formula-without-value"
  | "figure-to-follow"
  | "text-too-long"
  | "partnership-from-workbook"
  | "total-mismatch"
  | "total-not-checked"
  | "incomplete-figure"
  | "merged-figure"
  | "not-a-member";

/** Errors stop the file being written (unless rows can be skipped); warnings are only reported. */
export type ProblemSeverity = "error" | "warning";

/**
 * The answer `sshub import` takes that settles a refusal, for the page to offer beside it: the
 * header row (`--header-row`), a role for one of the columns not read (`--column`), what the sheet
 * is (`--kind`), what its figures measure (`--measure`), or its partnership (`--partnership`).
 */
export type ProblemAnswer =
  | { option: "header-row" }
  | {
      option: "column";
      /** The kind the sheet comes closest to (or was read as), whose roles a column can take. */
      kind: SheetKind;
      /** The roles it lacks. */
      roles: string[];
      /** The columns it did not read: each header as written, and its cell. */
      columns: { header: string; cell: string }[];
    }
  | { option: "kind" }
  | { option: "measure" }
  | { option: "partnership" };

/** One problem met while importing, pinned to the file, sheet and cell it concerns. */
export interface ImportProblem {
  code: ProblemCode;
  severity: ProblemSeverity;
  /** A sentence an analyst understands: what is wrong and, where possible, how to fix it. */
  message: string;
  file: string;
  sheet?: string;
  /** A1 reference of the cell, e.g. "C12". */
  cell?: string;
  /** The column's header as written. */
  header?: string;
  /** The cell's value as written (text form). */
  value?: string;
  /** The worksheet row (1-based) the problem belongs to, when it belongs to one row. */
  row?: number;
  /** The option that would settle it, when one would (see ProblemAnswer). */
  answer?: ProblemAnswer;
}

/** Where a problem was met; the collector fills in the file. */
export type ProblemInput = Omit<ImportProblem, "file" | "severity"> & {
  severity?: ProblemSeverity;
};

const WARNING_CODES: ReadonlySet<ProblemCode> = new Set([
  "hidden-sheet",
  "unknown-sheet",
  "misnamed-file",
  "unknown-column",
  "similar-name",
  "figure-to-follow",
  "partnership-from-workbook",
  "total-mismatch",
  "total-not-checked",
  "incomplete-figure",
  "not-a-member",
]);

/**
 * The problem with every text it quotes made displayable: a cell or sheet name holding a NUL or half
 * a character is reported (and stored in the run's report, which PostgreSQL's json refuses them in)
 * with those characters shown, not lost with the report.
 */
function displayableProblem(input: ProblemInput): ProblemInput {
  const { sheet, cell, header, value } = input;
  return {
    ...input,
    message: displayableText(input.message),
    ...(sheet === undefined ? {} : { sheet: displayableText(sheet) }),
    ...(cell === undefined ? {} : { cell: displayableText(cell) }),
    ...(header === undefined ? {} : { header: displayableText(header) }),
    ...(value === undefined ? {} : { value: displayableText(value) }),
  };
}

/**
 * Collects the problems of one file. Keeps at most `limit` of them in full (a broken 1,000,000-row
 * file must not hold a million messages in memory) while still counting every one.
 */
export class ProblemCollector {
  readonly problems: ImportProblem[] = [];
  errorCount = 0;
  warningCount = 0;
  /** Errors that do not belong to one row: they refuse the file even with --skip-invalid-rows. */
  fileErrorCount = 0;
  /** Rows (by sheet name and row number) that have at least one error. */
  readonly invalidRows = new Map<string, Set<number>>();

  constructor(
    readonly file: string,
    private readonly limit = 10_000,
  ) {}

  /** Records a problem; the severity defaults from the code (warnings for informational codes). */
  add(input: ProblemInput): ImportProblem {
    const severity =
      input.severity ?? (WARNING_CODES.has(input.code) ? "warning" : "error");
    const problem: ImportProblem = {
      ...displayableProblem(input),
      severity,
      file: this.file,
    };
    if (severity === "error") {
      this.errorCount++;
      if (input.sheet !== undefined && input.row !== undefined) {
        let rows = this.invalidRows.get(input.sheet);
        if (!rows) this.invalidRows.set(input.sheet, (rows = new Set()));
        rows.add(input.row);
      } else this.fileErrorCount++;
    } else this.warningCount++;
    if (this.problems.length < this.limit) this.problems.push(problem);
    return problem;
  }

  /** True when the row has an error and must not be written. */
  rowIsInvalid(sheet: string, row: number): boolean {
    return this.invalidRows.get(sheet)?.has(row) ?? false;
  }

  /** How many problems were counted but not kept. */
  get omitted(): number {
    return this.errorCount + this.warningCount - this.problems.length;
  }
}
