import { describe, expect, it } from "vitest";
import type { SampleWorkbook } from "../../fixtures/generate-samples.js";
import { writeSampleAs } from "../../fixtures/write-sheet-formats.js";
import { importWorkbook } from "../../importers/import-workbook.js";
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

/** Councils across, each year merged over its councils, in £000 (every figure raised by `b`). */
function crossTab(b: number): SampleWorkbook {
  return {
    file: "by-council.xlsx",
    sheets: [
      {
        name: "By council",
        title: [
          ["Forecast savings by council (£000)"],
          ["Period:", "March 2011"],
          ["Partnership:", "Cheshire Shared Services"],
        ],
        header: ["Service", "2009/10", "", "2010/11", ""],
        subHeader: ["", "CEC", "Cheshire West and Chester", "CEC", "CWaC"],
        mergeHeader: true,
        rows: [
          ["Shared Back Office", 300 + b, 200 + b, 400 + b, 300 + b],
          ["Pensions", 40 + b, 45 + b, null, "-"],
          ["Total", 340 + 2 * b, 245 + 2 * b, 400 + b, 300 + b],
        ],
      },
    ],
  };
}

describe("a cross-tab of councils across the columns", () => {
  it("stores each council's figure of its column's year, in every format", async () => {
    for (const { bump, format, importSample } of inEveryFormat(db, dir)) {
      const report = await importSample(crossTab(bump));
      expect(report.problems, format).toEqual([]);
      expect(report.status, format).toBe("IMPORTED");
      expect(await stored(report.importRunId), format).toEqual([
        `Pensions E06000049 2009 FORECAST ${40 + bump}000.00`,
        `Pensions E06000050 2009 FORECAST ${45 + bump}000.00`,
        `Shared Back Office E06000049 2009 FORECAST ${300 + bump}000.00`,
        `Shared Back Office E06000049 2010 FORECAST ${400 + bump}000.00`,
        `Shared Back Office E06000050 2009 FORECAST ${200 + bump}000.00`,
        `Shared Back Office E06000050 2010 FORECAST ${300 + bump}000.00`,
      ]);
    }
  });

  it("names the header cell of a council it cannot decide, and each figure under it", async () => {
    const sample: SampleWorkbook = {
      file: "by-council-bdc.xlsx",
      sheets: [
        {
          name: "By council",
          title: [
            ["Achieved savings by council 2008/09"],
            ["Period:", "March 2009"],
          ],
          header: ["Service", "BDC", "Chesterfield"],
          rows: [
            ["Internal Audit", 10000, 10000],
            ["Procurement", 119000, 119000],
          ],
        },
      ],
    };
    const path = await writeSampleAs(sample, "xlsx", dir);
    const report = await importWorkbook(db.orm, path, { runBy: "test" });
    expect(report.status).toBe("REFUSED");
    // "BDC" is Bolsover or Bromsgrove (and more): nothing here says which.
    expect(
      report.problems
        .filter((p) => p.value === "BDC")
        .map((p) => [p.code, p.cell, p.header]),
    ).toEqual([
      ["ambiguous-council", "B3", "BDC"],
      ["ambiguous-council", "B5", "BDC"],
    ]);
  });
});
