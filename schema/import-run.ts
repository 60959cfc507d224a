import {
  Entity,
  Enum,
  Index,
  PrimaryKey,
  Property,
} from "@mikro-orm/decorators/legacy";
import { OptionalProps } from "@mikro-orm/core";
import { Field, ObjectType, registerEnumType } from "type-graphql";
import { GraphQLJSON } from "graphql-scalars";
import { Node } from "./node.js";
import type { ProblemGrid } from "./problem-grid.js";

/** Where an import run ended up. */
export enum ImportStatus {
  RUNNING = "RUNNING",
  IMPORTED = "IMPORTED",
  IMPORTED_WITH_SKIPPED_ROWS = "IMPORTED_WITH_SKIPPED_ROWS",
  REFUSED = "REFUSED",
  DRY_RUN = "DRY_RUN",
  INTERRUPTED = "INTERRUPTED",
}
registerEnumType(ImportStatus, {
  name: "ImportStatus",
  description: "Where an import run ended up.",
  valuesConfig: {
    RUNNING: { description: "Still reading or writing." },
    IMPORTED: { description: "Every row was written." },
    IMPORTED_WITH_SKIPPED_ROWS: {
      description:
        "Valid rows were written; invalid rows were skipped (--skip-invalid-rows).",
    },
    REFUSED: { description: "Nothing was written because of problems." },
    DRY_RUN: {
      description: "Reported what would happen; nothing was written.",
    },
    INTERRUPTED: {
      description:
        "Its process stopped before the run finished (killed, crashed, or lost its database); nothing of it was written. `reason` says what was found.",
    },
  },
});

/** One import of one workbook: what was read, what was written, and every problem met. */
@ObjectType({
  implements: Node,
  description:
    "One import of one workbook: what was read, what was written, and every problem met.",
})
@Entity({ tableName: "import_run" })
@Index({ properties: ["sha256"] })
export class ImportRun {
  /** What `em.create` may leave out: the columns with a default here. */
  [OptionalProps]?: "status" | "rowCounts" | "problems" | "startedAt";

  @PrimaryKey({ type: "integer", autoincrement: true })
  id!: number;

  @Field(() => String, {
    description: "The workbook's file name as given to the importer.",
  })
  @Property({ type: "text" })
  fileName!: string;

  @Field(() => String, { description: "SHA-256 of the file's bytes, hex." })
  @Property({ type: "text" })
  sha256!: string;

  @Field(() => String, {
    description: "The kinds of sheet the workbook held, comma separated.",
  })
  @Property({ type: "text" })
  kind!: string;

  @Field(() => String, {
    nullable: true,
    description: "The reporting month (YYYY-MM) the figures belong to.",
  })
  @Property({ type: "text", nullable: true })
  reportingPeriod?: string | null;

  @Field(() => ImportStatus, { description: "Where the run ended up." })
  @Enum({ items: () => ImportStatus })
  status: ImportStatus = ImportStatus.RUNNING;

  @Field(() => GraphQLJSON, {
    description:
      "Counts per sheet: rows read, created, updated, unchanged, problems.",
  })
  @Property({ type: "json" })
  rowCounts: Record<string, unknown> = {};

  @Field(() => GraphQLJSON, {
    description:
      "Every problem met, with file, sheet, cell, header, value and code.",
  })
  @Property({ type: "json" })
  problems: unknown[] = [];

  @Field(() => Date, { description: "When the run started." })
  @Property({ type: "datetime" })
  startedAt: Date = new Date();

  @Field(() => Date, { nullable: true, description: "When the run finished." })
  @Property({ type: "datetime", nullable: true })
  finishedAt?: Date | null;

  @Field(() => String, {
    description: "Who ran it: the operator's login, or the API token's name.",
  })
  @Property({ type: "text" })
  runBy!: string;

  @Field(() => String, {
    nullable: true,
    description:
      "Why the run did not finish, for an INTERRUPTED run; null otherwise.",
  })
  @Property({ type: "text", nullable: true })
  reason?: string | null;

  /** The cells around the problems (importers/problem-grids.ts); GraphQL's `problemGrids` (ImportResolver) reads it. */
  @Property({ type: "json", nullable: true })
  problemGrids?: ProblemGrid[] | null;
}
