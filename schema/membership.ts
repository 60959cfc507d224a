import type { Rel } from "@mikro-orm/core";
import {
  Entity,
  Index,
  Enum,
  ManyToOne,
  PrimaryKey,
  Property,
  Unique,
} from "@mikro-orm/decorators/legacy";
import { Field, ObjectType, registerEnumType } from "type-graphql";
import { GraphQLLocalDate } from "graphql-scalars";
import { Council } from "./council.js";
import { Partnership } from "./partnership.js";
import { Sourced } from "./sourced.js";
import { Node } from "./node.js";

/** A council's part in a partnership. */
export enum MembershipRole {
  MEMBER = "MEMBER",
  HOST = "HOST",
  LEAD = "LEAD",
}
registerEnumType(MembershipRole, {
  name: "MembershipRole",
  description: "A council's part in a partnership.",
  valuesConfig: {
    MEMBER: { description: "Takes part." },
    HOST: {
      description: "Hosts (employs the staff of) at least one shared service.",
    },
    LEAD: { description: "Leads the partnership or one of its services." },
  },
});

/** A council's membership of a partnership, with its agreed cost share. */
@ObjectType({
  implements: Node,
  description:
    "A council's membership of a partnership, with its agreed cost share.",
})
@Entity({ tableName: "membership" })
@Unique({ properties: ["partnership", "council"] })
@Index({ properties: ["council"] })
export class Membership extends Sourced {
  @PrimaryKey({ type: "integer", autoincrement: true })
  id!: number;

  @ManyToOne(() => Partnership, { deleteRule: "cascade" })
  partnership!: Rel<Partnership>;

  @ManyToOne(() => Council)
  council!: Rel<Council>;

  @Field(() => MembershipRole, {
    description: "The council's part in the partnership.",
  })
  @Enum({ items: () => MembershipRole })
  role: MembershipRole = MembershipRole.MEMBER;

  @Field(() => String, {
    nullable: true,
    description:
      'Agreed cost share as an exact decimal percentage, e.g. "33.3333"; null where none is agreed.',
  })
  @Property({ type: "decimal", precision: 7, scale: 4, nullable: true })
  costSharePercent?: string | null;

  @Field(() => GraphQLLocalDate, {
    nullable: true,
    description: "When the council joined (YYYY-MM-DD).",
  })
  @Property({ type: "date", nullable: true })
  joinedOn?: string | null;

  @Field(() => GraphQLLocalDate, {
    nullable: true,
    description: "When the council left (YYYY-MM-DD).",
  })
  @Property({ type: "date", nullable: true })
  leftOn?: string | null;
}
