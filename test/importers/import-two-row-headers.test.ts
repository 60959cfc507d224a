import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { SampleWorkbook } from "../../fixtures/generate-samples.js";
import { writeSampleAs } from "../../fixtures/write-sheet-formats.js";
import { importWorkbook } from "../../importers/import-workbook.js";
import { SavingsMeasure } from "../../schema/savings-measure.js";
import { useTestDatabase } from "../support/test-database.js";
import { workbookDir } from "./support/write-test-workbook.js";
import { writeRawXlsx } from "./support/write-raw-xlsx.js";
import { WORKBOOK_FORMATS } from "../../importers/workbook-format.js";
import { inEveryFormat } from "./support/import-in-every-format.js";

const db = useTestDatabase();
const dir = workbookDir();

type Line = (string | number | null)[];
type Figure = {
  service: string;
  year: number;
  measure: string;
  cashable: boolean;
  amount: string;
};

function tracker(
  title: string,
  header: string[],
  subHeader: string[],
  rows: Line[],
): SampleWorkbook {
  return {
    file: "two-row.xlsx",
    sheets: [
      {
        name: "Tracker",
        title: [
          [title],
          ["Period:", "June 2011"],
          ["Partnership:", "Cheshire Shared Services"],
        ],
        header,
        subHeader,
        mergeHeader: true,
        rows,
      },
    ],
  };
}

async function stored(runId: number): Promise<Figure[]> {
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

/** Imports `sample` in every format (amounts raised by the format's number, so each run writes) and checks what was stored. */
async function importsInEveryFormat(
  sample: (bump: number) => SampleWorkbook,
  expected: (bump: number) => Figure[],
): Promise<void> {
  for (const { bump, format, importSample } of inEveryFormat(db, dir)) {
    const report = await importSample(sample(bump));
    expect(
      report.problems.filter((p) => p.severity === "error"),
      format,
    ).toEqual([]);
    expect(
      report.problems.filter((p) => p.code === "unknown-column"),
      format,
    ).toEqual([]);
    expect(report.status, format).toBe("IMPORTED");
    expect(await stored(report.importRunId), format).toEqual(expected(bump));
  }
}

const figure = (
  service: string,
  year: number,
  measure: string,
  pounds: number,
  cashable = true,
): Figure => ({
  service,
  year,
  measure,
  cashable,
  amount: `${pounds}.00`,
});

describe("two-row and merged headers", () => {
  it("reads a financial year merged over Target | Forecast | Actual sub-headers", async () => {
    await importsInEveryFormat(
      (b) =>
        tracker(
          "Savings tracker",
          ["Service", "2010/11", "", "", "2011/12", "", "Notes"],
          ["", "Target", "Forecast", "Actual", "Target", "Forecast", ""],
          [
            [
              "Pensions",
              1000 + b,
              2000 + b,
              3000 + b,
              4000 + b,
              5000 + b,
              "ok",
            ],
            ["Occupational Health", 10 + b, null, null, 20 + b, 30 + b, null],
          ],
        ),
      (b) => [
        figure("Occupational Health", 2010, "TARGET", 10 + b),
        figure("Occupational Health", 2011, "FORECAST", 30 + b),
        figure("Occupational Health", 2011, "TARGET", 20 + b),
        figure("Pensions", 2010, "ACHIEVED", 3000 + b),
        figure("Pensions", 2010, "FORECAST", 2000 + b),
        figure("Pensions", 2010, "TARGET", 1000 + b),
        figure("Pensions", 2011, "FORECAST", 5000 + b),
        figure("Pensions", 2011, "TARGET", 4000 + b),
      ],
    );
  });

  it("reads a measure merged over financial-year sub-headers", async () => {
    await importsInEveryFormat(
      (b) =>
        tracker(
          "Savings tracker",
          ["Service", "Forecast", "", "", "Achieved (£000)", ""],
          ["", "2010/11", "2011/12", "2012/13", "2010/11", "2011/12"],
          [["Pensions", 1000 + b, 2000 + b, 3000 + b, 4 + b, 5 + b]],
        ),
      (b) => [
        figure("Pensions", 2010, "ACHIEVED", (4 + b) * 1000),
        figure("Pensions", 2010, "FORECAST", 1000 + b),
        figure("Pensions", 2011, "ACHIEVED", (5 + b) * 1000),
        figure("Pensions", 2011, "FORECAST", 2000 + b),
        figure("Pensions", 2012, "FORECAST", 3000 + b),
      ],
    );
  });

  it('reads a header split over two rows: "Amount" over "£000", "Saving" over "2010/11"', async () => {
    await importsInEveryFormat(
      (b) =>
        tracker(
          "Savings tracker",
          ["Service", "Financial year", "Measure", "Amount"],
          ["", "", "", "£000"],
          [
            ["Pensions", "2010/11", "Target", 12 + b],
            ["Pensions", "2011/12", "Forecast", 13 + b],
          ],
        ),
      (b) => [
        figure("Pensions", 2010, "TARGET", (12 + b) * 1000),
        figure("Pensions", 2011, "FORECAST", (13 + b) * 1000),
      ],
    );
    await importsInEveryFormat(
      (b) =>
        tracker(
          "Forecast savings",
          ["Service", "Saving", "", "Saving type"],
          ["", "2010/11", "2011/12", ""],
          [
            ["Occupational Health", 700 + b, 800 + b, "Non-cashable"],
            ["Pensions", 100 + b, 200 + b, "Cashable"],
          ],
        ),
      (b) => [
        figure("Occupational Health", 2010, "FORECAST", 700 + b, false),
        figure("Occupational Health", 2011, "FORECAST", 800 + b, false),
        figure("Pensions", 2010, "FORECAST", 100 + b),
        figure("Pensions", 2011, "FORECAST", 200 + b),
      ],
    );
  });

  it("bounds a merged cell's spread by its merge range where the file has ranges (.xlsx, .xls, .ods), by the blanks in a CSV", async () => {
    // "Forecast" is merged over B:C only; D's "2012/13" stands under a blank outside the merge.
    for (const { bump, format, importSample } of inEveryFormat(db, dir)) {
      const sample = tracker(
        "Savings tracker",
        ["Service", "Forecast", "", ""],
        ["", "2010/11", "2011/12", "2012/13"],
        [["Pensions", 100 + bump, 200 + bump, 300 + bump]],
      );
      sample.sheets[0]!.headerMergeRanges = [
        { top: 0, bottom: 1, left: 0, right: 0 },
        { top: 0, bottom: 0, left: 1, right: 2 },
      ];
      const report = await importSample(sample, {
        measure: SavingsMeasure.ACHIEVED,
      });
      expect(report.status, format).toBe("IMPORTED");
      // An .xlsx keeps its merges after all its rows: the guard's pass over the file finds them.
      const rangesRead = format !== "csv";
      expect(await stored(report.importRunId), format).toEqual([
        figure("Pensions", 2010, "FORECAST", 100 + bump),
        figure("Pensions", 2011, "FORECAST", 200 + bump),
        figure(
          "Pensions",
          2012,
          rangesRead ? "ACHIEVED" : "FORECAST",
          300 + bump,
        ),
      ]);
    }
  });

  it("reads a year merged over Target / Forecast / Actual whose covered cells keep last year's text, alike in all four formats", async () => {
    // Last year's workbook had "2009/10" over C and D; this year's merges "2010/11" across B:D and
    // the file keeps the old text hidden under the merge (as LibreOffice does when asked to): in the
    // .xlsx (its merges after its rows) and the .xls; SheetJS writes an .ods's covered cells empty,
    // and a CSV has them blank as Excel exports them. Read cell by cell, C and D are 2009/10's.
    const lines: Line[] = [
      ["Savings tracker"],
      ["Period:", "June 2011"],
      ["Partnership:", "Cheshire Shared Services"],
      ["Service", "2010/11", "2009/10", "2009/10"],
      [null, "Target", "Forecast", "Actual"],
    ];
    // The .xlsx in a worker thread too (told the ranges when it starts), and in this one.
    const cases = [
      ["xlsx", 0],
      ...WORKBOOK_FORMATS.map((format) => [format, Infinity] as const),
    ] as const;
    for (const [bump, [format, workerFromBytes]] of cases.entries()) {
      const row: Line = ["Pensions", 100 + bump, 200 + bump, 300 + bump];
      const sample = tracker(
        "Savings tracker",
        lines[3] as string[],
        ["", "Target", "Forecast", "Actual"],
        [row],
      );
      sample.sheets[0]!.headerMergeRanges = [
        { top: 0, bottom: 1, left: 0, right: 0 },
        { top: 0, bottom: 0, left: 1, right: 3 },
      ];
      const path =
        format === "xlsx"
          ? await writeRawXlsx(join(dir, `covered-text-${bump}.xlsx`), [
              {
                name: "Tracker",
                rows: [...lines, row].map((line) =>
                  line.map((v) =>
                    v === null
                      ? null
                      : typeof v === "number"
                        ? { v: String(v) }
                        : v,
                  ),
                ),
                merges: ["A4:A5", "B4:D4"],
              },
            ])
          : await writeSampleAs(sample, format, dir);
      const report = await importWorkbook(db.orm, path, {
        runBy: "test",
        limits: { workerFromBytes },
      });
      expect(report.problems, format).toEqual([]);
      expect(await stored(report.importRunId), format).toEqual([
        figure("Pensions", 2010, "ACHIEVED", 300 + bump),
        figure("Pensions", 2010, "FORECAST", 200 + bump),
        figure("Pensions", 2010, "TARGET", 100 + bump),
      ]);
    }
  });
});
