import type { Rel } from "@mikro-orm/core";
import {
  Entity,
  Index,
  ManyToOne,
  PrimaryKey,
  Property,
  Unique,
} from "@mikro-orm/decorators/legacy";
import { Field, Int, ObjectType } from "type-graphql";
import { Council } from "./council.js";
import { GovernanceBody } from "./governance-body.js";
import { Sourced } from "./sourced.js";
import { Node } from "./node.js";

/** The seats a council holds on a governance body. */
@ObjectType({
  implements: Node,
  description: "The seats a council holds on a governance body.",
})
@Entity({ tableName: "governance_seat" })
@Unique({ properties: ["body", "council"] })
@Index({ properties: ["council"] })
export class GovernanceSeat extends Sourced {
  @PrimaryKey({ type: "integer", autoincrement: true })
  id!: number;

  @ManyToOne(() => GovernanceBody, { deleteRule: "cascade" })
  body!: Rel<GovernanceBody>;

  @ManyToOne(() => Council)
  council!: Rel<Council>;

  @Field(() => Int, {
    nullable: true,
    description: "How many seats, where given.",
  })
  @Property({ type: "integer", nullable: true })
  seats?: number | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Who sits, as written ("Leader, Deputy Leader and Chief Executive").',
  })
  @Property({ type: "text", nullable: true })
  role?: string | null;
}
