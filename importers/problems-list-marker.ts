import type { SheetRow } from "./cell-value.js";

/** The name of the sheet listing a run's problems in the workbook the hub writes back (writeProblemsWorkbook). */
export const PROBLEMS_LIST_SHEET = "Import problems";

/**
 * The text the hub writes in the problems list's first row, after its column headers: the sign that
 * the sheet is the hub's own list, so a fixed workbook dropped in again does not have it read as data
 * or warned about. The sheet's name alone is not enough: a council may call a sheet that.
 */
export const PROBLEMS_LIST_MARKER =
  "Written by Shared Services Hub: this list is not imported";

/** Whether a sheet is the hub's own problems list: its name, and the marker in its first row. */
export function isProblemsList(
  name: string,
  top: readonly SheetRow[],
): boolean {
  return (
    name === PROBLEMS_LIST_SHEET &&
    top[0]?.number === 1 &&
    top[0].cells.some((cell) => cell === PROBLEMS_LIST_MARKER)
  );
}
