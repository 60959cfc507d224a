import { describe, expect, it } from "vitest";
import { importWorkbook } from "../../importers/import-workbook.js";
import type { ProblemCode } from "../../importers/import-problem.js";
import { SavingsFigure } from "../../schema/savings-figure.js";
import { useTestDatabase } from "../support/test-database.js";
import { figures, longTracker } from "./support/tracker-workbooks.js";
import {
  workbookDir,
  writeTestWorkbook,
} from "./support/write-test-workbook.js";

const db = useTestDatabase();
const dir = workbookDir();

const codes = (report: { problems: { code: ProblemCode }[] }) =>
  report.problems.map((p) => p.code);

describe("problems name the file, sheet, cell, header and value, with a stable code", () => {
  it("reports every problem a service list's rows can have", async () => {
    const path = await writeTestWorkbook(dir, {
      file: "service-problems.xlsx",
      sheets: [
        {
          name: "Services",
          title: [["Partnership:", "Problem Partnership"]],
          header: [
            "Service",
            "Host authority",
            "Go live",
            "Estimated annual saving",
            "Officer",
          ],
          rows: [
            [
              "Shared Back Office",
              "Gotham City Council",
              "when ready",
              "lots",
              "J Smith",
            ],
            ["Shared Back Ofice", "CBC", null, null, null],
            [null, "Bolsover", "April 2007", null, null],
          ],
        },
      ],
    });
    const report = await importWorkbook(db.orm, path);
    expect(report.status).toBe("REFUSED");
    const byCode = Object.fromEntries(report.problems.map((p) => [p.code, p]));
    expect(byCode["unknown-column"]).toMatchObject({
      severity: "warning",
      sheet: "Services",
      cell: "E2",
      header: "Officer",
    });
    expect(byCode["bad-date"]).toMatchObject({
      cell: "C3",
      header: "Go live",
      value: "when ready",
      file: "service-problems.xlsx",
    });
    expect(byCode["bad-amount"]).toMatchObject({
      cell: "D3",
      header: "Estimated annual saving",
      value: "lots",
    });
    expect(byCode["missing-value"]).toMatchObject({
      cell: "A5",
      header: "Service",
    });
    expect(byCode["unknown-council"]).toMatchObject({
      cell: "B3",
      header: "Host authority",
      value: "Gotham City Council",
    });
    expect(byCode["ambiguous-council"]).toMatchObject({
      cell: "B4",
      value: "CBC",
    });
    expect(byCode["ambiguous-council"]!.message).toMatch(
      /could be .*Chesterfield Borough Council/,
    );
    for (const problem of report.problems)
      expect(problem.message.length).toBeGreaterThan(30);
  });

  it("reports every problem a savings tracker's rows can have", async () => {
    const path = await writeTestWorkbook(
      dir,
      longTracker("savings-problems.xlsx", "June 2008", [
        [null, "Internal Audit", "2007/09", "Achieved", 100],
        [null, "Internal Audit", null, "Achieved", 100],
        [null, "Internal Audit", "2007/08", "Maybe", 100],
        ["Gotham", "Internal Audit", "2007/08", "Achieved", 100],
        [null, "Procurement", "2007/08", "Achieved", 100],
        [null, "Procurement", "2007/08", "Achieved", 200],
      ]),
    );
    const report = await importWorkbook(db.orm, path);
    expect(report.status).toBe("REFUSED");
    expect(codes(report).sort()).toEqual(
      [
        "bad-financial-year",
        "missing-value",
        "bad-value",
        "unknown-council",
        "duplicate-row",
      ].sort(),
    );
    expect(
      report.problems.find((p) => p.code === "duplicate-row"),
    ).toMatchObject({ cell: "E11" });
    expect(
      report.problems.find((p) => p.code === "duplicate-row")!.message,
    ).toMatch(/repeats the one in Tracker!E10/);
    expect(await db.orm.em.fork().count(SavingsFigure, {})).toBe(0);
  });

  it("reports an unknown council on a row whose amount is also wrong, in the same import", async () => {
    const path = await writeTestWorkbook(
      dir,
      longTracker("two-problems-one-row.xlsx", "June 2008", [
        ["Gotham", "Internal Audit", "2007/08", "Achieved", "lots"],
        [null, "Procurement", "2007/08", "Achieved", 200],
      ]),
    );
    const report = await importWorkbook(db.orm, path, {
      skipInvalidRows: true,
    });
    expect(report.status).toBe("IMPORTED_WITH_SKIPPED_ROWS");
    expect(report.problems).toMatchObject([
      { code: "bad-amount", cell: "E6" },
      { code: "unknown-council", cell: "A6", value: "Gotham" },
    ]);
    expect(report.skippedRows).toBe(1);
  });

  it("needs a reporting period for savings", async () => {
    const noPeriod = await importWorkbook(
      db.orm,
      await writeTestWorkbook(
        dir,
        longTracker("no-period.xlsx", null, figures(1)),
      ),
    );
    expect(noPeriod.problems).toMatchObject([
      { code: "bad-period", message: expect.stringMatching(/--period/) },
    ]);
    const badPeriod = await importWorkbook(
      db.orm,
      await writeTestWorkbook(
        dir,
        longTracker("bad-period.xlsx", "Q2", figures(1)),
      ),
    );
    expect(badPeriod.problems).toMatchObject([
      { code: "bad-period", value: "Q2", cell: "B2" },
    ]);
  });

  it("says when a sheet's partnership or a figure's service cannot be found", async () => {
    const services = await writeTestWorkbook(dir, {
      file: "no-partnership.xlsx",
      sheets: [
        {
          name: "List",
          title: [],
          header: ["Service", "Partner councils"],
          rows: [["Payroll", "Adur; Worthing"]],
        },
      ],
    });
    expect(codes(await importWorkbook(db.orm, services))).toEqual([
      "unknown-partnership",
    ]);
    const tracker = await writeTestWorkbook(dir, {
      file: "no-service.xlsx",
      sheets: [
        {
          name: "Claim",
          title: [["Period: June 2008"]],
          header: ["Council", "Service", "Financial year", "Measure", "Amount"],
          rows: [
            ["Bolsover District Council", "Payroll", "2007/08", "Achieved", 10],
          ],
        },
      ],
    });
    expect(codes(await importWorkbook(db.orm, tracker))).toEqual([
      "unknown-service",
    ]);
  });

  it("skips hidden and unknown sheets and says so; refuses a workbook with nothing to read", async () => {
    const path = await writeTestWorkbook(dir, {
      file: "sheets.xlsx",
      sheets: [
        {
          name: "Cover",
          title: [],
          header: ["Prepared by", "Phone"],
          rows: [["J Smith", "01234"]],
        },
        {
          name: "Old",
          hidden: true,
          title: [],
          header: ["Service", "Host"],
          rows: [["Payroll", "Adur"]],
        },
      ],
    });
    const report = await importWorkbook(db.orm, path);
    expect(report.status).toBe("REFUSED");
    expect(report.sheets.map((s) => [s.sheet, s.status])).toEqual([
      ["Cover", "unknown"],
      ["Old", "hidden"],
    ]);
    expect(codes(report)).toEqual([
      "unknown-sheet",
      "hidden-sheet",
      "no-readable-sheet",
    ]);
    // A sheet skipped is a warning wherever it is reported; a file with none read is the error.
    expect(report.problems.map((p) => [p.code, p.severity])).toEqual([
      ["unknown-sheet", "warning"],
      ["hidden-sheet", "warning"],
      ["no-readable-sheet", "error"],
    ]);
  });

  it("refuses sheets with more rows or columns than the limits", async () => {
    const path = await writeTestWorkbook(
      dir,
      longTracker("rows.xlsx", "June 2008", figures(50)),
    );
    const rows = await importWorkbook(db.orm, path, {
      limits: { maxRows: 30 },
    });
    expect(rows).toMatchObject({
      status: "REFUSED",
      problems: [
        {
          code: "too-large",
          message: expect.stringMatching(/more than 30 rows/),
        },
      ],
    });
    const wide = await writeTestWorkbook(dir, {
      file: "wide.xlsx",
      sheets: [
        {
          name: "Wide",
          title: [],
          header: [
            "Service",
            "Status",
            ...Array.from({ length: 600 }, (_, i) => `Column ${i}`),
          ],
          rows: [["Payroll", "Live"]],
        },
      ],
    });
    const columns = await importWorkbook(db.orm, wide);
    expect(columns).toMatchObject({
      status: "REFUSED",
      problems: [
        { code: "too-large", message: expect.stringMatching(/602 columns/) },
      ],
    });
  });

  it("refuses an unreadable file with one problem and records the run", async () => {
    const report = await importWorkbook(db.orm, `${dir}/missing.xlsx`);
    expect(report).toMatchObject({
      status: "REFUSED",
      sha256: null,
      problems: [{ code: "unreadable-file" }],
    });
    expect(report.importRunId).toBeGreaterThan(0);
  });
});
