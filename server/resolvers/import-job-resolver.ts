import { Arg, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import {
  cancelImportJob,
  findImportJob,
} from "../../jobs/import-job-access.js";
import { ImportJob } from "../../schema/import-job.js";
import type { Context } from "../context.js";

/** Import jobs (uploads queued by POST /imports or `sshub import --queue`): read one, cancel one. */
@Resolver(() => ImportJob)
export class ImportJobResolver {
  @Query(() => ImportJob, {
    description:
      "One import job by id: its state, progress and, once ended, its report (as GET /imports/jobs/ID). Analysts and above with a national token.",
  })
  importJob(
    @Arg("id", () => ID, { description: "The job's id (a UUID)." })
    id: string,
    @Ctx() { em, caller }: Context,
  ): Promise<ImportJob> {
    return findImportJob(em, caller, id);
  }

  @Mutation(() => ImportJob, {
    description:
      "Cancels an import job: a queued one at once, a running one within a second (nothing of it is written). For the token that queued it, and admins.",
  })
  cancelImportJob(
    @Arg("id", () => ID, { description: "The job's id (a UUID)." })
    id: string,
    @Ctx() { em, caller }: Context,
  ): Promise<ImportJob> {
    return cancelImportJob(em, caller, id);
  }
}
