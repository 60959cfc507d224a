import { SavingsMeasure } from "../schema/savings-measure.js";
import { memoise } from "./memoise.js";
import { TotalRowChecker } from "./check-total-rows.js";
import type { ProblemCollector } from "./import-problem.js";
import {
  MEASURE_OPTION_WORDS,
  readCashableWords,
  readMeasure,
} from "./read-measure.js";
import { splitFootnoteMark } from "./record-names.js";
import { isFilled, type KindRowReader, type RowCells } from "./row-cells.js";
import { readAmount } from "./coerce-amount.js";
import { yearFigureKey, type YearColumn } from "./map-columns.js";
import type { CellValue, SheetRow } from "./read-workbook-sheets.js";
import { fromPence } from "../schema/pence-text.js";
import { formatFinancialYear } from "../schema/financial-year-text.js";
import { SavingsRows } from "./savings-rows.js";
import type { SavingsSheetReading, SheetFacts } from "./sheet-reading.js";

/** Measures in the order their index is stored. */
export const MEASURES: readonly SavingsMeasure[] = [
  SavingsMeasure.TARGET,
  SavingsMeasure.ESTIMATE,
  SavingsMeasure.FORECAST,
  SavingsMeasure.ACHIEVED,
];

/** How a council writes a RAG status, read as the word it stands for. */
const RAG_WORDS: Readonly<Record<string, string>> = {
  r: "Red",
  red: "Red",
  a: "Amber",
  amber: "Amber",
  g: "Green",
  green: "Green",
};

/**
 * Reads a savings tracker's rows into SavingsRows: a figure a row (savings-long: year, amount and
 * measure columns) or a figure a filled year column (savings-wide). A row with a bad cell is still
 * carried (never to be written) so that its council and service are checked with the rest.
 */
export class SavingsRowReader implements KindRowReader<SavingsSheetReading> {
  readonly reading: SavingsSheetReading;
  private readonly measureText = memoise(readMeasure);
  private readonly cashableWords = memoise(readCashableWords);
  private readonly serviceName = memoise(
    (key: string) => splitFootnoteMark(key).name,
  );
  private readonly ragText = memoise(
    (written: string) => RAG_WORDS[written.toLowerCase()] ?? written,
  );
  /** The first title line's measure ("Forecast savings 2010/11"), else --measure's. */
  private readonly titleMeasure: ReturnType<typeof readMeasure>;
  /** "Cashable savings" or "Non-cashable" in a title line, else null. */
  private readonly titleCashable: boolean | null;
  /** True when nothing in the sheet names a measure and no --measure was given (reported once). */
  private readonly namesNoMeasure: boolean;
  private readonly totals = new TotalRowChecker();
  /**
   * A wide tracker's figure and total columns in column order, when it has Total columns (each is
   * checked against the figures left of it); a quarters' total only starts the next section.
   */
  private readonly acrossColumns: readonly {
    index: number;
    kind: "figure" | "total" | "boundary";
    /** A figure's measure (a total's: the figures it totals), or "all". */
    lane: SavingsMeasure | "all";
    scale?: bigint;
  }[];
  /** A long tracker's quarter rows by the figure they make (see readLong and finish). */
  private readonly quarterRows = new Map<string, QuarterRows>();

  /**
   * `measure` is --measure (or the profile's): what the figures measure where the sheet names none.
   * A sheet that names no measure anywhere, without it, is reported once rather than on every row.
   */
  constructor(
    facts: SheetFacts & { kind: SavingsSheetReading["kind"] },
    private readonly cells: RowCells,
    measure: SavingsMeasure | undefined,
    private readonly problems: ProblemCollector,
  ) {
    this.reading = { ...facts, savings: new SavingsRows() };
    const lines = facts.title.lines;
    this.titleMeasure =
      lines.map((line) => readMeasure(line)).find(Boolean) ??
      (measure ? { measure, cashable: null } : null);
    this.titleCashable =
      lines.map(readCashableWords).find((c) => c !== null) ?? null;
    const map = facts.map;
    // A total naming a measure totals the figures of that measure, where the headers name them.
    const measures = new Set(
      [...map.councilFigureColumns, ...map.yearColumns].map((c) => c.measure),
    );
    const lane = (measure: SavingsMeasure | null): SavingsMeasure | "all" =>
      measure !== null && measures.has(measure) ? measure : "all";
    this.acrossColumns =
      map.rowTotals.length === 0
        ? []
        : [
            ...[...map.councilFigureColumns, ...map.yearColumns].map(
              (column) => ({
                index: column.index,
                kind: "figure" as const,
                lane: lane(column.measure),
              }),
            ),
            ...map.quarterTotals.map((column) => ({
              index: column.index,
              kind: "boundary" as const,
              lane: "all" as const,
            })),
            ...map.rowTotals.map((column) => ({
              index: column.index,
              kind: "total" as const,
              lane: lane(column.measure),
              ...(column.scale !== 1n ? { scale: column.scale } : {}),
            })),
          ].sort((a, b) => a.index - b.index);
    this.namesNoMeasure =
      this.titleMeasure === null &&
      map.amountMeasure === null &&
      !map.roles.has("measure") &&
      map.yearColumns.every((column) => column.measure === null) &&
      map.councilFigureColumns.every((column) => column.measure === null);
    if (this.namesNoMeasure) {
      const anchor =
        map.roles.get("amount") ??
        map.yearColumns[0]?.index ??
        map.councilFigureColumns[0]?.index ??
        0;
      problems.add({
        code: "missing-value",
        sheet: facts.name,
        cell: cells.cell(anchor, facts.headerRow),
        header: map.headers[anchor] ?? "",
        answer: { option: "measure" },
        message: `Sheet "${facts.name}" does not say what its figures measure: it has no Measure column, and no header, sub-header or title line names Target, Estimate, Forecast or Achieved. Add a Measure column or name the measure in the header or title, or import with --measure ${MEASURE_OPTION_WORDS}.`,
      });
    }
  }

  read(row: SheetRow, key: string): void {
    if (this.reading.kind === "savings-long") this.readLong(row, key);
    else this.readWide(row, key);
  }

  private readLong(row: SheetRow, key: string): void {
    const { cells } = this;
    const map = this.reading.map;
    const year = this.financialYear(row);
    const amountIndex = map.roles.get("amount")!;
    const pence = cells.amount(row, amountIndex);
    cells.countForTotals(this.totals, row, amountIndex, pence);
    const measure = this.measure(
      row,
      { measure: null, cashable: null },
      amountIndex,
    );
    const quarterIndex = map.roles.get("quarter");
    const quarter =
      quarterIndex === undefined ? null : cells.quarter(row, quarterIndex);
    if (
      quarter !== null &&
      quarter !== undefined &&
      quarter !== "total" &&
      quarter.year !== null &&
      year !== undefined &&
      quarter.year !== year
    ) {
      cells.problem(
        "bad-value",
        row,
        quarterIndex!,
        `${cells.cell(quarterIndex!, row.number)} names a quarter of ${formatFinancialYear(quarter.year)}, but the row's financial year is ${formatFinancialYear(year)}: correct one of them.`,
      );
      return this.carry(row, key, amountIndex, year, measure, pence);
    }
    if (
      quarter === null ||
      quarter === undefined ||
      year === undefined ||
      measure === undefined
    )
      return this.carry(row, key, amountIndex, year, measure, pence);
    // A row a quarter: the quarters of one figure are summed into it once the table is read (an
    // unreadable amount leaves the whole figure out with its row).
    const extra = cells.extra(row);
    const figure: SavingsFigureRow = {
      row: row.number,
      column: amountIndex,
      service: this.serviceName(key),
      partnership: cells.roleText(row, "partnership"),
      council: cells.roleText(row, "council"),
      year,
      measure: measure.measure,
      cashable: measure.cashable,
      pence: 0n,
      rag: this.rag(row),
      extra: extra ? JSON.stringify(extra) : null,
    };
    const figureKey = [
      figure.service,
      figure.partnership,
      figure.council,
      year,
      measure.measure,
      measure.cashable,
    ].join("\u0000");
    let rows = this.quarterRows.get(figureKey);
    if (!rows)
      this.quarterRows.set(
        figureKey,
        (rows = { seen: new Map(), yearTotals: [] }),
      );
    if (quarter === "total") {
      if (pence === undefined)
        return this.carry(row, key, amountIndex, year, measure, pence);
      rows.yearTotals.push({ figure, pence });
      return;
    }
    const first = rows.seen.get(quarter.quarter);
    if (first !== undefined) {
      const cell = cells.cell(amountIndex, row.number);
      const earlier = cells.cell(amountIndex, first);
      this.problems.add({
        code: "duplicate-row",
        sheet: this.reading.name,
        row: row.number,
        cell,
        message: `The figure in ${this.reading.name}!${cell} is quarter ${quarter.quarter} again of the one in ${this.reading.name}!${earlier} (same service, council, year, measure, cashable kind and quarter): keep one of them.`,
      });
      return;
    }
    rows.seen.set(quarter.quarter, row.number);
    rows.sum = addQuarter(
      rows.sum,
      figure,
      row.number,
      pence,
      row.cells[amountIndex] ?? null,
    );
  }

  /**
   * Records a long tracker's row as it stands: a figure, or a row with an error carried (never to
   * be written) so that its council and service are checked with the rest and every problem of the
   * row is reported at once. A row with no figure ("-", "n/a") and no error is none.
   */
  private carry(
    row: SheetRow,
    key: string,
    amountIndex: number,
    year: number | undefined,
    measure: { measure: number; cashable: boolean } | undefined,
    pence: bigint | null | undefined,
  ): void {
    const { cells } = this;
    const invalid =
      year === undefined || pence === undefined || measure === undefined;
    if (pence === null && !invalid) return; // "-", "n/a": no figure
    const extra = cells.extra(row);
    this.reading.savings.push({
      row: row.number,
      column: amountIndex,
      service: this.serviceName(key),
      partnership: cells.roleText(row, "partnership"),
      council: cells.roleText(row, "council"),
      year: year ?? 0,
      measure: measure?.measure ?? 0,
      cashable: measure?.cashable ?? true,
      pence: pence ?? 0n,
      rag: this.rag(row),
      extra: extra ? JSON.stringify(extra) : null,
    });
  }

  /**
   * Records each figure of a long tracker's quarter rows as the sum of its quarters (yearOfQuarters,
   * as a wide tracker's quarters across), and checks its rows of the whole year ("Full year",
   * "Total" in the Quarter column) against that sum: one that disagrees is a total-mismatch warning
   * naming both. A whole year's row with no quarter rows of its figure is that year's figure.
   */
  finish(): void {
    const { cells } = this;
    for (const { sum, yearTotals } of this.quarterRows.values()) {
      for (const total of yearTotals) {
        if (total.pence === null) continue;
        if (!sum) {
          this.reading.savings.push({ ...total.figure, pence: total.pence });
          continue;
        }
        const quarters = yearOfQuarters(sum);
        if (quarters === null || quarters === total.pence) continue;
        const cell = cells.cell(total.figure.column, total.figure.row);
        const rows = [...sum.places]
          .sort((a, b) => a - b)
          .map((r) => cells.cell(total.figure.column, r))
          .join(", ");
        this.problems.add({
          code: "total-mismatch",
          sheet: this.reading.name,
          row: total.figure.row,
          cell,
          header: this.reading.map.headers[total.figure.column] ?? "",
          value: `£${fromPence(total.pence)}`,
          message: `The whole year's figure in ${cell} says £${fromPence(total.pence)}, but its quarters ${rows} add up to £${fromPence(quarters)}: correct the total or the quarters. (Totals are checked, never imported; the year's figure is the quarters' sum.)`,
        });
      }
      if (!sum) continue;
      if (sum.unreadable !== null)
        // Carried, never to be written, on the unreadable quarter's row (left out with it).
        this.reading.savings.push({
          ...sum.first,
          row: sum.unreadable,
          pence: sum.pence ?? 0n,
        });
      else {
        const pence = yearOfQuarters(sum);
        if (pence !== null) this.reading.savings.push({ ...sum.first, pence });
      }
    }
    this.quarterRows.clear();
  }

  private readWide(row: SheetRow, key: string): void {
    const { cells } = this;
    const service = this.serviceName(key);
    const partnership = cells.roleText(row, "partnership");
    const council = cells.roleText(row, "council");
    const rag = this.rag(row);
    const extra = cells.extra(row);
    this.totals.record(row.number);
    const councilColumns = this.reading.map.councilFigureColumns;
    // A cross-tab: each council's column holds its figure of its header's year, else the row's.
    const rowYear = councilColumns.some((column) => column.year === null)
      ? this.financialYear(row)
      : undefined;
    // Each figure cell as read, for the row's Total columns.
    const figures = new Map<number, bigint | null | undefined>();
    for (const column of councilColumns) {
      const year = column.year ?? rowYear;
      const pence = cells.amount(row, column.index);
      figures.set(column.index, pence);
      if (pence === undefined) this.totals.unreadable(row.number, column.index);
      if (pence === null || pence === undefined) continue;
      this.totals.add(row.number, column.index, pence);
      const measure = this.measure(row, column, column.index);
      if (measure === undefined || year === undefined) continue;
      this.reading.savings.push({
        row: row.number,
        column: column.index,
        service,
        partnership,
        council: column.council,
        year,
        measure: measure.measure,
        cashable: measure.cashable,
        pence,
        rag,
        extra: extra ? JSON.stringify(extra) : null,
      });
    }
    const quarters = new Map<string, QuarterSum<YearColumn>>();
    const push = (column: YearColumn, pence: bigint) => {
      const measure = this.measure(row, column, column.index);
      if (measure === undefined) return;
      this.reading.savings.push({
        row: row.number,
        column: column.index,
        service,
        partnership,
        council,
        year: column.year,
        measure: measure.measure,
        cashable: measure.cashable,
        pence,
        rag,
        extra: extra ? JSON.stringify(extra) : null,
      });
    };
    for (const column of this.reading.map.yearColumns) {
      const pence = cells.amount(
        row,
        column.index,
        column.scale !== 1n ? column.scale : undefined,
      );
      figures.set(column.index, pence);
      if (pence === undefined) this.totals.unreadable(row.number, column.index);
      else if (pence !== null) this.totals.add(row.number, column.index, pence);
      if (column.quarter !== null) {
        const key = yearFigureKey(column);
        quarters.set(
          key,
          addQuarter(
            quarters.get(key),
            column,
            column.index,
            pence,
            row.cells[column.index] ?? null,
          ),
        );
        continue;
      }
      if (pence === null || pence === undefined) continue;
      push(column, pence);
    }
    for (const sum of quarters.values()) {
      this.checkQuarterTotals(row, sum);
      const pence = yearOfQuarters(sum);
      if (pence !== null) push(sum.first, pence);
    }
    if (this.acrossColumns.length > 0) this.checkRowTotals(row, figures);
  }

  /**
   * Checks a row's Total columns against the row's figures left of each (since the previous Total
   * column, or all of them): the total rows' rule along the row (TotalRowChecker along columns). A
   * figure that could not be read, or is to follow, leaves the totals over it unchecked. Each total
   * is counted for the total rows below, never recorded.
   */
  private checkRowTotals(
    row: SheetRow,
    figures: ReadonlyMap<number, bigint | null | undefined>,
  ): void {
    // One checker for every figure, one for each measure a header names.
    const across = new Map<SavingsMeasure | "all", TotalRowChecker>();
    const checker = (lane: SavingsMeasure | "all") => {
      let found = across.get(lane);
      if (!found) across.set(lane, (found = new TotalRowChecker("columns")));
      return found;
    };
    for (const column of this.acrossColumns) {
      const value = row.cells[column.index] ?? null;
      if (column.kind === "figure") {
        const pence = figures.get(column.index);
        const lanes = new Set([checker("all"), checker(column.lane)]);
        for (const c of lanes)
          if (typeof pence === "bigint") c.add(column.index, row.number, pence);
          else if (
            pence === undefined ||
            readAmount(value, 1n).kind === "pending"
          )
            c.unreadable(column.index, row.number);
          else c.record(column.index);
      } else if (column.kind === "boundary")
        checker("all").total(column.index, "", new Map());
      else {
        const written = this.cells.checkTotalColumn(
          checker(column.lane),
          row,
          column.index,
          column.scale,
        );
        if (written !== null)
          this.totals.add(row.number, column.index, written);
        else if (isFilled(value))
          this.totals.unreadable(row.number, column.index);
      }
    }
  }

  /**
   * Checks a row's columns that total a year's quarters against their sum: one that disagrees is a
   * total-mismatch warning naming the total's cell and the quarters' cells. The total is counted
   * for the total rows below, never recorded.
   */
  private checkQuarterTotals(row: SheetRow, sum: QuarterSum<YearColumn>): void {
    const { cells } = this;
    for (const total of this.reading.map.quarterTotals) {
      if (yearFigureKey(total) !== yearFigureKey(sum.first)) continue;
      const scale = total.scale !== 1n ? total.scale : undefined;
      const written = cells.quietAmount(row, total.index, scale);
      if (written === null) {
        if (isFilled(row.cells[total.index]))
          this.totals.unreadable(row.number, total.index);
        continue;
      }
      this.totals.add(row.number, total.index, written);
      if (sum.unreadable !== null || sum.toFollow) continue;
      const quarters = sum.pence ?? 0n;
      if (written === quarters) continue;
      const cell = cells.cell(total.index, row.number);
      const range = `${cells.cell(sum.first.index, row.number)}:${cells.cell(Math.max(...sum.places), row.number)}`;
      this.problems.add({
        code: "total-mismatch",
        sheet: this.reading.name,
        row: row.number,
        cell,
        header: this.reading.map.headers[total.index] ?? "",
        value: `£${fromPence(written)}`,
        message: `"${this.reading.map.headers[total.index]}" in ${cell} says £${fromPence(written)}, but its quarters ${range} add up to £${fromPence(quarters)}: correct the total or the quarters. (Totals are checked, never imported; the year's figure is the quarters' sum.)`,
      });
    }
  }

  /**
   * Checks a total row ("Total", "Total Bromsgrove", "Grand total") against the rows above it: a
   * total that disagrees is a total-mismatch warning naming the total's cell and the range it sums.
   */
  readTotal(row: SheetRow, label: string): void {
    const map = this.reading.map;
    this.cells.checkTotal(
      this.totals,
      row,
      label,
      this.reading.kind === "savings-long"
        ? [{ index: map.roles.get("amount")! }]
        : [
            ...[...map.yearColumns, ...map.quarterTotals, ...map.rowTotals].map(
              (c) => ({
                index: c.index,
                scale: c.scale !== 1n ? c.scale : undefined,
              }),
            ),
            ...map.councilFigureColumns.map((c) => ({ index: c.index })),
          ],
    );
  }

  /** The row's financial year: its year column's, else the one the sheet names above its table. */
  private financialYear(row: SheetRow): number | undefined {
    const index = this.reading.map.roles.get("financialYear");
    if (index === undefined) return this.reading.financialYear!.year;
    return this.cells.financialYear(row, index);
  }

  /**
   * Measure and cashable of a row: the measure column, else the column header (or sub-header), else
   * the amount column's header, else the title, else --measure. A measure column ("Saving type",
   * "Type") may hold cashability instead ("Cashable", "Non-cashable"); a cashable column wins over
   * every other word for it.
   */
  private measure(
    row: SheetRow,
    fromHeader: { measure: SavingsMeasure | null; cashable: boolean | null },
    anchor: number,
  ): { measure: number; cashable: boolean } | undefined {
    const { cells } = this;
    const map = this.reading.map;
    const measureIndex = map.roles.get("measure");
    const cashableIndex = map.roles.get("cashable");
    let measure = fromHeader.measure
      ? { measure: fromHeader.measure, cashable: fromHeader.cashable }
      : null;
    let cellCashable: boolean | null = null;
    if (measureIndex !== undefined) {
      const written = cells.text(row.cells[measureIndex]);
      if (written !== null) {
        const read = this.measureText(written);
        cellCashable = read ? read.cashable : this.cashableWords(written);
        if (!read && cellCashable === null) {
          cells.problem(
            "bad-value",
            row,
            measureIndex,
            `"${written}" in ${cells.cell(measureIndex, row.number)} is not a measure: write Target, Estimate, Forecast or Achieved (Actual), or Cashable / Non-cashable.`,
          );
          return undefined;
        }
        if (read) measure = read;
      }
    }
    measure ??= map.amountMeasure
      ? { measure: map.amountMeasure, cashable: null }
      : this.titleMeasure;
    if (!measure) {
      if (this.namesNoMeasure) return undefined; // reported once for the sheet
      cells.problem(
        "missing-value",
        row,
        measureIndex ?? anchor,
        `Row ${row.number} does not say whether its figure is a target, estimate, forecast or achieved saving: fill in its ${measureIndex === undefined ? "measure" : map.headers[measureIndex] || "Measure"}, name the measure in the header, or import with --measure ${MEASURE_OPTION_WORDS}.`,
        undefined,
        { option: "measure" },
      );
      return undefined;
    }
    let cashable =
      cellCashable ??
      fromHeader.cashable ??
      measure.cashable ??
      map.amountCashable ??
      this.titleCashable;
    if (cashableIndex !== undefined) {
      const read = cells.cashable(row, cashableIndex);
      if (read === undefined) return undefined;
      if (read !== null) cashable = read;
    }
    return {
      measure: MEASURES.indexOf(measure.measure),
      cashable: cashable ?? true,
    };
  }

  private rag(row: SheetRow): string | null {
    const written = this.cells.roleText(row, "rag");
    return written === null ? null : this.ragText(written);
  }
}

/** A figure as SavingsRows.push takes it. */
type SavingsFigureRow = Parameters<SavingsRows["push"]>[0];

/** A long tracker's rows of one figure by quarter, gathered until the table is read. */
interface QuarterRows {
  /** The quarters' sum; undefined while only rows of the whole year are seen. */
  sum?: QuarterSum<SavingsFigureRow>;
  /** The row each quarter was read on (a quarter twice is a duplicate-row error). */
  seen: Map<number, number>;
  /** Rows of the whole year ("Full year", "Total" in the Quarter column): checks of the sum. */
  yearTotals: { figure: SavingsFigureRow; pence: bigint | null }[];
}

/**
 * One year's figure by its quarters, as they are read (a row's quarter columns across, or a long
 * tracker's rows a quarter): their sum and what kept it unknown.
 */
interface QuarterSum<T> {
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
function addQuarter<T>(
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
function yearOfQuarters<T>(sum: QuarterSum<T>): bigint | null {
  if (sum.unreadable !== null || sum.toFollow) return null;
  return sum.pence;
}
