import { describe, expect, it } from "vitest";
import { STAGE_AND_APPLY_SQL } from "../../importers/savings-figure-sql.js";
import { FIGURE_UNIQUE_COLUMNS } from "../../schema/savings-figure-key.js";
import { useTestDatabase } from "../support/test-database.js";

const db = useTestDatabase();

describe("a figure's key", () => {
  it("is the unique index the migrations build, and the one the bulk write's ON CONFLICT names", async () => {
    const [index] = await db.orm.em
      .getConnection()
      .execute<{ columns: string[] }[]>(
        `select array_agg(a.attname::text order by k.n) as columns
         from pg_index i cross join unnest(i.indkey) with ordinality k(attnum, n)
         join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
         where i.indexrelid = 'savings_figure_key_unique'::regclass`,
      );
    expect(index?.columns).toEqual([...FIGURE_UNIQUE_COLUMNS]);
    expect(STAGE_AND_APPLY_SQL).toContain(
      `on conflict (${FIGURE_UNIQUE_COLUMNS.join(", ")})`,
    );
  });
});
