import { parseFinancialYear } from "../schema/financial-year-text.js";
import { MONTH_NAMES } from "../schema/month-names.js";
import { financialYearOfPeriod } from "../schema/reporting-period.js";
import { readPeriodPhrase } from "./reporting-period-text.js";

/** A month's name or its first three letters ("Apr", "April"); "Sept" too. */
const MONTH = `(${MONTH_NAMES.map((m) => `${m.slice(0, 3)}(?:${m.slice(3)}|t)?`).join("|")})`;
const QUARTER_NUMBER =
  /(?:^|\s)(?:q|qtr|quarter)\s*([1-4])(?=\s|$)|(?:^|\s)([1-4])(?:st|nd|rd|th)\s+(?:qtr|quarter)(?=\s|$)/i;
const MONTH_RANGE = new RegExp(
  `(?:^|\\s)${MONTH}\\.?\\s*(?:-|–|—|to)\\s*${MONTH}\\.?(?=\\s|$)`,
  "i",
);

function monthIndex(written: string): number {
  const three = written.slice(0, 3).toLowerCase();
  return MONTH_NAMES.findIndex((m) => m.slice(0, 3).toLowerCase() === three);
}

/**
 * The quarter of the financial year a header names, and its other words: "Q1", "Qtr 2", "Quarter 3",
 * "4th quarter", or the quarter's months ("Apr-Jun", "July to September", "Oct – Dec", "Jan-Mar";
 * quarter 1 is April to June). Brackets are ignored ("Q1 (Apr-Jun)"). Null when it names none, or
 * when a month range is not one of the four quarters.
 */
export function readQuarter(
  text: string,
): { quarter: number; words: string } | null {
  const plain = text.replace(/[()[\]]/g, " ").replace(/\s+/g, " ");
  let quarter: number | null = null;
  let rest = plain;
  const numbered = QUARTER_NUMBER.exec(plain);
  if (numbered) {
    quarter = Number(numbered[1] ?? numbered[2]);
    rest = plain.replace(QUARTER_NUMBER, " ");
  }
  const range = MONTH_RANGE.exec(rest);
  if (range) {
    const first = monthIndex(range[1]!);
    const last = monthIndex(range[2]!);
    // April (3) starts quarter 1; a quarter's last month is two after its first.
    const fromApril = (first - 3 + 12) % 12;
    if (fromApril % 3 !== 0 || (first + 2) % 12 !== last) return null;
    const byMonths = fromApril / 3 + 1;
    if (quarter !== null && quarter !== byMonths) return null;
    quarter = byMonths;
    rest = rest.replace(MONTH_RANGE, " ");
  }
  if (quarter === null) return null;
  return { quarter, words: rest.replace(/\s+/g, " ").trim() };
}

/**
 * A quarter written as its months with their calendar year ("Apr-Jun 2010", "Jan-Mar 2011
 * Forecast"): the quarter, its financial year (January to March fall in the next calendar year:
 * "Jan-Mar 2011" is quarter 4 of 2010/11) and the text without the calendar year. Null when the
 * text has no calendar year or names no quarter by its months ("Q1 2010" could be either year's).
 */
export function quarterByMonthsOfYear(
  written: string,
): { quarter: number; year: number; words: string } | null {
  // Brackets are ignored, as readQuarter ignores them: "Q1 (Apr-Jun 2011)".
  const text = written
    .replace(/[()[\]]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  const calendar = /(?:^|\s)((?:19|20)\d{2})(?=\s|$)/.exec(text);
  if (!calendar) return null;
  const words =
    `${text.slice(0, calendar.index)} ${text.slice(calendar.index + calendar[0].length)}`
      .replace(/\s+/g, " ")
      .trim();
  const read = MONTH_RANGE.test(words) ? readQuarter(words) : null;
  if (!read) return null;
  return {
    quarter: read.quarter,
    year: Number(calendar[1]) - (read.quarter === 4 ? 1 : 0),
    words,
  };
}

/** Words before a quarter's last month saying so: "Quarter ending", "Qtr ended", "Quarter to", "Q/E", "QE". */
const QUARTER_ENDING =
  "(?:(?:quarter|qtr)\\s+(?:end(?:ing|ed)?|to)|q\\/?e)\\s+";

/**
 * A month of a year within a text: "Jun 2011", "June 2011", "Jun-11", "30 June 2011", "30/06/2011",
 * "2011-06-30" (a date cell's text), after "Quarter ending" or not.
 */
const MONTH_OF_YEAR = new RegExp(
  `(?:^|\\s)(?:${QUARTER_ENDING})?((?:\\d{1,2}(?:st|nd|rd|th)?\\s+)?${MONTH}\\.?[\\s,\\-]+(?:\\d{4}|\\d{2})|\\d{1,2}/\\d{1,2}/\\d{4}|\\d{4}-\\d{1,2}-\\d{1,2})(?=\\s|$)`,
  "i",
);

/**
 * The month a header or a Quarter cell names ("YYYY-MM") and its other words: the whole text as a
 * period line reads it ("June 2010", "P3 2010/11", a date: readPeriodPhrase, the one month rule),
 * else a month of a year within it ("Forecast Jun 2011", "Quarter ending 30 June 2011"). Null when
 * it names none.
 */
export function monthNamed(
  value: string | Date,
): { period: string; words: string } | null {
  const phrase = readPeriodPhrase(value);
  if (phrase.status === "month") return { period: phrase.period, words: "" };
  if (value instanceof Date) return null;
  const text = value
    .replace(/[()[\]]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  const found = MONTH_OF_YEAR.exec(text);
  if (!found) return null;
  const month = readPeriodPhrase(found[1]!);
  if (month.status !== "month") return null;
  const words =
    `${text.slice(0, found.index)} ${text.slice(found.index + found[0].length)}`
      .replace(/\s+/g, " ")
      .trim();
  return { period: month.period, words };
}

/**
 * The quarter a month ends, as quarters are often headed and dated by their last month: June,
 * September, December or March, of the financial year it falls in (April to March: "Mar 2012" ends
 * quarter 4 of 2011/12, "Jun 2011" quarter 1 of 2011/12). Null for a month that ends no quarter.
 */
export function quarterEndedBy(
  period: string,
): { quarter: number; year: number } | null {
  const month = Number(period.slice(5, 7));
  if (month % 3 !== 0) return null;
  return {
    quarter: month === 3 ? 4 : month / 3 - 1,
    year: financialYearOfPeriod(period),
  };
}

/** A quarter of a financial year (1 is April to June), with the year when the text names it too. */
export interface QuarterOfYear {
  quarter: number;
  /** The financial year's first calendar year (2010 for 2010/11); null when the cell names none. */
  year: number | null;
}

/**
 * The quarter a Quarter column's cell names: "Q1", "Qtr 2", "Quarter 3", "Apr-Jun", 1 to 4 (no
 * year); with its financial year, "Q1 2010/11", "Q1 10/11", "2010/11 Q1", "Quarter 1 of 2010/11";
 * its months with their calendar year, "Apr-Jun 2010", "Jan-Mar 2011" (quarter 4 of 2010/11); or
 * its last month, as a quarter is often dated, "June 2010", "Quarter ending June 2010" or a date in
 * June 2010 (quarter 1 of 2010/11: quarterEndedBy). Null when it names none: a month that ends no quarter ("May 2010"), or "Q1 2010",
 * which could be a calendar year's quarter or a financial year's.
 */
export function readQuarterCell(
  value: string | number | Date,
): QuarterOfYear | null {
  if (typeof value === "number")
    return [1, 2, 3, 4].includes(value) ? { quarter: value, year: null } : null;
  if (typeof value === "string") {
    const text = value.trim().replace(/\s+/g, " ");
    if (/^[1-4]$/.test(text)) return { quarter: Number(text), year: null };
    const read = readQuarter(text);
    if (read) {
      if (read.words === "") return { quarter: read.quarter, year: null };
      const words = read.words.replace(/^of\s+/i, "");
      const year = parseFinancialYear(words);
      if (year !== null) return { quarter: read.quarter, year };
      const byMonths = quarterByMonthsOfYear(text);
      return byMonths && readQuarter(byMonths.words)?.words === ""
        ? { quarter: byMonths.quarter, year: byMonths.year }
        : null;
    }
  }
  const named = monthNamed(value instanceof Date ? value : String(value));
  if (!named || named.words !== "") return null;
  return quarterEndedBy(named.period);
}
