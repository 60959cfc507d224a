import type { EntityManager, MikroORM } from "@mikro-orm/postgresql";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  importWorkbook,
  type ImportOptions,
  type ImportReport,
} from "../importers/import-workbook.js";
import { AuditAction } from "../schema/audit-event.js";
import { ImportStatus } from "../schema/import-run.js";
import {
  FINISHED_JOB_STATES,
  ImportJobState,
  type ImportJobProgress,
  type QueuedImportOptions,
} from "../schema/import-job.js";
import type { Role } from "../schema/role.js";
import { importAuditDetails } from "../server/auth/import-audit-details.js";
import { recordAudit } from "../server/auth/record-audit.js";
import { importedRows } from "../observability/job-metrics.js";
import type { Logger } from "../observability/logger.js";
import { deletingChunksOfUpdated, writeUploadToFile } from "./upload-chunks.js";

/** The job state an import's report ends it in. */
export function jobStateOf(report: ImportReport): ImportJobState {
  switch (report.status) {
    case ImportStatus.REFUSED:
      return ImportJobState.REFUSED;
    case ImportStatus.DRY_RUN:
      return ImportJobState.CHECKED;
    default:
      return ImportJobState.IMPORTED;
  }
}

/** How often a running job writes its progress and looks whether it was cancelled. */
const PROGRESS_INTERVAL_MS = 500;

/** Why a job was stopped on purpose. */
class JobCancelled extends Error {}

const finished = (state: string) =>
  FINISHED_JOB_STATES.includes(state as ImportJobState);

/** One attempt at one job, as pg-boss hands it to a worker. */
export interface JobAttempt {
  id: string;
  /** 1 for the first attempt. */
  attempt: number;
  /** Host and process id of this worker. */
  worker: string;
  /** Aborted when pg-boss takes the job back (shutdown past its bound, or a lost lease). */
  signal: AbortSignal;
  /** This job's logger (its lines carry `jobId`). */
  logger: Logger;
}

/**
 * Runs one attempt of an import job: claims its row, writes its stored chunks to a temporary file
 * (checked against their size and sha256), and imports them the way `sshub import` does. The job's end
 * (state, report, the bytes deleted) is written in the import's own transaction, so a worker killed
 * at any point leaves either the whole import and its ended job, or neither (and a job to retry).
 * Throws when the attempt failed for a reason other than the file (pg-boss then retries it).
 */
export async function runImportJob(
  orm: MikroORM,
  attempt: JobAttempt,
): Promise<void> {
  const em = orm.em.fork();
  const [row] = await em.execute<
    {
      state: string;
      cancel_requested: boolean;
      file_name: string;
      sha256: string;
      size_bytes: string;
      options: QueuedImportOptions;
      queued_by: string;
      queued_by_role: Role;
    }[]
  >(
    `select state, cancel_requested, file_name, sha256, size_bytes, options, queued_by, queued_by_role
       from import_job where id = ?`,
    [attempt.id],
  );
  // Ended already: its import committed with its end, and only pg-boss's bookkeeping was lost.
  if (!row || finished(row.state)) return;
  if (row.cancel_requested) {
    await endJob(em, attempt.id, ImportJobState.CANCELLED, {
      reason: `Cancelled while it was running; nothing was written.`,
    });
    return;
  }
  await em.execute(
    `update import_job set state = ?, attempts = ?, worker = ?, started_at = now(), progress = null
      where id = ?`,
    [ImportJobState.RUNNING, attempt.attempt, attempt.worker, attempt.id],
  );
  const started = performance.now();
  attempt.logger.info(
    { attempt: attempt.attempt, file: row.file_name },
    `import job started: ${row.file_name}, attempt ${attempt.attempt}`,
  );
  const folder = await mkdtemp(join(tmpdir(), "sshub-job-"));
  const cancel = new AbortController();
  let progress: ImportJobProgress | null = null;
  let written: ImportJobProgress | null = null;
  // Writes the latest progress, and learns of a cancel, on a connection of its own.
  const ticker = setInterval(() => {
    void (async () => {
      const changed = progress !== written;
      written = progress;
      const [flag] = await orm.em
        .fork()
        .execute<{ cancel_requested: boolean }[]>(
          changed
            ? `update import_job set progress = ?::jsonb where id = ? and state = 'RUNNING' returning cancel_requested`
            : `select cancel_requested from import_job where id = ?`,
          changed ? [JSON.stringify(progress), attempt.id] : [attempt.id],
        );
      if (flag?.cancel_requested && !cancel.signal.aborted)
        cancel.abort(new JobCancelled("cancelled"));
    })().catch(() => undefined);
  }, PROGRESS_INTERVAL_MS);
  try {
    const path = join(folder, "upload");
    await writeUploadToFile(
      em,
      { id: attempt.id, sha256: row.sha256, sizeBytes: Number(row.size_bytes) },
      path,
    );
    const caller = {
      name: row.queued_by,
      role: row.queued_by_role,
      councilGssCodes: null,
    };
    const report = await importWorkbook(orm, path, {
      // The form's options, as POST /imports read them (importOptionsFromFields).
      ...(row.options as Partial<ImportOptions>),
      runBy: row.queued_by,
      displayName: row.file_name,
      signal: AbortSignal.any([attempt.signal, cancel.signal]),
      onProgress: (p) =>
        void (progress = {
          sheet: p.sheet,
          rowsRead: p.rows,
          bytesRead: p.bytesRead,
          totalBytes: p.totalBytes,
        }),
      audit: (txEm, done) =>
        void recordAudit(
          txEm,
          caller,
          AuditAction.IMPORT,
          importAuditDetails(done, "http"),
        ),
      onResult: (txEm, done) =>
        endJob(txEm, attempt.id, jobStateOf(done), {
          report: { ...done, path: undefined },
          importRunId: done.importRunId,
          progress,
        }),
    });
    const rows = report.sheets.reduce((n, s) => n + s.rowsRead, 0);
    if (jobStateOf(report) === ImportJobState.IMPORTED) importedRows.inc(rows);
    attempt.logger.info(
      {
        state: jobStateOf(report),
        rows,
        importRunId: report.importRunId,
        durationMs: Math.round(performance.now() - started),
      },
      `import job ended ${jobStateOf(report)}: ${row.file_name}, ${rows} rows`,
    );
  } catch (error) {
    if (cancel.signal.aborted) {
      await endJob(em, attempt.id, ImportJobState.CANCELLED, {
        reason: "Cancelled while it was running; nothing was written.",
      });
      attempt.logger.info(
        { state: ImportJobState.CANCELLED },
        `import job ended CANCELLED: ${row.file_name}`,
      );
      return;
    }
    const reason = error instanceof Error ? error.message : String(error);
    // Back in line until pg-boss retries it (or gives up and fails it, see failImportJob).
    await em
      .execute(
        `update import_job set state = ?, reason = ? where id = ? and state = ?`,
        [ImportJobState.QUEUED, reason, attempt.id, ImportJobState.RUNNING],
      )
      .catch(() => undefined);
    if (!attempt.signal.aborted)
      attempt.logger.warn(
        { attempt: attempt.attempt, reason },
        `sshub: import job ${attempt.id} (${row.file_name}), attempt ${attempt.attempt}: ${reason}`,
      );
    throw error;
  } finally {
    clearInterval(ticker);
    await rm(folder, { recursive: true, force: true });
  }
}

/** Ends a job that has not ended yet: its state and what goes with it, its bytes deleted. */
async function endJob(
  em: EntityManager,
  id: string,
  state: ImportJobState,
  end: {
    reason?: string;
    report?: Record<string, unknown>;
    importRunId?: number;
    progress?: ImportJobProgress | null;
  },
): Promise<void> {
  await em.execute(
    deletingChunksOfUpdated(`update import_job
        set state = ?, reason = ?, report = ?::jsonb, import_run_id = ?, progress = coalesce(?::jsonb, progress),
            finished_at = now()
      where id = ? and state in ('QUEUED', 'RUNNING')`),
    [
      state,
      end.reason ?? null,
      end.report ? JSON.stringify(end.report) : null,
      end.importRunId ?? null,
      end.progress ? JSON.stringify(end.progress) : null,
      id,
    ],
  );
}

/**
 * Fails a job pg-boss gave up on (every attempt died or threw): FAILED with the last attempt's
 * reason, its bytes deleted. Nothing of it was written: each attempt was one transaction.
 */
export async function failImportJob(
  orm: MikroORM,
  id: string,
  attempts: number,
  lastReason: string,
): Promise<void> {
  await endJob(orm.em.fork(), id, ImportJobState.FAILED, {
    reason: `No worker finished this import in ${attempts} attempts (the last: ${lastReason}); nothing of it was written: send the file again.`,
  });
}
