import "reflect-metadata";
import ExcelJS from "exceljs";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sampleWorkbookPaths } from "../../importers/import-sample-data.js";
import { useTestDatabase } from "../support/test-database.js";
import { longTracker } from "../importers/support/tracker-workbooks.js";
import {
  workbookDir,
  writeTestWorkbook,
} from "../importers/support/write-test-workbook.js";
import { runSshub } from "../support/sshub-process.js";

// These run the built CLI (`bin/sshub.js` → `dist/`), which `npm test` rebuilds first (pretest).

const db = useTestDatabase();
const dir = workbookDir();

const sshub = (args: string[]) => runSshub(args, db.url);

describe("sshub import", () => {
  it("imports workbooks, prints a summary table per sheet, and exits 0", () => {
    const [cheshire, derbyshire] = sampleWorkbookPaths();
    const result = sshub(["import", cheshire!, derbyshire!]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(
      /01-cheshire-proposed-shared-services.xlsx: IMPORTED/,
    );
    expect(result.stdout).toMatch(
      /Proposed services\s+services\s+40\s+43\s+0\s+0\s+0\s+0/,
    );
    // The sheet's "Source: P&C Advisory Panel, …" line under the table is a note, not a service.
    expect(result.stdout).not.toMatch(/created service "Source:/);
    expect(result.stdout).toMatch(
      /created service "Internal Audit" in Derbyshire RCE Shared Services \(Workstreams!A6\)/,
    );
    expect(result.stdout).toMatch(/warning hidden-sheet/);
  });

  it("exits 1 when a file is refused, listing problems with their cells, and writes the problems workbook", async () => {
    const path = await writeTestWorkbook(
      dir,
      longTracker("cli-bad.xlsx", "June 2008", [
        [null, "Internal Audit", "2007/08", "Achieved", "lots"],
      ]),
    );
    const out = join(dir, "cli-bad-problems.xlsx");
    const result = sshub(["import", path, "--problems-xlsx", out]);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/cli-bad.xlsx: REFUSED/);
    expect(result.stdout).toMatch(
      /error\s+bad-amount\s+Tracker!E6 \[Amount \(£\)\]: "lots" in E6/,
    );
    expect(result.stdout).toMatch(/Nothing was written/);
    const copy = new ExcelJS.Workbook();
    await copy.xlsx.readFile(out);
    expect(
      JSON.stringify(copy.getWorksheet("Tracker")!.getCell("E6").note),
    ).toMatch(/bad-amount/);
  });

  it("prints the full report as JSON, and a dry run writes nothing", async () => {
    const path = await writeTestWorkbook(
      dir,
      longTracker("cli-dry.xlsx", null, [
        [null, "Internal Audit", "2007/08", "Achieved", 100],
      ]),
    );
    const result = sshub([
      "import",
      path,
      "--dry-run",
      "--period",
      "2008-07",
      "--json",
    ]);
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as {
      status: string;
      reportingPeriod: string;
      sheets: { created: number }[];
    };
    expect(report).toMatchObject({
      status: "DRY_RUN",
      reportingPeriod: "2008-07",
    });
    expect(report.sheets[0]!.created).toBe(1);
  });

  it("exits 2 on usage errors", () => {
    const path = sampleWorkbookPaths()[0]!;
    expect(sshub(["import"]).status).toBe(2);
    const period = sshub(["import", path, "--period", "June"]);
    expect(period.status).toBe(2);
    expect(period.stderr).toMatch(/--period must be a month written YYYY-MM/);
    expect(sshub(["import", path, "--kind", "recipes"]).status).toBe(2);
    const mapping = join(dir, "bad-mapping.json");
    writeFileSync(mapping, "[]");
    const bad = sshub(["import", path, "--mapping", mapping]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/mapping profile .* is not valid/);
  });
});
