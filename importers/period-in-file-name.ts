/**
 * Ways of writing the month in a file name that the importer does not read by itself (periodInName
 * reads "2010-06", "201006", "June 2010", "Jun10", "P3 2010-11"), because without being told they
 * are ambiguous ("06-10" could be June 2010 or 2006/10). Learnt from an import that was given
 * `--period` and remembered for the workbook's shape, so next month's "tracker 07-2010.xlsx" says
 * July 2010 itself.
 */
export const PERIOD_LAYOUTS = ["MM-YYYY", "MMYYYY", "MM-YY"] as const;

/** One of PERIOD_LAYOUTS. */
export type PeriodLayout = (typeof PERIOD_LAYOUTS)[number];

const PATTERNS: Record<PeriodLayout, RegExp> = {
  "MM-YYYY": /(?<!\d)(\d{2})[-_. ]((?:19|20)\d{2})(?!\d)/g,
  MMYYYY: /(?<!\d)(\d{2})((?:19|20)\d{2})(?!\d)/g,
  "MM-YY": /(?<!\d[-_. ]?)(\d{2})[-_. ](\d{2})(?![-_. ]?\d)/g,
};

function monthsIn(fileName: string, layout: PeriodLayout): Set<string> {
  const name = fileName.replace(/\.[a-z0-9]+$/i, "");
  const found = new Set<string>();
  for (const m of name.matchAll(PATTERNS[layout])) {
    const month = Number(m[1]);
    const year = m[2]!.length === 2 ? 2000 + Number(m[2]) : Number(m[2]);
    if (month >= 1 && month <= 12)
      found.add(`${year}-${String(month).padStart(2, "0")}`);
  }
  return found;
}

/** The month (YYYY-MM) the file name writes in `layout`; null when it writes none, or two. */
export function periodFromFileName(
  fileName: string,
  layout: PeriodLayout,
): string | null {
  const found = monthsIn(fileName, layout);
  return found.size === 1 ? [...found][0]! : null;
}

/** The layout in which the file name writes `period` (YYYY-MM) and nothing else; null when none does. */
export function periodLayoutOf(
  fileName: string,
  period: string,
): PeriodLayout | null {
  return (
    PERIOD_LAYOUTS.find(
      (layout) => periodFromFileName(fileName, layout) === period,
    ) ?? null
  );
}
