import { formatFinancialYear } from "../schema/financial-year-text.js";
import { fromPence } from "../schema/money.js";
import type { PartnershipReconciliation } from "./reconciliation.js";

/** What the audit log records of a reconciliation export: which partnerships, year, measure and period. */
export function exportAuditDetails(
  reconciliations: readonly PartnershipReconciliation[],
  via: "http" | "cli",
): Record<string, unknown> {
  const first = reconciliations[0];
  return {
    via,
    partnerships: reconciliations.map((r) => ({
      id: r.partnership.id,
      name: r.partnership.name,
    })),
    financialYear: first ? formatFinancialYear(first.financialYear) : null,
    measure: first?.measure ?? null,
    asOf: first?.asOf ?? null,
    tolerance: first ? fromPence(first.tolerancePence) : null,
    importRuns: [
      ...new Set(
        reconciliations.flatMap((r) => r.importRuns.map((run) => run.id)),
      ),
    ],
  };
}
