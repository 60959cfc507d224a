import { describe, expect, it } from "vitest";
import { importWorkbook } from "../../importers/import-workbook.js";
import {
  parseCellAddress,
  PROBLEM_GRID_LIMITS,
  ProblemGridBuilder,
} from "../../importers/problem-grids.js";
import { ImportRun } from "../../schema/import-run.js";
import { SavingsMeasure } from "../../schema/savings-measure.js";
import { useTestDatabase } from "../support/test-database.js";
import { figures, longTracker } from "./support/tracker-workbooks.js";
import {
  workbookDir,
  writeTestWorkbook,
} from "./support/write-test-workbook.js";

const db = useTestDatabase();
const dir = workbookDir();

/** A sheet of `rows` × `columns` cells reading "r,c", fed to a builder. */
function feed(builder: ProblemGridBuilder, rows: number, columns: number) {
  for (let r = 1; r <= rows; r++)
    builder.add({
      number: r,
      cells: Array.from({ length: columns }, (_, c) => `${r},${c}`),
    });
  return builder.grid();
}

describe("the grid of cells around a sheet's problems", () => {
  it("reads A1 addresses, and nothing else", () => {
    expect(parseCellAddress("E4")).toEqual({ column: 4, row: 4 });
    expect(parseCellAddress("AB12")).toEqual({ column: 27, row: 12 });
    expect(parseCellAddress("4E")).toBeNull();
    expect(parseCellAddress("Tracker!E4")).toBeNull();
  });

  it("holds the rows a header is searched in when a problem asks which row is the header, up to the last column in use", () => {
    const grid = feed(
      new ProblemGridBuilder("Claims", {
        cells: [],
        headerRow: null,
        topRows: true,
      }),
      500,
      4,
    );
    expect(grid.wholeSheet).toBe(false);
    expect(grid.rows.map((r) => r.row)).toEqual(
      Array.from({ length: 20 }, (_, r) => r + 1),
    );
    expect(grid.columns).toEqual(["A", "B", "C", "D"]);
    expect(grid.rows[19]!.cells).toEqual(["20,0", "20,1", "20,2", "20,3"]);
  });

  it("holds a small sheet whole", () => {
    const grid = feed(
      new ProblemGridBuilder("Claims", {
        cells: [{ column: 4, row: 4 }],
        headerRow: 3,
      }),
      6,
      5,
    );
    expect(grid.wholeSheet).toBe(true);
    expect(grid.columns).toEqual(["A", "B", "C", "D", "E"]);
    expect(grid.rows.map((r) => r.row)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(grid.rows[3]!.cells[4]).toBe("4,4");
    expect(grid.omittedProblems).toBe(0);
  });

  it("shows a cell PostgreSQL cannot keep as displayable text, so that the grid can be kept on the run", () => {
    const builder = new ProblemGridBuilder("Claims", {
      cells: [{ column: 0, row: 1 }],
      headerRow: null,
    });
    const long = "😀".repeat(PROBLEM_GRID_LIMITS.maxCellChars + 1);
    builder.add({ number: 1, cells: ["Bolsover\u0000DC", "\uD800", long] });
    expect(builder.grid().rows[0]!.cells).toEqual([
      "Bolsover␀DC",
      "�",
      `${"😀".repeat(PROBLEM_GRID_LIMITS.maxCellChars)}…`,
    ]);
  });

  it("keeps of a large sheet only the header row and the cells near each problem", () => {
    const grid = feed(
      new ProblemGridBuilder("Tracker", {
        cells: [
          { column: 20, row: 500 },
          { column: 2, row: 40 },
        ],
        headerRow: 5,
      }),
      1000,
      30,
    );
    expect(grid.wholeSheet).toBe(false);
    expect(grid.rows.map((r) => r.row)).toEqual([
      5, 38, 39, 40, 41, 42, 498, 499, 500, 501, 502,
    ]);
    // Column A for the labels, then three either side of C and of U.
    expect(grid.columns).toEqual([
      "A",
      "B",
      "C",
      "D",
      "E",
      "F",
      "R",
      "S",
      "T",
      "U",
      "V",
      "W",
      "X",
    ]);
    const row500 = grid.rows.find((r) => r.row === 500)!;
    expect(row500.cells[grid.columns.indexOf("U")]).toBe("500,20");
  });

  it("stops at its bounds and counts the problems it leaves off the grid", () => {
    const cells = Array.from({ length: 40 }, (_, i) => ({
      column: 1,
      row: 100 + i * 10,
    }));
    const grid = feed(
      new ProblemGridBuilder("Tracker", { cells, headerRow: 1 }),
      600,
      4,
    );
    expect(grid.rows.length).toBeLessThanOrEqual(PROBLEM_GRID_LIMITS.maxRows);
    expect(grid.omittedProblems).toBeGreaterThan(0);
    const shownProblemRows = cells.filter((c) =>
      grid.rows.some((r) => r.row === c.row),
    ).length;
    expect(shownProblemRows + grid.omittedProblems).toBe(cells.length);
  });
});

describe("an import keeps its problems' grids and says how it read each sheet", () => {
  it("a refused tracker's report and run carry the cells around its problems, with the header row and each column's use", async () => {
    const path = await writeTestWorkbook(
      dir,
      longTracker("grid.xlsx", "June 2008", [
        ["Chesterfield", "Internal Audit", "2007/08", "Achieved", "lots"],
        ...figures(3),
      ]),
    );
    const report = await importWorkbook(db.orm, path, { dryRun: true });
    expect(report.status).toBe("REFUSED");
    const sheet = report.sheets[0]!;
    expect(sheet.header).toMatchObject({
      headerRow: 5,
      columns: [
        { column: "A", header: "Council", use: "role", role: "council" },
        { column: "B", header: "Workstream", use: "role", role: "service" },
        { column: "C", use: "role", role: "financialYear" },
        { column: "D", use: "role", role: "measure" },
        { column: "E", header: "Amount (£)", use: "role", role: "amount" },
      ],
      partnership: {
        value: "Derbyshire RCE Shared Services",
        source: 'the "Partnership:" line in B3',
      },
      measure: { value: null, source: "each row's Measure (D) column" },
    });
    const [grid] = report.problemGrids;
    expect(grid).toMatchObject({
      sheet: "Tracker",
      headerRow: 5,
      wholeSheet: true,
      omittedProblems: 0,
    });
    const row6 = grid!.rows.find((r) => r.row === 6)!;
    expect(row6.cells).toEqual([
      "Chesterfield",
      "Internal Audit",
      "2007/08",
      "Achieved",
      "lots",
    ]);
    const run = await db.orm.em
      .fork()
      .findOneOrFail(ImportRun, { id: report.importRunId });
    expect(run.problemGrids).toEqual(report.problemGrids);
  });

  it("keeps no grid for a clean workbook, and names an unknown column, whose warning gets one", async () => {
    const clean = await writeTestWorkbook(
      dir,
      longTracker("clean.xlsx", "June 2008", figures(2)),
    );
    const cleanReport = await importWorkbook(db.orm, clean, { dryRun: true });
    expect(cleanReport.problems).toEqual([]);
    expect(cleanReport.problemGrids).toEqual([]);

    const workbook = longTracker("owner.xlsx", "June 2008", figures(2));
    workbook.sheets[0]!.header.push("Owner");
    const path = await writeTestWorkbook(dir, workbook);
    const report = await importWorkbook(db.orm, path, { dryRun: true });
    expect(report.sheets[0]!.header!.columns.at(-1)).toEqual({
      column: "F",
      header: "Owner",
      use: "unknown",
    });
    expect(report.problems.map((p) => [p.code, p.cell])).toEqual([
      ["unknown-column", "F5"],
    ]);
    expect(report.problemGrids[0]!.rows[4]!.cells[5]).toBe("Owner");
  });

  it("says where a sheet without a Measure column takes its measure from: a title line, else the measure given", async () => {
    const tracker = (file: string, title: string) => ({
      file,
      sheets: [
        {
          name: "Tracker",
          title: [
            [title],
            ["Period:", "June 2008"],
            ["Partnership:", "Derbyshire RCE Shared Services"],
          ],
          header: ["Workstream", "Financial year", "Amount (£)"],
          rows: [["Internal Audit", "2007/08", 1000]],
        },
      ],
    });
    const titled = await importWorkbook(
      db.orm,
      await writeTestWorkbook(dir, tracker("titled.xlsx", "Achieved savings")),
      { dryRun: true },
    );
    expect(titled.sheets[0]!.header!.measure).toEqual({
      value: "ACHIEVED",
      source: 'the title line "Achieved savings" in A1',
    });
    const given = await importWorkbook(
      db.orm,
      await writeTestWorkbook(dir, tracker("given.xlsx", "Savings tracker")),
      { dryRun: true, measure: SavingsMeasure.FORECAST },
    );
    expect(given.sheets[0]!.header!.measure).toEqual({
      value: "FORECAST",
      source: "the measure given to the import",
    });
  });
});
