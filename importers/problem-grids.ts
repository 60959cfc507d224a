import { displayableText } from "../db/storable-text.js";
import type { ProblemGrid } from "../schema/problem-grid.js";
import type { CellValue, SheetRow } from "./cell-value.js";
import { stat } from "node:fs/promises";
import type { ImportLimits } from "./import-limits.js";
import type { ImportProblem } from "./import-problem.js";
import { cellText, columnLetter, HEADER_SEARCH_ROWS } from "./locate-header.js";
import { readWorkbookFileSheets } from "./read-workbook-file-sheets.js";

/** How much of a sheet a grid may hold: small enough to keep on the run and send to a page. */
export const PROBLEM_GRID_LIMITS = {
  /** A sheet this small (rows × columns in use) is shown whole. */
  wholeSheetRows: 30,
  wholeSheetColumns: 15,
  /** Rows above and below, columns either side of each problem cell. */
  contextRows: 2,
  contextColumns: 3,
  /** The most rows and columns one grid shows around its problems. */
  maxRows: 60,
  maxColumns: 26,
  /** The most sheets that get a grid. */
  maxSheets: 10,
  /** A longer cell text is cut here, with "…". */
  maxCellChars: 200,
} as const;

/** "C12" → column 2 (0-based), row 12; null for anything else. */
export function parseCellAddress(
  address: string,
): { column: number; row: number } | null {
  const match = /^([A-Z]{1,3})(\d+)$/.exec(address.trim().toUpperCase());
  if (!match) return null;
  let column = 0;
  for (const letter of match[1]!)
    column = column * 26 + letter.charCodeAt(0) - 64;
  return { column: column - 1, row: Number(match[2]) };
}

/** A cell's text as shown, cut at `maxCellChars`, with what PostgreSQL cannot keep (a NUL) made visible. */
function gridText(value: CellValue | undefined): string | null {
  const text = displayableText(cellText(value));
  if (text === "") return null;
  // Cut by characters, not UTF-16 units: half a surrogate pair could not be kept either.
  const characters = [...text];
  return characters.length > PROBLEM_GRID_LIMITS.maxCellChars
    ? `${characters.slice(0, PROBLEM_GRID_LIMITS.maxCellChars).join("")}…`
    : text;
}

/** The places a sheet's problems point at, with its header row. */
interface SheetProblemCells {
  cells: { column: number; row: number }[];
  headerRow: number | null;
  /** A problem asks which row is the header: the rows it is searched in are shown. */
  topRows?: boolean;
}

/**
 * Collects one sheet's rows as they stream past and keeps the grid around its problems: every row
 * while the sheet may still be small, else only the rows near a problem (and the header row).
 */
export class ProblemGridBuilder {
  private readonly kept = new Map<number, CellValue[]>();
  private readonly wantedRows = new Set<number>();
  private readonly wantedColumns = new Set<number>();
  private readonly shownCells: { column: number; row: number }[] = [];
  /** The columns shown for the top rows, up to the last one in use. */
  private readonly topColumns = new Set<number>();
  private lastRow = 0;
  private lastColumn = -1;

  constructor(
    private readonly sheet: string,
    private readonly problems: SheetProblemCells,
  ) {
    const limits = PROBLEM_GRID_LIMITS;
    if (problems.headerRow !== null) this.wantedRows.add(problems.headerRow);
    this.wantedColumns.add(0);
    if (problems.topRows)
      for (let r = 1; r <= HEADER_SEARCH_ROWS; r++) {
        this.wantedRows.add(r);
        if (r <= limits.wholeSheetColumns) this.topColumns.add(r - 1);
      }
    for (const cell of problems.cells) {
      const rows = new Set(this.wantedRows);
      for (
        let r = cell.row - limits.contextRows;
        r <= cell.row + limits.contextRows;
        r++
      )
        if (r >= 1) rows.add(r);
      const columns = new Set(this.wantedColumns);
      for (
        let c = cell.column - limits.contextColumns;
        c <= cell.column + limits.contextColumns;
        c++
      )
        if (c >= 0) columns.add(c);
      // Past the bounds, the problem stays in the list but not on the grid.
      if (rows.size > limits.maxRows || columns.size > limits.maxColumns)
        continue;
      rows.forEach((r) => this.wantedRows.add(r));
      columns.forEach((c) => this.wantedColumns.add(c));
      this.shownCells.push(cell);
    }
  }

  /** Takes the next row of the sheet. */
  add(row: SheetRow): void {
    this.lastRow = Math.max(this.lastRow, row.number);
    let last = -1;
    row.cells.forEach((value, c) => {
      if (value !== null && value !== undefined && cellText(value) !== "")
        last = c;
    });
    this.lastColumn = Math.max(this.lastColumn, last);
    if (
      row.number <= PROBLEM_GRID_LIMITS.wholeSheetRows ||
      this.wantedRows.has(row.number)
    )
      this.kept.set(row.number, row.cells);
  }

  /** The grid, once the sheet has been read. */
  grid(): ProblemGrid {
    const limits = PROBLEM_GRID_LIMITS;
    const whole =
      this.lastRow <= limits.wholeSheetRows &&
      this.lastColumn < limits.wholeSheetColumns;
    const columnCount = Math.max(
      this.lastColumn + 1,
      ...this.problems.cells.map((c) => c.column + 1),
    );
    const columns = whole
      ? Array.from({ length: Math.max(columnCount, 1) }, (_, c) => c)
      : [
          ...new Set([
            ...this.wantedColumns,
            ...[...this.topColumns].filter((c) => c <= this.lastColumn),
          ]),
        ].sort((a, b) => a - b);
    const rowNumbers = whole
      ? Array.from(
          {
            length: Math.max(
              this.lastRow,
              ...this.problems.cells.map((c) => c.row),
            ),
          },
          (_, r) => r + 1,
        )
      : [...this.wantedRows].sort((a, b) => a - b);
    const shown = whole ? this.problems.cells : this.shownCells;
    return {
      sheet: this.sheet,
      columns: columns.map(columnLetter),
      rows: rowNumbers.map((row) => {
        const cells = this.kept.get(row) ?? [];
        return { row, cells: columns.map((c) => gridText(cells[c])) };
      }),
      headerRow: this.problems.headerRow,
      wholeSheet: whole,
      omittedProblems: this.problems.cells.length - shown.length,
    };
  }
}

/** The problems with a cell, by sheet, in the order met. */
function problemCellsBySheet(
  problems: readonly ImportProblem[],
  headerRows: ReadonlyMap<string, number | null>,
): Map<string, SheetProblemCells> {
  const bySheet = new Map<string, SheetProblemCells>();
  for (const problem of problems) {
    const topRows = problem.answer?.option === "header-row";
    if (!problem.sheet || (!problem.cell && !topRows)) continue;
    const place = problem.cell ? parseCellAddress(problem.cell) : null;
    if (!place && !topRows) continue;
    let entry = bySheet.get(problem.sheet);
    if (!entry) {
      if (bySheet.size >= PROBLEM_GRID_LIMITS.maxSheets) continue;
      entry = {
        cells: [],
        headerRow: headerRows.get(problem.sheet) ?? null,
        topRows: false,
      };
      bySheet.set(problem.sheet, entry);
    }
    if (place) entry.cells.push(place);
    if (topRows) entry.topRows = true;
  }
  return bySheet;
}

/**
 * Reads the workbook at `path` once more and returns, for each sheet with problems on cells, the
 * grid of cells around them (bounded by PROBLEM_GRID_LIMITS), as the importer read them. Empty when
 * no problem has a cell, when the file cannot be read again (its problems say why), or when it is
 * one the importer reads in a worker (`limits.workerFromBytes` up): reading it again on this thread
 * would cost what the worker is there to spare; its problems stay in the list and the workbook.
 */
export async function readProblemGrids(
  path: string,
  file: string,
  problems: readonly ImportProblem[],
  headerRows: ReadonlyMap<string, number | null>,
  limits: ImportLimits,
): Promise<ProblemGrid[]> {
  const bySheet = problemCellsBySheet(problems, headerRows);
  if (bySheet.size === 0) return [];
  const grids: ProblemGrid[] = [];
  try {
    if ((await stat(path)).size >= limits.workerFromBytes) return [];
    for await (const sheet of readWorkbookFileSheets(path, file, limits)) {
      // Problems name sheets as displayable text (import-problem.ts), so the grid does too.
      const name = displayableText(sheet.name);
      const cells = bySheet.get(name);
      if (!cells) continue;
      const builder = new ProblemGridBuilder(name, cells);
      for await (const row of sheet.rows) builder.add(row);
      grids.push(builder.grid());
    }
  } catch {
    // The import has already said why the file cannot be read; the page shows the list instead.
    return grids;
  }
  return grids;
}
