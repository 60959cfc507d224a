import type { Opt, Rel } from "@mikro-orm/core";
import {
  Entity,
  Enum,
  Index,
  ManyToOne,
  PrimaryKey,
  Property,
  Unique,
} from "@mikro-orm/decorators/legacy";
import { Field, ObjectType, registerEnumType } from "type-graphql";
import { Council } from "./council.js";
import { FinancialYearScalar } from "./financial-year.js";
import { Service } from "./service.js";
import { Sourced } from "./sourced.js";
import { Node } from "./node.js";
import { SavingsMeasure } from "./savings-measure.js";
import {
  FIGURE_UNIQUE_INDEX_SQL,
  FigureSource,
  SavingsSourceFilter,
} from "./savings-figure-key.js";

const SOURCE_DESCRIPTIONS = {
  OWN: "Reported by the council the figure is for (its own tracker, claim or return): that council's claim.",
  HOST: "Reported by another council, the host's (or lead council's) tracker: its view of the council's share, or the partnership's total; never the council's claim.",
  PARTNERSHIP:
    "Reported by the partnership's own tracker (no council submitted it): the partnership's total, or its view of a council's share; never the council's claim.",
};

registerEnumType(FigureSource, {
  name: "FigureSource",
  description:
    "Whose report a savings figure is, relative to the council it is for (see reportedBy).",
  valuesConfig: {
    OWN: { description: SOURCE_DESCRIPTIONS.OWN },
    HOST: { description: SOURCE_DESCRIPTIONS.HOST },
    PARTNERSHIP: { description: SOURCE_DESCRIPTIONS.PARTNERSHIP },
  },
});

registerEnumType(SavingsSourceFilter, {
  name: "SavingsSourceFilter",
  description: "Which sources' reports a savings list holds.",
  valuesConfig: {
    OWN: {
      description: `Only councils' own claims. ${SOURCE_DESCRIPTIONS.OWN}`,
    },
    HOST: {
      description: `Only other councils' reports. ${SOURCE_DESCRIPTIONS.HOST}`,
    },
    PARTNERSHIP: {
      description: `Only the partnership's reports. ${SOURCE_DESCRIPTIONS.PARTNERSHIP}`,
    },
    ANY: {
      description:
        "Every source: each source's latest report of a figure is its own item, so a council's claim and the host's breakdown of the same figure both show.",
    },
  },
});

registerEnumType(SavingsMeasure, {
  name: "SavingsMeasure",
  description: "What a savings figure measures.",
  valuesConfig: {
    TARGET: { description: "The saving the business case set out to make." },
    ESTIMATE: {
      description:
        'An estimate ("estimated cashable savings of around £357,000 per annum").',
    },
    FORECAST: { description: "The current forecast for the year." },
    ACHIEVED: { description: 'What was actually saved ("actual").' },
  },
});

/**
 * One savings figure from one tracker: a service's saving for one council (or the partnership's
 * total when council is null) in one financial year, as reported in one month.
 */
@ObjectType({
  implements: Node,
  description: "One savings figure, as reported in one month's tracker.",
})
@Entity({ tableName: "savings_figure" })
@Index({ properties: ["service", "financialYear", "reportingPeriod"] })
// One figure per key and source: the importer writes with ON CONFLICT against it. Council first, newest
// report first, because a council's savings lists read the latest figures in this order.
@Unique({
  name: "savings_figure_key_unique",
  expression: FIGURE_UNIQUE_INDEX_SQL,
})
@Index({ properties: ["importRun"] })
@Index({ properties: ["reportingPeriod", "reportedBy"] })
export class SavingsFigure extends Sourced {
  @PrimaryKey({ type: "integer", autoincrement: true })
  id!: number;

  @ManyToOne(() => Service, { deleteRule: "cascade" })
  service!: Rel<Service>;

  /** Null for the partnership's own total. */
  @ManyToOne(() => Council, { nullable: true })
  council?: Rel<Council> | null;

  /**
   * Whose tracker the figure came from: the council that submitted its own tracker (its claimed
   * share), or null for the partnership's (host's) tracker. With the partnership and the reporting
   * period it is the figure's source: a corrected tracker replaces only its own source's figures.
   */
  @ManyToOne(() => Council, { nullable: true })
  reportedBy?: Rel<Council> | null;

  /** The financial year by its first calendar year: 2010 means 2010/11 (April 2010 to March 2011). */
  @Field(() => FinancialYearScalar, {
    description: "The financial year the figure is for.",
  })
  @Property({ type: "smallint" })
  financialYear!: number;

  @Field(() => SavingsMeasure, { description: "What the figure measures." })
  @Enum({ items: () => SavingsMeasure })
  measure!: SavingsMeasure;

  @Field(() => Boolean, {
    description: "True for cashable savings, false for non-cashable.",
  })
  @Property({ type: "boolean" })
  cashable: boolean = true;

  /** Pounds, exact to the penny: numeric(15,2) in the database, a decimal string here. */
  @Property({ type: "decimal", precision: 15, scale: 2 })
  amount!: string;

  /** The month of the tracker the figure came from, as YYYY-MM. */
  @Field(() => String, {
    description: "The month of the tracker the figure came from (YYYY-MM).",
  })
  @Property({ type: "text" })
  reportingPeriod!: string;

  @Field(() => String, {
    nullable: true,
    description: "RAG status as written (Red, Amber, Green).",
  })
  @Property({ type: "text", nullable: true })
  ragStatus?: string | null;

  /**
   * True for a service list's estimate (its estimated-savings column), false for a tracker's figure:
   * the monthly rule removes a file's unreported figures only among its own kind's.
   */
  @Property({ type: "boolean", default: false })
  fromServiceList: Opt<boolean> = false;
}
