import {
  Arg,
  Args,
  ArgsType,
  Authorized,
  Ctx,
  Field,
  FieldResolver,
  ID,
  Query,
  Resolver,
  Root,
} from "type-graphql";
import { loadCouncilSavingsPosition } from "../../reconcile/load-council-savings-position.js";
import { loadReconciliations } from "../../reconcile/load-reconciliations.js";
import { parseTolerance } from "../../reconcile/reconciliation-options.js";
import type { ReconciliationQuery } from "../../reconcile/reconciliation.js";
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

/**
 * The arguments both reconciliations take, declared once and read into a ReconciliationQuery by the
 * same parsers as the CLI's and the export route's.
 */
@ArgsType()
class ReconciliationArgs {
  @Field(() => FinancialYearScalar, {
    description: 'The financial year, e.g. "2009/10".',
  })
  financialYear!: number;

  @Field(() => SavingsMeasure, {
    defaultValue: SavingsMeasure.ACHIEVED,
    description: "What to reconcile.",
  })
  measure!: SavingsMeasure;

  @Field(() => String, {
    nullable: true,
    description:
      "Use figures reported up to this month (YYYY-MM); the latest when omitted.",
  })
  asOf?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Claims within this many pounds of the expected share are MATCHED, e.g. "0.50"; default "0.00".',
  })
  tolerance?: string | null;
}

/** The reconciliation arguments as a query (BAD_USER_INPUT naming the argument when one is malformed). */
function reconciliationQuery(args: ReconciliationArgs): ReconciliationQuery {
  return {
    financialYear: args.financialYear,
    measure: args.measure,
    asOf: parseReportingPeriodArgument(args.asOf, "asOf"),
    tolerancePence: parseTolerance(args.tolerance),
  };
}

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
    @Args(() => ReconciliationArgs) args: ReconciliationArgs,
    @Ctx() { em, scope }: Context,
  ): Promise<Reconciliation> {
    const query = reconciliationQuery(args);
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
    @Args(() => ReconciliationArgs) args: ReconciliationArgs,
    @Ctx() { em, scope }: Context,
  ): Promise<CouncilSavingsPositionResult> {
    const position = await loadCouncilSavingsPosition(
      em,
      council,
      reconciliationQuery(args),
      (id) => scope.allows(id),
    );
    return CouncilSavingsPositionResult.from(position);
  }
}
