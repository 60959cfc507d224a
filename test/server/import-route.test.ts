import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ImportJob } from "../../schema/import-job.js";
import { ImportRun } from "../../schema/import-run.js";
import type { ImportQueue } from "../../jobs/import-queue.js";
import { callerFromTestRole, TEST_ROLE_HEADER } from "../support/callers.js";
import { startTestHttp, type TestHttp } from "../support/http.js";
import { openTestQueue, waitForJob } from "../support/import-jobs.js";
import { useTestDatabase } from "../support/test-database.js";

const db = useTestDatabase();
let http: TestHttp;
let queue: ImportQueue;
// Uploads land in a folder of this file's own, so a test can see that nothing is left there.
const uploads = mkdtempSync(join(tmpdir(), "sshub-test-uploads-"));
/** The upload limit here: small, so that a test can pass it quickly. */
const MAX_FILE_BYTES = 256 * 1024;
const workbook = readFileSync(
  new URL(
    "../../fixtures/samples/02-derbyshire-rce-workstreams.xlsx",
    import.meta.url,
  ),
);

beforeAll(async () => {
  queue = await openTestQueue(db.orm);
  http = await startTestHttp(db.orm, {
    callerFor: callerFromTestRole,
    uploads: { maxFileBytes: MAX_FILE_BYTES, folder: uploads },
    importQueue: queue,
  });
});
afterAll(async () => {
  await http.close();
  await queue.stop();
  rmSync(uploads, { recursive: true, force: true });
});

/** The one error of a refusal, in the hub's one JSON error shape. */
async function errorOf(response: Response) {
  const body = (await response.json()) as {
    errors: { message: string; extensions: { code: string } }[];
  };
  expect(body.errors).toHaveLength(1);
  return body.errors[0]!;
}

function post(body: FormData | string, headers: Record<string, string> = {}) {
  return fetch(`${http.base}/imports`, { method: "POST", body, headers });
}

describe("POST /imports refuses bad requests with a clear message and writes nothing", () => {
  it("answers 403 to a viewer and to a council-bound analyst, saying what is missing, and queues nothing", async () => {
    const jobsBefore = await db.orm.em.fork().count(ImportJob);
    for (const [role, message] of [
      ["viewer", /analyst role/],
      ["bound", /national token/],
    ] as const) {
      const form = new FormData();
      form.append("file", new Blob([workbook]), "workstreams.xlsx");
      const response = await post(form, { [TEST_ROLE_HEADER]: role });
      expect(response.status).toBe(403);
      const error = await errorOf(response);
      expect(error.extensions.code).toBe("FORBIDDEN");
      expect(error.message).toMatch(message);
    }
    expect(await db.orm.em.fork().count(ImportJob)).toBe(jobsBefore);
  });

  it("answers 405 to anything but POST", async () => {
    const response = await fetch(`${http.base}/imports`);
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
  });

  it("answers 415 when the body is not multipart/form-data", async () => {
    const response = await post("not a form", { "content-type": "text/plain" });
    expect(response.status).toBe(415);
    expect(await errorOf(response)).toMatchObject({
      message: expect.stringContaining('"file"'),
    });
  });

  it('answers 400 when the form has no "file" field', async () => {
    const form = new FormData();
    form.set("period", "2010-06");
    const response = await post(form);
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toMatchObject({
      message: expect.stringContaining('no "file" field'),
    });
  });

  it("answers 400 BAD_USER_INPUT for a period not written YYYY-MM, before any import run is recorded", async () => {
    const before = await db.orm.em.fork().count(ImportRun);
    const form = new FormData();
    form.set("file", new Blob([workbook]), "derbyshire.xlsx");
    form.set("period", "June");
    const response = await post(form);
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toMatchObject({
      extensions: { code: "BAD_USER_INPUT" },
      message: expect.stringContaining('"June"'),
    });
    expect(await db.orm.em.fork().count(ImportRun)).toBe(before);
  });

  it("queues a workbook that is then refused: the job ends REFUSED with the report naming the file", async () => {
    const form = new FormData();
    form.set(
      "file",
      new Blob(["<html><body>not a workbook</body></html>"]),
      "notes.xlsx",
    );
    const response = await post(form);
    expect(response.status).toBe(202);
    const job = await waitForJob(http.base, response.headers.get("location")!);
    expect(job.state).toBe("REFUSED");
    const report = job.report!;
    expect(report.status).toBe("REFUSED");
    expect(report.problems[0]).toMatchObject({
      code: "unreadable-file",
      message: expect.stringContaining("notes.xlsx"),
    });
  });
});

/**
 * What an upload could leave behind: files in the uploads folder, stored chunks, a transaction
 * left open on the database. Nothing once every answer is sent.
 */
const leftOver = async () => {
  const [row] = await db.orm.em
    .fork()
    .execute<{ chunks: string; open: string }[]>(
      `select (select count(*) from import_job_chunk) as chunks,
            (select count(*) from pg_stat_activity
              where datname = current_database() and state like 'idle in transaction%') as open`,
    );
  return {
    files: readdirSync(uploads),
    chunks: Number(row!.chunks),
    openTransactions: Number(row!.open),
  };
};
const NOTHING_LEFT = { files: [], chunks: 0, openTransactions: 0 };

/**
 * Posts to /imports with `headers`, writing `first` and then, until the hub answers or closes the
 * connection, as much more as `more` gives (nothing by default). Resolves with the answer and how
 * many bytes were written.
 */
function postRaw(
  headers: Record<string, string>,
  first: Buffer | string,
  more?: () => Buffer,
): Promise<{ status: number; body: string; sent: number; closed: boolean }> {
  const url = new URL(`${http.base}/imports`);
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: "POST",
        headers,
      },
      (res) => {
        answered = true;
        let body = "";
        res.on("data", (chunk: Buffer) => void (body += chunk));
        res.on("end", () => {
          const socket = req.socket!;
          const done = () =>
            resolve({ status: res.statusCode!, body, sent, closed: true });
          if (socket.destroyed) done();
          else socket.once("close", done);
        });
      },
    );
    req.on("error", (error) => {
      if (!answered) reject(error);
    });
    const write = (chunk: Buffer | string) => {
      sent += chunk.length;
      return req.write(chunk);
    };
    write(first);
    if (!more) return;
    const pump = () => {
      while (!answered && !req.destroyed && write(more())) {
        // keep writing until the socket's buffer is full
      }
    };
    req.on("drain", pump);
    pump();
  });
}

describe("POST /imports refuses hostile uploads early and leaves nothing behind", () => {
  it("answers 400 to multipart/form-data without a boundary", async () => {
    const response = await post("--XX\r\n", {
      "content-type": "multipart/form-data",
    });
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toMatchObject({
      message: expect.stringContaining("boundary"),
      extensions: { code: "BAD_REQUEST" },
    });
    expect(await leftOver()).toEqual(NOTHING_LEFT);
  });

  it("answers 400 to a form cut short, with nothing imported", async () => {
    const before = await db.orm.em.fork().count(ImportRun);
    const jobsBefore = await db.orm.em.fork().count(ImportJob);
    const response = await post(
      '--XX\r\nContent-Disposition: form-data; name="file"; filename="a.xlsx"\r\n\r\nPK',
      { "content-type": "multipart/form-data; boundary=XX" },
    );
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toMatchObject({
      message: expect.stringContaining("not a complete multipart"),
    });
    expect(await db.orm.em.fork().count(ImportRun)).toBe(before);
    // POST /imports queues a job and a worker makes the run later: no job may be queued either.
    expect(await db.orm.em.fork().count(ImportJob)).toBe(jobsBefore);
    expect(await leftOver()).toEqual(NOTHING_LEFT);
  });

  it("refuses on a Content-Length over the limit with 413 before reading the body", async () => {
    // 2 GB announced, 1 KB sent: only an answer that does not wait for the body arrives.
    const answer = await postRaw(
      {
        "content-type": "multipart/form-data; boundary=XX",
        "content-length": String(2 * 1024 ** 3),
      },
      Buffer.alloc(1024, "x"),
    );
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({
      errors: [{ extensions: { code: "TOO_LARGE" } }],
    });
    expect(answer.closed).toBe(true);
    expect(await leftOver()).toEqual(NOTHING_LEFT);
  });

  it("stops reading a chunked upload at the limit: 413, the connection closed, no file left", async () => {
    // A body without end: before the fix the hub read it for ever.
    const chunk = Buffer.alloc(16 * 1024, "x");
    const answer = await postRaw(
      {
        "content-type": "multipart/form-data; boundary=XX",
        "transfer-encoding": "chunked",
      },
      '--XX\r\nContent-Disposition: form-data; name="file"; filename="big.xlsx"\r\n\r\n',
      () => chunk,
    );
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({
      errors: [
        {
          message: expect.stringContaining(`larger than ${MAX_FILE_BYTES}`),
          extensions: { code: "TOO_LARGE" },
        },
      ],
    });
    expect(answer.closed).toBe(true);
    expect(await leftOver()).toEqual(NOTHING_LEFT);
  });

  it("refuses a form with a second workbook instead of ignoring it, importing neither", async () => {
    const before = await db.orm.em.fork().count(ImportRun);
    const jobsBefore = await db.orm.em.fork().count(ImportJob);
    const form = new FormData();
    form.append("file", new Blob([workbook]), "first.xlsx");
    form.append("file", new Blob([workbook]), "second.xlsx");
    const response = await post(form);
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toMatchObject({
      message: expect.stringContaining("more than one file"),
      extensions: { code: "BAD_USER_INPUT" },
    });
    expect(await db.orm.em.fork().count(ImportRun)).toBe(before);
    // POST /imports queues a job and a worker makes the run later: no job may be queued either.
    expect(await db.orm.em.fork().count(ImportJob)).toBe(jobsBefore);
    expect(await leftOver()).toEqual(NOTHING_LEFT);
  });

  it('refuses a workbook sent in a field other than "file", naming the field', async () => {
    const form = new FormData();
    form.append("workbook", new Blob([workbook]), "tracker.xlsx");
    const response = await post(form);
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toMatchObject({
      message: expect.stringContaining('"workbook"'),
    });
  });
});

describe("POST /imports takes every format the importer reads", () => {
  it("imports a CSV upload, its one sheet named after the uploaded file", async () => {
    const form = new FormData();
    form.set(
      "file",
      new Blob([
        "Savings tracker\r\nPeriod:,June 2008\r\nPartnership:,Derbyshire RCE Shared Services\r\n" +
          'Workstream,Financial year,Measure,Amount (£)\r\nProcurement,2007/08,Achieved,"£357,000"\r\n',
      ]),
      "host-tracker-2008-06.csv",
    );
    form.set("dryRun", "true");
    const response = await post(form);
    expect(response.status).toBe(202);
    const job = await waitForJob(http.base, response.headers.get("location")!);
    expect(job.state).toBe("CHECKED");
    const report = job.report!;
    expect(report.problems).toEqual([]);
    expect(report.status).toBe("DRY_RUN");
    expect(report.sheets).toMatchObject([
      { sheet: "host-tracker-2008-06", rowsRead: 1 },
    ]);
  });
});
