import type { MikroORM } from "@mikro-orm/postgresql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openOrm } from "../../db/open-orm.js";
import { importWorkbook } from "../../importers/import-workbook.js";
import { SavingsFigure } from "../../schema/savings-figure.js";
import { Service } from "../../schema/service.js";
import {
  createTestDatabase,
  type TestDatabase,
} from "../support/test-database.js";
import { longTracker } from "./support/tracker-workbooks.js";
import {
  workbookDir,
  writeTestWorkbook,
} from "./support/write-test-workbook.js";

// Two ORM instances on one database: two hubs (or a hub and `sshub import`) importing at once.
let db: TestDatabase;
let other: MikroORM;
let dir: string;
beforeAll(async () => {
  db = await createTestDatabase();
  other = await openOrm(db.url);
  dir = workbookDir();
});
afterAll(async () => {
  await other.close();
  await db.drop();
});

/** A tracker of `n` figures for the Derbyshire partnership, June 2008, services named `prefix i`. */
function tracker(file: string, prefix: string, n: number) {
  return writeTestWorkbook(
    dir,
    longTracker(
      file,
      "June 2008",
      Array.from({ length: n }, (_, i) => [
        null,
        `${prefix} ${i % 50}`,
        `${2000 + Math.floor(i / 200)}/${String((2001 + Math.floor(i / 200)) % 100).padStart(2, "0")}`,
        MEASURES[Math.floor(i / 50) % 4]!,
        1000 + i,
      ]),
    ),
  );
}

const MEASURES = ["Target", "Estimate", "Forecast", "Achieved"];
const figures = () => db.orm.em.fork().count(SavingsFigure, {});

describe("imports at the same time", () => {
  it("of two trackers for the same partnership, source and month leave one tracker's figures, as one after the other does", async () => {
    const first = await tracker("same-month-a.xlsx", "Alpha", 1_500);
    const second = await tracker("same-month-b.xlsx", "Beta", 1_500);
    const [a, b] = await Promise.all([
      importWorkbook(db.orm, first),
      importWorkbook(other, second),
    ]);
    expect([a.status, b.status]).toEqual(["IMPORTED", "IMPORTED"]);
    // The monthly rule: the later import's tracker is the month's figures of that source.
    expect(await figures()).toBe(1_500);
    // Run ids are given out before the lock, so the later import is the one that removed the other's.
    const [later, earlier] = a.sheets[0]!.removed > 0 ? [a, b] : [b, a];
    expect([later.sheets[0]!.removed, earlier.sheets[0]!.removed]).toEqual([
      1_500, 0,
    ]);
    expect(
      await db.orm.em
        .fork()
        .count(SavingsFigure, { importRun: later.importRunId }),
    ).toBe(1_500);
  });

  it("of one new file twice import it once; the other changes nothing and is no error", async () => {
    const path = await tracker("twice.xlsx", "Twice", 1_000);
    const reports = await Promise.all([
      importWorkbook(db.orm, path),
      importWorkbook(other, path),
    ]);
    expect(reports.map((r) => [r.status, r.errorCount])).toEqual([
      ["IMPORTED", 0],
      ["IMPORTED", 0],
    ]);
    const created = reports.map((r) => r.sheets[0]!.created).sort();
    expect(created[0]).toBe(0);
    expect(reports.some((r) => r.sheets[0]!.unchanged === 1_000)).toBe(true);
    expect(
      await db.orm.em.fork().count(Service, { name: { $like: "Twice %" } }),
    ).toBe(50);
    expect(await figures()).toBe(1_000);
  });
});
