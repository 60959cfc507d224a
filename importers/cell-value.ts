/**
 * A formula cell saved without its result (written by a program, not by Excel, or with calculation
 * off): the importer cannot know what it shows, so it asks for the file to be opened and saved.
 */
export class FormulaWithoutValue {
  constructor(readonly formula: string) {}

  toString(): string {
    return `=${this.formula}`;
  }
}

/**
 * A cell's value reduced to what the importer reads: text (a formula's error value, "#DIV/0!", is
 * text), number, boolean, date, a formula saved without its result, or nothing.
 */
export type CellValue =
  string | number | boolean | Date | FormulaWithoutValue | null;

/** A merged range, on the row of its first (top left) cell: how far right and down it reaches. */
export interface MergedRange {
  /** The first cell's column (0 for A). */
  column: number;
  /** The range's last column (0-based), `column` for a range one column wide. */
  lastColumn: number;
  /** The range's last row number (1-based), the row's own for a range one row high. */
  lastRow: number;
}

/** A merged range of a sheet, with the row it starts in (1-based), as a sheet lists them. */
export interface SheetMergedRange extends MergedRange {
  row: number;
}

/** One worksheet row: `cells[0]` is column A. */
export interface SheetRow {
  /** The worksheet row number (1-based), for A1 references. */
  number: number;
  cells: CellValue[];
  /** The merged ranges starting in this row whose first cell is filled, where the reader knows them. */
  merges?: MergedRange[];
}

/** The error values a formula can show in Excel. */
const FORMULA_ERROR =
  /^#(?:NULL!|DIV\/0!|VALUE!|REF!|NAME\?|NUM!|N\/A|GETTING_DATA|SPILL!|CALC!|FIELD!|BLOCKED!|CONNECT!|BUSY!|UNKNOWN!)$/i;

/** Whether a cell's text is a formula's error value ("#DIV/0!", "#REF!", ...), as Excel shows it. */
export function isFormulaError(text: string): boolean {
  return FORMULA_ERROR.test(text.trim());
}
