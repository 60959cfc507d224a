import { describe, expect, it } from "vitest";
import { importWorkbook } from "../../importers/import-workbook.js";
import { ImportRun } from "../../schema/import-run.js";
import { Partnership } from "../../schema/partnership.js";
import { SavingsFigure } from "../../schema/savings-figure.js";
import { Service } from "../../schema/service.js";
import { useTestDatabase } from "../support/test-database.js";
import { figures, longTracker } from "./support/tracker-workbooks.js";
import {
  workbookDir,
  writeTestWorkbook,
} from "./support/write-test-workbook.js";

const db = useTestDatabase();
const dir = workbookDir();

async function savings(period?: string) {
  const rows = await db.orm.em
    .fork()
    .getConnection()
    .execute<
      {
        service: string;
        council: string | null;
        measure: string;
        amount: string;
        reporting_period: string;
        source_cell: string;
      }[]
    >(
      `select s.name as service, c.gss_code as council, f.measure, f.amount, f.reporting_period, f.source_cell
     from savings_figure f join service s on s.id = f.service_id left join council c on c.id = f.council_id
     ${period ? `where f.reporting_period = '${period}'` : ""} order by f.reporting_period, s.name, f.measure`,
    );
  return rows;
}

describe("one file is one transaction", () => {
  it("writes nothing when row 900 has an error, and records the refusal", async () => {
    const rows = figures(1000);
    rows[897] = [
      null,
      "Workstream 898",
      "2007/08",
      "Achieved",
      "about thirty thousand",
    ];
    const path = await writeTestWorkbook(
      dir,
      longTracker("row-900.xlsx", "June 2008", rows),
    );
    const report = await importWorkbook(db.orm, path);
    expect(report.status).toBe("REFUSED");
    expect(report.problems).toMatchObject([
      {
        code: "bad-amount",
        sheet: "Tracker",
        cell: "E903",
        header: "Amount (£)",
        value: "about thirty thousand",
        row: 903,
      },
    ]);
    const em = db.orm.em.fork();
    expect(await em.count(SavingsFigure, {})).toBe(0);
    expect(await em.count(Service, {})).toBe(0);
    expect(await em.count(Partnership, {})).toBe(0);
    const run = await em.findOneOrFail(ImportRun, report.importRunId);
    expect(run.status).toBe("REFUSED");
    expect(run.problems).toHaveLength(1);
  });

  it("with --skip-invalid-rows writes the valid rows and records the skipped ones", async () => {
    const rows = figures(5);
    rows[2] = [null, "Workstream 3", "2007/13", "Achieved", 10];
    const path = await writeTestWorkbook(
      dir,
      longTracker("skip.xlsx", "June 2008", rows),
    );
    const report = await importWorkbook(db.orm, path, {
      skipInvalidRows: true,
    });
    expect(report.status).toBe("IMPORTED_WITH_SKIPPED_ROWS");
    expect(report.skippedRows).toBe(1);
    expect(report.problems).toMatchObject([
      { code: "bad-financial-year", cell: "C8" },
    ]);
    expect((await savings("2008-06")).map((f) => f.service)).toEqual([
      "Workstream 1",
      "Workstream 2",
      "Workstream 4",
      "Workstream 5",
    ]);
  });

  it("writes a large tracker in a handful of statements, not one per row", async () => {
    const path = await writeTestWorkbook(
      dir,
      longTracker("bulk.xlsx", "July 2008", figures(2000)),
    );
    db.resetQueryLog();
    const report = await importWorkbook(db.orm, path);
    expect(report.status).toBe("IMPORTED");
    const figureStatements = db.queries.filter((q) =>
      /savings_figure|import_savings/.test(q),
    );
    expect(figureStatements.length).toBeLessThan(15);
    expect(db.queries.length).toBeLessThan(60);
  });
});

describe("deciding a sheet's councils", () => {
  it("reads a short form that a later row makes ambiguous in one pass over the file, not two", async () => {
    // "CBC" is Chesterfield among the title's partners until Cheltenham Borough Council appears:
    // the figure is not written while streaming (a later row could change it), so the file is
    // never read again to undo it.
    const path = await writeTestWorkbook(
      dir,
      longTracker("cbc-later.xlsx", "August 2008", [
        ["CBC", "Internal Audit", "2008/09", "Target", 100],
        ["BDC", "Internal Audit", "2008/09", "Target", 200],
        [
          "Cheltenham Borough Council",
          "Internal Audit",
          "2008/09",
          "Target",
          300,
        ],
      ]),
    );
    db.resetQueryLog();
    const report = await importWorkbook(db.orm, path, {
      dryRun: true,
      skipInvalidRows: true,
    });
    expect(report.status).toBe("DRY_RUN");
    expect(report.problems).toMatchObject([
      { code: "ambiguous-council", cell: "A6", value: "CBC" },
    ]);
    expect(
      db.queries.filter((q) =>
        q.includes("create temporary table import_savings"),
      ),
    ).toHaveLength(1);
  });
});

describe("the monthly rule", () => {
  const v1 = [
    [null, "Internal Audit", "2007/08", "Achieved", 30000],
    [null, "Procurement", "2007/08", "Achieved", "£340,000"],
    [null, "Building Control", "2007/08", "Achieved", 60000],
  ];

  it("dry run reports what would be created and writes nothing", async () => {
    const path = await writeTestWorkbook(
      dir,
      longTracker("monthly-v1.xlsx", "May 2009", v1),
    );
    const report = await importWorkbook(db.orm, path, { dryRun: true });
    expect(report.status).toBe("DRY_RUN");
    expect(report.sheets[0]).toMatchObject({
      created: 3 + 3,
      updated: 0,
      unchanged: 0,
    });
    expect(await savings("2009-05")).toEqual([]);
    const run = await db.orm.em
      .fork()
      .findOneOrFail(ImportRun, report.importRunId);
    expect(run.status).toBe("DRY_RUN");
  });

  it("imports, then the identical file again changes nothing", async () => {
    const path = await writeTestWorkbook(
      dir,
      longTracker("monthly-v1.xlsx", "May 2009", v1),
    );
    const first = await importWorkbook(db.orm, path);
    expect(first.status).toBe("IMPORTED");
    const before = await db.orm.em
      .fork()
      .find(
        SavingsFigure,
        { reportingPeriod: "2009-05" },
        { orderBy: { id: "asc" } },
      );
    expect(before).toHaveLength(3);
    const again = await importWorkbook(db.orm, path);
    expect(again.sameFileAs).toBe(first.importRunId);
    expect(again.sheets[0]).toMatchObject({
      created: 0,
      updated: 0,
      unchanged: 3,
      removed: 0,
    });
    const after = await db.orm.em
      .fork()
      .find(
        SavingsFigure,
        { reportingPeriod: "2009-05" },
        { orderBy: { id: "asc" } },
      );
    expect(after.map((f) => [f.id, f.amount, f.importRun?.id])).toEqual(
      before.map((f) => [f.id, f.amount, f.importRun?.id]),
    );
  });

  it("a dry run of a correction reports changed and unchanged figures", async () => {
    const corrected = [
      v1[0]!,
      [null, "Procurement", "2007/08", "Achieved", "£357,000"],
    ];
    const path = await writeTestWorkbook(
      dir,
      longTracker("monthly-v2.xlsx", "May 2009", corrected),
    );
    const report = await importWorkbook(db.orm, path, { dryRun: true });
    expect(report.sheets[0]).toMatchObject({
      created: 0,
      updated: 1,
      unchanged: 1,
      removed: 1,
    });
    expect((await savings("2009-05")).map((f) => f.amount)).toEqual([
      "60000.00",
      "30000.00",
      "340000.00",
    ]);
  });

  it("a corrected file for the same period replaces that period's figures, removed rows included", async () => {
    const corrected = [
      v1[0]!,
      [null, "Procurement", "2007/08", "Achieved", "£357,000"],
    ];
    const path = await writeTestWorkbook(
      dir,
      longTracker("monthly-v2.xlsx", "May 2009", corrected),
    );
    const report = await importWorkbook(db.orm, path);
    expect(report.sheets[0]).toMatchObject({
      created: 0,
      updated: 1,
      unchanged: 1,
      removed: 1,
    });
    expect(
      (await savings("2009-05")).map((f) => [f.service, f.amount]),
    ).toEqual([
      ["Internal Audit", "30000.00"],
      ["Procurement", "357000.00"],
    ]);
  });

  it("a partner's own claim is another source: the host's correction leaves it alone", async () => {
    const claim = longTracker("bolsover-claim.xlsx", "May 2009", [
      ["Bolsover DC", "Procurement", "2007/08", "Achieved", "£150,000"],
    ]);
    await importWorkbook(db.orm, await writeTestWorkbook(dir, claim));
    const host = longTracker("monthly-v3.xlsx", "May 2009", [v1[0]!]);
    const report = await importWorkbook(
      db.orm,
      await writeTestWorkbook(dir, host),
    );
    expect(report.sheets[0]).toMatchObject({ removed: 1, unchanged: 1 });
    expect(
      (await savings("2009-05")).map((f) => [f.service, f.council, f.amount]),
    ).toEqual([
      ["Internal Audit", null, "30000.00"],
      ["Procurement", "E07000033", "150000.00"],
    ]);
  });

  it("the next month's file adds a new period and keeps the history", async () => {
    const june = longTracker("monthly-june.xlsx", null, [
      [null, "Internal Audit", "2007/08", "Achieved", 31000],
    ]);
    const report = await importWorkbook(
      db.orm,
      await writeTestWorkbook(dir, june),
      { period: "2009-06" },
    );
    expect(report.reportingPeriod).toBe("2009-06");
    expect(report.sheets[0]).toMatchObject({ created: 1, removed: 0 });
    const all = await savings();
    expect(
      all
        .filter((f) => f.service === "Internal Audit" && f.council === null)
        .map((f) => [f.reporting_period, f.amount]),
    ).toEqual([
      ["2009-05", "30000.00"],
      ["2009-06", "31000.00"],
    ]);
  });
});
