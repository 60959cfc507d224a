import type { ColumnRole } from "./header-synonyms.js";
import type { ProblemCollector } from "./import-problem.js";
import { cellText, columnLetter } from "./locate-header.js";
import type { ColumnMap } from "./map-columns.js";
import type { CellValue, SheetRow } from "./read-workbook-sheets.js";

/** The roles besides a row's key (its service, funder...) that name its figure; never its quarter. */
const NAMING_ROLES: readonly ColumnRole[] = [
  "partnership",
  "council",
  "financialYear",
  "measure",
  "cashable",
];

/** What a figure merged down is compared by (see MergedDownCells). */
export interface MergedFigureNaming {
  /** The columns of figures a record stores (not its Totals or year to date, which are checked only). */
  figures: ReadonlySet<number>;
  /** The columns naming a row's figure: its key's, then NAMING_ROLES' the table has. */
  columns: readonly number[];
  sheet: string;
  headers: readonly string[];
  problems: ProblemCollector;
}

/**
 * How a table's figures merged down are compared: its stored figures' columns (`amountColumns` but
 * its Totals and year to date) and its naming columns (the key's, `keyColumn`, then the roles').
 */
export function mergedFigureNaming(
  map: ColumnMap,
  keyColumn: number,
  amountColumns: ReadonlySet<number>,
  sheet: string,
  problems: ProblemCollector,
): MergedFigureNaming {
  const checked = new Set([
    ...map.rowTotals.map((c) => c.index),
    ...map.quarterTotals.map((c) => c.index),
    ...(map.roles.has("yearToDate") ? [map.roles.get("yearToDate")!] : []),
  ]);
  return {
    figures: new Set([...amountColumns].filter((c) => !checked.has(c))),
    columns: [
      keyColumn,
      ...NAMING_ROLES.flatMap((role) => map.roles.get(role) ?? []),
    ],
    sheet,
    headers: map.headers,
    problems,
  };
}

/** A range merged down from a row above, still open. */
interface OpenRange {
  value: CellValue;
  lastColumn: number;
  lastRow: number;
  /**
   * A stored figure's range: its first row, the cells naming its figure there, the rows below it
   * shown so far, and whether they were found to name different figures (reported).
   */
  figure?: {
    row: number;
    names: CellValue[];
    below: number[];
    reported: boolean;
  };
}

/**
 * A table's rows as the sheet shows them where cells are merged down over them (a service name or
 * a year written once over its quarter rows, a Quarter cell over several rows), in the formats that
 * keep merges (.xlsx, .xls, .ods; a CSV has none): a label merged down applies to every row it
 * spans, as the person who merged it meant. A figure merged down is one figure, on its first row:
 * counting it on each row would multiply the money. It is one figure's when every row it spans
 * names the same figure (the quarter rows of one service's year, a row drawn tall): the quarters'
 * sum then counts it once. Over rows naming different figures (two services, two years, two
 * councils or measures) it is theirs together, which the hub cannot store as any one's, nor split
 * without inventing the parts: a merged-figure error names its cell and the rows that differ, and
 * one at each row under it, so that none of them is written from it. The cells a range covers but its first column show nothing,
 * whatever the file keeps in them (an .xls keeps the text merged over, hidden), as in the header
 * (shownRows in locate-header.ts). Rows are told in order, each once.
 */
export class MergedDownCells {
  /** The ranges still open below their first row, by their first column. */
  private readonly open = new Map<number, OpenRange>();

  /**
   * `figureColumns`: the table's amount columns, whose merged value stays on its first row.
   * `naming`: how a stored figure merged down is compared along its rows (mergedFigureNaming).
   */
  constructor(
    private readonly figureColumns: ReadonlySet<number>,
    private readonly naming?: MergedFigureNaming,
  ) {}

  /** The row as shown: the values of labels merged down over it filled in (a copy when changed). */
  shown(row: SheetRow): SheetRow {
    let cells: CellValue[] | null = null;
    const figures: [number, OpenRange][] = [];
    for (const [column, range] of this.open) {
      if (row.number > range.lastRow) {
        this.open.delete(column);
        continue;
      }
      cells ??= [...row.cells];
      while (cells.length <= range.lastColumn) cells.push(null);
      cells[column] = this.figureColumns.has(column) ? null : range.value;
      for (let c = column + 1; c <= range.lastColumn; c++) cells[c] = null;
      if (range.figure) figures.push([column, range]);
    }
    const shown = cells ? { ...row, cells } : row;
    for (const [column, range] of figures) this.compare(shown, column, range);
    for (const merge of row.merges ?? [])
      if (merge.lastRow > row.number)
        this.open.set(merge.column, {
          value: row.cells[merge.column] ?? null,
          lastColumn: merge.lastColumn,
          lastRow: merge.lastRow,
          ...(this.naming?.figures.has(merge.column)
            ? {
                figure: {
                  row: row.number,
                  names: this.naming.columns.map((c) => shown.cells[c] ?? null),
                  below: [],
                  reported: false,
                },
              }
            : {}),
        });
    return shown;
  }

  /**
   * Compares a row a figure is merged down over with the figure's first row: a cell naming another
   * figure there (another service, year...; a blank one names none) makes it a figure of the rows
   * together, a merged-figure error at its first cell (once) and at each row under it, so that no
   * row's figure is read from it: not the first row's, nor a figure one of whose quarter rows it
   * covers (its quarters' sum would miss that quarter's part).
   */
  private compare(row: SheetRow, column: number, range: OpenRange): void {
    const figure = range.figure!;
    const naming = this.naming!;
    const letter = columnLetter(column);
    const first = `${letter}${figure.row}`;
    const over = `${first}:${columnLetter(range.lastColumn)}${range.lastRow}`;
    const written = cellText(range.value);
    const report = (rowNumber: number, message: string) =>
      void naming.problems.add({
        code: "merged-figure",
        sheet: naming.sheet,
        row: rowNumber,
        cell: `${letter}${rowNumber}`,
        header: naming.headers[column] ?? "",
        value: rowNumber === figure.row ? written : "",
        message,
      });
    const under = (rowNumber: number) =>
      report(
        rowNumber,
        `${naming.sheet}!${letter}${rowNumber} lies under the figure merged down from ${first} (over ${over}), which is several rows' together: this row's own figure there cannot be told. Unmerge it and write each row's own figure.`,
      );
    if (figure.reported) {
      under(row.number);
      return;
    }
    figure.below.push(row.number);
    const differs = naming.columns.findIndex((c, i) => {
      const here = name(row.cells[c]);
      return here !== null && here !== name(figure.names[i]);
    });
    if (differs < 0) return;
    figure.reported = true;
    const at = naming.columns[differs]!;
    const header = naming.headers[at] || columnLetter(at);
    const was = cellText(figure.names[differs]);
    report(
      figure.row,
      `${naming.sheet}!${first} holds one figure (${written}) merged down over ${over}, whose rows are of different figures: its ${header} is ${was === "" ? "blank" : `"${was}"`} in ${columnLetter(at)}${figure.row} but "${cellText(row.cells[at])}" in ${columnLetter(at)}${row.number}. A figure of several rows together cannot be stored as one row's, nor split without guessing: unmerge it and write each row's own figure.`,
    );
    for (const below of figure.below) under(below);
  }
}

/** A naming cell's text as compared along a merged figure (spacing and case aside), or null when blank. */
function name(value: CellValue | undefined): string | null {
  const text = cellText(value).replace(/\s+/g, " ").toLowerCase();
  return text === "" ? null : text;
}
