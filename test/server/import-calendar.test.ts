import { beforeAll, describe, expect, it } from "vitest";
import { importWorkbook } from "../../importers/import-workbook.js";
import { toGlobalId } from "../../schema/global-id.js";
import { reportingMonths, shiftMonth } from "../../schema/reporting-months.js";
import { Role } from "../../schema/role.js";
import { callerWith } from "../support/callers.js";
import { createTestGraphql, type TestGraphql } from "../support/graphql.js";
import { useTestDatabase } from "../support/test-database.js";
import {
  figures,
  longTracker,
} from "../importers/support/tracker-workbooks.js";
import {
  workbookDir,
  writeTestWorkbook,
} from "../importers/support/write-test-workbook.js";

const db = useTestDatabase();
let graphql: TestGraphql;
const runs: Record<string, number> = {};
beforeAll(async () => {
  graphql = await createTestGraphql(db.orm);
  const dir = workbookDir();
  // June and August 2008 sent, July not; a refused September writes nothing.
  for (const [file, period, rows] of [
    ["june.xlsx", "June 2008", figures(2)],
    ["august.xlsx", "August 2008", figures(3)],
    [
      "september.xlsx",
      "September 2008",
      [[null, "W", "2007/13", "Achieved", 1]],
    ],
  ] as [string, string, (string | number | null)[][]][]) {
    const report = await importWorkbook(
      db.orm,
      await writeTestWorkbook(dir, longTracker(file, period, rows)),
    );
    runs[file] = report.importRunId;
  }
  // July checked (a dry run) but never imported.
  const check = await importWorkbook(
    db.orm,
    await writeTestWorkbook(
      dir,
      longTracker("july-check.xlsx", "July 2008", figures(1)),
    ),
    { dryRun: true },
  );
  runs["july-check.xlsx"] = check.importRunId;
});

const CALENDAR = `query ($from: String, $to: String) { importsByMonth(from: $from, to: $to) {
  partnership { name } missingMonths
  months { reportingPeriod figureCount beforeFirstTracker runs { fileName runBy } } } }`;

interface Calendar {
  importsByMonth: {
    partnership: { name: string };
    missingMonths: number;
    months: {
      reportingPeriod: string;
      figureCount: number;
      beforeFirstTracker: boolean;
      runs: { fileName: string; runBy: string }[];
    }[];
  }[];
}

describe("months of reporting", () => {
  it("counts months across a year's end, both ends included", () => {
    expect(shiftMonth("2008-11", 3)).toBe("2009-02");
    expect(shiftMonth("2008-01", -1)).toBe("2007-12");
    expect(reportingMonths("2008-11", "2009-02")).toEqual([
      "2008-11",
      "2008-12",
      "2009-01",
      "2009-02",
    ]);
    expect(reportingMonths("2009-02", "2008-11")).toEqual([]);
  });
});

describe("the import history by partnership and month", () => {
  it("shows each month's imports and who ran them, and marks a month without a tracker", async () => {
    const answer = await graphql.run<Calendar>(CALENDAR, {
      from: "2008-05",
      to: "2008-09",
    });
    expect(answer.errors).toBeUndefined();
    const derbyshire = answer.data!.importsByMonth.find(
      (p) => p.partnership.name === "Derbyshire RCE Shared Services",
    )!;
    expect(
      derbyshire.months.map((m) => [
        m.reportingPeriod,
        m.figureCount,
        m.beforeFirstTracker,
        m.runs.map((r) => r.fileName),
      ]),
    ).toEqual([
      ["2008-05", 0, true, []],
      ["2008-06", 2, false, ["june.xlsx"]],
      ["2008-07", 0, false, []],
      ["2008-08", 3, false, ["august.xlsx"]],
      ["2008-09", 0, false, []],
    ]);
    expect(derbyshire.missingMonths).toBe(2);
    expect(derbyshire.months[1]!.runs[0]!.runBy).toBeTruthy();
  });

  it("ends by default at the latest month with figures, twelve months in all", async () => {
    const answer = await graphql.run<Calendar>(CALENDAR, {});
    const months = answer.data!.importsByMonth[0]!.months;
    expect(months).toHaveLength(12);
    expect(months.at(-1)!.reportingPeriod).toBe("2008-08");
  });

  it("refuses a range backwards or longer than five years, naming the months", async () => {
    const backwards = await graphql.run(CALENDAR, {
      from: "2008-09",
      to: "2008-05",
    });
    expect(backwards.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const long = await graphql.run(CALENDAR, {
      from: "2000-01",
      to: "2008-05",
    });
    expect(long.errors?.[0]?.message).toMatch(/101 months; ask for at most 60/);
  });

  it("lists each month's dry runs and refused runs apart, for national callers only", async () => {
    const CHECKS = `query ($from: String, $to: String) { importChecksByMonth(from: $from, to: $to) {
      reportingPeriod runs { fileName status } } }`;
    type Checks = {
      importChecksByMonth: {
        reportingPeriod: string;
        runs: { fileName: string; status: string }[];
      }[];
    };
    const answer = await graphql.run<Checks>(CHECKS, {
      from: "2008-05",
      to: "2008-09",
    });
    expect(answer.errors).toBeUndefined();
    expect(
      answer.data!.importChecksByMonth.map((m) => [
        m.reportingPeriod,
        m.runs.map((r) => `${r.fileName} ${r.status}`),
      ]),
    ).toEqual([
      ["2008-05", []],
      ["2008-06", []],
      ["2008-07", ["july-check.xlsx DRY_RUN"]],
      ["2008-08", []],
      ["2008-09", ["september.xlsx REFUSED"]],
    ]);
    const bound = await graphql.run<Checks>(
      CHECKS,
      { from: "2008-05", to: "2008-09" },
      callerWith(Role.VIEWER, ["E07000033"]),
    );
    expect(bound.errors).toBeUndefined();
    expect(bound.data!.importChecksByMonth.flatMap((m) => m.runs)).toEqual([]);
    expect(bound.data!.importChecksByMonth).toHaveLength(5);
  });

  it("lists a council-bound token's partnerships only: none for a council that is a member of none", async () => {
    const answer = await graphql.run<Calendar>(
      CALENDAR,
      {},
      callerWith(Role.VIEWER, ["E07000034"]),
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.importsByMonth).toEqual([]);
  });
});

describe("the figures an import run wrote", () => {
  it("lists them with their cells, and counts them", async () => {
    const answer = await graphql.run<{
      import: {
        figureCount: number;
        figures: {
          sourceSheet: string;
          sourceCell: string;
          amount: { amount: string };
        }[];
      };
    }>(
      `query ($id: ID!) { import(id: $id) { figureCount figures(first: 2) { sourceSheet sourceCell amount { amount } } } }`,
      { id: toGlobalId("ImportRun", runs["august.xlsx"]!) },
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.import.figureCount).toBe(3);
    expect(answer.data!.import.figures).toEqual([
      {
        sourceSheet: "Tracker",
        sourceCell: "E6",
        amount: { amount: "1000.00" },
      },
      {
        sourceSheet: "Tracker",
        sourceCell: "E7",
        amount: { amount: "1001.00" },
      },
    ]);
  });

  it("lists none for a refused run", async () => {
    const answer = await graphql.run<{
      import: { figureCount: number; figures: unknown[] };
    }>(`query ($id: ID!) { import(id: $id) { figureCount figures { id } } }`, {
      id: toGlobalId("ImportRun", runs["september.xlsx"]!),
    });
    expect(answer.data!.import).toEqual({ figureCount: 0, figures: [] });
  });
});
