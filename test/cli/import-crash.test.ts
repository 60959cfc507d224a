import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { writeLongTracker } from "../../bench/import/write-long-tracker.js";
import { connectPostgres } from "../../db/connect-postgres.js";
import {
  acquireEmbeddedDatabase,
  stopEmbeddedDatabase,
} from "../../db/embedded-postgres.js";
import { AuditEvent } from "../../schema/audit-event.js";
import { ImportRun } from "../../schema/import-run.js";
import { SavingsFigure } from "../../schema/savings-figure.js";
import { useTestDatabase } from "../support/test-database.js";
import { runSshub, SSHUB_BIN } from "../support/sshub-process.js";
import {
  figures,
  longTracker,
} from "../importers/support/tracker-workbooks.js";
import {
  workbookDir,
  writeTestWorkbook,
} from "../importers/support/write-test-workbook.js";

// kill -9 of `sshub import` (the built CLI) at known points, through the SSHUB_TEST_PAUSE_AT hook
// (importers/crash-test-pause.ts), then a check that nothing half-written is left.
/** Enough rows that the reader reports progress several times and streams figures before 30%. */
const ROWS = 60_000;

const db = useTestDatabase();
let big: string;
let small: string;
beforeAll(async () => {
  const dir = workbookDir();
  big = join(dir, "crash-tracker.xlsx");
  await writeLongTracker(big, ROWS);
  small = await writeTestWorkbook(
    dir,
    longTracker("after-crash.xlsx", "July 2008", figures(3)),
  );
});
// A test that fails half-way must not leave a paused import holding the import lock for the next.
const children = new Set<ChildProcess>();
afterEach(() => {
  for (const child of children)
    if (child.exitCode === null) child.kill("SIGKILL");
  children.clear();
});
/** Each test runs several imports of 60,000 rows: give them room on a loaded machine. */
const SLOW = { timeout: 240_000 };

/** Starts `sshub import big` with `env` and waits until it is paused at `point`. */
async function importPausedAt(
  point: string,
  env: NodeJS.ProcessEnv = { DATABASE_URL: db.url },
): Promise<{
  child: ChildProcess;
  exited: Promise<number | null>;
  stderr: () => string;
}> {
  const child = spawn(process.execPath, [SSHUB_BIN, "import", big], {
    env: { ...process.env, ...env, SSHUB_TEST_PAUSE_AT: point },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  let stderr = "";
  const exited = new Promise<number | null>((resolve) =>
    child.on("exit", (code) => resolve(code)),
  );
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes(`sshub-test: paused at ${point}`)) resolve();
    });
    child.on("exit", (code) =>
      reject(
        new Error(`sshub import ended (${code}) before ${point}: ${stderr}`),
      ),
    );
  });
  return { child, exited, stderr: () => stderr };
}

/** Starts `sshub import big` paused at `point`, kills it with SIGKILL there, and waits for it to end. */
async function killImportAt(point: string): Promise<void> {
  const { child, exited } = await importPausedAt(point);
  child.kill("SIGKILL");
  await exited;
}

const sshub = (args: string[]) => runSshub(args, db.url, {}, 180_000);

async function lastRun(): Promise<ImportRun> {
  const [run] = await db.orm.em
    .fork()
    .find(
      ImportRun,
      { fileName: "crash-tracker.xlsx" },
      { orderBy: { id: "desc" }, limit: 1 },
    );
  return run!;
}

async function figuresOf(run: ImportRun): Promise<number> {
  return db.orm.em.fork().count(SavingsFigure, { importRun: run.id });
}

async function auditsOf(run: ImportRun): Promise<number> {
  const events = await db.orm.em.fork().find(AuditEvent, {});
  return events.filter(
    (e) => (e.details as { importRunId?: number }).importRunId === run.id,
  ).length;
}

describe("kill -9 of sshub import", () => {
  it(
    "at 30%, at 70% and just before COMMIT leaves no figure of its run; the next command marks the run INTERRUPTED and works",
    SLOW,
    async () => {
      // Each import after a kill is the "next command" of the one before it.
      let killed: ImportRun | null = null;
      for (const point of ["30%", "70%", "commit", "done"]) {
        if (point !== "done") await killImportAt(point);
        const next = point === "done" ? sshub(["import", small]) : null;
        if (killed) {
          const after = await db.orm.em
            .fork()
            .findOneOrFail(ImportRun, killed.id);
          expect(after.status).toBe("INTERRUPTED");
          expect(after.reason).toMatch(/stopped before the import finished/);
          expect(after.finishedAt).toBeInstanceOf(Date);
          expect(await figuresOf(after)).toBe(0);
        }
        if (next) {
          expect(next.stderr).toMatch(
            new RegExp(`marked import run #${killed!.id} INTERRUPTED`),
          );
          expect(next.stdout).toMatch(/after-crash.xlsx: IMPORTED/);
          expect(next.status).toBe(0);
          break;
        }
        killed = await lastRun();
        expect(killed.status).toBe("RUNNING");
        expect(await figuresOf(killed)).toBe(0);
        expect(await auditsOf(killed)).toBe(0);
      }
      expect(await db.orm.em.fork().count(SavingsFigure, {})).toBe(3);
    },
  );

  it(
    "once its transaction has committed, leaves the figures with the run's counts and audit event",
    SLOW,
    async () => {
      await killImportAt("committed");
      const run = await lastRun();
      expect(run.status).toBe("IMPORTED");
      expect(await figuresOf(run)).toBe(ROWS);
      expect(
        (run.rowCounts as { sheets: { rowsRead: number }[] }).sheets[0]!
          .rowsRead,
      ).toBe(ROWS);
      expect(await auditsOf(run)).toBe(1);
      const next = sshub(["import", small]);
      expect(next.status).toBe(0);
      expect(next.stderr).not.toMatch(/INTERRUPTED/);
    },
  );
});

describe("kill -9 of the embedded PostgreSQL during an import", () => {
  it(
    "makes sshub import say so in one line and exit 1; the next command restarts it, marks the run INTERRUPTED and works",
    SLOW,
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), "sshub-crash-db-"));
      const env = { SSHUB_DATA_DIR: dataDir, DATABASE_URL: "" };
      try {
        const { child, exited, stderr } = await importPausedAt("30%", env);
        const postmaster = Number(
          readFileSync(join(dataDir, "pgdata", "postmaster.pid"), "utf8").split(
            "\n",
          )[0],
        );
        process.kill(postmaster, "SIGKILL");
        child.kill("SIGUSR2");
        expect(await exited).toBe(1);
        const lines = stderr().trim().split("\n");
        expect(lines.at(-1)).toMatch(/PostgreSQL.*\[DATABASE_UNAVAILABLE\]$/);
        expect(stderr()).not.toMatch(/^\s+at /m);

        const next = runSshub(["import", small], "", env, 180_000);
        expect(next.stderr).toMatch(/marked import run #\d+ INTERRUPTED/);
        expect(next.stdout).toMatch(/after-crash.xlsx: IMPORTED/);
        expect(next.status).toBe(0);

        const handle = await acquireEmbeddedDatabase({ dataDir });
        const client = await connectPostgres(handle.url, { ssl: false });
        try {
          const { rows } = await client.query<{
            status: string;
            figures: number;
          }>(
            `select r.status, (select count(*)::int from savings_figure f where f.import_run_id = r.id) as figures
             from import_run r where r.file_name = 'crash-tracker.xlsx'`,
          );
          expect(rows).toEqual([{ status: "INTERRUPTED", figures: 0 }]);
        } finally {
          await client.end();
          await handle.release();
        }
      } finally {
        await stopEmbeddedDatabase(dataDir).catch(() => undefined);
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  );
});
