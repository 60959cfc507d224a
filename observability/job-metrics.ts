import { Counter, Gauge } from "prom-client";
import { metricsRegistry } from "./metrics-registry.js";

/** How many import jobs are in each state, read from the database at scrape time. */
export type JobCountsReader = () => Promise<{ state: string; count: number }[]>;

const readers = new Set<JobCountsReader>();

/** The counts of the first open queue: every instance reads the same database. */
async function jobCounts(): Promise<{ state: string; count: number }[]> {
  for (const read of readers) return read();
  return [];
}

/** Import jobs by state (QUEUED, RUNNING, IMPORTED, …), over the whole database. */
export const importJobsByState = new Gauge({
  name: "sshub_import_jobs",
  help: "Import jobs in the database, by state.",
  labelNames: ["state"],
  registers: [metricsRegistry],
  async collect() {
    this.reset();
    for (const { state, count } of await jobCounts())
      this.set({ state }, count);
  },
});

/** Import jobs waiting for a worker. */
export const importQueueDepth = new Gauge({
  name: "sshub_import_queue_depth",
  help: "Import jobs waiting for a worker (state QUEUED), over the whole database.",
  registers: [metricsRegistry],
  async collect() {
    const queued = (await jobCounts()).find((c) => c.state === "QUEUED");
    this.set(queued?.count ?? 0);
  },
});

/** Rows read by the import jobs this process ended IMPORTED. */
export const importedRows = new Counter({
  name: "sshub_import_rows_imported_total",
  help: "Rows of the workbooks this process's import jobs imported (jobs that ended IMPORTED).",
  registers: [metricsRegistry],
});

/** Counts jobs with `read` in the gauges until the returned function is called. */
export function watchImportJobs(read: JobCountsReader): () => void {
  readers.add(read);
  return () => void readers.delete(read);
}
