import { readAmount } from "./coerce-amount.js";
import type { ProblemCollector } from "./import-problem.js";
import { columnLetter } from "./locate-header.js";
import type { CellValue } from "./read-workbook-sheets.js";
import { MEASURES, type SavingsRows } from "./savings-rows.js";
import { fromPence } from "../schema/pence-text.js";
import { formatFinancialYear } from "../schema/financial-year-text.js";

/** A figure as SavingsRows.push takes it. */
export type SavingsFigureRow = Parameters<SavingsRows["push"]>[0];

/**
 * One year's figure by its quarters, as they are read (a row's quarter columns across, or a
 * tracker's rows a quarter): their sum and what kept it unknown.
 */
export interface QuarterSum<T> {
  /** The first quarter's: the figure's measure and cell (its column across, its row down). */
  first: T;
  /** Where each quarter was read: its column index across, its row number down. */
  places: number[];
  /** The sum of the quarters written; null while none is. */
  pence: bigint | null;
  /** Where a quarter could not be read (reported at its cell); null while none. */
  unreadable: number | null;
  /** A quarter is "tbc" (warned of at its cell). */
  toFollow: boolean;
}

/**
 * Adds one quarter's cell to its year's sum (started with `first` when there is none yet): a blank
 * quarter adds nothing, so that the year's figure is the sum of the quarters written (a June
 * tracker's Q1 actual alone is the year's so far). `place`: the quarter's column across, row down.
 */
export function addQuarter<T>(
  sum: QuarterSum<T> | undefined,
  first: T,
  place: number,
  pence: bigint | null | undefined,
  value: CellValue,
): QuarterSum<T> {
  sum ??= {
    first,
    places: [],
    pence: null,
    unreadable: null,
    toFollow: false,
  };
  sum.places.push(place);
  if (pence === undefined) sum.unreadable ??= place;
  else if (pence !== null) sum.pence = (sum.pence ?? 0n) + pence;
  else if (readAmount(value, 1n).kind === "pending") sum.toFollow = true;
  return sum;
}

/**
 * The year's figure its quarters make: their exact sum. Null when there is none to record: no
 * quarter written, one unreadable (an error at its cell), or one to follow ("tbc", warned of at its
 * cell), which leaves the year's figure to follow too.
 */
export function yearOfQuarters<T>(sum: QuarterSum<T>): bigint | null {
  if (sum.unreadable !== null || sum.toFollow) return null;
  return sum.pence;
}

/** A figure's rows by quarter, gathered until the table is read. */
interface QuarterRows {
  /** The quarters' sum; undefined while only rows of the whole year are seen. */
  sum?: QuarterSum<SavingsFigureRow>;
  /** The row each quarter was read on (a quarter twice is a duplicate-row error). */
  seen: Map<number, number>;
  /** Rows of the whole year ("Full year", "Total", "YTD" in the Quarter column): checks of the sum. */
  yearTotals: { figure: SavingsFigureRow; pence: bigint }[];
  /** Rows of a quarter already read (each a duplicate-row error). */
  duplicates: number[];
  /** Each quarter's amount as read ("unknown": unreadable or to follow), for the years to date. */
  amounts: Map<number, bigint | null | "unknown">;
  /** A year to date beside a quarter's amount: its quarter, cell and what it says. */
  yearsToDate: {
    quarter: number;
    column: number;
    row: number;
    pence: bigint;
  }[];
}

/** A row of a quarter carried with an error, with what it names of its figures. */
export interface SkippedQuarter {
  row: number;
  service: string;
  partnership: string | null;
  /** Undefined where the row may hold any council's figures (a cross-tab's row). */
  council: string | null | undefined;
  /** Undefined where the row's year or measure could not be read: it may be any figure's. */
  year: number | undefined;
  measure: { measure: number; cashable: boolean } | undefined;
}

/** Whether a skipped quarter row may be one of the figure's quarters: all it names agrees. */
function namesFigure(
  quarter: SkippedQuarter,
  figure: SavingsFigureRow,
): boolean {
  return (
    quarter.service === figure.service &&
    quarter.partnership === figure.partnership &&
    (quarter.council === undefined || quarter.council === figure.council) &&
    (quarter.year === undefined || quarter.year === figure.year) &&
    (quarter.measure === undefined ||
      (quarter.measure.measure === figure.measure &&
        quarter.measure.cashable === figure.cashable))
  );
}

/**
 * The figures of a tracker of a row a quarter, long (Service | Year | Quarter | Amount) or wide
 * (Service | Quarter | 2010/11 | 2011/12, a figure a year column): each figure (service,
 * partnership, council, year, measure, cashable) is the exact sum of its quarter rows wherever
 * they stand (addQuarter and yearOfQuarters, as a wide tracker's quarters across). A quarter twice
 * is a duplicate-row error naming both cells; a row of the whole year ("Full year", "Total", "YTD"
 * in the Quarter column) is checked against the quarters, or is the year's figure when its figure
 * has no quarter rows. The one rule of quarter rows, for both layouts.
 */
export class QuarterRowFigures {
  private readonly figures = new Map<string, QuarterRows>();
  private readonly skipped: SkippedQuarter[] = [];

  constructor(
    private readonly sheet: string,
    private readonly problems: ProblemCollector,
  ) {}

  private rows(figure: SavingsFigureRow): QuarterRows {
    const key = [
      figure.service,
      figure.partnership,
      figure.council,
      figure.year,
      figure.measure,
      figure.cashable,
    ].join("\u0000");
    let rows = this.figures.get(key);
    if (!rows)
      this.figures.set(
        key,
        (rows = {
          seen: new Map(),
          yearTotals: [],
          duplicates: [],
          amounts: new Map(),
          yearsToDate: [],
        }),
      );
    return rows;
  }

  /**
   * Adds the cell of one quarter of a figure (`figure.row` and `figure.column` are its place; its
   * pence are the sum's, not this cell's): `pence` as RowCells.amount read it, `value` as written;
   * `yearToDate`, the year to date written beside it (its column and amount), checked at the end.
   */
  addQuarter(
    figure: SavingsFigureRow,
    quarter: number,
    pence: bigint | null | undefined,
    value: CellValue,
    yearToDate?: { column: number; pence: bigint },
  ): void {
    const rows = this.rows(figure);
    const first = rows.seen.get(quarter);
    if (first !== undefined) {
      const cell = `${columnLetter(figure.column)}${figure.row}`;
      const earlier = `${columnLetter(figure.column)}${first}`;
      this.problems.add({
        code: "duplicate-row",
        sheet: this.sheet,
        row: figure.row,
        cell,
        message: `The figure in ${this.sheet}!${cell} is quarter ${quarter} again of the one in ${this.sheet}!${earlier} (same service, council, year, measure, cashable kind and quarter): keep one of them.`,
      });
      rows.duplicates.push(figure.row);
      return;
    }
    rows.seen.set(quarter, figure.row);
    rows.amounts.set(
      quarter,
      pence === undefined || readAmount(value, 1n).kind === "pending"
        ? "unknown"
        : pence,
    );
    if (yearToDate)
      rows.yearsToDate.push({ quarter, row: figure.row, ...yearToDate });
    rows.sum = addQuarter(
      rows.sum,
      { ...figure, pence: 0n },
      figure.row,
      pence,
      value,
    );
  }

  /** Notes a row of a quarter carried with an error: the figures it may belong to are left out. */
  skipQuarter(quarter: SkippedQuarter): void {
    this.skipped.push(quarter);
  }

  /** Adds a row of a figure's whole year ("Full year", "Total", "YTD" in the Quarter column). */
  addYearTotal(figure: SavingsFigureRow, pence: bigint): void {
    this.rows(figure).yearTotals.push({ figure, pence });
  }

  /**
   * Hands `push` each figure its quarters make, and checks each row of the whole year against its
   * quarters: one that disagrees is a total-mismatch warning naming both. A row of the whole year
   * with no quarter rows of its figure is that year's figure. A figure one of whose quarter rows has
   * an error (an unreadable amount, a quarter twice, a row skipped with --skip-invalid-rows) is no
   * sum of its quarters: it is carried on that row, never to be written, with an incomplete-figure
   * warning naming the quarter's cell, and its whole year's rows are not checked against the rest.
   * `header`: a column's header.
   */
  finish(
    push: (figure: SavingsFigureRow) => void,
    header: (column: number) => string,
  ): void {
    const carried = new Set(this.skipped.map((q) => q.row));
    for (const rows of this.figures.values()) {
      const { sum, yearTotals } = rows;
      const figure = sum?.first ?? yearTotals[0]?.figure;
      if (!figure) continue;
      const skipped = [
        ...new Set([
          ...(sum?.unreadable != null ? [sum.unreadable] : []),
          ...[...rows.seen.values()].filter((row) =>
            this.problems.rowIsInvalid(this.sheet, row),
          ),
          ...rows.duplicates,
          ...this.skipped
            .filter((q) => namesFigure(q, figure))
            .map((q) => q.row),
        ]),
      ].sort((a, b) => a - b);
      if (skipped.length > 0) {
        // Carried on a skipped row that carries nothing of its own yet.
        const row = skipped.find((r) => !carried.has(r));
        if (row !== undefined) push({ ...figure, row, pence: 0n });
        this.warnIncomplete(figure, skipped);
        continue;
      }
      this.checkYearsToDate(rows, header);
      for (const total of yearTotals) {
        if (!sum) {
          push({ ...total.figure, pence: total.pence });
          continue;
        }
        const quarters = yearOfQuarters(sum);
        if (quarters === null || quarters === total.pence) continue;
        const column = columnLetter(total.figure.column);
        const cell = `${column}${total.figure.row}`;
        const places = [...sum.places]
          .sort((a, b) => a - b)
          .map((r) => `${column}${r}`)
          .join(", ");
        this.problems.add({
          code: "total-mismatch",
          sheet: this.sheet,
          row: total.figure.row,
          cell,
          header: header(total.figure.column),
          value: `£${fromPence(total.pence)}`,
          message: `The whole year's figure in ${cell} says £${fromPence(total.pence)}, but its quarters ${places} add up to £${fromPence(quarters)}: correct the total or the quarters. (Totals are checked, never imported; the year's figure is the quarters' sum.)`,
        });
      }
      if (!sum) continue;
      const pence = yearOfQuarters(sum);
      if (pence !== null) push({ ...sum.first, pence });
    }
    this.figures.clear();
    this.skipped.length = 0;
  }

  /** Warns once that a figure whose quarter rows `skipped` have errors is not stored. */
  private warnIncomplete(figure: SavingsFigureRow, skipped: number[]): void {
    const column = columnLetter(figure.column);
    const places = skipped.map((row) => `${column}${row}`).join(", ");
    const whose = `"${figure.service}"${figure.council ? ` (${figure.council})` : ""}`;
    this.problems.add({
      code: "incomplete-figure",
      sheet: this.sheet,
      row: skipped[0]!,
      cell: `${column}${skipped[0]!}`,
      message: `The ${formatFinancialYear(figure.year)} ${MEASURES[figure.measure]!.toLowerCase()} figure of ${whose} is the sum of its quarter rows, and ${skipped.length === 1 ? `the quarter in ${places} has an error` : `the quarters in ${places} have errors`}: nothing is stored for that year until every quarter row can be read. Correct ${skipped.length === 1 ? "that row" : "those rows"} and import the file again.`,
    });
  }

  /**
   * Checks each year to date written beside a quarter's amount against the figure's quarters up to
   * it (a blank quarter adds nothing): one that disagrees is a total-mismatch warning naming it and
   * the quarters' cells. A quarter that could not be read, or is to follow, leaves it unchecked.
   */
  private checkYearsToDate(
    rows: QuarterRows,
    header: (column: number) => string,
  ): void {
    for (const ytd of rows.yearsToDate) {
      let pence = 0n;
      const places: string[] = [];
      let known = true;
      for (const [quarter, row] of [...rows.seen].sort((a, b) => a[0] - b[0])) {
        if (quarter > ytd.quarter) break;
        const amount = rows.amounts.get(quarter);
        if (amount === "unknown") known = false;
        else if (amount !== null && amount !== undefined) pence += amount;
        places.push(`${columnLetter(rows.sum!.first.column)}${row}`);
      }
      if (!known || pence === ytd.pence) continue;
      const cell = `${columnLetter(ytd.column)}${ytd.row}`;
      this.problems.add({
        code: "total-mismatch",
        sheet: this.sheet,
        row: ytd.row,
        cell,
        header: header(ytd.column),
        value: `£${fromPence(ytd.pence)}`,
        message: `The year to date in ${cell} says £${fromPence(ytd.pence)}, but its quarters to quarter ${ytd.quarter} (${places.join(", ")}) add up to £${fromPence(pence)}: correct the year to date or the quarters. (A year to date is checked, never imported; the year's figure is the quarters' sum.)`,
      });
    }
  }
}
