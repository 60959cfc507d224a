import {
  Entity,
  Enum,
  PrimaryKey,
  Property,
} from "@mikro-orm/decorators/legacy";
import { OptionalProps } from "@mikro-orm/core";
import { Field, ObjectType, registerEnumType } from "type-graphql";
import { GraphQLLocalDate } from "graphql-scalars";
import { Sourced } from "./sourced.js";
import { Node } from "./node.js";

/** Where a partnership stands. */
export enum PartnershipStatus {
  PROPOSED = "PROPOSED",
  ACTIVE = "ACTIVE",
  ENDED = "ENDED",
}
registerEnumType(PartnershipStatus, {
  name: "PartnershipStatus",
  description: "Where a partnership stands.",
  valuesConfig: {
    PROPOSED: { description: "Being designed or negotiated; not yet agreed." },
    ACTIVE: { description: "Agreed and running." },
    ENDED: { description: "Wound up." },
  },
});

/** Councils that run services together (a shared-services partnership or programme). */
@ObjectType({
  implements: Node,
  description:
    "Councils that run services together (a shared-services partnership or programme).",
})
@Entity({ tableName: "partnership" })
export class Partnership extends Sourced {
  /** What `em.create` may leave out: the columns with a default here. */
  [OptionalProps]?: "status";

  @PrimaryKey({ type: "integer", autoincrement: true })
  id!: number;

  @Field(() => String, {
    description: "The partnership's name, unique across the hub.",
  })
  @Property({ type: "text", unique: true })
  name!: string;

  @Field(() => [String], { description: "Other names workbooks use for it." })
  @Property({ type: "text[]" })
  alternativeNames: string[] = [];

  @Field(() => String, {
    nullable: true,
    description: "What the partnership does, in the councils' words.",
  })
  @Property({ type: "text", nullable: true })
  description?: string | null;

  @Field(() => PartnershipStatus, {
    description: "Where the partnership stands.",
  })
  @Enum({ items: () => PartnershipStatus })
  status: PartnershipStatus = PartnershipStatus.ACTIVE;

  @Field(() => GraphQLLocalDate, {
    nullable: true,
    description: "When the partnership began (YYYY-MM-DD).",
  })
  @Property({ type: "date", nullable: true })
  startDate?: string | null;
}
