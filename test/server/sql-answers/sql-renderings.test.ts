import { expect, it } from "vitest";
import { globalIdSql, toGlobalId } from "../../../schema/global-id.js";
import {
  offsetCursor,
  offsetCursorSql,
} from "../../../server/pagination/connection.js";
import { runSql } from "../../../server/loading/sql-rows.js";
import { useTestDatabase } from "../../support/test-database.js";

const db = useTestDatabase();

// Type names of every length modulo 3 (the prefix's leftover bytes), up to the longest
// globalIdSql takes, and numbers of every digit count.
const TYPES = [
  "X",
  "Council",
  "Service",
  "Membership",
  "Partnership",
  "GovernanceBody",
  "ServiceReconciliationTotal",
  "ServiceReconciliationTotalWithLongerNames",
];
const NUMBERS = `(select g from generate_series(0, 3000) g union all
  select unnest(array[9999, 10000, 99999, 123456, 1999999, 2147483647]))`;

it("writes global ids in SQL as toGlobalId writes them", async () => {
  const em = db.orm.em.fork();
  for (const type of TYPES) {
    const rows = await runSql<{ n: number; id: string }>(
      em,
      `select n.g as n, ${globalIdSql(type, "n.g")} as id from ${NUMBERS} n`,
    );
    expect(rows.length).toBeGreaterThan(3000);
    for (const { n, id } of rows) expect(id).toBe(toGlobalId(type, n));
  }
});

it("writes offset cursors in SQL as offsetCursor writes them", async () => {
  const rows = await runSql<{ n: number; cursor: string }>(
    db.orm.em.fork(),
    `select n.g as n, ${offsetCursorSql("n.g")} as cursor from ${NUMBERS} n`,
  );
  expect(rows.length).toBeGreaterThan(3000);
  for (const { n, cursor } of rows) expect(cursor).toBe(offsetCursor(n));
});

it("refuses a type name it could not write as a literal, or too long for its base64", () => {
  expect(() => globalIdSql("Council'; drop table council; --", "1")).toThrow();
  expect(() => globalIdSql(`C${"x".repeat(41)}`, "1")).toThrow();
});
