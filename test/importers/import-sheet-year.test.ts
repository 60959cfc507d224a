import { describe, expect, it } from "vitest";
import type { SampleWorkbook } from "../../fixtures/generate-samples.js";
import { writeSampleAs } from "../../fixtures/write-sheet-formats.js";
import { importWorkbook } from "../../importers/import-workbook.js";
import { useTestDatabase } from "../support/test-database.js";
import { workbookDir } from "./support/write-test-workbook.js";
import { inEveryFormat } from "./support/import-in-every-format.js";

const db = useTestDatabase();
const dir = workbookDir();

const PARTNERSHIP = "Derbyshire RCE Shared Services";

type Line = (string | number | null)[];

function tracker(
  title: Line[],
  header: string[],
  rows: Line[],
): SampleWorkbook {
  return {
    file: "year-above.xlsx",
    sheets: [{ name: "Tracker", title, header, rows }],
  };
}

async function stored(runId: number) {
  return db.orm.em
    .fork()
    .getConnection()
    .execute<
      { service: string; year: number; measure: string; amount: string }[]
    >(
      `select s.name as service, f.financial_year as year, f.measure, f.amount::text as amount
       from savings_figure f join service s on s.id = f.service_id
       where f.import_run_id = ? order by s.name`,
      [runId],
    );
}

describe("a long tracker without a year column", () => {
  it("takes its figures' financial year from the title ('Forecast savings 2010/11') and says so in the report, in all four formats", async () => {
    for (const { bump: i, format, importSample } of inEveryFormat(db, dir)) {
      const report = await importSample(
        tracker(
          [
            ["Forecast savings 2010/11"],
            ["Period:", "June 2010"],
            ["Partnership:", PARTNERSHIP],
          ],
          ["Workstream", "Saving (£)"],
          [
            ["Internal Audit", 30000 + i],
            ["Procurement", 357000 + i],
          ],
        ),
      );
      expect(report.problems, format).toEqual([]);
      expect(report.status, format).toBe("IMPORTED");
      expect(report.sheets[0]!.kind, format).toBe("savings-long");
      expect(report.sheets[0]!.header!.financialYear, format).toEqual({
        value: "2010/11",
        source: 'the title line "Forecast savings 2010/11" in A1',
      });
      expect(await stored(report.importRunId), format).toEqual([
        {
          service: "Internal Audit",
          year: 2010,
          measure: "FORECAST",
          amount: `${30000 + i}.00`,
        },
        {
          service: "Procurement",
          year: 2010,
          measure: "FORECAST",
          amount: `${357000 + i}.00`,
        },
      ]);
    }
  });

  it("takes it from the period line ('P3 2011/12') when the title names none", async () => {
    const path = await writeSampleAs(
      tracker(
        [
          ["Shared services savings"],
          ["Period:", "P3 2011/12"],
          ["Partnership:", PARTNERSHIP],
        ],
        ["Service", "Measure", "Amount"],
        [["Internal Audit", "Achieved", 41000]],
      ),
      "xlsx",
      dir,
    );
    const report = await importWorkbook(db.orm, path, { runBy: "test" });
    expect(report.problems).toEqual([]);
    expect(report.reportingPeriod).toBe("2011-06");
    expect(report.sheets[0]!.header!.financialYear).toEqual({
      value: "2011/12",
      source: 'the period line "P3 2011/12" in B2',
    });
    expect(await stored(report.importRunId)).toEqual([
      {
        service: "Internal Audit",
        year: 2011,
        measure: "ACHIEVED",
        amount: "41000.00",
      },
    ]);
  });

  it("reads a year column where there is one, and a tracker with neither names the year column it lacks", async () => {
    const withColumn = await writeSampleAs(
      tracker(
        [
          ["Forecast savings 2010/11"],
          ["Period:", "June 2010"],
          ["Partnership:", PARTNERSHIP],
        ],
        ["Service", "Financial year", "Saving"],
        [["Internal Audit", "2012/13", 5000]],
      ),
      "xlsx",
      dir,
    );
    const report = await importWorkbook(db.orm, withColumn, { runBy: "test" });
    expect(report.sheets[0]!.header!.financialYear!.source).toBe(
      "each row's Financial year (B) column",
    );
    expect((await stored(report.importRunId)).map((f) => f.year)).toEqual([
      2012,
    ]);
    const without = await writeSampleAs(
      tracker(
        [
          ["Forecast savings"],
          ["Period:", "June 2010"],
          ["Partnership:", PARTNERSHIP],
        ],
        ["Service", "Saving"],
        [["Internal Audit", 5000]],
      ),
      "xlsx",
      dir,
    );
    const refused = await importWorkbook(db.orm, without, {
      runBy: "test",
      kind: "savings-long",
    });
    expect(refused.status).toBe("REFUSED");
    expect(refused.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          code: "missing-value",
          message: expect.stringContaining(
            'has no financialYear column. Add a Financial year column, or name the year above the table ("Savings 2010/11").',
          ),
        }),
      ]),
    );
  });
});
