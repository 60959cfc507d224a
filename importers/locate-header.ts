import {
  formatFinancialYear,
  parseFinancialYear,
} from "../schema/financial-year-text.js";
import { CouncilRegister } from "../register/resolve-council.js";
import { readPeriodPhrase } from "./reporting-period-text.js";
import { amountScale } from "./coerce-amount.js";
import { excelSerialDay } from "./coerce-date.js";
import { readCashableWords, readMeasure } from "./read-measure.js";
import {
  monthNamed,
  quarterByMonthsOfYear,
  quarterEndedBy,
  readQuarter,
} from "./quarter-header.js";
import { isTotalLabel } from "./total-label.js";
import {
  HEADER_SYNONYMS,
  headerKey,
  isEstimatedSaving,
} from "./header-synonyms.js";
import { pinnedHeaderRow, type MappingProfile } from "./mapping-profile.js";
import type { CellValue, SheetRow } from "./read-workbook-sheets.js";

/** How many rows from the top of a sheet are searched for the header. */
export const HEADER_SEARCH_ROWS = 20;

/** What the lines above a table say: title, reporting period, partnership, partners, submitter, scale. */
export interface TitleFacts {
  title: string | null;
  /**
   * "YYYY-MM", from "Period: June 2010", "Reporting period: 2010-06", "Month 3 (June 2010)", a line
   * "P3 2010/11" or "Quarter 1 2010/11", or a title ending "– June 2010".
   */
  period: string | null;
  /** The period as written ("Period 3"), kept when it still needs a year from elsewhere. */
  periodText: string | null;
  /** The text after "Period:" when it is not a month. */
  badPeriod: string | null;
  /** The labelled period line's value as written ("P3 2010/11", "2010/11"), for the year it names. */
  periodWritten: string | null;
  /** Every line above the header that is not a labelled fact (the title first). */
  lines: string[];
  /** The A1 cell each of `lines` starts in. */
  lineCells: string[];
  partnership: string | null;
  partners: string | null;
  submittedBy: string | null;
  /** 1000 under "All figures £000", 1,000,000 under "£m"; 1 otherwise. */
  scale: bigint;
  /** Where the facts were read, for problems: the A1 cell of each. */
  cells: Partial<
    Record<"period" | "partnership" | "partners" | "submittedBy", string>
  >;
}

/** The header row found, with its texts (index 0 is column A). */
export interface LocatedHeader {
  /** The index (in the rows searched) of the header's last row: the table's rows follow it. */
  rowIndex: number;
  rowNumber: number;
  /** The index of the header's first row: rowIndex, or the row above it for a two-row header. */
  firstRowIndex: number;
  /**
   * Each column's header; a two-row header's rows joined ("2010/11 Target", "Forecast 2011/12",
   * "Amount £000"), a cell merged over several sub-headers joined to each of them.
   */
  headers: string[];
}

/** The text a cell shows, for headers and labels. */
export function cellText(value: CellValue | undefined): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date)
    return Number.isNaN(value.getTime())
      ? "(not a date)"
      : value.toISOString().slice(0, 10);
  return String(value).trim();
}

/** The month "YYYY-MM" a period text or date names ("June 2010", "2010-06", "P3 2010/11"), or null. */
export function readPeriod(value: CellValue | string): string | null {
  const phrase = readPeriodPhrase(
    value instanceof Date ? value : String(value ?? ""),
  );
  return phrase.status === "month" ? phrase.period : null;
}

function columnLetter(index: number): string {
  let n = index + 1;
  let letters = "";
  while (n > 0) {
    const r = (n - 1) % 26;
    letters = String.fromCharCode(65 + r) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/** The A1 column letters of a 0-based column index (0 → "A", 27 → "AB"). */
export { columnLetter };

const LABELS: [
  RegExp,
  "period" | "partnership" | "partners" | "submittedBy",
][] = [
  [
    /^(?:reporting\s+period|period|reporting\s+month|month|as\s+at)\b\s*[:\-–]?\s*/i,
    "period",
  ],
  [
    /^(?:partnership|programme|shared\s+service\s+partnership)\s*[:\-–]\s*/i,
    "partnership",
  ],
  [
    /^(?:partners|partner\s+councils|partner\s+authorities|councils)\s*[:\-–]\s*/i,
    "partners",
  ],
  [
    /^(?:submitted\s+by|reported\s+by|prepared\s+by|council|authority)\s*[:\-–]\s*/i,
    "submittedBy",
  ],
];

/** Reads the title lines above the header (or all the first rows when there is no header yet). */
export function readTitleFacts(rows: readonly SheetRow[]): TitleFacts {
  const facts: TitleFacts = {
    title: null,
    period: null,
    periodText: null,
    badPeriod: null,
    periodWritten: null,
    lines: [],
    lineCells: [],
    partnership: null,
    partners: null,
    submittedBy: null,
    scale: 1n,
    cells: {},
  };
  for (const row of rows) {
    const filled = row.cells
      .map((value, index) => ({ value, index, text: cellText(value) }))
      .filter((c) => c.text !== "");
    if (filled.length === 0) continue;
    const first = filled[0]!;
    const joined = filled.map((c) => c.text).join(" ");
    if (facts.scale === 1n) facts.scale = amountScale(joined);
    let labelled = false;
    for (const [pattern, fact] of LABELS) {
      const match = pattern.exec(first.text);
      if (!match) continue;
      // "Period:" alone in one cell with the value in the next, or "Period: June 2010" in one cell.
      const rest = first.text.slice(match[0].length).trim();
      const valueCell = rest === "" ? filled[1] : first;
      let value: CellValue | string =
        rest === "" ? (filled[1]?.value ?? "") : rest;
      if (fact === "period") {
        // "Period:" over a date that lost its format: Excel's serial (40330 is June 2010).
        if (typeof value === "number") value = excelSerialDay(value) ?? value;
        const colon = /[:\-–]/.test(match[0]);
        // "Period 3 2010/11" and "Month 3 (June 2010)" are read whole; other unlabelled text is prose.
        if (!colon && rest !== "") {
          if (readPeriodPhrase(first.text).status !== "none")
            value = first.text;
          else if (readPeriod(rest) === null) continue;
        }
        // "Period: 3" is period 3.
        if (
          (typeof value === "string" || typeof value === "number") &&
          readPeriodPhrase(String(value)).status === "none" &&
          /^\d{1,2}\b/.test(String(value))
        )
          value = `period ${value}`;
      }
      labelled = true;
      const cell = valueCell
        ? `${columnLetter(valueCell.index)}${row.number}`
        : undefined;
      if (fact === "period") {
        const phrase = readPeriodPhrase(
          value instanceof Date ? value : cellText(value as CellValue),
        );
        if (phrase.status === "month") facts.period = phrase.period;
        else if (phrase.status === "needs-year") facts.periodText = phrase.text;
        else facts.badPeriod = cellText(value as CellValue);
        facts.periodWritten = cellText(value as CellValue) || null;
      } else facts[fact] = cellText(value as CellValue) || null;
      if (cell) facts.cells[fact] = cell;
      break;
    }
    if (labelled) continue;
    if (facts.title === null) facts.title = joined;
    facts.lines.push(joined);
    facts.lineCells.push(`${columnLetter(first.index)}${row.number}`);
    if (facts.period === null && facts.periodText === null) {
      // A line that is a period ("P3 2010/11") or a title ending in one ("Savings tracker – June 2010").
      for (const c of filled) {
        const tail = /[–—:-]\s*([^–—:-]+)$/.exec(c.text)?.[1];
        let phrase = readPeriodPhrase(
          c.value instanceof Date ? c.value : c.text,
        );
        if (phrase.status === "none" && tail) phrase = readPeriodPhrase(tail);
        if (phrase.status === "none") continue;
        if (phrase.status === "month") facts.period = phrase.period;
        else facts.periodText = phrase.text;
        facts.cells.period = `${columnLetter(c.index)}${row.number}`;
        break;
      }
    }
  }
  return facts;
}

/**
 * The title facts of a table under its own heading lines, below a sheet's title (a governance list
 * headed "Governance" under a tracker): the heading's lines follow the sheet's (the sheet's title
 * still names the partnership a workbook's title names) and each labelled fact the heading names
 * ("Period:", "Partnership:") wins over the sheet's.
 */
export function underHeading(
  sheet: TitleFacts,
  heading: TitleFacts,
): TitleFacts {
  if (heading.lines.length === 0 && Object.keys(heading.cells).length === 0)
    return sheet;
  const named = <K extends keyof TitleFacts>(key: K): TitleFacts[K] =>
    heading[key] ?? sheet[key];
  // A period is one fact, however it was read: the heading's whole, or the sheet's.
  const period =
    heading.period !== null ||
    heading.periodText !== null ||
    heading.badPeriod !== null
      ? heading
      : sheet;
  return {
    title: sheet.title ?? heading.title,
    period: period.period,
    periodText: period.periodText,
    badPeriod: period.badPeriod,
    periodWritten: period.periodWritten,
    lines: [...sheet.lines, ...heading.lines],
    lineCells: [...sheet.lineCells, ...heading.lineCells],
    partnership: named("partnership"),
    partners: named("partners"),
    submittedBy: named("submittedBy"),
    scale: heading.scale !== 1n ? heading.scale : sheet.scale,
    cells: { ...sheet.cells, ...heading.cells },
  };
}

/** A scale or currency mark in a header: "(£000)", "£k", "£". */
const SCALE_MARK = /\(?\s*£\s*(?:'?000s?|k|m)?\s*\)?/gi;

function isYearHeader(text: string): boolean {
  return yearHeader(text) !== null;
}

/** Words beside a month that make it a date things are counted to, not a quarter ("Achieved to June 2011"). */
const UP_TO = /\b(?:to|until|till|since|by|ytd|cumulative|as at)\b/i;

/**
 * A wide tracker's year header: "2010/11", "FY2010/11", "2010-2011", "10/11", optionally with a
 * measure ("2010/11 Target", "Achieved 2010/11") and a scale ("2010/11 (£000)"); or a quarter's
 * months with their calendar year ("Apr-Jun 2010", "Q1 (Apr-Jun 2010)", "Jan-Mar 2011": the
 * financial year they fall in, the months left in `words` for the quarter); or, unless `lastMonths`
 * is false (a sheet whose months across end no quarter is monthly, not quarterly), a quarter's last
 * month ("Jun 2011", "Mar 2012", a date, "Quarter ending June 2011", "Forecast Jun 2011": the
 * quarter it ends, quarterEndedBy, left in `words` as "Q1"), with no words but a measure's.
 */
export function yearHeader(
  text: string,
  lastMonths = true,
): { year: number; words: string } | null {
  const key = text.replace(SCALE_MARK, " ").trim();
  const match =
    /(?:^|\s)((?:FY\s*)?(?:\d{4}|\d{2})\s*[/\-–]\s*(?:\d{4}|\d{2}))(?:\s|$)/i.exec(
      key,
    );
  if (!match) {
    const byMonths = quarterByMonthsOfYear(key);
    if (byMonths) return { year: byMonths.year, words: byMonths.words };
    const named = lastMonths ? monthHeader(key) : null;
    const quarter = named && quarterEndedBy(named.period);
    if (!quarter) return null;
    return {
      year: quarter.year,
      words: `Q${quarter.quarter} ${named!.words}`.trim(),
    };
  }
  const year = parseFinancialYear(match[1]!);
  if (year === null) return null;
  const words = (
    key.slice(0, match.index) +
    " " +
    key.slice(match.index + match[0].length)
  )
    .replace(/\s+/g, " ")
    .trim();
  return { year, words };
}

/**
 * A header naming a month of a year, alone or with a measure ("Jun 2011", "May 2011", "Forecast Jun
 * 2011", a date): the month and the measure's words. Not one counted to ("Achieved to June 2011").
 */
function monthHeader(key: string): { period: string; words: string } | null {
  const named = monthNamed(key);
  if (!named || named.words === "") return named;
  const { words } = named;
  return UP_TO.test(words) ||
    (readMeasure(words) === null && readCashableWords(words) === null)
    ? null
    : named;
}

/**
 * A header naming a month that ends no quarter ("May 2011"): months across of which one is such are
 * a monthly tracker's, and none of them is read as a quarter (see yearHeader).
 */
export function isMonthEndingNoQuarter(text: string): boolean {
  if (yearHeader(text, false) !== null) return false;
  const named = monthHeader(text.replace(SCALE_MARK, " ").trim());
  return named !== null && quarterEndedBy(named.period) === null;
}

/** A header naming a quarter by its last month ("Jun 2011"): one alone in a row is data, not a header. */
function isLastMonthHeader(text: string): boolean {
  return yearHeader(text, false) === null && yearHeader(text) !== null;
}

/**
 * The council a header names ("Chesterfield Borough Council", "Bolsover", "CBC (£000)" names "CBC"),
 * or null. Only short texts with letters are looked up: a header is a name, never a paragraph or a
 * number.
 */
export function councilHeader(header: string): string | null {
  const name = header.replace(SCALE_MARK, " ").replace(/\s+/g, " ").trim();
  return name.length <= 100 &&
    /[a-z]/i.test(name) &&
    CouncilRegister.default().resolveCouncil(name).status !== "unknown"
    ? name
    : null;
}

/**
 * A council's header that names a measure too ("CBC Target", "Target – Bolsover", "Chesterfield
 * (Actual)", "CBC Non-cashable forecast"): the council (as councilHeader reads it) and the measure's
 * words, which are one to three words at either end. Null when the header is not both.
 */
export function councilMeasureHeader(
  header: string,
): { council: string; words: string } | null {
  const tokens = header
    .replace(SCALE_MARK, " ")
    .split(/\s+/)
    .filter((t) => t !== "");
  const trim = (words: string[]) =>
    words
      .join(" ")
      .replace(/^[\s([–—:-]+|[\s)\]–—:-]+$/g, "")
      .trim();
  for (let k = 1; k <= 3 && k < tokens.length; k++)
    for (const [words, rest] of [
      [tokens.slice(-k), tokens.slice(0, -k)],
      [tokens.slice(0, k), tokens.slice(k)],
    ] as const) {
      const measure = trim(words);
      if (!readMeasure(measure) && readCashableWords(measure) === null)
        continue;
      const council = councilHeader(trim(rest));
      if (council !== null) return { council, words: measure };
    }
  return null;
}

/** Whether a header names one council of the register (see councilHeader). */
export function isCouncilHeader(header: string): boolean {
  return councilHeader(header) !== null;
}

/** The headers every sheet kind knows (synonyms and the profile's additions), by headerKey. */
function knownHeaders(profile: MappingProfile | undefined): Set<string> {
  const known = new Set<string>();
  for (const list of Object.values(HEADER_SYNONYMS))
    for (const h of list) known.add(headerKey(h));
  for (const list of Object.values(profile?.synonyms ?? {}))
    for (const h of list ?? []) known.add(headerKey(h));
  for (const header of Object.keys(profile?.columns ?? {}))
    if (!/^[A-Z]{1,3}$/.test(header)) known.add(headerKey(header));
  return known;
}

/** The headers of an amount ("Amount", "Saving", "Award", "Estimated annual saving"), by headerKey. */
const AMOUNT_HEADERS = new Set(
  [
    ...HEADER_SYNONYMS.amount,
    ...HEADER_SYNONYMS.annualSaving,
    ...HEADER_SYNONYMS.award,
  ].map(headerKey),
);

/**
 * What a header cell says that a cell merged over it, or under it, can complete: a financial year
 * ("2010/11"), a measure or cashability ("Target", "Non-cashable forecast"), a scale or currency
 * mark alone ("£000", "(£k)", "£"), an amount ("Saving"), or another known header ("Service").
 */
type HeaderPart =
  | "year"
  | "quarter"
  | "total"
  | "measure"
  | "scale"
  | "amount"
  | "known"
  | "council";

function headerPart(text: string, known: Set<string>): HeaderPart | null {
  if (text === "") return null;
  if (yearHeader(text)) return "year";
  if (readQuarter(text)) return "quarter";
  if (isYearTotalHeader(text) || isYearToDateHeader(text) || isTotalLabel(text))
    return "total";
  const key = headerKey(text);
  if (key === "") return /£|'?000|\bk\b/i.test(text) ? "scale" : null;
  if (AMOUNT_HEADERS.has(key) || isEstimatedSaving(key)) return "amount";
  if (known.has(key)) return "known";
  if (readMeasure(text) || readCashableWords(text) !== null) return "measure";
  if (isCouncilHeader(text)) return "council";
  return null;
}

/**
 * Whether `lower` completes the cell `upper` spreads over it (merged, or written once with blanks to
 * its right as a CSV has it): a year under a measure, an amount, a quarter or a council, a measure
 * under a year, an amount, a council (Target | Actual under each council) or a total, a council
 * under a year or a measure (a cross-tab of councils across, each year's or measure's councils
 * under it), a quarter or a year's total ("Total", "Full year") under a year, a scale mark under
 * anything but a name.
 */
function completes(upper: HeaderPart, lower: HeaderPart): boolean {
  if (lower === "scale") return upper !== "known";
  if (lower === "year")
    return (
      upper === "measure" ||
      upper === "amount" ||
      upper === "quarter" ||
      upper === "council"
    );
  if (lower === "measure")
    return (
      upper === "year" ||
      upper === "amount" ||
      upper === "council" ||
      upper === "total" ||
      upper === "quarter"
    );
  if (lower === "council") return upper === "year" || upper === "measure";
  if (lower === "quarter" || lower === "total") return upper === "year";
  return false;
}

/**
 * A column that totals a year's quarters: "Total", "Year total", "Full year", "Annual total",
 * "FY total" (under a year, or beside quarters of one year).
 */
export function isYearTotalHeader(text: string): boolean {
  return /^(?:(?:grand|year|annual|full[\s-]+year|fy)\s+)?totals?$|^full[\s-]+year$/i.test(
    text.trim().replace(/\s+/g, " "),
  );
}

/**
 * A year-to-date figure: "YTD", "Year to date", "Cumulative", "YTD total" (under a year, or beside
 * quarters of one year, or in a Quarter column). It adds up the quarters so far, so it is checked
 * against the quarters written, never summed with them.
 */
export function isYearToDateHeader(text: string): boolean {
  return /^(?:ytd|year[\s-]+to[\s-]+date|cumulative)(?:\s+(?:total|to\s+date))?$/i.test(
    text.trim().replace(/\s+/g, " "),
  );
}

/**
 * Joins a header of two rows into one text per column, or null when the rows are not one header.
 * Every filled cell of both rows must be a header part; a cell of the upper row spreads right over
 * the blanks beside it while the cells under them complete it ("2010/11" over Target | Forecast |
 * Actual, "Forecast" over 2010/11 | 2011/12), and a lower cell that stands under a filled upper cell
 * must complete it ("Amount" over "£000", "Saving" over "2010/11"). A lone cell at the table's left
 * edge above it is a title line, not part of the header; `leftEdge`: where the table starts when a
 * row above the two says (the Service header of a three-row header, merged down over these two).
 */
function joinHeaderRows(
  upper: SheetRow,
  lower: SheetRow,
  known: Set<string>,
  leftEdge = Infinity,
): string[] | null {
  const width = Math.max(upper.cells.length, lower.cells.length);
  const up = Array.from({ length: width }, (_, i) =>
    cellText(upper.cells[i]).replace(/\s+/g, " "),
  );
  const low = Array.from({ length: width }, (_, i) =>
    cellText(lower.cells[i]).replace(/\s+/g, " "),
  );
  const upParts = up.map((t) => headerPart(t, known));
  const lowParts = low.map((t) => headerPart(t, known));
  if (up.some((t, i) => t !== "" && upParts[i] === null)) return null;
  if (low.some((t, i) => t !== "" && lowParts[i] === null)) return null;
  const upFilled = up.flatMap((t, i) => (t === "" ? [] : [i]));
  const lowFilled = low.flatMap((t, i) => (t === "" ? [] : [i]));
  if (upFilled.length === 0 || lowFilled.length === 0) return null;
  if (
    upFilled.length === 1 &&
    upFilled[0]! <= Math.min(lowFilled[0]!, leftEdge)
  )
    return null; // a title line
  // A cell merged across (where the reader gives merges: .xlsx, .xls, .ods) spreads over its range
  // and no further; a cell with no merge (a CSV, or text written once over unmerged blanks) over
  // the blanks to its right. Either way its Total, or a sub-header it already spread over, ends
  // it: "CEC" again starts the next group, a Total after the year's Total is no longer the year's.
  const mergedTo = new Map<number, number>();
  for (const merge of upper.merges ?? [])
    mergedTo.set(merge.column, merge.lastColumn);
  const headers: string[] = [];
  /** The upper cell each column's header joins (its index), or -1. */
  const joinedTo: number[] = [];
  let spread: {
    at: number;
    part: HeaderPart;
    last: number;
    under: Set<string>;
  } | null = null;
  for (let i = 0; i < width; i++) {
    const u = up[i]!;
    const l = low[i]!;
    const lowPart = lowParts[i];
    if (spread && i > spread.last) spread = null;
    if (u !== "") {
      const upPart = upParts[i]!;
      spread = null;
      if (l === "") {
        headers.push(u);
        joinedTo.push(-1);
        continue;
      }
      // A known header over a known header is two headers that disagree, not one header.
      if (!completes(upPart, lowPart!)) return null;
      headers.push(`${u} ${l}`);
      joinedTo.push(i);
      spread =
        lowPart === "total"
          ? null
          : {
              at: i,
              part: upPart,
              last: mergedTo.get(i) ?? Infinity,
              under: new Set([l.toLowerCase()]),
            };
      continue;
    }
    if (
      l !== "" &&
      spread &&
      completes(spread.part, lowPart!) &&
      !spread.under.has(l.toLowerCase()) &&
      !isGrandTotal(l)
    ) {
      spread.under.add(l.toLowerCase());
      headers.push(`${up[spread.at]} ${l}`);
      joinedTo.push(spread.at);
      if (lowPart === "total") spread = null; // a year's Total is the last of its columns
      continue;
    }
    spread = null;
    headers.push(l);
    joinedTo.push(-1);
  }
  placeYearTotals(up, low, upParts, lowParts, headers, joinedTo);
  return joinedTo.some((at) => at >= 0) ? headers : null;
}

/** "Grand total": the whole row's, never one year's, wherever it stands. */
function isGrandTotal(text: string): boolean {
  return /^grand\b/i.test(text.trim());
}

/**
 * Decides, by one rule in every format, whose a Total in the lower row is when it follows a year's
 * sub-headers: the year's (it totals them) or the row's (it totals every figure beside it). Where a
 * merge ends does not decide it, since a CSV has none: a Total right after a year's sub-headers
 * (under the year, or just past its merged cell) is the year's, except after the last year when the
 * years before it have no Total of their own; the years' groups are alike, so that Total is the
 * row's ("2009/10" over CEC | CWaC, "2010/11" over CEC | CWaC, then Total). A header of one year
 * gives its Total to the year: the two sums are the same. Rewrites `headers` and `joinedTo`.
 */
function placeYearTotals(
  up: readonly string[],
  low: readonly string[],
  upParts: readonly (HeaderPart | null)[],
  lowParts: readonly (HeaderPart | null)[],
  headers: string[],
  joinedTo: number[],
): void {
  // The years written over sub-headers (a year merged down over a blank has none).
  const years = upParts.flatMap((part, i) =>
    part === "year" && joinedTo[i] === i ? [i] : [],
  );
  if (years.length === 0) return;
  const isYearsTotal = (i: number) =>
    lowParts[i] === "total" && !isGrandTotal(low[i]!);
  // Each year's Total after its sub-headers: the last column it spread over, or the column past
  // it with nothing above.
  const totals = years.map((at) => {
    let last = at;
    while (joinedTo[last + 1] === at) last++;
    if (joinedTo[last] === at && isYearsTotal(last)) return last;
    const next = last + 1;
    return next < low.length &&
      up[next] === "" &&
      joinedTo[next] === -1 &&
      isYearsTotal(next)
      ? next
      : null;
  });
  const lastHasOwn =
    years.length === 1 || totals.slice(0, -1).every((t) => t !== null);
  totals.forEach((total, k) => {
    if (total === null) return;
    const at = years[k]!;
    const own = k < years.length - 1 || lastHasOwn;
    joinedTo[total] = own ? at : -1;
    headers[total] = own ? `${up[at]} ${low[total]}` : low[total]!;
  });
}

/**
 * The rows as a spreadsheet shows them: a cell covered by a merged range (any but its first) shows
 * nothing, whatever the file keeps in it (LibreOffice, asked to, keeps the text of the cells it
 * merged over, hidden; last year's "2009/10" under this year's "2010/11" merged across would
 * otherwise be read as a header). Ranges are known where the reader gives them (.xlsx, .xls, .ods).
 */
function shownRows(rows: readonly SheetRow[]): readonly SheetRow[] {
  if (!rows.some((row) => row.merges?.length)) return rows;
  const width = rows.reduce((n, row) => Math.max(n, row.cells.length), 0);
  const covered = new Map<number, Set<number>>();
  for (const row of rows)
    for (const merge of row.merges ?? [])
      for (const under of rows) {
        if (under.number < row.number || under.number > merge.lastRow) continue;
        let columns = covered.get(under.number);
        if (!columns) covered.set(under.number, (columns = new Set()));
        for (let c = merge.column; c <= Math.min(merge.lastColumn, width); c++)
          if (under !== row || c !== merge.column) columns.add(c);
      }
  return rows.map((row) => {
    const columns = covered.get(row.number);
    return columns
      ? { ...row, cells: row.cells.map((v, i) => (columns.has(i) ? null : v)) }
      : row;
  });
}

/** The score of a profile's pinned header row: above any row's. */
const PINNED = 1e9;

/**
 * Finds the header among the first 20 rows: the row with the most cells that are known headers
 * (synonyms, the profile's additions, financial years, or two or more councils across). Two or more are needed, so that a title
 * such as "Shared services" is never taken for a header. A profile's headerRow for the sheet (named
 * `sheet`) wins. The row under it, or the row above, joins it when the two are one header (see
 * joinHeaderRows): a year merged over measures, a measure over years, "Amount" over "£000". Cells
 * under a merged range read as the sheet shows them (see shownRows).
 */
export function locateHeader(
  given: readonly SheetRow[],
  profile: MappingProfile | undefined,
  sheet = "",
): LocatedHeader | null {
  const rows = shownRows(given.slice(0, HEADER_SEARCH_ROWS));
  const known = knownHeaders(profile);
  const pinnedRow = pinnedHeaderRow(profile, sheet);
  const score = (headers: readonly string[]): number => {
    let n = 0;
    let councils = 0;
    let quarters = 0;
    // A monthly tracker's months across are no quarters (see isMonthEndingNoQuarter).
    const monthly = headers.some(isMonthEndingNoQuarter);
    for (const text of headers) {
      if (text === "") continue;
      const key = headerKey(text);
      if (isLastMonthHeader(text)) quarters += monthly ? 0 : 1;
      else if (known.has(key) || isEstimatedSaving(key) || isYearHeader(text))
        n++;
      else if (isCouncilHeader(text) || councilMeasureHeader(text)) councils++;
      else if (isYearlessQuarter(text)) quarters++;
    }
    // Councils across the columns (a cross-tab) make a header, and so do quarters across (of the
    // year above the table, or headed by their last months); one council, one "Q1" or one date
    // in a row is data.
    return (councils >= 2 ? councils : 0) + (quarters >= 2 ? quarters : 0) + n;
  };
  const texts = (row: SheetRow) =>
    row.cells.map((value) => cellText(value).replace(/\s+/g, " "));
  let best: (LocatedHeader & { score: number }) | null = null;
  const limit = Math.min(rows.length, HEADER_SEARCH_ROWS);
  for (let index = 0; index < limit; index++) {
    const row = rows[index]!;
    const pinned = pinnedRow !== undefined;
    if (pinned && row.number !== pinnedRow) continue;
    const single = texts(row);
    const candidates: (LocatedHeader & { score: number })[] = [
      {
        firstRowIndex: index,
        rowIndex: index,
        rowNumber: row.number,
        headers: single,
        score: pinned ? PINNED : score(single),
      },
    ];
    // The row with the one under it, when the two are one header; preferred to either row alone.
    const below = rows[index + 1];
    const joined =
      below && below.number === row.number + 1 && index + 1 < limit
        ? joinHeaderRows(row, below, known)
        : null;
    if (joined)
      candidates.push({
        firstRowIndex: index,
        rowIndex: index + 1,
        rowNumber: below!.number,
        headers: joined,
        score: (pinned ? PINNED : score(joined)) + 0.5,
      });
    // Three rows, when the lower two are one header and the row above completes it: a measure over
    // a year over its quarters (Forecast / 2010/11 / Q1..Q4), a year over quarters over measures.
    const third = rows[index + 2];
    const lowerTwo =
      below &&
      third &&
      below.number === row.number + 1 &&
      third.number === row.number + 2 &&
      index + 2 < limit
        ? joinHeaderRows(
            below,
            third,
            known,
            row.cells.findIndex((value) => cellText(value) !== ""),
          )
        : null;
    const joinedThree = lowerTwo
      ? joinHeaderRows(row, { number: third!.number, cells: lowerTwo }, known)
      : null;
    if (joinedThree)
      candidates.push({
        firstRowIndex: index,
        rowIndex: index + 2,
        rowNumber: third!.number,
        headers: joinedThree,
        score: (pinned ? PINNED : score(joinedThree)) + 0.75,
      });
    for (const candidate of candidates)
      if (
        candidate.score >= 2 &&
        (best === null || candidate.score > best.score)
      )
        best = candidate;
    if (pinned) break;
  }
  if (!best) return null;
  const { score: _score, ...header } = best;
  return header;
}

/**
 * The headers with the year above the table written into each header that names a quarter and no
 * year ("Q1" under "Forecast savings 2010/11" is "2010/11 Q1"), as a year merged over them would be.
 */
export function withYearAboveQuarters(
  headers: readonly string[],
  year: number | null,
): string[] {
  if (year === null) return [...headers];
  return headers.map((text) =>
    isYearlessQuarter(text) ? `${formatFinancialYear(year)} ${text}` : text,
  );
}

/**
 * A header naming a quarter but no year ("Q1", "Apr-Jun", "Q1 Forecast"): the quarter of a year
 * written elsewhere. Not one with other words ("Q1 RAG" is a status column).
 */
export function isYearlessQuarter(text: string): boolean {
  if (text === "" || yearHeader(text)) return false;
  const quarter = readQuarter(text);
  return (
    quarter !== null &&
    (quarter.words === "" ||
      readMeasure(quarter.words) !== null ||
      readCashableWords(quarter.words) !== null)
  );
}
