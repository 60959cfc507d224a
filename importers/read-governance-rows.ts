import { splitFootnoteMark } from "./record-names.js";
import {
  isFilled,
  listText,
  type KindRowReader,
  type RowCells,
} from "./row-cells.js";
import type { SheetRow } from "./read-workbook-sheets.js";
import type {
  GovernanceRecord,
  GovernanceSheetReading,
  SheetFacts,
} from "./sheet-reading.js";

/**
 * Reads a governance list's rows: one GovernanceRecord a body, its seats still as written. A list
 * of members one per row (a Member or Council column: hasMemberRows) gives each body its member
 * rows: the body's name on a heading row of its own, or on its first member row only (the rows
 * below it left blank, which rowKey continues), or on every row.
 */
export class GovernanceRowReader implements KindRowReader<GovernanceSheetReading> {
  readonly reading: GovernanceSheetReading;
  private readonly memberRows: boolean;
  /** The body the member rows below belong to. */
  private current: GovernanceRecord | null = null;

  constructor(
    facts: SheetFacts,
    private readonly cells: RowCells,
  ) {
    this.reading = { ...facts, kind: "governance", governance: [] };
    this.memberRows = hasMemberRows(facts.map.roles);
  }

  read(row: SheetRow, key: string): void {
    const { cells } = this;
    const name = splitFootnoteMark(key).name;
    const continued = cells.text(row.cells[cells.keyColumn]) === null;
    if (
      !this.memberRows ||
      this.current === null ||
      (!continued && this.current.name !== name)
    )
      this.reading.governance.push((this.current = this.record(row, name)));
    if (this.memberRows) this.readMember(row, this.current);
  }

  private record(row: SheetRow, name: string): GovernanceRecord {
    const { cells } = this;
    const map = this.reading.map;
    const membershipIndex = map.roles.get("membership");
    const membership = listText(cells.value(row, "membership"));
    return {
      row: row.number,
      cell: cells.keyCell(row),
      name,
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
      members: [],
    };
  }

  /** The row's member of `body`, when it names one (a heading row names none). */
  private readMember(row: SheetRow, body: GovernanceRecord): void {
    const { cells } = this;
    const roles = this.reading.map.roles;
    const member = cells.roleText(row, "member");
    const council = cells.roleText(row, "council");
    const role = cells.roleText(row, "memberRole");
    if (member === null && council === null && role === null) return;
    const councilIndex = roles.get("council");
    const memberIndex = roles.get("member") ?? councilIndex!;
    body.members.push({
      row: row.number,
      member,
      council:
        council !== null && councilIndex !== undefined
          ? { text: council, cell: cells.cell(councilIndex, row.number) }
          : null,
      role,
      cell: cells.cell(memberIndex, row.number),
    });
  }
}

/**
 * Whether a governance list's columns say it lists members one per row (a Member or a Council
 * column) rather than a body a row: rowKey then continues a body over the blank names below it.
 */
export function hasMemberRows(roles: ReadonlyMap<string, number>): boolean {
  return roles.has("member") || roles.has("council");
}
