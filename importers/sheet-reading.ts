import type { DateReading } from "./coerce-date.js";
import type { TitleFacts } from "./locate-header.js";
import type { ColumnMap } from "./map-columns.js";
import type { CellValue } from "./read-workbook-sheets.js";
import type { SavingsRows } from "./savings-rows.js";
import type { SheetFinancialYear } from "./sheet-financial-year.js";

/** A service-list row, read and coerced; councils are still text (resolved with the partnership's context). */
export interface ServiceRecord {
  row: number;
  cell: string;
  name: string;
  mark: string | null;
  partnership: string | null;
  partners: { text: string; cell: string } | null;
  /** The councils the row marks as taking part ("Y" in a council's column): each column and cell. */
  councilMarks: { column: number; cell: string }[];
  host: { text: string; cell: string } | null;
  category: string | null;
  statusText: string | null;
  goLive: DateReading;
  governingBody: string | null;
  annualSaving: bigint | null;
  /**
   * What the estimated saving is recorded as (stageServiceEstimates): its financial year from the
   * row's year column (null: the sheet's year, else its reporting month's) and cashable or not (the
   * row's Saving type column, else the header's words, else cashable). Null when the row has no
   * estimate, or its year or Saving type cell says nothing readable (a warning): the estimate is
   * then the service's only, as before estimates were figures.
   */
  estimateFigure: { year: number | null; cashable: boolean } | null;
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
  /** Members one per row under the body's heading (or its first row): who sits, for which council. */
  members: GovernanceMember[];
}

/** One member row of a governance list that lists members one per row under each body. */
export interface GovernanceMember {
  row: number;
  /** The post or person as written ("Leader", "Cllr A. Smith"); null when not given. */
  member: string | null;
  /** The council as written, and its cell; null when the row names none. */
  council: { text: string; cell: string } | null;
  /** The role on the body as written ("Chair", "Vice-chair"); null when not given. */
  role: string | null;
  /** The member's cell (else the council's), for problems. */
  cell: string;
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

/** What every sheet reading has, whatever its kind: where its table is and what its title lines say. */
export interface SheetFacts {
  name: string;
  map: ColumnMap;
  title: TitleFacts;
  headerRow: number;
  rowsRead: number;
  /** Footnotes under the table, by mark ("*" → "Subject to ..."). */
  footnotes: Map<string, string>;
  /**
   * The financial year the title, period line or sheet name names (sheetFinancialYear): the year
   * of a long tracker's figures when it has no year column. Null when none names one.
   */
  financialYear: SheetFinancialYear | null;
}

/** A service list read. */
export interface ServiceSheetReading extends SheetFacts {
  kind: "services";
  services: ServiceRecord[];
}

/** A governance list read. */
export interface GovernanceSheetReading extends SheetFacts {
  kind: "governance";
  governance: GovernanceRecord[];
}

/** A funding list read. */
export interface FundingSheetReading extends SheetFacts {
  kind: "funding";
  funding: FundingRecord[];
}

/** A savings tracker read, one figure a row ("savings-long") or a column per year ("savings-wide"). */
export interface SavingsSheetReading extends SheetFacts {
  kind: "savings-long" | "savings-wide";
  savings: SavingsRows;
}

/** Everything read from one sheet, by its kind. */
export type SheetReading =
  | ServiceSheetReading
  | GovernanceSheetReading
  | FundingSheetReading
  | SavingsSheetReading;

/**
 * A sheet reading as it crosses from the reading worker: a tracker's figures travel apart, in
 * batches (SavingsRows is a class, which a structured clone would not keep).
 */
export type SheetHeader =
  | ServiceSheetReading
  | GovernanceSheetReading
  | FundingSheetReading
  | SavingsSheetHeader;

/** A savings tracker's reading without its figures. */
export interface SavingsSheetHeader extends SheetFacts {
  kind: SavingsSheetReading["kind"];
  savings?: undefined;
}

/** Whether a reading (with or without its figures) is a savings tracker's. */
export function isSavingsReading<T extends SheetReading | SheetHeader>(
  reading: T,
): reading is Extract<T, { kind: SavingsSheetReading["kind"] }> {
  return reading.kind === "savings-long" || reading.kind === "savings-wide";
}

/** The reading without its figures, to send from the worker. */
export function withoutFigures(reading: SheetReading): SheetHeader {
  return isSavingsReading(reading)
    ? { ...reading, savings: undefined }
    : reading;
}

/** The reading again, a tracker's with `savings` as its figures. */
export function withFigures(
  header: SheetHeader,
  savings: SavingsRows,
): SheetReading {
  return isSavingsReading(header) ? { ...header, savings } : header;
}
