import { BadInputError } from "../errors/hub-error.js";
import { MONTH_NAMES } from "./month-names.js";

/** A reporting period is the month of a tracker, written YYYY-MM ("2010-06"). */
const REPORTING_PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;

/** "2010-06" as "June 2010" (anything else as written). */
export function reportingPeriodInWords(period: string): string {
  if (!isReportingPeriod(period)) return period;
  return `${MONTH_NAMES[Number(period.slice(5)) - 1]} ${period.slice(0, 4)}`;
}

/** True when `text` is a month written YYYY-MM: the one check every reader of periods uses. */
export function isReportingPeriod(text: string): boolean {
  return REPORTING_PERIOD.test(text);
}

/**
 * Reads a reporting period a person or client gave (GraphQL `asOf`, `--as-of`, `?asOf=`,
 * `--period`): absent (null or undefined) is null, which callers read as "the latest"; anything
 * else must be a month written YYYY-MM, spaces around it aside. An empty text is refused, not read
 * as "the latest". The one parser of periods typed by users, so the same bad input gets the same
 * BAD_USER_INPUT error, naming `argument`, from GraphQL, the CLI and HTTP.
 */
export function parseReportingPeriodArgument(
  value: string | null | undefined,
  argument: string,
): string | null {
  if (value === null || value === undefined) return null;
  const period = value.trim();
  if (!isReportingPeriod(period))
    throw new BadInputError(
      `${argument} must be a month written YYYY-MM, e.g. "2010-03"; got "${value}".`,
      { [argument]: value },
    );
  return period;
}

/** The financial year a reporting month falls in, by its first calendar year: "2010-06" → 2010, "2011-02" → 2010. */
export function financialYearOfPeriod(period: string): number {
  const year = Number(period.slice(0, 4));
  return Number(period.slice(5, 7)) >= 4 ? year : year - 1;
}
