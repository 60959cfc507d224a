import { describe, expect, it } from "vitest";
import type { SampleWorkbook } from "../../fixtures/generate-samples.js";
import { importWorkbook } from "../../importers/import-workbook.js";
import { useTestDatabase } from "../support/test-database.js";
import {
  workbookDir,
  writeTestWorkbook,
} from "./support/write-test-workbook.js";
import { inEveryFormat } from "./support/import-in-every-format.js";

const db = useTestDatabase();
const dir = workbookDir();

type Line = (string | number | null)[];

function tracker(header: string[], rows: Line[]): SampleWorkbook {
  return {
    file: "totals.xlsx",
    sheets: [
      {
        name: "Tracker",
        title: [
          ["Savings tracker"],
          ["Period:", "June 2011"],
          ["Partnership:", "Bromsgrove and Redditch Shared Services"],
        ],
        header,
        rows,
      },
    ],
  };
}

/** The services of the partnership's stored figures. */
async function storedServices(): Promise<string[]> {
  const rows = await db.orm.em
    .fork()
    .getConnection()
    .execute<{ name: string }[]>(
      `select distinct s.name from savings_figure f join service s on s.id = f.service_id
       join partnership p on p.id = s.partnership_id where p.name = ? order by s.name`,
      ["Bromsgrove and Redditch Shared Services"],
    );
  return rows.map((r) => r.name);
}

describe("total and subtotal rows in a tracker", () => {
  it("checks subtotals and the grand total against the rows above, warns of the one that disagrees naming both cells, and imports no total as a service", async () => {
    for (const { bump, format, importSample } of inEveryFormat(db, dir)) {
      const report = await importSample(
        tracker(
          ["Council", "Service", "Financial year", "Measure", "Saving (£)"],
          [
            [
              "Bromsgrove",
              "Single management team",
              "2010/11",
              "Target",
              100 + bump,
            ],
            ["Bromsgrove", "CCTV, Lifeline and ICT", "2010/11", "Target", 200],
            [null, "Total Bromsgrove", null, null, 300 + bump],
            ["Redditch", "Single management team", "2010/11", "Target", 400],
            ["Redditch", "CCTV, Lifeline and ICT", "2010/11", "Target", 500],
            [null, "Total Redditch", null, null, 901],
            [null, "Grand total", null, null, 1200 + bump],
          ],
        ),
      );
      expect(report.status, format).toBe("IMPORTED");
      const mismatches = report.problems.filter(
        (p) => p.code === "total-mismatch",
      );
      expect(mismatches, format).toEqual([
        expect.objectContaining({
          severity: "warning",
          cell: "E10",
          row: 10,
          value: "£901.00",
        }),
      ]);
      expect(mismatches[0]!.message).toContain("E8:E9");
      expect(mismatches[0]!.message).toContain("£900.00");
      expect(await storedServices(), format).toEqual([
        "CCTV, Lifeline and ICT",
        "Single management team",
      ]);
    }
  });

  it("names a wrong total under services merged down over their rows at its own cell, in every format", async () => {
    // The file as its layout says (corpus variant 852 as session 4's families drew it): each name
    // merged over its two rows, the rows right under the header, the total under them at E9.
    for (const { bump, format, importSample } of inEveryFormat(db, dir)) {
      const sample = tracker(
        ["Council", "Service", "Financial year", "Measure", "Saving (£)"],
        [
          ["Bromsgrove", "Single management team", "2010/11", "Target", 100],
          ["Bromsgrove", null, "2011/12", "Target", 200 + bump],
          ["Redditch", "CCTV, Lifeline and ICT", "2010/11", "Target", 300],
          ["Redditch", null, "2011/12", "Target", 400],
          ["Total", null, null, null, 1001 + bump],
        ],
      );
      sample.sheets[0]!.headerMergeRanges = [
        { top: 1, bottom: 2, left: 1, right: 1 },
        { top: 3, bottom: 4, left: 1, right: 1 },
      ];
      const report = await importSample(sample);
      expect(report.status, format).toBe("IMPORTED");
      expect(
        report.problems.map((p) => [p.code, p.cell, p.message]),
        format,
      ).toEqual([
        [
          "total-mismatch",
          "E9",
          `"Total" in E9 says £${1001 + bump}.00, but E5:E8 above it add up to £${1000 + bump}.00: correct the total or the rows it adds up. (Totals are checked, never imported.)`,
        ],
      ]);
    }
  });

  it("checks a wide tracker's total column by column, and a SUM formula's cached result", async () => {
    const path = await writeTestWorkbook(
      dir,
      tracker(
        ["Service", "2010/11 Target", "2011/12 Target"],
        [
          ["Regulatory Services", 150000, 160000],
          ["Single management team", 246000, 250000],
          ["TOTAL", null, 410001],
        ],
      ),
      (workbook) => {
        const sheet = workbook.worksheets[0]!;
        sheet.getCell("B7").value = { formula: "SUM(B5:B6)", result: 396000 };
        sheet.getCell("C7").value = { formula: "SUM(C5:C6)", result: 410001 };
      },
    );
    const report = await importWorkbook(db.orm, path, { runBy: "test" });
    expect(report.status).toBe("IMPORTED");
    expect(report.problems.filter((p) => p.code === "total-mismatch")).toEqual([
      expect.objectContaining({ cell: "C7", header: "2011/12 Target" }),
    ]);
    expect(
      report.problems.find((p) => p.code === "total-mismatch")!.message,
    ).toContain("C5:C6 above it add up to £410000.00");
  });
});

describe("total and subtotal rows in service and funding lists", () => {
  it("checks a service list's estimated savings totals and a funding list's award total, warns of the ones that disagree, and imports no total as a service or an award", async () => {
    for (const { bump, format, importSample } of inEveryFormat(db, dir)) {
      const partnership = `Totals partnership ${format}`;
      const report = await importSample({
        file: "lists.xlsx",
        sheets: [
          {
            name: "Services",
            title: [["Shared services"], ["Partnership:", partnership]],
            header: ["Service", "Host authority", "Est. cashable savings p.a."],
            rows: [
              ["Internal Audit", "Chesterfield", 40000],
              ["Procurement", "Bolsover", 60000],
              ["Sub-total", null, 100000],
              ["Legal Services", "Chesterfield", 25000],
              ["Grand total", null, 125000 + bump],
            ],
          },
          {
            name: "Funding",
            title: [["External funding"], ["Partnership:", partnership]],
            header: ["Funder", "Amount awarded", "Purpose"],
            rows: [
              ["RCE", "£100,000", "Business case"],
              ["Improvement East", "£50,000", "Project manager"],
              ["Total funding", "£150,000", null],
              ["Grand total", 150001, null],
            ],
          },
        ],
      });
      expect(report.status, format).toBe("IMPORTED");
      const mismatches = report.problems
        .filter((p) => p.code === "total-mismatch")
        .map((p) => ({ sheet: p.sheet, cell: p.cell, message: p.message }));
      // A CSV holds one sheet (the service list), named after the file.
      const services = mismatches.filter((m) => m.sheet !== "Funding");
      if (bump === 0) expect(services, format).toEqual([]);
      else
        expect(services, format).toEqual([
          expect.objectContaining({
            cell: "C8",
            message: expect.stringContaining(
              `"Grand total" in C8 says £${125000 + bump}.00, but C4:C7 above it add up to £125000.00`,
            ),
          }),
        ]);
      const connection = db.orm.em.fork().getConnection();
      const stored = await connection.execute<{ name: string }[]>(
        `select s.name from service s join partnership p on p.id = s.partnership_id
         where p.name = ? order by s.name`,
        [partnership],
      );
      expect(
        stored.map((s) => s.name),
        format,
      ).toEqual(["Internal Audit", "Legal Services", "Procurement"]);
      if (format === "csv") continue;
      expect(
        mismatches.filter((m) => m.sheet === "Funding"),
        format,
      ).toEqual([
        expect.objectContaining({
          cell: "B7",
          message: expect.stringContaining(
            '"Grand total" in B7 says £150001.00, but B4:B6 above it add up to £150000.00',
          ),
        }),
      ]);
      const awards = await connection.execute<{ funder: string }[]>(
        `select a.funder from funding_award a join partnership p on p.id = a.partnership_id
         where p.name = ? order by a.funder`,
        [partnership],
      );
      expect(
        awards.map((a) => a.funder),
        format,
      ).toEqual(["Improvement East", "RCE"]);
    }
  });
});

describe("a total or year to date that holds no amount", () => {
  /** One sheet of the partnership's forecasts under `header` (and `subHeader`, merged), in every format. */
  const sheet = (
    header: string[],
    rows: Line[],
    subHeader?: string[],
  ): SampleWorkbook => ({
    file: "unchecked.xlsx",
    sheets: [
      {
        name: "Tracker",
        title: [
          ["Forecast savings"],
          ["Period:", "June 2011"],
          ["Partnership:", "Bromsgrove and Redditch Shared Services"],
        ],
        header,
        ...(subHeader ? { subHeader, mergeHeader: true } : {}),
        rows,
      },
    ],
  });
  /** Each warning of an import: code, cell and message. */
  const lines = (report: Awaited<ReturnType<typeof importWorkbook>>) =>
    report.problems.map((p) => [p.code, p.severity, p.cell, p.message]);

  it("warns at a total row's, a Total column's, a quarters' total's and a year to date's cell that it was not checked, saying what it holds, in every format", async () => {
    for (const { bump, format, importSample } of inEveryFormat(db, dir)) {
      const sheetName = (file: string) =>
        format === "csv" ? file.replace(/\.csv$/, "") : "Tracker";
      const totalRows = await importSample(
        sheet(
          ["Service", "Financial year", "Saving (£)"],
          [
            ["Single management team", "2010/11", 100 + bump],
            ["CCTV, Lifeline and ICT", "2010/11", 200],
            ["Total Bromsgrove", null, "#REF!"],
            ["Regulatory Services", "2010/11", 300],
            ["Sub-total", null, "tbc"],
            ["Grand total", null, "see note 3"],
          ],
        ),
      );
      const t = sheetName("unchecked.csv");
      expect(totalRows.status, format).toBe("IMPORTED");
      expect(lines(totalRows), format).toEqual([
        [
          "total-not-checked",
          "warning",
          "C7",
          `"Total Bromsgrove" in ${t}!C7 holds "#REF!", not an amount (its formula gives the error #REF!: correct the formula or the cells it uses): it was not checked against the rows above it. To have it checked, write its amount there. (Totals are checked, never imported.)`,
        ],
        [
          "total-not-checked",
          "warning",
          "C9",
          `"Sub-total" in ${t}!C9 says "tbc", no figure yet: it was not checked against the rows above it. To have it checked, write its amount there. (Totals are checked, never imported.)`,
        ],
        [
          "total-not-checked",
          "warning",
          "C10",
          `"Grand total" in ${t}!C10 holds "see note 3", not an amount (it is not an amount of money): it was not checked against the rows above it. To have it checked, write its amount there. (Totals are checked, never imported.)`,
        ],
      ]);
      const totalColumn = await importSample(
        sheet(
          ["Service", "2010/11", "2011/12", "Total"],
          [
            ["Single management team", 100 + bump, 200, "#DIV/0!"],
            ["CCTV, Lifeline and ICT", 300, 400, 700],
          ],
        ),
      );
      expect(lines(totalColumn), format).toEqual([
        [
          "total-not-checked",
          "warning",
          "D5",
          `"Total" in ${t}!D5 holds "#DIV/0!", not an amount (its formula gives the error #DIV/0!: correct the formula or the cells it uses): it was not checked against the figures beside it. To have it checked, write its amount there. (Totals are checked, never imported.)`,
        ],
      ]);
      const quarterTotal = await importSample(
        sheet(
          ["Service", "2010/11", "", "", "", ""],
          [
            ["Single management team", 1 + bump, 2, 3, 4, "ten"],
            ["CCTV, Lifeline and ICT", 1, 2, 3, 4, 10],
          ],
          ["", "Q1", "Q2", "Q3", "Q4", "YTD"],
        ),
      );
      expect(lines(quarterTotal), format).toEqual([
        [
          "total-not-checked",
          "warning",
          "F6",
          `"2010/11 YTD" in ${t}!F6 holds "ten", not an amount (it is not an amount of money): it was not checked against its quarters. To have it checked, write its amount there. (Totals are checked, never imported.)`,
        ],
      ]);
      const yearToDate = await importSample(
        sheet(
          ["Service", "Financial year", "Quarter", "Amount", "YTD"],
          [
            ["Single management team", "2010/11", "Q1", 10 + bump, 10 + bump],
            ["Single management team", "2010/11", "Q2", 20, "£30,000.005"],
          ],
        ),
      );
      expect(lines(yearToDate), format).toEqual([
        [
          "total-not-checked",
          "warning",
          "E6",
          `"YTD" in ${t}!E6 holds "£30,000.005", not an amount (it has a fraction of a penny): it was not checked against its figure's quarters so far. To have it checked, write its amount there. (Totals are checked, never imported.)`,
        ],
      ]);
      for (const report of [totalColumn, quarterTotal, yearToDate])
        expect(report.status, format).toBe("IMPORTED");
    }
  });

  it("warns at a total saved as a formula without its result that it was not checked, asking for it to be calculated", async () => {
    const path = await writeTestWorkbook(
      dir,
      tracker(
        ["Service", "2010/11 Target"],
        [
          ["Regulatory Services", 150000],
          ["Single management team", 246000],
          ["Total", null],
        ],
      ),
      (workbook) => {
        workbook.worksheets[0]!.getCell("B7").value = { formula: "SUM(B5:B6)" };
      },
    );
    const report = await importWorkbook(db.orm, path, { runBy: "test" });
    expect(report.status).toBe("IMPORTED");
    expect(lines(report)).toEqual([
      [
        "total-not-checked",
        "warning",
        "B7",
        `"Total" in Tracker!B7 holds a formula (=SUM(B5:B6)) saved without its result: it was not checked against the rows above it. To have it checked, open the file in Excel, let it calculate, save it and import it again. (Totals are checked, never imported.)`,
      ],
    ]);
  });
});
