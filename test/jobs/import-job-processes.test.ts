import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeLongTracker } from "../../bench/import/write-long-tracker.js";
import { ImportJob } from "../../schema/import-job.js";
import { ImportRun, ImportStatus } from "../../schema/import-run.js";
import { Role } from "../../schema/role.js";
import { SavingsFigure } from "../../schema/savings-figure.js";
import { createToken } from "../../server/auth/token-service.js";
import { operatorCaller } from "../../server/caller.js";
import { waitForJob, type JobAnswer } from "../support/import-jobs.js";
import {
  freePort,
  runSshubInBackground,
  startSshub,
  type SshubProcess,
} from "../support/sshub-process.js";
import { useTestDatabase } from "../support/test-database.js";
import { workbookDir } from "../importers/support/write-test-workbook.js";
import { readFile, writeFile } from "node:fs/promises";

// Real hub and worker processes (the built CLI) on one real database: a job queued on one process
// and run by others, handed back on SIGTERM, its worker killed with kill -9 half-way, and twenty
// uploads at once.
/** Enough rows that the reader reports progress several times before 30%. */
const ROWS = 20_000;

const db = useTestDatabase();
let token: string;
let tracker: Buffer;
const processes = new Set<SshubProcess>();
beforeAll(async () => {
  ({ token } = await createToken(db.orm.em.fork(), {
    name: "jobs analyst",
    role: Role.ANALYST,
    councils: [],
    createdBy: operatorCaller(),
  }));
  const path = join(workbookDir(), "jobs-tracker.xlsx");
  await writeLongTracker(path, ROWS);
  tracker = await readFile(path);
});
afterAll(async () => {
  for (const p of processes)
    if (p.child.exitCode === null) p.child.kill("SIGKILL");
});

/** The environment of every process here: one database, production, short leases. */
const env = (extra: Record<string, string> = {}) => ({
  DATABASE_URL: db.url,
  HOST: "127.0.0.1",
  NODE_ENV: "production",
  SSHUB_JOB_HEARTBEAT_SECONDS: "10",
  SSHUB_JOB_SUPERVISE_SECONDS: "1",
  // Twenty uploads and their polling at once, from one address and one token.
  SSHUB_RATE_LIMIT: "0",
  SSHUB_AUTH_FAILURE_LIMIT: "0",
  ...extra,
});

/** `sshub start` on a free port; its base URL. */
async function startHubProcess(
  args: string[] = [],
  extra: Record<string, string> = {},
): Promise<{ process: SshubProcess; base: string }> {
  const port = await freePort();
  const started = await startSshub(
    ["start", "--no-sample-data", ...args],
    env({ PORT: String(port), ...extra }),
    "Shared Services Hub ready",
  );
  processes.add(started);
  return { process: started, base: `http://127.0.0.1:${port}` };
}

async function startWorker(extra: Record<string, string> = {}) {
  const started = await startSshub(
    ["worker"],
    env(extra),
    "Shared Services Hub worker ready",
  );
  processes.add(started);
  return started;
}

const auth = () => ({ authorization: `Bearer ${token}` });

async function upload(
  base: string,
  bytes: Buffer,
  name: string,
): Promise<{ location: string; job: JobAnswer }> {
  const form = new FormData();
  form.set("file", new Blob([new Uint8Array(bytes)]), name);
  const response = await fetch(`${base}/imports`, {
    method: "POST",
    body: form,
    headers: auth(),
  });
  expect(response.status, await response.clone().text()).toBe(202);
  return {
    location: response.headers.get("location")!,
    job: (await response.json()) as JobAnswer,
  };
}

async function jobRow(id: string): Promise<ImportJob> {
  return db.orm.em.fork().findOneOrFail(ImportJob, { id });
}

/** Waits (up to `ms`) until the job's row satisfies `ready`. */
async function untilJob(
  id: string,
  ready: (job: ImportJob) => boolean,
  ms = 60_000,
): Promise<ImportJob> {
  const deadline = Date.now() + ms;
  for (;;) {
    const job = await jobRow(id);
    if (ready(job)) return job;
    if (Date.now() > deadline)
      throw new Error(`job ${id} still ${job.state} (${job.reason})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const SLOW = { timeout: 300_000 };
const step = (text: string) =>
  void process.stderr.write(`${new Date().toISOString()} ${text}\n`);

describe("import jobs across processes", () => {
  let hubB: { process: SshubProcess; base: string };
  let api: { process: SshubProcess; base: string };

  it(
    "cancels a job while a worker is running it: CANCELLED, nothing of it written, its bytes deleted",
    SLOW,
    async () => {
      // First of this describe: no worker but this one (hub B has one) may take the job.
      api ??= await startHubProcess(["--no-worker"]);
      const worker = await startWorker({ SSHUB_TEST_PAUSE_AT: "30%" });
      try {
        const figuresBefore = await db.orm.em.fork().count(SavingsFigure);
        const { job } = await upload(api.base, tracker, "cancelled.xlsx");
        await worker.waitForStderr("sshub-test: paused at 30%");
        // Figures are in the import's transaction by now; the job is RUNNING on this worker.
        expect((await jobRow(job.id)).state).toBe("RUNNING");
        const response = await fetch(`${api.base}/graphql`, {
          method: "POST",
          headers: { ...auth(), "content-type": "application/json" },
          body: JSON.stringify({
            query: `mutation($id: ID!) { cancelImportJob(id: $id) { state } }`,
            variables: { id: job.id },
          }),
        });
        const answer = (await response.json()) as { errors?: unknown };
        expect(answer.errors).toBeUndefined();
        await untilJob(job.id, (j) => j.cancelRequested === true);
        // Let the worker's ticker see the request, then let the import go on: it stops at its next step.
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        worker.child.kill("SIGUSR2");
        const cancelled = await untilJob(
          job.id,
          (j) => !["QUEUED", "RUNNING"].includes(j.state),
        );
        expect(cancelled.state, cancelled.reason ?? "").toBe("CANCELLED");
        const em = db.orm.em.fork();
        expect(await em.count(SavingsFigure)).toBe(figuresBefore);
        const runs = await em.find(ImportRun, { fileName: "cancelled.xlsx" });
        expect(runs.map((r) => r.status)).not.toContain(ImportStatus.IMPORTED);
        const [chunks] = await em.execute<{ count: string }[]>(
          "select count(*) as count from import_job_chunk where job_id = ?",
          [job.id],
        );
        expect(Number(chunks!.count)).toBe(0);
      } finally {
        worker.child.kill("SIGTERM");
        expect(await worker.exited, worker.stderr()).toBe(0);
      }
    },
  );

  it(
    "a job queued on an API-only hub is run by a worker; SIGTERM hands it back within its bound; a hub killed with kill -9 half-way leaves nothing, and another hub finishes it with every figure once",
    SLOW,
    async () => {
      api ??= await startHubProcess(["--no-worker"]);
      // 1. A worker takes it, and is stopped (SIGTERM) while it holds it at 30%.
      const stopping = await startWorker({
        SSHUB_TEST_PAUSE_AT: "30%",
        SSHUB_WORKER_STOP_TIMEOUT_MS: "1000",
      });
      const { location, job } = await upload(api.base, tracker, "jobs.xlsx");
      await stopping.waitForStderr("sshub-test: paused at 30%");
      const running = await jobRow(job.id);
      expect(running.state).toBe("RUNNING");
      expect(running.worker).toContain(`:${stopping.child.pid}`);
      const signalled = Date.now();
      stopping.child.kill("SIGTERM");
      expect(await stopping.exited, stopping.stderr()).toBe(0);
      // Within its bound (1 s) and the rollback's wait, not the import's length.
      expect(Date.now() - signalled).toBeLessThan(15_000);
      const handedBack = await untilJob(job.id, (j) => j.state === "QUEUED");
      expect(handedBack.attempts).toBe(1);
      expect(await db.orm.em.fork().count(SavingsFigure)).toBe(0);

      // 2. A hub with a worker takes it again and is killed with kill -9 at 30%.
      const hubA = await startHubProcess([], { SSHUB_TEST_PAUSE_AT: "30%" });
      await hubA.process.waitForStderr("sshub-test: paused at 30%");
      expect((await jobRow(job.id)).worker).toContain(
        `:${hubA.process.child.pid}`,
      );
      hubB = await startHubProcess([], { SSHUB_WORKER_CONCURRENCY: "2" });
      hubA.process.child.kill("SIGKILL");
      await hubA.process.exited;

      // 3. The other hub finishes it once the dead one's lease has lapsed.
      const done = await waitForJob(hubB.base, location, auth(), 120_000);
      expect(done.state, JSON.stringify(done).slice(0, 800)).toBe("IMPORTED");
      expect(done.attempts).toBe(3);
      expect(done.worker).toContain(`:${hubB.process.child.pid}`);
      expect(done.report!.sheets[0]!.rowsRead).toBe(ROWS);
      const em = db.orm.em.fork();
      expect(await em.count(SavingsFigure)).toBe(ROWS);
      expect(
        await em.count(SavingsFigure, { importRun: done.importRunId! }),
      ).toBe(ROWS);
      // The attempts that died left runs marked INTERRUPTED, with nothing of theirs.
      const runs = await em.find(
        ImportRun,
        { fileName: "jobs.xlsx" },
        { orderBy: { id: "asc" } },
      );
      expect(runs.map((r) => r.status)).toEqual([
        ImportStatus.INTERRUPTED,
        ImportStatus.INTERRUPTED,
        ImportStatus.IMPORTED,
      ]);
      const [chunks] = await em.execute<{ count: string }[]>(
        "select count(*) as count from import_job_chunk where job_id = ?",
        [job.id],
      );
      expect(Number(chunks!.count)).toBe(0);
    },
  );

  it(
    "takes twenty uploads at once on two hubs, and ends every one: the same file twice imports once",
    SLOW,
    async () => {
      const months = Array.from({ length: 19 }, (_, i) => {
        const month = new Date(Date.UTC(2011, i, 1));
        return month.toLocaleString("en-GB", {
          month: "long",
          year: "numeric",
          timeZone: "UTC",
        });
      });
      const csv = (month: string) =>
        Buffer.from(
          `Savings tracker\r\nPeriod:,${month}\r\nPartnership:,Derbyshire RCE Shared Services\r\n` +
            "Workstream,Financial year,Measure,Amount (£)\r\n" +
            [1, 2, 3]
              .map((n) => `Procurement ${n},2010/11,Achieved,"£${n},000"\r\n`)
              .join(""),
        );
      const files = months.map((month, i) => ({
        name: `month-${i}.csv`,
        bytes: csv(month),
      }));
      files.push({ name: "month-0-again.csv", bytes: files[0]!.bytes });
      api ??= await startHubProcess(["--no-worker"]);
      hubB ??= await startHubProcess([], { SSHUB_WORKER_CONCURRENCY: "2" });
      const before = await db.orm.em.fork().count(SavingsFigure);
      const queued = await Promise.all(
        files.map((file, i) =>
          upload(i % 2 ? api.base : hubB.base, file.bytes, file.name),
        ),
      );
      // One poller at a time: twenty polling at once would load the hub more than the imports do.
      const waitForAll = async () => {
        const all: JobAnswer[] = [];
        for (const q of queued)
          all.push(await waitForJob(hubB.base, q.location, auth(), 120_000));
        return all;
      };
      const ended = await waitForAll().catch(async (error: unknown) => {
        const rows = await db.orm.em
          .fork()
          .execute(
            "select file_name, state, attempts, reason, worker from import_job order by queued_at",
          );
        step(
          JSON.stringify(
            rows.filter((r) => (r as { state: string }).state === "QUEUED"),
          ),
        );
        step(
          JSON.stringify(
            await db.orm.em
              .fork()
              .execute(
                "select j.id, j.state, j.retry_count, j.output, i.file_name from pgboss.job j join import_job i on i.id = j.id where i.state = 'QUEUED'",
              ),
          ),
        );
        step(
          JSON.stringify(
            await db.orm.em
              .fork()
              .execute(
                "select application_name, state, wait_event_type, wait_event, left(query, 200) as query, now() - query_start as age from pg_stat_activity where datname = current_database()",
              ),
            null,
            1,
          ),
        );
        step(hubB.process.stderr());
        throw error;
      });
      expect(ended.map((j) => j.state)).toEqual(files.map(() => "IMPORTED"));
      expect(await db.orm.em.fork().count(SavingsFigure)).toBe(before + 19 * 3);
      // The same bytes twice: one wrote the figures, the other found them all unchanged.
      const twice = [ended[0]!, ended[19]!].map((j) => j.report!.sheets[0]!);
      expect(twice.map((s) => s.unchanged).sort()).toEqual([0, 3]);
      expect(
        await db.orm.em.fork().count(ImportJob, {
          state: { $in: ["QUEUED", "RUNNING"] as never },
        }),
      ).toBe(0);
    },
  );

  it(
    "sshub import --queue hands the files to the queue and prints their job ids; a hub's worker imports them",
    SLOW,
    async () => {
      hubB ??= await startHubProcess();
      const dir = workbookDir();
      const file = join(dir, "queued-2012-03.csv");
      await writeFile(
        file,
        "Savings tracker\r\nPeriod:,March 2012\r\nPartnership:,Derbyshire RCE Shared Services\r\n" +
          'Workstream,Financial year,Measure,Amount (£)\r\nProcurement 9,2011/12,Achieved,"£9,000"\r\n',
      );
      // In the background: hub B is polled meanwhile (see runSshubInBackground).
      const run = (args: string[]) =>
        runSshubInBackground(["import", ...args], db.url);
      const refused = await run(["--queue", "--json", file]);
      expect(refused.status).toBe(2);
      expect(refused.stderr).toContain("--queue cannot be used with --json");
      const queued = await run(["--queue", "--dry-run", file]);
      expect(queued.status, queued.stderr).toBe(0);
      const [id, printed] = queued.stdout.trim().split(" ");
      expect(printed).toBe(file);
      const job = await waitForJob(hubB.base, `/imports/jobs/${id}`, auth());
      expect(job).toMatchObject({
        state: "CHECKED",
        fileName: "queued-2012-03.csv",
        queuedBy: expect.stringContaining("(local sshub)"),
      });
      expect(job.report!.status).toBe("DRY_RUN");
    },
  );

  it("stops both hubs on SIGTERM", SLOW, async () => {
    for (const hub of [api, hubB]) {
      if (!hub) continue;
      hub.process.child.kill("SIGTERM");
      expect(await hub.process.exited).toBe(0);
    }
  });
});
