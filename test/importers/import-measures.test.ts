import { describe, expect, it } from "vitest";
import type { SampleWorkbook } from "../../fixtures/generate-samples.js";
import { writeSampleAs } from "../../fixtures/write-sheet-formats.js";
import { importWorkbook } from "../../importers/import-workbook.js";
import { validateMappingProfile } from "../../importers/mapping-profile.js";
import { SavingsMeasure } from "../../schema/savings-measure.js";
import { useTestDatabase } from "../support/test-database.js";
import { workbookDir } from "./support/write-test-workbook.js";
import { WORKBOOK_FORMATS } from "../../importers/workbook-format.js";
import {
  importSampleAs,
  inEveryFormat,
} from "./support/import-in-every-format.js";

const db = useTestDatabase();
const dir = workbookDir();

const PARTNERSHIP = "Derbyshire RCE Shared Services";

type Line = (string | number | null)[];

function tracker(
  file: string,
  titleLines: Line[],
  header: string[],
  rows: Line[],
): SampleWorkbook {
  return {
    file,
    sheets: [
      {
        name: "Tracker",
        title: [
          ...titleLines,
          ["Period:", "June 2010"],
          ["Partnership:", PARTNERSHIP],
        ],
        header,
        rows,
      },
    ],
  };
}

async function stored(runId: number): Promise<
  {
    service: string;
    year: number;
    measure: string;
    cashable: boolean;
    amount: string;
  }[]
> {
  return db.orm.em
    .fork()
    .getConnection()
    .execute(
      `select s.name as service, f.financial_year as year, f.measure, f.cashable, f.amount::text as amount
       from savings_figure f join service s on s.id = f.service_id
       where f.import_run_id = ? order by s.name, f.financial_year, f.measure, f.cashable`,
      [runId],
    );
}

describe("measures and cashability", () => {
  it("refuses a tracker that names no measure once, naming --measure, and imports it as the measure --measure gives", async () => {
    for (const { bump: i, format, importSample } of inEveryFormat(db, dir)) {
      const sample = tracker(
        "no-measure.xlsx",
        [["Savings tracker"]],
        ["Workstream", "Financial year", "Amount (£)"],
        [
          ["Internal Audit", "2010/11", 30000 + i],
          ["Procurement", "2010/11", 357000 + i],
        ],
      );
      const refused = await importSample(sample);
      expect(refused.status, format).toBe("REFUSED");
      const missing = refused.problems.filter(
        (p) => p.code === "missing-value",
      );
      expect(missing, format).toHaveLength(1);
      expect(missing[0]).toMatchObject({
        sheet: format === "csv" ? "no-measure" : "Tracker",
        cell: "C4",
      });
      expect(missing[0]!.message).toContain(
        "--measure target|estimate|forecast|achieved",
      );

      const imported = await importSample(sample, {
        measure: SavingsMeasure.FORECAST,
      });
      expect(imported.status, format).toBe("IMPORTED");
      expect(await stored(imported.importRunId)).toEqual([
        {
          service: "Internal Audit",
          year: 2010,
          measure: "FORECAST",
          cashable: true,
          amount: `${30000 + i}.00`,
        },
        {
          service: "Procurement",
          year: 2010,
          measure: "FORECAST",
          cashable: true,
          amount: `${357000 + i}.00`,
        },
      ]);
    }
  });

  it("takes the measure from a mapping profile's measure, and what the workbook says over --measure", async () => {
    const profile = validateMappingProfile(
      { measure: "achieved" },
      "test.json",
    );
    expect(profile.measure).toBe(SavingsMeasure.ACHIEVED);
    expect(() =>
      validateMappingProfile({ measure: "guess" }, "test.json"),
    ).toThrow(/"measure" must be one of target\|estimate\|forecast\|achieved/);
    const path = await writeSampleAs(
      tracker(
        "profile-measure.xlsx",
        [["Savings tracker"]],
        ["Workstream", "Financial year", "Amount (£)"],
        [["Internal Audit", "2011/12", 1000]],
      ),
      "xlsx",
      dir,
    );
    const byProfile = await importWorkbook(db.orm, path, {
      runBy: "test",
      profile,
    });
    expect((await stored(byProfile.importRunId))[0]?.measure).toBe("ACHIEVED");
    const titled = await writeSampleAs(
      tracker(
        "title-wins.xlsx",
        [["Target savings 2011/12"]],
        ["Workstream", "Financial year", "Amount (£)"],
        [["Internal Audit", "2011/12", 2000]],
      ),
      "xlsx",
      dir,
    );
    const report = await importWorkbook(db.orm, titled, {
      runBy: "test",
      measure: SavingsMeasure.FORECAST,
    });
    expect((await stored(report.importRunId))[0]?.measure).toBe("TARGET");
  });

  it("reads cashability from a Saving type or Type column and the measure from the title or the amount header", async () => {
    for (const { bump: i, format, importSample } of inEveryFormat(db, dir)) {
      const report = await importSample(
        tracker(
          "saving-type.xlsx",
          [["Forecast savings 2010/11"]],
          ["Workstream", "Financial year", "Saving type", "Amount (£)"],
          [
            ["Internal Audit", "2010/11", "Cashable", 30000 + i],
            ["Internal Audit", "2010/11", "Non-cashable", 5000 + i],
            ["Procurement", "2010/11", "Non cashable", 7000 + i],
          ],
        ),
      );
      expect(report.status, format).toBe("IMPORTED");
      expect(await stored(report.importRunId), format).toEqual([
        {
          service: "Internal Audit",
          year: 2010,
          measure: "FORECAST",
          cashable: false,
          amount: `${5000 + i}.00`,
        },
        {
          service: "Internal Audit",
          year: 2010,
          measure: "FORECAST",
          cashable: true,
          amount: `${30000 + i}.00`,
        },
        {
          service: "Procurement",
          year: 2010,
          measure: "FORECAST",
          cashable: false,
          amount: `${7000 + i}.00`,
        },
      ]);
    }
    const byHeader = await writeSampleAs(
      tracker(
        "type-column.xlsx",
        [["Savings tracker"]],
        ["Workstream", "Financial year", "Type", "Achieved saving £"],
        [
          ["Building Control", "2009/10", "Non-cashable", 8000],
          ["Building Control", "2009/10", "Cashable forecast", 9000],
        ],
      ),
      "xlsx",
      dir,
    );
    const report = await importWorkbook(db.orm, byHeader, { runBy: "test" });
    expect(report.problems.filter((p) => p.severity === "error")).toEqual([]);
    expect(await stored(report.importRunId)).toEqual([
      {
        service: "Building Control",
        year: 2009,
        measure: "ACHIEVED",
        cashable: false,
        amount: "8000.00",
      },
      {
        service: "Building Control",
        year: 2009,
        measure: "FORECAST",
        cashable: true,
        amount: "9000.00",
      },
    ]);
  });

  it("reads cashability from a wide tracker's year headers and a title's cashable words", async () => {
    const path = await writeSampleAs(
      tracker(
        "wide-cashable.xlsx",
        [["Non-cashable savings: target"]],
        ["Workstream", "2010/11", "2011/12 Cashable"],
        [["Pensions", 1000, 2000]],
      ),
      "csv",
      dir,
    );
    const report = await importWorkbook(db.orm, path, { runBy: "test" });
    expect(report.status).toBe("IMPORTED");
    expect(await stored(report.importRunId)).toEqual([
      {
        service: "Pensions",
        year: 2010,
        measure: "TARGET",
        cashable: false,
        amount: "1000.00",
      },
      {
        service: "Pensions",
        year: 2011,
        measure: "TARGET",
        cashable: true,
        amount: "2000.00",
      },
    ]);
  });

  it("reads a service list's estimated savings column, however worded, as the service's estimated annual saving", async () => {
    const headers = [
      "Est. cashable savings p.a.",
      "Estimated annual saving £",
      "Savings per annum",
      "Expected savings (£000)",
      "Annual savings (£)",
    ];
    for (const [i, heading] of headers.entries()) {
      const format = WORKBOOK_FORMATS[i % WORKBOOK_FORMATS.length]!;
      const name = `Estimate Service ${i + 1}`;
      const report = await importSampleAs(
        db,
        dir,
        {
          file: `estimate-${i}.xlsx`,
          sheets: [
            {
              name: "Services",
              // The month makes the estimate an ESTIMATE figure too (without it: one warning).
              title: [
                ["Partnership:", PARTNERSHIP],
                ["Period:", "June 2011"],
              ],
              header: ["Service", heading],
              rows: [[name, heading.includes("£000") ? 30 : 30000]],
            },
          ],
        },
        format,
      );
      expect(report.problems, heading).toEqual([]);
      expect(report.status, heading).toBe("IMPORTED");
      expect(
        report.problems.filter((p) => p.code === "unknown-column"),
        heading,
      ).toEqual([]);
      const [service] = await db.orm.em
        .fork()
        .getConnection()
        .execute<{ estimated_annual_saving: string }[]>(
          "select estimated_annual_saving from service where name = ?",
          [name],
        );
      expect(service?.estimated_annual_saving, heading).toBe("30000.00");
    }
  });
});
