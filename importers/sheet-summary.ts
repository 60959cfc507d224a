import type { SheetKind } from "./header-synonyms.js";
import type { SheetReadingFacts } from "./sheet-reading-facts.js";

// A type of its own module, with no imports the page cannot compile: the page shows the same line
// (web/src/api/import-report.ts).

/** One sheet's line in the summary. */
export interface SheetSummary {
  sheet: string;
  kind: SheetKind | null;
  /** "read", or why the sheet was skipped. */
  status: "read" | "hidden" | "unknown";
  rowsRead: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Figures of this sheet's source no longer in the tracker (deleted by the monthly rule). */
  removed: number;
  problems: number;
  /** The sheet's reporting period "YYYY-MM", when one was found. */
  period: string | null;
  /** Where it was read: "--period", 'the period written in Tracker!B2', 'the file name "…"'. */
  periodSource: string | null;
  /** The header row found, each column's use, where partnership and measure come from; null when no header was found. */
  header: SheetReadingFacts | null;
}
