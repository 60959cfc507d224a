import ExcelJS from "exceljs";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importWorkbook } from "../../importers/import-workbook.js";
import { callerFromTestRole, TEST_ROLE_HEADER } from "../support/callers.js";
import { startTestHttp, type TestHttp } from "../support/http.js";
import { useTestDatabase } from "../support/test-database.js";
import { longTracker } from "../importers/support/tracker-workbooks.js";
import {
  workbookDir,
  writeTestWorkbook,
} from "../importers/support/write-test-workbook.js";

const db = useTestDatabase();
let http: TestHttp;
let broken: Buffer<ArrayBuffer>;
let runId: number;
beforeAll(async () => {
  http = await startTestHttp(db.orm, {
    callerFor: callerFromTestRole,
  });
  const path = await writeTestWorkbook(
    workbookDir(),
    longTracker("June tracker.xlsx", "June 2008", [
      ["Chesterfield", "Internal Audit", "2007/08", "Achieved", "lots"],
    ]),
  );
  broken = readFileSync(path);
  // The checked run, as a dry run of POST /imports (a job since uploads are queued) leaves it.
  const report = await importWorkbook(db.orm, path, {
    dryRun: true,
    displayName: "June tracker.xlsx",
  });
  expect(report.status).toBe("REFUSED");
  runId = report.importRunId;
});
afterAll(async () => {
  await http.close();
});

function send(
  body: Buffer<ArrayBuffer> | string,
  run: string | number,
  role?: string,
) {
  return fetch(`${http.base}/imports/problems-workbook?run=${run}`, {
    method: "POST",
    body,
    headers: {
      "content-type": "application/octet-stream",
      ...(role ? { [TEST_ROLE_HEADER]: role } : {}),
    },
  });
}

async function errorOf(response: Response) {
  return (
    (await response.json()) as {
      errors: { message: string; extensions: { code: string } }[];
    }
  ).errors[0]!;
}

describe("POST /imports/problems-workbook", () => {
  it("answers the checked workbook with its problems marked on their cells and listed first", async () => {
    const response = await send(broken, runId);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toContain(
      "June%20tracker%20-%20problems.xlsx",
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await response.arrayBuffer());
    expect(workbook.worksheets.map((s) => s.name)).toEqual([
      "Import problems",
      "Tracker",
    ]);
    const cell = workbook.getWorksheet("Tracker")!.getCell("E6");
    expect(cell.value).toBe("lots");
    expect((cell.fill as ExcelJS.FillPattern).fgColor?.argb).toBe("FFFFC7CE");
    expect(JSON.stringify(cell.note)).toMatch(/bad-amount/);
    const list = workbook.getWorksheet("Import problems")!;
    expect(list.getRow(2).getCell(4).value).toBe("E6");
  });

  it("refuses other bytes than the run's, so that no mark lands on the wrong cell", async () => {
    const response = await send(Buffer.from("something else"), runId);
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toMatchObject({
      extensions: { code: "BAD_USER_INPUT" },
      message: expect.stringContaining(
        `not the file checked in import run ${runId} (June tracker.xlsx)`,
      ),
    });
  });

  it("answers 404 for a run that does not exist and 400 without a run number", async () => {
    expect((await send(broken, 999999)).status).toBe(404);
    const missing = await send(broken, "");
    expect(missing.status).toBe(400);
    expect((await errorOf(missing)).message).toContain("?run=");
  });

  it("is refused to those who may not import over HTTP: a viewer and a council-bound analyst", async () => {
    for (const role of ["viewer", "bound"]) {
      const response = await send(broken, runId, role);
      expect(response.status).toBe(403);
      expect((await errorOf(response)).extensions.code).toBe("FORBIDDEN");
    }
  });
});
