import { GraphQLScalarType, Kind } from "graphql";
import { BadInputError } from "../errors/hub-error.js";
import {
  formatFinancialYear,
  parseFinancialYear,
} from "./financial-year-text.js";

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
