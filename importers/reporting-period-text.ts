import { parseFinancialYear } from "../schema/financial-year-text.js";
import { MONTH_NAMES } from "../schema/month-names.js";
import { isReportingPeriod } from "../schema/reporting-period.js";

/** What a period text says: a month "YYYY-MM", a period or quarter number still needing its year, or nothing. */
export type PeriodPhrase =
  | { status: "month"; period: string }
  | { status: "needs-year"; text: string }
  | { status: "none" };

/** The months' first three letters, January first. */
const MONTHS = MONTH_NAMES.map((name) => name.slice(0, 3).toLowerCase());
/** A month's name in full or cut short after its third letter ("jun", "june"; "sept" too), lower case, as a capturing group. */
export const MONTH_NAME = `(${MONTH_NAMES.map((name) => {
  const word = name.toLowerCase();
  if (word === "september") return "sep(?:t(?:ember)?)?";
  return word.length > 3 ? `${word.slice(0, 3)}(?:${word.slice(3)})?` : word;
}).join("|")})`;
const FINANCIAL_YEAR =
  "((?:fy\\s*)?(?:\\d{4}|\\d{2})\\s*[/\\-–]\\s*(?:\\d{4}|\\d{2}))";

/** "June 2010", "Jun-10", "30 June 2010", "June, 2010". */
const MONTH_YEAR = new RegExp(
  `^(?:\\d{1,2}(?:st|nd|rd|th)?\\s+)?${MONTH_NAME}\\.?[\\s,\\-]+(\\d{4}|\\d{2})$`,
);
/** "Period 3", "P3", "Month 03", "Mth 3", with an optional financial year and an optional month in brackets. */
const NUMBERED = new RegExp(
  `^(?:(?:fy\\s*)?(\\d{4}\\s*[/\\-–]\\s*\\d{2,4}|\\d{2}\\s*[/\\-–]\\s*\\d{2})\\s+)?(?:period|month|mth|p)\\s*\\.?\\s*0?(\\d{1,2})(?:\\s+(?:of\\s+)?${FINANCIAL_YEAR})?(?:\\s*[(\\-–,:]\\s*(.+?)\\s*\\)?)?$`,
);
/** "Quarter 1 2010/11", "Q1 10/11", "2010/11 Q1", "Qtr 1". */
const QUARTER = new RegExp(
  `^(?:(?:fy\\s*)?(\\d{4}\\s*[/\\-–]\\s*\\d{2,4}|\\d{2}\\s*[/\\-–]\\s*\\d{2})\\s+)?(?:quarter|qtr|q)\\s*\\.?\\s*([1-4])(?:\\s+(?:of\\s+)?${FINANCIAL_YEAR})?$`,
);

function month(year: number, monthIndex: number): string | null {
  const period = `${year}-${String(monthIndex + 1).padStart(2, "0")}`;
  return isReportingPeriod(period) ? period : null;
}

function fullYear(digits: string): number {
  return digits.length === 2 ? 2000 + Number(digits) : Number(digits);
}

/** The month of a financial year's period `n` (period 1 is April, 12 is March). */
export function monthOfFinancialPeriod(
  financialYear: number,
  n: number,
): string | null {
  if (n < 1 || n > 12) return null;
  const index = 3 + n - 1;
  return month(financialYear + Math.floor(index / 12), index % 12);
}

/** A month written on its own: "June 2010", "Jun-10", "2010-06", "06/2010", "30/06/2010", "2010-06-30". */
function plainMonth(text: string): string | null {
  let m = MONTH_YEAR.exec(text);
  if (m) {
    const index = MONTHS.indexOf(m[1]!.slice(0, 3));
    return month(fullYear(m[2]!), index);
  }
  m = /^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$/.exec(text);
  if (m) return month(Number(m[1]), Number(m[2]) - 1);
  m = /^(\d{1,2})[/\-.](\d{4})$/.exec(text);
  if (m) return month(Number(m[2]), Number(m[1]) - 1);
  m = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$/.exec(text);
  if (m && Number(m[1]) <= 31) return month(Number(m[3]), Number(m[2]) - 1);
  return null;
}

/**
 * Reads a whole cell as a reporting period: "June 2010", "2010-06", "Jun-10", "06/2010", "30 June
 * 2010", "Month 3 (June 2010)" (the month in brackets wins), "P3 2010/11", "Period 3 of 2010/11",
 * "2010/11 P3", "Quarter 1 2010/11" (its last month: June 2010), a date. Period n of a financial
 * year is its nth month from April. "Period 3" or "Q1" alone take `financialYear` (found elsewhere
 * in the workbook); without one they are "needs-year".
 */
export function readPeriodPhrase(
  value: Date | string,
  financialYear: number | null = null,
): PeriodPhrase {
  if (value instanceof Date) {
    // An impossible date (a serial past Excel's range) names no month.
    if (Number.isNaN(value.getTime())) value = "";
    else return { status: "month", period: value.toISOString().slice(0, 7) };
  }
  const text = value
    .trim()
    .toLowerCase()
    .replace(/\s+/g, " ")
    .replace(/[.;]$/, "");
  const found = (period: string | null): PeriodPhrase =>
    period ? { status: "month", period } : { status: "none" };
  const plain = plainMonth(text);
  if (plain) return found(plain);
  const numbered = NUMBERED.exec(text);
  const quarter = numbered ? null : QUARTER.exec(text);
  const match = numbered ?? quarter;
  if (!match) return { status: "none" };
  if (numbered?.[4]) {
    // "Month 3 (June 2010)": the month written out is the one meant.
    const bracketed = plainMonth(numbered[4]);
    if (bracketed) return found(bracketed);
    if (financialYearIn(numbered[4]) === null) return { status: "none" };
  }
  const yearText = match[1] ?? match[3] ?? numbered?.[4];
  const year = yearText ? parseFinancialYear(yearText) : financialYear;
  if (yearText && year === null) return { status: "none" };
  const n = Number(match[2]);
  if (year === null)
    return n >= 1 && n <= (numbered ? 12 : 4)
      ? { status: "needs-year", text: value.trim() }
      : { status: "none" };
  return found(monthOfFinancialPeriod(year, numbered ? n : n * 3));
}

/** The first financial year a text mentions ("Savings 2010/11", "FY10-11"), or null. */
export function financialYearIn(text: string): number | null {
  const pattern = new RegExp(`(?<![\\d/])${FINANCIAL_YEAR}(?![\\d/])`, "gi");
  for (const m of text.toLowerCase().matchAll(pattern)) {
    const year = parseFinancialYear(m[1]!);
    if (year !== null) return year;
  }
  return null;
}

/**
 * The month a sheet or file name gives: "June 2010", "Jun-10", "Jun10", "2010-06", "2010_06",
 * "201006", "P3 2010-11", "Q1 10-11" anywhere in it ("tracker-2010-06.xlsx", "June 2010
 * tracker.xlsx"). "2010-11" is read as the financial year 2010/11, not November 2010; a name
 * naming two different months gives none.
 */
export function periodInName(name: string): string | null {
  const text = name
    .toLowerCase()
    .replace(/\.(?:xlsx|xlsm|xls|ods|csv)$/, "")
    .replace(/[_]+/g, " ");
  const found = new Set<string>();
  const wordMonth = new RegExp(
    `(?<![a-z])${MONTH_NAME}[\\s\\-.,]*((?:19|20)\\d{2}|\\d{2})(?![\\d])`,
    "g",
  );
  for (const m of text.matchAll(wordMonth)) {
    const period = month(fullYear(m[2]!), MONTHS.indexOf(m[1]!.slice(0, 3)));
    if (period) found.add(period);
  }
  for (const m of text.matchAll(
    /(?<!\d)((?:19|20)\d{2})[\s\-.]?(\d{2})(?:[\s\-.]?(\d{2}))?(?!\d)/g,
  )) {
    const year = Number(m[1]);
    const monthNumber = Number(m[2]);
    // "2010-11" alone is a financial year; "2010-11-30" is a day in November.
    if (!m[3] && monthNumber === (year + 1) % 100) continue;
    const period = month(year, monthNumber - 1);
    if (period) found.add(period);
  }
  for (const m of text.matchAll(
    new RegExp(
      `(?<![a-z])(?:period|month|p|quarter|qtr|q)\\s*\\.?\\s*\\d{1,2}\\s+${FINANCIAL_YEAR}(?![\\d])`,
      "g",
    ),
  )) {
    const phrase = readPeriodPhrase(m[0]);
    if (phrase.status === "month") found.add(phrase.period);
  }
  return found.size === 1 ? [...found][0]! : null;
}
