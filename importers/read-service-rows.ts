import { TotalRowChecker } from "./check-total-rows.js";
import { readCashableWords } from "./read-measure.js";
import { readCouncilMark } from "./council-mark.js";
import { cellText } from "./locate-header.js";
import { splitFootnoteMark } from "./record-names.js";
import {
  isFilled,
  listText,
  type KindRowReader,
  type RowCells,
} from "./row-cells.js";
import type { SheetRow } from "./read-workbook-sheets.js";
import type {
  SheetFacts,
  ServiceRecord,
  ServiceSheetReading,
} from "./sheet-reading.js";

/** Reads a service list's rows: one ServiceRecord a service, councils still as written. */
export class ServiceRowReader implements KindRowReader<ServiceSheetReading> {
  readonly reading: ServiceSheetReading;
  private readonly totals = new TotalRowChecker();

  constructor(
    facts: SheetFacts,
    private readonly cells: RowCells,
  ) {
    this.reading = { ...facts, kind: "services", services: [] };
    const annual = facts.map.roles.get("annualSaving");
    this.headerCashable =
      (annual === undefined
        ? null
        : readCashableWords(facts.map.headers[annual] ?? "")) ?? true;
  }

  /** "Est. cashable savings p.a." → true, "Non-cashable savings" → false, neither → cashable. */
  private readonly headerCashable: boolean;

  /**
   * What the row's estimate is recorded as: its year (the row's year column; blank: the sheet's)
   * and cashability (the row's Saving type column, else the header's). Null, with a warning, when
   * one of those cells is unreadable: a list that imported before its estimates were figures must
   * still import, its estimate kept on the service.
   */
  private estimateFigure(row: SheetRow): ServiceRecord["estimateFigure"] {
    const { cells } = this;
    const roles = this.reading.map.roles;
    const yearIndex = roles.get("financialYear");
    const year =
      yearIndex === undefined || !isFilled(row.cells[yearIndex])
        ? null
        : cells.financialYear(row, yearIndex, "warning");
    if (year === undefined) return null;
    const cashableIndex = roles.get("cashable");
    const cashable =
      cashableIndex === undefined
        ? null
        : cells.cashable(row, cashableIndex, "warning");
    if (cashable === undefined) return null;
    return { year, cashable: cashable ?? this.headerCashable };
  }

  read(row: SheetRow, key: string): void {
    const { cells } = this;
    const marked = splitFootnoteMark(key);
    const roles = this.reading.map.roles;
    const partnersIndex = roles.get("partners");
    const hostIndex = roles.get("host");
    const annualIndex = roles.get("annualSaving");
    const annualSaving =
      annualIndex === undefined ? null : cells.amount(row, annualIndex);
    if (annualIndex !== undefined)
      cells.countForTotals(this.totals, row, annualIndex, annualSaving);
    // The year and cashability matter only for an estimate to record.
    const estimateFigure =
      annualSaving === null || annualSaving === undefined
        ? null
        : this.estimateFigure(row);
    const partnersText = listText(cells.value(row, "partners"));
    const councilMarks: ServiceRecord["councilMarks"] = [];
    for (const { index, header } of this.reading.map.councilColumns) {
      const written = cellText(row.cells[index]);
      const mark = readCouncilMark(written);
      const cell = cells.cell(index, row.number);
      if (mark === "marked") councilMarks.push({ column: index, cell });
      else if (mark === null)
        cells.problem(
          "bad-value",
          row,
          index,
          `"${written}" in ${cell} does not say whether ${header} takes part in the service: write Y (or Yes, or a tick) where it does, and leave it blank or write N where it does not.`,
          "warning",
        );
    }
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
      councilMarks,
      host:
        hostText && hostIndex !== undefined
          ? { text: hostText, cell: cells.cell(hostIndex, row.number) }
          : null,
      category: cells.roleText(row, "category"),
      statusText: cells.roleText(row, "status"),
      goLive: cells.date(row, roles.get("goLive")),
      governingBody: cells.roleText(row, "governingBody"),
      annualSaving: annualSaving ?? null,
      estimateFigure,
      notes: cells.roleText(row, "notes"),
      extra: cells.extra(row),
    });
  }

  /** Checks a total row's estimated saving against the services above it (never a service itself). */
  readTotal(row: SheetRow, label: string): void {
    const index = this.reading.map.roles.get("annualSaving");
    if (index !== undefined)
      this.cells.checkTotal(this.totals, row, label, [{ index }]);
  }
}
