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
import { GraphQLLocalDate } from "graphql-scalars";
import { Council } from "./council.js";
import { GovernanceBody } from "./governance-body.js";
import { MembershipRole } from "./membership.js";
import { Partnership } from "./partnership.js";
import { Sourced } from "./sourced.js";
import { Node } from "./node.js";

/** Where a shared service stands; the councils' own wording is kept beside it. */
export enum ServiceStatus {
  PROPOSED = "PROPOSED",
  APPROVED = "APPROVED",
  IN_IMPLEMENTATION = "IN_IMPLEMENTATION",
  LIVE = "LIVE",
  ENDED = "ENDED",
}
registerEnumType(ServiceStatus, {
  name: "ServiceStatus",
  description:
    "Where a shared service stands; the councils' own wording is kept in statusText.",
  valuesConfig: {
    PROPOSED: {
      description: "Proposed or identified by officers; not formally approved.",
    },
    APPROVED: {
      description: "Agreed by the councils (in principle or formally).",
    },
    IN_IMPLEMENTATION: { description: "Being set up." },
    LIVE: { description: "Operating as a shared service." },
    ENDED: { description: "No longer shared." },
  },
});

/** A service the partner councils share, with its host or lead council. */
@ObjectType({
  implements: Node,
  description:
    "A service the partner councils share, with its host or lead council.",
})
@Entity({ tableName: "service" })
@Unique({ properties: ["partnership", "name"] })
@Index({ properties: ["hostCouncil"] })
@Index({ properties: ["governingBody"] })
export class Service extends Sourced {
  @PrimaryKey({ type: "integer", autoincrement: true })
  id!: number;

  @Field(() => String, {
    description:
      "The service's name, as the councils word it (footnote marks removed).",
  })
  @Property({ type: "text" })
  name!: string;

  @ManyToOne(() => Partnership, { deleteRule: "cascade" })
  partnership!: Rel<Partnership>;

  @Field(() => String, {
    nullable: true,
    description:
      'Arrangement or category as the councils word it ("Transitional arrangements", "Back office").',
  })
  @Property({ type: "text", nullable: true })
  category?: string | null;

  @Field(() => ServiceStatus, {
    nullable: true,
    description: "Where the service stands, where the wording says.",
  })
  @Enum({ items: () => ServiceStatus, nullable: true })
  status?: ServiceStatus | null;

  @Field(() => String, {
    nullable: true,
    description: "The status exactly as written in the source.",
  })
  @Property({ type: "text", nullable: true })
  statusText?: string | null;

  @ManyToOne(() => Council, { nullable: true })
  hostCouncil?: Rel<Council> | null;

  @Field(() => MembershipRole, {
    nullable: true,
    description: "Whether the host council hosts or leads the service.",
  })
  @Enum({ items: () => MembershipRole, nullable: true })
  hostRole?: MembershipRole | null;

  @ManyToOne(() => GovernanceBody, { nullable: true, deleteRule: "set null" })
  governingBody?: Rel<GovernanceBody> | null;

  @Field(() => GraphQLLocalDate, {
    nullable: true,
    description: "Go-live date where known exactly (YYYY-MM-DD).",
  })
  @Property({ type: "date", nullable: true })
  goLiveDate?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Go-live as written when not an exact date ("mid 2007").',
  })
  @Property({ type: "text", nullable: true })
  goLiveText?: string | null;

  @Field(() => GraphQLLocalDate, {
    nullable: true,
    description: "First day of the range the go-live wording means.",
  })
  @Property({ type: "date", nullable: true })
  goLiveFrom?: string | null;

  @Field(() => GraphQLLocalDate, {
    nullable: true,
    description: "Last day of the range the go-live wording means.",
  })
  @Property({ type: "date", nullable: true })
  goLiveTo?: string | null;

  /** The estimated annual saving a service list gives, in pounds exact to the penny; null when none is given. */
  @Property({ type: "decimal", precision: 15, scale: 2, nullable: true })
  estimatedAnnualSaving?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "Notes, including footnotes attached to the name.",
  })
  @Property({ type: "text", nullable: true })
  notes?: string | null;
}
