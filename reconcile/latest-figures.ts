import type { SavingsFigure } from "../schema/savings-figure.js";

/**
 * Keeps, for each service, council (or the partnership's total), year, measure and cashable kind,
 * the figure of the latest reporting period not after `asOf` (all periods when null). Trackers are
 * cumulative snapshots, so an earlier month's figure is superseded, never added. Two figures of the
 * same period: the one written last (highest id) wins, as a re-import would.
 */
export function latestFigures(
  figures: readonly SavingsFigure[],
  asOf: string | null,
): SavingsFigure[] {
  const latest = new Map<string, SavingsFigure>();
  for (const figure of figures) {
    if (asOf !== null && figure.reportingPeriod > asOf) continue;
    const key = [
      figure.service.id,
      figure.council?.id ?? "total",
      figure.financialYear,
      figure.measure,
      figure.cashable,
    ].join("|");
    const kept = latest.get(key);
    if (
      !kept ||
      figure.reportingPeriod > kept.reportingPeriod ||
      (figure.reportingPeriod === kept.reportingPeriod && figure.id > kept.id)
    )
      latest.set(key, figure);
  }
  return [...latest.values()];
}
