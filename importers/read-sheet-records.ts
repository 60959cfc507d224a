import { parseFinancialYear } from "../schema/financial-year.js";
import { unstorableCharacter } from "../db/storable-text.js";
import { SavingsMeasure } from "../schema/savings-measure.js";
import { readAmount } from "./coerce-amount.js";
import { readDate, type DateReading } from "./coerce-date.js";
import type { SheetKind } from "./header-synonyms.js";
import type { ImportLimits } from "./import-limits.js";
import type { ProblemCollector } from "./import-problem.js";
import {
  cellText,
  columnLetter,
  locateHeader,
  readTitleFacts,
  HEADER_SEARCH_ROWS,
  type TitleFacts,
} from "./locate-header.js";
import { classifySheet, mapColumns, type ColumnMap } from "./map-columns.js";
import type { MappingProfile } from "./mapping-profile.js";
import { readCashableCell, readMeasure } from "./read-measure.js";
import type {
  CellValue,
  SheetRow,
  WorkbookSheet,
} from "./read-workbook-sheets.js";
import { memoise } from "./memoise.js";
import { readFootnote, splitFootnoteMark } from "./record-names.js";
import { SavingsRows } from "./savings-rows.js";
import { FormulaWithoutValue, isFormulaError } from "./cell-value.js";

/** A service-list row, read and coerced; councils are still text (resolved with the partnership's context). */
export interface ServiceRecord {
  row: number;
  cell: string;
  name: string;
  mark: string | null;
  partnership: string | null;
  partners: { text: string; cell: string } | null;
  host: { text: string; cell: string } | null;
  category: string | null;
  statusText: string | null;
  goLive: DateReading;
  governingBody: string | null;
  annualSaving: bigint | null;
  notes: string | null;
  extra: Record<string, unknown> | null;
}

/** A governance-list row. */
export interface GovernanceRecord {
  row: number;
  cell: string;
  name: string;
  typeText: string | null;
  partnership: string | null;
  membership: { text: string; cell: string } | null;
  /** The filled cells under council-headed columns (see ColumnMap.councilColumns). */
  councilSeats: { council: string; cell: string; value: CellValue }[];
  representation: string | null;
  chair: string | null;
  notes: string | null;
  extra: Record<string, unknown> | null;
}

/** A funding row. */
export interface FundingRecord {
  row: number;
  cell: string;
  partnership: string | null;
  funder: string;
  pence: bigint;
  purpose: string | null;
  awarded: DateReading;
  notes: string | null;
  extra: Record<string, unknown> | null;
}

/** Everything read from one sheet. */
export interface SheetReading {
  name: string;
  kind: SheetKind;
  map: ColumnMap;
  title: TitleFacts;
  headerRow: number;
  rowsRead: number;
  services: ServiceRecord[];
  governance: GovernanceRecord[];
  funding: FundingRecord[];
  savings: SavingsRows;
  /** Footnotes under the table, by mark ("*" → "Subject to ..."). */
  footnotes: Map<string, string>;
}

/** Thrown when a sheet passes a row or column limit: the whole file is refused. */
export class SheetTooLarge extends Error {}

/** Options that shape how sheets are read. */
export interface SheetReadOptions {
  kind?: SheetKind;
  profile?: MappingProfile;
  limits: ImportLimits;
  onRow?: () => void;
  /** Told once the header is read, before any row: kind, columns and title lines are known. */
  onHeader?: (reading: SheetReading) => void;
  /**
   * Told whenever `savingsBatchRows` figures are waiting in `reading.savings`, so that they can be
   * taken and written while the rest of the sheet is still being read.
   */
  onSavings?: (reading: SheetReading) => Promise<void>;
  savingsBatchRows?: number;
}

/** Measures in the order their index is stored. */
export const MEASURES: readonly SavingsMeasure[] = [
  SavingsMeasure.TARGET,
  SavingsMeasure.ESTIMATE,
  SavingsMeasure.FORECAST,
  SavingsMeasure.ACHIEVED,
];

/** Columns of free text, not names: held to `maxTextChars`. */
const LONG_TEXT_ROLES = [
  "notes",
  "purpose",
  "representation",
  "partners",
  "membership",
] as const;

/** Columns read by readAmount. */
const AMOUNT_ROLES = ["amount", "annualSaving", "award"] as const;

const TOTAL = /^(?:grand\s+|sub[\s-]?)?totals?\b/i;

function text(value: CellValue | undefined): string | null {
  const t = cellText(value);
  return t === "" ? null : t.replace(/\s+/g, " ");
}

/** A cell that may list councils one per line: spacing collapsed, line breaks kept (they separate). */
function listText(value: CellValue | undefined): string | null {
  const t = cellText(value)
    .split(/\s*[\r\n]+\s*/)
    .map((line) => line.replace(/\s+/g, " "))
    .join("\n");
  return t === "" ? null : t;
}

/**
 * Reads one sheet: finds its header among the first 20 rows, reads the title lines above it, decides
 * its kind (or takes `--kind`), maps its columns, then coerces every row, collecting problems with
 * their cells. Returns null for a sheet it cannot read as any kind (reported as unknown-sheet).
 */
export async function readSheetRecords(
  sheet: WorkbookSheet,
  options: SheetReadOptions,
  problems: ProblemCollector,
): Promise<SheetReading | null> {
  const iterator = sheet.rows[Symbol.asyncIterator]();
  const top: SheetRow[] = [];
  let rowsSeen = 0;
  const checkLimits = (row: SheetRow) => {
    rowsSeen++;
    if (
      row.number > options.limits.maxRows ||
      rowsSeen > options.limits.maxRows
    ) {
      problems.add({
        code: "too-large",
        sheet: sheet.name,
        message: `Sheet "${sheet.name}" has more than ${options.limits.maxRows.toLocaleString("en-GB")} rows, more than the importer accepts: split it into smaller workbooks.`,
      });
      throw new SheetTooLarge();
    }
    if (row.cells.length > options.limits.maxColumns) {
      problems.add({
        code: "too-large",
        sheet: sheet.name,
        cell: `${columnLetter(row.cells.length - 1)}${row.number}`,
        message: `Sheet "${sheet.name}" uses ${row.cells.length} columns, more than the ${options.limits.maxColumns} the importer accepts.`,
      });
      throw new SheetTooLarge();
    }
  };
  while (top.length < HEADER_SEARCH_ROWS) {
    const next = await iterator.next();
    if (next.done) break;
    checkLimits(next.value);
    top.push(next.value);
  }
  const header = locateHeader(top, options.profile);
  const kind =
    header === null
      ? null
      : (options.kind ??
        options.profile?.kind ??
        classifySheet(header.headers, options.profile));
  if (header === null || kind === null) {
    problems.add({
      code: "unknown-sheet",
      severity: "warning",
      sheet: sheet.name,
      message:
        header === null
          ? `Sheet "${sheet.name}" has no header row the importer recognises in its first ${HEADER_SEARCH_ROWS} rows: it was not imported. Name the columns as in the synonym table, or give a --mapping profile.`
          : `Sheet "${sheet.name}" does not look like a service list, savings tracker, governance list or funding list (headers: ${header.headers.filter(Boolean).join(", ")}): it was not imported. Use --kind to say what it is.`,
    });
    // Drain the rest so that the next sheet can be read.
    for (;;) {
      const next = await iterator.next();
      if (next.done) break;
      checkLimits(next.value);
    }
    return null;
  }
  const map = mapColumns(header.headers, kind, options.profile);
  const title = readTitleFacts(top.slice(0, header.rowIndex));
  for (const fact of ["partnership", "partners", "submittedBy"] as const) {
    const written = title[fact];
    const unstorable = written === null ? null : unstorableCharacter(written);
    if (unstorable) {
      problems.add({
        code: "bad-value",
        sheet: sheet.name,
        ...(title.cells[fact] ? { cell: title.cells[fact] } : {}),
        value: written!.slice(0, 100),
        message: `The ${fact === "submittedBy" ? "submitter" : fact} named above the table${title.cells[fact] ? ` in ${title.cells[fact]}` : ""} holds ${unstorable}, which no name in the hub can hold: retype it.`,
      });
      title[fact] = null;
      continue;
    }
    if (written === null || written.length <= options.limits.maxNameChars)
      continue;
    problems.add({
      code: "text-too-long",
      sheet: sheet.name,
      ...(title.cells[fact] ? { cell: title.cells[fact] } : {}),
      value: `${written.slice(0, 100)}…`,
      message: `The ${fact === "submittedBy" ? "submitter" : fact} named above the table${title.cells[fact] ? ` in ${title.cells[fact]}` : ""} is ${written.length.toLocaleString("en-GB")} characters long, more than the ${options.limits.maxNameChars} a name may have: shorten it.`,
    });
    title[fact] = null;
  }
  const reading: SheetReading = {
    name: sheet.name,
    kind,
    map,
    title,
    headerRow: header.rowNumber,
    rowsRead: 0,
    services: [],
    governance: [],
    funding: [],
    savings: new SavingsRows(),
    footnotes: new Map(),
  };
  for (const column of map.extra)
    problems.add({
      code: "unknown-column",
      sheet: sheet.name,
      cell: `${columnLetter(column.index)}${header.rowNumber}`,
      header: column.header,
      message: `Column "${column.header}" is not one the importer knows: its values are kept with each record (extra) but not used.`,
    });
  const missing = requiredMissing(map);
  if (missing.length) {
    problems.add({
      code: "missing-value",
      sheet: sheet.name,
      cell: `A${header.rowNumber}`,
      message: `Sheet "${sheet.name}" was read as ${kind} but has no ${missing.join(", ")} column.`,
    });
    for (;;) {
      const next = await iterator.next();
      if (next.done) break;
      checkLimits(next.value);
    }
    return null;
  }
  options.onHeader?.(reading);
  const rowReader = new RowReader(reading, problems, options);
  const batchRows = options.savingsBatchRows ?? Infinity;
  for (const row of top.slice(header.rowIndex + 1)) rowReader.read(row);
  for (;;) {
    if (options.onSavings && reading.savings.length >= batchRows)
      await options.onSavings(reading);
    const next = await iterator.next();
    if (next.done) break;
    checkLimits(next.value);
    rowReader.read(next.value);
  }
  return reading;
}

function requiredMissing(map: ColumnMap): string[] {
  const needs: Record<SheetKind, string[]> = {
    services: ["service"],
    "savings-long": ["service", "financialYear", "amount"],
    "savings-wide": ["service"],
    governance: ["body"],
    funding: ["funder", "award"],
  };
  return needs[map.kind].filter((role) => !map.roles.has(role as never));
}

/** Whether a cell holds anything but blanks. */
function isFilled(value: CellValue | undefined): boolean {
  if (value === null || value === undefined) return false;
  return typeof value !== "string" || value.trim() !== "";
}

class RowReader {
  private readonly normalText = memoise((raw: string) => text(raw));
  private readonly yearText = memoise(parseFinancialYear);
  private readonly measureText = memoise(readMeasure);
  private readonly cashableText = memoise(readCashableCell);
  private readonly markedName = memoise((key: string) =>
    splitFootnoteMark(key),
  );
  private readonly sheet: string;
  private readonly map: ColumnMap;
  private readonly keyColumn: number;
  private readonly titleMeasure: ReturnType<typeof readMeasure>;
  /** Columns held to `maxTextChars` rather than `maxNameChars`. */
  private readonly longTextColumns: Set<number>;
  private readonly amountColumns: Set<number>;

  constructor(
    private readonly reading: SheetReading,
    private readonly problems: ProblemCollector,
    private readonly options: SheetReadOptions,
  ) {
    this.sheet = reading.name;
    this.map = reading.map;
    const keyRole = {
      services: "service",
      "savings-long": "service",
      "savings-wide": "service",
      governance: "body",
      funding: "funder",
    } as const;
    this.keyColumn = this.map.roles.get(keyRole[reading.kind])!;
    this.longTextColumns = new Set([
      ...this.map.extra.map((column) => column.index),
      ...LONG_TEXT_ROLES.flatMap((role) => this.map.roles.get(role) ?? []),
    ]);
    this.amountColumns = new Set([
      ...this.map.yearColumns.map((column) => column.index),
      ...AMOUNT_ROLES.flatMap((role) => this.map.roles.get(role) ?? []),
    ]);
    this.titleMeasure = reading.title.title
      ? readMeasure(reading.title.title)
      : null;
  }

  private cell(index: number, row: number): string {
    return `${columnLetter(index)}${row}`;
  }

  private value(
    row: SheetRow,
    role: Parameters<ColumnMap["roles"]["get"]>[0],
  ): CellValue {
    const index = this.map.roles.get(role);
    return index === undefined ? null : (row.cells[index] ?? null);
  }

  /** A cell's text with runs of spaces made one, or null when blank. */
  private text(value: CellValue | undefined): string | null {
    return typeof value === "string" ? this.normalText(value) : text(value);
  }

  private problem(
    code: Parameters<ProblemCollector["add"]>[0]["code"],
    row: SheetRow,
    index: number,
    message: string,
  ): void {
    this.problems.add({
      code,
      sheet: this.sheet,
      row: row.number,
      cell: this.cell(index, row.number),
      header: this.map.headers[index] ?? "",
      value: cellText(row.cells[index]),
      message,
    });
  }

  private extra(row: SheetRow): Record<string, unknown> | null {
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
   * where a name belongs (a service called "#REF!"), a text longer than its field allows. True when there were any (the row is then not read further, so that nothing
   * of it reaches the database).
   */
  private refusedCells(row: SheetRow): boolean {
    let refused = false;
    const { maxNameChars, maxTextChars } = this.options.limits;
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

  read(row: SheetRow): void {
    this.options.onRow?.();
    let filled = 0;
    for (const value of row.cells) if (isFilled(value)) filled++;
    if (filled === 0) return;
    const key = this.text(row.cells[this.keyColumn]);
    if (key === null || filled === 1) {
      const only = text(row.cells.find(isFilled));
      const footnote = only ? readFootnote(only) : null;
      if (footnote) {
        this.reading.footnotes.set(footnote.mark, footnote.text);
        return;
      }
      if (filled === 1 && key === null) return; // a section heading or a note under the table
      if (key === null) {
        this.problem(
          "missing-value",
          row,
          this.keyColumn,
          `Row ${row.number} has figures but no ${this.map.headers[this.keyColumn] || "name"}: fill it in or delete the row.`,
        );
        return;
      }
    }
    if (TOTAL.test(key!)) return;
    if (this.refusedCells(row)) return;
    this.reading.rowsRead++;
    switch (this.reading.kind) {
      case "services":
        return this.readService(row, key!);
      case "governance":
        return this.readGovernance(row, key!);
      case "funding":
        return this.readFunding(row, key!);
      case "savings-long":
        return this.readSavingsLong(row, key!);
      case "savings-wide":
        return this.readSavingsWide(row, key!);
    }
  }

  private amount(
    row: SheetRow,
    index: number,
    scale?: bigint,
  ): bigint | null | undefined {
    const columnScale = this.map.scales.get(index) ?? 1n;
    const reading = readAmount(
      row.cells[index] ?? null,
      scale ?? (columnScale !== 1n ? columnScale : this.reading.title.scale),
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

  private date(row: SheetRow, index: number | undefined): DateReading {
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

  private readService(row: SheetRow, key: string): void {
    const marked = splitFootnoteMark(key);
    const roles = this.map.roles;
    const partnersIndex = roles.get("partners");
    const hostIndex = roles.get("host");
    const annualIndex = roles.get("annualSaving");
    const partnersText = listText(this.value(row, "partners"));
    const hostText = listText(this.value(row, "host"));
    this.reading.services.push({
      row: row.number,
      cell: this.cell(this.keyColumn, row.number),
      name: marked.name,
      mark: marked.mark,
      partnership: text(this.value(row, "partnership")),
      partners:
        partnersText && partnersIndex !== undefined
          ? { text: partnersText, cell: this.cell(partnersIndex, row.number) }
          : null,
      host:
        hostText && hostIndex !== undefined
          ? { text: hostText, cell: this.cell(hostIndex, row.number) }
          : null,
      category: text(this.value(row, "category")),
      statusText: text(this.value(row, "status")),
      goLive: this.date(row, roles.get("goLive")),
      governingBody: text(this.value(row, "governingBody")),
      annualSaving:
        annualIndex === undefined
          ? null
          : (this.amount(row, annualIndex) ?? null),
      notes: text(this.value(row, "notes")),
      extra: this.extra(row),
    });
  }

  private readGovernance(row: SheetRow, key: string): void {
    const membershipIndex = this.map.roles.get("membership");
    const membership = listText(this.value(row, "membership"));
    this.reading.governance.push({
      row: row.number,
      cell: this.cell(this.keyColumn, row.number),
      name: splitFootnoteMark(key).name,
      typeText: text(this.value(row, "bodyType")),
      partnership: text(this.value(row, "partnership")),
      membership:
        membership && membershipIndex !== undefined
          ? { text: membership, cell: this.cell(membershipIndex, row.number) }
          : null,
      councilSeats: this.map.councilColumns
        .filter(({ index }) => isFilled(row.cells[index]))
        .map(({ index, header }) => ({
          council: header,
          cell: this.cell(index, row.number),
          value: row.cells[index] ?? null,
        })),
      representation: text(this.value(row, "representation")),
      chair: text(this.value(row, "chair")),
      notes: text(this.value(row, "notes")),
      extra: this.extra(row),
    });
  }

  private readFunding(row: SheetRow, key: string): void {
    const awardIndex = this.map.roles.get("award")!;
    const pence = this.amount(row, awardIndex);
    if (pence === null)
      this.problem(
        "missing-value",
        row,
        awardIndex,
        `Row ${row.number} names a funder but no amount.`,
      );
    if (pence === null || pence === undefined) return;
    this.reading.funding.push({
      row: row.number,
      cell: this.cell(this.keyColumn, row.number),
      partnership: text(this.value(row, "partnership")),
      funder: key,
      pence,
      purpose: text(this.value(row, "purpose")),
      awarded: this.date(row, this.map.roles.get("awardedOn")),
      notes: text(this.value(row, "notes")),
      extra: this.extra(row),
    });
  }

  private financialYear(row: SheetRow): number | undefined {
    const index = this.map.roles.get("financialYear")!;
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
    );
    return undefined;
  }

  /** Measure and cashable of a row: the measure column, else the column header, else the title. */
  private measure(
    row: SheetRow,
    fromHeader: ReturnType<typeof readMeasure>,
    anchor: number,
  ): { measure: number; cashable: boolean } | undefined {
    const measureIndex = this.map.roles.get("measure");
    const cashableIndex = this.map.roles.get("cashable");
    let measure = fromHeader;
    if (measureIndex !== undefined) {
      const written = this.text(row.cells[measureIndex]);
      if (written !== null) {
        const read = this.measureText(written);
        if (!read) {
          this.problem(
            "bad-value",
            row,
            measureIndex,
            `"${written}" in ${this.cell(measureIndex, row.number)} is not a measure: write Target, Estimate, Forecast or Achieved (Actual).`,
          );
          return undefined;
        }
        measure = read;
      }
    }
    measure ??= this.map.amountMeasure
      ? { measure: this.map.amountMeasure, cashable: null }
      : this.titleMeasure;
    if (!measure) {
      this.problem(
        "missing-value",
        row,
        measureIndex ?? anchor,
        `Row ${row.number} does not say whether its figure is a target, estimate, forecast or achieved saving: add a Measure column or name the measure in the header.`,
      );
      return undefined;
    }
    let cashable = measure.cashable;
    if (cashableIndex !== undefined) {
      const written = this.text(row.cells[cashableIndex]);
      if (written !== null) {
        const read = this.cashableText(written);
        if (read === null) {
          this.problem(
            "bad-value",
            row,
            cashableIndex,
            `"${written}" in ${this.cell(cashableIndex, row.number)} should say Cashable or Non-cashable (or Yes/No).`,
          );
          return undefined;
        }
        cashable = read;
      }
    }
    return {
      measure: MEASURES.indexOf(measure.measure),
      cashable: cashable ?? true,
    };
  }

  private readonly ragText = memoise(
    (written: string) =>
      ({
        r: "Red",
        red: "Red",
        a: "Amber",
        amber: "Amber",
        g: "Green",
        green: "Green",
      })[written.toLowerCase()] ?? written,
  );

  private rag(row: SheetRow): string | null {
    const written = this.text(this.value(row, "rag"));
    return written === null ? null : this.ragText(written);
  }

  private readSavingsLong(row: SheetRow, key: string): void {
    const year = this.financialYear(row);
    const amountIndex = this.map.roles.get("amount")!;
    const pence = this.amount(row, amountIndex);
    const measure = this.measure(row, null, amountIndex);
    const invalid =
      year === undefined || pence === undefined || measure === undefined;
    if (pence === null && !invalid) return; // "-", "n/a": no figure
    // A row with an error is still carried, never to be written, so that its council and service
    // are checked with the rest and every problem of the row is reported at once.
    const extra = this.extra(row);
    this.reading.savings.push({
      row: row.number,
      column: amountIndex,
      service: this.markedName(key).name,
      partnership: this.text(this.value(row, "partnership")),
      council: this.text(this.value(row, "council")),
      year: year ?? 0,
      measure: measure?.measure ?? 0,
      cashable: measure?.cashable ?? true,
      pence: pence ?? 0n,
      rag: this.rag(row),
      extra: extra ? JSON.stringify(extra) : null,
    });
  }

  private readSavingsWide(row: SheetRow, key: string): void {
    const service = this.markedName(key).name;
    const partnership = this.text(this.value(row, "partnership"));
    const council = this.text(this.value(row, "council"));
    const rag = this.rag(row);
    const extra = this.extra(row);
    for (const column of this.map.yearColumns) {
      const pence = this.amount(
        row,
        column.index,
        column.scale !== 1n ? column.scale : undefined,
      );
      if (pence === null || pence === undefined) continue;
      const measure = this.measure(
        row,
        column.measure
          ? { measure: column.measure, cashable: column.cashable }
          : null,
        column.index,
      );
      if (measure === undefined) continue;
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
    }
  }
}
