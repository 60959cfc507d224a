import type { MikroORM } from "@mikro-orm/postgresql";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { findProjectRoot } from "../db/project-root.js";
import { ImportRun } from "../schema/import-run.js";
import { Partnership } from "../schema/partnership.js";
import { importWorkbook, type ImportReport } from "./import-workbook.js";

/** The committed sample workbooks, imported in file-name order (lists before trackers, months in order). */
export function sampleWorkbookPaths(): string[] {
  const dir = join(
    findProjectRoot(fileURLToPath(new URL(".", import.meta.url))),
    "fixtures",
    "samples",
  );
  return readdirSync(dir)
    .filter((name) => name.endsWith(".xlsx"))
    .sort()
    .map((name) => join(dir, name));
}

/**
 * On the first start (no partnership and no import run yet) imports the sample workbooks through the
 * same pipeline as `sshub import`, so that a new user can query real-looking data at once. Returns
 * the reports, or null when the database already holds data.
 */
export async function importSampleData(
  orm: MikroORM,
  log: (line: string) => void,
): Promise<ImportReport[] | null> {
  const em = orm.em.fork();
  if (
    (await em.count(Partnership, {})) > 0 ||
    (await em.count(ImportRun, {})) > 0
  )
    return null;
  const reports: ImportReport[] = [];
  for (const path of sampleWorkbookPaths()) {
    const report = await importWorkbook(orm, path, { runBy: "sample data" });
    reports.push(report);
    if (report.status === "REFUSED")
      log(
        `sshub: sample workbook ${report.file} was refused: ${report.problems.find((p) => p.severity === "error")?.message ?? ""}`,
      );
  }
  const figures = reports.reduce(
    (n, r) => n + r.sheets.reduce((m, s) => m + s.created, 0),
    0,
  );
  log(
    `sshub: imported ${reports.length} sample workbooks (${figures} records); start with --no-sample-data to skip them.`,
  );
  return reports;
}
