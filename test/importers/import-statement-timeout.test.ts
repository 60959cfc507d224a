import type { MikroORM } from "@mikro-orm/postgresql";
import { afterAll, beforeAll, expect, it } from "vitest";
import { openOrm } from "../../db/open-orm.js";
import { ErrorCode } from "../../errors/hub-error.js";
import { importWorkbook } from "../../importers/import-workbook.js";
import {
  createTestDatabase,
  type TestDatabase,
} from "../support/test-database.js";
import { figures, longTracker } from "./support/tracker-workbooks.js";
import {
  workbookDir,
  writeTestWorkbook,
} from "./support/write-test-workbook.js";

let db: TestDatabase;
let impatient: MikroORM;
beforeAll(async () => {
  db = await createTestDatabase();
  // Every statement over 1 ms is cancelled by PostgreSQL: writing 3,000 figures takes longer.
  impatient = await openOrm(db.url, {
    driverOptions: { statement_timeout: 1 },
  });
});
afterAll(async () => {
  await impatient.close();
  await db.drop();
});

it("reports a statement cancelled by statement_timeout as TIMED_OUT, not as a file it could not read", async () => {
  const path = await writeTestWorkbook(
    workbookDir(),
    longTracker("slow.xlsx", "June 2010", figures(3_000)),
  );
  for (const streaming of [true, false])
    await expect(
      importWorkbook(impatient, path, { streaming }),
    ).rejects.toMatchObject({
      code: ErrorCode.TimedOut,
      message: expect.stringContaining("slow.xlsx"),
    });
  const [row] = await db.orm.em
    .fork()
    .getConnection()
    .execute<{ n: number }[]>("select count(*)::int as n from savings_figure");
  expect(row?.n).toBe(0);
});
