import type { Rel } from "@mikro-orm/core";
import {
  Entity,
  Enum,
  ManyToOne,
  PrimaryKey,
  Property,
  Unique,
} from "@mikro-orm/decorators/legacy";
import { Field, ObjectType, registerEnumType } from "type-graphql";
import { Partnership } from "./partnership.js";
import { Sourced } from "./sourced.js";
import { Node } from "./node.js";

/** The kinds of body that govern shared services. */
export enum GovernanceKind {
  JOINT_COMMITTEE = "JOINT_COMMITTEE",
  JOINT_BOARD = "JOINT_BOARD",
  PROGRAMME_BOARD = "PROGRAMME_BOARD",
  STEERING_GROUP = "STEERING_GROUP",
  CONSULTATIVE_FORUM = "CONSULTATIVE_FORUM",
  ADVISORY_PANEL = "ADVISORY_PANEL",
  PROJECT_TEAM = "PROJECT_TEAM",
  OTHER = "OTHER",
}
registerEnumType(GovernanceKind, {
  name: "GovernanceKind",
  description: "The kinds of body that govern shared services.",
  valuesConfig: {
    JOINT_COMMITTEE: {
      description: "A joint committee of members of the councils (statutory).",
    },
    JOINT_BOARD: {
      description: "A joint board of leaders and chief executives.",
    },
    PROGRAMME_BOARD: { description: "A programme or project board." },
    STEERING_GROUP: { description: "An officer steering group." },
    CONSULTATIVE_FORUM: {
      description: "An employee or trade union consultative forum.",
    },
    ADVISORY_PANEL: { description: "An advisory panel of members." },
    PROJECT_TEAM: { description: "A project or implementation team." },
    OTHER: { description: "Any other body." },
  },
});

/** A joint committee, board, steering group or other body that governs a partnership's services. */
@ObjectType({
  implements: Node,
  description:
    "A joint committee, board, steering group or other body that governs a partnership's services.",
})
@Entity({ tableName: "governance_body" })
@Unique({ properties: ["partnership", "name"] })
export class GovernanceBody extends Sourced {
  @PrimaryKey({ type: "integer", autoincrement: true })
  id!: number;

  @Field(() => String, { description: "The body's name." })
  @Property({ type: "text" })
  name!: string;

  @Field(() => GovernanceKind, { description: "What kind of body it is." })
  @Enum({ items: () => GovernanceKind })
  kind: GovernanceKind = GovernanceKind.OTHER;

  @ManyToOne(() => Partnership, { deleteRule: "cascade" })
  partnership!: Rel<Partnership>;

  @Field(() => String, {
    nullable: true,
    description:
      'Who chairs it, as written ("jointly chaired by the 151 Officers").',
  })
  @Property({ type: "text", nullable: true })
  chair?: string | null;

  @Field(() => String, { nullable: true, description: "Notes." })
  @Property({ type: "text", nullable: true })
  notes?: string | null;
}
