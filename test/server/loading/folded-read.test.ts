import { expect, it } from "vitest";
import {
  runPrepared,
  withFoldedRead,
  type FoldedRead,
} from "../../../server/loading/prepared-sql.js";
import { useTestDatabase } from "../../support/test-database.js";

// A small read offered to some work rides along with the first plain read statement it runs
// (the token check inside a query's own statement): what the statements return must not change.

const db = useTestDatabase();

/** A FoldedRead of `sql` that records what it was told. */
function recordingRead(sql: string, params: unknown[] = []) {
  const told: (string | null | undefined)[] = [];
  let claims = 0;
  const read: FoldedRead = {
    sql,
    params,
    claim: () => ++claims === 1,
    settle: (value) => void told.push(value),
  };
  return { read, told, claims: () => claims };
}

const ROWS = `select g as n, 'row ' || g as label, ? as tag from generate_series(1, 5) g order by g desc`;

it("carries the read in the statement itself: the same rows, in the same order and shape, and the read's value", async () => {
  const em = db.orm.em.fork();
  const alone = await runPrepared(em, ROWS, ["t"]);
  const { read, told } = recordingRead("select ?::text || '!'", ["folded"]);
  db.resetQueryLog();
  const carried = await withFoldedRead(read, () =>
    runPrepared(em, ROWS, ["t"]),
  );
  expect(db.queries).toHaveLength(1);
  expect(carried).toEqual(alone);
  expect(carried.map((row) => Object.keys(row))).toEqual(
    alone.map((row) => Object.keys(row)),
  );
  expect(carried.map((row) => row.n)).toEqual([5, 4, 3, 2, 1]);
  expect(told).toEqual(["folded!"]);
});

it("is carried by the first plain read only, once; a statement that writes never carries it", async () => {
  const em = db.orm.em.fork();
  const { read, told, claims } = recordingRead("select 'value'");
  await withFoldedRead(read, async () => {
    await runPrepared(
      em,
      "with w as (insert into rate_limit_count (key, minute, count) values ('folded test', 1, 1) returning count) select count from w",
      [],
    );
    expect(claims()).toBe(0);
    const [first] = await runPrepared(em, "select 1 as one", []);
    expect(first).toEqual({ one: 1 });
    const [second] = await runPrepared(em, "select 2 as two", []);
    expect(second).toEqual({ two: 2 });
  });
  // Asked once by the first read (taken), once by the second (no longer wanted).
  expect(claims()).toBe(2);
  expect(told).toEqual(["value"]);
});

it("tells the read it was not read when its statement returns no rows or fails, and null when it found nothing", async () => {
  const em = db.orm.em.fork();
  const none = recordingRead("select 'value'");
  expect(
    await withFoldedRead(none.read, () =>
      runPrepared(em, "select 1 as one where ? = 0", [1]),
    ),
  ).toEqual([]);
  expect(none.told).toEqual([undefined]);

  const failing = recordingRead("select 'value'");
  await expect(
    withFoldedRead(failing.read, () =>
      runPrepared(em, "select 1 / (? - 1) as x", [1]),
    ),
  ).rejects.toThrow(/division by zero/);
  expect(failing.told).toEqual([undefined]);

  const nothing = recordingRead(
    "select label from (select 'x' as label) l where false",
  );
  expect(
    await withFoldedRead(nothing.read, () =>
      runPrepared(em, "select 1 as one", []),
    ),
  ).toEqual([{ one: 1 }]);
  expect(nothing.told).toEqual([null]);
});
