import type { MikroORM } from "@mikro-orm/postgresql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openOrm } from "../../db/open-orm.js";
import { importWorkbook } from "../../importers/import-workbook.js";
import { SavingsFigure } from "../../schema/savings-figure.js";
import { Service } from "../../schema/service.js";
import { useTestDatabase } from "../support/test-database.js";
import { longTracker } from "./support/tracker-workbooks.js";
import {
  workbookDir,
  writeTestWorkbook,
} from "./support/write-test-workbook.js";

// Two ORM instances on one database: two hubs (or a hub and `sshub import`) importing at once.
const db = useTestDatabase();
let other: MikroORM;
const dir = workbookDir();
beforeAll(async () => {
  other = await openOrm(db.url);
});
afterAll(async () => {
  await other.close();
});

/** A tracker of `n` figures for the Derbyshire partnership (June 2008 unless given), services named `prefix i`. */
function tracker(
  file: string,
  prefix: string,
  n: number,
  period = "June 2008",
  amount = 1000,
) {
  return writeTestWorkbook(
    dir,
    longTracker(
      file,
      period,
      Array.from({ length: n }, (_, i) => [
        null,
        `${prefix} ${i % 50}`,
        `${2000 + Math.floor(i / 200)}/${String((2001 + Math.floor(i / 200)) % 100).padStart(2, "0")}`,
        MEASURES[Math.floor(i / 50) % 4]!,
        amount + i,
      ]),
    ),
  );
}

/** The month's figures as (service, year, measure, amount) lines, sorted: what a tracker left. */
async function monthFigures(period: string): Promise<string[]> {
  const rows = await db.orm.em
    .fork()
    .getConnection()
    .execute<{ line: string }[]>(
      `select s.name || ' ' || f.financial_year || ' ' || f.measure || ' ' || f.amount as line
       from savings_figure f join service s on s.id = f.service_id
       where f.reporting_period = ? order by 1`,
      [period],
    );
  return rows.map((r) => r.line);
}

/** Imports the trackers one after the other into a scratch copy of the month and returns what it left. */
async function serially(period: string, paths: string[]): Promise<string[]> {
  for (const path of paths) await importWorkbook(db.orm, path);
  const left = await monthFigures(period);
  await db.orm.em
    .fork()
    .getConnection()
    .execute("delete from savings_figure where reporting_period = ?", [period]);
  return left;
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

  // The trackers above created their services; from here on the imports only write figures, so
  // they share the directory lock and serialise on the partnership-and-month lock alone.
  it("of two trackers for the same partnership and month whose services exist leave what one after the other leaves, in either order, every time", async () => {
    for (let round = 0; round < 4; round++) {
      const month = `${["July", "August", "September", "October"][round]} 2008`;
      const period = `2008-${String(7 + round).padStart(2, "0")}`;
      const alpha = await tracker(
        `round-${round}-a.xlsx`,
        "Alpha",
        1_000,
        month,
        10 * round,
      );
      const beta = await tracker(
        `round-${round}-b.xlsx`,
        "Beta",
        1_200,
        month,
        20 * round,
      );
      const alphaLast = await serially(period, [beta, alpha]);
      const betaLastLeaves = await serially(period, [alpha, beta]);
      expect(alphaLast).toHaveLength(1_000);
      expect(betaLastLeaves).toHaveLength(1_200);
      // A month with no figures yet (the plain-INSERT path) the first time, a month with some after.
      if (round % 2 === 1) await importWorkbook(db.orm, alpha);
      const [a, b] = await Promise.all([
        importWorkbook(db.orm, alpha),
        importWorkbook(other, beta),
      ]);
      expect([a.status, b.status]).toEqual(["IMPORTED", "IMPORTED"]);
      expect(a.created.length + b.created.length).toBe(0);
      const left = await monthFigures(period);
      expect([alphaLast, betaLastLeaves]).toContainEqual(left);
      // Alpha first: Beta removes Alpha's figures (the month's old ones, or the pre-imported ones).
      // Beta first: Alpha removes Beta's; Beta removed the pre-imported ones, if any.
      const betaLast = left.length === 1_200;
      expect([a.sheets[0]!.removed, b.sheets[0]!.removed]).toEqual(
        betaLast ? [0, 1_000] : [1_200, round % 2 === 1 ? 1_000 : 0],
      );
    }
  });

  it("of one file twice whose services exist import it once; the other changes nothing and names the first", async () => {
    for (let round = 0; round < 3; round++) {
      const month = `${["January", "February", "March"][round]} 2009`;
      const path = await tracker(`twice-${round}.xlsx`, "Twice", 1_000, month);
      const reports = await Promise.all([
        importWorkbook(db.orm, path),
        importWorkbook(other, path),
      ]);
      const [first, second] =
        reports[0]!.sheets[0]!.created > 0
          ? reports
          : [reports[1]!, reports[0]!];
      expect(first.sheets[0]).toMatchObject({ created: 1_000, unchanged: 0 });
      expect(second.sheets[0]).toMatchObject({
        created: 0,
        updated: 0,
        removed: 0,
        unchanged: 1_000,
      });
      expect(second.sameFileAs).toBe(first.importRunId);
      expect(await monthFigures(`2009-0${round + 1}`)).toHaveLength(1_000);
    }
  });
});
