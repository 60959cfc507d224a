import { describe, expect, it } from "vitest";
import type { SampleWorkbook } from "../../fixtures/generate-samples.js";
import { writeSampleAs } from "../../fixtures/write-sheet-formats.js";
import { importWorkbook } from "../../importers/import-workbook.js";
import { useTestDatabase } from "../support/test-database.js";
import { workbookDir } from "./support/write-test-workbook.js";
import {
  importSampleAs,
  inEveryFormat,
} from "./support/import-in-every-format.js";

const db = useTestDatabase();
const dir = workbookDir();

const PARTNERSHIP = "Bromsgrove and Redditch Shared Services";

type Line = (string | number | Date | null)[];

/** A tracker of the partnership by quarter: a two-row header, merged as Excel users lay it out. */
function quarterly(header: string[], subHeader: string[], rows: Line[]) {
  return (file: string): SampleWorkbook => ({
    file,
    sheets: [
      {
        name: "Forecast",
        title: [
          ["Forecast savings by quarter"],
          ["Partnership:", PARTNERSHIP],
          ["Period:", "June 2010"],
        ],
        header,
        subHeader,
        mergeHeader: true,
        rows,
      },
    ],
  });
}

async function stored(runId: number): Promise<string[]> {
  const rows = await db.orm.em
    .fork()
    .getConnection()
    .execute<
      { service: string; year: number; measure: string; amount: string }[]
    >(
      `select s.name as service, f.financial_year as year, f.measure, f.amount::text as amount
       from savings_figure f join service s on s.id = f.service_id
       where f.import_run_id = ? order by s.name, f.financial_year, f.measure`,
      [runId],
    );
  return rows.map((r) => `${r.service} ${r.year} ${r.measure} ${r.amount}`);
}

/** Imports the workbook in every format (amounts raised by the format's number) and returns what each stored. */
async function importEach(
  sample: (bump: number) => (file: string) => SampleWorkbook,
  check: (
    report: Awaited<ReturnType<typeof importWorkbook>>,
    figures: string[],
    bump: number,
    format: string,
  ) => void,
): Promise<void> {
  for (const { bump, format, importSample } of inEveryFormat(db, dir)) {
    // Each format's import stands alone: an unchanged figure would keep the earlier run's id.
    await db.orm.em
      .fork()
      .getConnection()
      .execute("delete from savings_figure");
    const report = await importSample(sample(bump)(`quarters.${format}`));
    expect(
      report.problems.filter((p) => p.severity === "error"),
      format,
    ).toEqual([]);
    expect(report.status, format).toBe("IMPORTED");
    check(report, await stored(report.importRunId), bump, format);
  }
}

/** An import's problems, each as its code, cell and message. */
function problemLines(
  report: Awaited<ReturnType<typeof importWorkbook>>,
): (string | undefined)[][] {
  return report.problems.map((p) => [p.code, p.cell, p.message]);
}

/** Imports a workbook as .xlsx that must be refused, and returns its problems: code, severity, cell and message. */
async function refusal(
  sample: (file: string) => SampleWorkbook,
  file: string,
): Promise<(string | undefined)[][]> {
  const report = await importSampleAs(db, dir, sample(file), "xlsx");
  expect(report.status).toBe("REFUSED");
  return report.problems.map((p) => [p.code, p.severity, p.cell, p.message]);
}

describe("quarters under a financial year", () => {
  it("sums Q1..Q4 under a merged 2010/11 into the year's figure of the title's measure, exactly, in all four formats", async () => {
    await importEach(
      (b) =>
        quarterly(
          ["Service", "2010/11", "", "", ""],
          ["", "Q1", "Q2", "Q3", "Q4"],
          [
            [
              "Single management team",
              61500.25 + b,
              61500.25,
              61500.25,
              61499.25,
            ],
            ["CCTV, Lifeline and ICT", 30000, 30000, 30000, 30000],
          ],
        ),
      (report, figures, b, format) => {
        expect(figures, format).toEqual([
          "CCTV, Lifeline and ICT 2010 FORECAST 120000.00",
          `Single management team 2010 FORECAST ${246000 + b}.00`,
        ]);
        expect(report.problems, format).toEqual([]);
        expect(report.sheets[0]!.header!.columns[1], format).toMatchObject({
          header: "2010/11 Q1",
          use: "year",
          year: "2010/11",
          quarter: 1,
        });
      },
    );
  });

  it("reads quarters written Qtr 1, Apr-Jun or Quarter 1, for two years side by side, a blank quarter adding nothing", async () => {
    await importEach(
      (b) =>
        quarterly(
          ["Service", "2010/11", "", "", "", "2011/12", "", "", ""],
          [
            "",
            "Apr-Jun",
            "Jul-Sep",
            "Oct-Dec",
            "Jan-Mar",
            "Qtr 1",
            "Quarter 2",
            "Q3",
            "4th quarter",
          ],
          [
            [
              "Single management team",
              1000 + b,
              2000,
              null,
              4000,
              10,
              20,
              30,
              null,
            ],
          ],
        ),
      (_report, figures, b, format) =>
        expect(figures, format).toEqual([
          `Single management team 2010 FORECAST ${7000 + b}.00`,
          "Single management team 2011 FORECAST 60.00",
        ]),
    );
  });

  it("reads a year under each quarter, and a quarter merged over two years' columns", async () => {
    await importEach(
      (b) =>
        quarterly(
          ["Service", "Q1", "", "Q2", "", "Q3", "", "Q4", ""],
          [
            "",
            "2010/11",
            "2011/12",
            "2010/11",
            "2011/12",
            "2010/11",
            "2011/12",
            "2010/11",
            "2011/12",
          ],
          [["CCTV, Lifeline and ICT", 1 + b, 10, 2, 20, 3, 30, 4, 40]],
        ),
      (_report, figures, b, format) =>
        expect(figures, format).toEqual([
          `CCTV, Lifeline and ICT 2010 FORECAST ${10 + b}.00`,
          "CCTV, Lifeline and ICT 2011 FORECAST 100.00",
        ]),
    );
  });

  it("checks a Total column against the row's quarters and a total row against the rows above, never importing either", async () => {
    for (const totalHeader of ["beside", "under the year"] as const)
      await importEach(
        (b) =>
          quarterly(
            totalHeader === "beside"
              ? ["Service", "2010/11", "", "", "", "Total"]
              : ["Service", "2010/11", "", "", "", ""],
            totalHeader === "beside"
              ? ["", "Q1", "Q2", "Q3", "Q4", ""]
              : ["", "Q1", "Q2", "Q3", "Q4", "Full year"],
            [
              [
                "Single management team",
                61500 + b,
                61500,
                61500,
                61500,
                246000 + b,
              ],
              ["CCTV, Lifeline and ICT", 30000, 30000, 30000, 30000, 125000],
              ["Total", 91500 + b, 91500, 91000, 91500, 371000 + b],
            ],
          ),
        (report, figures, b, format) => {
          expect(figures, `${totalHeader} ${format}`).toEqual([
            "CCTV, Lifeline and ICT 2010 FORECAST 120000.00",
            `Single management team 2010 FORECAST ${246000 + b}.00`,
          ]);
          expect(problemLines(report), `${totalHeader} ${format}`).toEqual([
            [
              "total-mismatch",
              "F7",
              `"${totalHeader === "beside" ? "Total" : "2010/11 Full year"}" in F7 says £125000.00, but its quarters B7:E7 add up to £120000.00: correct the total or the quarters. (Totals are checked, never imported; the year's figure is the quarters' sum.)`,
            ],
            [
              "total-mismatch",
              "D8",
              '"Total" in D8 says £91000.00, but D6:D7 above it add up to £91500.00: correct the total or the rows it adds up. (Totals are checked, never imported.)',
            ],
          ]);
          expect(report.sheets[0]!.header!.columns[5]).toMatchObject({
            column: "F",
            use: "year",
            totalOfQuarters: true,
          });
        },
      );
  });

  it("leaves the year's figure to follow when a quarter is tbc, warning at its cell", async () => {
    await importEach(
      (b) =>
        quarterly(
          ["Service", "2010/11", "", "", ""],
          ["", "Q1", "Q2", "Q3", "Q4"],
          [
            ["Single management team", 61500 + b, 61500, "tbc", 61500],
            ["CCTV, Lifeline and ICT", 30000 + b, 30000, 30000, 30000],
          ],
        ),
      (report, figures, b, format) => {
        expect(figures, format).toEqual([
          `CCTV, Lifeline and ICT 2010 FORECAST ${120000 + b}.00`,
        ]);
        expect(
          report.problems.map((p) => [p.code, p.cell]),
          format,
        ).toEqual([["figure-to-follow", "D6"]]);
      },
    );
  });
  it("reads quarters across under a title naming the year, and refuses quarters no year is named for, saying so", async () => {
    const sample = (title: string, file: string): SampleWorkbook => ({
      file,
      sheets: [
        {
          name: "Quarters",
          title: [
            [title],
            ["Partnership:", PARTNERSHIP],
            ["Period:", "June 2010"],
          ],
          header: ["Service", "Q1", "Q2", "Q3", "Q4"],
          rows: [["Single management team", 61500, 61500, 61500, 61500]],
        },
      ],
    });
    await importEach(
      (b) => (file) => {
        const s = sample("Forecast savings 2010/11", file);
        s.sheets[0]!.rows[0]![1] = 61500 + b;
        return s;
      },
      (report, figures, b, format) => {
        expect(figures, format).toEqual([
          `Single management team 2010 FORECAST ${246000 + b}.00`,
        ]);
        expect(report.sheets[0]!.header!.columns[1], format).toMatchObject({
          header: "2010/11 Q1",
          quarter: 1,
        });
      },
    );
    const path = await writeSampleAs(
      sample("Forecast savings by quarter", "no-year.csv"),
      "csv",
      dir,
    );
    const refused = await importWorkbook(db.orm, path, { runBy: "test" });
    expect(refused.status).toBe("REFUSED");
    expect(refused.problems).toMatchObject([
      {
        code: "missing-value",
        severity: "error",
        cell: "A4",
        message:
          'Sheet "no-year" has figures by quarter (Q1, Q2, Q3, Q4) but no financial year for them: write the year over its quarters ("2010/11" merged above Q1 to Q4), or name it above the table ("Forecast savings 2010/11"). It was not imported.',
      },
      // Not "has no rows": its rows were seen, none could be read.
      { code: "no-readable-sheet" },
    ]);
  });
});

describe("quarters headed by their last months", () => {
  /** Quarters across headed `headers`, no year above them but the months'. */
  const byLastMonth =
    (headers: (string | Date)[], rows: Line[]) => (file: string) =>
      quarterly(["Service", ...(headers as string[])], [], rows)(file);

  it("reads Jun 2011 | Sep 2011 | Dec 2011 | Mar 2012, their dates, Quarter ending June 2012 and Q1 (Apr-Jun 2011) as the quarters of the financial year each ends, summed into its figure, in all four formats", async () => {
    await importEach(
      (b) => (file) => {
        const sample = byLastMonth(
          [
            "Jun 2011",
            "Sep 2011",
            "Dec 2011",
            // January to March end the financial year begun the April before.
            "Mar 2012",
            "Quarter ending June 2012",
            "Total",
          ],
          [["Single management team", 100 + b, 200, 300, 400, 7, 1007 + b]],
        )(file);
        const dated = byLastMonth(
          [
            new Date(Date.UTC(2011, 5, 30)),
            new Date(Date.UTC(2011, 8, 30)),
            new Date(Date.UTC(2012, 2, 31)),
          ],
          [["CCTV, Lifeline and ICT", 10, 20, 30]],
        )(file).sheets[0]!;
        const months = byLastMonth(
          ["Q1 (Apr-Jun 2011)", "Q2 (Jul-Sep 2011)", "Q4 (Jan-Mar 2012)"],
          [["Regulatory Services", 1, 2, 3]],
        )(file).sheets[0]!;
        // A CSV holds one sheet: the first.
        sample.sheets.push(
          { ...dated, name: "Dated" },
          { ...months, name: "Months" },
        );
        for (const sheet of sample.sheets) delete sheet.subHeader;
        return sample;
      },
      (report, figures, b, format) => {
        expect(figures, format).toEqual(
          [
            format === "csv"
              ? []
              : ["CCTV, Lifeline and ICT 2011 FORECAST 60.00"],
            format === "csv" ? [] : ["Regulatory Services 2011 FORECAST 6.00"],
            `Single management team 2011 FORECAST ${1000 + b}.00`,
            "Single management team 2012 FORECAST 7.00",
          ].flat(),
        );
        expect(report.problems, format).toEqual([]);
        expect(report.sheets[0]!.header!.columns[4], format).toMatchObject({
          header: "Mar 2012",
          use: "year",
          year: "2011/12",
          quarter: 4,
        });
      },
    );
  });

  it("reads no month of a monthly tracker as a quarter, Jun and Sep among them", async () => {
    const months = ["Apr", "May", "Jun", "Jul", "Aug", "Sep"].map(
      (m) => `${m} 2011`,
    );
    const report = await importSampleAs(
      db,
      dir,
      quarterly(
        ["Service", ...months],
        [],
        [["Single management team", 1, 2, 3, 4, 5, 6]],
      )("monthly.xlsx"),
      "xlsx",
    );
    expect(report.status).toBe("REFUSED");
    expect(await stored(report.importRunId)).toEqual([]);
  });
});

/** A tracker by quarter with a header of three rows (or two), merged as Excel users lay it out. */
function threeRows(
  superHeader: string[] | null,
  header: string[],
  subHeader: string[],
  rows: Line[],
) {
  return (file: string): SampleWorkbook => ({
    file,
    sheets: [
      {
        name: "Quarters",
        title: [
          ["Savings by quarter"],
          ["Partnership:", PARTNERSHIP],
          ["Period:", "June 2010"],
        ],
        ...(superHeader ? { superHeader } : {}),
        header,
        subHeader,
        mergeHeader: true,
        rows,
      },
    ],
  });
}

describe("three header rows", () => {
  it("reads a measure over a year over its quarters (Forecast / 2010/11 / Q1..Q4), each measure's year the sum of its quarters, in all four formats", async () => {
    await importEach(
      (b) =>
        threeRows(
          ["Service", "Forecast", "", "", "", "Actual", "", "", ""],
          ["", "2010/11", "", "", "", "2010/11", "", "", ""],
          ["", "Q1", "Q2", "Q3", "Q4", "Q1", "Q2", "Q3", "Q4"],
          [
            [
              "Single management team",
              61500 + b,
              61500,
              61500,
              61500,
              60000,
              null,
              null,
              null,
            ],
            ["CCTV, Lifeline and ICT", 30000, 30000, 30000, 30000, 29000, 1],
          ],
        ),
      (report, figures, b, format) => {
        expect(figures, format).toEqual([
          "CCTV, Lifeline and ICT 2010 ACHIEVED 29001.00",
          "CCTV, Lifeline and ICT 2010 FORECAST 120000.00",
          "Single management team 2010 ACHIEVED 60000.00",
          `Single management team 2010 FORECAST ${246000 + b}.00`,
        ]);
        expect(report.problems, format).toEqual([]);
        expect(report.sheets[0]!.header).toMatchObject({ headerRow: 6 });
        expect(report.sheets[0]!.header!.columns[5], format).toMatchObject({
          header: "Actual 2010/11 Q1",
          use: "year",
          year: "2010/11",
          quarter: 1,
        });
      },
    );
  });

  it("reads a measure per quarter, under its quarter (2010/11 / Q1 / Forecast | Actual) or with it (2010/11 / Q1 Forecast), in all four formats", async () => {
    const quarters = [1, 2].flatMap((q) => [`Q${q}`, ""]);
    const measures = [1, 2].flatMap(() => ["Forecast", "Actual"]);
    for (const layout of ["three rows", "two rows"] as const)
      await importEach(
        (b) =>
          threeRows(
            layout === "three rows" ? ["Service", "2010/11", "", "", ""] : null,
            layout === "three rows"
              ? ["", ...quarters]
              : ["Service", "2010/11", "", "", ""],
            layout === "three rows"
              ? ["", ...measures]
              : ["", ...measures.map((m, i) => `Q${1 + (i >> 1)} ${m}`)],
            [["Single management team", 61500 + b, 61000, 61500, 62000]],
          ),
        (report, figures, b, format) => {
          expect(figures, `${layout} ${format}`).toEqual([
            "Single management team 2010 ACHIEVED 123000.00",
            `Single management team 2010 FORECAST ${123000 + b}.00`,
          ]);
          expect(report.problems, `${layout} ${format}`).toEqual([]);
          expect(
            report.sheets[0]!.header!.columns[2],
            `${layout} ${format}`,
          ).toMatchObject({ header: "2010/11 Q1 Actual", quarter: 1 });
        },
      );
  });
});

/** A long tracker of a row a quarter: Service | Financial year | Quarter | Amount, under the partnership's title. */
function rowAQuarter(rows: Line[], measure = "Forecast") {
  return (file: string): SampleWorkbook => ({
    file,
    sheets: [
      {
        name: "Quarters",
        title: [
          [`${measure} savings by quarter`],
          ["Partnership:", PARTNERSHIP],
          ["Period:", "June 2010"],
        ],
        header: ["Service", "Financial year", "Quarter", "Amount"],
        rows,
      },
    ],
  });
}

describe("a long tracker of a row a quarter", () => {
  it("sums each figure's quarter rows, written Q1, Qtr 2, Oct-Dec or Quarter 4 and far apart, into its year's figure, exactly, in all four formats", async () => {
    await importEach(
      (b) =>
        rowAQuarter([
          ["Single management team", "2010/11", "Q1", 61500.25 + b],
          ["CCTV, Lifeline and ICT", "2010/11", "Q1", 30000],
          ["Single management team", "2010/11", "Qtr 2", 61500.25],
          ["CCTV, Lifeline and ICT", "2010/11", "Jul-Sep", null],
          ["Single management team", "2010/11", "Oct-Dec", 61500.25],
          ["CCTV, Lifeline and ICT", "2011/12", "Q1 2011/12", 10],
          ["Single management team", "2010/11", "Quarter 4", 61499.25],
          ["CCTV, Lifeline and ICT", "2011/12", 2, 20],
        ]),
      (report, figures, b, format) => {
        expect(figures, format).toEqual([
          "CCTV, Lifeline and ICT 2010 FORECAST 30000.00",
          "CCTV, Lifeline and ICT 2011 FORECAST 30.00",
          `Single management team 2010 FORECAST ${246000 + b}.00`,
        ]);
        expect(report.problems, format).toEqual([]);
        expect(report.sheets[0]!.header!.columns[2], format).toMatchObject({
          header: "Quarter",
          use: "role",
          role: "quarter",
        });
      },
    );
  });

  it("checks a Full year row against its quarters, takes one with no quarters as the year's figure, and leaves a year with a tbc quarter to follow", async () => {
    await importEach(
      (b) =>
        rowAQuarter(
          [
            ["Single management team", "2010/11", "Q1", 61500 + b],
            ["Single management team", "2010/11", "Q2", 61500],
            ["Single management team", "2010/11", "Full year", 250000],
            ["CCTV, Lifeline and ICT", "2010/11", "Full year", 120000 + b],
            ["Regulatory Services", "2010/11", "Q1", 150000],
            ["Regulatory Services", "2010/11", "Q2", "tbc"],
          ],
          "Achieved",
        ),
      (report, figures, b, format) => {
        expect(figures, format).toEqual([
          `CCTV, Lifeline and ICT 2010 ACHIEVED ${120000 + b}.00`,
          `Single management team 2010 ACHIEVED ${123000 + b}.00`,
        ]);
        expect(problemLines(report), format).toEqual([
          [
            "figure-to-follow",
            "D10",
            '"tbc" in D10 is no figure yet: nothing was imported for it. Import the file again once the figure is known.',
          ],
          [
            "total-mismatch",
            "D7",
            `The whole year's figure in D7 says £250000.00, but its quarters D5, D6 add up to £${123000 + b}.00: correct the total or the quarters. (Totals are checked, never imported; the year's figure is the quarters' sum.)`,
          ],
        ]);
      },
    );
  });

  it("refuses a quarter written twice, a cell that is no quarter and a quarter of another year, naming each cell", async () => {
    expect(
      await refusal(
        rowAQuarter([
          ["Single management team", "2010/11", "Q1", 61500],
          ["Single management team", "2010/11", "Q2", 61500],
          ["Single management team", "2010/11", "Apr-Jun", 61500],
          ["CCTV, Lifeline and ICT", "2010/11", "Q5", 30000],
          ["CCTV, Lifeline and ICT", "2010/11", "Q2 2011/12", 30000],
        ]),
        "row-a-quarter-bad.xlsx",
      ),
    ).toEqual([
      [
        "duplicate-row",
        "error",
        "D7",
        "The figure in Quarters!D7 is quarter 1 again of the one in Quarters!D5 (same service, council, year, measure, cashable kind and quarter): keep one of them.",
      ],
      [
        "bad-value",
        "error",
        "C8",
        `"Q5" in C8 is not a quarter of the financial year: write Q1 to Q4 (Qtr 1, Quarter 1, Apr-Jun, or the quarter's last month, June 2010; Q1 is April to June), with its year if you like (Q1 2010/11), or leave it blank for a figure of the whole year.`,
      ],
      [
        "bad-value",
        "error",
        "C9",
        "C9 names a quarter of 2011/12, but the row's financial year is 2010/11: correct one of them.",
      ],
      [
        "incomplete-figure",
        "warning",
        "D7",
        'The 2010/11 forecast figure of "Single management team" is the sum of its quarter rows, and the quarter in D7 has an error: nothing is stored for that year until every quarter row can be read. Correct that row and import the file again.',
      ],
    ]);
  });

  it("with --skip-invalid-rows stores no year's figure a skipped quarter row belongs to, warning at that quarter's cell, and checks no Full year row against the quarters left, in all four formats", async () => {
    for (const { bump, format, importSample } of inEveryFormat(db, dir)) {
      await db.orm.em
        .fork()
        .getConnection()
        .execute("delete from savings_figure");
      const report = await importSample(
        rowAQuarter([
          ["Single management team", "2010/11", "Q1", 61500 + bump],
          ["Single management team", "2010/11", "Q2 2011/12", 61500],
          ["Single management team", "2010/11", "Q3", 61500],
          ["Single management team", "2010/11", "Q4", 61500],
          ["Single management team", "2010/11", "Full year", 246000],
          ["CCTV, Lifeline and ICT", "2010/11", "Q1", 30000 + bump],
          ["CCTV, Lifeline and ICT", "2010/11", "Q2", 30000],
          ["Regulatory Services", "2010/11", "Q1", 100],
          ["Regulatory Services", "2010/11", "Q2", "#REF!"],
          ["Payroll", "2010/11", "Q1", 10],
          ["Payroll", "2010/11", "Apr-Jun", 10],
          ["Payroll", "2010/11", "Q2", 10],
          ["Payroll", "2011/12", "Q1", 5],
        ])(`quarters-skipped.${format}`),
        { skipInvalidRows: true },
      );
      expect(report.status, format).toBe("IMPORTED_WITH_SKIPPED_ROWS");
      expect(await stored(report.importRunId), format).toEqual([
        `CCTV, Lifeline and ICT 2010 FORECAST ${60000 + bump}.00`,
        "Payroll 2011 FORECAST 5.00",
      ]);
      expect(
        report.problems
          .filter((p) => p.code === "incomplete-figure")
          .map((p) => [p.severity, p.cell, p.message]),
        format,
      ).toEqual([
        [
          "warning",
          "D6",
          'The 2010/11 forecast figure of "Single management team" is the sum of its quarter rows, and the quarter in D6 has an error: nothing is stored for that year until every quarter row can be read. Correct that row and import the file again.',
        ],
        [
          "warning",
          "D13",
          'The 2010/11 forecast figure of "Regulatory Services" is the sum of its quarter rows, and the quarter in D13 has an error: nothing is stored for that year until every quarter row can be read. Correct that row and import the file again.',
        ],
        [
          "warning",
          "D15",
          'The 2010/11 forecast figure of "Payroll" is the sum of its quarter rows, and the quarter in D15 has an error: nothing is stored for that year until every quarter row can be read. Correct that row and import the file again.',
        ],
      ]);
      // Single management team's Full year row is not checked against Q1, Q3 and Q4 alone.
      expect(
        report.problems.filter((p) => p.code === "total-mismatch"),
        format,
      ).toEqual([]);
    }
  });
});

/** A wide tracker of a row a quarter: Service | Quarter | 2010/11 | 2011/12, under the partnership's title. */
function wideByQuarter(
  rows: Line[],
  merges: { top: number; bottom: number; left: number; right: number }[] = [],
) {
  return (file: string): SampleWorkbook => ({
    file,
    sheets: [
      {
        name: "Quarters",
        title: [
          ["Forecast savings by quarter"],
          ["Partnership:", PARTNERSHIP],
          ["Period:", "June 2010"],
        ],
        header: ["Service", "Quarter", "2010/11", "2011/12"],
        rows,
        // Rows counted from the header's (row 0): a service merged down over its quarter rows.
        ...(merges.length ? { headerMergeRanges: merges } : {}),
      },
    ],
  });
}

describe("a wide tracker of a row a quarter", () => {
  it("sums each service's quarter rows into each year column's figure, exactly, a service merged down over its rows (blank below it in a CSV, past a quarter with no figure), in all four formats", async () => {
    await importEach(
      (b) =>
        wideByQuarter(
          [
            ["Single management team", "Q1", 61500.25 + b, 10],
            [null, "Q2", 61500.25, 20],
            [null, "Q3", 61500.25, null],
            [null, "Q4", 61499.25, "tbc"],
            ["CCTV, Lifeline and ICT", 1, 30000, null],
            // A quarter with no figure: the service goes on below it.
            [null, 2, null, null],
            [null, 3, 30000, null],
            ["Regulatory Services", "Full year", 150000, null],
            ["CCTV, Lifeline and ICT", "Jan-Mar", 30000, 5],
            ["CCTV, Lifeline and ICT", "Full year", 100000, null],
          ],
          [
            { top: 1, bottom: 4, left: 0, right: 0 },
            { top: 5, bottom: 7, left: 0, right: 0 },
          ],
        ),
      (report, figures, b, format) => {
        expect(figures, format).toEqual([
          "CCTV, Lifeline and ICT 2010 FORECAST 90000.00",
          "CCTV, Lifeline and ICT 2011 FORECAST 5.00",
          "Regulatory Services 2010 FORECAST 150000.00",
          `Single management team 2010 FORECAST ${246000 + b}.00`,
        ]);
        expect(problemLines(report), format).toEqual([
          [
            "figure-to-follow",
            "D8",
            '"tbc" in D8 is no figure yet: nothing was imported for it. Import the file again once the figure is known.',
          ],
          [
            "total-mismatch",
            "C14",
            "The whole year's figure in C14 says £100000.00, but its quarters C9, C11, C13 add up to £90000.00: correct the total or the quarters. (Totals are checked, never imported; the year's figure is the quarters' sum.)",
          ],
        ]);
        expect(report.sheets[0]!.header!.columns[1], format).toMatchObject({
          header: "Quarter",
          use: "role",
          role: "quarter",
        });
      },
    );
  });

  it("reads a Quarter cell naming one of its columns' years as that year's quarter, its figure under that year, in all four formats", async () => {
    await importEach(
      (b) =>
        wideByQuarter([
          ["Single management team", "Q1 2010/11", 100 + b, null],
          ["Single management team", "Q2 2010/11", 200, "-"],
          ["Single management team", "Q1 2011/12", null, 300],
          ["Single management team", "Jul-Sep 2011", null, 400],
          ["CCTV, Lifeline and ICT", "June 2010", 10, null],
          // A quarter alone is the quarter of every year across.
          ["CCTV, Lifeline and ICT", "Q2", 20, 30],
        ]),
      (report, figures, b, format) => {
        expect(figures, format).toEqual([
          "CCTV, Lifeline and ICT 2010 FORECAST 30.00",
          "CCTV, Lifeline and ICT 2011 FORECAST 30.00",
          `Single management team 2010 FORECAST ${300 + b}.00`,
          "Single management team 2011 FORECAST 700.00",
        ]);
        expect(report.problems, format).toEqual([]);
      },
    );
  });

  it("refuses a quarter twice of a year column, a figure under another year than its row's quarter names, and a quarter of a year no column is of, naming each cell", async () => {
    expect(
      await refusal(
        wideByQuarter([
          ["Single management team", "Q1", 61500, 1],
          ["Single management team", "Apr-Jun", null, 2],
          ["CCTV, Lifeline and ICT", "Q2 2010/11", 30000, 3],
          ["CCTV, Lifeline and ICT", "Q3 2012/13", 5, null],
        ]),
        "wide-quarters-bad.xlsx",
      ),
    ).toEqual([
      [
        "duplicate-row",
        "error",
        "D6",
        "The figure in Quarters!D6 is quarter 1 again of the one in Quarters!D5 (same service, council, year, measure, cashable kind and quarter): keep one of them.",
      ],
      [
        "bad-value",
        "error",
        "D7",
        `Quarters!D7 holds a figure under "2011/12", but its row is a quarter of 2010/11 (B7): write it on a row of a quarter of 2011/12 ("Q2 2011/12"), or write the quarter alone (Q2) when the row holds that quarter of every year.`,
      ],
      [
        "bad-value",
        "error",
        "B8",
        "B8 names a quarter of 2012/13, but the row holds figures of 2010/11 and 2011/12: write the quarter alone (Q3), the years being the columns', or correct it.",
      ],
      [
        "incomplete-figure",
        "warning",
        "D6",
        'The 2011/12 forecast figure of "Single management team" is the sum of its quarter rows, and the quarter in D6 has an error: nothing is stored for that year until every quarter row can be read. Correct that row and import the file again.',
      ],
      [
        "incomplete-figure",
        "warning",
        "C7",
        'The 2010/11 forecast figure of "CCTV, Lifeline and ICT" is the sum of its quarter rows, and the quarters in C7, C8 have errors: nothing is stored for that year until every quarter row can be read. Correct those rows and import the file again.',
      ],
    ]);
  });
});

describe("cells merged down over a tracker's rows", () => {
  /**
   * Service | Financial year | Quarter | Amount: the service and its year merged down over its
   * quarter rows, a quarter over two services' rows, a figure over two quarter rows (one figure).
   */
  const merged = (b: number) => (file: string) => {
    const sample = rowAQuarter([
      ["Single management team", "2010/11", "Q1", 61500 + b],
      [null, null, "Q2", 61500],
      [null, null, "Q3", 61500],
      ["CCTV, Lifeline and ICT", "2010/11", "Q3", 30000],
      ["CCTV, Lifeline and ICT", "2010/11", "Q4", null],
      ["Regulatory Services", "2010/11", null, 150000],
    ])(file);
    // Rows counted from the header's (row 0).
    sample.sheets[0]!.headerMergeRanges = [
      { top: 1, bottom: 3, left: 0, right: 0 },
      { top: 1, bottom: 3, left: 1, right: 1 },
      { top: 4, bottom: 5, left: 3, right: 3 },
      { top: 5, bottom: 6, left: 2, right: 2 },
    ];
    return sample;
  };

  it("reads a service, a year and a quarter merged down as each row's, a figure merged down as one, in .xlsx, .xls and .ods", async () => {
    for (const { format, bump: b, importSample } of inEveryFormat(db, dir)) {
      if (format === "csv") continue; // no merges: see the next test
      await db.orm.em
        .fork()
        .getConnection()
        .execute("delete from savings_figure");
      const report = await importSample(merged(b)(`merged-down.${format}`));
      expect(report.problems, format).toEqual([]);
      expect(await stored(report.importRunId), format).toEqual([
        "CCTV, Lifeline and ICT 2010 FORECAST 30000.00",
        "Regulatory Services 2010 FORECAST 150000.00",
        `Single management team 2010 FORECAST ${184500 + b}.00`,
      ]);
    }
  });

  it("reads a CSV's blank cells as written (it has no merges): a blank service continues the row above, as in every tracker, a blank year is none", async () => {
    const report = await importSampleAs(
      db,
      dir,
      merged(0)("merged-down.csv"),
      "csv",
    );
    expect(report.status).toBe("REFUSED");
    expect(problemLines(report)).toEqual([
      [
        "missing-value",
        "B6",
        "Row 6 has no financial year: write it as 2010/11.",
      ],
      [
        "missing-value",
        "B7",
        "Row 7 has no financial year: write it as 2010/11.",
      ],
      [
        "incomplete-figure",
        "D6",
        'The 2010/11 forecast figure of "Single management team" is the sum of its quarter rows, and the quarters in D6, D7 have errors: nothing is stored for that year until every quarter row can be read. Correct those rows and import the file again.',
      ],
    ]);
  });
});

describe("a figure merged down over rows of different figures", () => {
  /** A long tracker (Service | Financial year | Amount) and a wide one, each with figures merged down. */
  const long = (b: number) => (file: string) => {
    const sample = rowAQuarter([
      ["Single management team", "2010/11", null, 100 + b],
      ["CCTV, Lifeline and ICT", "2010/11", null, null],
      ["Regulatory Services", "2010/11", null, 50],
      ["Regulatory Services", "2011/12", null, null],
      // A row drawn tall: the service, year and figure each merged over two rows, one figure.
      ["Legal Services", "2010/11", null, 30],
      [null, null, null, null],
      ["Internal Audit", "2010/11", "Q1", 10],
      ["Internal Audit", "2010/11", "Q2", null],
      // Over one service's last quarter and the next's first: neither figure can be told.
      ["Procurement", "2010/11", "Q4", 40],
      ["Building Control", "2010/11", "Q1", null],
      ["Building Control", "2010/11", "Q2", 5],
    ])(file);
    // Rows counted from the header's (row 0).
    sample.sheets[0]!.headerMergeRanges = [
      { top: 1, bottom: 2, left: 3, right: 3 },
      { top: 3, bottom: 4, left: 3, right: 3 },
      { top: 5, bottom: 6, left: 0, right: 0 },
      { top: 5, bottom: 6, left: 1, right: 1 },
      { top: 5, bottom: 6, left: 3, right: 3 },
      // Over two quarters of one figure: the year's, whichever quarter holds it.
      { top: 7, bottom: 8, left: 3, right: 3 },
      { top: 9, bottom: 10, left: 3, right: 3 },
    ];
    return sample;
  };
  const wide = (b: number) => (file: string) => {
    const sample = wideByQuarter(
      [
        ["Single management team", null, 10 + b, 20],
        ["CCTV, Lifeline and ICT", null, 30, null],
      ],
      [{ top: 1, bottom: 2, left: 3, right: 3 }],
    )(file);
    return sample;
  };

  it("refuses one over two services', two years' or two figures' quarter rows at its cell and each row under it, naming the rows that differ (--skip-invalid-rows stores none of them), and keeps one over a figure's own rows as one, in .xlsx, .xls and .ods", async () => {
    for (const { format, bump: b, importSample } of inEveryFormat(db, dir)) {
      if (format === "csv") continue; // no merges
      const refused = await importSample(long(b)(`merged-figure.${format}`));
      expect(refused.status, format).toBe("REFUSED");
      expect(
        refused.problems.map((p) => [
          p.code,
          p.severity,
          p.row,
          p.cell,
          p.message,
        ]),
        format,
      ).toEqual([
        [
          "merged-figure",
          "error",
          5,
          "D5",
          `Quarters!D5 holds one figure (${100 + b}) merged down over D5:D6, whose rows are of different figures: its Service is "Single management team" in A5 but "CCTV, Lifeline and ICT" in A6. A figure of several rows together cannot be stored as one row's, nor split without guessing: unmerge it and write each row's own figure.`,
        ],
        [
          "merged-figure",
          "error",
          6,
          "D6",
          "Quarters!D6 lies under the figure merged down from D5 (over D5:D6), which is several rows' together: this row's own figure there cannot be told. Unmerge it and write each row's own figure.",
        ],
        [
          "merged-figure",
          "error",
          7,
          "D7",
          `Quarters!D7 holds one figure (50) merged down over D7:D8, whose rows are of different figures: its Financial year is "2010/11" in B7 but "2011/12" in B8. A figure of several rows together cannot be stored as one row's, nor split without guessing: unmerge it and write each row's own figure.`,
        ],
        [
          "merged-figure",
          "error",
          8,
          "D8",
          "Quarters!D8 lies under the figure merged down from D7 (over D7:D8), which is several rows' together: this row's own figure there cannot be told. Unmerge it and write each row's own figure.",
        ],
        [
          "merged-figure",
          "error",
          13,
          "D13",
          `Quarters!D13 holds one figure (40) merged down over D13:D14, whose rows are of different figures: its Service is "Procurement" in A13 but "Building Control" in A14. A figure of several rows together cannot be stored as one row's, nor split without guessing: unmerge it and write each row's own figure.`,
        ],
        [
          "merged-figure",
          "error",
          14,
          "D14",
          "Quarters!D14 lies under the figure merged down from D13 (over D13:D14), which is several rows' together: this row's own figure there cannot be told. Unmerge it and write each row's own figure.",
        ],
        // Each quarter's figure it covers a quarter of is no sum of its quarters.
        [
          "incomplete-figure",
          "warning",
          13,
          "D13",
          'The 2010/11 forecast figure of "Procurement" is the sum of its quarter rows, and the quarter in D13 has an error: nothing is stored for that year until every quarter row can be read. Correct that row and import the file again.',
        ],
        [
          "incomplete-figure",
          "warning",
          14,
          "D14",
          'The 2010/11 forecast figure of "Building Control" is the sum of its quarter rows, and the quarter in D14 has an error: nothing is stored for that year until every quarter row can be read. Correct that row and import the file again.',
        ],
      ]);
      await db.orm.em
        .fork()
        .getConnection()
        .execute("delete from savings_figure");
      const skipped = await importSample(long(b)(`merged-figure.${format}`), {
        skipInvalidRows: true,
      });
      expect(skipped.status, format).toBe("IMPORTED_WITH_SKIPPED_ROWS");
      expect(await stored(skipped.importRunId), format).toEqual([
        "Internal Audit 2010 FORECAST 10.00",
        "Legal Services 2010 FORECAST 30.00",
      ]);
      const wideRefused = await importSample(wide(b)(`merged-wide.${format}`));
      expect(
        wideRefused.problems.map((p) => [p.code, p.cell, p.message]),
        format,
      ).toEqual([
        [
          "merged-figure",
          "D5",
          `Quarters!D5 holds one figure (20) merged down over D5:D6, whose rows are of different figures: its Service is "Single management team" in A5 but "CCTV, Lifeline and ICT" in A6. A figure of several rows together cannot be stored as one row's, nor split without guessing: unmerge it and write each row's own figure.`,
        ],
        [
          "merged-figure",
          "D6",
          "Quarters!D6 lies under the figure merged down from D5 (over D5:D6), which is several rows' together: this row's own figure there cannot be told. Unmerge it and write each row's own figure.",
        ],
      ]);
    }
  });
});

describe("a Quarter column naming its years", () => {
  /** Service | Quarter | Amount: no year column, no year above the table. */
  const noYearColumn = (rows: Line[]) => (file: string) => {
    const sample = rowAQuarter(rows)(file);
    sample.sheets[0]!.header = ["Service", "Quarter", "Amount"];
    return sample;
  };

  it("takes each row's year from its quarter, however it is written (Q1 2010/11, Q2 10/11, 2010/11 Q3, Apr-Jun 2011, Jan-Mar 2011, June 2010, a date of its last month), in all four formats", async () => {
    await importEach(
      (b) =>
        noYearColumn([
          ["Single management team", "Q1 2010/11", 100 + b],
          ["Single management team", "Q2 10/11", 200],
          ["Single management team", "2010/11 Q3", 300],
          ["Single management team", "Jan-Mar 2011", 400],
          ["Single management team", "Apr-Jun 2011", 7],
          ["CCTV, Lifeline and ICT", "June 2010", 10],
          ["CCTV, Lifeline and ICT", new Date(Date.UTC(2010, 8, 30)), 20],
          ["CCTV, Lifeline and ICT", "Quarter 3 of 2010/11", 30],
        ]),
      (report, figures, b, format) => {
        expect(figures, format).toEqual([
          "CCTV, Lifeline and ICT 2010 FORECAST 60.00",
          `Single management team 2010 FORECAST ${1000 + b}.00`,
          "Single management team 2011 FORECAST 7.00",
        ]);
        expect(report.problems, format).toEqual([]);
      },
    );
  });

  it("refuses a quarter that names no year when nothing else does, and a month that ends no quarter, naming each cell", async () => {
    expect(
      await refusal(
        noYearColumn([
          ["Single management team", "Q1", 100],
          ["Single management team", "May 2010", 200],
          ["Single management team", "Q1 2010", 300],
        ]),
        "no-year-quarters.xlsx",
      ),
    ).toEqual([
      [
        "missing-value",
        "error",
        "B5",
        'Row 5 has no financial year: write its quarter with its year in B5 ("Q1 2010/11"), add a Financial year column, or name the year above the table ("Savings 2010/11").',
      ],
      [
        "bad-value",
        "error",
        "B6",
        `"May 2010" in B6 is not a quarter of the financial year: write Q1 to Q4 (Qtr 1, Quarter 1, Apr-Jun, or the quarter's last month, June 2010; Q1 is April to June), with its year if you like (Q1 2010/11), or leave it blank for a figure of the whole year.`,
      ],
      [
        "bad-value",
        "error",
        "B7",
        `"Q1 2010" in B7 is not a quarter of the financial year: write Q1 to Q4 (Qtr 1, Quarter 1, Apr-Jun, or the quarter's last month, June 2010; Q1 is April to June), with its year if you like (Q1 2010/11), or leave it blank for a figure of the whole year.`,
      ],
    ]);
  });
});

describe("a year to date beside quarters", () => {
  it("checks a YTD column against the quarters written (under the year, or beside quarters headed Apr-Jun 2010 ... Jan-Mar 2011) and a YTD row against its quarter rows, never summing either, in all four formats", async () => {
    await importEach(
      (b) =>
        quarterly(
          ["Service", "2010/11", "", "", "", ""],
          ["", "Q1", "Q2", "Q3", "Q4", "YTD"],
          [
            [
              "Single management team",
              61500 + b,
              61500,
              null,
              null,
              123000 + b,
            ],
            ["CCTV, Lifeline and ICT", 30000, 30000, null, null, 50000],
          ],
        ),
      (report, figures, b, format) => {
        expect(figures, format).toEqual([
          "CCTV, Lifeline and ICT 2010 FORECAST 60000.00",
          `Single management team 2010 FORECAST ${123000 + b}.00`,
        ]);
        expect(problemLines(report), format).toEqual([
          [
            "total-mismatch",
            "F7",
            `"2010/11 YTD" in F7 says £50000.00, but its quarters B7:E7 add up to £60000.00: correct the total or the quarters. (Totals are checked, never imported; the year's figure is the quarters' sum.)`,
          ],
        ]);
        expect(report.sheets[0]!.header!.columns[5], format).toMatchObject({
          use: "year",
          totalOfQuarters: true,
        });
      },
    );
    // Quarters headed by their months and calendar years, a YTD beside them: of 2010/11.
    await importEach(
      (b) => (file) => {
        const sample = quarterly(
          [
            "Service",
            "Apr-Jun 2010",
            "Jul-Sep 2010",
            "Oct-Dec 2010",
            "Jan-Mar 2011",
            "Year to date",
          ],
          [],
          [
            [
              "Single management team",
              61500 + b,
              61500,
              61500,
              61500,
              246000 + b,
            ],
            ["CCTV, Lifeline and ICT", 30000, 30000, 30000, null, 100000],
          ],
        )(file);
        delete sample.sheets[0]!.subHeader;
        return sample;
      },
      (report, figures, b, format) => {
        expect(figures, format).toEqual([
          "CCTV, Lifeline and ICT 2010 FORECAST 90000.00",
          `Single management team 2010 FORECAST ${246000 + b}.00`,
        ]);
        expect(problemLines(report), format).toEqual([
          [
            "total-mismatch",
            "F6",
            `"Year to date" in F6 says £100000.00, but its quarters B6:E6 add up to £90000.00: correct the total or the quarters. (Totals are checked, never imported; the year's figure is the quarters' sum.)`,
          ],
        ]);
        expect(report.sheets[0]!.header!.columns[4], format).toMatchObject({
          header: "Jan-Mar 2011",
          year: "2010/11",
          quarter: 4,
        });
      },
    );
    await importEach(
      (b) =>
        rowAQuarter([
          ["Single management team", "2010/11", "Q1", 61500 + b],
          ["Single management team", "2010/11", "Q2", 61500],
          ["Single management team", "2010/11", "Year to date", 120000],
        ]),
      (report, figures, b, format) => {
        expect(figures, format).toEqual([
          `Single management team 2010 FORECAST ${123000 + b}.00`,
        ]);
        expect(
          report.problems.map((p) => [p.code, p.cell]),
          format,
        ).toEqual([["total-mismatch", "D7"]]);
      },
    );
  });
});

describe("a year to date beside a row a quarter's amount", () => {
  it("checks each row's year to date against its figure's quarters so far, never importing it, in all four formats", async () => {
    await importEach(
      (b) => (file) => {
        const sample = rowAQuarter([
          ["Single management team", "2010/11", "Q1", 61500 + b, 61500 + b],
          ["Single management team", "2010/11", "Q2", 61500, 123000 + b],
          // A blank quarter adds nothing to the year so far.
          ["Single management team", "2010/11", "Q3", null, 123000 + b],
          ["Single management team", "2010/11", "Q4", 61500, 180000],
          ["CCTV, Lifeline and ICT", "2010/11", "Q1", 30000, 30000],
        ])(file);
        sample.sheets[0]!.header.push("YTD");
        return sample;
      },
      (report, figures, b, format) => {
        expect(figures, format).toEqual([
          "CCTV, Lifeline and ICT 2010 FORECAST 30000.00",
          `Single management team 2010 FORECAST ${184500 + b}.00`,
        ]);
        expect(problemLines(report), format).toEqual([
          [
            "total-mismatch",
            "E8",
            `The year to date in E8 says £180000.00, but its quarters to quarter 4 (D5, D6, D7, D8) add up to £${184500 + b}.00: correct the year to date or the quarters. (A year to date is checked, never imported; the year's figure is the quarters' sum.)`,
          ],
        ]);
        expect(report.sheets[0]!.header!.columns[4], format).toMatchObject({
          header: "YTD",
          use: "role",
          role: "yearToDate",
        });
      },
    );
  });
});
