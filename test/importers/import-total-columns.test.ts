import { describe, expect, it } from "vitest";
import type { SampleWorkbook } from "../../fixtures/generate-samples.js";
import type { ImportReport } from "../../importers/import-workbook.js";
import { useTestDatabase } from "../support/test-database.js";
import { storedFigureLines } from "./support/stored-figure-lines.js";
import { workbookDir } from "./support/write-test-workbook.js";
import { inEveryFormat } from "./support/import-in-every-format.js";

const db = useTestDatabase();
const dir = workbookDir();

/** The figures the run stored, one line each. */
function stored(runId: number): Promise<string[]> {
  return storedFigureLines(db, runId);
}

/** Every problem but the period's, as code, cell and message. */
function problems(report: ImportReport): string[][] {
  return report.problems.map((p) => [p.code, p.cell ?? "", p.message]);
}

const CHESHIRE = "Cheshire Shared Services";

describe("a Total column checked against its row", () => {
  it("checks a cross-tab's Total after its councils, warns naming both the total's cell and the row's cells, and stores nothing from it, in every format", async () => {
    for (const { bump, format, importSample } of inEveryFormat(db, dir)) {
      // Every figure differs from the last format's, so that each is this run's.
      const m = bump + 1;
      const sample: SampleWorkbook = {
        file: "by-council-total.xlsx",
        sheets: [
          {
            name: "By council",
            title: [
              ["Forecast savings by council 2010/11"],
              ["Period:", "March 2011"],
              ["Partnership:", CHESHIRE],
            ],
            header: ["Service", "CEC", "CWaC", "Total (all councils)"],
            rows: [
              ["Shared Back Office", 3000 * m, 2000 * m, 5000 * m],
              ["Pensions", 400 * m, "-", 400 * m],
              ["Payroll", 100 * m, 200 * m, 300 * m + 1],
              ["Total", 3500 * m, 2200 * m, 5700 * m + 1],
            ],
          },
        ],
      };
      const report = await importSample(sample);
      expect(report.status, format).toBe("IMPORTED");
      expect(problems(report), format).toEqual([
        [
          "total-mismatch",
          "D7",
          `"Total (all councils)" in D7 says £${300 * m + 1}.00, but B7:C7 beside it add up to £${300 * m}.00: correct the total or the figures it adds up. (Totals are checked, never imported.)`,
        ],
      ]);
      expect(await stored(report.importRunId), format).toEqual([
        `Payroll E06000049 2010 FORECAST ${100 * m}.00`,
        `Payroll E06000050 2010 FORECAST ${200 * m}.00`,
        `Pensions E06000049 2010 FORECAST ${400 * m}.00`,
        `Shared Back Office E06000049 2010 FORECAST ${3000 * m}.00`,
        `Shared Back Office E06000050 2010 FORECAST ${2000 * m}.00`,
      ]);
      const reading = report.sheets[0]!.header!.columns.at(-1);
      expect(reading, format).toMatchObject({ column: "D", use: "row-total" });
    }
  });

  it("reads a two-row cross-tab with a Total under each year and a grand Total, each checked, in every format", async () => {
    for (const { bump, format, importSample } of inEveryFormat(db, dir)) {
      // Every figure differs from the last format's, so that each is this run's.
      const m = bump + 1;
      const sample: SampleWorkbook = {
        file: "by-council-year-totals.xlsx",
        sheets: [
          {
            name: "By council",
            title: [
              ["Achieved savings by council (£000)"],
              ["Period:", "March 2011"],
              ["Partnership:", CHESHIRE],
            ],
            header: ["Service", "2009/10", "", "", "2010/11", "", "", "Total"],
            subHeader: ["", "CEC", "CWaC", "Total", "CEC", "CWaC", "Total", ""],
            mergeHeader: format !== "csv",
            rows: [
              [
                "Shared Back Office",
                300 * m,
                200 * m,
                500 * m,
                400 * m,
                300 * m,
                700 * m,
                1200 * m,
              ],
              [
                "Pensions",
                40 * m,
                45 * m,
                85 * m,
                50 * m,
                50 * m,
                100 * m + 10,
                185 * m,
              ],
            ],
          },
        ],
      };
      const report = await importSample(sample);
      expect(report.status, format).toBe("IMPORTED");
      expect(report.sheets[0]!.header!.headerRow, format).toBe(5);
      // Pensions' 2010/11 total says 110 of 100; the grand total 195 agrees with the figures.
      expect(problems(report), format).toEqual([
        [
          "total-mismatch",
          "G7",
          `"2010/11 Total" in G7 says £${100 * m + 10}000.00, but E7:F7 beside it add up to £${100 * m}000.00: correct the total or the figures it adds up. (Totals are checked, never imported.)`,
        ],
      ]);
      expect(await stored(report.importRunId), format).toEqual([
        `Pensions E06000049 2009 ACHIEVED ${40 * m}000.00`,
        `Pensions E06000049 2010 ACHIEVED ${50 * m}000.00`,
        `Pensions E06000050 2009 ACHIEVED ${45 * m}000.00`,
        `Pensions E06000050 2010 ACHIEVED ${50 * m}000.00`,
        `Shared Back Office E06000049 2009 ACHIEVED ${300 * m}000.00`,
        `Shared Back Office E06000049 2010 ACHIEVED ${400 * m}000.00`,
        `Shared Back Office E06000050 2009 ACHIEVED ${200 * m}000.00`,
        `Shared Back Office E06000050 2010 ACHIEVED ${300 * m}000.00`,
      ]);
    }
  });

  it("checks a wide tracker's Total against its years (t16's layout), in every format", async () => {
    for (const { bump, format, importSample } of inEveryFormat(db, dir)) {
      // Every figure differs from the last format's, so that each is this run's.
      const m = bump + 1;
      const sample: SampleWorkbook = {
        file: "wide-total.xlsx",
        sheets: [
          {
            name: "Savings",
            title: [
              ["Cheshire shared services – forecast savings (£000)"],
              ["Partnership:", CHESHIRE],
              ["Period:", "September 2010"],
            ],
            header: [
              "Service",
              "2009/10",
              "2010/11",
              "2011/12",
              "Total",
              "RAG",
            ],
            rows: [
              [
                "Shared Back Office",
                400 * m,
                410 * m,
                420 * m,
                1230 * m,
                "Green",
              ],
              [
                "Occupational Health",
                10 * m,
                15 * m,
                15 * m,
                40 * m + 5,
                "Amber",
              ],
              ["Total", 410 * m, 425 * m, 435 * m, 1270 * m + 5, null],
            ],
          },
        ],
      };
      const report = await importSample(sample);
      expect(report.status, format).toBe("IMPORTED");
      expect(problems(report), format).toEqual([
        [
          "total-mismatch",
          "E6",
          `"Total" in E6 says £${40 * m + 5}000.00, but B6:D6 beside it add up to £${40 * m}000.00: correct the total or the figures it adds up. (Totals are checked, never imported.)`,
        ],
      ]);
      expect(await stored(report.importRunId), format).toEqual([
        `Occupational Health - 2009 FORECAST ${10 * m}000.00`,
        `Occupational Health - 2010 FORECAST ${15 * m}000.00`,
        `Occupational Health - 2011 FORECAST ${15 * m}000.00`,
        `Shared Back Office - 2009 FORECAST ${400 * m}000.00`,
        `Shared Back Office - 2010 FORECAST ${410 * m}000.00`,
        `Shared Back Office - 2011 FORECAST ${420 * m}000.00`,
      ]);
    }
  });

  it("reads a Total in a two-row header's lower row by one rule in every format: a year's after its councils (under its merged cell or past it), the row's after the last year when the years before have none", async () => {
    // 2009/10 has no Total; 2010/11's stands past its merged cell (the year's: it totals D:E);
    // the Total after 2011/12 is the row's (it totals every council figure), as 2009/10 has none.
    const merges = [
      { top: 0, bottom: 1, left: 0, right: 0 },
      { top: 0, bottom: 0, left: 1, right: 2 },
      { top: 0, bottom: 0, left: 3, right: 4 },
      { top: 0, bottom: 0, left: 6, right: 7 },
    ];
    const readings: string[][] = [];
    for (const { bump, format, importSample } of inEveryFormat(db, dir)) {
      // Every figure differs from the last format's, so that each is this run's.
      const m = bump + 1;
      const sample: SampleWorkbook = {
        file: "year-totals-past-merges.xlsx",
        sheets: [
          {
            name: "By council",
            title: [
              ["Achieved savings by council (£000)"],
              ["Period:", "March 2012"],
              ["Partnership:", CHESHIRE],
            ],
            header: [
              "Service",
              "2009/10",
              "",
              "2010/11",
              "",
              "",
              "2011/12",
              "",
              "",
            ],
            subHeader: [
              "",
              "CEC",
              "CWaC",
              "CEC",
              "CWaC",
              "Total",
              "CEC",
              "CWaC",
              "Total",
            ],
            headerMergeRanges: merges,
            rows: [
              [
                "Shared Back Office",
                1 * m,
                2 * m,
                3 * m,
                4 * m,
                7 * m,
                5 * m,
                6 * m,
                21 * m,
              ],
              [
                "Pensions",
                1 * m,
                1 * m,
                2 * m,
                2 * m,
                4 * m,
                3 * m,
                3 * m,
                12 * m + 1,
              ],
              [
                "Archives",
                1 * m,
                1 * m,
                1 * m,
                1 * m,
                2 * m + 1,
                1 * m,
                1 * m,
                6 * m,
              ],
            ],
          },
        ],
      };
      const report = await importSample(sample);
      expect(report.status, format).toBe("IMPORTED");
      readings.push(
        report.sheets[0]!.header!.columns.map(
          (c) => `${c.column} ${c.header} ${c.use}`,
        ),
      );
      expect(problems(report), format).toEqual([
        [
          "total-mismatch",
          "I7",
          `"Total" in I7 says £${12 * m + 1}000.00, but B7, C7, D7, E7, G7, H7 beside it add up to £${12 * m}000.00: correct the total or the figures it adds up. (Totals are checked, never imported.)`,
        ],
        [
          "total-mismatch",
          "F8",
          `"2010/11 Total" in F8 says £${2 * m + 1}000.00, but D8:E8 beside it add up to £${2 * m}000.00: correct the total or the figures it adds up. (Totals are checked, never imported.)`,
        ],
      ]);
      expect((await stored(report.importRunId)).length, format).toBe(18);
    }
    expect(readings[0]!.slice(1)).toEqual([
      "B 2009/10 CEC role",
      "C 2009/10 CWaC role",
      "D 2010/11 CEC role",
      "E 2010/11 CWaC role",
      "F 2010/11 Total row-total",
      "G 2011/12 CEC role",
      "H 2011/12 CWaC role",
      "I Total row-total",
    ]);
    // The CSV has no merges: its years spread over the blanks to their right, and read the same.
    for (const reading of readings.slice(1))
      expect(reading).toEqual(readings[0]);
  });

  it("gives a one-year header's Total to its year whether it stands under the merged year or past it, in every format", async () => {
    for (const pastMerge of [false, true])
      for (const { bump, format, importSample } of inEveryFormat(db, dir)) {
        const m = bump + 1 + (pastMerge ? 10 : 0);
        const sample: SampleWorkbook = {
          file: `one-year-total-${pastMerge ? "past" : "under"}.xlsx`,
          sheets: [
            {
              name: "By council",
              title: [
                ["Forecast savings by council"],
                ["Period:", "March 2011"],
                ["Partnership:", CHESHIRE],
              ],
              header: ["Service", "2010/11", "", ""],
              subHeader: ["", "CEC", "CWaC", "Total"],
              headerMergeRanges: [
                { top: 0, bottom: 1, left: 0, right: 0 },
                { top: 0, bottom: 0, left: 1, right: pastMerge ? 2 : 3 },
              ],
              rows: [["Payroll", 100 * m, 200 * m, 300 * m + 1]],
            },
          ],
        };
        const report = await importSample(sample);
        expect(report.status, format).toBe("IMPORTED");
        expect(report.sheets[0]!.header!.columns.at(-1), format).toMatchObject({
          column: "D",
          header: "2010/11 Total",
          use: "row-total",
        });
        expect(problems(report), format).toEqual([
          [
            "total-mismatch",
            "D6",
            `"2010/11 Total" in D6 says £${300 * m + 1}.00, but B6:C6 beside it add up to £${300 * m}.00: correct the total or the figures it adds up. (Totals are checked, never imported.)`,
          ],
        ]);
      }
  });

  it("never checks a Total after figures of several measures it does not name, warning once at its header cell; a Total after one measure's years totals that measure", async () => {
    for (const { bump, format, importSample } of inEveryFormat(db, dir)) {
      const m = bump + 1;
      const byYear: SampleWorkbook = {
        file: "measures-total.xlsx",
        sheets: [
          {
            name: "Savings",
            title: [
              ["Savings by year (£000)"],
              ["Period:", "March 2011"],
              ["Partnership:", CHESHIRE],
            ],
            header: ["Service", "2009/10", "", "", "2010/11", "", ""],
            subHeader: [
              "",
              "Target",
              "Actual",
              "Total",
              "Target",
              "Actual",
              "Total",
            ],
            mergeHeader: format !== "csv",
            rows: [
              ["Pensions", 10 * m, 9 * m, 19 * m, 12 * m, 11 * m, 12 * m],
              ["Archives", 5 * m, 5 * m, 5 * m, 6 * m, 4 * m, 99 * m],
            ],
          },
        ],
      };
      const report = await importSample(byYear);
      expect(report.status, format).toBe("IMPORTED");
      expect(problems(report), format).toEqual([
        [
          "total-not-checked",
          "D5",
          `"2009/10 Total" in D5 follows figures of more than one measure (B5 "2009/10 Target", C5 "2009/10 Actual"), which do not add up to one total: it was not checked on any row. Name the measure it totals ("Total actual") to have it checked.`,
        ],
        [
          "total-not-checked",
          "G5",
          `"2010/11 Total" in G5 follows figures of more than one measure (E5 "2010/11 Target", F5 "2010/11 Actual"), which do not add up to one total: it was not checked on any row. Name the measure it totals ("Total actual") to have it checked.`,
        ],
      ]);
      expect((await stored(report.importRunId)).length, format).toBe(8);

      const byMeasure: SampleWorkbook = {
        file: "measure-totals.xlsx",
        sheets: [
          {
            name: "Savings",
            title: [
              ["Savings by measure (£000)"],
              ["Period:", "March 2012"],
              ["Partnership:", CHESHIRE],
            ],
            header: ["Service", "Target", "", "", "Actual", "", ""],
            subHeader: [
              "",
              "2010/11",
              "2011/12",
              "Total",
              "2010/11",
              "2011/12",
              "Total",
            ],
            mergeHeader: format !== "csv",
            rows: [
              ["Pensions", 10 * m, 12 * m, 22 * m, 9 * m, 11 * m, 20 * m],
              ["Archives", 5 * m, 6 * m, 11 * m, 5 * m, 4 * m, 9 * m + 1],
            ],
          },
        ],
      };
      const second = await importSample(byMeasure);
      expect(second.status, format).toBe("IMPORTED");
      expect(problems(second), format).toEqual([
        [
          "total-mismatch",
          "G7",
          `"Total" in G7 says £${9 * m + 1}000.00, but E7:F7 beside it add up to £${9 * m}000.00: correct the total or the figures it adds up. (Totals are checked, never imported.)`,
        ],
      ]);
    }
  });
});
