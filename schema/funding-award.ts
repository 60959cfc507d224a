import type { Rel } from "@mikro-orm/core";
import {
  Entity,
  Index,
  ManyToOne,
  PrimaryKey,
  Property,
} from "@mikro-orm/decorators/legacy";
import { Field, ObjectType } from "type-graphql";
import { GraphQLLocalDate } from "graphql-scalars";
import { Partnership } from "./partnership.js";
import { Sourced } from "./sourced.js";
import { Node } from "./node.js";

/** Money a funder awarded a partnership ("the RCE awarded £100k to the three Councils"). */
@ObjectType({
  implements: Node,
  description: "Money a funder awarded a partnership.",
})
@Entity({ tableName: "funding_award" })
@Index({ properties: ["partnership"] })
export class FundingAward extends Sourced {
  @PrimaryKey({ type: "integer", autoincrement: true })
  id!: number;

  @ManyToOne(() => Partnership, { deleteRule: "cascade" })
  partnership!: Rel<Partnership>;

  @Field(() => String, {
    description: 'Who gave the money ("RCE", "Transformation Challenge Fund").',
  })
  @Property({ type: "text" })
  funder!: string;

  /** Pounds, exact to the penny. */
  @Property({ type: "decimal", precision: 15, scale: 2 })
  amount!: string;

  @Field(() => String, {
    nullable: true,
    description: "What the money is for.",
  })
  @Property({ type: "text", nullable: true })
  purpose?: string | null;

  @Field(() => GraphQLLocalDate, {
    nullable: true,
    description: "When it was awarded (YYYY-MM-DD), where known.",
  })
  @Property({ type: "date", nullable: true })
  awardedOn?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'When it was awarded, as written ("May 2005").',
  })
  @Property({ type: "text", nullable: true })
  awardedText?: string | null;
}
