/**
 * A total or subtotal row's name: "Total", "Totals", "TOTAL", "Grand total", "Sub-total",
 * "Subtotal", "Total Bromsgrove", "Total savings". Such a row is checked, never read as a record;
 * a header of that wording in a wide tracker is a Total column, checked against its row.
 */
const TOTAL_LABEL = /^(?:grand\s+|sub[\s-]?)?totals?\b/i;

/** Whether a row's name (or a wide tracker's header) says it is a total or subtotal. */
export function isTotalLabel(name: string): boolean {
  return TOTAL_LABEL.test(name);
}

/** The words of a total's name after the total ("Target" of "Total target", "" of "Grand total"). */
export function wordsAfterTotal(name: string): string {
  return name.replace(TOTAL_LABEL, "").trim();
}
