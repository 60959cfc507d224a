import { Money } from "../../schema/money.js";
import {
  CouncilSavings,
  MeasureSavings,
  SavingsSummary,
} from "../../schema/savings-summary.js";
import type { SummaryRow } from "../loading/savings-queries.js";

/** Shapes the summary lines of one scope (ordered by year, measure, overall line first) into summaries per year. */
export function toSavingsSummaries(
  rows: readonly SummaryRow[],
): SavingsSummary[] {
  const years = new Map<number, SavingsSummary>();
  const measures = new Map<string, MeasureSavings>();
  for (const row of rows) {
    let year = years.get(row.financial_year);
    if (!year) {
      year = Object.assign(new SavingsSummary(), {
        financialYear: row.financial_year,
        measures: [],
      });
      years.set(row.financial_year, year);
    }
    const amounts = {
      cashable: new Money(row.cashable),
      nonCashable: new Money(row.non_cashable),
      total: new Money(row.total),
    };
    const key = `${row.financial_year}:${row.measure}`;
    if (row.council_id === null) {
      const measure = Object.assign(new MeasureSavings(), amounts, {
        measure: row.measure,
        byCouncil: [],
      });
      measures.set(key, measure);
      year.measures.push(measure);
    } else {
      measures.get(key)?.byCouncil.push(
        Object.assign(new CouncilSavings(), amounts, {
          councilId: row.council_id,
        }),
      );
    }
  }
  return [...years.values()];
}
