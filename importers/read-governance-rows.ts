import { splitFootnoteMark } from "./record-names.js";
import {
  isFilled,
  listText,
  type KindRowReader,
  type RowCells,
} from "./row-cells.js";
import type { SheetRow } from "./read-workbook-sheets.js";
import type { GovernanceSheetReading, SheetFacts } from "./sheet-reading.js";

/** Reads a governance list's rows: one GovernanceRecord a body, its seats still as written. */
export class GovernanceRowReader implements KindRowReader<GovernanceSheetReading> {
  readonly reading: GovernanceSheetReading;

  constructor(
    facts: SheetFacts,
    private readonly cells: RowCells,
  ) {
    this.reading = { ...facts, kind: "governance", governance: [] };
  }

  read(row: SheetRow, key: string): void {
    const { cells } = this;
    const map = this.reading.map;
    const membershipIndex = map.roles.get("membership");
    const membership = listText(cells.value(row, "membership"));
    this.reading.governance.push({
      row: row.number,
      cell: cells.keyCell(row),
      name: splitFootnoteMark(key).name,
      typeText: cells.roleText(row, "bodyType"),
      partnership: cells.roleText(row, "partnership"),
      membership:
        membership && membershipIndex !== undefined
          ? { text: membership, cell: cells.cell(membershipIndex, row.number) }
          : null,
      councilSeats: map.councilColumns
        .filter(({ index }) => isFilled(row.cells[index]))
        .map(({ index, header }) => ({
          council: header,
          cell: cells.cell(index, row.number),
          value: row.cells[index] ?? null,
        })),
      representation: cells.roleText(row, "representation"),
      chair: cells.roleText(row, "chair"),
      notes: cells.roleText(row, "notes"),
      extra: cells.extra(row),
    });
  }
}
