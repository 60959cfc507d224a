import { amountScale } from "./coerce-amount.js";
import {
  HEADER_SYNONYMS,
  KIND_ROLES,
  SERVICE_LIST_CASHABLE_HEADERS,
  headerKey,
  isEstimatedSaving,
  type ColumnRole,
  type SheetKind,
} from "./header-synonyms.js";
import {
  columnLetter,
  councilHeader,
  councilMeasureHeader,
  isCouncilHeader,
  isMonthEndingNoQuarter,
  isYearToDateHeader,
  isYearTotalHeader,
  yearHeader,
} from "./locate-header.js";
import { readQuarter } from "./quarter-header.js";
import { isTotalLabel, wordsAfterTotal } from "./total-label.js";
import type { MappingProfile } from "./mapping-profile.js";
import { readCashableWords, readMeasure } from "./read-measure.js";
import type { SavingsMeasure } from "../schema/savings-measure.js";

/** One column of a wide tracker that holds a financial year's figures. */
export interface YearColumn {
  index: number;
  year: number;
  /** The measure the header names ("2010/11 Target"), if any. */
  measure: SavingsMeasure | null;
  cashable: boolean | null;
  scale: bigint;
  /**
   * The quarter of the year the column holds (1 is April to June: "2010/11" over Q1 | Q2 | Q3 |
   * Q4), or null for a column of the whole year. A year's quarters are summed into its figure.
   */
  quarter: number | null;
}

/** How a sheet's columns are read. */
export interface ColumnMap {
  kind: SheetKind;
  roles: Map<ColumnRole, number>;
  yearColumns: YearColumn[];
  /** Columns the importer does not know: kept on each record's `extra`, by header. */
  extra: { index: number; header: string }[];
  headers: string[];
  /** The scale of each amount column from its header ("Saving (£000)"), else 1. */
  scales: Map<number, bigint>;
  /** The measure an amount header names ("Achieved saving £"), if any. */
  amountMeasure: SavingsMeasure | null;
  /** Whether an amount header says "Cashable saving" / "Non-cashable saving"; null when it does not. */
  amountCashable: boolean | null;
  /**
   * A governance list's columns headed by a council ("Cheshire East"), holding its seats on each
   * body; a service list's, marking the council's part in each service ("Y").
   */
  councilColumns: { index: number; header: string }[];
  /**
   * A tracker's columns headed by a council (a cross-tab: councils across, services down), each
   * holding that council's figure of its year: the one its header names ("2010/11" merged over the
   * councils, or under each council), else the row's (its year column, else the year above the table).
   */
  councilFigureColumns: {
    index: number;
    council: string;
    year: number | null;
    /** The measure the header names with the council ("CBC Target", "Actual" under "CBC"), if any. */
    measure: SavingsMeasure | null;
    cashable: boolean | null;
  }[];
  /**
   * A wide tracker's columns that total a year's quarters ("2010/11" over Q1..Q4 | Total, or the
   * year's own column beside its quarters): checked against the quarters' sum, never a figure.
   */
  quarterTotals: YearColumn[];
  /**
   * A wide tracker's Total columns ("Total", "Total (all councils)", "Grand total", "2010/11 Total"
   * under a year's councils): each totals the row's figure columns left of it (see planRowTotals),
   * checked as a total row is (TotalRowChecker along columns), never a figure.
   */
  rowTotals: {
    index: number;
    scale: bigint;
    /** The year the total names ("2010/11 Total" under a year's councils): it totals that year's figures. */
    year: number | null;
    /** The measure the total names ("Total target", "Actual" under "Total"): it totals those figures. */
    measure: SavingsMeasure | null;
  }[];
}

/** The words that make a header an amount of saving ("Forecast saving £", "Cashable savings"). */
const AMOUNT_WORDS = new Set(["saving", "savings", "amount"]);

function synonymIndex(
  kind: SheetKind,
  profile: MappingProfile | undefined,
): Map<string, ColumnRole> {
  const roles = [...KIND_ROLES[kind].required, ...KIND_ROLES[kind].optional];
  const index = new Map<string, ColumnRole>();
  for (const role of roles)
    for (const header of [
      ...(profile?.synonyms?.[role] ?? []),
      ...HEADER_SYNONYMS[role],
      ...(kind === "services" && role === "cashable"
        ? SERVICE_LIST_CASHABLE_HEADERS
        : []),
    ]) {
      const key = headerKey(header);
      if (!index.has(key)) index.set(key, role);
    }
  return index;
}

/**
 * The required roles a sheet of `kind` lacks. A long tracker needs no year column when the sheet
 * names its financial year above the table (`yearAbove`: "Savings 2010/11", see sheetFinancialYear),
 * or when it has a Quarter column, whose cells then name their years ("Q1 2010/11": a row naming
 * none is reported at its cell).
 */
export function missingRoles(
  map: ColumnMap,
  kind: SheetKind,
  yearAbove: boolean,
): ColumnRole[] {
  return KIND_ROLES[kind].required.filter(
    (role) =>
      !map.roles.has(role) &&
      !(
        kind === "savings-long" &&
        role === "financialYear" &&
        (yearAbove || map.roles.has("quarter"))
      ),
  );
}

/**
 * Which kind a sheet is, from its headers: the most specific kind whose required columns are all
 * there (a service list with estimates before a long tracker: isServiceListWithEstimates). `yearAbove`: the sheet names its financial year above the table, so that a service and an
 * amount column ("Saving") make a long tracker of that year.
 */
export function classifySheet(
  headers: readonly string[],
  profile: MappingProfile | undefined,
  yearAbove = false,
): SheetKind | null {
  const order: SheetKind[] = [
    "savings-wide",
    "savings-long",
    "funding",
    "governance",
    "services",
  ];
  for (const kind of order) {
    const map = mapColumns(headers, kind, profile);
    if (missingRoles(map, kind, yearAbove).length > 0) continue;
    if (
      kind === "savings-wide" &&
      !isWideTracker(map, headers, profile, yearAbove)
    )
      continue;
    if (
      kind === "savings-long" &&
      isServiceListWithEstimates(headers, map, profile)
    )
      continue;
    if (kind === "savings-wide" || kind === "savings-long") return kind;
    if (kind === "funding") return kind;
    // A governance sheet has a body column and something a body has; a service list, a service.
    if (
      kind === "governance" &&
      (map.roles.has("bodyType") ||
        map.roles.has("membership") ||
        map.roles.has("chair") ||
        map.roles.has("member"))
    )
      return kind;
    if (kind === "services") return kind;
  }
  return null;
}

/**
 * Roles only a service list has (partners, host, category, status, go-live, governing body): a
 * column of one says the sheet lists services. Its estimate column is not one: a tracker has amounts.
 */
const SERVICE_LIST_ROLES: readonly ColumnRole[] =
  KIND_ROLES.services.optional.filter(
    (role) =>
      role !== "annualSaving" &&
      ![
        ...KIND_ROLES["savings-long"].required,
        ...KIND_ROLES["savings-long"].optional,
      ].includes(role),
  );

/**
 * Whether a sheet that would read as a long tracker (a service, a year column or a year above the
 * table, and an amount) is a service list with estimates: its amount column is worded as a service
 * list's estimate ("Est. cashable savings p.a.", "Estimated annual saving £") and it has a column
 * only service lists have (partners, host, status...) that the tracker reading leaves unknown.
 * "Shared services 2013/14" over Service | Hosted by | Est. cashable savings p.a. is a service list
 * of that year; Service | Estimated saving (£) under "Savings 2010/11" a tracker of estimates.
 */
function isServiceListWithEstimates(
  headers: readonly string[],
  tracker: ColumnMap,
  profile: MappingProfile | undefined,
): boolean {
  const amount = tracker.roles.get("amount");
  if (
    amount === undefined ||
    !isEstimatedSaving(headerKey(headers[amount] ?? ""))
  )
    return false;
  const services = mapColumns(headers, "services", profile);
  const trackerColumns = new Set(tracker.roles.values());
  return SERVICE_LIST_ROLES.some((role) => {
    const index = services.roles.get(role);
    return index !== undefined && !trackerColumns.has(index);
  });
}

/**
 * Whether a sheet read as savings-wide is one: year columns and no year column; or two or more
 * council columns (a cross-tab), each with its year in its header, or with a year column or a year
 * above the table, and none of a service list's columns (a list of services marking each council's
 * part with "Y" is no tracker).
 */
function isWideTracker(
  map: ColumnMap,
  headers: readonly string[],
  profile: MappingProfile | undefined,
  yearAbove: boolean,
): boolean {
  const councils = map.councilFigureColumns;
  const yearColumn = map.roles.has("financialYear");
  if (map.yearColumns.length > 0) return !yearColumn;
  if (councils.length < 2) return false;
  // Each council column's year from its header, else every row's from its year column or above.
  if (councils.every((column) => column.year !== null)) {
    if (yearColumn) return false;
  } else if (!yearColumn && !yearAbove) return false;
  const listRoles = mapColumns(headers, "services", profile).roles;
  return !SERVICE_LIST_ROLES.some((role) => listRoles.has(role));
}

/**
 * Maps each header to the role it plays in a sheet of `kind`: first the profile's pinned columns (by
 * letter or header), then synonyms (profile's first), then, for wide trackers, financial years. A
 * second column of the same role, and any header not known, goes to `extra`.
 */
export function mapColumns(
  headers: readonly string[],
  kind: SheetKind,
  profile: MappingProfile | undefined,
): ColumnMap {
  const synonyms = synonymIndex(kind, profile);
  const pinned = new Map<string, ColumnRole | "ignore">();
  for (const [column, role] of Object.entries(profile?.columns ?? {}))
    pinned.set(
      /^[A-Z]{1,3}$/.test(column) ? `#${column}` : headerKey(column),
      role,
    );
  const map: ColumnMap = {
    kind,
    roles: new Map(),
    yearColumns: [],
    extra: [],
    headers: [...headers],
    scales: new Map(),
    amountMeasure: null,
    amountCashable: null,
    councilColumns: [],
    councilFigureColumns: [],
    quarterTotals: [],
    rowTotals: [],
  };
  // Months across of which one ends no quarter are a monthly tracker's: none is a quarter.
  const quarterMonths = !headers.some(isMonthEndingNoQuarter);
  headers.forEach((header, index) => {
    const key = headerKey(header);
    const pin =
      pinned.get(`#${columnLetter(index)}`) ??
      (key ? pinned.get(key) : undefined);
    if (pin === "ignore") return;
    let role: ColumnRole | undefined = pin ?? synonyms.get(key);
    if (role === undefined && kind === "savings-long") {
      // "Achieved saving (£)", "Cashable savings £000": an amount column that names its measure or
      // its cashability.
      const words = key.split(" ");
      const rest = words.filter((w) => !AMOUNT_WORDS.has(w)).join(" ");
      const measure = readMeasure(rest);
      const cashable = readCashableWords(rest);
      if (
        (measure || cashable !== null) &&
        words.some((w) => AMOUNT_WORDS.has(w))
      ) {
        role = "amount";
        if (!map.roles.has("amount")) {
          map.amountMeasure = measure?.measure ?? null;
          map.amountCashable = measure?.cashable ?? cashable;
        }
      }
    }
    if (role === undefined && kind === "services" && isEstimatedSaving(key))
      role = "annualSaving";
    if (role !== undefined && !map.roles.has(role)) {
      map.roles.set(role, index);
      if (
        role === "amount" ||
        role === "annualSaving" ||
        role === "award" ||
        role === "yearToDate"
      )
        map.scales.set(index, amountScale(header));
      return;
    }
    if (kind === "savings-wide") {
      const year = yearHeader(header, quarterMonths);
      const text = year ? year.words : header;
      const named = councilHeader(text);
      const split = named === null ? councilMeasureHeader(text) : null;
      const council = named ?? split?.council ?? null;
      if (council !== null) {
        const measure = split ? readMeasure(split.words) : null;
        map.councilFigureColumns.push({
          index,
          council,
          year: year?.year ?? null,
          measure: measure?.measure ?? null,
          cashable:
            measure?.cashable ??
            (split ? readCashableWords(split.words) : null),
        });
        map.scales.set(index, amountScale(header));
        return;
      }
      if (year) {
        const quarter = readQuarter(year.words);
        const words = quarter?.words ?? year.words;
        const measure = words ? readMeasure(words) : null;
        map.yearColumns.push({
          index,
          year: year.year,
          measure: measure?.measure ?? null,
          cashable: measure?.cashable ?? readCashableWords(words),
          scale: amountScale(header),
          quarter: quarter?.quarter ?? null,
        });
        return;
      }
    }
    if (header !== "") map.extra.push({ index, header });
  });
  // A year to date sums quarters: without a Quarter column it has none to be checked against.
  const yearToDate = map.roles.get("yearToDate");
  if (yearToDate !== undefined && !map.roles.has("quarter")) {
    map.roles.delete("yearToDate");
    map.extra.push({ index: yearToDate, header: headers[yearToDate]! });
    map.extra.sort((a, b) => a.index - b.index);
  }
  if (kind === "savings-wide") {
    separateQuarterTotals(map);
    separateRowTotals(map);
  }
  if (kind === "savings-wide" && map.yearColumns.length > 0) {
    // A column a year: a column headed by a council alone is none of its figures.
    for (const column of map.councilFigureColumns)
      if (column.year === null)
        map.extra.push({ index: column.index, header: headers[column.index]! });
    map.councilFigureColumns = map.councilFigureColumns.filter(
      (column) => column.year !== null,
    );
    map.extra.sort((a, b) => a.index - b.index);
  }
  if (kind === "governance" || kind === "services") {
    map.councilColumns = map.extra.filter((column) =>
      isCouncilHeader(column.header),
    );
    map.extra = map.extra.filter((c) => !map.councilColumns.includes(c));
  }
  return map;
}

/** The figure a year column adds to: its year, measure and cashability. */
export function yearFigureKey(column: YearColumn): string {
  return `${column.year}|${column.measure}|${column.cashable}`;
}

/**
 * Moves a wide tracker's Total columns out of its extra columns and its year columns ("2010/11
 * Total" is a year's total, not a figure of the year): the header a total row's label would be
 * (isTotalLabel) or a year's total ("Year total", "Full year"), alone or after a year. Quarter totals are taken first (separateQuarterTotals).
 */
function separateRowTotals(map: ColumnMap): void {
  const isTotal = (header: string) => {
    const words = yearHeader(header)?.words ?? header;
    return isTotalLabel(words) || isYearTotalHeader(words);
  };
  const totals = [
    ...map.extra.filter((column) => isTotal(column.header)),
    ...map.yearColumns.filter((column) => isTotal(map.headers[column.index]!)),
  ];
  if (totals.length === 0) return;
  const taken = new Set(totals.map((column) => column.index));
  map.extra = map.extra.filter((column) => !taken.has(column.index));
  map.yearColumns = map.yearColumns.filter(
    (column) => !taken.has(column.index),
  );
  // A Total with no scale of its own is in its figures' when they share one ("CBC (£000)" ...).
  const figureScales = new Set([
    ...map.councilFigureColumns.map((c) => map.scales.get(c.index) ?? 1n),
    ...map.yearColumns.map((c) => c.scale),
  ]);
  const shared = figureScales.size === 1 ? [...figureScales][0]! : 1n;
  map.rowTotals = totals
    .map(({ index }) => {
      const header = map.headers[index]!;
      const year = yearHeader(header);
      const words = wordsAfterTotal(year?.words ?? header);
      const scale = amountScale(header);
      return {
        index,
        scale: scale !== 1n ? scale : shared,
        year: year?.year ?? null,
        measure: words ? (readMeasure(words)?.measure ?? null) : null,
      };
    })
    .sort((a, b) => a.index - b.index);
}

/**
 * Moves the columns that total a year's quarters out of the year columns: a whole-year column of a
 * year whose quarters are columns too ("2010/11 Total", "2010/11 YTD", or "2010/11" beside "Q1
 * 2010/11" ...), and, when the quarters are of one year only, a column headed "Total", "Full year"
 * or "YTD" (a year to date adds up the quarters so far: checked against those written, not summed).
 */
function separateQuarterTotals(map: ColumnMap): void {
  const quartered = new Map<string, YearColumn>();
  for (const column of map.yearColumns)
    if (column.quarter !== null && !quartered.has(yearFigureKey(column)))
      quartered.set(yearFigureKey(column), column);
  if (quartered.size === 0) return;
  map.quarterTotals = map.yearColumns.filter(
    (column) => column.quarter === null && quartered.has(yearFigureKey(column)),
  );
  map.yearColumns = map.yearColumns.filter(
    (column) => !map.quarterTotals.includes(column),
  );
  if (quartered.size !== 1) return;
  const [first] = quartered.values();
  const totals = map.extra.filter(
    (column) =>
      isYearTotalHeader(column.header) || isYearToDateHeader(column.header),
  );
  for (const { index, header } of totals)
    map.quarterTotals.push({
      ...first!,
      index,
      quarter: null,
      scale: amountScale(header),
    });
  map.extra = map.extra.filter((column) => !totals.includes(column));
  map.quarterTotals.sort((a, b) => a.index - b.index);
}
