import type { MikroORM } from "@mikro-orm/postgresql";
import { ImportQueue } from "../../jobs/import-queue.js";
import type { Logger } from "../../observability/logger.js";
import {
  DEFAULT_JOB_SETTINGS,
  type JobSettings,
} from "../../jobs/job-settings.js";

/** Job settings for tests: the shortest lease pg-boss allows, checked every second. */
export const TEST_JOB_SETTINGS: JobSettings = {
  ...DEFAULT_JOB_SETTINGS,
  heartbeatSeconds: 10,
  superviseSeconds: 1,
  stopTimeoutMs: 2_000,
};

/** An import queue on the test database, working jobs unless `worker` is false. */
export async function openTestQueue(
  orm: MikroORM,
  options: {
    worker?: boolean;
    settings?: Partial<JobSettings>;
    logger?: Logger;
  } = {},
): Promise<ImportQueue> {
  const queue = await ImportQueue.open(orm, {
    log: () => undefined,
    ...(options.logger ? { logger: options.logger } : {}),
    settings: { ...TEST_JOB_SETTINGS, ...options.settings },
  });
  if (options.worker !== false) await queue.work();
  return queue;
}

/** A job as GET /imports/jobs/ID answers it. */
export interface JobAnswer {
  id: string;
  state: string;
  attempts: number;
  worker: string | null;
  reason: string | null;
  progress: { sheet: string | null; rowsRead: number } | null;
  report: {
    status: string;
    importRunId: number;
    problems: { code: string; message: string }[];
    sheets: {
      sheet: string;
      rowsRead: number;
      created: number;
      unchanged: number;
    }[];
    [key: string]: unknown;
  } | null;
  [key: string]: unknown;
}

const ENDED = ["IMPORTED", "CHECKED", "REFUSED", "FAILED", "CANCELLED"];

/** Polls `GET base + location` until the job has ended (or `timeoutMs` passed); returns its last answer. */
export async function waitForJob(
  base: string,
  location: string,
  headers: Record<string, string> = {},
  timeoutMs = 60_000,
): Promise<JobAnswer> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(`${base}${location}`, { headers });
    if (response.status !== 200)
      throw new Error(
        `GET ${location}: ${response.status} ${await response.text()}`,
      );
    const job = (await response.json()) as JobAnswer;
    if (ENDED.includes(job.state)) return job;
    if (Date.now() > deadline)
      throw new Error(`job ${job.id} still ${job.state} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
