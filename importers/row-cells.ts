import { unstorableCharacter } from "../db/storable-text.js";
import { readAmount } from "./coerce-amount.js";
import { readDate, type DateReading } from "./coerce-date.js";
import { FormulaWithoutValue, isFormulaError } from "./cell-value.js";
import type { TotalRowChecker } from "./check-total-rows.js";
import { fromPence } from "../schema/pence-text.js";
import { parseFinancialYear } from "../schema/financial-year-text.js";
import { readCashableCell } from "./read-measure.js";
import { KIND_ROLES, type ColumnRole } from "./header-synonyms.js";
import type { ImportLimits } from "./import-limits.js";
import type { ColumnMap } from "./map-columns.js";
import type {
  ProblemAnswer,
  ProblemCode,
  ProblemCollector,
  ProblemSeverity,
} from "./import-problem.js";
import {
  cellText,
  columnLetter,
  isYearToDateHeader,
  isYearTotalHeader,
} from "./locate-header.js";
import { readQuarterCell, type QuarterOfYear } from "./quarter-header.js";
import { memoise } from "./memoise.js";
import type { CellValue, SheetRow } from "./read-workbook-sheets.js";
import type { SheetFacts, SheetReading } from "./sheet-reading.js";

/** Reads the rows of one kind of sheet into its reading. */
export interface KindRowReader<R extends SheetReading = SheetReading> {
  readonly reading: R;
  /**
   * Reads one row that has its key (the sheet's name column: service, body or funder) and no cell
   * refused by RowCells.refusedCells.
   */
  read(row: SheetRow, key: string): void;
  /** Reads a total or subtotal row (its name says so: isTotalLabel), which is no record. */
  readTotal?(row: SheetRow, label: string): void;
  /**
   * Told once the table's rows are all read: a reader that gathers rows into one record (a long
   * tracker's quarters into their year's figure) records them then.
   */
  finish?(): void;
}

/** Columns of free text, not names: held to `maxTextChars`. */
const LONG_TEXT_ROLES = [
  "notes",
  "purpose",
  "representation",
  "partners",
  "membership",
] as const;

/** Columns read by readAmount. */
const AMOUNT_ROLES = ["amount", "annualSaving", "award", "yearToDate"] as const;

/** A cell's text with runs of white space made one space, or null when blank. */
export function plainText(value: CellValue | undefined): string | null {
  const t = cellText(value);
  return t === "" ? null : t.replace(/\s+/g, " ");
}

/** A cell that may list councils one per line: spacing collapsed, line breaks kept (they separate). */
export function listText(value: CellValue | undefined): string | null {
  const t = cellText(value)
    .split(/\s*[\r\n]+\s*/)
    .map((line) => line.replace(/\s+/g, " "))
    .join("\n");
  return t === "" ? null : t;
}

/** Whether a cell holds anything but blanks. */
export function isFilled(value: CellValue | undefined): boolean {
  if (value === null || value === undefined) return false;
  return typeof value !== "string" || value.trim() !== "";
}

/**
 * The cells of one sheet's rows as every kind of sheet reads them: by role, as text, amount or
 * date, each bad cell reported as a problem naming its cell, header and value.
 */
export class RowCells {
  private readonly normalText = memoise((raw: string) => plainText(raw));
  private readonly yearText = memoise(parseFinancialYear);
  private readonly cashableText = memoise(readCashableCell);
  /** A quarter cell's quarter and the year it names beside it ("Q1 2010/11"), or null. */
  private readonly quarterText = memoise(readQuarterCell);
  private readonly sheet: string;
  private readonly map: ColumnMap;
  /** The column naming each row's record (service, body or funder): its kind's first required role. */
  readonly keyColumn: number;
  /** Columns held to `maxTextChars` rather than `maxNameChars`. */
  private readonly longTextColumns: Set<number>;
  /** The columns read as amounts (figures, totals, estimates, awards). */
  readonly amountColumns: ReadonlySet<number>;

  constructor(
    private readonly facts: SheetFacts,
    private readonly problems: ProblemCollector,
    private readonly limits: Pick<
      ImportLimits,
      "maxNameChars" | "maxTextChars"
    >,
  ) {
    this.sheet = facts.name;
    const map = (this.map = facts.map);
    this.keyColumn = map.roles.get(KIND_ROLES[map.kind].required[0]!)!;
    this.longTextColumns = new Set([
      ...map.extra.map((column) => column.index),
      ...LONG_TEXT_ROLES.flatMap((role) => map.roles.get(role) ?? []),
    ]);
    this.amountColumns = new Set([
      ...[...map.yearColumns, ...map.quarterTotals, ...map.rowTotals].map(
        (column) => column.index,
      ),
      ...map.councilFigureColumns.map((column) => column.index),
      ...AMOUNT_ROLES.flatMap((role) => map.roles.get(role) ?? []),
    ]);
  }

  /**
   * The financial year in a row's year column ("2010/11", "FY10-11", 2010), or undefined with a
   * missing-value or bad-financial-year problem naming the cell: a tracker's year column and a
   * service list's read alike (a list's as a warning: its estimate is then kept on the service only).
   */
  financialYear(
    row: SheetRow,
    index: number,
    severity?: ProblemSeverity,
  ): number | undefined {
    const value = row.cells[index] ?? null;
    let year: number | null = null;
    if (typeof value === "string") year = this.yearText(value);
    else if (
      typeof value === "number" &&
      Number.isInteger(value) &&
      value >= 1990 &&
      value <= 2100
    )
      year = value;
    if (year !== null) return year;
    this.problem(
      value === null ? "missing-value" : "bad-financial-year",
      row,
      index,
      value === null
        ? `Row ${row.number} has no financial year: write it as 2010/11.`
        : `"${cellText(value)}" in ${this.cell(index, row.number)} is not a financial year: write it as 2010/11 (April 2010 to March 2011).`,
      severity,
    );
    return undefined;
  }

  /**
   * A row's cashable cell ("Cashable", "Non-cashable", "Yes", "No"): null when blank, undefined
   * with a bad-value problem naming the cell when it says neither.
   */
  cashable(
    row: SheetRow,
    index: number,
    severity?: ProblemSeverity,
  ): boolean | null | undefined {
    const written = this.text(row.cells[index]);
    if (written === null) return null;
    const read = this.cashableText(written);
    if (read !== null) return read;
    this.problem(
      "bad-value",
      row,
      index,
      `"${written}" in ${this.cell(index, row.number)} should say Cashable or Non-cashable (or Yes/No).`,
      severity,
    );
    return undefined;
  }

  /**
   * A row's quarter cell in a tracker of a row a quarter: the quarter of the financial year it names
   * with the year it also names, if any (readQuarterCell: "Q1", "Qtr 2", "Apr-Jun", 4, "Q1 2010/11",
   * "Apr-Jun 2010", "June 2010" or a date, a quarter's last month); "total" for a row of the whole
   * year's total ("Full year", "Total", "Year to date"); null when blank (the row is the whole year's
   * figure); undefined with a bad-value problem naming the cell when it names no quarter.
   */
  quarter(
    row: SheetRow,
    index: number,
  ): QuarterOfYear | "total" | null | undefined {
    const value = row.cells[index] ?? null;
    const written = this.text(value);
    if (written === null) return null;
    if (isYearTotalHeader(written) || isYearToDateHeader(written))
      return "total";
    const read =
      typeof value === "number" || value instanceof Date
        ? readQuarterCell(value)
        : this.quarterText(written);
    if (read) return read;
    this.problem(
      "bad-value",
      row,
      index,
      `"${written}" in ${this.cell(index, row.number)} is not a quarter of the financial year: write Q1 to Q4 (Qtr 1, Quarter 1, Apr-Jun, or the quarter's last month, June 2010; Q1 is April to June), with its year if you like (Q1 2010/11), or leave it blank for a figure of the whole year.`,
    );
    return undefined;
  }

  /** The A1 reference of a column in a row. */
  cell(index: number, row: number): string {
    return `${columnLetter(index)}${row}`;
  }

  /** The A1 reference of the row's key cell (its service, body or funder). */
  keyCell(row: SheetRow): string {
    return this.cell(this.keyColumn, row.number);
  }

  /** The cell of a role's column in the row; null when the sheet has no such column. */
  value(row: SheetRow, role: ColumnRole): CellValue {
    const index = this.map.roles.get(role);
    return index === undefined ? null : (row.cells[index] ?? null);
  }

  /** A cell's text with runs of spaces made one, or null when blank. */
  text(value: CellValue | undefined): string | null {
    return typeof value === "string"
      ? this.normalText(value)
      : plainText(value);
  }

  /** The text of a role's cell in the row (see text). */
  roleText(row: SheetRow, role: ColumnRole): string | null {
    return this.text(this.value(row, role));
  }

  /** Reports a problem of one cell of the row (of its code's severity unless told). */
  problem(
    code: ProblemCode,
    row: SheetRow,
    index: number,
    message: string,
    severity?: ProblemSeverity,
    answer?: ProblemAnswer,
  ): void {
    this.problems.add({
      ...(severity ? { severity } : {}),
      ...(answer ? { answer } : {}),
      code,
      sheet: this.sheet,
      row: row.number,
      cell: this.cell(index, row.number),
      header: this.map.headers[index] ?? "",
      value: cellText(row.cells[index]),
      message,
    });
  }

  /** The row's cells under columns the importer does not know, by header; null when none is filled. */
  extra(row: SheetRow): Record<string, unknown> | null {
    let extra: Record<string, unknown> | null = null;
    for (const { index, header } of this.map.extra) {
      const value = row.cells[index];
      if (value === null || value === undefined || value === "") continue;
      (extra ??= {})[header] =
        value instanceof Date || value instanceof FormulaWithoutValue
          ? cellText(value)
          : value;
    }
    return extra;
  }

  /**
   * Reports the cells no record may take: a formula saved without its result, a formula error
   * where a name belongs (a service called "#REF!"), a text longer than its field allows. True when
   * there were any (the row is then not read further, so that nothing of it reaches the database).
   */
  refusedCells(row: SheetRow): boolean {
    let refused = false;
    const { maxNameChars, maxTextChars } = this.limits;
    row.cells.forEach((value, index) => {
      if (value instanceof FormulaWithoutValue) {
        refused = true;
        this.problem(
          "formula-without-value",
          row,
          index,
          `${this.cell(index, row.number)} holds a formula (=${value.formula}) saved without its result: open the file in Excel, let it calculate, save it and import it again.`,
        );
        return;
      }
      if (typeof value !== "string" || this.amountColumns.has(index)) return; // readAmount reads its own
      if (isFormulaError(value) && !this.longTextColumns.has(index)) {
        refused = true;
        this.problem(
          "bad-value",
          row,
          index,
          `${this.cell(index, row.number)} shows the formula error ${value.trim().toUpperCase()}, not a name: correct the formula or the cells it uses.`,
        );
        return;
      }
      const unstorable = unstorableCharacter(value);
      if (unstorable) {
        refused = true;
        this.problem(
          "bad-value",
          row,
          index,
          `${this.cell(index, row.number)} holds ${unstorable}, which no text in the hub can hold: retype the cell.`,
        );
        return;
      }
      if (value.length <= maxNameChars) return;
      const limit = this.longTextColumns.has(index)
        ? maxTextChars
        : maxNameChars;
      if (value.length <= limit) return;
      refused = true;
      this.problems.add({
        code: "text-too-long",
        sheet: this.sheet,
        row: row.number,
        cell: this.cell(index, row.number),
        header: this.map.headers[index] ?? "",
        value: `${value.slice(0, 100)}…`,
        message: `${this.cell(index, row.number)} holds ${value.length.toLocaleString("en-GB")} characters, more than the ${limit.toLocaleString("en-GB")} ${this.map.headers[index] || "this column"} may have: shorten it.`,
      });
    });
    return refused;
  }

  /**
   * The amount in pence in a column of the row: null for no figure ("-", blank, "tbc" with a
   * figure-to-follow warning), undefined for a bad one (reported). Scaled by `scale`, else the
   * column's header ("£000"), else the title ("All figures £000").
   */
  amount(
    row: SheetRow,
    index: number,
    scale?: bigint,
  ): bigint | null | undefined {
    const reading = readAmount(
      row.cells[index] ?? null,
      this.scale(index, scale),
    );
    if (reading.kind === "amount") return reading.pence;
    if (reading.kind === "none") return null;
    if (reading.kind === "pending") {
      this.problem(
        "figure-to-follow",
        row,
        index,
        `"${reading.text}" in ${this.cell(index, row.number)} is no figure yet: nothing was imported for it. Import the file again once the figure is known.`,
      );
      return null;
    }
    if (reading.kind === "uncalculated") {
      this.problem(
        "formula-without-value",
        row,
        index,
        `${this.cell(index, row.number)} holds a formula (=${reading.formula}) saved without its result: open the file in Excel, let it calculate, save it and import it again.`,
      );
      return undefined;
    }
    this.problem(
      "bad-amount",
      row,
      index,
      `"${cellText(row.cells[index])}" in ${this.cell(index, row.number)} is not an amount of money (${reading.reason}): write a number such as 357000, £357,000, £30k or (25,000), or "-" for no figure.`,
    );
    return undefined;
  }

  /**
   * The amount in pence in a column of a row that is no record (a total): null for anything but
   * an amount, nothing reported.
   */
  quietAmount(row: SheetRow, index: number, scale?: bigint): bigint | null {
    const reading = readAmount(
      row.cells[index] ?? null,
      this.scale(index, scale),
    );
    return reading.kind === "amount" ? reading.pence : null;
  }

  /**
   * The amount in pence of a cell that is checked, never imported (a total row's, a Total column's,
   * a year to date's), or null when it holds none. A cell holding something else (a formula error,
   * words, "tbc", a formula saved without its result) leaves its check undone, and an analyst must
   * know that: a total-not-checked warning names the cell, what it holds and what went unchecked.
   * `label`: the total's name as written; `against`: what it is checked against ("the rows above it").
   */
  checkedAmount(
    row: SheetRow,
    index: number,
    scale: bigint | undefined,
    label: string,
    against: string,
  ): bigint | null {
    const value = row.cells[index] ?? null;
    const reading = readAmount(value, this.scale(index, scale));
    if (reading.kind === "amount") return reading.pence;
    if (reading.kind === "none") return null;
    const place = `${this.sheet}!${this.cell(index, row.number)}`;
    const held =
      reading.kind === "uncalculated"
        ? `holds a formula (=${reading.formula}) saved without its result`
        : reading.kind === "pending"
          ? `says "${reading.text}", no figure yet`
          : `holds "${cellText(value)}", not an amount (${reading.reason})`;
    const fix =
      reading.kind === "uncalculated"
        ? "open the file in Excel, let it calculate, save it and import it again"
        : "write its amount there";
    this.problems.add({
      code: "total-not-checked",
      sheet: this.sheet,
      row: row.number,
      cell: this.cell(index, row.number),
      header: this.map.headers[index] ?? "",
      value: cellText(value),
      message: `"${label}" in ${place} ${held}: it was not checked against ${against}. To have it checked, ${fix}. (Totals are checked, never imported.)`,
    });
    return null;
  }

  /** Whether a row holds a number, a date, or an amount in one of the sheet's amount columns. */
  holdsFigures(row: SheetRow): boolean {
    if (row.cells.some((v) => typeof v === "number" || v instanceof Date))
      return true;
    for (const index of this.amountColumns)
      if (this.quietAmount(row, index) !== null) return true;
    return false;
  }

  /**
   * Checks a total row ("Total", "Total Bromsgrove", "Grand total") of any kind of sheet against
   * the rows above it, in each amount column given: a total that disagrees is a total-mismatch
   * warning naming the total's cell and the range it should sum; a total cell holding no amount
   * ("#REF!", "tbc") a total-not-checked warning (checkedAmount). The one message for every kind.
   */
  checkTotal(
    checker: TotalRowChecker,
    row: SheetRow,
    label: string,
    columns: readonly { index: number; scale?: bigint | undefined }[],
  ): void {
    const amounts = new Map<number, bigint>();
    for (const { index, scale } of columns) {
      const pence = this.checkedAmount(
        row,
        index,
        scale,
        label,
        "the rows above it",
      );
      if (pence !== null) amounts.set(index, pence);
    }
    for (const m of checker.total(row.number, label, amounts))
      this.problems.add({
        code: "total-mismatch",
        sheet: this.sheet,
        row: m.row,
        cell: m.cell,
        header: this.map.headers[m.column] ?? "",
        value: `£${fromPence(m.written)}`,
        message: `"${label}" in ${m.cell} says £${fromPence(m.written)}, but ${m.range} above it add up to £${fromPence(m.sum)}: correct the total or the rows it adds up. (Totals are checked, never imported.)`,
      });
  }

  /**
   * Checks a row's Total column (a wide tracker's "Total" after its councils or years) with a
   * checker along the row's columns (TotalRowChecker "columns"): a total that disagrees with the
   * figures left of it is a total-mismatch warning naming the total's cell and the cells it sums;
   * one holding no amount a total-not-checked warning (checkedAmount). Returns the total as read
   * (null when the cell holds none).
   */
  checkTotalColumn(
    checker: TotalRowChecker,
    row: SheetRow,
    index: number,
    scale: bigint | undefined,
  ): bigint | null {
    const label = this.map.headers[index] || "Total";
    const written = this.checkedAmount(
      row,
      index,
      scale,
      label,
      "the figures beside it",
    );
    const amounts = new Map<number, bigint>(
      written === null ? [] : [[row.number, written]],
    );
    for (const m of checker.total(index, label, amounts))
      this.problems.add({
        code: "total-mismatch",
        sheet: this.sheet,
        row: row.number,
        cell: m.cell,
        header: label,
        value: `£${fromPence(m.written)}`,
        message: `"${label}" in ${m.cell} says £${fromPence(m.written)}, but ${m.range} beside it add up to £${fromPence(m.sum)}: correct the total or the figures it adds up. (Totals are checked, never imported.)`,
      });
    return written;
  }

  /**
   * Adds a record row's amount in a column to a total checker: the amount read (`amount`), null for
   * none, undefined for one that could not be read (its sums are then not checked).
   */
  countForTotals(
    checker: TotalRowChecker,
    row: SheetRow,
    index: number,
    pence: bigint | null | undefined,
  ): void {
    if (typeof pence === "bigint") checker.add(row.number, index, pence);
    else if (pence === undefined) checker.unreadable(row.number, index);
    else checker.record(row.number);
  }

  /** The scale of a column's amounts: `scale`, else its header's ("£000"), else the title's. */
  private scale(index: number, scale: bigint | undefined): bigint {
    const columnScale = this.facts.map.scales.get(index) ?? 1n;
    return scale ?? (columnScale !== 1n ? columnScale : this.facts.title.scale);
  }

  /** The date in a column of the row (a bad one reported); none when the sheet has no such column. */
  date(row: SheetRow, index: number | undefined): DateReading {
    if (index === undefined) return { kind: "none" };
    const value = row.cells[index] ?? null;
    const reading = readDate(value);
    if (reading.kind === "bad")
      this.problem(
        "bad-date",
        row,
        index,
        `"${cellText(value)}" in ${this.cell(index, row.number)} is not a date the importer can read: write 01/04/2007, April 2007 or mid 2007.`,
      );
    return reading;
  }
}
