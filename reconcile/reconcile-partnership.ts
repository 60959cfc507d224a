import type { Council } from "../schema/council.js";
import { formatFinancialYear } from "../schema/financial-year-text.js";
import type { ImportRun } from "../schema/import-run.js";
import type { Membership } from "../schema/membership.js";
import type { Partnership } from "../schema/partnership.js";
import type { SavingsFigure } from "../schema/savings-figure.js";
import type { Service } from "../schema/service.js";
import { toPence } from "../schema/money.js";
import { allocateShares } from "./allocate-shares.js";
import {
  FigureSource,
  figureSourceOf,
  latestFigurePerSource,
  preferredReport,
} from "../schema/savings-figure-key.js";
import type {
  KindTotal,
  PartnershipReconciliation,
  ReconciliationLine,
  ReconciliationQuery,
  ServiceTotal,
} from "./reconciliation.js";
import { ReconciliationStatus } from "./reconciliation-status.js";
import { ShareBasis } from "./share-basis.js";

/** Everything a partnership's reconciliation is worked out from, already loaded. */
export interface ReconciliationInput {
  partnership: Partnership;
  /** The partnership's memberships, with their councils. */
  memberships: readonly Membership[];
  /** Figures of the partnership's services (any period; older ones are superseded here). */
  figures: readonly SavingsFigure[];
}

function dateText(value: string | Date | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === "string" ? value : value.toISOString().slice(0, 10);
}

/** A membership counts for a financial year when it overlaps 1 April to 31 March at all. */
function memberInYear(membership: Membership, year: number): boolean {
  const joined = dateText(membership.joinedOn);
  const left = dateText(membership.leftOn);
  return (
    (joined === null || joined <= `${year + 1}-03-31`) &&
    (left === null || left >= `${year}-04-01`)
  );
}

function byCouncil(a: Council, b: Council): number {
  return (
    a.shortName.localeCompare(b.shortName, "en") ||
    (a.gssCode < b.gssCode ? -1 : a.gssCode > b.gssCode ? 1 : 0)
  );
}

function amount(figure: SavingsFigure): bigint {
  return toPence(String(figure.amount));
}

function claimStatus(
  claimed: bigint,
  expected: bigint,
  tolerance: bigint,
): ReconciliationStatus {
  const variance = claimed - expected;
  if (variance <= tolerance && -variance <= tolerance)
    return ReconciliationStatus.MATCHED;
  return variance > 0n
    ? ReconciliationStatus.OVER_CLAIMED
    : ReconciliationStatus.UNDER_CLAIMED;
}

interface Group {
  service: Service;
  cashable: boolean;
  /** Each source's latest report of the partnership's total. */
  totals: SavingsFigure[];
  /** Councils' own reports (their claims), by council id. */
  claims: Map<number, SavingsFigure>;
  /** The host's and the partnership's reports of a council's share, by council id. */
  shares: Map<number, SavingsFigure[]>;
}

function groupOf(groups: Map<string, Group>, figure: SavingsFigure): Group {
  const key = `${figure.service.id}|${figure.cashable}`;
  let group = groups.get(key);
  if (!group) {
    group = {
      service: figure.service,
      cashable: figure.cashable,
      totals: [],
      claims: new Map(),
      shares: new Map(),
    };
    groups.set(key, group);
  }
  return group;
}

/** Sorts the figures into groups by the source rule (schema/savings-figure-key.ts). */
function groupFigures(figures: readonly SavingsFigure[]): Group[] {
  const groups = new Map<string, Group>();
  for (const figure of figures) {
    const group = groupOf(groups, figure);
    if (!figure.council) group.totals.push(figure);
    else if (figureSourceOf(figure) === FigureSource.OWN)
      group.claims.set(figure.council.id, figure);
    else {
      const shares = group.shares.get(figure.council.id) ?? [];
      shares.push(figure);
      group.shares.set(figure.council.id, shares);
    }
  }
  return [...groups.values()].sort(
    (a, b) =>
      a.service.name.localeCompare(b.service.name, "en") ||
      a.service.id - b.service.id ||
      Number(b.cashable) - Number(a.cashable),
  );
}

function reportedShareNote(figure: SavingsFigure): string {
  return figureSourceOf(figure) === FigureSource.PARTNERSHIP
    ? "Share as the partnership's tracker reports it."
    : "Share as the host's tracker reports it.";
}

/**
 * Reconciles one partnership's savings for a year and measure: a pure function of the loaded
 * figures and memberships, so the API, the CLI and the workbook all show the same answer, whatever
 * order the figures were imported in.
 *
 * The source rule (schema/savings-figure-key.ts) decides what each figure is: a council's own report
 * is its claim; the host's or the partnership's report for a council is the expected share
 * (REPORTED, beating agreed and equal shares); a council-less figure is the total (the latest
 * month's; the partnership's own before the host's, the other shown beside it).
 *
 * Per service and kind (cashable and non-cashable never mix): members in the year take the
 * reported share, else their part of the total by `allocateShares`; each member's claim is set
 * against it (MATCHED within the tolerance, else OVER_ or UNDER_CLAIMED, MISSING_CLAIM without one);
 * without either a member's claim is CLAIM_WITHOUT_TOTAL; a claim by any other council is
 * NON_MEMBER_CLAIM. Claims exceeding a total are flagged as double counting.
 */
export function reconcilePartnership(
  input: ReconciliationInput,
  query: ReconciliationQuery,
): PartnershipReconciliation {
  const { partnership } = input;
  const year = query.financialYear;
  const figures = latestFigurePerSource(
    input.figures.filter(
      (figure) =>
        figure.financialYear === year && figure.measure === query.measure,
    ),
    query.asOf,
  );
  const members = input.memberships
    .filter((membership) => memberInYear(membership, year))
    .sort((a, b) => byCouncil(a.council, b.council));
  const memberByCouncil = new Map(members.map((m) => [m.council.id, m]));
  const formerByCouncil = new Map(
    input.memberships
      .filter((membership) => !memberInYear(membership, year))
      .map((m) => [m.council.id, m]),
  );

  const warnings = new Set<string>();
  const lines: ReconciliationLine[] = [];
  const services: ServiceTotal[] = [];
  const equalNote = members.every((m) => m.costSharePercent == null)
    ? "Equal share: no cost share is agreed."
    : "Equal part of what the agreed cost shares leave: no cost share is agreed for this member.";
  for (const group of groupFigures(figures)) {
    const base = {
      partnership,
      service: group.service,
      cashable: group.cashable,
    };
    const { chosen: totalFigure, others: otherTotalFigures } = preferredReport(
      group.totals,
    );
    const totalPence = totalFigure ? amount(totalFigure) : null;
    const reported = new Map(
      members.map((m) => [
        m.council.id,
        preferredReport(group.shares.get(m.council.id) ?? []).chosen,
      ]),
    );
    const allocated =
      totalPence === null
        ? null
        : allocateShares(
            totalPence,
            members.map((m) => ({
              key: String(m.council.id),
              gssCode: m.council.gssCode,
              percent: m.costSharePercent ?? null,
            })),
          );
    // Agreed-share warnings matter only where a member's share came from them.
    if (allocated && members.some((m) => !reported.get(m.council.id)))
      allocated.warnings.forEach((warning) => warnings.add(warning));
    members.forEach((membership, index) => {
      const claim = group.claims.get(membership.council.id) ?? null;
      const claimedPence = claim ? amount(claim) : null;
      const shareFigure = reported.get(membership.council.id) ?? null;
      const share = allocated?.shares[index] ?? null;
      const expected = shareFigure
        ? {
            pence: amount(shareFigure),
            basis: ShareBasis.REPORTED,
            appliedPercent: null,
            note: reportedShareNote(shareFigure),
          }
        : share
          ? {
              pence: share.pence,
              basis: share.basis,
              appliedPercent: share.appliedPercent,
              note: share.basis === ShareBasis.EQUAL ? equalNote : null,
            }
          : null;
      if (!expected) {
        if (!claim) return;
        lines.push({
          ...base,
          council: membership.council,
          membership,
          shareBasis: null,
          appliedPercent: null,
          totalPence: null,
          expectedPence: null,
          claimedPence,
          variancePence: null,
          status: ReconciliationStatus.CLAIM_WITHOUT_TOTAL,
          note: `The partnership reports no ${group.cashable ? "cashable" : "non-cashable"} total for this service to share.`,
          totalFigure: null,
          claimFigure: claim,
          shareFigure: null,
        });
        return;
      }
      lines.push({
        ...base,
        council: membership.council,
        membership,
        shareBasis: expected.basis,
        appliedPercent: expected.appliedPercent,
        totalPence,
        expectedPence: expected.pence,
        claimedPence,
        variancePence:
          claimedPence === null ? null : claimedPence - expected.pence,
        status:
          claimedPence === null
            ? ReconciliationStatus.MISSING_CLAIM
            : claimStatus(claimedPence, expected.pence, query.tolerancePence),
        note: expected.note,
        totalFigure,
        claimFigure: claim,
        shareFigure,
      });
    });
    for (const councilId of group.shares.keys()) {
      if (memberByCouncil.has(councilId)) continue;
      const council = group.shares.get(councilId)![0]!.council!;
      warnings.add(
        `${group.service.name}: a share is reported for ${council.shortName} (${council.gssCode}), which is not a member in ${formatFinancialYear(year)}; it is left out.`,
      );
    }
    const outsiders = [...group.claims.values()]
      .filter((claim) => !memberByCouncil.has(claim.council!.id))
      .sort((a, b) => byCouncil(a.council!, b.council!));
    for (const claim of outsiders) {
      const council = claim.council!;
      const former = formerByCouncil.get(council.id);
      const joined = dateText(former?.joinedOn);
      const left = dateText(former?.leftOn);
      lines.push({
        ...base,
        council,
        membership: null,
        shareBasis: null,
        appliedPercent: null,
        totalPence,
        expectedPence: null,
        claimedPence: amount(claim),
        variancePence: null,
        status: ReconciliationStatus.NON_MEMBER_CLAIM,
        note: former
          ? `Not a member in ${formatFinancialYear(year)} (${[joined && `joined ${joined}`, left && `left ${left}`].filter(Boolean).join(", ")}).`
          : "Not a member of the partnership.",
        totalFigure,
        claimFigure: claim,
        shareFigure: null,
      });
    }
    const claimedPence = [...group.claims.values()].reduce(
      (sum, claim) => sum + amount(claim),
      0n,
    );
    services.push({
      ...base,
      totalPence,
      claimedPence,
      differencePence: totalPence === null ? null : claimedPence - totalPence,
      // With no claim at all nothing is counted twice, even against a negative (cost) total.
      doubleCounting:
        totalPence !== null &&
        group.claims.size > 0 &&
        claimedPence > totalPence,
      totalFigure,
      otherTotalFigures,
    });
  }

  const totals: KindTotal[] = [true, false].map((cashable) => {
    const ofKind = services.filter((s) => s.cashable === cashable);
    const withTotal = ofKind.filter((s) => s.totalPence !== null);
    const totalPence = withTotal.reduce((sum, s) => sum + s.totalPence!, 0n);
    const claimedPence = withTotal.reduce((sum, s) => sum + s.claimedPence, 0n);
    return {
      cashable,
      totalPence,
      claimedPence,
      claimedWithoutTotalPence: ofKind
        .filter((s) => s.totalPence === null)
        .reduce((sum, s) => sum + s.claimedPence, 0n),
      differencePence: claimedPence - totalPence,
      doubleCounting: ofKind.some((s) => s.doubleCounting),
    };
  });

  const runs = new Map<number, ImportRun>();
  let latestPeriod: string | null = null;
  for (const figure of figures) {
    if (figure.importRun) runs.set(figure.importRun.id, figure.importRun);
    if (latestPeriod === null || figure.reportingPeriod > latestPeriod)
      latestPeriod = figure.reportingPeriod;
  }

  return {
    ...query,
    partnership,
    latestPeriod,
    lines,
    services,
    totals,
    doubleCounting: services.some((s) => s.doubleCounting),
    importRuns: [...runs.values()].sort((a, b) => a.id - b.id),
    warnings: [...warnings],
  };
}
