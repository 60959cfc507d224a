import { splitFootnoteMark } from "./record-names.js";
import { listText, type KindRowReader, type RowCells } from "./row-cells.js";
import type { SheetRow } from "./read-workbook-sheets.js";
import type { SheetFacts, ServiceSheetReading } from "./sheet-reading.js";

/** Reads a service list's rows: one ServiceRecord a service, councils still as written. */
export class ServiceRowReader implements KindRowReader<ServiceSheetReading> {
  readonly reading: ServiceSheetReading;

  constructor(
    facts: SheetFacts,
    private readonly cells: RowCells,
  ) {
    this.reading = { ...facts, kind: "services", services: [] };
  }

  read(row: SheetRow, key: string): void {
    const { cells } = this;
    const marked = splitFootnoteMark(key);
    const roles = this.reading.map.roles;
    const partnersIndex = roles.get("partners");
    const hostIndex = roles.get("host");
    const annualIndex = roles.get("annualSaving");
    const partnersText = listText(cells.value(row, "partners"));
    const hostText = listText(cells.value(row, "host"));
    this.reading.services.push({
      row: row.number,
      cell: cells.keyCell(row),
      name: marked.name,
      mark: marked.mark,
      partnership: cells.roleText(row, "partnership"),
      partners:
        partnersText && partnersIndex !== undefined
          ? { text: partnersText, cell: cells.cell(partnersIndex, row.number) }
          : null,
      host:
        hostText && hostIndex !== undefined
          ? { text: hostText, cell: cells.cell(hostIndex, row.number) }
          : null,
      category: cells.roleText(row, "category"),
      statusText: cells.roleText(row, "status"),
      goLive: cells.date(row, roles.get("goLive")),
      governingBody: cells.roleText(row, "governingBody"),
      annualSaving:
        annualIndex === undefined
          ? null
          : (cells.amount(row, annualIndex) ?? null),
      notes: cells.roleText(row, "notes"),
      extra: cells.extra(row),
    });
  }
}
