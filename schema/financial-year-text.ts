// Financial years as text, apart from their GraphQL scalar (financial-year.ts): the importers' reading
// worker uses these and need not load graphql.

/**
 * Reads a financial year as councils write it: "2010/11", "2010-11", "FY2010/11", "2010/2011",
 * "2010-2011", "10/11", "FY 10-11". Returns its first calendar year (2010 for April 2010 to March
 * 2011), or null when the text is not a financial year (including "2010/12", whose years do not follow).
 */
export function parseFinancialYear(text: string): number | null {
  const match =
    /^\s*(?:FY\s*)?(\d{2}|\d{4})\s*[/\-–]\s*(\d{2}|\d{4})\s*$/i.exec(text);
  if (!match) return null;
  const first = match[1]!;
  const second = match[2]!;
  const start = first.length === 2 ? 2000 + Number(first) : Number(first);
  const end =
    second.length === 2
      ? Math.floor(start / 100) * 100 + Number(second)
      : Number(second);
  const expected = start + 1;
  if (end !== expected && !(second.length === 2 && end + 100 === expected))
    return null;
  if (start < 1900 || start > 2200) return null;
  return start;
}

/** Formats a financial year by its first calendar year: 2010 → "2010/11". */
export function formatFinancialYear(startYear: number): string {
  return `${startYear}/${String((startYear + 1) % 100).padStart(2, "0")}`;
}
