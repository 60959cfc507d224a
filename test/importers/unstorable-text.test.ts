import { writeFileSync } from "node:fs";
import { join } from "node:path";
import XLSX from "xlsx";
import { describe, expect, it } from "vitest";
import { importWorkbook } from "../../importers/import-workbook.js";
import { ImportRun } from "../../schema/import-run.js";
import { useTestDatabase } from "../support/test-database.js";
import { workbookDir } from "./support/write-test-workbook.js";

const db = useTestDatabase();
const dir = workbookDir();

/** A tracker written by SheetJS as .xls, whose text cells (unlike .xlsx's XML) may hold any character. */
function xlsTracker(file: string, rows: (string | number)[][]): string {
  const sheet = XLSX.utils.aoa_to_sheet([
    ["Savings tracker"],
    ["Period:", "June 2008"],
    ["Partnership:", "Derbyshire RCE Shared Services"],
    ["Council", "Workstream", "Financial year", "Measure", "Amount (£)"],
    ...rows,
  ]);
  const workbook = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(workbook, sheet, "Tracker");
  const path = join(dir, file);
  writeFileSync(
    path,
    XLSX.write(workbook, { bookType: "xls", type: "buffer" }) as Buffer,
  );
  return path;
}

async function storedFigures(): Promise<number> {
  const [row] = await db.orm.em
    .getConnection()
    .execute<{ n: string }[]>("select count(*) as n from savings_figure");
  return Number(row!.n);
}

describe("text PostgreSQL cannot keep", () => {
  it("refuses a NUL or half a character in a name as bad-value naming the cell, and keeps the run's report", async () => {
    const before = await storedFigures();
    const report = await importWorkbook(
      db.orm,
      xlsTracker("unstorable.xls", [
        ["", "Payroll\0 team", "2007/08", "Achieved", 1000],
        ["", "Legal \ud800", "2007/08", "Achieved", 2000],
        ["", "Audit", "2007/08", "Achieved", "30\u0000000"],
      ]),
    );
    expect(report.status).toBe("REFUSED");
    expect(
      report.problems.map((p) => [p.code, p.cell, p.value ?? null]),
    ).toEqual(
      expect.arrayContaining([
        ["bad-value", "B5", "Payroll␀ team"],
        ["bad-value", "B6", "Legal \uFFFD"],
        ["bad-amount", "E7", "30␀000"],
      ]),
    );
    expect(report.problems.find((p) => p.cell === "B5")!.message).toMatch(
      /B5 holds a NUL character/,
    );
    expect(report.problems.find((p) => p.cell === "B6")!.message).toMatch(
      /B6 holds half of a character/,
    );
    const run = await db.orm.em
      .fork()
      .findOneOrFail(ImportRun, report.importRunId);
    expect(run.status).toBe("REFUSED");
    expect(await storedFigures()).toBe(before);
  });
});
