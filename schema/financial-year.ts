import { GraphQLScalarType, Kind } from "graphql";
import { BadInputError } from "../errors/hub-error.js";

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

/**
 * Reads a financial year a person or client gave (GraphQL `financialYear`, `--year`, `?year=`): as
 * councils write it (`parseFinancialYear`), and required. The one parser of years typed by users,
 * so the same bad input gets the same BAD_USER_INPUT error, naming `argument`, everywhere.
 */
export function parseFinancialYearArgument(
  value: unknown,
  argument: string,
): number {
  const year = typeof value === "string" ? parseFinancialYear(value) : null;
  if (year !== null) return year;
  const absent =
    value === null ||
    value === undefined ||
    (typeof value === "string" && value.trim() === "");
  throw new BadInputError(
    absent
      ? `${argument} must be a financial year written like "2009/10" and is required.`
      : `${argument} must be a financial year written like "2009/10" (consecutive years); got ${JSON.stringify(value)}.`,
    { [argument]: value ?? null },
  );
}

function parseOrThrow(value: unknown): number {
  return parseFinancialYearArgument(value, "FinancialYear");
}

/** The FinancialYear GraphQL scalar: "2010/11" on the wire, 2010 in resolvers. */
export const FinancialYearScalar = new GraphQLScalarType<number, string>({
  name: "FinancialYear",
  description:
    'A UK public-sector financial year, April to March, written "YYYY/YY" with consecutive years: "2010/11" is 1 April 2010 to 31 March 2011. Always answered in that form; also read as councils write it ("2010-11", "FY2010/11", "2010/2011", "10/11").',
  serialize: (value) => formatFinancialYear(value as number),
  parseValue: parseOrThrow,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING)
      return parseFinancialYearArgument(null, "FinancialYear");
    return parseOrThrow(ast.value);
  },
});
