import type { ImportLimits } from "./import-limits.js";
import type { ProblemCollector } from "./import-problem.js";
import { columnLetter } from "./locate-header.js";
import type { SheetRow, WorkbookSheet } from "./read-workbook-sheets.js";

/** Thrown when a sheet passes a row or column limit: the whole file is refused. */
export class SheetTooLarge extends Error {}

/**
 * A sheet's rows, read once and in order, each held to the row and column limits (a too-large
 * problem, then SheetTooLarge). Every row of a sheet is read through it, also those of a sheet
 * that is not imported, so that the next sheet can be read.
 */
export class SheetRowSource {
  private readonly iterator: AsyncIterator<SheetRow>;
  private seen = 0;

  constructor(
    private readonly sheet: WorkbookSheet,
    private readonly limits: Pick<ImportLimits, "maxRows" | "maxColumns">,
    private readonly problems: ProblemCollector,
  ) {
    this.iterator = sheet.rows[Symbol.asyncIterator]();
  }

  /** The next row, or null after the last. */
  async next(): Promise<SheetRow | null> {
    const next = await this.iterator.next();
    if (next.done) return null;
    this.check(next.value);
    return next.value;
  }

  /** Up to `count` rows from here (fewer when the sheet ends). */
  async take(count: number): Promise<SheetRow[]> {
    const rows: SheetRow[] = [];
    while (rows.length < count) {
      const row = await this.next();
      if (row === null) break;
      rows.push(row);
    }
    return rows;
  }

  /**
   * Hands every row from here to `read`, in order, until `read` says "stop" (the rows after that
   * one are left to be taken). `before`, called before each row is asked for (and before the end is
   * found), may return a promise to wait for, say while a batch of figures is written. The loop
   * awaits the sheet's own iterator directly: a million-row sheet costs one promise a row, not two.
   */
  async each(
    read: (row: SheetRow) => "stop" | undefined | void,
    before?: () => Promise<void> | undefined,
  ): Promise<void> {
    for (;;) {
      const wait = before?.();
      if (wait) await wait;
      const next = await this.iterator.next();
      if (next.done) return;
      this.check(next.value);
      if (read(next.value) === "stop") return;
    }
  }

  /** Reads the rest of the sheet without using it (still held to the limits). */
  drain(): Promise<void> {
    return this.each(() => undefined);
  }

  private check(row: SheetRow): void {
    const { name } = this.sheet;
    const { maxRows, maxColumns } = this.limits;
    this.seen++;
    if (row.number > maxRows || this.seen > maxRows) {
      this.problems.add({
        code: "too-large",
        sheet: name,
        message: `Sheet "${name}" has more than ${maxRows.toLocaleString("en-GB")} rows, more than the importer accepts: split it into smaller workbooks.`,
      });
      throw new SheetTooLarge();
    }
    if (row.cells.length > maxColumns) {
      this.problems.add({
        code: "too-large",
        sheet: name,
        cell: `${columnLetter(row.cells.length - 1)}${row.number}`,
        message: `Sheet "${name}" uses ${row.cells.length} columns, more than the ${maxColumns} the importer accepts.`,
      });
      throw new SheetTooLarge();
    }
  }
}
