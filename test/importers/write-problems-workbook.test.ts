import ExcelJS from "exceljs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeSampleAs } from "../../fixtures/write-sheet-formats.js";
import { importWorkbook } from "../../importers/import-workbook.js";
import { PROBLEMS_LIST_MARKER } from "../../importers/problems-list-marker.js";
import { writeProblemsWorkbook } from "../../importers/write-problems-workbook.js";
import { useTestDatabase } from "../support/test-database.js";
import { longTracker } from "./support/tracker-workbooks.js";
import {
  workbookDir,
  writeTestWorkbook,
} from "./support/write-test-workbook.js";

const db = useTestDatabase();
const dir = workbookDir();

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
      PROBLEMS_LIST_MARKER,
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

  it("skips its own list when the fixed workbook is dropped in again, but still warns of a council's sheet of that name", async () => {
    const path = await writeTestWorkbook(
      dir,
      longTracker("refix.xlsx", "June 2008", [
        [null, "Procurement", "2007/08", "Achieved", 40000],
        [null, "Internal Audit", "2007/08", "Achieved", "lots"],
      ]),
    );
    const refused = await importWorkbook(db.orm, path, { dryRun: true });
    const bad = refused.problems.find((p) => p.code === "bad-amount")!;
    expect(bad.cell).toBeTruthy();
    const out = join(dir, "refix-problems.xlsx");
    await writeProblemsWorkbook(path, refused.problems, out);
    const copy = new ExcelJS.Workbook();
    await copy.xlsx.readFile(out);
    copy.getWorksheet("Tracker")!.getCell(bad.cell!).value = 9000;
    const fixed = join(dir, "refix.xlsx");
    await copy.xlsx.writeFile(fixed);

    const again = await importWorkbook(db.orm, fixed, { dryRun: true });
    expect(again.problems).toEqual([]);
    expect(again.status).toBe("DRY_RUN");
    expect(
      again.sheets.map((s) => [s.sheet, s.status, s.rowsRead, s.problems]),
    ).toEqual([
      ["Import problems", "unknown", 0, 0],
      ["Tracker", "read", 2, 0],
    ]);

    // Without the hub's marker a sheet called "Import problems" is the council's: warned about as before.
    copy.getWorksheet("Import problems")!.getCell("H1").value = null;
    const unmarked = join(dir, "refix-unmarked.xlsx");
    await copy.xlsx.writeFile(unmarked);
    const warned = await importWorkbook(db.orm, unmarked, { dryRun: true });
    expect(warned.problems.map((p) => [p.code, p.severity, p.sheet])).toEqual([
      ["unknown-sheet", "warning", "Import problems"],
    ]);
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
