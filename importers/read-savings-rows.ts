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
import {
  EVERY_FIGURE,
  planRowTotals,
  type AcrossColumn,
  type RowTotalLane,
} from "./row-total-lanes.js";
import type { QuarterOfYear } from "./quarter-header.js";
import {
  addQuarter,
  QuarterRowFigures,
  yearOfQuarters,
  type QuarterSum,
  type SavingsFigureRow,
} from "./quarter-sums.js";
import type { CellValue, SheetRow } from "./read-workbook-sheets.js";
import { fromPence } from "../schema/pence-text.js";
import { formatFinancialYear } from "../schema/financial-year-text.js";
import { MEASURES, SavingsRows } from "./savings-rows.js";
import type { SavingsSheetReading, SheetFacts } from "./sheet-reading.js";

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
   * checked against the figures it totals: planRowTotals); a quarters' total only starts the next
   * section.
   */
  private readonly acrossColumns: readonly AcrossColumn[];
  /** A tracker's rows a quarter (a Quarter column), by the figure they make (see finish). */
  private readonly quarterRows: QuarterRowFigures;

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
    this.quarterRows = new QuarterRowFigures(facts.name, problems);
    const lines = facts.title.lines;
    this.titleMeasure =
      lines.map((line) => readMeasure(line)).find(Boolean) ??
      (measure ? { measure, cashable: null } : null);
    this.titleCashable =
      lines.map(readCashableWords).find((c) => c !== null) ?? null;
    const map = facts.map;
    const plan = planRowTotals(map);
    this.acrossColumns = plan.columns;
    for (const total of plan.unchecked) {
      const cell = (index: number) => cells.cell(index, facts.headerRow);
      const header = map.headers[total.index] ?? "";
      const follows = total.figures
        .map((f) => `${cell(f.index)} "${map.headers[f.index]}"`)
        .join(", ");
      problems.add({
        code: "total-not-checked",
        sheet: facts.name,
        cell: cell(total.index),
        header,
        message: `"${header}" in ${cell(total.index)} follows figures of more than one measure (${follows}), which do not add up to one total: it was not checked on any row. Name the measure it totals ("Total actual") to have it checked.`,
      });
    }
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
    const written = this.financialYear(row);
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
    // No year column and none above the table: the Quarter cell names it ("Q1 2010/11").
    const year =
      written === null && typeof quarter === "object" && quarter !== null
        ? (quarter.year ?? undefined)
        : (written ?? undefined);
    if (written === null && year === undefined && quarter !== undefined)
      cells.problem(
        "missing-value",
        row,
        quarterIndex!,
        `Row ${row.number} has no financial year: write its quarter with its year in ${cells.cell(quarterIndex!, row.number)} ("Q1 2010/11"), add a Financial year column, or name the year above the table ("Savings 2010/11").`,
      );
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
      this.skipQuarter(row, key, year, measure);
      return this.carry(row, key, amountIndex, year, measure, pence);
    }
    if (
      quarter === null ||
      quarter === undefined ||
      year === undefined ||
      measure === undefined ||
      (quarter === "total" && pence === undefined)
    ) {
      // A row of a quarter (or one whose Quarter cell is no quarter) that cannot be read.
      if (quarter !== null && quarter !== "total")
        this.skipQuarter(row, key, year, measure);
      return this.carry(row, key, amountIndex, year, measure, pence);
    }
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
    // A year to date beside the quarter's amount (its own scale, else the amount's).
    const ytdIndex = map.roles.get("yearToDate");
    const ytdScale =
      ytdIndex === undefined
        ? 1n
        : map.scales.get(ytdIndex) !== 1n
          ? map.scales.get(ytdIndex)!
          : (map.scales.get(amountIndex) ?? 1n);
    const ytd =
      ytdIndex === undefined || quarter === "total"
        ? null
        : cells.checkedAmount(
            row,
            ytdIndex,
            ytdScale !== 1n ? ytdScale : undefined,
            map.headers[ytdIndex] || "Year to date",
            "its figure's quarters so far",
          );
    this.quarterFigure(
      figure,
      quarter,
      pence,
      row.cells[amountIndex] ?? null,
      ytd === null ? undefined : { column: ytdIndex!, pence: ytd },
    );
  }

  /**
   * Gathers a figure's cell on a row a quarter (its row's quarter, or "total" for a row of the
   * whole year) into the sheet's quarter rows, the one rule of both layouts (QuarterRowFigures).
   */
  private quarterFigure(
    figure: SavingsFigureRow,
    quarter: QuarterOfYear | "total",
    pence: bigint | null | undefined,
    value: CellValue,
    yearToDate?: { column: number; pence: bigint },
  ): void {
    if (quarter !== "total")
      this.quarterRows.addQuarter(
        figure,
        quarter.quarter,
        pence,
        value,
        yearToDate,
      );
    else if (typeof pence === "bigint")
      this.quarterRows.addYearTotal(figure, pence);
    // A whole year's cell that could not be read is reported at it; none ("-") checks nothing.
  }

  /** Notes a row of a quarter carried with an error: what it names of its figure (see QuarterRowFigures). */
  private skipQuarter(
    row: SheetRow,
    key: string,
    year: number | undefined,
    measure: { measure: number; cashable: boolean } | undefined,
  ): void {
    this.quarterRows.skipQuarter({
      row: row.number,
      service: this.serviceName(key),
      partnership: this.cells.roleText(row, "partnership"),
      council: this.cells.roleText(row, "council"),
      year,
      measure,
    });
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
   * Records each figure of a tracker's quarter rows as the sum of its quarters, and checks its
   * rows of the whole year against that sum (QuarterRowFigures.finish).
   */
  finish(): void {
    this.quarterRows.finish(
      (figure) => this.reading.savings.push(figure),
      (column) => this.reading.map.headers[column] ?? "",
    );
  }

  private readWide(row: SheetRow, key: string): void {
    const { cells } = this;
    const service = this.serviceName(key);
    const partnership = cells.roleText(row, "partnership");
    const council = cells.roleText(row, "council");
    const rag = this.rag(row);
    const extra = cells.extra(row);
    this.totals.record(row.number);
    const map = this.reading.map;
    const councilColumns = map.councilFigureColumns;
    // A cross-tab: each council's column holds its figure of its header's year, else the row's.
    const rowYear = councilColumns.some((column) => column.year === null)
      ? (this.financialYear(row) ?? undefined)
      : undefined;
    const quarter = this.wideQuarter(row, [
      ...councilColumns.map((column) => column.year ?? rowYear),
      ...map.yearColumns.map((column) => column.year),
    ]);
    // A cell that adds nothing: no figure, or (on a row a quarter) blank, a "tbc" aside.
    const noFigure = (pence: bigint | null | undefined, value: CellValue) =>
      quarter === undefined ||
      (quarter === null
        ? typeof pence !== "bigint"
        : pence === null && readAmount(value, 1n).kind !== "pending");
    const record = (
      column: number,
      figure: Pick<
        SavingsFigureRow,
        "council" | "year" | "measure" | "cashable"
      >,
      pence: bigint | null | undefined,
      value: CellValue,
    ) => {
      const whole: SavingsFigureRow = {
        row: row.number,
        column,
        service,
        partnership,
        rag,
        extra: extra ? JSON.stringify(extra) : null,
        ...figure,
        pence: typeof pence === "bigint" ? pence : 0n,
      };
      // A row a quarter: its figures are gathered into their years' once the table is read.
      if (quarter) this.quarterFigure(whole, quarter, pence, value);
      else this.reading.savings.push(whole);
    };
    // Each figure cell as read, for the row's Total columns.
    const figures = new Map<number, bigint | null | undefined>();
    for (const column of councilColumns) {
      const year = column.year ?? rowYear;
      if (this.ofAnotherYear(row, quarter, column.index, year)) continue;
      const pence = cells.amount(row, column.index);
      const value = row.cells[column.index] ?? null;
      figures.set(column.index, pence);
      if (pence === undefined) this.totals.unreadable(row.number, column.index);
      else if (pence !== null) this.totals.add(row.number, column.index, pence);
      if (noFigure(pence, value)) continue;
      const measure = this.measure(row, column, column.index);
      if (measure === undefined || year === undefined) continue;
      record(
        column.index,
        { council: column.council, year, ...measure },
        pence,
        value,
      );
    }
    const quarters = new Map<string, QuarterSum<YearColumn>>();
    const push = (
      column: YearColumn,
      pence: bigint | null | undefined,
      value: CellValue,
    ) => {
      const measure = this.measure(row, column, column.index);
      if (measure === undefined) return;
      record(
        column.index,
        { council, year: column.year, ...measure },
        pence,
        value,
      );
    };
    for (const column of map.yearColumns) {
      if (this.ofAnotherYear(row, quarter, column.index, column.year)) continue;
      const pence = cells.amount(
        row,
        column.index,
        column.scale !== 1n ? column.scale : undefined,
      );
      const value = row.cells[column.index] ?? null;
      figures.set(column.index, pence);
      if (pence === undefined) this.totals.unreadable(row.number, column.index);
      else if (pence !== null) this.totals.add(row.number, column.index, pence);
      if (column.quarter !== null) {
        const key = yearFigureKey(column);
        quarters.set(
          key,
          addQuarter(quarters.get(key), column, column.index, pence, value),
        );
        continue;
      }
      if (noFigure(pence, value)) continue;
      push(column, pence, value);
    }
    for (const sum of quarters.values()) {
      this.checkQuarterTotals(row, sum);
      const pence = yearOfQuarters(sum);
      if (pence !== null && quarter !== undefined) push(sum.first, pence, null);
    }
    if (this.acrossColumns.length > 0) this.checkRowTotals(row, figures);
    // A row a quarter with an error (skipped with --skip-invalid-rows) spoils each figure it holds
    // a quarter of: the one of each column it has a cell in.
    if (
      quarter !== null &&
      quarter !== "total" &&
      this.problems.rowIsInvalid(this.reading.name, row.number)
    )
      for (const column of [
        ...councilColumns.map((c) => ({ ...c, year: c.year ?? rowYear })),
        ...map.yearColumns.map((c) => ({ ...c, council })),
      ])
        if (isFilled(row.cells[column.index]))
          this.quarterRows.skipQuarter({
            row: row.number,
            service,
            partnership,
            council: column.council,
            year: column.year,
            measure: undefined,
          });
  }

  /**
   * The quarter of a wide tracker's row, when it has a Quarter column (Service | Quarter | 2010/11
   * | 2011/12): null for none (or a blank cell: the row's figures are of whole years), undefined
   * when it names no quarter, or a year none of its figure columns is of (`years`), reported at its
   * cell. A quarter naming one of them ("Q1 2010/11") is that year's: the row's figures are in its
   * columns (see ofAnotherYear).
   */
  private wideQuarter(
    row: SheetRow,
    years: readonly (number | undefined)[],
  ): QuarterOfYear | "total" | null | undefined {
    const index = this.reading.map.roles.get("quarter");
    if (index === undefined) return null;
    const quarter = this.cells.quarter(row, index);
    if (typeof quarter !== "object" || quarter === null) return quarter;
    const known = years.filter((year) => year !== undefined);
    if (quarter.year === null || known.length === 0) return quarter;
    if (known.includes(quarter.year)) return quarter;
    const others = [...new Set(known)].sort((a, b) => a - b);
    this.cells.problem(
      "bad-value",
      row,
      index,
      `${this.cells.cell(index, row.number)} names a quarter of ${formatFinancialYear(quarter.year)}, but the row holds figures of ${others.map(formatFinancialYear).join(" and ")}: write the quarter alone (Q${quarter.quarter}), the years being the columns', or correct it.`,
    );
    return undefined;
  }

  /**
   * Whether a wide tracker's figure column is of a year other than the one its row's Quarter cell
   * names ("Q1 2010/11" on a row with a 2011/12 column): that cell is none of the row's figures, and
   * one holding anything ("-" and blank aside) is a bad-value error at it, since whose quarter it is
   * cannot be told. Its check by the total rows below is then off.
   */
  private ofAnotherYear(
    row: SheetRow,
    quarter: QuarterOfYear | "total" | null | undefined,
    index: number,
    year: number | undefined,
  ): boolean {
    if (
      typeof quarter !== "object" ||
      quarter === null ||
      quarter.year === null ||
      year === undefined ||
      year === quarter.year
    )
      return false;
    const value = row.cells[index] ?? null;
    if (readAmount(value, 1n).kind === "none") return true;
    const { cells } = this;
    const quarterIndex = this.reading.map.roles.get("quarter")!;
    this.totals.unreadable(row.number, index);
    cells.problem(
      "bad-value",
      row,
      index,
      `${this.reading.name}!${cells.cell(index, row.number)} holds a figure under "${this.reading.map.headers[index]}", but its row is a quarter of ${formatFinancialYear(quarter.year)} (${cells.cell(quarterIndex, row.number)}): write it on a row of a quarter of ${formatFinancialYear(year)} ("Q${quarter.quarter} ${formatFinancialYear(year)}"), or write the quarter alone (Q${quarter.quarter}) when the row holds that quarter of every year.`,
    );
    return true;
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
    // One checker a lane: every figure, a year's, a measure's, a year's of one measure.
    const across = new Map<RowTotalLane, TotalRowChecker>();
    const checker = (lane: RowTotalLane) => {
      let found = across.get(lane);
      if (!found) across.set(lane, (found = new TotalRowChecker("columns")));
      return found;
    };
    const none = new Map<number, bigint>();
    for (const column of this.acrossColumns) {
      const value = row.cells[column.index] ?? null;
      if (column.kind === "figure") {
        const pence = figures.get(column.index);
        for (const lane of column.lanes) {
          const c = checker(lane);
          if (typeof pence === "bigint") c.add(column.index, row.number, pence);
          else if (
            pence === undefined ||
            readAmount(value, 1n).kind === "pending"
          )
            c.unreadable(column.index, row.number);
          else c.record(column.index);
        }
        continue;
      }
      if (column.kind === "boundary") {
        checker(EVERY_FIGURE).total(column.index, "", none);
        continue;
      }
      // A Total ends the section of the lane its header names, wherever it is checked.
      for (const lane of column.ends)
        checker(lane).total(column.index, "", none);
      const written =
        column.kind === "total"
          ? this.cells.checkTotalColumn(
              checker(column.lane),
              row,
              column.index,
              column.scale,
            )
          : this.cells.quietAmount(row, column.index, column.scale);
      if (written !== null) this.totals.add(row.number, column.index, written);
      else if (isFilled(value))
        this.totals.unreadable(row.number, column.index);
    }
  }

  /**
   * Checks a row's columns that total a year's quarters against their sum: one that disagrees is a
   * total-mismatch warning naming the total's cell and the quarters' cells, one holding no amount a
   * total-not-checked warning (RowCells.checkedAmount). The total is counted for the total rows
   * below, never recorded.
   */
  private checkQuarterTotals(row: SheetRow, sum: QuarterSum<YearColumn>): void {
    const { cells } = this;
    for (const total of this.reading.map.quarterTotals) {
      if (yearFigureKey(total) !== yearFigureKey(sum.first)) continue;
      const scale = total.scale !== 1n ? total.scale : undefined;
      const written = cells.checkedAmount(
        row,
        total.index,
        scale,
        this.reading.map.headers[total.index] || "Total",
        "its quarters",
      );
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

  /**
   * The row's financial year: its year column's (undefined when it could not be read: reported),
   * else the one the sheet names above its table; null when there is neither (a long tracker whose
   * Quarter cells name their years, "Q1 2010/11").
   */
  private financialYear(row: SheetRow): number | null | undefined {
    const index = this.reading.map.roles.get("financialYear");
    if (index === undefined) return this.reading.financialYear?.year ?? null;
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
