import { MONTH_NAMES } from "../schema/month-names.js";

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
