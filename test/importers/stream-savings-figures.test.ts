import ExcelJS from "exceljs";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  importWorkbook,
  type ImportOptions,
  type ImportReport,
} from "../../importers/import-workbook.js";
import {
  type TestDatabase,
  useTestDatabase,
} from "../support/test-database.js";
import { longTracker } from "./support/tracker-workbooks.js";
import {
  workbookDir,
  writeTestWorkbook,
} from "./support/write-test-workbook.js";

// Figures are written while the sheet is still being read (SavingsStream). Every test here imports
// the same workbook twice, into two databases: streaming, and reading each sheet whole first
// (`streaming: false`), and expects the same figures and the same report; the first reads in a worker
// thread, the second on the test's thread. The workbooks are larger than one batch (16,384 figures)
// so that streaming really happens.

type Row = (string | number | null)[];

const streamed = useTestDatabase();
const whole = useTestDatabase();
const dir = workbookDir();

const MEASURES = ["Target", "Estimate", "Forecast", "Achieved"];
/** The three Derbyshire partners in full and short forms, and the partnership's total (no council). */
const PARTNERS_AND_TOTAL = [
  "Chesterfield Borough Council",
  "BDC",
  "NEDDC",
  null,
];

/**
 * `n` figures over `councils` in turn, each key (service, council, year, measure) once: per council,
 * forty figures a service (four measures for ten years from 2007/08), then a new service.
 */
function manyFigures(n: number, councils: (string | null)[]): Row[] {
  return Array.from({ length: n }, (_, i) => {
    const j = Math.floor(i / councils.length);
    const year = 2007 + (Math.floor(j / 4) % 10);
    return [
      councils[i % councils.length]!,
      `Workstream ${Math.floor(j / 40)}`,
      `${year}/${String((year + 1) % 100).padStart(2, "0")}`,
      MEASURES[j % 4]!,
      (i % 997) * 10 + (i % 3) / 4,
    ];
  });
}

async function figuresOf(db: TestDatabase) {
  return db.orm.em
    .fork()
    .getConnection()
    .execute<Record<string, unknown>[]>(
      `select p.name as partnership, s.name as service, c.gss_code as council, r.gss_code as reported_by,
         f.financial_year, f.measure, f.cashable, f.amount, f.reporting_period, f.rag_status,
         f.source_sheet, f.source_cell
       from savings_figure f join service s on s.id = f.service_id join partnership p on p.id = s.partnership_id
         left join council c on c.id = f.council_id left join council r on r.id = f.reported_by_id
       order by f.reporting_period, s.name, c.gss_code nulls first, f.financial_year, f.measure, f.cashable`,
    );
}

const sorted = <T>(list: T[]) =>
  list.map((item) => JSON.stringify(item)).sort();

/**
 * What must not differ between the two ways: everything but ids and timings, and the order in which
 * records were created (streaming creates a sheet's services as it meets them).
 */
function comparable(report: ImportReport) {
  return {
    status: report.status,
    reportingPeriod: report.reportingPeriod,
    sheets: report.sheets,
    created: sorted(report.created),
    problems: sorted(report.problems),
    skippedRows: report.skippedRows,
  };
}

/** Imports into both databases; expects the same report and the same stored figures. */
async function importBothWays(
  path: string,
  options: ImportOptions = {},
): Promise<ImportReport> {
  // Streaming reads in the worker thread, the other way on this thread: both readers are compared.
  const viaStream = await importWorkbook(streamed.orm, path, {
    ...options,
    limits: { workerFromBytes: 0 },
  });
  const viaWhole = await importWorkbook(whole.orm, path, {
    ...options,
    streaming: false,
    limits: { workerFromBytes: Number.POSITIVE_INFINITY },
  });
  expect(comparable(viaStream)).toEqual(comparable(viaWhole));
  expect(await figuresOf(streamed)).toEqual(await figuresOf(whole));
  return viaStream;
}

describe("writing figures while the sheet is read", () => {
  it("gives the figures and report of reading the whole sheet first, over several batches", async () => {
    const rows = manyFigures(40_000, PARTNERS_AND_TOTAL);
    const path = await writeTestWorkbook(
      dir,
      longTracker("many.xlsx", "June 2010", rows),
    );
    const report = await importBothWays(path);
    expect(report.status).toBe("IMPORTED");
    expect(report.sheets[0]).toMatchObject({ rowsRead: 40_000, unchanged: 0 });
    expect(await figuresOf(streamed)).toHaveLength(40_000);
  });

  it("applies a corrected file for the same month the same way: changed, removed and new figures", async () => {
    const rows = manyFigures(40_000, PARTNERS_AND_TOTAL);
    rows[5]![4] = 123_456.78; // changed
    rows[30_000]![4] = 1; // changed, in a later batch
    rows.splice(20_000, 8); // removed
    rows.push(["NEDDC", "Workstream 5000", "2012/13", "Target", 99]); // new
    const path = await writeTestWorkbook(
      dir,
      longTracker("many-corrected.xlsx", "June 2010", rows),
    );
    const report = await importBothWays(path);
    expect(report.status).toBe("IMPORTED");
    expect(report.sheets[0]).toMatchObject({
      updated: 2,
      removed: 8,
      unchanged: 40_000 - 8 - 2,
    });
    // The new row's figure and its new service.
    expect(report.sheets[0]!.created).toBe(2);
  });

  it("waits for the end of the sheet to decide a tracker that names one council throughout", async () => {
    const rows = manyFigures(20_000, ["Bolsover District Council"]);
    const path = await writeTestWorkbook(
      dir,
      longTracker("bolsover-own.xlsx", "July 2010", rows),
    );
    const report = await importBothWays(path);
    expect(report.status).toBe("IMPORTED");
    const reporters = new Set(
      (await figuresOf(streamed))
        .filter((f) => f.reporting_period === "2010-07")
        .map((f) => f.reported_by),
    );
    expect([...reporters]).toEqual(["E07000033"]);
  });

  it("reads a short form the whole sheet makes ambiguous as ambiguous, though it was clear when first met", async () => {
    // "CBC" is Chesterfield among the title's partners, until Cheltenham Borough Council appears
    // 18,000 rows later: then it could be either, and its rows are skipped, not written as
    // Chesterfield (streaming waits for the end of the sheet to decide a short form).
    const rows = manyFigures(20_000, ["CBC", "BDC"]);
    for (let i = 18_000; i < 20_000; i += 2)
      rows[i]![0] = "Cheltenham Borough Council";
    const path = await writeTestWorkbook(
      dir,
      longTracker("cbc.xlsx", "August 2010", rows),
    );
    const report = await importBothWays(path, { skipInvalidRows: true });
    expect(report.status).toBe("IMPORTED_WITH_SKIPPED_ROWS");
    expect(report.problems[0]).toMatchObject({
      code: "ambiguous-council",
      cell: "A6",
      value: "CBC",
    });
    const august = (await figuresOf(streamed)).filter(
      (f) => f.reporting_period === "2010-08",
    );
    expect(august.some((f) => f.council === "E07000034")).toBe(false);
    expect(august.filter((f) => f.council === "E07000078")).toHaveLength(1_000);
  });

  it("refuses a figure repeated in a later batch, naming both cells, and writes nothing", async () => {
    const rows = manyFigures(20_000, ["NEDDC", null]);
    rows[19_000] = [...rows[10]!];
    const path = await writeTestWorkbook(
      dir,
      longTracker("repeat.xlsx", "September 2010", rows),
    );
    const report = await importBothWays(path);
    expect(report.status).toBe("REFUSED");
    expect(report.problems).toMatchObject([
      {
        code: "duplicate-row",
        cell: "E19006",
        message: expect.stringContaining("Tracker!E16"),
      },
    ]);
    const september = (await figuresOf(streamed)).filter(
      (f) => f.reporting_period === "2010-09",
    );
    expect(september).toHaveLength(0);
  });

  it("keeps the first of a repeated figure with --skip-invalid-rows", async () => {
    const rows = manyFigures(20_000, ["NEDDC", null]);
    rows[19_000] = [...rows[10]!];
    rows[19_000]![4] = 5;
    const path = await writeTestWorkbook(
      dir,
      longTracker("repeat-skip.xlsx", "October 2010", rows),
    );
    const report = await importBothWays(path, { skipInvalidRows: true });
    expect(report.status).toBe("IMPORTED_WITH_SKIPPED_ROWS");
    expect(report.skippedRows).toBe(1);
    const first = (await figuresOf(streamed)).find(
      (f) => f.reporting_period === "2010-10" && f.source_cell === "E16",
    );
    expect(first?.amount).toBe(String(rows[10]![4]));
  });
});

describe("the reader's memory", () => {
  it("refuses a workbook whose text needs more memory than the reader may use, and the hub reads the next", async () => {
    // 60,000 different 400-character texts: about 24 MB of shared strings, which exceljs holds.
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("Notes");
    sheet.addRow(["Council", "Workstream", "Financial year", "Amount (£)"]);
    for (let i = 0; i < 60_000; i++)
      sheet.addRow(["NEDDC", randomBytes(200).toString("hex"), "2010/11", i]);
    const path = join(dir, "big-strings.xlsx");
    await workbook.xlsx.writeFile(path);
    const report = await importWorkbook(streamed.orm, path, {
      period: "2010-11",
      limits: { maxReaderHeapMb: 24, workerFromBytes: 0 },
    });
    expect(report.status).toBe("REFUSED");
    expect(report.problems).toContainEqual(
      expect.objectContaining({
        code: "too-large",
        message: expect.stringContaining("24 MB"),
      }),
    );
    const small = await writeTestWorkbook(
      dir,
      longTracker("after.xlsx", "November 2010", manyFigures(10, ["NEDDC"])),
    );
    expect((await importWorkbook(streamed.orm, small)).status).toBe("IMPORTED");
  });
});
