import { spawn, type ChildProcess } from "node:child_process";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { SampleWorkbook } from "../../fixtures/generate-samples.js";
import { importWorkbook } from "../../importers/import-workbook.js";
import { useTestDatabase } from "../support/test-database.js";
import {
  workbookDir,
  writeTestWorkbook,
} from "../importers/support/write-test-workbook.js";
import { SSHUB_BIN } from "../support/sshub-process.js";

// Two `sshub import` processes (the built CLI) on one database, each paused just before its COMMIT
// (SSHUB_TEST_PAUSE_AT=commit, importers/crash-test-pause.ts): where both reach that point at once,
// they ran at the same time, which pg_locks then shows from the locks each holds.

const db = useTestDatabase();
const dir = workbookDir();
const children = new Set<ChildProcess>();
afterEach(() => {
  for (const child of children)
    if (child.exitCode === null) child.kill("SIGKILL");
  children.clear();
});

const PARTNERSHIPS = {
  derbyshire: {
    name: "Derbyshire RCE Shared Services",
    partners:
      "Chesterfield Borough Council, Bolsover District Council, North East Derbyshire District Council",
  },
  cheshire: {
    name: "Cheshire Shared Services",
    partners: "Cheshire East Council, Cheshire West and Chester Council",
  },
};

/** A tracker of 500 figures (services `Workstream 1..50`) for a partnership and month. */
function tracker(
  file: string,
  partnership: keyof typeof PARTNERSHIPS,
  period: string,
  amount: number,
): Promise<string> {
  const { name, partners } = PARTNERSHIPS[partnership];
  const workbook: SampleWorkbook = {
    file,
    sheets: [
      {
        name: "Tracker",
        title: [
          ["Savings tracker"],
          ["Period:", period],
          ["Partnership:", name],
          ["Partners:", partners],
        ],
        header: [
          "Council",
          "Workstream",
          "Financial year",
          "Measure",
          "Amount (£)",
        ],
        rows: Array.from({ length: 500 }, (_, i) => [
          null,
          `Workstream ${(i % 50) + 1}`,
          `${2000 + Math.floor(i / 50)}/${String((2001 + Math.floor(i / 50)) % 100).padStart(2, "0")}`,
          "Achieved",
          amount + i,
        ]),
      },
    ],
  };
  return writeTestWorkbook(dir, workbook);
}

interface PausedImport {
  child: ChildProcess;
  paused: Promise<void>;
  exited: Promise<number | null>;
  stderr: () => string;
}

/** Starts `sshub import path` that stops just before its COMMIT until SIGUSR2. */
function importPausedAtCommit(path: string): PausedImport {
  const child = spawn(process.execPath, [SSHUB_BIN, "import", path], {
    env: {
      ...process.env,
      DATABASE_URL: db.url,
      SSHUB_TEST_PAUSE_AT: "commit",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  let stderr = "";
  const exited = new Promise<number | null>((resolve) =>
    child.on("exit", (code) => resolve(code)),
  );
  const paused = new Promise<void>((resolve, reject) => {
    child.stderr!.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes("sshub-test: paused at commit")) resolve();
    });
    child.on("exit", (code) =>
      reject(
        new Error(`sshub import ended (${code}) before COMMIT: ${stderr}`),
      ),
    );
  });
  paused.catch(() => undefined);
  return { child, paused, exited, stderr: () => stderr };
}

/** The database sessions holding an advisory lock of this first key, by mode. */
async function lockHolders(classid: number, objid?: number) {
  return db.orm.em
    .fork()
    .getConnection()
    .execute<{ pid: number; mode: string }[]>(
      `select pid, mode from pg_locks where locktype = 'advisory' and granted
         and database = (select oid from pg_database where datname = current_database())
         and classid = ? and (?::int is null or objid = ?::int) order by pid`,
      [classid, objid ?? null, objid ?? null],
    );
}

/** Every figure of a month as "service year amount", sorted. */
async function monthFigures(period: string): Promise<string[]> {
  const rows = await db.orm.em
    .fork()
    .getConnection()
    .execute<{ line: string }[]>(
      `select p.name || ' ' || s.name || ' ' || f.financial_year || ' ' || f.amount as line
       from savings_figure f join service s on s.id = f.service_id join partnership p on p.id = s.partnership_id
       where f.reporting_period = ? order by 1`,
      [period],
    );
  return rows.map((r) => r.line);
}

const DIRECTORY_LOCK = 0x4957;
const SOURCE_LOCK = 0x4959;
const SLOW = { timeout: 240_000 };

describe("sshub import processes at the same time", () => {
  beforeAll(async () => {
    // The partnerships and services exist: the imports below only write figures.
    await importWorkbook(
      db.orm,
      await tracker("setup-d.xlsx", "derbyshire", "May 2010", 1),
    );
    await importWorkbook(
      db.orm,
      await tracker("setup-c.xlsx", "cheshire", "May 2010", 1),
    );
  }, SLOW.timeout);

  it(
    "for different partnerships run at once: both hold their locks together before either commits",
    SLOW,
    async () => {
      const derbyshire = importPausedAtCommit(
        await tracker("june-d.xlsx", "derbyshire", "June 2010", 100),
      );
      const cheshire = importPausedAtCommit(
        await tracker("june-c.xlsx", "cheshire", "June 2010", 200),
      );
      // With one lock for every import, the second never gets here while the first waits.
      await Promise.race([
        Promise.all([derbyshire.paused, cheshire.paused]),
        new Promise((_, reject) =>
          setTimeout(
            () =>
              reject(
                new Error(
                  `only one import reached its COMMIT in 90 s: ${derbyshire.stderr()} / ${cheshire.stderr()}`,
                ),
              ),
            90_000,
          ),
        ),
      ]);
      const pids = new Set(
        (await lockHolders(DIRECTORY_LOCK, 0)).map((h) => h.pid),
      );
      expect(pids.size).toBe(2);
      const sources = await lockHolders(SOURCE_LOCK);
      expect(sources.map((h) => h.mode)).toEqual([
        "ExclusiveLock",
        "ExclusiveLock",
      ]);
      expect(new Set(sources.map((h) => h.pid))).toEqual(pids);
      derbyshire.child.kill("SIGUSR2");
      cheshire.child.kill("SIGUSR2");
      expect([await derbyshire.exited, await cheshire.exited]).toEqual([0, 0]);
      const june = await monthFigures("2010-06");
      expect(june).toHaveLength(1_000);
      expect(june.filter((l) => l.startsWith("Cheshire"))).toHaveLength(500);
    },
  );

  it(
    "for the same partnership and month run one after the other: the second waits for the first's commit, then replaces its figures",
    SLOW,
    async () => {
      const first = importPausedAtCommit(
        await tracker("july-a.xlsx", "derbyshire", "July 2010", 300),
      );
      await first.paused;
      const [firstPid] = (await lockHolders(SOURCE_LOCK)).map((h) => h.pid);
      const second = importPausedAtCommit(
        await tracker("july-b.xlsx", "derbyshire", "July 2010", 400),
      );
      // The second has begun its transaction (it shares the directory lock) while the first holds
      // the partnership and month's lock, and so is waiting for it.
      for (;;) {
        const holders = await lockHolders(DIRECTORY_LOCK, 0);
        if (new Set(holders.map((h) => h.pid)).size === 2) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect((await lockHolders(SOURCE_LOCK)).map((h) => h.pid)).toEqual([
        firstPid,
      ]);
      expect(second.stderr()).not.toContain("paused at commit");
      first.child.kill("SIGUSR2");
      expect(await first.exited).toBe(0);
      await second.paused;
      second.child.kill("SIGUSR2");
      expect(await second.exited).toBe(0);
      const july = await monthFigures("2010-07");
      expect(july).toHaveLength(500);
      // The monthly rule: the later tracker is the month's figures.
      expect(july.every((l) => Number(l.split(" ").at(-1)) >= 400)).toBe(true);
    },
  );
});
