import { Field, ObjectType } from "type-graphql";
import { FinancialYearScalar } from "./financial-year.js";
import { Money } from "./money.js";
import { SavingsMeasure } from "./savings-measure.js";

/** Savings split into cashable and non-cashable, with their total; exact to the penny. */
@ObjectType({
  description:
    "Savings split into cashable and non-cashable, with their total; exact to the penny.",
})
export class SavingsAmounts {
  @Field(() => Money, { description: "Cashable savings." })
  cashable!: Money;

  @Field(() => Money, { description: "Non-cashable savings." })
  nonCashable!: Money;

  @Field(() => Money, { description: "Cashable plus non-cashable." })
  total!: Money;
}

/** One council's share of a measure's savings (the figures reported for that council). */
@ObjectType({
  description:
    "One council's savings for a measure: the sum of the figures reported for that council.",
})
export class CouncilSavings extends SavingsAmounts {
  /** Resolved to the Council through the request's loaders. */
  councilId!: number;
}

/** A measure's savings in one financial year: overall and per council. */
@ObjectType({
  description:
    "A measure's savings in one financial year: overall, and per council where figures name councils.",
})
export class MeasureSavings extends SavingsAmounts {
  @Field(() => SavingsMeasure, { description: "What the figures measure." })
  measure!: SavingsMeasure;

  @Field(() => [CouncilSavings], {
    description:
      "Per council, in council name order: sums of the figures reported for each council. A partnership's own totals (figures naming no council) count only in the overall amounts.",
  })
  byCouncil!: CouncilSavings[];
}

/** Savings in one financial year, by measure. */
@ObjectType({
  description:
    "Savings in one financial year, by measure, from the latest reported figure of each service, council, measure and cashability. Where a service reports a partnership total (no council) that total counts; otherwise its councils' figures are added up, so nothing counts twice.",
})
export class SavingsSummary {
  @Field(() => FinancialYearScalar, { description: "The financial year." })
  financialYear!: number;

  @Field(() => [MeasureSavings], {
    description: "One entry per measure with figures, in measure order.",
  })
  measures!: MeasureSavings[];
}
