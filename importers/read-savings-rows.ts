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
    const year = this.financialYear(row);
    const amountIndex = this.reading.map.roles.get("amount")!;
    const pence = cells.amount(row, amountIndex);
    cells.countForTotals(this.totals, row, amountIndex, pence);
    const measure = this.measure(
      row,
      { measure: null, cashable: null },
      amountIndex,
    );
    const invalid =
      year === undefined || pence === undefined || measure === undefined;
    if (pence === null && !invalid) return; // "-", "n/a": no figure
    // A row with an error is still carried, never to be written, so that its council and service
    // are checked with the rest and every problem of the row is reported at once.
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
    const quarters = new Map<string, QuarterSum>();
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
        addQuarter(quarters, column, pence, row.cells[column.index] ?? null);
        continue;
      }
      if (pence === null || pence === undefined) continue;
      push(column, pence);
    }
    for (const sum of quarters.values()) {
      this.checkQuarterTotals(row, sum);
      // A quarter to follow ("tbc", warned of at its cell) leaves the year's figure to follow too.
      if (sum.unreadable || sum.toFollow || sum.pence === null) continue;
      push(sum.first, sum.pence);
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
  private checkQuarterTotals(row: SheetRow, sum: QuarterSum): void {
    const { cells } = this;
    for (const total of this.reading.map.quarterTotals) {
      if (yearFigureKey(total) !== sum.key) continue;
      const scale = total.scale !== 1n ? total.scale : undefined;
      const written = cells.quietAmount(row, total.index, scale);
      if (written === null) {
        if (isFilled(row.cells[total.index]))
          this.totals.unreadable(row.number, total.index);
        continue;
      }
      this.totals.add(row.number, total.index, written);
      if (sum.unreadable || sum.toFollow) continue;
      const quarters = sum.pence ?? 0n;
      if (written === quarters) continue;
      const cell = cells.cell(total.index, row.number);
      const range = `${cells.cell(sum.first.index, row.number)}:${cells.cell(sum.last, row.number)}`;
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

/** A row's quarters of one year's figure, as they are read: their sum and what kept it unknown. */
interface QuarterSum {
  key: string;
  /** The first quarter's column: the figure's measure and cell. */
  first: YearColumn;
  /** The last quarter's column index, for the range a total is checked against. */
  last: number;
  /** The sum of the quarters written; null while none is. */
  pence: bigint | null;
  /** A quarter could not be read (reported at its cell). */
  unreadable: boolean;
  /** A quarter is "tbc" (warned of at its cell). */
  toFollow: boolean;
}

/**
 * Adds one quarter's cell to its year's sum: a blank quarter adds nothing, so that the year's
 * figure is the sum of the quarters written (a June tracker's Q1 actual alone is the year's so far).
 */
function addQuarter(
  quarters: Map<string, QuarterSum>,
  column: YearColumn,
  pence: bigint | null | undefined,
  value: CellValue,
): void {
  const key = yearFigureKey(column);
  let sum = quarters.get(key);
  if (!sum)
    quarters.set(
      key,
      (sum = {
        key,
        first: column,
        last: column.index,
        pence: null,
        unreadable: false,
        toFollow: false,
      }),
    );
  sum.last = column.index;
  if (pence === undefined) sum.unreadable = true;
  else if (pence !== null) sum.pence = (sum.pence ?? 0n) + pence;
  else if (readAmount(value, 1n).kind === "pending") sum.toFollow = true;
}
