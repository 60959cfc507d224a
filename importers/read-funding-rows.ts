import { TotalRowChecker } from "./check-total-rows.js";
import { readAmount } from "./coerce-amount.js";
import type { KindRowReader, RowCells } from "./row-cells.js";
import type { SheetRow } from "./read-workbook-sheets.js";
import type { FundingSheetReading, SheetFacts } from "./sheet-reading.js";

/** Reads a funding list's rows: one FundingRecord an award; a funder without an amount is a problem. */
export class FundingRowReader implements KindRowReader<FundingSheetReading> {
  readonly reading: FundingSheetReading;
  private readonly totals = new TotalRowChecker();

  constructor(
    facts: SheetFacts,
    private readonly cells: RowCells,
  ) {
    this.reading = { ...facts, kind: "funding", funding: [] };
  }

  read(row: SheetRow, key: string): void {
    const { cells } = this;
    const roles = this.reading.map.roles;
    const awardIndex = roles.get("award")!;
    const pence = cells.amount(row, awardIndex);
    cells.countForTotals(this.totals, row, awardIndex, pence);
    // "tbc" is reported by cells.amount as a figure to follow (a warning), not as a missing award.
    if (
      pence === null &&
      readAmount(row.cells[awardIndex] ?? null).kind === "none"
    )
      cells.problem(
        "missing-value",
        row,
        awardIndex,
        `Row ${row.number} names a funder but no amount.`,
      );
    if (pence === null || pence === undefined) return;
    this.reading.funding.push({
      row: row.number,
      cell: cells.keyCell(row),
      partnership: cells.roleText(row, "partnership"),
      funder: key,
      pence,
      purpose: cells.roleText(row, "purpose"),
      awarded: cells.date(row, roles.get("awardedOn")),
      notes: cells.roleText(row, "notes"),
      extra: cells.extra(row),
    });
  }

  /** Checks a total row's award against the awards above it (never an award itself). */
  readTotal(row: SheetRow, label: string): void {
    const index = this.reading.map.roles.get("award")!;
    this.cells.checkTotal(this.totals, row, label, [{ index }]);
  }
}
