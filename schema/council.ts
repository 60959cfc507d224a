import { Collection } from "@mikro-orm/core";
import {
  Entity,
  Enum,
  ManyToMany,
  PrimaryKey,
  Property,
} from "@mikro-orm/decorators/legacy";
import { Field, ObjectType, registerEnumType } from "type-graphql";
import { GraphQLLocalDate } from "graphql-scalars";
import { CouncilType } from "../register/council-record.js";
import { Node } from "./node.js";

registerEnumType(CouncilType, {
  name: "CouncilType",
  description: "The kind of English principal council.",
  valuesConfig: {
    COUNTY: { description: "County council (upper tier over districts)." },
    NON_METROPOLITAN_DISTRICT: {
      description:
        "Non-metropolitan district: borough, district or city council under a county.",
    },
    UNITARY: {
      description: "Unitary authority (includes the Isles of Scilly).",
    },
    METROPOLITAN_DISTRICT: {
      description:
        "Metropolitan district (borough or city) in a former metropolitan county.",
    },
    LONDON_BOROUGH: {
      description: "London borough (includes the City of London Corporation).",
    },
  },
});

/** An English council, current or former, identified by its official GSS code. */
@ObjectType({
  implements: Node,
  description:
    "An English council, current or former, identified by its official GSS code.",
})
@Entity({ tableName: "council" })
export class Council {
  @PrimaryKey({ type: "integer", autoincrement: true })
  id!: number;

  @Field(() => String, {
    description: "The official ONS GSS code, e.g. E06000049. Unique.",
  })
  @Property({ type: "text", unique: true })
  gssCode!: string;

  @Field(() => String, {
    nullable: true,
    description:
      "mySociety's 3-letter register code, e.g. CHE (none for some councils abolished in 2009).",
  })
  @Property({ type: "text", nullable: true, unique: true })
  registerCode?: string | null;

  @Field(() => String, {
    description: "Official name, e.g. Cheshire East Council.",
  })
  @Property({ type: "text" })
  officialName!: string;

  @Field(() => String, { description: "Short name, e.g. Cheshire East." })
  @Property({ type: "text" })
  shortName!: string;

  @Field(() => CouncilType, { description: "The kind of council." })
  @Enum({ items: () => CouncilType })
  type!: CouncilType;

  @Field(() => GraphQLLocalDate, {
    nullable: true,
    description:
      "The day the council came into being, where known (YYYY-MM-DD).",
  })
  @Property({ type: "date", nullable: true })
  startDate?: string | null;

  @Field(() => GraphQLLocalDate, {
    nullable: true,
    description:
      "The last day of the council, for former councils (YYYY-MM-DD).",
  })
  @Property({ type: "date", nullable: true })
  endDate?: string | null;

  @Field(() => [String], {
    description: "Other names the council is known by.",
  })
  @Property({ type: "text[]" })
  alternativeNames: string[] = [];

  @Field(() => [String], {
    description: "GSS codes the council used before its current one.",
  })
  @Property({ type: "text[]" })
  formerGssCodes: string[] = [];

  /** The councils that took over from this one (Congleton → Cheshire East). */
  @ManyToMany(() => Council, (council) => council.predecessors, {
    owner: true,
    pivotTable: "council_succession",
    joinColumn: "predecessor_id",
    inverseJoinColumn: "successor_id",
  })
  successors = new Collection<Council>(this);

  /** The councils this one took over from. */
  @ManyToMany(() => Council, (council) => council.successors)
  predecessors = new Collection<Council>(this);

  @Field(() => Boolean, {
    description: "True while the council exists (it has no end date).",
  })
  get current(): boolean {
    return !this.endDate;
  }
}
