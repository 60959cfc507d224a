import { createHash } from "node:crypto";
import type { CellValue, SheetRow } from "./cell-value.js";
import { MONTH_NAME } from "./reporting-period-text.js";

/** One sheet's part of a workbook's shape: its name and header as a layout, not as this month's text. */
export interface SheetShape {
  /** The sheet name with months and numbers taken out ("June 2010" → "<month> #"). */
  name: string;
  /** The header row's cells, likewise, column by column ("" for a blank cell). */
  header: string[];
}

/** A workbook's layout: what next month's file of the same layout shares with this one. */
export interface WorkbookShape {
  /** SHA-256 (hex) of the sheets below: equal keys, equal layouts. */
  key: string;
  sheets: SheetShape[];
}

const MONTH_WORD = new RegExp(`(?<![a-z])${MONTH_NAME}(?![a-z])`, "g");

/**
 * A name or header reduced to its layout: lower case, spacing collapsed, month names and runs of
 * digits replaced, so that "Tracker June 2010" and "Tracker July 2010", or "P3 2010/11" and
 * "P4 2010/11", read the same, while "Service" and "Project" do not.
 */
export function layoutText(text: string): string {
  return text
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim()
    .replace(MONTH_WORD, "<month>")
    .replace(/\d+/g, "#");
}

function isText(value: CellValue | undefined): value is string {
  return (
    typeof value === "string" &&
    value.trim() !== "" &&
    !/^[\d\s.,£%()-]+$/.test(value)
  );
}

/**
 * A sheet's shape from its name and its first rows (those the header is searched in). The header is
 * taken as the row with the most text cells, the first of equals: a rule that needs no answer, so
 * that a sheet whose header only a pinned row finds has the same shape every month. Data rows hold
 * numbers and change from month to month; the header row holds the most words and does not.
 */
export function sheetShape(
  name: string,
  topRows: readonly SheetRow[],
): SheetShape {
  let best: SheetRow | null = null;
  let bestCount = 0;
  for (const row of topRows) {
    const count = row.cells.filter(isText).length;
    if (count > bestCount) {
      best = row;
      bestCount = count;
    }
  }
  const header = (best?.cells ?? []).map((cell) =>
    isText(cell) ? layoutText(cell) : "",
  );
  while (header.length && header[header.length - 1] === "") header.pop();
  return { name: layoutText(name), header };
}

/** The shape of a whole workbook: its sheets in workbook order, and the key they hash to. */
export function workbookShape(sheets: readonly SheetShape[]): WorkbookShape {
  const key = createHash("sha256")
    .update(JSON.stringify(sheets.map((s) => [s.name, s.header])))
    .digest("hex");
  return { key, sheets: [...sheets] };
}

/** A shape in words, one line a sheet: `tracker: service | council | #/# target`. */
export function describeShape(sheets: readonly SheetShape[]): string {
  return sheets
    .map(
      (s) =>
        `${s.name}: ${s.header.length ? s.header.map((h) => h || "(blank)").join(" | ") : "(no header)"}`,
    )
    .join("\n");
}
