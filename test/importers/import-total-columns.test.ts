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
});
