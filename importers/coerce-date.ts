import { MONTH_NAMES } from "../schema/month-names.js";
import type { CellValue } from "./cell-value.js";

/**
 * What a date cell says: an exact day; a period ("April 2007", "mid 2007", "Summer 2007") kept as
 * written with the first and last day it can mean; nothing ("TBC", blank); or unreadable text.
 */
export type DateReading =
  | { kind: "day"; date: string }
  | { kind: "period"; text: string; from: string; to: string }
  | { kind: "none" }
  | { kind: "bad" };

/** The years a date may fall in: Excel's range, 1900 to 9999. */
const FIRST_YEAR = 1900;
const LAST_YEAR = 9999;

const MONTHS = MONTH_NAMES.map((name) => name.toLowerCase());

function monthIndex(word: string): number {
  const w = word.toLowerCase().replace(/\.$/, "");
  if (w.length < 3) return -1;
  return MONTHS.findIndex(
    (m) => m.startsWith(w) || (w === "sept" && m === "september"),
  );
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

function iso(year: number, month: number, day: number): string | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day
  )
    return null;
  return `${year}-${pad(month)}-${pad(day)}`;
}

function lastDay(year: number, month: number): string {
  return iso(year, month, new Date(Date.UTC(year, month, 0)).getUTCDate())!;
}

function fullYear(text: string): number {
  const n = Number(text);
  return text.length === 2 ? (n < 50 ? 2000 + n : 1900 + n) : n;
}

/** Months (first, last; last may pass 12 into the next year) that loose words mean. */
const LOOSE: Record<string, [number, number]> = {
  early: [1, 4],
  "beginning of": [1, 4],
  "start of": [1, 4],
  mid: [5, 8],
  middle: [5, 8],
  "middle of": [5, 8],
  late: [9, 12],
  "end of": [9, 12],
  spring: [3, 5],
  summer: [6, 8],
  autumn: [9, 11],
  fall: [9, 11],
  winter: [12, 14],
  q1: [1, 3],
  q2: [4, 6],
  q3: [7, 9],
  q4: [10, 12],
  "first half": [1, 6],
  "second half": [7, 12],
};

function period(
  text: string,
  year: number,
  first: number,
  last: number,
): DateReading {
  const endYear = year + Math.floor((last - 1) / 12);
  const endMonth = ((last - 1) % 12) + 1;
  return {
    kind: "period",
    text,
    from: `${year}-${pad(first)}-01`,
    to: lastDay(endYear, endMonth),
  };
}

/**
 * The day an Excel date serial names in the 1900 system (40330 is 1 June 2010), for a date column
 * whose cells lost their date format or a CSV exported with serials: whole numbers from 20000
 * (1954) to 80000 (2119) only, so that a year (2007) or an amount is never taken for a day.
 */
export function excelSerialDay(value: number): Date | null {
  if (!Number.isInteger(value) || value < 20_000 || value > 80_000) return null;
  return new Date(Date.UTC(1899, 11, 30) + value * 86_400_000);
}

/**
 * Reads a date as councils write it: a real Excel date (exceljs hands it over as a Date, whether the
 * workbook counts from 1900 or 1904), "01/04/2007" (day first, as in England), "1 April 2007",
 * "April 2007", "2007", and loose text such as "mid 2007", "Summer 2007", "early 2008", "Q3 2009",
 * kept as written with the range it means. Leading "by", "from", "in" or "around" are allowed. A
 * number is a year (2007) or an Excel date serial (40330, see excelSerialDay); "Jun-10" is June 2010.
 */
export function readDate(value: CellValue): DateReading {
  if (value === null) return { kind: "none" };
  if (value instanceof Date) {
    const year = value.getUTCFullYear();
    // Excel's own range; outside it (or an invalid Date) the database could not take the day either.
    if (!(year >= FIRST_YEAR && year <= LAST_YEAR)) return { kind: "bad" };
    // exceljs builds dates at UTC midnight; keep the calendar day as written.
    return { kind: "day", date: value.toISOString().slice(0, 10) };
  }
  if (typeof value === "number") {
    if (Number.isInteger(value) && value >= 1990 && value <= 2100)
      return period(String(value), value, 1, 12);
    const day = excelSerialDay(value);
    return day ? readDate(day) : { kind: "bad" };
  }
  if (typeof value !== "string") return { kind: "bad" };
  const written = value.trim();
  let text = written.toLowerCase().replace(/\s+/g, " ");
  if (["", "-", "tbc", "tba", "n/a", "unknown", "not known"].includes(text))
    return { kind: "none" };
  text = text.replace(
    /^(?:by|from|in|around|approx\.?|circa|c\.|during|before|after|expected|planned|target)\s+/,
    "",
  );
  let m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$/.exec(text);
  if (m) {
    const date = iso(fullYear(m[3]!), Number(m[2]), Number(m[1]));
    return date ? { kind: "day", date } : { kind: "bad" };
  }
  m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (m) {
    const date = iso(Number(m[1]), Number(m[2]), Number(m[3]));
    return date ? { kind: "day", date } : { kind: "bad" };
  }
  m = /^(\d{1,2})(?:st|nd|rd|th)? ([a-z]+\.?),? (\d{4})$/.exec(text);
  if (m) {
    const month = monthIndex(m[2]!);
    const date = month >= 0 ? iso(Number(m[3]), month + 1, Number(m[1])) : null;
    return date ? { kind: "day", date } : { kind: "bad" };
  }
  m = /^([a-z]+\.?),? (\d{4})$/.exec(text);
  if (m && monthIndex(m[1]!) >= 0) {
    const month = monthIndex(m[1]!) + 1;
    return period(written, Number(m[2]), month, month);
  }
  // "Jun-10", "June 10": a month and a two-digit year, as Excel shows a month-formatted date.
  m = /^([a-z]+\.?)[ -](\d{2})$/.exec(text);
  if (m && monthIndex(m[1]!) >= 0) {
    const month = monthIndex(m[1]!) + 1;
    return period(written, fullYear(m[2]!), month, month);
  }
  m = /^(\d{1,2})[/-](\d{4})$/.exec(text);
  if (m && Number(m[1]) >= 1 && Number(m[1]) <= 12)
    return period(written, Number(m[2]), Number(m[1]), Number(m[1]));
  m = /^(\d{4})$/.exec(text);
  if (m) return period(written, Number(m[1]), 1, 12);
  // A serial as a CSV exports it ("40330"), read as the number would be.
  if (/^\d{5}$/.test(text)) return readDate(Number(text));
  m = /^(.+?)[ -](\d{4})$/.exec(text);
  if (m) {
    const words = m[1]!.replace(/-$/, "").trim();
    const range = LOOSE[words];
    if (range) return period(written, Number(m[2]), range[0], range[1]);
  }
  return { kind: "bad" };
}
