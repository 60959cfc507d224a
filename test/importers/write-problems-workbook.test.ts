import ExcelJS from "exceljs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeSampleAs } from "../../fixtures/write-sheet-formats.js";
import { importWorkbook } from "../../importers/import-workbook.js";
import { writeProblemsWorkbook } from "../../importers/write-problems-workbook.js";
import {
  createTestDatabase,
  type TestDatabase,
} from "../support/test-database.js";
import { longTracker } from "./support/tracker-workbooks.js";
import {
  workbookDir,
  writeTestWorkbook,
} from "./support/write-test-workbook.js";

let db: TestDatabase;
let dir: string;
beforeAll(async () => {
  db = await createTestDatabase();
  dir = workbookDir();
});
afterAll(() => db.drop());

describe("writing the problems back onto a copy of the workbook", () => {
  it("highlights and comments each problem cell, and lists every problem first", async () => {
    const path = await writeTestWorkbook(
      dir,
      longTracker("to-fix.xlsx", "June 2008", [
        ["Gotham", "Internal Audit", "2007/08", "Achieved", "£30k"],
        [null, "Procurement", "2007/08", "Achieved", "lots"],
        [null, "Building Control", "2007/08", "Achieved", 80000],
      ]),
    );
    const report = await importWorkbook(db.orm, path);
    const out = join(dir, "to-fix-problems.xlsx");
    await writeProblemsWorkbook(path, report.problems, out);
    const copy = new ExcelJS.Workbook();
    await copy.xlsx.readFile(out);
    expect(copy.worksheets.map((s) => s.name)).toEqual([
      "Import problems",
      "Tracker",
    ]);
    const tracker = copy.getWorksheet("Tracker")!;
    const amount = tracker.getCell("E7");
    expect(amount.value).toBe("lots");
    expect((amount.fill as ExcelJS.FillPattern).fgColor?.argb).toBe("FFFFC7CE");
    expect(JSON.stringify(amount.note)).toMatch(/bad-amount/);
    expect(JSON.stringify(tracker.getCell("A6").note)).toMatch(
      /unknown-council/,
    );
    expect(tracker.getCell("E8").note).toBeUndefined();
    const list = copy.getWorksheet("Import problems")!;
    expect(list.getRow(1).values).toEqual([
      undefined,
      "Severity",
      "Code",
      "Sheet",
      "Cell",
      "Header",
      "Value",
      "Problem",
    ]);
    expect(list.rowCount).toBe(1 + report.problems.length);
  });

  it("writes the problems onto a copy of a CSV's cells, its sheet named as the problems name it", async () => {
    const path = await writeSampleAs(
      longTracker("claim.xlsx", "June 2008", [
        [null, "Procurement", "2007/08", "Achieved", "lots"],
      ]),
      "csv",
      dir,
    );
    const report = await importWorkbook(db.orm, path);
    const out = join(dir, "claim-problems.xlsx");
    await writeProblemsWorkbook(path, report.problems, out);
    const copy = new ExcelJS.Workbook();
    await copy.xlsx.readFile(out);
    expect(copy.worksheets.map((s) => s.name)).toEqual([
      "Import problems",
      "claim",
    ]);
    const amount = copy.getWorksheet("claim")!.getCell("E6");
    expect(amount.value).toBe("lots");
    expect(JSON.stringify(amount.note)).toMatch(/bad-amount/);
  });

  it("writes only the list for a file that could not be read", async () => {
    const out = join(dir, "unreadable-problems.xlsx");
    await writeProblemsWorkbook(
      join(dir, "missing.xlsx"),
      [
        {
          code: "unreadable-file",
          severity: "error",
          file: "missing.xlsx",
          message: "missing.xlsx could not be read.",
        },
      ],
      out,
    );
    const copy = new ExcelJS.Workbook();
    await copy.xlsx.readFile(out);
    expect(copy.worksheets.map((s) => s.name)).toEqual(["Import problems"]);
  });
});
