import { expect, it } from "vitest";
import { ErrorCode } from "../../errors/hub-error.js";
import { importWorkbook } from "../../importers/import-workbook.js";
import { useTestDatabase } from "../support/test-database.js";
import { figures, longTracker } from "./support/tracker-workbooks.js";
import {
  workbookDir,
  writeTestWorkbook,
} from "./support/write-test-workbook.js";

const db = useTestDatabase();

/** Makes every insert into savings_figure fail as PostgreSQL would with `sqlState`. */
async function failFigureInserts(sqlState: string): Promise<void> {
  const c = db.orm.em.fork().getConnection();
  await c.execute(
    `create or replace function test_refuse_figure() returns trigger language plpgsql as $$
       begin raise exception 'refused by a test trigger' using errcode = '${sqlState}'; end $$`,
  );
  await c.execute(
    `create or replace trigger test_refuse_figure before insert on savings_figure
       for each statement execute function test_refuse_figure()`,
  );
}

async function count(sql: string): Promise<number> {
  const [row] = await db.orm.em
    .fork()
    .getConnection()
    .execute<{ n: number }[]>(sql);
  return row?.n ?? -1;
}

it.each([
  ["a deadlock", "40P01"],
  ["a lock not granted", "55P03"],
  ["a revoked grant", "42501"],
])(
  "reports %s (SQLSTATE %s) while writing as DATABASE_FAULT, never as a file it could not read, with nothing written",
  async (what, sqlState) => {
    await failFigureInserts(sqlState);
    const path = await writeTestWorkbook(
      workbookDir(),
      longTracker(
        `refused-${what.replace(/ /g, "-")}.xlsx`,
        "June 2010",
        figures(50),
      ),
    );
    for (const streaming of [true, false]) {
      const outcome = await importWorkbook(db.orm, path, { streaming }).then(
        (report) => ({
          status: report.status,
          problems: report.problems.map((p) => `${p.code}: ${p.message}`),
        }),
        (error: unknown) => error,
      );
      expect(outcome).toMatchObject({
        code: ErrorCode.DatabaseFault,
        message: expect.stringContaining(
          `refused-${what.replace(/ /g, "-")}.xlsx`,
        ),
      });
      expect((outcome as Error).message).toContain(
        `SQLSTATE ${sqlState}: refused by a test trigger`,
      );
      expect((outcome as Error).message).not.toMatch(/open it in Excel/);
    }
    expect(await count("select count(*)::int as n from savings_figure")).toBe(
      0,
    );
    expect(
      await count(
        "select count(*)::int as n from import_run where status in ('IMPORTED', 'REFUSED', 'IMPORTED_WITH_SKIPPED_ROWS')",
      ),
    ).toBe(0);
  },
  120_000,
);
