import { describe, expect, it } from "vitest";
import type { SampleWorkbook } from "../../fixtures/generate-samples.js";
import { writeSampleAs } from "../../fixtures/write-sheet-formats.js";
import {
  importWorkbook,
  type ImportOptions,
} from "../../importers/import-workbook.js";
import { useTestDatabase } from "../support/test-database.js";
import {
  workbookDir,
  writeTestWorkbook,
} from "./support/write-test-workbook.js";
import { WORKBOOK_FORMATS } from "../../importers/workbook-format.js";
import { inEveryFormat } from "./support/import-in-every-format.js";

const db = useTestDatabase();
const dir = workbookDir();

const PARTNERSHIP = "Bromsgrove and Redditch Shared Services";

type Line = (string | number | null)[];

/** A service list of the partnership, with the title lines given. */
function serviceList(
  title: Line[],
  header: string[],
  rows: Line[],
  sheet = "Services",
  file = "services.xlsx",
): SampleWorkbook {
  return {
    file,
    sheets: [
      {
        name: sheet,
        title: [...title, ["Partnership:", PARTNERSHIP]],
        header,
        rows,
      },
    ],
  };
}

/** Every stored figure of the partnership, as an analyst would read it. */
async function figures(): Promise<string[]> {
  const rows = await db.orm.em
    .fork()
    .getConnection()
    .execute<
      {
        service: string;
        council: string | null;
        reported_by: string | null;
        financial_year: number;
        measure: string;
        cashable: boolean;
        amount: string;
        reporting_period: string;
        from_service_list: boolean;
      }[]
    >(
      `select s.name as service, c.gss_code as council, r.gss_code as reported_by, f.financial_year,
              f.measure, f.cashable, f.amount::text as amount, f.reporting_period, f.from_service_list
       from savings_figure f join service s on s.id = f.service_id join partnership p on p.id = s.partnership_id
       left join council c on c.id = f.council_id left join council r on r.id = f.reported_by_id
       where p.name = ? order by 1, 2, 4, 5, 8`,
      [PARTNERSHIP],
    );
  return rows.map(
    (r) =>
      `${r.service} ${r.council ?? "total"} ${r.financial_year} ${r.measure}${r.cashable ? "" : " non-cashable"} ${r.amount} as of ${r.reporting_period} by ${r.reported_by ?? "the partnership"}${r.from_service_list ? " (service list)" : ""}`,
  );
}

/** Each service's estimatedAnnualSaving. */
async function estimates(): Promise<Record<string, string | null>> {
  const rows = await db.orm.em
    .fork()
    .getConnection()
    .execute<{ name: string; estimate: string | null }[]>(
      `select s.name, s.estimated_annual_saving::text as estimate from service s
       join partnership p on p.id = s.partnership_id where p.name = ? order by s.name`,
      [PARTNERSHIP],
    );
  return Object.fromEntries(rows.map((r) => [r.name, r.estimate]));
}

async function clear(): Promise<void> {
  await db.orm.em
    .fork()
    .getConnection()
    .execute(
      `delete from savings_figure f using service s, partnership p
       where s.id = f.service_id and p.id = s.partnership_id and p.name = ?`,
      [PARTNERSHIP],
    );
}

async function imported(
  sample: SampleWorkbook,
  options: ImportOptions = {},
  format: (typeof WORKBOOK_FORMATS)[number] = "xlsx",
) {
  const path =
    format === "xlsx"
      ? await writeTestWorkbook(dir, sample)
      : await writeSampleAs(sample, format, dir);
  const report = await importWorkbook(db.orm, path, options);
  expect(
    report.problems.filter((p) => p.severity === "error"),
    sample.file,
  ).toEqual([]);
  expect(report.status).toBe("IMPORTED");
  return report;
}

describe("a service list's estimated savings", () => {
  it("are ESTIMATE figures of the partnership for the sheet's year and month, in all four formats, and the services' estimates", async () => {
    for (const { bump, format } of inEveryFormat(db, dir)) {
      await clear();
      const report = await imported(
        serviceList(
          [["Shared services"], ["Period:", "June 2011"]],
          ["Service", "Est. cashable savings p.a."],
          [
            ["Single management team", 246000 + bump],
            ["CCTV, Lifeline and ICT", "£120k"],
            ["Legal services", null],
          ],
        ),
        {},
        format,
      );
      expect(await figures(), format).toEqual([
        "CCTV, Lifeline and ICT total 2011 ESTIMATE 120000.00 as of 2011-06 by the partnership (service list)",
        `Single management team total 2011 ESTIMATE ${246000 + bump}.00 as of 2011-06 by the partnership (service list)`,
      ]);
      expect(await estimates(), format).toEqual({
        "CCTV, Lifeline and ICT": "120000.00",
        "Legal services": null,
        "Single management team": `${246000 + bump}.00`,
      });
      expect(report.sheets[0]).toMatchObject({ kind: "services" });
      expect(report.sheets[0]!.header!.financialYear).toEqual({
        value: null,
        source: "the financial year of the sheet's reporting month",
      });
    }
  });

  it("take the row's year column, else the year the title, period line or sheet name names, else the reporting month's; cashable from the header or a Saving type column", async () => {
    const cases: {
      sample: SampleWorkbook;
      options?: ImportOptions;
      expected: string[];
    }[] = [
      {
        sample: serviceList(
          [["Period: June 2011"]],
          ["Service", "Financial year", "Saving type", "Savings per annum"],
          [
            ["Single management team", "2012/13", "Cashable", 1000],
            ["CCTV, Lifeline and ICT", "2013/14", "Non-cashable", 2000],
          ],
        ),
        expected: [
          "CCTV, Lifeline and ICT total 2013 ESTIMATE non-cashable 2000.00 as of 2011-06 by the partnership (service list)",
          "Single management team total 2012 ESTIMATE 1000.00 as of 2011-06 by the partnership (service list)",
        ],
      },
      {
        sample: serviceList(
          [["Shared services 2013/14"]],
          ["Service", "Hosted by", "Est. cashable savings p.a."],
          [["Single management team", "Bromsgrove", 3000]],
        ),
        options: { period: "2011-06" },
        expected: [
          "Single management team total 2013 ESTIMATE 3000.00 as of 2011-06 by the partnership (service list)",
        ],
      },
      {
        sample: serviceList(
          [["Period: P3 2014/15"]],
          ["Service", "Status", "Estimated annual saving £"],
          [["Single management team", "Live", 4000]],
        ),
        expected: [
          "Single management team total 2014 ESTIMATE 4000.00 as of 2014-06 by the partnership (service list)",
        ],
      },
      {
        sample: serviceList(
          [],
          ["Service", "Partner councils", "Estimated annual saving £"],
          [["Single management team", "Bromsgrove, Redditch", 5000]],
          "Services 2015-16",
          "services-2011-06.xlsx",
        ),
        expected: [
          "Single management team total 2015 ESTIMATE 5000.00 as of 2011-06 by the partnership (service list)",
        ],
      },
      {
        sample: serviceList(
          [["Period: February 2012"]],
          ["Service", "Non-cashable savings per annum"],
          [["Single management team", 6000]],
        ),
        expected: [
          "Single management team total 2011 ESTIMATE non-cashable 6000.00 as of 2012-02 by the partnership (service list)",
        ],
      },
    ];
    for (const { sample, options, expected } of cases) {
      await clear();
      await imported(sample, options);
      expect(await figures(), JSON.stringify(sample.sheets[0]!.title)).toEqual(
        expected,
      );
    }
  });

  it("stay on the services only, with one warning naming the column's header, when the sheet says no month", async () => {
    await clear();
    const report = await imported(
      serviceList(
        [["Shared services"]],
        ["Service", "Est. cashable savings p.a."],
        [
          ["Single management team", 7000],
          ["CCTV, Lifeline and ICT", 8000],
        ],
      ),
    );
    expect(report.problems).toMatchObject([
      {
        code: "bad-period",
        severity: "warning",
        sheet: "Services",
        cell: "B3",
        message: expect.stringMatching(
          /were kept on the services but not recorded as ESTIMATE savings figures.*"Period: June 2010".*--period/,
        ),
      },
    ]);
    expect(await figures()).toEqual([]);
    expect(await estimates()).toMatchObject({
      "Single management team": "7000.00",
      "CCTV, Lifeline and ICT": "8000.00",
    });
  });

  it("whose year or Saving type cell is unreadable stay on their services only, with a warning naming the cell, and the list imports", async () => {
    await clear();
    const report = await imported(
      serviceList(
        [["Period: June 2011"]],
        ["Service", "Year", "Saving type", "Savings per annum"],
        [
          ["Single management team", "tbc", "Cashable", 1000],
          ["CCTV, Lifeline and ICT", "2012/13", "Maybe", 2000],
          ["Legal services", null, null, 3000],
        ],
      ),
    );
    expect(report.problems.map((p) => [p.code, p.severity, p.cell])).toEqual([
      ["bad-financial-year", "warning", "B4"],
      ["bad-value", "warning", "C5"],
    ]);
    expect(await figures()).toEqual([
      "Legal services total 2011 ESTIMATE 3000.00 as of 2011-06 by the partnership (service list)",
    ]);
    expect(await estimates()).toEqual({
      "CCTV, Lifeline and ICT": "2000.00",
      "Legal services": "3000.00",
      "Single management team": "1000.00",
    });
  });

  it("are reported by the council the Submitted by line names", async () => {
    await clear();
    await imported(
      serviceList(
        [["Period: June 2011"], ["Submitted by:", "Redditch Borough Council"]],
        ["Service", "Est. cashable savings p.a."],
        [["Single management team", 9000]],
      ),
    );
    expect(await figures()).toEqual([
      "Single management team total 2011 ESTIMATE 9000.00 as of 2011-06 by E07000236 (service list)",
    ]);
  });

  const list = (rows: Line[]) =>
    serviceList(
      [["Period: June 2011"]],
      ["Service", "Est. cashable savings p.a."],
      rows,
    );
  const tracker = (rows: Line[]): SampleWorkbook => ({
    file: "tracker.xlsx",
    sheets: [
      {
        name: "Tracker",
        title: [["Period: June 2011"], ["Partnership:", PARTNERSHIP]],
        header: ["Service", "Financial year", "Measure", "Amount"],
        rows,
      },
    ],
  });
  const trackerRows: Line[] = [
    ["Single management team", "2011/12", "Target", 500],
    ["Single management team", "2012/13", "Estimate", 600],
  ];

  it("and a tracker of the same partnership and month never remove each other's figures, in either order", async () => {
    const both = [
      "CCTV, Lifeline and ICT total 2011 ESTIMATE 2000.00 as of 2011-06 by the partnership (service list)",
      "Single management team total 2011 ESTIMATE 1000.00 as of 2011-06 by the partnership (service list)",
      "Single management team total 2011 TARGET 500.00 as of 2011-06 by the partnership",
      "Single management team total 2012 ESTIMATE 600.00 as of 2011-06 by the partnership",
    ];
    const listRows: Line[] = [
      ["Single management team", 1000],
      ["CCTV, Lifeline and ICT", 2000],
    ];
    for (const order of ["list first", "tracker first"]) {
      await clear();
      const first =
        order === "list first" ? list(listRows) : tracker(trackerRows);
      const second =
        order === "list first" ? tracker(trackerRows) : list(listRows);
      await imported(first);
      const report = await imported(second);
      expect(report.sheets[0]!.removed, order).toBe(0);
      expect(await figures(), order).toEqual(both);
      // Each imported again alone, the other's figures stay.
      expect((await imported(first)).sheets[0]!.removed, order).toBe(0);
      expect(await figures(), order).toEqual(both);
    }
    // A tracker dropping its own estimate removes it, and only it.
    const report = await imported(tracker(trackerRows.slice(0, 1)));
    expect(report.sheets[0]!.removed).toBe(1);
    expect(await figures()).toEqual(both.slice(0, 3));
  });

  it("of a service dropped from the list imported again are removed and said so; the identical list again changes nothing", async () => {
    await clear();
    await imported(
      list([
        ["Single management team", 1000],
        ["CCTV, Lifeline and ICT", 2000],
      ]),
    );
    await imported(tracker(trackerRows));
    const dropped = await imported(list([["Single management team", 1000]]));
    expect(dropped.sheets[0]).toMatchObject({ removed: 1, created: 0 });
    expect(await figures()).toEqual([
      "Single management team total 2011 ESTIMATE 1000.00 as of 2011-06 by the partnership (service list)",
      "Single management team total 2011 TARGET 500.00 as of 2011-06 by the partnership",
      "Single management team total 2012 ESTIMATE 600.00 as of 2011-06 by the partnership",
    ]);
    expect(await estimates()).toMatchObject({
      "Single management team": "1000.00",
      "CCTV, Lifeline and ICT": null,
    });
    const again = await imported(list([["Single management team", 1000]]));
    expect(again.sheets[0]).toMatchObject({
      created: 0,
      updated: 0,
      removed: 0,
    });
    expect(again.sheets[0]!.unchanged).toBeGreaterThanOrEqual(1);
    expect(await figures()).toHaveLength(3);
  });
  it("are refused when the title and the file name name different months, naming both, as a tracker is; --period settles it with a warning", async () => {
    await clear();
    const sample = serviceList(
      [["Shared services"], ["Period:", "June 2011"]],
      ["Service", "Est. cashable savings p.a."],
      [["Single management team", 1000]],
      "Services",
      "services-2011-07.xlsx",
    );
    const path = await writeTestWorkbook(dir, sample);
    const refused = await importWorkbook(db.orm, path);
    expect(refused.status).toBe("REFUSED");
    expect(refused.problems).toMatchObject([
      {
        code: "bad-period",
        severity: "error",
        sheet: "Services",
        cell: "B2",
        value: "2011-07",
        message:
          'the period written in Services!B2 says the period is 2011-06, but the file name "services-2011-07.xlsx" says 2011-07: correct one of them, or import with --period.',
      },
    ]);
    expect(await figures()).toEqual([]);
    const settled = await importWorkbook(db.orm, path, { period: "2011-07" });
    expect(settled.status).toBe("IMPORTED");
    expect(await figures()).toEqual([
      "Single management team total 2011 ESTIMATE 1000.00 as of 2011-07 by the partnership (service list)",
    ]);
    expect(settled.problems).toMatchObject([
      {
        code: "bad-period",
        severity: "warning",
        message:
          "--period 2011-07 was used, but the period written in Services!B2 says 2011-06.",
      },
    ]);
  });
});
