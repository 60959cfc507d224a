import { unstorableCharacter } from "../db/storable-text.js";
import type { SavingsMeasure } from "../schema/savings-measure.js";
import { SHEET_KINDS, type SheetKind } from "./header-synonyms.js";
import type { ImportLimits } from "./import-limits.js";
import type { ProblemAnswer, ProblemCollector } from "./import-problem.js";
import {
  columnLetter,
  locateHeader,
  readTitleFacts,
  underHeading,
  withYearAboveQuarters,
  isYearlessQuarter,
  HEADER_SEARCH_ROWS,
  type TitleFacts,
} from "./locate-header.js";
import { isTotalLabel } from "./total-label.js";
import {
  classifySheet,
  mapColumns,
  missingRoles,
  type ColumnMap,
} from "./map-columns.js";
import type { MappingProfile } from "./mapping-profile.js";
import { MergedDownCells, mergedFigureNaming } from "./merged-down-cells.js";
import { isProblemsList } from "./problems-list-marker.js";
import { FundingRowReader } from "./read-funding-rows.js";
import { GovernanceRowReader, hasMemberRows } from "./read-governance-rows.js";
import { SavingsRowReader } from "./read-savings-rows.js";
import { ServiceRowReader } from "./read-service-rows.js";
import type { SheetRow, WorkbookSheet } from "./read-workbook-sheets.js";
import { isTableNote, readFootnote } from "./record-names.js";
import {
  isFilled,
  plainText,
  RowCells,
  type KindRowReader,
} from "./row-cells.js";
import {
  isSavingsReading,
  type SavingsSheetReading,
  type SheetFacts,
  type SheetReading,
} from "./sheet-reading.js";
import { SheetRowSource } from "./sheet-row-source.js";
import { sheetFinancialYear } from "./sheet-financial-year.js";

/** Options that shape how sheets are read. */
export interface SheetReadOptions {
  kind?: SheetKind;
  profile?: MappingProfile;
  /** `--measure`: what figures measure where the sheet names no measure. */
  measure?: SavingsMeasure;
  limits: ImportLimits;
  onRow?: () => void;
  /**
   * Told the rows the header is searched in, before anything is decided from them (a workbook's
   * shape); may answer with the answers to read the sheet with from then on (remembered ones).
   */
  onTopRows?: (
    rows: readonly SheetRow[],
  ) => Promise<SheetAnswers | null> | void;
  /** Told once the header is read, before any row: kind, columns and title lines are known. */
  onHeader?: (reading: SheetReading) => void;
  /**
   * Told whenever `savingsBatchRows` figures are waiting in `reading.savings`, so that they can be
   * taken and written while the rest of the sheet is still being read.
   */
  onSavings?: (reading: SavingsSheetReading) => Promise<void>;
  savingsBatchRows?: number;
}

/** The answers a sheet is read with (see SheetReadOptions.onTopRows). */
export type SheetAnswers = Pick<
  SheetReadOptions,
  "kind" | "profile" | "measure"
>;

/** One table of a sheet, read; `more`: another table follows it on the sheet. */
export interface SheetTable {
  reading: SheetReading | null;
  more: boolean;
}

/**
 * Reads one sheet: finds its header among the first 20 rows, reads the title lines above it, decides
 * its kind (or takes `--kind`), maps its columns, then coerces every row with the reader of its
 * kind, collecting problems with their cells. A header under a blank row starts another table (a
 * governance list under a tracker), read the same way as a table of its own, under the sheet's
 * title lines (see secondTable). Yields each table's reading as it ends; null for a sheet it cannot
 * read as any kind (reported as unknown-sheet). Every row of the sheet is read either way.
 */
export async function* readSheetTables(
  sheet: WorkbookSheet,
  given: SheetReadOptions,
  problems: ProblemCollector,
): AsyncGenerator<SheetTable> {
  let options = given;
  const rows = new SheetRowSource(sheet, options.limits, problems);
  const top = await rows.take(HEADER_SEARCH_ROWS);
  if (isProblemsList(sheet.name, top)) {
    // The hub's own list of a run's problems, left in the fixed workbook: not data, nothing to warn
    // of, and no part of the workbook's shape (so the fixed file matches its remembered answers).
    await rows.drain();
    yield { reading: null, more: false };
    return;
  }
  const answers = await options.onTopRows?.(top);
  if (answers) options = { ...options, ...answers };
  let header = readSheetHeader(sheet.name, top, options, problems);
  const sheetTitle =
    header !== null && header !== "refused" ? header.facts.title : null;
  const kinds: SheetKind[] = [];
  while (header !== null && header !== "refused") {
    kinds.push(header.facts.kind);
    const next = await readTable(header, rows, options, kinds, problems);
    yield { reading: next.reading, more: next.table !== null };
    if (next.table === null) return;
    // The next table's header is pinned to the row found; the mapping given was the first table's.
    const {
      columns: _columns,
      headerRow: _row,
      ...profile
    } = options.profile ?? {};
    options = {
      ...options,
      kind: next.table.kind,
      profile: { ...profile, headerRow: next.table.row.number },
    };
    const more = await rows.take(HEADER_SEARCH_ROWS - next.rest.length - 1);
    // The next table is under the sheet's title lines and its own heading, if it has one.
    const heading = checkedTitle(
      sheet.name,
      readTitleFacts(next.table.heading),
      options.limits,
      problems,
    );
    header = readSheetHeader(
      sheet.name,
      [next.table.row, ...next.rest, ...more],
      options,
      problems,
      underHeading(sheetTitle!, heading),
    );
  }
  // A table whose header could not be read (reported): the rest of the sheet is not read. A
  // refused sheet's rows are seen though not read: its file is not an empty one.
  const seen =
    header === "refused" && kinds.length === 0 ? options.onRow : undefined;
  if (seen) for (const _row of top) seen();
  await rows.each(() => seen?.());
  yield { reading: null, more: false };
}

/**
 * Where the next table of a sheet starts: its header row (the first found), its kind, and the
 * heading lines written between the blank row and its header ("Governance" alone in a row).
 */
interface NextTable {
  row: SheetRow;
  kind: SheetKind;
  heading: SheetRow[];
}

/**
 * How many lines may stand between the blank row under a table and the next table's header (a
 * section heading, a note under it): held until it is known whether a header follows them.
 */
const HEADING_LINES = 3;

/**
 * Reads one table's rows, up to the end of the sheet or the header of the next table. Returns its
 * reading, the next table (null at the end) and the top rows already taken after its header.
 */
async function readTable(
  header: { facts: SheetFacts & { kind: SheetKind }; below: SheetRow[] },
  rows: SheetRowSource,
  options: SheetReadOptions,
  kinds: readonly SheetKind[],
  problems: ProblemCollector,
): Promise<{
  reading: SheetReading;
  table: NextTable | null;
  rest: SheetRow[];
}> {
  const { facts, below } = header;
  const cells = new RowCells(facts, problems, options.limits);
  const reader = kindRowReader(facts, cells, options, problems);
  const reading = reader.reading;
  options.onHeader?.(reading);
  const batchRows = options.savingsBatchRows ?? Infinity;
  // A label merged down over rows (a service or year over its quarter rows) is each row's.
  const mergedDown = new MergedDownCells(
    cells.amountColumns,
    mergedFigureNaming(
      facts.map,
      cells.keyColumn,
      cells.amountColumns,
      facts.name,
      problems,
    ),
  );
  const notes: RowContext = { after: false, above: null, blank: false };
  let refused = false;
  let table: NextTable | null = null;
  // The row read last: a reader gives no row for a blank line, so a gap in the numbers is one.
  let previous = facts.headerRow;
  // Lines alone in their row under a blank row: a heading of the next table, or this table's own.
  const held: SheetRow[] = [];
  const readRecord = (row: SheetRow): void => {
    const key = rowKey(row, reading, cells, notes);
    if (key === null) return;
    if (isTotalLabel(key)) {
      notes.above = null;
      reader.readTotal?.(row, key);
      return;
    }
    notes.above = { row: row.number, key, left: leftTexts(row, cells) };
    if (cells.refusedCells(row)) return;
    reading.rowsRead++;
    reader.read(row, key);
  };
  /** Reads the lines held as a possible heading as this table's rows after all. */
  const release = (): void => {
    for (const line of held.splice(0)) readRecord(line);
  };
  const readRow = (given: SheetRow): "stop" | undefined => {
    options.onRow?.();
    if (refused) return;
    const row = mergedDown.shown(given);
    const afterBlank =
      notes.blank || row.number > previous + 1 || held.length > 0;
    previous = row.number;
    if (
      afterBlank &&
      held.length < HEADING_LINES &&
      (isHeadingLine(row, cells) ||
        (held.length > 0 && !row.cells.some(isFilled)))
    ) {
      held.push(row);
      return;
    }
    const found = afterBlank
      ? secondTable(row, facts, cells, kinds, options.profile)
      : null;
    if (found && found.kind !== null) {
      table = { row, kind: found.kind, heading: held.splice(0) };
      return "stop";
    }
    release();
    if (found) {
      // A table that cannot be read here: its rows would otherwise each be refused as this table's.
      refused = true;
      cells.problem("bad-value", row, cells.keyColumn, found.refusal);
      return;
    }
    readRecord(row);
  };
  for (const [i, row] of below.entries())
    if (readRow(row) === "stop") {
      reader.finish?.();
      return { reading, table, rest: below.slice(i + 1) };
    }
  const { onSavings } = options;
  await rows.each(
    readRow,
    onSavings && isSavingsReading(reading)
      ? () =>
          reading.savings.length >= batchRows ? onSavings(reading) : undefined
      : undefined,
  );
  if (!refused) release();
  reader.finish?.();
  return { reading, table, rest: [] };
}

/**
 * The facts of a sheet from its top rows (header, kind, columns, title lines) and the top rows below
 * its header. Null (with the problem that says why) when it has no header; "refused" (with the
 * problem) when its header is read but it has no kind, lacks a required column or has quarters no
 * year is named for.
 */
function readSheetHeader(
  name: string,
  top: readonly SheetRow[],
  options: SheetReadOptions,
  problems: ProblemCollector,
  sheetTitle?: TitleFacts,
):
  | { facts: SheetFacts & { kind: SheetKind }; below: SheetRow[] }
  | null
  | "refused" {
  const located = locateHeader(top, options.profile, name);
  // A second table is under the sheet's title lines: they name its partnership and period too.
  const titleFacts =
    located === null
      ? null
      : (sheetTitle ?? readTitleFacts(top.slice(0, located.firstRowIndex)));
  const financialYear =
    titleFacts === null ? null : sheetFinancialYear(titleFacts, name);
  // Quarters across under "Forecast savings 2010/11" are that year's, as under a merged 2010/11.
  const header =
    located === null
      ? null
      : {
          ...located,
          headers: withYearAboveQuarters(
            located.headers,
            financialYear?.year ?? null,
          ),
        };
  const yearless =
    header === null || financialYear !== null
      ? []
      : header.headers.filter(isYearlessQuarter);
  if (header !== null && yearless.length >= 2) {
    problems.add({
      code: "missing-value",
      sheet: name,
      cell: `A${header.rowNumber}`,
      message: `Sheet "${name}" has figures by quarter (${yearless.join(", ")}) but no financial year for them: write the year over its quarters ("2010/11" merged above Q1 to Q4), or name it above the table ("Forecast savings 2010/11"). It was not imported.`,
    });
    return "refused";
  }
  const kind =
    header === null
      ? null
      : (options.kind ??
        options.profile?.kind ??
        classifySheet(header.headers, options.profile, financialYear !== null));
  if (header === null) {
    problems.add({
      code: "unknown-sheet",
      sheet: name,
      message: `Sheet "${name}" has no header row the importer recognises in its first ${HEADER_SEARCH_ROWS} rows: it was not imported. Name the columns as in the synonym table, say which row holds them with --header-row N, or give a --mapping profile.`,
      answer: { option: "header-row" },
    });
    return null;
  }
  if (kind === null) {
    const nearest = nearestKindAnswer(
      header.headers,
      header.rowNumber,
      options.profile,
      financialYear !== null,
    );
    problems.add({
      code: "unknown-sheet",
      sheet: name,
      message: `Sheet "${name}" does not look like a service list, savings tracker, governance list or funding list (headers: ${header.headers.filter(Boolean).join(", ")}): it was not imported. ${nearest.text}`,
      cell: `A${header.rowNumber}`,
      answer: nearest.answer,
    });
    return "refused";
  }
  const map = mapColumns(header.headers, kind, options.profile);
  const title =
    sheetTitle ?? checkedTitle(name, titleFacts!, options.limits, problems);
  for (const column of map.extra)
    problems.add({
      code: "unknown-column",
      sheet: name,
      cell: `${columnLetter(column.index)}${header.rowNumber}`,
      header: column.header,
      message: `Column "${column.header}" is not one the importer knows: its values are kept with each record (extra) but not used.`,
    });
  const missing = missingRoles(map, kind, financialYear !== null);
  if (missing.length) {
    problems.add({
      code: "missing-value",
      sheet: name,
      cell: `A${header.rowNumber}`,
      answer: {
        option: "column",
        kind,
        roles: missing,
        columns: unreadColumns(map, header.rowNumber),
      },
      message: `Sheet "${name}" was read as ${kind} but has no ${missing.join(", ")} column.${missing.includes("financialYear") ? ' Add a Financial year column, or name the year above the table ("Savings 2010/11").' : ""}`,
    });
    return "refused";
  }
  return {
    facts: {
      name,
      kind,
      map,
      title,
      headerRow: header.rowNumber,
      rowsRead: 0,
      footnotes: new Map(),
      financialYear,
    },
    below: top.slice(header.rowIndex + 1),
  };
}

/** What a sheet of a kind is called in a refusal. */
const KIND_WORDS: Record<SheetKind, string> = {
  "savings-long": "a savings tracker (a row a figure)",
  "savings-wide": "a savings tracker (a column a year)",
  funding: "a funding list",
  governance: "a governance list",
  services: "a service list",
};

/**
 * The answer to a sheet of no kind: the kind its known headers come closest to, with the role it
 * lacks and the `--column` that names it ("--column 'Cost Centre Description=service'"), else --kind;
 * in words and as the problem's answer.
 */
function nearestKindAnswer(
  headers: readonly string[],
  headerRow: number,
  profile: MappingProfile | undefined,
  yearAbove: boolean,
): { text: string; answer: ProblemAnswer } {
  let best: {
    kind: SheetKind;
    missing: string;
    unread: { header: string; cell: string }[];
  } | null = null;
  let bestKnown = 0;
  for (const kind of SHEET_KINDS) {
    const map = mapColumns(headers, kind, profile);
    const missing = missingRoles(map, kind, yearAbove);
    const known = map.roles.size + map.yearColumns.length;
    // One role short, with at least two columns read: close enough to name the answer.
    if (missing.length !== 1 || known < 2 || known <= bestKnown) continue;
    bestKnown = known;
    best = {
      kind,
      missing: missing[0]!,
      unread: unreadColumns(map, headerRow),
    };
  }
  if (best === null)
    return {
      text: `Use --kind to say what it is (${SHEET_KINDS.join(", ")}).`,
      answer: { option: "kind" },
    };
  const { kind, missing, unread } = best;
  const example = unread[0]?.header ?? "Heading";
  return {
    text: `It reads like ${KIND_WORDS[kind]} without a ${missing} column: say which column holds it with --column '${example}=${missing}'${unread.length > 1 ? ` (the columns not read: ${unread.map((c) => c.header).join(", ")})` : ""}, or rename its header as in the synonym table.`,
    answer: { option: "column", kind, roles: [missing], columns: unread },
  };
}

/** The columns a map did not read, each header as written with its cell in the header row. */
function unreadColumns(
  map: ColumnMap,
  headerRow: number,
): { header: string; cell: string }[] {
  return map.extra.map((column) => ({
    header: column.header,
    cell: `${columnLetter(column.index)}${headerRow}`,
  }));
}

/** The title facts with every name a name cannot be (too long, or holding what no text may) reported and dropped. */
function checkedTitle(
  sheet: string,
  title: TitleFacts,
  limits: Pick<ImportLimits, "maxNameChars">,
  problems: ProblemCollector,
): TitleFacts {
  for (const fact of ["partnership", "partners", "submittedBy"] as const) {
    const written = title[fact];
    const unstorable = written === null ? null : unstorableCharacter(written);
    if (unstorable) {
      problems.add({
        code: "bad-value",
        sheet,
        ...(title.cells[fact] ? { cell: title.cells[fact] } : {}),
        value: written!.slice(0, 100),
        message: `The ${fact === "submittedBy" ? "submitter" : fact} named above the table${title.cells[fact] ? ` in ${title.cells[fact]}` : ""} holds ${unstorable}, which no name in the hub can hold: retype it.`,
      });
      title[fact] = null;
      continue;
    }
    if (written === null || written.length <= limits.maxNameChars) continue;
    problems.add({
      code: "text-too-long",
      sheet,
      ...(title.cells[fact] ? { cell: title.cells[fact] } : {}),
      value: `${written.slice(0, 100)}…`,
      message: `The ${fact === "submittedBy" ? "submitter" : fact} named above the table${title.cells[fact] ? ` in ${title.cells[fact]}` : ""} is ${written.length.toLocaleString("en-GB")} characters long, more than the ${limits.maxNameChars} a name may have: shorten it.`,
    });
    title[fact] = null;
  }
  return title;
}

/** The reader of a sheet's kind: the one place a kind is matched to the reader of its rows. */
function kindRowReader(
  facts: SheetFacts & { kind: SheetKind },
  cells: RowCells,
  options: SheetReadOptions,
  problems: ProblemCollector,
): KindRowReader {
  const kind = facts.kind;
  switch (kind) {
    case "services":
      return new ServiceRowReader(facts, cells);
    case "governance":
      return new GovernanceRowReader(facts, cells);
    case "funding":
      return new FundingRowReader(facts, cells);
    case "savings-long":
    case "savings-wide":
      return new SavingsRowReader(
        { ...facts, kind },
        cells,
        options.measure,
        problems,
      );
  }
}

/**
 * What rowKey remembers from the rows before: whether the previous line was a note (`after`), and
 * the record row right above with its key (`above`), which a row with a blank key cell continues.
 */
interface RowContext {
  after: boolean;
  above: { row: number; key: string; left: (string | null)[] } | null;
  /** The previous row was blank. */
  blank: boolean;
}

/**
 * Whether a row under a blank row is the header of another table: it holds no figure (a record of
 * this table with a year and a "Cashable" in it can look like a header), it would be found as a
 * header on its own (two or more known headers) and it is not this table's header again. Such a
 * table is read as one of its own when its kind is known and it is not a second savings tracker
 * (a sheet's figures are one tracker's, replaced as one each month); else `refusal` says why not.
 */
function secondTable(
  row: SheetRow,
  facts: SheetFacts,
  cells: RowCells,
  kinds: readonly SheetKind[],
  profile: MappingProfile | undefined,
):
  | { kind: SheetKind; refusal?: undefined }
  | { kind: null; refusal: string }
  | null {
  if (cells.holdsFigures(row)) return null;
  // A header row pinned (--header-row, or the row this table was found at) is this table's own.
  const { headerRow: _pinned, ...unpinned } = profile ?? {};
  const header = locateHeader([row], unpinned, facts.name);
  if (header === null) return null;
  const own = facts.map.headers.map((h) => h.trim().toLowerCase()).join("\t");
  if (header.headers.map((h) => h.trim().toLowerCase()).join("\t") === own)
    return null;
  const named = `Row ${row.number} starts a second table (${row.cells
    .map((v) => plainText(v))
    .filter(Boolean)
    .join(", ")}) under this one`;
  const kind = classifySheet(
    header.headers,
    profile,
    facts.financialYear !== null,
  );
  const savings = (k: SheetKind) =>
    k === "savings-long" || k === "savings-wide";
  if (kind === null)
    return {
      kind: null,
      refusal: `${named}, which does not look like a service list, savings tracker, governance list or funding list. Move it to a sheet of its own (or name its columns as in the synonym table) and import the file again.`,
    };
  if (savings(kind) && kinds.some(savings))
    return {
      kind: null,
      refusal: `${named}: a second savings tracker. A sheet's figures are one tracker's, replaced as one each month: move the second tracker to a sheet of its own and import the file again.`,
    };
  return { kind };
}

/**
 * Whether a row under a blank row may be the heading of a table that follows it: one text alone in
 * its row ("Governance", "Joint arrangements"), never a figure or a total's label.
 */
function isHeadingLine(row: SheetRow, cells: RowCells): boolean {
  const filled = row.cells.filter(isFilled);
  if (filled.length !== 1 || typeof filled[0] !== "string") return false;
  const text = plainText(filled[0]);
  return text !== null && !isTotalLabel(text) && !cells.holdsFigures(row);
}

/** The texts of a row's cells left of its key column (its outer labels: partnership, council). */
function leftTexts(row: SheetRow, cells: RowCells): (string | null)[] {
  return row.cells.slice(0, cells.keyColumn).map((value) => plainText(value));
}

/**
 * The key (service, body or funder) of a row, or null for a row that is no record: blank, a
 * footnote (kept on the reading), a section heading or note (isTableNote: "Source: finance team",
 * "Figures are provisional", alone in its row), or a row of figures without a name (reported). A
 * total row's key is its label (isTotalLabel), also when the label stands in a column left of the
 * key column ("Total" under a Partnership or Cost centre column). In a tracker, a row of figures
 * whose service cell is blank right under a record row, with the same labels left of it (or none),
 * continues that service: its name was written once over its rows (merged down, or left blank below
 * as a pivot table lays it out). Likewise a member row of a governance list of members one per
 * row continues the body above it (its heading row or first member row). Not in other lists, where
 * a second row of one name would be a second record of it (an award or a service written over).
 * `notes.after` says the
 * previous line was a note.
 */
function rowKey(
  row: SheetRow,
  reading: SheetReading,
  cells: RowCells,
  notes: RowContext,
): string | null {
  let filled = 0;
  for (const value of row.cells) if (isFilled(value)) filled++;
  notes.blank = filled === 0;
  if (filled === 0) {
    notes.above = null;
    return null;
  }
  const afterNote = notes.after;
  notes.after = false;
  const above = notes.above;
  notes.above = null;
  const key = cells.text(row.cells[cells.keyColumn]);
  if (key === null || filled === 1) {
    const only = plainText(row.cells.find(isFilled));
    const footnote = only ? readFootnote(only) : null;
    if (footnote) {
      reading.footnotes.set(footnote.mark, footnote.text);
      notes.after = true;
      return null;
    }
    // A member row continues its body with only its member or council filled in.
    const memberRow =
      reading.kind === "governance" &&
      hasMemberRows(reading.map.roles) &&
      above?.row === row.number - 1;
    // A row a quarter with no figure, its service blank ("Q2" alone under a service written once
    // over its rows): no record, and the service goes on below it.
    const quarter = reading.map.roles.get("quarter");
    if (
      filled === 1 &&
      key === null &&
      above?.row === row.number - 1 &&
      quarter !== undefined &&
      isFilled(row.cells[quarter])
    ) {
      notes.above = { ...above, row: row.number };
      return null;
    }
    if (filled === 1 && key === null && !memberRow) return null; // a section heading or a note under the table
    if (key !== null && filled === 1 && isTableNote(key, afterNote)) {
      notes.after = true;
      return null;
    }
    if (key === null) {
      const left = leftTexts(row, cells);
      const label = left.find((text) => text !== null);
      if (label && isTotalLabel(label)) return label;
      // Continued only within the same outer labels (blank, or as in the row above).
      if (
        above &&
        (isSavingsReading(reading) || memberRow) &&
        above.row === row.number - 1 &&
        left.every((text, i) => text === null || text === above.left[i])
      )
        return above.key;
      cells.problem(
        "missing-value",
        row,
        cells.keyColumn,
        `Row ${row.number} has figures but no ${reading.map.headers[cells.keyColumn] || "name"}: fill it in or delete the row.`,
      );
      return null;
    }
  }
  return key;
}
