import { mkdtempSync, rmSync } from "node:fs";
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
  runSshub,
  startSshub,
  type SshubProcess,
} from "../support/sshub-process.js";

// The running hub (`sshub start`, built CLI) on an embedded cluster of its own, whose postgres is
// killed with SIGKILL.
it(
  "the hub notices its embedded PostgreSQL died, starts it again on the same port, answers again, and the next command attaches to it",
  { timeout: 180_000 },
  async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "sshub-hub-restart-"));
    const env = {
      SSHUB_DATA_DIR: dataDir,
      DATABASE_URL: "",
      PORT: String(await freePort()),
    };
    let hub: SshubProcess | undefined;
    try {
      hub = await startSshub(["start", "--no-sample-data"], env, "ready at");
      const stderr = hub.stderr;
      const healthz = `http://localhost:${env.PORT}/healthz`;
      expect((await fetch(healthz)).status).toBe(200);

      const before = postmaster(dataDir);
      process.kill(before.pid, "SIGKILL");
      const deadline = Date.now() + 120_000;
      while (!/had stopped; (restarted|reattached)/.test(stderr())) {
        if (Date.now() > deadline)
          throw new Error(`no restart line: ${stderr()}`);
        await sleep(200);
      }
      expect(stderr()).toMatch(
        new RegExp(
          `had stopped; restarted it on 127\\.0\\.0\\.1:${before.port}\\.`,
        ),
      );
      let status = 0;
      while (Date.now() < deadline) {
        status = (await fetch(healthz)).status;
        if (status === 200) break;
        await sleep(250);
      }
      expect(status).toBe(200);

      const small = await writeTestWorkbook(
        workbookDir(),
        longTracker("after-restart.xlsx", "July 2008", figures(2)),
      );
      const next = runSshub(["import", small], "", env, 180_000);
      expect(next.stderr).toMatch(/Attached to the embedded PostgreSQL/);
      expect(next.status).toBe(0);
      expect(postmaster(dataDir).port).toBe(before.port);
    } finally {
      hub?.child.kill("SIGTERM");
      await hub?.exited;
      await stopEmbeddedDatabase(dataDir).catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
);
