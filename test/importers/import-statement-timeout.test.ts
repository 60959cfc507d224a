import type { MikroORM } from "@mikro-orm/postgresql";
import { afterAll, beforeAll, expect, it } from "vitest";
import { connectPostgres } from "../../db/connect-postgres.js";
import { openOrm } from "../../db/open-orm.js";
import { isStatementTimeout } from "../../db/orm-config.js";
import { ErrorCode } from "../../errors/hub-error.js";
import { importWorkbook } from "../../importers/import-workbook.js";
import { useTestDatabase } from "../support/test-database.js";
import { figures, longTracker } from "./support/tracker-workbooks.js";
import {
  workbookDir,
  writeTestWorkbook,
} from "./support/write-test-workbook.js";

const db = useTestDatabase();
let impatient: MikroORM;
beforeAll(async () => {
  // Every statement over 1 ms is cancelled by PostgreSQL: writing 3,000 figures takes longer.
  impatient = await openOrm(db.url, {
    driverOptions: { statement_timeout: 1 },
  });
});
afterAll(async () => {
  await impatient.close();
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

it("counts PostgreSQL's cancel 'due to user request' as the statement timeout: a timeout that fires as one statement ends is worded so when it cancels the next", async () => {
  const sleeper = await connectPostgres(db.url);
  const canceller = await connectPostgres(db.url);
  try {
    const [{ pid }] = (
      await sleeper.query<{ pid: number }>("select pg_backend_pid() as pid")
    ).rows as [{ pid: number }];
    const sleeping = sleeper.query("select pg_sleep(30)").then(
      () => null,
      (error: unknown) => error,
    );
    // Cancelled as soon as it is running (the same SQLSTATE and wording as the race gives).
    for (let i = 0; i < 100; i++) {
      const [row] = (
        await canceller.query<{ cancelled: boolean }>(
          "select pg_cancel_backend(pid) as cancelled from pg_stat_activity where pid = $1 and query like 'select pg_sleep%'",
          [pid],
        )
      ).rows;
      if (row?.cancelled) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const error = await sleeping;
    expect(error).toMatchObject({
      code: "57014",
      message: "canceling statement due to user request",
    });
    expect(isStatementTimeout(error)).toBe(true);
  } finally {
    await sleeper.end();
    await canceller.end();
  }
});
