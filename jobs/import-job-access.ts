import type { EntityManager } from "@mikro-orm/postgresql";
import {
  BadInputError,
  ForbiddenError,
  NotFoundError,
} from "../errors/hub-error.js";
import {
  FINISHED_JOB_STATES,
  ImportJob,
  ImportJobState,
} from "../schema/import-job.js";
import { Role, roleIncludes } from "../schema/role.js";
import { assertMayImportOverHttp } from "../server/auth/auth-checker.js";
import type { Caller } from "../server/caller.js";
import { deletingChunksOfUpdated } from "./upload-chunks.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Who may see import jobs: whoever may upload one (the rule of POST /imports). */
const assertMaySee = assertMayImportOverHttp;

/** One import job by id, for a caller allowed to see it; NOT_FOUND for an id no job has. */
export async function findImportJob(
  em: EntityManager,
  caller: Caller,
  id: string,
): Promise<ImportJob> {
  assertMaySee(caller);
  const job = UUID.test(id) ? await em.findOne(ImportJob, { id }) : null;
  if (!job) throw NotFoundError.entity("ImportJob", id);
  return job;
}

/**
 * Cancels a job for the token that queued it or an admin. A queued job ends CANCELLED at once (its
 * bytes deleted); a running one is asked to stop, and its worker ends it CANCELLED within a second
 * (its transaction rolled back). A job that has ended is a BAD_USER_INPUT: there is nothing to stop.
 */
export async function cancelImportJob(
  em: EntityManager,
  caller: Caller,
  id: string,
): Promise<ImportJob> {
  const job = await findImportJob(em, caller, id);
  if (job.queuedBy !== caller.name && !roleIncludes(caller.role, Role.ADMIN))
    throw new ForbiddenError(
      "Only the token that queued an import job, or an admin, may cancel it.",
    );
  if (FINISHED_JOB_STATES.includes(job.state))
    throw new BadInputError(
      `Import job ${id} has already ended (${job.state}): there is nothing to cancel.`,
      { id, state: job.state },
    );
  const cancelled = await em.execute<{ id: string }[]>(
    deletingChunksOfUpdated(`update import_job set state = ?, reason = ?, finished_at = now()
      where id = ? and state = ?`),
    [
      ImportJobState.CANCELLED,
      `Cancelled by ${caller.name} before it started; nothing was written.`,
      id,
      ImportJobState.QUEUED,
    ],
  );
  // Started meanwhile (or running): its worker sees the flag and stops.
  if (!cancelled.length)
    await em.execute(
      `update import_job set cancel_requested = true where id = ? and state = ?`,
      [id, ImportJobState.RUNNING],
    );
  await em.refresh(job);
  return job;
}

/** A job as GET /imports/jobs/ID (and the 202 of POST /imports) answers it. */
export function importJobJson(job: ImportJob): Record<string, unknown> {
  return {
    id: job.id,
    state: job.state,
    fileName: job.fileName,
    sha256: job.sha256,
    sizeBytes: job.sizeBytes,
    dryRun: job.dryRun,
    options: job.options,
    queuedBy: job.queuedBy,
    progress: job.progress ?? null,
    attempts: job.attempts,
    worker: job.worker ?? null,
    cancelRequested: job.cancelRequested,
    importRunId: job.importRunId ?? null,
    reason: job.reason ?? null,
    queuedAt: job.queuedAt,
    startedAt: job.startedAt ?? null,
    finishedAt: job.finishedAt ?? null,
    report: job.report ?? null,
  };
}
