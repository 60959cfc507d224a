import type { Opt } from "@mikro-orm/core";
import {
  Entity,
  Enum,
  Index,
  PrimaryKey,
  Property,
} from "@mikro-orm/decorators/legacy";
import { GraphQLJSON } from "graphql-scalars";
import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { Role } from "./role.js";

/** Where an import job is: waiting, under way, or one of its ends. */
export enum ImportJobState {
  QUEUED = "QUEUED",
  RUNNING = "RUNNING",
  IMPORTED = "IMPORTED",
  CHECKED = "CHECKED",
  REFUSED = "REFUSED",
  FAILED = "FAILED",
  CANCELLED = "CANCELLED",
}
registerEnumType(ImportJobState, {
  name: "ImportJobState",
  description: "Where an import job is.",
  valuesConfig: {
    QUEUED: { description: "Waiting for a worker (also between retries)." },
    RUNNING: { description: "A worker is importing it; see progress." },
    IMPORTED: {
      description:
        "Imported: every row written (or the valid ones, with skipInvalidRows); report says what changed.",
    },
    CHECKED: {
      description:
        "A dry run that found nothing blocking: nothing was written; report says what an import would do.",
    },
    REFUSED: {
      description:
        "The workbook has problems (listed in report) and nothing was written.",
    },
    FAILED: {
      description:
        "No worker could finish it after every retry (reason says why); nothing was written.",
    },
    CANCELLED: {
      description: "Cancelled before it finished; nothing was written.",
    },
  },
});

/** The states a job ends in: its bytes are gone and nothing more happens to it. */
export const FINISHED_JOB_STATES: readonly ImportJobState[] = [
  ImportJobState.IMPORTED,
  ImportJobState.CHECKED,
  ImportJobState.REFUSED,
  ImportJobState.FAILED,
  ImportJobState.CANCELLED,
];

/** How far a running job has read. */
@ObjectType({ description: "How far a running import job has read." })
export class ImportJobProgress {
  @Field(() => String, {
    nullable: true,
    description: "The sheet being read.",
  })
  sheet!: string | null;

  @Field(() => Int, { description: "Rows read so far, over every sheet." })
  rowsRead!: number;

  @Field(() => Number, { description: "Bytes of the file read so far." })
  bytesRead!: number;

  @Field(() => Number, { description: "The file's size in bytes." })
  totalBytes!: number;
}

/** The options an upload was queued with (the form fields of POST /imports, `sshub import`'s options). */
export interface QueuedImportOptions {
  period?: string;
  partnership?: string;
  dryRun?: boolean;
  skipInvalidRows?: boolean;
  /** The form's other fields as the importer takes them (measure, kind, a mapping profile, rememberAnswers): plain JSON. */
  [option: string]: unknown;
}

/**
 * One uploaded workbook waiting for, or handled by, a worker: the queue engine (pg-boss) holds its
 * place in line and its retries; this row holds what a user asks about (state, progress, report) and,
 * until it ends, the uploaded bytes themselves (in chunks, table `import_job_chunk`: see
 * jobs/upload-chunks.ts), so that nothing depends on the instance that took the upload.
 */
@ObjectType({
  description:
    "An uploaded workbook imported by a worker: its state, progress and, once done, its report.",
})
@Entity({ tableName: "import_job" })
@Index({ properties: ["queuedBy", "state"] })
export class ImportJob {
  @Field(() => ID, {
    description:
      "The job's id (a UUID); GET /imports/jobs/ID answers the same as importJob(id:).",
  })
  @PrimaryKey({ type: "uuid" })
  id!: string;

  @Field(() => ImportJobState, { description: "Where the job is." })
  @Enum({ items: () => ImportJobState })
  state: Opt<ImportJobState> = ImportJobState.QUEUED;

  @Field(() => String, { description: "The uploaded file's name." })
  @Property({ type: "text" })
  fileName!: string;

  @Field(() => String, { description: "SHA-256 of the uploaded bytes, hex." })
  @Property({ type: "text" })
  sha256!: string;

  @Field(() => Number, { description: "The upload's size in bytes." })
  @Property({ type: "bigint", runtimeType: "number" })
  sizeBytes!: number;

  @Field(() => GraphQLJSON, {
    description:
      "The options it was queued with: period, partnership, dryRun, skipInvalidRows.",
  })
  @Property({ type: "json" })
  options: Opt<QueuedImportOptions> = {};

  @Field(() => Boolean, { description: "Whether it is a dry run." })
  get dryRun(): boolean {
    return this.options.dryRun === true;
  }

  @Field(() => String, {
    description: "The token (or operator) that queued it.",
  })
  @Property({ type: "text" })
  queuedBy!: string;

  /** The role and councils of the caller that queued it, for the audit event written with the import. */
  @Enum({ items: () => Role })
  queuedByRole!: Role;

  @Field(() => ImportJobProgress, {
    nullable: true,
    description: "How far it has read, while running.",
  })
  @Property({ type: "json", nullable: true })
  progress?: ImportJobProgress | null;

  @Field(() => Int, {
    description:
      "Attempts started so far (a worker that died or was stopped hands the job to another).",
  })
  @Property({ type: "integer" })
  attempts: Opt<number> = 0;

  @Field(() => String, {
    nullable: true,
    description: "Which worker runs (or ran) it: host and process id.",
  })
  @Property({ type: "text", nullable: true })
  worker?: string | null;

  @Field(() => Boolean, {
    description: "Whether cancelImportJob was asked while it ran.",
  })
  @Property({ type: "boolean" })
  cancelRequested: Opt<boolean> = false;

  @Field(() => GraphQLJSON, {
    nullable: true,
    description:
      "Once imported, checked or refused: the report POST /imports answered before jobs (sshub import --json's).",
  })
  @Property({ type: "json", nullable: true })
  report?: Record<string, unknown> | null;

  @Field(() => Int, {
    nullable: true,
    description: "The import run that recorded it, once it has one.",
  })
  @Property({ type: "integer", nullable: true })
  importRunId?: number | null;

  @Field(() => String, {
    nullable: true,
    description: "Why it failed or was cancelled.",
  })
  @Property({ type: "text", nullable: true })
  reason?: string | null;

  @Field(() => Date, { description: "When it was queued." })
  @Property({ type: "datetime" })
  queuedAt: Opt<Date> = new Date();

  @Field(() => Date, {
    nullable: true,
    description: "When its latest attempt started.",
  })
  @Property({ type: "datetime", nullable: true })
  startedAt?: Date | null;

  @Field(() => Date, { nullable: true, description: "When it ended." })
  @Property({ type: "datetime", nullable: true })
  finishedAt?: Date | null;
}
