import { describe, expect, it } from "vitest";
import type { SampleWorkbook } from "../../fixtures/generate-samples.js";
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

const CBC = "E07000034";
const BDC = "E07000033";

function workbook(
  file: string,
  header: string[],
  subHeader: string[] | undefined,
  rows: (string | number | null)[][],
  merge: boolean,
): SampleWorkbook {
  return {
    file,
    sheets: [
      {
        name: "By council",
        title: [
          ["Savings by council 2010/11"],
          ["Period:", "March 2011"],
          ["Partnership:", "Derbyshire RCE Shared Services"],
          ["Partners:", "Chesterfield, Bolsover and North East Derbyshire"],
        ],
        header,
        ...(subHeader ? { subHeader, mergeHeader: merge } : {}),
        rows,
      },
    ],
  };
}

describe("a measure per council column", () => {
  it("reads Target / Actual under each council, and a Total over them checked per measure, in every format", async () => {
    for (const { bump, format, importSample } of inEveryFormat(db, dir)) {
      // Every figure differs from the last format's, so that each is this run's.
      const m = bump + 1;
      const report = await importSample(
        workbook(
          "council-measures.xlsx",
          ["Service", "CBC", "", "BDC", "", "Total", ""],
          ["", "Target", "Actual", "Target", "Actual", "Target", "Actual"],
          [
            [
              "Internal Audit",
              10000 * m,
              9000 * m,
              10000 * m,
              8000 * m,
              20000 * m,
              17000 * m,
            ],
            [
              "Procurement",
              5000 * m,
              6000 * m,
              5000 * m,
              4000 * m,
              10000 * m,
              10000 * m + 1,
            ],
          ],
          format !== "csv",
        ),
      );
      expect(report.status, format).toBe("IMPORTED");
      // Procurement's actual total is £1 over its actuals; its target total agrees.
      expect(
        report.problems.map((p) => [p.code, p.cell, p.message]),
        format,
      ).toEqual([
        [
          "total-mismatch",
          "G8",
          `"Total Actual" in G8 says £${10000 * m + 1}.00, but C8, E8 beside it add up to £${10000 * m}.00: correct the total or the figures it adds up. (Totals are checked, never imported.)`,
        ],
      ]);
      expect(await stored(report.importRunId), format).toEqual([
        `Internal Audit ${BDC} 2010 ACHIEVED ${8000 * m}.00`,
        `Internal Audit ${BDC} 2010 TARGET ${10000 * m}.00`,
        `Internal Audit ${CBC} 2010 ACHIEVED ${9000 * m}.00`,
        `Internal Audit ${CBC} 2010 TARGET ${10000 * m}.00`,
        `Procurement ${BDC} 2010 ACHIEVED ${4000 * m}.00`,
        `Procurement ${BDC} 2010 TARGET ${5000 * m}.00`,
        `Procurement ${CBC} 2010 ACHIEVED ${6000 * m}.00`,
        `Procurement ${CBC} 2010 TARGET ${5000 * m}.00`,
      ]);
    }
  });

  it("reads the measure over the councils, and a council and measure in one header", async () => {
    for (const { bump, format, importSample } of inEveryFormat(db, dir)) {
      // Every figure differs from the last format's, so that each is this run's.
      const m = bump + 1;
      const over = await importSample(
        workbook(
          "measure-over-councils.xlsx",
          ["Service", "Forecast", "", "Achieved", ""],
          ["", "Chesterfield", "Bolsover", "Chesterfield", "Bolsover"],
          [["Internal Audit", 700 * m, 600 * m, 500 * m, 400 * m]],
          format !== "csv",
        ),
      );
      expect(over.problems, format).toEqual([]);
      expect(await stored(over.importRunId), format).toEqual([
        `Internal Audit ${BDC} 2010 ACHIEVED ${400 * m}.00`,
        `Internal Audit ${BDC} 2010 FORECAST ${600 * m}.00`,
        `Internal Audit ${CBC} 2010 ACHIEVED ${500 * m}.00`,
        `Internal Audit ${CBC} 2010 FORECAST ${700 * m}.00`,
      ]);
      const one = await importSample(
        workbook(
          "council-measure-headers.xlsx",
          ["Service", "CBC Target", "CBC – Actual", "Bolsover (Target)"],
          undefined,
          [["Procurement", 300 * m, 200 * m, 100 * m]],
          false,
        ),
      );
      expect(one.problems, format).toEqual([]);
      expect(await stored(one.importRunId), format).toEqual([
        `Procurement ${BDC} 2010 TARGET ${100 * m}.00`,
        `Procurement ${CBC} 2010 ACHIEVED ${200 * m}.00`,
        `Procurement ${CBC} 2010 TARGET ${300 * m}.00`,
      ]);
    }
  });
});
