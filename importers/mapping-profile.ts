import { readFile } from "node:fs/promises";
import { BadInputError } from "../errors/hub-error.js";
import type { SavingsMeasure } from "../schema/savings-measure.js";
import { MEASURE_OPTION_WORDS, parseMeasureOption } from "./read-measure.js";
import { PERIOD_LAYOUTS, type PeriodLayout } from "./period-in-file-name.js";
import { layoutText } from "./workbook-shape.js";
import {
  HEADER_SYNONYMS,
  SHEET_KINDS,
  type ColumnRole,
  type SheetKind,
} from "./header-synonyms.js";

/**
 * A mapping profile (`--mapping file.json`) for one council's layout:
 * ```json
 * {
 *   "synonyms": { "service": ["Savings proposal"], "amount": ["Saving 2010/11 £"] },
 *   "columns": { "C": "host", "Officer": "ignore" },
 *   "kind": "savings-long",
 *   "headerRow": 4,
 *   "partnership": "Derbyshire RCE Shared Services",
 *   "measure": "FORECAST"
 * }
 * ```
 * `synonyms` adds headers to the synonym table; `columns` pins a column, by letter or by its
 * header as written, to a role (or "ignore", which keeps it out of the report); `headerRow` pins the
 * header row (1-based) of every sheet, or of named sheets (`{ "Tracker": 4 }`); `kind`,
 * `partnership` and `measure` act as `--kind`, `--partnership` and `--measure` do (an option given
 * wins); `periodInFileName` ("MM-YYYY") names where the month is in
 * the file name when the importer does not see it there itself (period-in-file-name.ts). The same
 * format is what the hub remembers for a workbook's shape (import profiles).
 */
export interface MappingProfile {
  synonyms?: Partial<Record<ColumnRole, string[]>>;
  columns?: Record<string, ColumnRole | "ignore">;
  kind?: SheetKind;
  /** The header row (1-based) of every sheet, or by sheet name (see pinnedHeaderRow). */
  headerRow?: number | Record<string, number>;
  partnership?: string;
  /** What the figures measure where the workbook names no measure. */
  measure?: SavingsMeasure;
  /** Where the reporting month is in the file name, as a layout ("MM-YYYY"). */
  periodInFileName?: PeriodLayout;
}

const ROLES = new Set(Object.keys(HEADER_SYNONYMS));

/** Whether a word is what a column can be pinned to: a column role, or "ignore". */
export function isPinnedRole(value: unknown): value is ColumnRole | "ignore" {
  return typeof value === "string" && (value === "ignore" || ROLES.has(value));
}

/** The words a column can be pinned to, for messages: "service, council, …, ignore". */
export const PINNED_ROLE_WORDS = [...ROLES, "ignore"].join(", ");

/** Checks a parsed profile, saying exactly which entry is wrong. */
export function validateMappingProfile(
  value: unknown,
  source: string,
): MappingProfile {
  const fail = (what: string) =>
    new BadInputError(`The mapping profile ${source} is not valid: ${what}.`);
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw fail("it must be a JSON object");
  const profile = value as Record<string, unknown>;
  for (const key of Object.keys(profile))
    if (
      ![
        "synonyms",
        "columns",
        "kind",
        "headerRow",
        "partnership",
        "measure",
        "periodInFileName",
        "$comment",
      ].includes(key)
    )
      throw fail(
        `"${key}" is not a setting (use synonyms, columns, kind, headerRow, partnership, measure, periodInFileName)`,
      );
  if (profile.synonyms !== undefined) {
    if (typeof profile.synonyms !== "object" || profile.synonyms === null)
      throw fail('"synonyms" must be an object of role → list of headers');
    for (const [role, list] of Object.entries(profile.synonyms)) {
      if (!ROLES.has(role))
        throw fail(`"${role}" is not a column role (${[...ROLES].join(", ")})`);
      if (!Array.isArray(list) || list.some((h) => typeof h !== "string"))
        throw fail(`synonyms.${role} must be a list of headers`);
    }
  }
  if (profile.columns !== undefined) {
    if (typeof profile.columns !== "object" || profile.columns === null)
      throw fail('"columns" must be an object of column → role');
    for (const [column, role] of Object.entries(profile.columns))
      if (!isPinnedRole(role))
        throw fail(`columns."${column}" must be a column role or "ignore"`);
  }
  if (
    profile.kind !== undefined &&
    !SHEET_KINDS.includes(profile.kind as SheetKind)
  )
    throw fail(`"kind" must be one of ${SHEET_KINDS.join(", ")}`);
  const isRow = (n: unknown) => Number.isInteger(n) && (n as number) >= 1;
  if (
    profile.headerRow !== undefined &&
    !isRow(profile.headerRow) &&
    (typeof profile.headerRow !== "object" ||
      profile.headerRow === null ||
      Array.isArray(profile.headerRow) ||
      !Object.values(profile.headerRow).every(isRow))
  )
    throw fail(
      '"headerRow" must be a row number (1 or more), or an object of sheet name → row number',
    );
  if (
    profile.partnership !== undefined &&
    typeof profile.partnership !== "string"
  )
    throw fail('"partnership" must be a name');
  if (profile.measure !== undefined) {
    const measure =
      typeof profile.measure === "string"
        ? parseMeasureOption(profile.measure)
        : null;
    if (measure === null)
      throw fail(`"measure" must be one of ${MEASURE_OPTION_WORDS}`);
    profile.measure = measure;
  }
  if (
    profile.periodInFileName !== undefined &&
    !PERIOD_LAYOUTS.includes(profile.periodInFileName as PeriodLayout)
  )
    throw fail(
      `"periodInFileName" must be one of ${PERIOD_LAYOUTS.join(", ")}`,
    );
  return profile as MappingProfile;
}

/** Reads and checks a mapping profile file; a BadInputError says what is wrong. */
export async function loadMappingProfile(
  path: string,
): Promise<MappingProfile> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    throw new BadInputError(`The mapping profile ${path} cannot be read.`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new BadInputError(
      `The mapping profile ${path} is not valid JSON: ${(error as Error).message}.`,
    );
  }
  return validateMappingProfile(parsed, path);
}

/**
 * The header row a profile pins for a sheet: its one row for every sheet, or the row given for the
 * sheet's name, else for a name of the same layout (workbook-shape.ts layoutText: case, spacing,
 * months and numbers aside), so that a row pinned for "June 2010" is next month's for "July 2010".
 */
export function pinnedHeaderRow(
  profile: MappingProfile | undefined,
  sheet: string,
): number | undefined {
  const pinned = profile?.headerRow;
  if (pinned === undefined || typeof pinned === "number") return pinned;
  const entries = Object.entries(pinned);
  const name = sheet.trim().toLowerCase();
  const layout = layoutText(sheet);
  return (entries.find(([named]) => named.trim().toLowerCase() === name) ??
    entries.find(([named]) => layoutText(named) === layout))?.[1];
}

/**
 * Header rows pinned sheet by sheet, `over` on top of `under`: a sheet `over` names replaces
 * `under`'s rows for every sheet of its layout (a row given for "July 2010" replaces the one
 * remembered for "June 2010").
 */
export function overHeaderRows(
  under: Readonly<Record<string, number>>,
  over: Readonly<Record<string, number>>,
): Record<string, number> {
  const layouts = new Set(Object.keys(over).map(layoutText));
  return {
    ...Object.fromEntries(
      Object.entries(under).filter(
        ([sheet]) => !layouts.has(layoutText(sheet)),
      ),
    ),
    ...over,
  };
}
