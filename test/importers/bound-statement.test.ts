import { describe, expect, it } from "vitest";
import {
  binaryInt8Array,
  binaryIntArray,
  executeBound,
} from "../../importers/bound-statement.js";
import { MAX_AMOUNT_PENCE } from "../../importers/import-limits.js";
import { useTestDatabase } from "../support/test-database.js";

// The bulk-write path's dealings below MikroORM's public API, against PostgreSQL: what it sends is
// what PostgreSQL reads.

const db = useTestDatabase();

describe("binary arrays", () => {
  it("are read back by PostgreSQL exactly: int4 and int2 with NULLs, int8 at the bounds of a figure", async () => {
    const int4 = [0, 1, -1, 2_147_483_647, -2_147_483_648, null];
    const int2 = [null, 32_767, -32_768, 7];
    const pence = new BigInt64Array([
      0n,
      -1n,
      MAX_AMOUNT_PENCE,
      -MAX_AMOUNT_PENCE,
      123_456_789_012n,
    ]);
    const [row] = await db.orm.em
      .fork()
      .transactional((em) =>
        executeBound<{ a: number[]; b: number[]; c: string[] }>(
          em,
          "select $1::int[] as a, $2::smallint[] as b, $3::int8[]::text[] as c",
          [
            binaryIntArray("int4", int4.length, (i) => int4[i]!),
            binaryIntArray("int2", int2.length, (i) => int2[i]!),
            binaryInt8Array(new Uint8Array(pence.buffer), pence.length),
          ],
        ),
      );
    expect(row).toEqual({
      a: int4,
      b: int2,
      c: [...pence].map(String),
    });
  });

  it("may be empty", async () => {
    const [row] = await db.orm.em
      .fork()
      .transactional((em) =>
        executeBound<{ n: number }>(
          em,
          "select cardinality($1::int[]) + cardinality($2::int8[]) as n",
          [
            binaryIntArray("int4", 0, () => 0),
            binaryInt8Array(new Uint8Array(0), 0),
          ],
        ),
      );
    expect(row).toEqual({ n: 0 });
  });
});

describe("a bound statement", () => {
  it("sends its parameters bound, never formatted into the SQL", async () => {
    const text = "it's $1 -- and ? not a placeholder";
    const [row] = await db.orm.em
      .fork()
      .transactional((em) =>
        executeBound<{ same: boolean; length: number }>(
          em,
          "select $1::text = $2::text as same, length($1::text) as length",
          [text, "it's $1 -- and ? not a placeholder"],
        ),
      );
    expect(row).toEqual({ same: true, length: text.length });
  });

  it("runs inside the EntityManager's transaction: rolled back with it", async () => {
    await db.orm.em.getConnection().execute("create table bound_probe (n int)");
    await expect(
      db.orm.em.fork().transactional(async (em) => {
        await executeBound(em, "insert into bound_probe values ($1::int)", [1]);
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    const rows = await db.orm.em
      .getConnection()
      .execute<{ n: number }[]>("select n from bound_probe");
    expect(rows).toEqual([]);
  });

  it("is logged like every other statement", async () => {
    db.resetQueryLog();
    await db.orm.em
      .fork()
      .transactional((em) => executeBound(em, "select 42 as logged_here", []));
    expect(db.queries.some((q) => q.includes("select 42 as logged_here"))).toBe(
      true,
    );
  });

  it("refuses to run outside a transaction", async () => {
    await expect(
      executeBound(db.orm.em.fork(), "select 1", []),
    ).rejects.toThrow("executeBound needs a transaction");
  });
});
