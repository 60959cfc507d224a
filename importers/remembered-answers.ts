import { reportingPeriodInWords } from "../schema/reporting-period.js";
import type { SavingsMeasure } from "../schema/savings-measure.js";
import type { SavedProfile, StoredProfile } from "./import-profile-store.js";
import type { SheetKind } from "./header-synonyms.js";
import { overHeaderRows, type MappingProfile } from "./mapping-profile.js";
import { periodLayoutOf } from "./period-in-file-name.js";
import { periodInName } from "./reporting-period-text.js";

/** The answers an import can be given on its command line (or in the page). */
export interface GivenOptions {
  profile?: MappingProfile;
  partnership?: string;
  measure?: SavingsMeasure;
  kind?: SheetKind;
  period?: string;
}

/**
 * The answers given to one import, in the mapping profile's format: the `--mapping` profile with
 * `--partnership`, `--measure` and `--kind` on top, and, for a `--period` that the file name writes
 * in a way the importer does not read by itself ("tracker 06-2010.xlsx"), where the month is in the
 * file name. A `--period` the file name does not write is not an answer for next month.
 */
export function givenAnswers(
  options: GivenOptions,
  fileName: string,
): MappingProfile {
  const answers: MappingProfile = { ...options.profile };
  if (options.partnership) answers.partnership = options.partnership;
  if (options.measure) answers.measure = options.measure;
  if (options.kind) answers.kind = options.kind;
  if (options.period && periodInName(fileName) === null) {
    const layout = periodLayoutOf(fileName, options.period);
    if (layout) answers.periodInFileName = layout;
  }
  return answers;
}

/**
 * The remembered answers with the given ones on top: a given answer always wins, field by field
 * (a pinned column, synonym list or sheet's header row by its own key); a `--period` given
 * outright also sets aside where the month was remembered to be in the file name.
 */
export function mergeAnswers(
  given: MappingProfile,
  remembered: MappingProfile,
  periodGiven: boolean,
): MappingProfile {
  const merged: MappingProfile = { ...remembered, ...given };
  if (remembered.columns || given.columns)
    merged.columns = { ...remembered.columns, ...given.columns };
  if (remembered.synonyms || given.synonyms)
    merged.synonyms = { ...remembered.synonyms, ...given.synonyms };
  // Header rows pinned sheet by sheet merge sheet by sheet; one row for every sheet replaces them.
  if (
    typeof remembered.headerRow === "object" &&
    typeof given.headerRow === "object"
  )
    merged.headerRow = overHeaderRows(remembered.headerRow, given.headerRow);
  if (periodGiven && !given.periodInFileName) delete merged.periodInFileName;
  return merged;
}

/** Whether a profile has any answer at all (an import given none remembers nothing). */
export function hasAnswers(answers: MappingProfile): boolean {
  return Object.keys(answers).some((key) => key !== "$comment");
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object")
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  return value;
}

/** Whether two sets of answers say the same (key order aside). */
export function sameAnswers(a: MappingProfile, b: MappingProfile): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/** The answers in words, for the report and `sshub profiles`: `partnership "X", measure FORECAST`. */
export function describeAnswers(answers: MappingProfile): string {
  const parts: string[] = [];
  if (answers.partnership) parts.push(`partnership "${answers.partnership}"`);
  if (answers.measure) parts.push(`measure ${answers.measure}`);
  if (answers.kind) parts.push(`kind ${answers.kind}`);
  if (answers.periodInFileName)
    parts.push(`month in the file name as ${answers.periodInFileName}`);
  if (typeof answers.headerRow === "number")
    parts.push(`header row ${answers.headerRow}`);
  for (const [sheet, row] of Object.entries(
    typeof answers.headerRow === "object" ? answers.headerRow : {},
  ))
    parts.push(`header row ${row} on sheet "${sheet}"`);
  for (const [column, role] of Object.entries(answers.columns ?? {}))
    parts.push(`column ${column} → ${role}`);
  for (const [role, headers] of Object.entries(answers.synonyms ?? {}))
    parts.push(`${role} headers ${headers.map((h) => `"${h}"`).join(", ")}`);
  return parts.join(", ") || "none";
}

/** The report's line for remembered answers used: "used the answers remembered from import run #12 (June 2010): …". */
export function rememberedAnswersLine(used: StoredProfile): string {
  const when = used.reportingPeriod
    ? ` (${reportingPeriodInWords(used.reportingPeriod)})`
    : "";
  return `used the answers remembered from import run #${used.importRunId}${when}: ${describeAnswers(used.answers)} (profile #${used.profileId})`;
}

/** The report's line for answers saved: "answers remembered for this layout as profile #3: …". */
export function savedProfileLine(
  saved: SavedProfile,
  answers: MappingProfile,
): string {
  return `answers ${saved.created ? "remembered" : "remembered again"} for this workbook's layout as profile #${saved.profileId}: ${describeAnswers(answers)}; next month's file of the same layout will use them`;
}
