import {
  Arg,
  Authorized,
  Ctx,
  FieldResolver,
  ID,
  Query,
  Resolver,
  Root,
} from "type-graphql";
import { loadCouncilSavingsPosition } from "../../reconcile/load-council-savings-position.js";
import { loadReconciliations } from "../../reconcile/load-reconciliations.js";
import { parseTolerance } from "../../reconcile/reconciliation-options.js";
import { parseReportingPeriodArgument } from "../../schema/reporting-period.js";
import { Council } from "../../schema/council.js";
import { Role } from "../../schema/role.js";
import { FinancialYearScalar } from "../../schema/financial-year.js";
import { SavingsMeasure } from "../../schema/savings-measure.js";
import { findVisiblePartnership } from "../auth/find-visible-partnership.js";
import type { Context } from "../context.js";
import {
  CouncilSavingsPositionResult,
  Reconciliation,
} from "./reconciliation-types.js";

/** Savings reconciliation: a partnership's lines, and a council's position across its partnerships. */
@Resolver(() => Council)
export class ReconciliationResolver {
  @Authorized(Role.FINANCE)
  @Query(() => Reconciliation, {
    description:
      "A partnership's savings for a financial year and measure, reconciled: each member's expected share of each service's total beside its claim, with a status per line and double counting flagged.",
  })
  async reconciliation(
    @Arg("partnership", () => ID, {
      description:
        "The partnership: its global id, its database id, or its name (any case).",
    })
    partnership: string,
    @Arg("financialYear", () => FinancialYearScalar, {
      description: 'The financial year, e.g. "2009/10".',
    })
    financialYear: number,
    @Ctx() { em, scope }: Context,
    @Arg("measure", () => SavingsMeasure, {
      defaultValue: SavingsMeasure.ACHIEVED,
      description: "What to reconcile.",
    })
    measure: SavingsMeasure,
    @Arg("asOf", () => String, {
      nullable: true,
      description:
        "Use figures reported up to this month (YYYY-MM); the latest when omitted.",
    })
    asOf?: string | null,
    @Arg("tolerance", () => String, {
      nullable: true,
      description:
        'Claims within this many pounds of the expected share are MATCHED, e.g. "0.50"; default "0.00".',
    })
    tolerance?: string | null,
  ): Promise<Reconciliation> {
    const query = {
      financialYear,
      measure,
      asOf: parseReportingPeriodArgument(asOf, "asOf"),
      tolerancePence: parseTolerance(tolerance),
    };
    const found = await findVisiblePartnership(em, partnership, scope);
    const [result] = await loadReconciliations(em, [found], query);
    return Reconciliation.from(result!);
  }

  @Authorized(Role.FINANCE)
  @FieldResolver(() => CouncilSavingsPositionResult, {
    description:
      "Every share the council claims across all its partnerships for a year, beside what the partnerships' totals give it.",
  })
  async savingsPosition(
    @Root() council: Council,
    @Arg("financialYear", () => FinancialYearScalar, {
      description: 'The financial year, e.g. "2009/10".',
    })
    financialYear: number,
    @Ctx() { em, scope }: Context,
    @Arg("measure", () => SavingsMeasure, {
      defaultValue: SavingsMeasure.ACHIEVED,
      description: "What to reconcile.",
    })
    measure: SavingsMeasure,
    @Arg("asOf", () => String, {
      nullable: true,
      description:
        "Use figures reported up to this month (YYYY-MM); the latest when omitted.",
    })
    asOf?: string | null,
    @Arg("tolerance", () => String, {
      nullable: true,
      description:
        'Claims within this many pounds of the expected share are MATCHED; default "0.00".',
    })
    tolerance?: string | null,
  ): Promise<CouncilSavingsPositionResult> {
    const position = await loadCouncilSavingsPosition(
      em,
      council,
      {
        financialYear,
        measure,
        asOf: parseReportingPeriodArgument(asOf, "asOf"),
        tolerancePence: parseTolerance(tolerance),
      },
      (id) => scope.allows(id),
    );
    return CouncilSavingsPositionResult.from(position);
  }
}
