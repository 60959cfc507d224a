import { columnLetter } from "./locate-header.js";

/** A total that is not the sum of the rows it totals: its cell, what it says, the range and its sum. */
export interface TotalMismatch {
  /** The total's position: its row (its 0-based column for a checker along columns). */
  row: number;
  /** The lane: the 0-based column (the row number for a checker along columns). */
  column: number;
  /** The total's cell ("D12"). */
  cell: string;
  /** The cells it should sum ("D5:D11"; along columns "B5:D5", or "C5, E5" when not side by side). */
  range: string;
  written: bigint;
  sum: bigint;
}

/**
 * Checks a sheet's total rows against the rows above them, column by column, as the rows stream
 * past (nothing is held but running sums); or, made `along: "columns"`, a row's Total columns
 * against the figure columns left of them, the same rule turned on its side (positions are then
 * columns and lanes rows: "Total" after CBC | BDC | NEDDC, or a Total under each year's councils). A total agrees when it is the sum of the rows since the
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
  /** Along columns: the record positions since the previous total, and of the whole row. */
  private readonly sectionPositions: number[] = [];
  private readonly tablePositions: number[] = [];

  /**
   * `along`: "rows" for total rows (positions are row numbers, lanes 0-based columns), "columns"
   * for Total columns (positions are 0-based columns, lanes row numbers).
   */
  constructor(private readonly along: "rows" | "columns" = "rows") {}

  /** Adds a record row's amount in a column (rows without one in that column add nothing). */
  add(row: number, column: number, pence: bigint): void {
    this.section.set(column, (this.section.get(column) ?? 0n) + pence);
    this.table.set(column, (this.table.get(column) ?? 0n) + pence);
    this.record(row);
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
    if (this.along === "columns") {
      if (this.sectionPositions.at(-1) !== row) this.sectionPositions.push(row);
      if (this.tablePositions.at(-1) !== row) this.tablePositions.push(row);
    }
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
      const name = (position: number) =>
        this.along === "rows"
          ? `${columnLetter(column)}${position}`
          : `${columnLetter(position)}${column}`;
      mismatches.push({
        row,
        column,
        cell: name(row),
        range:
          this.along === "rows"
            ? `${name(first)}:${name(row - 1)}`
            : cellList(
                grand ? this.tablePositions : this.sectionPositions,
                name,
              ),
        written,
        sum: grand ? table : section,
      });
    }
    this.section.clear();
    this.sectionUnknown.clear();
    this.sectionFirst = null;
    this.sectionPositions.length = 0;
    return mismatches;
  }
}

/** Cells named as a range when side by side ("B5:D5"), else one by one ("C5, E5"). */
function cellList(
  positions: readonly number[],
  name: (position: number) => string,
): string {
  const first = positions[0]!;
  const last = positions.at(-1)!;
  if (positions.length === 1) return name(first);
  return last - first === positions.length - 1
    ? `${name(first)}:${name(last)}`
    : positions.map(name).join(", ");
}
