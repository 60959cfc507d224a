import { columnLetter } from "./locate-header.js";

/**
 * A total or subtotal row's name: "Total", "Totals", "TOTAL", "Grand total", "Sub-total",
 * "Subtotal", "Total Bromsgrove", "Total savings". Such a row is checked, never read as a record.
 */
const TOTAL_LABEL = /^(?:grand\s+|sub[\s-]?)?totals?\b/i;

/** Whether a row's name says it is a total or subtotal row. */
export function isTotalLabel(name: string): boolean {
  return TOTAL_LABEL.test(name);
}

/** A total that is not the sum of the rows it totals: its cell, what it says, the range and its sum. */
export interface TotalMismatch {
  row: number;
  /** The 0-based column. */
  column: number;
  /** The total's cell ("D12"). */
  cell: string;
  /** The cells it should sum ("D5:D11"). */
  range: string;
  written: bigint;
  sum: bigint;
}

/**
 * Checks a sheet's total rows against the rows above them, column by column, as the rows stream
 * past (nothing is held but running sums). A total agrees when it is the sum of the rows since the
 * previous total (a subtotal: "Total Bromsgrove", "Sub-total") or of every row of the table so far (a
 * grand total, or the sum of the subtotals). A total that is neither is a mismatch naming the range
 * it should sum: since the previous total, or the whole table for a "Grand total" or a total that
 * directly follows another. A sum over an amount that could not be read is not known, and a total
 * that needs it is not checked.
 */
export class TotalRowChecker {
  private readonly section = new Map<number, bigint>();
  private readonly table = new Map<number, bigint>();
  /** The first record row since the previous total, and of the whole table (null before any). */
  private sectionFirst: number | null = null;
  private tableFirst: number | null = null;
  /** Columns with an amount that could not be read: their sums are not known, so not checked. */
  private readonly sectionUnknown = new Set<number>();
  private readonly tableUnknown = new Set<number>();

  /** Adds a record row's amount in a column (rows without one in that column add nothing). */
  add(row: number, column: number, pence: bigint): void {
    this.section.set(column, (this.section.get(column) ?? 0n) + pence);
    this.table.set(column, (this.table.get(column) ?? 0n) + pence);
    this.sectionFirst ??= row;
    this.tableFirst ??= row;
  }

  /** Notes a record row's amount that could not be read (reported elsewhere): its sums go unchecked. */
  unreadable(row: number, column: number): void {
    this.sectionUnknown.add(column);
    this.tableUnknown.add(column);
    this.record(row);
  }

  /** Marks a row as a record even where it has no amount, so that the ranges start where the records do. */
  record(row: number): void {
    this.sectionFirst ??= row;
    this.tableFirst ??= row;
  }

  /**
   * Checks a total row's amounts (column → pence, only the cells that hold one) and starts the next
   * section. Returns the mismatches.
   */
  total(
    row: number,
    label: string,
    amounts: ReadonlyMap<number, bigint>,
  ): TotalMismatch[] {
    const mismatches: TotalMismatch[] = [];
    const grand = /^grand\b/i.test(label) || this.sectionFirst === null;
    for (const [column, written] of amounts) {
      const section = this.section.get(column) ?? 0n;
      const table = this.table.get(column) ?? 0n;
      if (this.tableFirst === null) continue; // a total with nothing above it to check
      const tableKnown = !this.tableUnknown.has(column);
      const sectionKnown =
        this.sectionFirst !== null && !this.sectionUnknown.has(column);
      if (
        (tableKnown && written === table) ||
        (sectionKnown && written === section)
      )
        continue;
      if (grand ? !tableKnown : !sectionKnown) continue; // a sum not known
      const first = grand ? this.tableFirst : this.sectionFirst!;
      const letter = columnLetter(column);
      mismatches.push({
        row,
        column,
        cell: `${letter}${row}`,
        range: `${letter}${first}:${letter}${row - 1}`,
        written,
        sum: grand ? table : section,
      });
    }
    this.section.clear();
    this.sectionUnknown.clear();
    this.sectionFirst = null;
    return mismatches;
  }
}
