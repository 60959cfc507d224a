import { Field, ObjectType, registerEnumType } from "type-graphql";
import type { CouncilSavingsPosition } from "../../reconcile/council-savings-position.js";
import type {
  KindTotal,
  PartnershipReconciliation,
  ReconciliationLine,
  ServiceTotal,
} from "../../reconcile/reconciliation.js";
import {
  ReconciliationStatus,
  statusDescriptions,
} from "../../reconcile/reconciliation-status.js";
import { ShareBasis } from "../../reconcile/share-basis.js";
import { Council } from "../../schema/council.js";
import { FinancialYearScalar } from "../../schema/financial-year.js";
import { ImportRun } from "../../schema/import-run.js";
import { Membership } from "../../schema/membership.js";
import { Money } from "../../schema/money.js";
import { Partnership } from "../../schema/partnership.js";
import { SavingsFigure } from "../../schema/savings-figure.js";
import { SavingsMeasure } from "../../schema/savings-measure.js";
import { Service } from "../../schema/service.js";

registerEnumType(ReconciliationStatus, {
  name: "ReconciliationStatus",
  description:
    "What a reconciliation line found when it set a council's claim beside its expected share.",
  valuesConfig: Object.fromEntries(
    Object.values(ReconciliationStatus).map((status) => [
      status,
      { description: statusDescriptions[status] },
    ]),
  ),
});
registerEnumType(ShareBasis, {
  name: "ShareBasis",
  description: "Where a member's expected share comes from.",
  valuesConfig: {
    AGREED: { description: "The membership's agreed cost share percentage." },
    EQUAL: {
      description:
        "No cost share is agreed: an equal part (of what agreed shares leave).",
    },
    REPORTED: {
      description:
        "The host's (or the partnership's) tracker reports the member's share (see shareFigure); it beats agreed and equal shares.",
    },
  },
});

function money(pence: bigint | null): Money | null {
  return pence === null ? null : Money.fromPence(pence);
}

/** One council's claim for one service and kind, beside its share of the partnership's total. */
@ObjectType("ReconciliationLine", {
  description:
    "One council's claim for one service and kind (cashable or not), beside its share of the partnership's total.",
})
export class ReconciliationLineResult {
  @Field(() => Partnership, { description: "The partnership." })
  partnership!: Partnership;

  @Field(() => Service, { description: "The shared service." })
  service!: Service;

  @Field(() => Council, { description: "The council the line is about." })
  council!: Council;

  @Field(() => Boolean, {
    description:
      "True for cashable savings, false for non-cashable; the two are never mixed.",
  })
  cashable!: boolean;

  @Field(() => Boolean, {
    description: "True when the council is a member in the financial year.",
  })
  member!: boolean;

  @Field(() => Membership, {
    nullable: true,
    description: "The membership in force in the year; null for a non-member.",
  })
  membership!: Membership | null;

  @Field(() => ShareBasis, {
    nullable: true,
    description:
      "REPORTED where the host's or partnership's tracker gives the share, AGREED or EQUAL where a share of the total was worked out; null otherwise.",
  })
  shareBasis!: ShareBasis | null;

  @Field(() => String, {
    nullable: true,
    description:
      'The percentage of the total applied, four decimals ("33.3333"); null where no share was worked out.',
  })
  sharePercent!: string | null;

  @Field(() => Money, {
    nullable: true,
    description:
      "The partnership's total for the service; null where it reports none.",
  })
  partnershipTotal!: Money | null;

  @Field(() => Money, {
    nullable: true,
    description:
      "The member's share of the total, rounded so the shares add up to it exactly (largest remainder on pence, ties to the lower GSS code).",
  })
  expected!: Money | null;

  @Field(() => Money, {
    nullable: true,
    description: "What the council claims; null where it reports nothing.",
  })
  claimed!: Money | null;

  @Field(() => Money, {
    nullable: true,
    description:
      "Claimed minus expected; null when either is missing (see status).",
  })
  variance!: Money | null;

  @Field(() => ReconciliationStatus, { description: "What the line found." })
  status!: ReconciliationStatus;

  @Field(() => String, {
    nullable: true,
    description:
      'Why the line reads as it does, e.g. "Equal share: no cost share is agreed."',
  })
  note!: string | null;

  @Field(() => SavingsFigure, {
    nullable: true,
    description:
      "The partnership's total figure used, with its sheet and cell; null without one.",
  })
  totalFigure!: SavingsFigure | null;

  @Field(() => SavingsFigure, {
    nullable: true,
    description:
      "The council's claimed figure used (its own report, source OWN), with its sheet and cell; null without one.",
  })
  claimFigure!: SavingsFigure | null;

  @Field(() => SavingsFigure, {
    nullable: true,
    description:
      "The host's or partnership's report of the council's share that gave the expected share (shareBasis REPORTED); null otherwise.",
  })
  shareFigure!: SavingsFigure | null;

  /** The GraphQL view of an engine line. */
  static from(line: ReconciliationLine): ReconciliationLineResult {
    return Object.assign(new ReconciliationLineResult(), {
      partnership: line.partnership,
      service: line.service,
      council: line.council,
      cashable: line.cashable,
      member: line.membership !== null,
      membership: line.membership,
      shareBasis: line.shareBasis,
      sharePercent: line.appliedPercent,
      partnershipTotal: money(line.totalPence),
      expected: money(line.expectedPence),
      claimed: money(line.claimedPence),
      variance: money(line.variancePence),
      status: line.status,
      note: line.note,
      totalFigure: line.totalFigure,
      claimFigure: line.claimFigure,
      shareFigure: line.shareFigure,
    });
  }
}

/** A service's total beside the sum of the claims on it, for one kind. */
@ObjectType({
  description:
    "A service's total beside the sum of every claim on it, for one kind (cashable or not).",
})
export class ServiceReconciliationTotal {
  @Field(() => Service, { description: "The shared service." })
  service!: Service;

  @Field(() => Boolean, { description: "Cashable (true) or not (false)." })
  cashable!: boolean;

  @Field(() => Money, {
    nullable: true,
    description: "The partnership's total; null where it reports none.",
  })
  partnershipTotal!: Money | null;

  @Field(() => Money, {
    description: "The sum of every council's claim, members or not.",
  })
  claimed!: Money;

  @Field(() => Money, {
    nullable: true,
    description: "Claimed minus the total; null without a total.",
  })
  difference!: Money | null;

  @Field(() => Boolean, {
    description:
      "DOUBLE_COUNTING: the claims add up to more than the total, so some saving is counted twice.",
  })
  doubleCounting!: boolean;

  @Field(() => SavingsFigure, {
    nullable: true,
    description:
      "The total's figure used, with its sheet and cell: the latest month's, the partnership's own before the host's.",
  })
  totalFigure!: SavingsFigure | null;

  @Field(() => [SavingsFigure], {
    description:
      "Other sources' reports of the total (e.g. the host's beside the partnership's own), not used, shown beside it.",
  })
  otherTotals!: SavingsFigure[];

  /** The GraphQL view of an engine service total. */
  static from(total: ServiceTotal): ServiceReconciliationTotal {
    return Object.assign(new ServiceReconciliationTotal(), {
      service: total.service,
      cashable: total.cashable,
      partnershipTotal: money(total.totalPence),
      claimed: Money.fromPence(total.claimedPence),
      difference: money(total.differencePence),
      doubleCounting: total.doubleCounting,
      totalFigure: total.totalFigure,
      otherTotals: total.otherTotalFigures,
    });
  }
}

/** A partnership's totals across its services, for one kind. */
@ObjectType({
  description:
    "A partnership's totals across its services, for one kind (cashable or not).",
})
export class ReconciliationTotal {
  @Field(() => Boolean, { description: "Cashable (true) or not (false)." })
  cashable!: boolean;

  @Field(() => Money, { description: "The sum of the services' totals." })
  partnershipTotal!: Money;

  @Field(() => Money, {
    description: "The sum of the claims on services that have a total.",
  })
  claimed!: Money;

  @Field(() => Money, {
    description:
      "Claims on services for which the partnership reports no total.",
  })
  claimedWithoutTotal!: Money;

  @Field(() => Money, { description: "Claimed minus the partnership total." })
  difference!: Money;

  @Field(() => Boolean, {
    description: "DOUBLE_COUNTING: some service's claims exceed its total.",
  })
  doubleCounting!: boolean;

  /** The GraphQL view of an engine kind total. */
  static from(total: KindTotal): ReconciliationTotal {
    return Object.assign(new ReconciliationTotal(), {
      cashable: total.cashable,
      partnershipTotal: Money.fromPence(total.totalPence),
      claimed: Money.fromPence(total.claimedPence),
      claimedWithoutTotal: Money.fromPence(total.claimedWithoutTotalPence),
      difference: Money.fromPence(total.differencePence),
      doubleCounting: total.doubleCounting,
    });
  }
}

/** A partnership's savings for a year and measure, reconciled line by line. */
@ObjectType({
  description:
    "A partnership's savings for a financial year and measure, reconciled line by line: totals, shares, claims.",
})
export class Reconciliation {
  @Field(() => Partnership, { description: "The partnership." })
  partnership!: Partnership;

  @Field(() => FinancialYearScalar, { description: "The financial year." })
  financialYear!: number;

  @Field(() => SavingsMeasure, { description: "The measure reconciled." })
  measure!: SavingsMeasure;

  @Field(() => String, {
    nullable: true,
    description:
      "The latest reporting period (YYYY-MM) asked for; null for the latest there is.",
  })
  asOf!: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      "The latest reporting period among the figures used; null when there were none.",
  })
  latestPeriod!: string | null;

  @Field(() => Money, {
    description: "Claims this close to the expected share are MATCHED.",
  })
  tolerance!: Money;

  @Field(() => [ReconciliationLineResult], {
    description:
      "Every line, by service, cashable before non-cashable, members then others.",
  })
  lines!: ReconciliationLineResult[];

  @Field(() => [ServiceReconciliationTotal], {
    description: "Each service's total beside its claims.",
  })
  services!: ServiceReconciliationTotal[];

  @Field(() => [ReconciliationTotal], {
    description: "Totals across services: cashable, then non-cashable.",
  })
  totals!: ReconciliationTotal[];

  @Field(() => Boolean, {
    description:
      "DOUBLE_COUNTING anywhere: some service's claims exceed its total.",
  })
  doubleCounting!: boolean;

  @Field(() => [ImportRun], {
    description: "The import runs the figures used came from.",
  })
  importRuns!: ImportRun[];

  @Field(() => [String], {
    description:
      "What a finance officer should know, e.g. agreed cost shares that do not add up to 100%.",
  })
  warnings!: string[];

  /** The GraphQL view of an engine reconciliation. */
  static from(r: PartnershipReconciliation): Reconciliation {
    return Object.assign(new Reconciliation(), {
      partnership: r.partnership,
      financialYear: r.financialYear,
      measure: r.measure,
      asOf: r.asOf,
      latestPeriod: r.latestPeriod,
      tolerance: Money.fromPence(r.tolerancePence),
      lines: r.lines.map((line) => ReconciliationLineResult.from(line)),
      services: r.services.map((s) => ServiceReconciliationTotal.from(s)),
      totals: r.totals.map((t) => ReconciliationTotal.from(t)),
      doubleCounting: r.doubleCounting,
      importRuns: r.importRuns,
      warnings: r.warnings,
    });
  }
}

/** A council's expected shares against its claims, for one kind. */
@ObjectType({
  description:
    "A council's expected shares beside its claims, for one kind (cashable or not).",
})
export class CouncilSavingsTotal {
  @Field(() => Boolean, { description: "Cashable (true) or not (false)." })
  cashable!: boolean;

  @Field(() => Money, {
    description: "What the partnerships' totals give the council.",
  })
  expected!: Money;

  @Field(() => Money, {
    description:
      "Everything the council claims, including claims without a total or as a non-member.",
  })
  claimed!: Money;

  @Field(() => Money, { description: "Claimed minus expected." })
  difference!: Money;
}

/** Every share a council claims across its partnerships for a year, beside what the totals give it. */
@ObjectType("CouncilSavingsPosition", {
  description:
    "Every share a council claims across its partnerships for a year, beside what the partnerships' totals give it.",
})
export class CouncilSavingsPositionResult {
  @Field(() => FinancialYearScalar, { description: "The financial year." })
  financialYear!: number;

  @Field(() => SavingsMeasure, { description: "The measure." })
  measure!: SavingsMeasure;

  @Field(() => String, {
    nullable: true,
    description: "The latest reporting period used; null for the latest.",
  })
  asOf!: string | null;

  @Field(() => Money, {
    description: "Claims this close to the expected share are MATCHED.",
  })
  tolerance!: Money;

  @Field(() => [ReconciliationLineResult], {
    description:
      "The council's lines from each partnership's reconciliation, by partnership name.",
  })
  lines!: ReconciliationLineResult[];

  @Field(() => [CouncilSavingsTotal], {
    description: "Totals: cashable, then non-cashable.",
  })
  totals!: CouncilSavingsTotal[];

  @Field(() => [ImportRun], {
    description: "The import runs the figures used came from.",
  })
  importRuns!: ImportRun[];

  @Field(() => [String], {
    description: "Warnings of the partnerships' reconciliations.",
  })
  warnings!: string[];

  /** The GraphQL view of an engine savings position. */
  static from(p: CouncilSavingsPosition): CouncilSavingsPositionResult {
    return Object.assign(new CouncilSavingsPositionResult(), {
      financialYear: p.financialYear,
      measure: p.measure,
      asOf: p.asOf,
      tolerance: Money.fromPence(p.tolerancePence),
      lines: p.lines.map((line) => ReconciliationLineResult.from(line)),
      totals: p.totals.map((t) =>
        Object.assign(new CouncilSavingsTotal(), {
          cashable: t.cashable,
          expected: Money.fromPence(t.expectedPence),
          claimed: Money.fromPence(t.claimedPence),
          difference: Money.fromPence(t.differencePence),
        }),
      ),
      importRuns: p.importRuns,
      warnings: p.warnings,
    });
  }
}
