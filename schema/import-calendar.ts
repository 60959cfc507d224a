import { Field, Int, ObjectType } from "type-graphql";
import { ImportRun } from "./import-run.js";
import { Partnership } from "./partnership.js";

/** One partnership's month: the imports whose savings figures it holds, or none (no tracker). */
@ObjectType({
  description:
    "One reporting month of one partnership: the import runs whose savings figures it holds for that month; none means no tracker was imported for it.",
})
export class ImportMonth {
  @Field(() => String, { description: "The reporting month, YYYY-MM." })
  reportingPeriod!: string;

  @Field(() => Int, {
    description: "The savings figures held for this partnership and month.",
  })
  figureCount!: number;

  @Field(() => [ImportRun], {
    description:
      "The runs that wrote those figures, oldest first; empty when no tracker was imported for the month.",
  })
  runs!: ImportRun[];

  @Field(() => Boolean, {
    description:
      "True for a month before the partnership's first tracker: nothing was expected yet.",
  })
  beforeFirstTracker!: boolean;
}

/** A partnership's months in a range, each with its imports or none. */
@ObjectType({
  description:
    "A partnership's reporting months in the range asked for, each with the imports that wrote its savings figures, or none.",
})
export class PartnershipImportMonths {
  @Field(() => Partnership)
  partnership!: Partnership;

  @Field(() => [ImportMonth], {
    description: "Every month of the range, oldest first.",
  })
  months!: ImportMonth[];

  @Field(() => Int, {
    description:
      "Months of the range, from the partnership's first tracker on, with no tracker imported.",
  })
  missingMonths!: number;
}

/** One month's checks that wrote nothing: its dry runs and refused runs. */
@ObjectType({
  description:
    "One reporting month's import runs that wrote nothing (dry runs and refused runs): no partnership holds figures from them, so they are listed by month alone.",
})
export class ImportMonthChecks {
  @Field(() => String, { description: "The reporting month, YYYY-MM." })
  reportingPeriod!: string;

  @Field(() => [ImportRun], {
    description:
      "The month's dry runs and refused runs, oldest first (their `status` tells which).",
  })
  runs!: ImportRun[];
}
