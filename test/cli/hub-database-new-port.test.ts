import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { expect, it } from "vitest";
import { stopEmbeddedDatabase } from "../../db/embedded-postgres.js";
import {
  figures,
  longTracker,
} from "../importers/support/tracker-workbooks.js";
import {
  workbookDir,
  writeTestWorkbook,
} from "../importers/support/write-test-workbook.js";
import {
  freePort,
  postmaster,
  runSshubInBackground,
  startSshub,
  type SshubProcess,
} from "../support/sshub-process.js";

// The running hub (`sshub start`, built CLI) on an embedded cluster of its own, whose postgres is
// killed with SIGKILL and whose port another program takes before the hub can start it again.
/** Listens on 127.0.0.1:port as soon as the dead postmaster has let go of it. */
async function takePort(port: number): Promise<Server> {
  for (let tries = 0; ; tries++) {
    try {
      return await new Promise<Server>((resolve, reject) => {
        const server = createServer();
        server.once("error", reject);
        server.listen(port, "127.0.0.1", () => resolve(server));
      });
    } catch (error) {
      if (tries > 200) throw error;
      await sleep(5);
    }
  }
}

/** The postgres processes running on this data folder (their command lines name it). */
function postmastersOn(dataDir: string): number {
  let n = 0;
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
      if (
        /postgres$/.test(cmd[0] ?? "") &&
        cmd.includes("-D") &&
        cmd[cmd.indexOf("-D") + 1]?.startsWith(dataDir)
      )
        n++;
    } catch {
      // gone meanwhile
    }
  }
  return n;
}

it(
  "the hub whose embedded PostgreSQL comes back on another port (its own taken) reattaches to it, says so in one line, answers again, and a command run meanwhile starts no second server",
  { timeout: 180_000 },
  async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "sshub-hub-new-port-"));
    const env = {
      SSHUB_DATA_DIR: dataDir,
      DATABASE_URL: "",
      PORT: String(await freePort()),
    };
    let hub: SshubProcess | undefined;
    let squatter: Server | undefined;
    try {
      hub = await startSshub(["start", "--no-sample-data"], env, "ready at");
      const stderr = hub.stderr;
      const base = `http://localhost:${env.PORT}`;
      expect((await fetch(`${base}/readyz`)).status).toBe(200);

      const before = postmaster(dataDir);
      process.kill(before.pid, "SIGKILL");
      squatter = await takePort(before.port);
      // A command run while the hub brings the cluster back: it attaches, or starts the one server.
      const small = await writeTestWorkbook(
        workbookDir(),
        longTracker("during-restart.xlsx", "July 2008", figures(2)),
      );
      const during = runSshubInBackground(["import", small], "", env);
      const deadline = Date.now() + 90_000;
      while (!/had stopped/.test(stderr())) {
        if (Date.now() > deadline)
          throw new Error(`no restart line: ${stderr()}`);
        await sleep(200);
      }
      const after = postmaster(dataDir);
      expect(after.port).not.toBe(before.port);
      const lines = stderr()
        .split("\n")
        .filter((line) => line.includes("had stopped"));
      expect(lines).toEqual([
        expect.stringMatching(
          new RegExp(
            `had stopped and now runs on 127\\.0\\.0\\.1:${after.port} \\(its port ${before.port} was taken\\): (reattached to it|started it there)\\.`,
          ),
        ),
      ]);
      expect(stderr()).not.toMatch(/restart sshub/);

      let status = 0;
      while (Date.now() < deadline) {
        // A hub still on the dead port may not answer at all: each try is bounded.
        status = await fetch(`${base}/readyz`, {
          signal: AbortSignal.timeout(5_000),
        }).then(
          (r) => r.status,
          () => 0,
        );
        if (status === 200) break;
        await sleep(250);
      }
      expect(status).toBe(200);
      const response = await fetch(`${base}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          query: '{ council(code: "E06000049") { officialName } }',
        }),
      });
      expect(await response.json()).toEqual({
        data: { council: { officialName: "Cheshire East Council" } },
      });

      const { status: duringExit, stderr: duringErr } = await during;
      expect(duringExit).toBe(0);
      expect(duringErr).not.toMatch(
        /Started the embedded PostgreSQL.*\n.*Started/s,
      );
      expect(postmastersOn(dataDir)).toBe(1);
      expect(postmaster(dataDir).port).toBe(after.port);
    } finally {
      squatter?.close();
      hub?.child.kill("SIGTERM");
      await hub?.exited;
      await stopEmbeddedDatabase(dataDir).catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
);
