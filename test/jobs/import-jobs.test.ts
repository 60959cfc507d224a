import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ImportQueue } from "../../jobs/import-queue.js";
import { writeUploadToFile } from "../../jobs/upload-chunks.js";
import { metricsRegistry } from "../../observability/metrics-registry.js";
import { AuditEvent } from "../../schema/audit-event.js";
import { ImportJob } from "../../schema/import-job.js";
import { Role } from "../../schema/role.js";
import { SavingsFigure } from "../../schema/savings-figure.js";
import type { Caller } from "../../server/caller.js";
import { Readiness } from "../../server/readiness.js";
import { callerWith } from "../support/callers.js";
import { createTestGraphql, type TestGraphql } from "../support/graphql.js";
import { startTestHttp, type TestHttp } from "../support/http.js";
import {
  openTestQueue,
  waitForJob,
  type JobAnswer,
} from "../support/import-jobs.js";
import {
  type TestDatabase,
  useTestDatabase,
} from "../support/test-database.js";
import {
  figures,
  longTracker,
} from "../importers/support/tracker-workbooks.js";
import {
  workbookDir,
  writeTestWorkbook,
} from "../importers/support/write-test-workbook.js";

const workbook = readFileSync(
  new URL(
    "../../fixtures/samples/02-derbyshire-rce-workstreams.xlsx",
    import.meta.url,
  ),
);

// Callers chosen per request by a test header: who sends an upload, who asks about it.
const CALLERS: Record<string, Caller> = {
  analyst: callerWith(Role.ANALYST),
  other: { ...callerWith(Role.ANALYST), name: "another analyst" },
  admin: callerWith(Role.ADMIN),
  viewer: callerWith(Role.VIEWER),
  bound: callerWith(Role.ANALYST, ["E07000034"]),
};
const as = (who: keyof typeof CALLERS) => ({ "x-test-caller": who });

const db = useTestDatabase();
/** The idle hub's own database: no worker ever takes its jobs. */
const idleDb = useTestDatabase();
/** A hub whose queue has a worker, and one whose queue has none (its jobs wait). */
let working: { http: TestHttp; queue: ImportQueue };
let idle: { http: TestHttp; queue: ImportQueue };
let graphql: TestGraphql;
let idleGraphql: TestGraphql;

beforeAll(async () => {
  const callerFor = async (req: { headers: Record<string, unknown> }) =>
    CALLERS[String(req.headers["x-test-caller"] ?? "analyst")]!;
  const start = async (
    orm: TestDatabase["orm"],
    worker: boolean,
    maxQueuedBytesPerToken?: number,
  ) => {
    const queue = await openTestQueue(orm, {
      worker,
      ...(maxQueuedBytesPerToken
        ? { settings: { maxQueuedBytesPerToken } }
        : {}),
    });
    const http = await startTestHttp(orm, {
      callerFor,
      importQueue: queue,
    });
    return { http, queue };
  };
  working = await start(db.orm, true);
  idle = await start(idleDb.orm, false, workbook.length * 2 + 100);
  graphql = await createTestGraphql(db.orm);
  idleGraphql = await createTestGraphql(idleDb.orm);
});
afterAll(async () => {
  for (const hub of [working, idle]) {
    await hub?.http.close();
    await hub?.queue.stop();
  }
});

/** POSTs `bytes` as the form's file (with `fields`) to `base`'s /imports. */
function upload(
  base: string,
  fields: Record<string, string> = {},
  headers: Record<string, string> = as("analyst"),
  bytes: Buffer = workbook,
  name = "derbyshire.xlsx",
) {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.set(key, value);
  form.set("file", new Blob([new Uint8Array(bytes)]), name);
  return fetch(`${base}/imports`, { method: "POST", body: form, headers });
}

const stored = async (id: string, database = db) =>
  (
    await database.orm.em
      .fork()
      .execute<{ content: Buffer | null; state: string }[]>(
        `select (select string_agg(c.bytes, ''::bytea order by c.seq) from import_job_chunk c where c.job_id = j.id) as content,
                state
           from import_job j where id = ?`,
        [id],
      )
  )[0]!;

/** Transactions left open on `database` (an upload being stored holds one). */
const openTransactions = async (database: TestDatabase) =>
  Number(
    (
      await database.orm.em.fork().execute<{ count: string }[]>(
        `select count(*) as count from pg_stat_activity
            where datname = current_database() and state like 'idle in transaction%'`,
      )
    )[0]!.count,
  );

/** Waits until `condition` holds (at most 20 s). */
async function until(condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("waited 20 s in vain");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const JOB_FIELDS = `id state fileName sha256 sizeBytes dryRun queuedBy attempts reason
  progress { sheet rowsRead } report importRunId`;

describe("POST /imports queues the upload as a job", () => {
  it("answers 202 at once with the job and its Location; the job ends IMPORTED with the report, and its bytes are deleted", async () => {
    const response = await upload(working.http.base);
    expect(response.status).toBe(202);
    const queued = (await response.json()) as JobAnswer;
    expect(response.headers.get("location")).toBe(`/imports/jobs/${queued.id}`);
    expect(queued).toMatchObject({
      fileName: "derbyshire.xlsx",
      sizeBytes: workbook.length,
      queuedBy: CALLERS.analyst!.name,
      dryRun: false,
    });
    expect(["QUEUED", "RUNNING"]).toContain(queued.state);
    const job = await waitForJob(
      working.http.base,
      response.headers.get("location")!,
    );
    expect(job).toMatchObject({ state: "IMPORTED", attempts: 1 });
    expect(job.report).toMatchObject({
      status: "IMPORTED",
      file: "derbyshire.xlsx",
      importRunId: job.importRunId,
    });
    expect(job.report!.path).toBeUndefined();
    expect(job.progress!.rowsRead).toBeGreaterThan(0);
    expect(await stored(job.id)).toEqual({
      content: null,
      state: "IMPORTED",
    });
    // The audit event is the caller's, written with the import.
    const events = await db.orm.em
      .fork()
      .find(AuditEvent, { actor: CALLERS.analyst!.name });
    expect(
      events.some(
        (e) =>
          (e.details as { importRunId?: number }).importRunId ===
          job.importRunId,
      ),
    ).toBe(true);
    // GraphQL says the same.
    const answer = await graphql.run<{ importJob: Record<string, unknown> }>(
      `query($id: ID!) { importJob(id: $id) { ${JOB_FIELDS} } }`,
      { id: job.id },
      CALLERS.analyst,
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.importJob).toMatchObject({
      id: job.id,
      state: "IMPORTED",
      importRunId: job.importRunId,
      report: { status: "IMPORTED" },
    });
  });

  it("counts jobs by state, the queue's depth and the rows imported in the metrics registry", async () => {
    // The worker counts the rows once its import has returned, just after the job reads IMPORTED.
    let text = "";
    for (let i = 0; i < 50; i++) {
      text = await metricsRegistry.metrics();
      if (/^sshub_import_rows_imported_total [1-9]/m.test(text)) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(text).toMatch(/^sshub_import_jobs\{state="IMPORTED"\} [1-9]/m);
    expect(text).toMatch(/^sshub_import_queue_depth \d+/m);
    expect(text).toMatch(/^sshub_import_rows_imported_total [1-9]/m);
  });

  it("runs a dry run as a job too: it ends CHECKED and writes no figure", async () => {
    const before = await db.orm.em.fork().count(SavingsFigure);
    const response = await upload(working.http.base, { dryRun: "true" });
    expect(response.status).toBe(202);
    const job = await waitForJob(
      working.http.base,
      response.headers.get("location")!,
    );
    expect(job).toMatchObject({ state: "CHECKED", dryRun: true });
    expect(job.report).toMatchObject({ status: "DRY_RUN", dryRun: true });
    expect(await db.orm.em.fork().count(SavingsFigure)).toBe(before);
  });

  it("keeps the bytes and their sha256 in the database while the job waits", async () => {
    const response = await upload(idle.http.base);
    const job = (await response.json()) as JobAnswer;
    expect(job.state).toBe("QUEUED");
    expect(job.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect((await stored(job.id, idleDb)).content!.equals(workbook)).toBe(true);
    await idleGraphql.run(
      `mutation($id: ID!) { cancelImportJob(id: $id) { state } }`,
      { id: job.id },
      CALLERS.analyst,
    );
  });
});

describe("a refused job's grids", () => {
  it("are on the job's report and its run in the commit that ends it REFUSED, never after", async () => {
    // What the job's row and its run held at the moment the job turned REFUSED, as a page polling
    // it could see: a trigger copies them as the ending statement runs (its transaction commits them).
    await db.orm.em.fork().execute(`
      create table job_end_seen (job_id uuid, job_grids jsonb, run_grids jsonb);
      create function job_end_seen() returns trigger language plpgsql as $$
      begin
        insert into job_end_seen values (new.id, new.report->'problemGrids',
          (select problem_grids from import_run where id = new.import_run_id));
        return new;
      end $$;
      create trigger job_end_seen after update on import_job for each row
        when (new.state = 'REFUSED' and old.state <> 'REFUSED') execute function job_end_seen();`);
    try {
      const path = await writeTestWorkbook(
        workbookDir(),
        longTracker("refused.xlsx", "June 2008", [
          ["Chesterfield", "Internal Audit", "2007/08", "Achieved", "lots"],
          ...figures(3),
        ]),
      );
      const response = await upload(
        working.http.base,
        {},
        as("analyst"),
        readFileSync(path),
        "refused.xlsx",
      );
      expect(response.status).toBe(202);
      const job = await waitForJob(
        working.http.base,
        response.headers.get("location")!,
      );
      expect(job.state).toBe("REFUSED");
      const [seen] = await db.orm.em
        .fork()
        .execute<
          { job_grids: { sheet: string }[] | null; run_grids: unknown }[]
        >(`select job_grids, run_grids from job_end_seen where job_id = ?`, [
          job.id,
        ]);
      expect(seen!.job_grids).toMatchObject([{ sheet: "Tracker" }]);
      expect(seen!.run_grids).toEqual(seen!.job_grids);
      expect((job.report as { problemGrids?: unknown }).problemGrids).toEqual(
        seen!.job_grids,
      );
    } finally {
      await db.orm.em.fork().execute(`
        drop trigger job_end_seen on import_job;
        drop function job_end_seen();
        drop table job_end_seen;`);
    }
  });
});

describe("an upload is stored in chunks while it arrives", () => {
  it("stores a 2.5 MB upload as three chunks in one transaction with its job, reads it back whole, and deletes it when the job ends", async () => {
    const queue = await openTestQueue(idleDb.orm, { worker: false });
    try {
      const bytes = randomBytes(2.5 * 1024 * 1024);
      const job = await queue.enqueue({
        bytes,
        fileName: "big.xlsx",
        options: {},
        caller: CALLERS.admin!,
      });
      expect(job).toMatchObject({
        sizeBytes: bytes.length,
        sha256: createHash("sha256").update(bytes).digest("hex"),
      });
      const [chunks] = await idleDb.orm.em
        .fork()
        .execute<{ count: string }[]>(
          "select count(*) as count from import_job_chunk where job_id = ?",
          [job.id],
        );
      expect(Number(chunks!.count)).toBe(3);
      expect((await stored(job.id, idleDb)).content!.equals(bytes)).toBe(true);
      const folder = mkdtempSync(join(tmpdir(), "sshub-test-chunks-"));
      try {
        await writeUploadToFile(
          idleDb.orm.em.fork(),
          job,
          join(folder, "upload"),
        );
        expect(readFileSync(join(folder, "upload")).equals(bytes)).toBe(true);
        // One byte changed: the worker refuses to import what was not uploaded.
        await idleDb.orm.em
          .fork()
          .execute(
            "update import_job_chunk set bytes = set_byte(bytes, 0, 255 - get_byte(bytes, 0)) where job_id = ? and seq = 1",
            [job.id],
          );
        await expect(
          writeUploadToFile(idleDb.orm.em.fork(), job, join(folder, "upload")),
        ).rejects.toThrow(/do not match their size and sha256/);
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
      await idleGraphql.run(
        `mutation($id: ID!) { cancelImportJob(id: $id) { state } }`,
        { id: job.id },
        CALLERS.admin,
      );
      expect(await stored(job.id, idleDb)).toEqual({
        content: null,
        state: "CANCELLED",
      });
    } finally {
      await queue.stop();
    }
  });

  it("leaves no chunk, no job and no open transaction when an upload is cut off after megabytes were written", async () => {
    const jobsBefore = await db.orm.em.fork().count(ImportJob);
    const url = new URL(`${working.http.base}/imports`);
    const req = request({
      host: url.hostname,
      port: url.port,
      path: url.pathname,
      method: "POST",
      headers: {
        ...as("analyst"),
        "content-type": "multipart/form-data; boundary=XX",
        "transfer-encoding": "chunked",
      },
    });
    req.on("error", () => undefined);
    req.write(
      '--XX\r\nContent-Disposition: form-data; name="file"; filename="cut.xlsx"\r\n\r\n',
    );
    for (let i = 0; i < 3; i++) req.write(randomBytes(1024 * 1024));
    // The hub writes the chunks while they arrive: its transaction is open before the upload ends.
    await until(async () => (await openTransactions(db)) === 1);
    req.destroy();
    await until(async () => (await openTransactions(db)) === 0);
    const [chunks] = await db.orm.em
      .fork()
      .execute<{ count: string }[]>(
        "select count(*) as count from import_job_chunk",
      );
    expect(Number(chunks!.count)).toBe(0);
    expect(await db.orm.em.fork().count(ImportJob)).toBe(jobsBefore);
  });
});

describe("uploads being received at once", () => {
  it("are bounded per instance: past the bound 503 with Retry-After while /readyz and GraphQL answer, and a trickling upload is refused at its deadline, its connection freed", async () => {
    const queue = await openTestQueue(idleDb.orm, {
      worker: false,
      settings: { maxReceivingUploads: 2, receiveTimeoutMs: 4_000 },
    });
    const http = await startTestHttp(idleDb.orm, {
      callerFor: async (req: { headers: Record<string, unknown> }) =>
        CALLERS[String(req.headers["x-test-caller"] ?? "analyst")]!,
      importQueue: queue,
      // Its 80 ms bound is for a quiet machine; here it only needs to answer at all.
      readiness: new Readiness(idleDb.orm, 2_000),
    });
    const url = new URL(`${http.base}/imports`);
    // An upload that sends its form's start and then nothing, as a slow or hostile client does.
    const trickle = () => {
      const req = request({
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: "POST",
        headers: {
          ...as("analyst"),
          "content-type": "multipart/form-data; boundary=XX",
          "transfer-encoding": "chunked",
        },
      });
      req.on("error", () => undefined);
      const answer = new Promise<{ status: number; retryAfter: unknown }>(
        (resolve) =>
          req.on("response", (res) => {
            res.resume();
            resolve({
              status: res.statusCode!,
              retryAfter: res.headers["retry-after"],
            });
          }),
      );
      req.write(
        '--XX\r\nContent-Disposition: form-data; name="file"; filename="slow.xlsx"\r\n\r\nPK',
      );
      return { req, answer };
    };
    try {
      const held = [trickle(), trickle()];
      await until(async () => (await openTransactions(idleDb)) === 2);
      const refused = [trickle(), trickle(), trickle()];
      for (const { answer } of refused)
        expect(await answer).toEqual({ status: 503, retryAfter: "5" });
      expect(await openTransactions(idleDb)).toBe(2);
      expect((await fetch(`${http.base}/readyz`)).status).toBe(200);
      const graphqlAnswer = await fetch(`${http.base}/graphql`, {
        method: "POST",
        headers: { ...as("analyst"), "content-type": "application/json" },
        body: JSON.stringify({ query: "{ savings(first: 1) { totalCount } }" }),
      });
      expect(graphqlAnswer.status).toBe(200);
      expect(
        ((await graphqlAnswer.json()) as { errors?: unknown }).errors,
      ).toBeUndefined();
      // The deadline ends the held ones: refused, their transactions rolled back, their places free.
      for (const { answer } of held) expect((await answer).status).toBe(408);
      await until(async () => (await openTransactions(idleDb)) === 0);
      const next = await upload(http.base);
      expect(next.status).toBe(202);
      const job = (await next.json()) as JobAnswer;
      await idleGraphql.run(
        `mutation($id: ID!) { cancelImportJob(id: $id) { state } }`,
        { id: job.id },
        CALLERS.analyst,
      );
      for (const { req } of [...held, ...refused]) req.destroy();
    } finally {
      await http.close();
      await queue.stop();
    }
  });
});

describe("who may see and cancel a job", () => {
  it("answers 403 to a viewer and to a council-bound token, 404 to an id no job has", async () => {
    const response = await upload(idle.http.base);
    const job = (await response.json()) as JobAnswer;
    const get = (who: keyof typeof CALLERS, id = job.id) =>
      fetch(`${idle.http.base}/imports/jobs/${id}`, { headers: as(who) });
    expect((await get("viewer")).status).toBe(403);
    expect((await get("bound")).status).toBe(403);
    expect((await get("analyst", "not-a-job")).status).toBe(404);
    expect(
      (await get("analyst", "00000000-0000-4000-8000-000000000000")).status,
    ).toBe(404);
    expect((await get("other")).status).toBe(200);
    await idleGraphql.run(
      `mutation($id: ID!) { cancelImportJob(id: $id) { state } }`,
      { id: job.id },
      CALLERS.admin,
    );
  });

  it("lets the analyst who queued a job cancel it, refuses another analyst, and deletes the bytes", async () => {
    const job = (await (await upload(idle.http.base)).json()) as JobAnswer;
    const cancel = (caller: Caller) =>
      idleGraphql.run<{ cancelImportJob: { state: string; reason: string } }>(
        `mutation($id: ID!) { cancelImportJob(id: $id) { state reason } }`,
        { id: job.id },
        caller,
      );
    const refused = await cancel(CALLERS.other!);
    expect(refused.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const done = await cancel(CALLERS.analyst!);
    expect(done.errors).toBeUndefined();
    expect(done.data!.cancelImportJob.state).toBe("CANCELLED");
    expect(await stored(job.id, idleDb)).toEqual({
      content: null,
      state: "CANCELLED",
    });
    const again = await cancel(CALLERS.analyst!);
    expect(again.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("lets an admin cancel anyone's job", async () => {
    const job = (await (await upload(idle.http.base)).json()) as JobAnswer;
    const done = await idleGraphql.run<{ cancelImportJob: { state: string } }>(
      `mutation($id: ID!) { cancelImportJob(id: $id) { state } }`,
      { id: job.id },
      CALLERS.admin,
    );
    expect(done.data?.cancelImportJob.state).toBe("CANCELLED");
  });
});

describe("limits on what a token may queue", () => {
  it("refuses 429 QUEUE_FULL when a token's waiting uploads would pass its byte allowance, and takes more once they have ended", async () => {
    // The idle hub allows two workbooks' bytes per token.
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const response = await upload(idle.http.base, {}, as("other"));
      expect(response.status).toBe(202);
      ids.push(((await response.json()) as JobAnswer).id);
    }
    const third = await upload(idle.http.base, {}, as("other"));
    expect(third.status).toBe(429);
    expect(await third.json()).toMatchObject({
      errors: [{ extensions: { code: "QUEUE_FULL" } }],
    });
    // Another token has its own allowance.
    const theirs = await upload(idle.http.base, {}, as("analyst"));
    expect(theirs.status).toBe(202);
    const theirId = ((await theirs.json()) as JobAnswer).id;
    for (const id of [...ids, theirId])
      await idleGraphql.run(
        `mutation($id: ID!) { cancelImportJob(id: $id) { state } }`,
        { id },
        CALLERS.admin,
      );
    expect((await upload(idle.http.base, {}, as("other"))).status).toBe(202);
  });

  it("refuses a period not written YYYY-MM with 400 before queuing anything", async () => {
    const before = await db.orm.em.fork().count(ImportJob);
    const response = await upload(working.http.base, { period: "June" });
    expect(response.status).toBe(400);
    expect(await db.orm.em.fork().count(ImportJob)).toBe(before);
  });
});

describe("a job no worker can finish", () => {
  it("is tried four times (three retries), then FAILED with the reason and its bytes deleted", async () => {
    const job = (await (await upload(idle.http.base)).json()) as JobAnswer;
    // Bytes that no longer match their sha256: every attempt throws before importing anything.
    await idleDb.orm.em
      .fork()
      .execute("update import_job_chunk set bytes = ? where job_id = ?", [
        Buffer.from("not the upload"),
        job.id,
      ]);
    const worker = await openTestQueue(idleDb.orm);
    try {
      const failed = await waitForJob(
        idle.http.base,
        `/imports/jobs/${job.id}`,
        as("analyst"),
      );
      expect(failed).toMatchObject({ state: "FAILED", attempts: 4 });
      expect(failed.reason).toMatch(
        /in 4 attempts .*do not match their size and sha256/,
      );
      expect(await stored(job.id, idleDb)).toEqual({
        content: null,
        state: "FAILED",
      });
    } finally {
      await worker.stop();
    }
  });
});
