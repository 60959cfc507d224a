import type { Council } from "../schema/council.js";
import type { ImportRun } from "../schema/import-run.js";
import type {
  PartnershipReconciliation,
  ReconciliationLine,
  ReconciliationQuery,
} from "./reconciliation.js";

/** A council's expected shares against its claims, for one kind (cashable or not). */
export interface CouncilKindTotal {
  cashable: boolean;
  /** What the partnerships' totals give the council. */
  expectedPence: bigint;
  /** Everything the council claims, including claims with no total or as a non-member. */
  claimedPence: bigint;
  /** `claimedPence` minus `expectedPence`. */
  differencePence: bigint;
}

/** Every share a council claims across its partnerships for a year, beside what the totals give it. */
export interface CouncilSavingsPosition extends ReconciliationQuery {
  council: Council;
  /** The council's lines from each partnership's reconciliation, by partnership name. */
  lines: ReconciliationLine[];
  /** Cashable first, then non-cashable. */
  totals: CouncilKindTotal[];
  importRuns: ImportRun[];
  warnings: string[];
}

/**
 * Picks a council's lines out of the reconciliations of the partnerships it belongs to or claims
 * from: the same lines the partnerships' own reconciliations show, so the two views never disagree.
 */
export function councilSavingsPosition(
  council: Council,
  reconciliations: readonly PartnershipReconciliation[],
  query: ReconciliationQuery,
): CouncilSavingsPosition {
  const ordered = [...reconciliations].sort((a, b) =>
    a.partnership.name.localeCompare(b.partnership.name, "en"),
  );
  const lines = ordered.flatMap((r) =>
    r.lines.filter((line) => line.council.id === council.id),
  );
  const totals = [true, false].map((cashable) => {
    const ofKind = lines.filter((line) => line.cashable === cashable);
    const expectedPence = ofKind.reduce(
      (sum, line) => sum + (line.expectedPence ?? 0n),
      0n,
    );
    const claimedPence = ofKind.reduce(
      (sum, line) => sum + (line.claimedPence ?? 0n),
      0n,
    );
    return {
      cashable,
      expectedPence,
      claimedPence,
      differencePence: claimedPence - expectedPence,
    };
  });
  const runs = new Map<number, ImportRun>();
  for (const line of lines)
    for (const figure of [line.totalFigure, line.claimFigure])
      if (figure?.importRun) runs.set(figure.importRun.id, figure.importRun);
  return {
    ...query,
    council,
    lines,
    totals,
    importRuns: [...runs.values()].sort((a, b) => a.id - b.id),
    warnings: [
      ...new Set(
        ordered.flatMap((r) =>
          r.warnings.map((warning) => `${r.partnership.name}: ${warning}`),
        ),
      ),
    ],
  };
}
