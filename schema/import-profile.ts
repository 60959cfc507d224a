import type { Opt, Rel } from "@mikro-orm/core";
import {
  Entity,
  ManyToOne,
  PrimaryKey,
  Property,
} from "@mikro-orm/decorators/legacy";
import { Field, ID, ObjectType } from "type-graphql";
import { GraphQLJSONObject } from "graphql-scalars";
import { ImportRun } from "./import-run.js";

/**
 * The answers an import needed (partnership, measure, where the month is in the file name, a
 * mapping, a pinned header row or column), remembered for the workbook's shape so that next
 * month's workbook of the same layout is imported without being told again.
 */
@ObjectType({
  description:
    "Answers an import was given (partnership, measure, the month in the file name, pinned header row or columns), remembered for its workbook's shape and used by later imports of the same layout.",
})
@Entity({ tableName: "import_profile" })
export class ImportProfile {
  @Field(() => ID, {
    description: "The profile's number (as `sshub profiles show` takes it).",
  })
  @PrimaryKey({ type: "integer", autoincrement: true })
  id!: number;

  /** SHA-256 of the shape (see workbook-shape.ts): one profile per layout. */
  @Property({ type: "text", unique: true })
  shapeKey!: string;

  /** The sheets' names and header rows as layouts (months and numbers taken out). */
  @Property({ type: "json" })
  shape!: { name: string; header: string[] }[];

  @Field(() => GraphQLJSONObject, {
    description:
      "The answers, in the mapping profile's format (`--mapping`): partnership, measure, periodInFileName, kind, headerRow, columns, synonyms.",
  })
  @Property({ type: "json" })
  answers!: Record<string, unknown>;

  /** The successful import that gave these answers. */
  @ManyToOne(() => ImportRun, { deleteRule: "cascade" })
  importRun!: Rel<ImportRun>;

  @Field(() => String, {
    description: "The file the answers were given for.",
  })
  @Property({ type: "text" })
  fileName!: string;

  @Field(() => String, {
    nullable: true,
    description: "The reporting month (YYYY-MM) of that import.",
  })
  @Property({ type: "text", nullable: true })
  reportingPeriod?: string | null;

  @Field(() => Date, { description: "When the answers were first given." })
  @Property({ type: "datetime" })
  createdAt: Opt<Date> = new Date();

  @Field(() => Date, { description: "When the answers were last changed." })
  @Property({ type: "datetime" })
  updatedAt: Opt<Date> = new Date();
}
