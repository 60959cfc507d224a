import { join } from "node:path";
import { deflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { importWorkbook } from "../../importers/import-workbook.js";
import { ImportRun } from "../../schema/import-run.js";
import { SavingsFigure } from "../../schema/savings-figure.js";
import { useTestDatabase } from "../support/test-database.js";
import { rawTracker, rawXlsxEntries } from "./support/write-raw-xlsx.js";
import { workbookDir } from "./support/write-test-workbook.js";
import { writeZip } from "../../fixtures/write-zip.js";

const db = useTestDatabase();
const dir = workbookDir();

async function tracker(
  file: string,
  change?: (sheet: ReturnType<typeof rawXlsxEntries>[number]) => void,
) {
  const entries = rawXlsxEntries([
    { name: "Tracker", rows: rawTracker([{ v: "100" }, { v: "200" }]) },
  ]);
  change?.(entries.find((e) => e.name === "xl/worksheets/sheet1.xml")!);
  const path = join(dir, file);
  await writeZip(path, entries);
  return path;
}

async function expectRefusedRun(
  report: Awaited<ReturnType<typeof importWorkbook>>,
) {
  expect(report.status).toBe("REFUSED");
  const em = db.orm.em.fork();
  const run = await em.findOneOrFail(ImportRun, report.importRunId);
  expect(run.status).toBe("REFUSED");
  expect(run.finishedAt).toBeInstanceOf(Date);
  expect(await em.count(SavingsFigure, { importRun: report.importRunId })).toBe(
    0,
  );
}

describe("every read of a workbook is bounded in time; a stall is a refusal", () => {
  it.each([-5, 1000])(
    "refuses at once a zip whose local header gives a compressed size %i bytes off (the read used to sit idle for ever)",
    async (delta) => {
      const path = await tracker(`local-size${delta}.xlsx`, (sheet) => {
        sheet.localCompressedSize = deflateRawSync(sheet.data!).length + delta;
      });
      const started = Date.now();
      const report = await importWorkbook(db.orm, path);
      expect(Date.now() - started).toBeLessThan(30_000);
      expect(report.problems).toEqual([
        expect.objectContaining({
          code: "unreadable-file",
          message: expect.stringMatching(
            /local header of xl\/worksheets\/sheet1\.xml disagrees with the zip directory/,
          ),
        }),
      ]);
      await expectRefusedRun(report);
    },
  );

  it.each([
    ["on this thread", {}],
    ["in the reader worker", { workerFromBytes: 0 }],
  ])(
    "refuses a read that stops getting further (%s), and finishes its run",
    async (_, where) => {
      const path = await tracker(`idle-${Object.keys(where).length}.xlsx`);
      const report = await importWorkbook(db.orm, path, {
        limits: { ...where, maxReadIdleMs: 1 },
      });
      expect(report.problems).toEqual([
        expect.objectContaining({
          code: "unreadable-file",
          message: expect.stringMatching(
            /stopped for 0 s without getting further/,
          ),
        }),
      ]);
      await expectRefusedRun(report);
    },
  );
});
