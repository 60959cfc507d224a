import { hubFetch, HubRequestError } from "./hub-request";
import type { ImportReport } from "./import-report";

/** An import job as GET /imports/jobs/ID answers it (jobs/import-job-access.ts, importJobJson). */
export interface ImportJob {
  id: string;
  state:
    | "QUEUED"
    | "RUNNING"
    | "IMPORTED"
    | "CHECKED"
    | "REFUSED"
    | "FAILED"
    | "CANCELLED";
  fileName: string;
  attempts: number;
  progress: { sheet: string | null; rowsRead: number } | null;
  reason: string | null;
  report: ImportReport | null;
}

const ENDED: readonly ImportJob["state"][] = [
  "IMPORTED",
  "CHECKED",
  "REFUSED",
  "FAILED",
  "CANCELLED",
];

/** How long the page waits between two looks at a job. */
const POLL_MS = 300;

/** How many more looks (POLL_MS apart) for a finished job's problem grids: about three seconds. */
const GRID_LOOKS = 10;

/** Whether a finished report has problems on cells (or asking for a header row) but no grid of them yet. */
function awaitsGrids(report: ImportReport | null): boolean {
  return (
    report !== null &&
    report.problems.some(
      (p) => p.sheet && (p.cell || p.answer?.option === "header-row"),
    ) &&
    (report.problemGrids ?? []).length === 0
  );
}

/**
 * Sends `form` to POST /imports (answered 202 with the queued job) and follows the job at its
 * Location until it ends, telling `onJob` each state it sees; resolves with the report, or throws
 * the job's reason when it failed or was cancelled.
 */
export async function importThroughJob(
  form: FormData,
  onJob: (job: ImportJob) => void = () => undefined,
): Promise<ImportReport> {
  const queued = await hubFetch("/imports", { method: "POST", body: form });
  let job = (await queued.json()) as ImportJob;
  const location = queued.headers.get("location") ?? `/imports/jobs/${job.id}`;
  for (;;) {
    onJob(job);
    if (ENDED.includes(job.state)) break;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    job = (await (await hubFetch(location)).json()) as ImportJob;
  }
  // The grids of the problems' cells reach the job's report just after the job ends
  // (jobs/run-import-job.ts reads them after the import's transaction): look again for a while.
  for (let look = 0; look < GRID_LOOKS && awaitsGrids(job.report); look++) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    job = (await (await hubFetch(location)).json()) as ImportJob;
  }
  if (!job.report)
    throw new HubRequestError(
      job.reason ?? `The import job ended ${job.state.toLowerCase()}.`,
      job.state,
      200,
    );
  return job.report;
}
