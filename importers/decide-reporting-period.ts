import type { TitleFacts } from "./locate-header.js";
import {
  financialYearIn,
  periodInName,
  readPeriodPhrase,
} from "./reporting-period-text.js";

/** Where a sheet's reporting period was read, most trusted first. */
export type PeriodSourceKind =
  "option" | "title" | "sheet-name" | "workbook" | "file-name";

/** One place that names a reporting period. */
export interface PeriodSource {
  kind: PeriodSourceKind;
  period: string;
  /** Where, in words: 'the title line "P3 2010/11" (Tracker!A2)', 'the file name "tracker-2010-06.xlsx"'. */
  place: string;
}

/** What decides a sheet's period. */
export interface PeriodInput {
  /** `--period` (already checked to be YYYY-MM). */
  option: string | null;
  title: TitleFacts;
  sheetName: string;
  fileName: string;
  /** The period another sheet of the workbook read from its own title or name. */
  workbook: PeriodSource | null;
  /**
   * The month the file name writes in a layout the importer was told of (a remembered answer or a
   * mapping profile's periodInFileName): trusted as the file name is, when that says nothing itself.
   */
  fileNameLayout?: PeriodSource | null;
}

/** A sheet's reporting period, where it came from, and the places that say otherwise. */
export interface SheetPeriod {
  period: string | null;
  source: PeriodSource | null;
  /** Sources of the sheet itself (title, sheet name, file name) naming another month than `source`. */
  disagreements: PeriodSource[];
  /** "Period 3" as written, when no year for it was found anywhere. */
  needsYear: string | null;
}

/**
 * Decides a sheet's reporting period by trust: `--period`, then the sheet's title lines ("Period:
 * June 2010", "Month 3 (June 2010)", "P3 2010/11", "Quarter 1 2010/11"), then the sheet's name
 * ("June 2010"), then what another sheet of the workbook said, then the file name
 * ("tracker-2010-06.xlsx"). "Period 3" with no year takes the financial year the title, sheet name
 * or file name mention. Every other source of the sheet naming a different month is returned as a
 * disagreement (the caller reports it, naming both places).
 */
export function decideReportingPeriod(input: PeriodInput): SheetPeriod {
  const { title, sheetName, fileName } = input;
  const sources: PeriodSource[] = [];
  if (input.option)
    sources.push({ kind: "option", period: input.option, place: "--period" });
  let titlePeriod = title.period;
  let needsYear: string | null = null;
  if (titlePeriod === null && title.periodText !== null) {
    const year =
      financialYearIn(title.lines.join(" ")) ??
      financialYearIn(sheetName) ??
      financialYearIn(fileName);
    const phrase = readPeriodPhrase(title.periodText, year);
    if (phrase.status === "month") titlePeriod = phrase.period;
    else needsYear = title.periodText;
  }
  if (titlePeriod !== null) {
    const cell = title.cells.period
      ? `${sheetName}!${title.cells.period}`
      : sheetName;
    sources.push({
      kind: "title",
      period: titlePeriod,
      place: `the period written in ${cell}`,
    });
  }
  const fromSheetName = periodInName(sheetName);
  if (fromSheetName)
    sources.push({
      kind: "sheet-name",
      period: fromSheetName,
      place: `the sheet name "${sheetName}"`,
    });
  if (input.workbook) sources.push(input.workbook);
  const fromFileName = periodInName(fileName);
  if (fromFileName)
    sources.push({
      kind: "file-name",
      period: fromFileName,
      place: `the file name "${fileName}"`,
    });
  else if (input.fileNameLayout) sources.push(input.fileNameLayout);
  const source = sources[0] ?? null;
  const disagreements = source
    ? sources.filter(
        (s) =>
          s !== source && s.kind !== "workbook" && s.period !== source.period,
      )
    : [];
  return {
    period: source?.period ?? null,
    source,
    disagreements,
    needsYear: source ? null : needsYear,
  };
}

/**
 * The date a sheet's councils are read as of: the first day of its reporting period, else the
 * 1 April starting the financial year its title names ("Shared services 2015/16"), else none
 * (today's councils). "Buckinghamshire" in a June 2015 tracker is the county council.
 */
export function councilsAsOf(
  period: string | null,
  title: TitleFacts,
): string | null {
  if (period) return `${period}-01`;
  const year = financialYearIn(title.lines.join(" "));
  return year === null ? null : `${year}-04-01`;
}
