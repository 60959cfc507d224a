import { BadInputError } from "../errors/hub-error.js";
import {
  isPinnedRole,
  overHeaderRows,
  PINNED_ROLE_WORDS,
  type MappingProfile,
} from "./mapping-profile.js";

/** A pinned layout as an analyst gives it: `--header-row` and `--column` (or the form's fields). */
export interface LayoutAnswers {
  /** "4" (every sheet) or "Tracker!4" / "Tracker:4" (one sheet), one entry a sheet. */
  headerRows?: readonly string[];
  /** "Heading=role" or "C=role" (a column letter), one entry a column. */
  columns?: readonly string[];
}

/** The names the answers have where they are given: the CLI's options or the form's fields. */
export interface LayoutAnswerNames {
  headerRow: string;
  column: string;
}

/**
 * A mapping profile with a pinned header row and column roles on top of it: a header row given
 * here replaces the profile's (sheet by sheet when both name sheets), a column given here wins over
 * the profile's pin of the same column. Undefined when there is neither profile nor answer. A bad
 * answer is a BadInputError naming the option or field and what it should be.
 */
export function withLayoutAnswers(
  profile: MappingProfile | undefined,
  answers: LayoutAnswers,
  names: LayoutAnswerNames,
): MappingProfile | undefined {
  const headerRows = answers.headerRows ?? [];
  const columns = answers.columns ?? [];
  if (headerRows.length === 0 && columns.length === 0) return profile;
  const result: MappingProfile = { ...profile };
  if (headerRows.length) result.headerRow = headerRowAnswer(headerRows, names);
  if (
    typeof profile?.headerRow === "object" &&
    typeof result.headerRow === "object"
  )
    result.headerRow = overHeaderRows(profile.headerRow, result.headerRow);
  if (columns.length) {
    const pinned: NonNullable<MappingProfile["columns"]> = {};
    for (const entry of columns) {
      const match = /^(.+?)\s*=\s*([A-Za-z]+)\s*$/.exec(entry.trim());
      if (!match)
        throw new BadInputError(
          `${names.column} "${entry}" must be written "Heading=role" or "C=role" (a column letter), e.g. "Saving 2010/11=amount".`,
          { [names.column]: entry },
        );
      const role = match[2]!;
      if (!isPinnedRole(role))
        throw new BadInputError(
          `${names.column} "${entry}": "${role}" is not a column role (one of ${PINNED_ROLE_WORDS}).`,
          { [names.column]: entry },
        );
      pinned[match[1]!.trim()] = role;
    }
    result.columns = { ...profile?.columns, ...pinned };
  }
  return result;
}

/** `--header-row` given once for every sheet ("4"), or once for each sheet it names ("Tracker!4"). */
function headerRowAnswer(
  entries: readonly string[],
  names: LayoutAnswerNames,
): number | Record<string, number> {
  const bySheet: Record<string, number> = {};
  let everySheet: number | undefined;
  for (const entry of entries) {
    const match = /^(?:(.+?)\s*[!:]\s*)?(\d{1,7})\s*$/.exec(entry.trim());
    const row = match ? Number(match[2]) : 0;
    if (!match || row < 1)
      throw new BadInputError(
        `${names.headerRow} "${entry}" must be a row number (1 or more), or a sheet and its row: "Tracker!4".`,
        { [names.headerRow]: entry },
      );
    const sheet = match[1]?.replace(/^'(.*)'$/, "$1").trim();
    if (sheet) bySheet[sheet] = row;
    else everySheet = row;
  }
  const named = Object.keys(bySheet).length;
  if (everySheet !== undefined && named)
    throw new BadInputError(
      `${names.headerRow} was given both for every sheet (${everySheet}) and for named sheets: give one row for every sheet, or one for each sheet ("Tracker!4").`,
    );
  return everySheet ?? bySheet;
}
