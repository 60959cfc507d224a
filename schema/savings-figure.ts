import type { Rel } from "@mikro-orm/core";
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
import { Service } from "./service.js";
import { Sourced } from "./sourced.js";
import { Node } from "./node.js";
import { SavingsMeasure } from "./savings-measure.js";

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
  expression:
    'create unique index "savings_figure_key_unique" on "savings_figure" ("council_id", "service_id", "financial_year", "measure", "cashable", "reporting_period" desc, "reported_by_id") nulls not distinct',
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
}
