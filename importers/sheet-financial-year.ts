import type { TitleFacts } from "./locate-header.js";
import { financialYearIn } from "./reporting-period-text.js";

/** The financial year a whole sheet is of, and where it was read, in words. */
export interface SheetFinancialYear {
  /** The year's first calendar year (2010 for 2010/11). */
  year: number;
  /** 'the title line "Savings 2010/11" in A1', 'the period line "P3 2010/11" in B2', 'the sheet name "2010-11"'. */
  place: string;
}

/**
 * The financial year a sheet without a year column is of, from what is written above its table: a
 * title line naming one ("Savings 2010/11", "Forecast savings 2010-11"), else the period line ("P3
 * 2010/11", "Period: 2010/11"), else the sheet's name ("Savings 2010-11"). Only a year written as a
 * financial year counts: a reporting month alone ("Period: June 2011") says when the sheet was
 * written, not which year its figures are of. Null when none names one.
 */
export function sheetFinancialYear(
  title: TitleFacts,
  sheetName: string,
): SheetFinancialYear | null {
  for (const [i, line] of title.lines.entries()) {
    const year = financialYearIn(line);
    if (year !== null)
      return {
        year,
        place: `the title line "${line}" in ${title.lineCells[i] ?? "the title"}`,
      };
  }
  if (title.periodWritten !== null) {
    const year = financialYearIn(title.periodWritten);
    if (year !== null)
      return {
        year,
        place: `the period line "${title.periodWritten}"${title.cells.period ? ` in ${title.cells.period}` : ""}`,
      };
  }
  const year = financialYearIn(sheetName);
  return year === null
    ? null
    : { year, place: `the sheet name "${sheetName}"` };
}
