import { ManyToOne, Property } from "@mikro-orm/decorators/legacy";
import type { Rel } from "@mikro-orm/core";
import { Field, ObjectType } from "type-graphql";
import { GraphQLJSONObject } from "graphql-scalars";
import { ImportRun } from "./import-run.js";

/**
 * What every imported record carries: the import run, sheet and cell it came from, and the
 * columns the importer did not know (kept, never dropped).
 */
// An object type only so that the imported types inherit its fields; no field returns it, so the schema has no Sourced type.
@ObjectType({ description: "Where an imported record came from." })
export abstract class Sourced {
  @ManyToOne(() => ImportRun, { nullable: true, deleteRule: "set null" })
  importRun?: Rel<ImportRun> | null;

  @Field(() => String, {
    nullable: true,
    description: "The sheet the record was read from.",
  })
  @Property({ type: "text", nullable: true })
  sourceSheet?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The cell (A1 reference) the record was read from.",
  })
  @Property({ type: "text", nullable: true })
  sourceCell?: string | null;

  @Field(() => GraphQLJSONObject, {
    nullable: true,
    description:
      "Columns the importer did not recognise, by their header, kept as written.",
  })
  @Property({ type: "json", nullable: true })
  extra?: Record<string, unknown> | null;
}
