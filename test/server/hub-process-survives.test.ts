import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Role } from "../../schema/role.js";
import { createToken } from "../../server/auth/token-service.js";
import { operatorCaller } from "../../server/caller.js";
import { useTestDatabase } from "../support/test-database.js";
import { freePort, SSHUB_BIN, startNode } from "../support/sshub-process.js";

// These run the built hub (`bin/sshub.js` → `dist/`), which `npm test` rebuilds first (pretest): the
// point is a real process, whose death a request could cause.
const dist = new URL("../../dist/", import.meta.url).href;

const db = useTestDatabase();
let uploads: string;
beforeAll(async () => {
  uploads = mkdtempSync(join(tmpdir(), "sshub-test-uploads-"));
});
afterAll(async () => {
  rmSync(uploads, { recursive: true, force: true });
});

/** Waits (up to 10 s) until `condition` holds. */
async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 20) {
    if (waited > 10_000) throw new Error("waited 10 s in vain");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) =>
    child.on("exit", (code) => resolve(code)),
  );
  child.kill("SIGTERM");
  return exited;
}

/** Sends `body` as it is (Content-Length set), answering status and body text. */
function send(
  port: number,
  path: string,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port, path, method: "POST", headers },
      (res) => {
        let text = "";
        res.on("data", (chunk: Buffer) => void (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode!, text }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

describe("the hub process survives one bad request", () => {
  it("answers 400 to a multipart upload cut short, keeps answering, and leaves no temporary folder, job or chunk", async () => {
    const { token } = await createToken(db.orm.em.fork(), {
      name: "cut-short analyst",
      role: Role.ANALYST,
      councils: [],
      createdBy: operatorCaller(),
    });
    const port = await freePort();
    const hub = await startNode(
      [SSHUB_BIN, "start", "--no-sample-data"],
      {
        DATABASE_URL: db.url,
        PORT: String(port),
        HOST: "127.0.0.1",
        NODE_ENV: "production",
        TMPDIR: uploads,
      },
      "ready at",
    );
    try {
      const cut = await send(
        port,
        "/imports",
        {
          authorization: `Bearer ${token}`,
          "content-type": "multipart/form-data; boundary=XX",
        },
        '--XX\r\nContent-Disposition: form-data; name="file"; filename="a.xlsx"\r\n\r\nPK',
      );
      expect(cut.status, cut.text).toBe(400);
      expect(JSON.parse(cut.text)).toMatchObject({
        errors: [
          {
            message: expect.stringContaining("not a complete multipart"),
            extensions: { code: "BAD_REQUEST" },
          },
        ],
      });
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      expect(
        readdirSync(uploads).filter((name) => name.startsWith("sshub-upload-")),
      ).toEqual([]);
      // The upload goes to PostgreSQL (a job, its chunks): none of it may be left, nor its transaction.
      const [left] = await db.orm.em
        .fork()
        .execute<{ jobs: string; chunks: string; open: string }[]>(
          `select (select count(*) from import_job) as jobs, (select count(*) from import_job_chunk) as chunks,
                (select count(*) from pg_stat_activity
                  where datname = current_database() and state like 'idle in transaction%') as open`,
        );
      expect(left).toEqual({ jobs: "0", chunks: "0", open: "0" });
    } finally {
      expect(await stop(hub.child), hub.stderr()).toBe(0);
    }
  });

  it("logs an exception or rejection nobody caught with its request id, answers 500 and carries on", async () => {
    const port = await freePort();
    // The hub's own HTTP server and failure handling, with a caller check that fails the way a bug
    // would: a throw from a timer, a rejection nobody awaits. Nothing else is replaced.
    const script = `
      import { createHttpServer } from "${dist}server/http-server.js";
      import { catchRequestFailures } from "${dist}server/catch-request-failures.js";
      import { anonymousDevelopmentViewer } from "${dist}server/caller.js";
      import { RateLimiter } from "${dist}server/auth/rate-limiter.js";
      catchRequestFailures((line) => process.stderr.write(line + "\\n"));
      const server = createHttpServer({
        apollo: null,
        orm: null,
        rateLimiter: new RateLimiter(0),
        log: (line) => process.stderr.write(line + "\\n"),
        callerFor: async (req) => {
          if (req.url === "/throw") setTimeout(() => { throw new Error("thrown in a timer"); });
          if (req.url === "/reject") void Promise.reject(new Error("rejected, never awaited"));
          if (req.url === "/throw" || req.url === "/reject") return new Promise(() => {});
          return anonymousDevelopmentViewer;
        },
      });
      server.listen(${port}, "127.0.0.1", () => console.log("listening"));
    `;
    const hub = await startNode(
      ["--input-type=module", "-e", script],
      {},
      "listening",
    );
    try {
      for (const path of ["/throw", "/reject"]) {
        const response = await fetch(`http://127.0.0.1:${port}${path}`);
        expect(response.status, path).toBe(500);
        const requestId = response.headers.get("x-request-id")!;
        expect(await response.json()).toEqual({
          errors: [
            {
              message: "Internal server error",
              extensions: { code: "INTERNAL_SERVER_ERROR", requestId },
            },
          ],
        });
        // The log line is written before the answer, but reaches this process through a pipe.
        await until(() => hub.stderr().includes(`request ${requestId}: `));
      }
      expect(hub.stderr()).toContain("thrown in a timer");
      expect(hub.stderr()).toContain("rejected, never awaited");
      const after = await fetch(`http://127.0.0.1:${port}/elsewhere`);
      expect(after.status).toBe(404);
    } finally {
      await stop(hub.child);
    }
  });
});
