import type { CellValue, SheetRow } from "./read-workbook-sheets.js";

/**
 * A table's rows as the sheet shows them where cells are merged down over them (a service name or
 * a year written once over its quarter rows, a Quarter cell over several rows), in the formats that
 * keep merges (.xlsx, .xls, .ods; a CSV has none): a label merged down applies to every row it
 * spans, as the person who merged it meant. A figure merged down is one figure, on its first row:
 * counting it on each row would multiply the money. The cells a range covers but its first column
 * show nothing, whatever the file keeps in them (an .xls keeps the text merged over, hidden), as in
 * the header (shownRows in locate-header.ts). Rows are told in order, each once.
 */
export class MergedDownCells {
  /** The ranges still open below their first row, by their first column. */
  private readonly open = new Map<
    number,
    { value: CellValue; lastColumn: number; lastRow: number }
  >();

  /** `figureColumns`: the table's amount columns, whose merged value stays on its first row. */
  constructor(private readonly figureColumns: ReadonlySet<number>) {}

  /** The row as shown: the values of labels merged down over it filled in (a copy when changed). */
  shown(row: SheetRow): SheetRow {
    let cells: CellValue[] | null = null;
    for (const [column, range] of this.open) {
      if (row.number > range.lastRow) {
        this.open.delete(column);
        continue;
      }
      cells ??= [...row.cells];
      while (cells.length <= range.lastColumn) cells.push(null);
      cells[column] = this.figureColumns.has(column) ? null : range.value;
      for (let c = column + 1; c <= range.lastColumn; c++) cells[c] = null;
    }
    for (const merge of row.merges ?? [])
      if (merge.lastRow > row.number)
        this.open.set(merge.column, {
          value: row.cells[merge.column] ?? null,
          lastColumn: merge.lastColumn,
          lastRow: merge.lastRow,
        });
    return cells ? { ...row, cells } : row;
  }
}
