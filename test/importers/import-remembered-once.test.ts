import { beforeAll, describe, expect, it } from "vitest";
import type { SampleWorkbook } from "../../fixtures/generate-samples.js";
import { importWorkbook } from "../../importers/import-workbook.js";
import { sampleWorkbookPaths } from "../../importers/import-sample-data.js";
import { SavingsMeasure } from "../../schema/savings-measure.js";
import { useTestDatabase } from "../support/test-database.js";
import {
  workbookDir,
  writeTestWorkbook,
} from "./support/write-test-workbook.js";

// The worker reader runs the build (`npm test` builds first).
const db = useTestDatabase();
const dir = workbookDir();
beforeAll(async () => {
  for (const path of sampleWorkbookPaths().slice(0, 2))
    expect((await importWorkbook(db.orm, path, { runBy: "test" })).status).toBe(
      "IMPORTED",
    );
});

const HEADER = ["Council", "Workstream", "Financial year", "Amount (£)"];
const PARTNERSHIP = "Derbyshire RCE Shared Services";
const COUNCILS = [
  null,
  "Chesterfield Borough Council",
  "Bolsover District Council",
  "North East Derbyshire District Council",
];

/** A tracker naming no measure and no partnership: both are answers to give or remember. */
function tracker(
  file: string,
  rows: (string | number | null)[][],
): SampleWorkbook {
  return {
    file,
    sheets: [
      {
        name: "Savings",
        title: [["Shared services savings"], ["Period:", "June 2010"]],
        header: HEADER,
        rows,
      },
    ],
  };
}

/** How many passes over the file the import made: each pass opens its staging table once. */
function passes(): number {
  return db.queries.filter((q) =>
    q.includes("create temporary table import_savings"),
  ).length;
}

/** The month's figures by measure: `{ FORECAST: 2400 }`. */
async function figuresByMeasure(
  period: string,
): Promise<Record<string, number>> {
  const rows = await db.orm.em
    .getConnection()
    .execute<{ measure: string; n: number }[]>(
      `select measure, count(*)::int as n from savings_figure where reporting_period = ? group by measure`,
      [period],
    );
  return Object.fromEntries(rows.map((r) => [r.measure, r.n]));
}

describe("a workbook whose layout has remembered answers", () => {
  let juneRun = 0;
  beforeAll(async () => {
    const june = await writeTestWorkbook(
      dir,
      tracker("once-june.xlsx", [[null, "Internal Audit", "2010/11", 1000]]),
    );
    const first = await importWorkbook(db.orm, june, {
      runBy: "test",
      rememberAnswers: true,
      measure: SavingsMeasure.FORECAST,
      partnership: PARTNERSHIP,
    });
    expect(first.status).toBe("IMPORTED");
    expect(first.savedProfile).not.toBeNull();
    juneRun = first.importRunId;
  });

  it.each([
    ["this thread", Number.POSITIVE_INFINITY],
    ["a worker thread", 0],
  ])(
    "is read once, by %s, with the answers found from its first sheet's shape",
    async (_reader, workerFromBytes) => {
      // Every council, service and year once: 2,400 figures.
      const rows = COUNCILS.flatMap((council) =>
        ["Internal Audit", "Procurement"].flatMap((service) =>
          Array.from({ length: 300 }, (_, i) => [
            council,
            service,
            `${1900 + i}/${String((1901 + i) % 100).padStart(2, "0")}`,
            1000 + i,
          ]),
        ),
      );
      const july = await writeTestWorkbook(
        dir,
        tracker(`once-july-${workerFromBytes}.xlsx`, rows),
      );
      const counted: number[] = [];
      db.resetQueryLog();
      const report = await importWorkbook(db.orm, july, {
        runBy: "test",
        rememberAnswers: true,
        limits: { workerFromBytes },
        onProgress: (p) => counted.push(p.rows),
      });
      expect(report.problems).toEqual([]);
      expect(report.status).toBe("IMPORTED");
      // One pass, and one read by the reader: each read ends by telling how many rows it read.
      expect(passes()).toBe(1);
      expect(counted).toEqual([2_400]);
      // June's answers, exactly as a second read with them gave them.
      expect(report.rememberedAnswers?.importRunId).toBe(juneRun);
      expect(report.answers).toEqual({
        measure: SavingsMeasure.FORECAST,
        partnership: PARTNERSHIP,
      });
      const sheet = report.sheets[0]!;
      expect(sheet.created + sheet.updated + sheet.unchanged).toBe(2_400);
      expect(await figuresByMeasure("2010-06")).toEqual({ FORECAST: 2_400 });
    },
  );

  it("is read again with the answers, holding the directory lock exclusive, when it adds a service", async () => {
    const path = await writeTestWorkbook(
      dir,
      tracker("once-new-service.xlsx", [
        [null, "Internal Audit", "2010/11", 1000],
        [null, "Payroll", "2010/11", 400],
      ]),
    );
    db.resetQueryLog();
    const report = await importWorkbook(db.orm, path, {
      runBy: "test",
      rememberAnswers: true,
    });
    expect(report.problems).toEqual([]);
    expect(report.status).toBe("IMPORTED");
    expect(report.rememberedAnswers?.importRunId).toBe(juneRun);
    expect(report.created).toContainEqual(
      expect.objectContaining({ name: "Payroll" }),
    );
    expect(await figuresByMeasure("2010-06")).toEqual({ FORECAST: 2 });
    // The pass that found it must add a service, then the one holding the lock exclusive.
    expect(passes()).toBe(2);
  });

  it("is read as given, in one pass, when no layout of its first sheet is remembered", async () => {
    const other = await writeTestWorkbook(dir, {
      file: "once-other.xlsx",
      sheets: [
        {
          name: "Savings",
          title: [["Shared services savings"], ["Period:", "June 2010"]],
          header: ["Council", "Service", "Financial year", "Forecast (£)"],
          rows: [[null, "Internal Audit", "2010/11", 5]],
        },
      ],
    });
    db.resetQueryLog();
    const report = await importWorkbook(db.orm, other, {
      runBy: "test",
      rememberAnswers: true,
      dryRun: true,
      partnership: PARTNERSHIP,
    });
    expect(report.status).toBe("DRY_RUN");
    expect(report.rememberedAnswers).toBeNull();
    expect(passes()).toBe(1);
  });

  it("is read again with its own layout's answers when only its first sheet matched another layout's", async () => {
    // A two-sheet layout remembered (newer than June's); a one-sheet file whose sheet is its first.
    const twoSheets: SampleWorkbook = {
      file: "once-two-sheets.xlsx",
      sheets: [
        ...tracker("x", [[null, "Internal Audit", "2010/11", 10]]).sheets,
        {
          name: "Notes",
          title: [],
          header: ["Service", "Notes"],
          rows: [["Internal Audit", "on track"]],
        },
      ],
    };
    const saved = await importWorkbook(
      db.orm,
      await writeTestWorkbook(dir, twoSheets),
      {
        runBy: "test",
        rememberAnswers: true,
        measure: SavingsMeasure.ACHIEVED,
        partnership: PARTNERSHIP,
      },
    );
    expect(saved.status).toBe("IMPORTED");
    const one = await writeTestWorkbook(
      dir,
      tracker("once-one-sheet.xlsx", [[null, "Internal Audit", "2010/11", 20]]),
    );
    db.resetQueryLog();
    const report = await importWorkbook(db.orm, one, {
      runBy: "test",
      rememberAnswers: true,
    });
    // Its own layout's answers (June's FORECAST) apply, not the two-sheet layout's ACHIEVED.
    expect(report.status).toBe("IMPORTED");
    expect(report.rememberedAnswers?.importRunId).toBe(juneRun);
    expect(await figuresByMeasure("2010-06")).toEqual({ FORECAST: 1 });
    expect(passes()).toBe(2);
  });

  it("is read again as given when only its first sheet matched and its own layout has no answers", async () => {
    // Its first sheet is the remembered two-sheet layout's (the newest of that first sheet), its
    // second sheet another (hidden, so skipped): nothing is remembered for its layout, and it names
    // neither measure nor partnership.
    const path = await writeTestWorkbook(dir, {
      file: "once-unknown-second.xlsx",
      sheets: [
        ...tracker("x", [[null, "Internal Audit", "2010/11", 30]]).sheets,
        {
          name: "Comments",
          hidden: true,
          title: [],
          header: ["Service", "Comments"],
          rows: [["Internal Audit", "late"]],
        },
      ],
    });
    db.resetQueryLog();
    const report = await importWorkbook(db.orm, path, {
      runBy: "test",
      rememberAnswers: true,
    });
    expect(report.status).toBe("REFUSED");
    expect(report.rememberedAnswers).toBeNull();
    expect(report.answers).toBeNull();
    expect(report.problems.some((p) => /--measure/.test(p.message))).toBe(true);
    expect(passes()).toBe(2);
  });
});

describe("a workbook creating its partnership, of a layout with remembered answers", () => {
  /** A tracker whose title names a partnership the hub does not hold yet. */
  const newPartnership = (
    file: string,
    partnership: string,
    month: string,
  ): SampleWorkbook => ({
    file,
    sheets: [
      {
        name: "Partnership savings",
        title: [
          ["Shared services savings"],
          ["Period:", month],
          ["Partnership:", partnership],
        ],
        header: HEADER,
        rows: COUNCILS.slice(1).flatMap((council) =>
          ["Internal Audit", "Procurement"].map((service) => [
            council,
            service,
            "2010/11",
            1000,
          ]),
        ),
      },
    ],
  });
  let juneRun = 0;
  beforeAll(async () => {
    db.resetQueryLog();
    const june = await importWorkbook(
      db.orm,
      await writeTestWorkbook(
        dir,
        newPartnership("peak-june.xlsx", "Peak Shared Services", "June 2010"),
      ),
      { runBy: "test", rememberAnswers: true, measure: SavingsMeasure.TARGET },
    );
    expect(june.problems).toEqual([]);
    expect(june.status).toBe("IMPORTED");
    expect(june.created).toContainEqual(
      expect.objectContaining({
        type: "partnership",
        name: "Peak Shared Services",
      }),
    );
    expect(june.savedProfile).not.toBeNull();
    // The pass that found it must create the partnership, then the one holding the lock exclusive.
    expect(passes()).toBe(2);
    juneRun = june.importRunId;
  });

  it.each([
    [
      "this thread",
      Number.POSITIVE_INFINITY,
      "Dales Shared Services",
      "July 2010",
      "2010-07",
    ],
    ["a worker thread", 0, "Moors Shared Services", "August 2010", "2010-08"],
  ])(
    "is read, by %s, with the answers found from its first sheet's shape in the pass that creates it",
    async (_reader, workerFromBytes, partnership, month, period) => {
      db.resetQueryLog();
      const counted: number[] = [];
      const report = await importWorkbook(
        db.orm,
        await writeTestWorkbook(
          dir,
          newPartnership(`new-${workerFromBytes}.xlsx`, partnership, month),
        ),
        {
          runBy: "test",
          rememberAnswers: true,
          limits: { workerFromBytes },
          onProgress: (p) => counted.push(p.rows),
        },
      );
      expect(report.problems).toEqual([]);
      expect(report.status).toBe("IMPORTED");
      expect(report.rememberedAnswers?.importRunId).toBe(juneRun);
      expect(report.answers).toEqual({ measure: SavingsMeasure.TARGET });
      expect(report.created).toContainEqual(
        expect.objectContaining({ type: "partnership", name: partnership }),
      );
      expect(passes()).toBe(2);
      expect(counted).toEqual([6]);
      expect(await figuresByMeasure(period)).toEqual({ TARGET: 6 });
    },
  );
});
