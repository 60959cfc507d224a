import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { importWorkbook } from "../../importers/import-workbook.js";
import { beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../observability/logger.js";
import { ImportJob } from "../../schema/import-job.js";
import { Role } from "../../schema/role.js";
import { callerWith } from "../support/callers.js";
import { startTestHttp } from "../support/http.js";
import { openTestQueue } from "../support/import-jobs.js";
import { useTestDatabase } from "../support/test-database.js";

const SAMPLE = new URL(
  "../../fixtures/samples/02-derbyshire-rce-workstreams.xlsx",
  import.meta.url,
);

const db = useTestDatabase();
/** An import run of the sample, for the problems-workbook route to look up. */
let runId: number;
beforeAll(async () => {
  runId = (await importWorkbook(db.orm, fileURLToPath(SAMPLE), {}))
    .importRunId!;
});

/** The hub's logger writing JSON lines into an array, and those lines parsed. */
function capture() {
  const lines: string[] = [];
  const logger = createLogger({
    format: "json",
    level: "info",
    destination: { write: (line: string) => void lines.push(line) },
  });
  const records = () =>
    lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, records };
}

describe("structured log lines carry what they are about as fields", () => {
  it("puts the request id and token name on every line of a request, the error line of a failure included", async () => {
    const { logger, records } = capture();
    const analyst = callerWith(Role.ANALYST);
    const http = await startTestHttp(db.orm, {
      callerFor: async () => analyst,
      logger,
      // As `sshub start` does: failure lines go to the logger at level error.
      log: (line) => logger.error(line),
      // A temporary folder that does not exist: the problems-workbook route fails unexpectedly (500).
      uploads: { maxFileBytes: 1_000, folder: "/nonexistent/sshub-uploads" },
    });
    try {
      const response = await fetch(
        `${http.base}/imports/problems-workbook?run=${runId}`,
        { method: "POST", body: "PK" },
      );
      expect(response.status).toBe(500);
      const requestId = response.headers.get("x-request-id")!;
      await new Promise((resolve) => setTimeout(resolve, 100));
      const ofRequest = records().filter((r) => r.requestId === requestId);
      expect(ofRequest.map((r) => r.level).sort()).toEqual(["error", "info"]);
      const failure = ofRequest.find((r) => r.level === "error")!;
      expect(failure).toMatchObject({ token: analyst.name });
      expect(String(failure.msg)).toMatch(/ENOENT/);
      // No line of the request is without its id.
      expect(
        records().filter((r) => String(r.msg).includes(requestId)),
      ).toEqual(ofRequest.filter((r) => String(r.msg).includes(requestId)));
    } finally {
      await http.close();
    }
  });

  it("puts the job id on a job's lines, and its rows on the line that ends it", async () => {
    const { logger, records } = capture();
    const queue = await openTestQueue(db.orm, { logger });
    try {
      const job = await queue.enqueue({
        bytes: readFileSync(SAMPLE),
        fileName: "derbyshire.xlsx",
        // A dry run: the run of beforeAll has imported this very file already.
        options: { dryRun: true },
        caller: callerWith(Role.ANALYST),
      });
      const deadline = Date.now() + 60_000;
      for (;;) {
        const row = await db.orm.em.fork().findOneOrFail(ImportJob, job.id);
        // The job's end line is written just after its row is marked finished: wait for both.
        const ended = records().some(
          (r) => r.jobId === job.id && /^import job ended/.test(String(r.msg)),
        );
        if (row.finishedAt && ended) break;
        if (Date.now() > deadline) throw new Error("the job did not end");
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const ofJob = records().filter((r) => r.jobId === job.id);
      expect(ofJob.map((r) => r.msg)).toEqual([
        expect.stringMatching(/^import job started/),
        expect.stringMatching(/^import job ended CHECKED/),
      ]);
      expect(ofJob[1]).toMatchObject({
        level: "info",
        state: "CHECKED",
        rows: expect.any(Number),
        durationMs: expect.any(Number),
      });
      expect(ofJob[1]!.rows).toBeGreaterThan(0);
    } finally {
      await queue.stop();
    }
  });
});
