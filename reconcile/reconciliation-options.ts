import { BadInputError } from "../errors/hub-error.js";
import { parseReportingPeriodArgument } from "../schema/reporting-period.js";
import { parseFinancialYearArgument } from "../schema/financial-year.js";
import { formatFinancialYear } from "../schema/financial-year-text.js";
import { toPence } from "../schema/money.js";
import { SavingsMeasure } from "../schema/savings-measure.js";
import type { ReconciliationQuery } from "./reconciliation.js";

/** Reads a tolerance in pounds ("0.50"); null and empty mean £0. Negative amounts are refused. */
export function parseTolerance(text: string | null | undefined): bigint {
  if (text === null || text === undefined || text.trim() === "") return 0n;
  const cleaned = text.trim().replace(/^£/, "");
  let pence: bigint;
  try {
    pence = toPence(cleaned);
  } catch {
    throw new BadInputError(
      `The tolerance must be an amount of pounds with at most two decimals, e.g. 0.50; got "${text}".`,
      { tolerance: text },
    );
  }
  if (pence < 0n)
    throw new BadInputError(
      `The tolerance cannot be negative; got "${text}".`,
      { tolerance: text },
    );
  return pence;
}

/** Reads a measure in any case ("achieved", "TARGET"); null and empty mean ACHIEVED. */
export function parseMeasure(text: string | null | undefined): SavingsMeasure {
  if (text === null || text === undefined || text.trim() === "")
    return SavingsMeasure.ACHIEVED;
  const wanted = text.trim().toUpperCase();
  const measure = Object.values(SavingsMeasure).find((m) => m === wanted);
  if (!measure)
    throw new BadInputError(
      `The measure must be one of ${Object.values(SavingsMeasure).join(", ").toLowerCase()}; got "${text}".`,
      { measure: text },
    );
  return measure;
}

/** How a transport spells the options' names, for the errors: `--as-of` on the CLI, `asOf` over HTTP. */
export interface OptionNames {
  year: string;
  asOf: string;
}

/** The options of a reconciliation as text (CLI flags, URL parameters), checked in one place. */
export function parseReconciliationQuery(
  options: {
    year: string | null | undefined;
    measure?: string | null | undefined;
    asOf?: string | null | undefined;
    tolerance?: string | null | undefined;
  },
  names: OptionNames = { year: "year", asOf: "asOf" },
): ReconciliationQuery {
  return {
    financialYear: parseFinancialYearArgument(options.year, names.year),
    measure: parseMeasure(options.measure),
    asOf: parseReportingPeriodArgument(options.asOf, names.asOf),
    tolerancePence: parseTolerance(options.tolerance),
  };
}

/** "2009/10, achieved, as of 2010-03" — how every output names what it shows. */
export function describeQuery(
  query: ReconciliationQuery,
  latestPeriod: string | null,
): string {
  const period = query.asOf
    ? `as of ${query.asOf}`
    : `latest figures${latestPeriod ? ` (to ${latestPeriod})` : ""}`;
  return `${formatFinancialYear(query.financialYear)}, ${query.measure.toLowerCase()}, ${period}`;
}
