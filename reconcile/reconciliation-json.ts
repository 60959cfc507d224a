import { formatFinancialYear } from "../schema/financial-year-text.js";
import { fromPence, toPence } from "../schema/money.js";
import type { SavingsFigure } from "../schema/savings-figure.js";
import { figureSourceOf } from "../schema/savings-figure-key.js";
import type { PartnershipReconciliation } from "./reconciliation.js";

function money(pence: bigint | null): string | null {
  return pence === null ? null : fromPence(pence);
}

function figure(f: SavingsFigure | null) {
  if (!f) return null;
  return {
    id: f.id,
    amount: fromPence(toPence(String(f.amount))),
    reportingPeriod: f.reportingPeriod,
    sourceSheet: f.sourceSheet ?? null,
    sourceCell: f.sourceCell ?? null,
    // The tracker's submitter (null: the partnership's own), which decides whose figure it is.
    reportedBy: f.reportedBy?.gssCode ?? null,
    source: figureSourceOf(f),
    importRun: f.importRun ? f.importRun.id : null,
  };
}

/**
 * A reconciliation as plain JSON (`sshub reconcile --json`): amounts are exact decimal strings of
 * pounds ("33.34"), never numbers, and field names follow the GraphQL API's.
 */
export function reconciliationToJson(r: PartnershipReconciliation) {
  return {
    partnership: { id: r.partnership.id, name: r.partnership.name },
    financialYear: formatFinancialYear(r.financialYear),
    measure: r.measure,
    asOf: r.asOf,
    latestPeriod: r.latestPeriod,
    tolerance: fromPence(r.tolerancePence),
    doubleCounting: r.doubleCounting,
    lines: r.lines.map((line) => ({
      service: line.service.name,
      cashable: line.cashable,
      council: {
        gssCode: line.council.gssCode,
        shortName: line.council.shortName,
      },
      member: line.membership !== null,
      role: line.membership?.role ?? null,
      shareBasis: line.shareBasis,
      sharePercent: line.appliedPercent,
      total: money(line.totalPence),
      expected: money(line.expectedPence),
      claimed: money(line.claimedPence),
      variance: money(line.variancePence),
      status: line.status,
      note: line.note,
      totalFigure: figure(line.totalFigure),
      claimFigure: figure(line.claimFigure),
      shareFigure: figure(line.shareFigure),
    })),
    services: r.services.map((s) => ({
      service: s.service.name,
      cashable: s.cashable,
      total: money(s.totalPence),
      claimed: fromPence(s.claimedPence),
      difference: money(s.differencePence),
      doubleCounting: s.doubleCounting,
      totalFigure: figure(s.totalFigure),
      otherTotals: s.otherTotalFigures.map(figure),
    })),
    totals: r.totals.map((t) => ({
      cashable: t.cashable,
      total: fromPence(t.totalPence),
      claimed: fromPence(t.claimedPence),
      claimedWithoutTotal: fromPence(t.claimedWithoutTotalPence),
      difference: fromPence(t.differencePence),
      doubleCounting: t.doubleCounting,
    })),
    importRuns: r.importRuns.map((run) => ({
      id: run.id,
      fileName: run.fileName,
      reportingPeriod: run.reportingPeriod ?? null,
    })),
    warnings: r.warnings,
  };
}
