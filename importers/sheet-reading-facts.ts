import { formatFinancialYear } from "../schema/financial-year-text.js";
import type { ColumnRole } from "./header-synonyms.js";
import { columnLetter } from "./locate-header.js";
import type { ColumnMap } from "./map-columns.js";
import type { TitleFacts } from "./locate-header.js";
import { readMeasure } from "./read-measure.js";
import type { SheetFinancialYear } from "./sheet-financial-year.js";

/** One header of a sheet and what the importer reads it as. */
export type ColumnReading =
  | { column: string; header: string; use: "role"; role: ColumnRole }
  | {
      column: string;
      header: string;
      use: "year";
      /** "2010/11". */
      year: string;
      /** The measure the header names, if any ("TARGET"). */
      measure: string | null;
      /** The quarter of the year the column holds (1-4), summed into the year's figure; absent for a whole year. */
      quarter?: number;
      /** True for a column totalling the year's quarters: checked against their sum, never a figure. */
      totalOfQuarters?: true;
    }
  /** A governance list's column headed by a council: its seats on each body. */
  | { column: string; header: string; use: "council-seats" }
  /** A service list's column headed by a council: "Y" where it takes part in the service (a member). */
  | { column: string; header: string; use: "council-part" }
  /** A wide tracker's Total column: checked against the row's figures left of it, never a figure. */
  | { column: string; header: string; use: "row-total" }
  /** A header the importer does not know: kept on each record as an extra, never read as a figure. */
  | { column: string; header: string; use: "unknown" };

/** A fact every row of a sheet shares, and where the importer takes it from, in words. */
export interface SheetFact {
  /** The value when the sheet itself settles it ("Revenues and Benefits", "ACHIEVED"); null when each row says. */
  value: string | null;
  /** Where it comes from: 'the "Partnership:" line in A2', "each row's Measure column (C)". */
  source: string;
}

/** What a sheet's header tells: the header row, each column's use, and where partnership and measure come from. */
export interface SheetReadingFacts {
  headerRow: number;
  columns: ColumnReading[];
  /** Null for a sheet whose rows need no partnership. */
  partnership: SheetFact | null;
  /** Null for a sheet that is not a savings tracker. */
  measure: SheetFact | null;
  /**
   * Where a tracker's financial years come from, or a service list's estimates'; null for a sheet
   * that is neither a savings tracker nor a service list with an estimates column.
   */
  financialYear: SheetFact | null;
}

function columnName(map: ColumnMap, index: number): string {
  return `${map.headers[index] || "(no header)"} (${columnLetter(index)})`;
}

/** Every header with a role, a year, council seats or none, in column order. */
function columnReadings(map: ColumnMap): ColumnReading[] {
  const byIndex = new Map<number, ColumnReading>();
  const base = (index: number) => ({
    column: columnLetter(index),
    header: map.headers[index] ?? "",
  });
  for (const [role, index] of map.roles)
    byIndex.set(index, { ...base(index), use: "role", role });
  for (const year of map.yearColumns)
    byIndex.set(year.index, {
      ...base(year.index),
      use: "year",
      year: formatFinancialYear(year.year),
      measure: year.measure,
      ...(year.quarter !== null ? { quarter: year.quarter } : {}),
    });
  for (const total of map.quarterTotals)
    byIndex.set(total.index, {
      ...base(total.index),
      use: "year",
      year: formatFinancialYear(total.year),
      measure: total.measure,
      totalOfQuarters: true,
    });
  // A cross-tab's council column is read as the council of the figures under it.
  for (const column of map.councilFigureColumns)
    byIndex.set(column.index, {
      ...base(column.index),
      use: "role",
      role: "council",
    });
  for (const column of map.councilColumns)
    byIndex.set(column.index, {
      ...base(column.index),
      use: map.kind === "services" ? "council-part" : "council-seats",
    });
  for (const column of map.rowTotals)
    byIndex.set(column.index, { ...base(column.index), use: "row-total" });
  for (const column of map.extra)
    byIndex.set(column.index, { ...base(column.index), use: "unknown" });
  return [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([, c]) => c);
}

/**
 * Where the sheet's partnership comes from, in the writers' order (write-sheet-records.ts): a
 * Partnership column names it on each row; a blank one, or a sheet without the column, takes the
 * partnership given to the import, else the title's "Partnership:" line, else the one the title,
 * the sheet's name or its councils point to (partnershipFromWorkbook).
 */
function partnershipFact(
  map: ColumnMap,
  title: TitleFacts,
  given: string | null,
): SheetFact {
  const column = map.roles.get("partnership");
  const fallback: SheetFact = given
    ? { value: given, source: "the partnership given to the import" }
    : title.partnership
      ? {
          value: title.partnership,
          source: `the "Partnership:" line in ${title.cells.partnership ?? "the title"}`,
        }
      : {
          value: null,
          source:
            "the sheet's title or name matching a partnership, else the partnership whose members are the councils it names",
        };
  if (column === undefined) return fallback;
  return {
    value: null,
    source: `each row's ${columnName(map, column)} column; a blank one: ${fallback.value ? `"${fallback.value}", ` : ""}${fallback.source}`,
  };
}

/**
 * Where a savings sheet's measure comes from, in the reader's order (read-savings-rows.ts): a
 * Measure column, the year headers, the amount header, a title line, the measure given.
 */
function measureFact(
  map: ColumnMap,
  title: TitleFacts,
  given: string | null,
): SheetFact {
  const column = map.roles.get("measure");
  const named = map.yearColumns.filter((y) => y.measure !== null);
  const line = title.lines.findIndex((l) => readMeasure(l) !== null);
  const otherwise = map.amountMeasure
    ? {
        value: map.amountMeasure,
        source: `the header ${columnName(map, map.roles.get("amount")!)}`,
      }
    : line >= 0
      ? {
          value: readMeasure(title.lines[line]!)!.measure,
          source: `the title line "${title.lines[line]}" in ${title.lineCells[line] ?? "the title"}`,
        }
      : given
        ? { value: given, source: "the measure given to the import" }
        : null;
  if (column !== undefined)
    return {
      value: null,
      source: `each row's ${columnName(map, column)} column${otherwise ? `; a blank one: ${otherwise.value}, from ${otherwise.source}` : ""}`,
    };
  if (named.length > 0 && named.length === map.yearColumns.length) {
    const values = [...new Set(named.map((y) => y.measure!))];
    return {
      value: values.length === 1 ? values[0]! : null,
      source: `the year headers (${named.map((y) => columnName(map, y.index)).join(", ")})`,
    };
  }
  // A cross-tab's council headers naming their measure ("CBC Target", "Actual" under "CBC").
  const councils = map.councilFigureColumns;
  if (councils.length > 0 && councils.every((c) => c.measure !== null)) {
    const values = [...new Set(councils.map((c) => c.measure!))];
    return {
      value: values.length === 1 ? values[0]! : null,
      source: `the council headers (${councils.map((c) => columnName(map, c.index)).join(", ")})`,
    };
  }
  return (
    otherwise ?? {
      value: null,
      source:
        "nowhere: no Measure column, no measure in the headers or the title, none given",
    }
  );
}

/**
 * Where a savings sheet's financial years come from, in the reader's order (read-savings-rows.ts):
 * a wide tracker's year headers; a long tracker's year column, else the year its title, period line
 * or sheet name names (sheetFinancialYear); a service list's estimates likewise, else its reporting
 * month's year (stage-service-estimates.ts).
 */
function financialYearFact(
  map: ColumnMap,
  financialYear: SheetFinancialYear | null,
): SheetFact {
  if (map.kind === "savings-wide" && map.yearColumns.length > 0)
    return {
      value: null,
      source: `the year headers (${map.yearColumns.map((y) => columnName(map, y.index)).join(", ")})`,
    };
  const years = map.councilFigureColumns.filter((c) => c.year !== null);
  if (years.length > 0)
    return {
      value: null,
      source: `the year in each council's header (${years.map((c) => columnName(map, c.index)).join(", ")})`,
    };
  const column = map.roles.get("financialYear");
  if (column !== undefined)
    return {
      value: null,
      source: `each row's ${columnName(map, column)} column`,
    };
  return financialYear
    ? {
        value: formatFinancialYear(financialYear.year),
        source: financialYear.place,
      }
    : {
        value: null,
        source:
          map.kind === "services"
            ? "the financial year of the sheet's reporting month"
            : "nowhere: no year column, and no year above the table",
      };
}

/**
 * What the importer read from a sheet's header and title, for the dry-run report: the header row,
 * every column's use (unknown ones included), and where the partnership, the measure and a
 * tracker's financial years come from.
 * `given` is what the import was told (`--partnership`, `--measure`, the form, a profile).
 */
export function sheetReadingFacts(
  reading: {
    map: ColumnMap;
    title: TitleFacts;
    headerRow: number;
    financialYear: SheetFinancialYear | null;
  },
  given: { partnership: string | null; measure: string | null },
): SheetReadingFacts {
  const { map, title } = reading;
  const savings = map.kind === "savings-long" || map.kind === "savings-wide";
  return {
    headerRow: reading.headerRow,
    columns: columnReadings(map),
    partnership: partnershipFact(map, title, given.partnership),
    measure: savings ? measureFact(map, title, given.measure) : null,
    financialYear:
      savings || (map.kind === "services" && map.roles.has("annualSaving"))
        ? financialYearFact(map, reading.financialYear)
        : null,
  };
}
